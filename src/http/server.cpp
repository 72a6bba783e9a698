// The HTTP server (see server.h). One io_context runs on opts.io_threads
// threads; every connection is a Session on its own strand. A Session reads
// one request at a time (header first, so limits and "Expect: 100-continue"
// are handled before the body arrives), hands it to the worker pool, and
// writes the Handler's Response back on its strand. The worker pool has two
// lanes (LanePool): reads (GET/HEAD) run on at most worker_threads threads at
// once, writes are taken from the queue first and always find one of the
// write_reserve threads, so long exports and reports never starve writes.
// Protocol errors are answered with a JSON error body and the connection is
// closed gracefully. A big upload (upload_path, past max_body_bytes, its caller
// checked by upload_auth first) is streamed to an unlinked temporary file and
// handed to the Handler as a read-only mapping (Request::mapped_body).
#include "http/server.h"
#include "common/hex.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include "common/deadline.h"
#include "common/log.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>

namespace tj::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

static char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() != name.size()) continue;
    bool eq = true;
    for (size_t i = 0; i < k.size(); ++i) {
      if (k[i] != ascii_lower(name[i])) { eq = false; break; }
    }
    if (eq) return v;
  }
  return {};
}

MappedBody::~MappedBody() {
  if (size_ > 0) ::munmap(const_cast<char*>(data_), size_);
}

namespace {

constexpr std::uint32_t kHeaderLimit = 16 * 1024;
constexpr auto kLingerTime = std::chrono::seconds(3);  // drain time after an error response
constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";

using logging::json_escape;  // common/log.h: the log lines escape the same way

Response error_response(int status, std::string_view code, std::string_view message) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = "{\"error\":{\"code\":\"" + json_escape(code) + "\",\"message\":\"" + json_escape(message) + "\"}}";
  // The same protective headers the API layer sets on its own answers.
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  return r;
}

// Percent-decodes a path ('+' stays '+'). False on a bad escape or a NUL byte.
bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hex::digit(in[i + 1]), lo = hex::digit(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return false;
    out += c;
  }
  return true;
}

bool is_token_char(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool valid_header(std::string_view name, std::string_view value) {
  if (name.empty() || name.size() > 1024 || value.size() > 60000) return false;
  for (char c : name)
    if (!is_token_char(static_cast<unsigned char>(c))) return false;
  for (char c : value)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

bool icontains(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i)
    if (iequals(hay.substr(i, needle.size()), needle)) return true;
  return false;
}

// The handlers' threads: `total` threads, two FIFO queues. A thread takes a
// queued write first; it takes a read only while fewer than `read_cap` reads
// run, so total - read_cap threads are always free for writes. Writes are
// capped at total - 1 (when total > 1) so reads always keep one thread too.
class LanePool {
 public:
  LanePool(int read_cap, int total)
      : read_cap_(std::max(1, read_cap)),
        total_(std::max(read_cap_, total)),
        write_cap_(total_ > 1 ? total_ - 1 : 1) {
    threads_.reserve(total_);
    for (int i = 0; i < total_; ++i) threads_.emplace_back([this] { run(); });
  }
  ~LanePool() {
    stop();
    join();
  }
  // Throws std::runtime_error after stop().
  void post(bool write, std::function<void()> fn) {
    {
      std::lock_guard lk(mu_);
      if (stopped_) throw std::runtime_error("worker pool stopped");
      (write ? writes_ : reads_).push_back(std::move(fn));
    }
    cv_.notify_one();
  }
  // Drops the queued tasks; running ones finish.
  void stop() {
    std::deque<std::function<void()>> r, w;
    {
      std::lock_guard lk(mu_);
      stopped_ = true;
      r.swap(reads_);
      w.swap(writes_);
    }
    cv_.notify_all();
  }
  void join() {
    auto self = std::this_thread::get_id();
    for (auto& t : threads_) {
      if (!t.joinable()) continue;
      if (t.get_id() == self) t.detach();
      else t.join();
    }
  }
  bool running_in_this_thread() const { return current_ == this; }
  size_t queued(bool write) {
    std::lock_guard lk(mu_);
    return (write ? writes_ : reads_).size();
  }

 private:
  void run() {
    current_ = this;
    for (;;) {
      std::function<void()> task;
      bool write = false;
      {
        std::unique_lock lk(mu_);
        cv_.wait(lk, [&] {
          return stopped_ || (!writes_.empty() && running_writes_ < write_cap_) ||
                 (!reads_.empty() && running_reads_ < read_cap_);
        });
        if (stopped_) return;
        if (!writes_.empty() && running_writes_ < write_cap_) {
          task = std::move(writes_.front());
          writes_.pop_front();
          write = true;
          ++running_writes_;
        } else {
          task = std::move(reads_.front());
          reads_.pop_front();
          ++running_reads_;
        }
      }
      try {
        task();
      } catch (const std::exception& e) {
        spdlog::error("http: worker task threw: {}", e.what());
      } catch (...) {
        spdlog::error("http: worker task threw a non-exception");
      }
      task = nullptr;  // release what the task holds before the slot is given back
      bool queued;
      {
        std::lock_guard lk(mu_);
        --(write ? running_writes_ : running_reads_);
        queued = !reads_.empty() || !writes_.empty();
      }
      // The freed slot may let a waiting thread take a queued task. Every waiter waits for the
      // same condition, so waking one is enough, and none when nothing is queued (perf showed
      // the wake-ups of notify_all after every task among the costs of a one-company read).
      if (queued) cv_.notify_one();
    }
  }

  static thread_local const LanePool* current_;
  const int read_cap_, total_, write_cap_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> reads_, writes_;
  int running_reads_ = 0, running_writes_ = 0;
  bool stopped_ = false;
  std::vector<std::thread> threads_;
};
thread_local const LanePool* LanePool::current_ = nullptr;

bool is_read_method(std::string_view m) { return m == "GET" || m == "HEAD"; }

// A client's X-Request-Id is kept when it is sane (1-64 characters of [A-Za-z0-9._:-]), so a
// proxy's id follows the request through; else a new one: 16 hex digits.
std::string request_id_for(const Request& req) {
  std::string in = req.header("x-request-id");
  if (!in.empty() && in.size() <= 64) {
    bool ok = true;
    for (char c : in) {
      bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!alnum && c != '.' && c != '_' && c != ':' && c != '-') {
        ok = false;
        break;
      }
    }
    if (ok) return in;
  }
  thread_local std::mt19937_64 rng(std::random_device{}());
  static const char* hex = "0123456789abcdef";
  uint64_t v = rng();
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) id[i] = hex[v & 0xf];
  return id;
}

// A fresh temporary file for a big upload's body: mkostemp (mode 0600) in dir, else $TMPDIR,
// else /tmp, unlinked at once, so that nothing is left behind whatever becomes of the
// request (an error, a disconnect, a crash); the space is freed when the last descriptor
// and mapping of it are gone. -1 with errno set if none can be made.
int upload_temp_file(const std::string& dir_opt) {
  std::string dir = dir_opt;
  if (dir.empty()) {
    const char* t = std::getenv("TMPDIR");
    if (t && *t) dir = t;
  }
  if (dir.empty()) dir = "/tmp";
  if (dir.back() != '/') dir += '/';
  std::string path = dir + "tiejun-upload-XXXXXX";
  int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) return -1;
  ::unlink(path.c_str());
  return fd;
}

// The upload's file, mapped read-only (the pages are the file's: reclaimable page cache,
// not anonymous memory). Null with err set on failure.
std::shared_ptr<const MappedBody> map_upload(int fd, std::string& err) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    err = std::string("fstat: ") + std::strerror(errno);
    return nullptr;
  }
  auto n = static_cast<size_t>(st.st_size);
  if (n == 0) return std::make_shared<const MappedBody>("", 0);
  void* p = ::mmap(nullptr, n, PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED) {
    err = std::string("mmap: ") + std::strerror(errno);
    return nullptr;
  }
  ::madvise(p, n, MADV_SEQUENTIAL);
  return std::make_shared<const MappedBody>(static_cast<const char*>(p), n);
}

// Errors of writing the upload's file (rather than of the connection).
bool is_storage_error(const beast::error_code& ec) {
  if (ec.category() != beast::system_category()) return false;
  int v = ec.value();
  return v == ENOSPC || v == EDQUOT || v == EFBIG || v == EIO;
}

struct Core;

class Session : public std::enable_shared_from_this<Session> {
 public:
  // counted: the connection holds one of its address's max_conns_per_ip slots.
  Session(tcp::socket&& socket, Core& core, std::string remote, bool counted);
  ~Session();
  void start();
  void write_response(Response r);  // on the strand

 private:
  void do_read();
  void read_header();
  void on_header(beast::error_code ec);
  void on_upload_auth(const std::string& key);
  void continue_body();
  void read_body();
  void on_read(beast::error_code ec);
  void on_read_error(beast::error_code ec);
  bool fill_request(const bhttp::request_header<>& msg, bool keep_alive, Request& req);
  void dispatch_request(Request req);
  void watch_disconnect(std::shared_ptr<deadline::Deadline> dl);
  void send_error(int status, std::string_view code, std::string_view message, bool close);
  void on_write(beast::error_code ec, bool close);
  void linger_close();
  void drain();
  void hard_close();

  Core& core_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  // A big upload's body goes to a temporary file: on_upload_auth moves the header-parsed
  // parser_ into this one (Beast's body-changing move), which writes the body to the file.
  std::optional<bhttp::request_parser<bhttp::file_body>> file_parser_;
  bool upload_ = false;  // this request is an import upload (the bigger body limit)
  bhttp::response<bhttp::string_body> res_;
  std::unique_ptr<std::array<char, 4096>> drain_buf_;
  std::string remote_;
  bool counted_ = false;
  std::shared_ptr<void> upload_slot_;  // held while a big upload is read and handled
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;
  bool watching_ = false;  // an async_wait for the client hanging up is pending
  unsigned watch_gen_ = 0;
};

struct Core {
  Core(ServerOptions o, Handler h)
      : opts(std::move(o)), handler(std::move(h)), ioc(std::max(1, opts.io_threads)) {}

  ServerOptions opts;
  Handler handler;
  asio::io_context ioc;  // declared before every I/O object so it is destroyed last
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> accept_retry;
  std::optional<asio::signal_set> signals;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::unique_ptr<LanePool> pool;  // destroyed before ioc: queued tasks own Sessions
  std::unique_ptr<LanePool> slow_pool;  // the password-hashing lane (opts.slow_lane)
  std::atomic<size_t> slow_pending{0};
  std::unique_ptr<LanePool> heavy_pool;  // the expensive views' lane (opts.heavy_lane)
  std::atomic<size_t> heavy_pending{0};
  std::mutex conn_mu;  // guards conns, uploads, uploads_total
  std::unordered_map<std::string, int> conns;    // open connections per client address
  std::unordered_map<std::string, int> uploads;  // big uploads under way per caller key
  int uploads_total = 0;
  std::vector<std::thread> io_threads;
  std::atomic<size_t> pending{0};
  uint16_t port = 0;

  std::mutex mu;  // guards the flags below and `signals`
  std::condition_variable cv;
  bool started = false;
  bool stop_requested = false;  // stop() began (or finished)
  bool signaled = false;
  bool joined = false;
  std::mutex stop_mu;  // serializes stop()

  std::chrono::seconds idle() const { return std::chrono::seconds(std::max(1, opts.idle_timeout_s)); }
  std::chrono::seconds header_timeout() const { return std::chrono::seconds(std::max(1, opts.header_timeout_s)); }
  void refuse(tcp::socket& socket);

  uint16_t start();
  void do_accept();
  void wait();
  void stop();
  void join_all();
  bool on_internal_thread() const;
};

// ---- Session ----------------------------------------------------------------

Session::Session(tcp::socket&& socket, Core& core, std::string remote, bool counted)
    : core_(core), stream_(std::move(socket)), remote_(std::move(remote)), counted_(counted) {
  beast::error_code ec;
  stream_.socket().set_option(tcp::no_delay(true), ec);
}

Session::~Session() {
  upload_slot_.reset();
  if (!counted_) return;
  std::lock_guard lk(core_.conn_mu);
  auto it = core_.conns.find(remote_);
  if (it != core_.conns.end() && --it->second <= 0) core_.conns.erase(it);
}

void Session::start() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
}

void Session::do_read() {
  file_parser_.reset();
  parser_.emplace();
  upload_ = false;
  parser_->header_limit(kHeaderLimit);
  // Beast checks Content-Length against the limit while it parses the header, so the
  // header is read with the larger limit and on_header narrows it for all but uploads.
  parser_->body_limit(static_cast<std::uint64_t>(std::max(core_.opts.max_body_bytes, core_.opts.max_upload_bytes)));
  if (buffer_.size() > 0) return read_header();  // the next request's bytes are already here
  // A kept-alive connection may wait idle_timeout for the next request to begin (a client
  // whose event loop was busy still finds it open); its first bytes start the header clock.
  stream_.expires_after(core_.idle());
  stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    if (ec) return self->on_header(ec);
    self->buffer_.commit(n);
    self->read_header();
  });
}

void Session::read_header() {
  // The whole header within header_timeout of its first byte: a client sending a byte now
  // and then cannot hold the connection.
  stream_.expires_after(core_.header_timeout());
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

// The request line and headers only, for upload_auth.
Request header_request(const bhttp::request<bhttp::string_body>& msg, const std::string& remote) {
  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  req.path = req.target.substr(0, req.target.find('?'));
  req.remote_addr = remote;
  for (const auto& f : msg) {
    std::string name(f.name_string());
    for (char& c : name) c = ascii_lower(c);
    req.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  return req;
}

void Session::on_header(beast::error_code ec) {
  if (ec) return on_read_error(ec);
  auto& msg = parser_->get();
  // An import upload may be bigger than a JSON body, but only for a caller whose
  // credentials are checked first (issue 17 point 2): a made-up Cookie or Authorization
  // header must not get a 128 MB buffer.
  if (msg.method() == bhttp::verb::post && core_.opts.upload_auth) {
    std::string_view target(msg.target().data(), msg.target().size());
    auto n = parser_->content_length();
    bool big = n ? *n > core_.opts.max_body_bytes : !parser_->is_done();  // chunked: size unknown
    if (big && target.substr(0, target.find('?')) == core_.opts.upload_path) {
      if (n && *n > core_.opts.max_upload_bytes) {
        upload_ = true;
        return on_read_error(bhttp::error::body_limit);
      }
      try {
        core_.pool->post(false, [self = shared_from_this(), hreq = header_request(msg, remote_)]() {
          std::string key;
          try {
            key = self->core_.opts.upload_auth(hreq);
          } catch (const std::exception& e) {
            spdlog::error("http: upload check threw: {}", e.what());
          }
          try {
            auto ex = self->stream_.get_executor();
            asio::post(ex, [self, key = std::move(key)] { self->on_upload_auth(key); });
          } catch (const std::exception& e) {
            spdlog::error("http: cannot post the upload check: {}", e.what());
          }
        });
      } catch (const std::exception&) {
        return hard_close();  // stopping
      }
      return;
    }
  }
  if (auto n = parser_->content_length(); n && *n > core_.opts.max_body_bytes)
    return on_read_error(bhttp::error::body_limit);
  parser_->body_limit(static_cast<std::uint64_t>(core_.opts.max_body_bytes));
  continue_body();
}

void Session::on_upload_auth(const std::string& key) {
  if (key.empty())
    return send_error(401, "unauthorized",
                      "log in (or send a valid bearer token and, with a cookie, X-CSRF-Token) to upload more than " +
                          std::to_string(core_.opts.max_body_bytes) + " bytes",
                      true);
  {
    std::lock_guard lk(core_.conn_mu);
    int& mine = core_.uploads[key];
    if (mine >= std::max(1, core_.opts.max_uploads_per_key) ||
        core_.uploads_total >= std::max(1, core_.opts.max_uploads_total)) {
      if (mine == 0) core_.uploads.erase(key);
      bool per_key = mine >= std::max(1, core_.opts.max_uploads_per_key);
      // not under the lock: send_error only starts an async write
      std::string msg = per_key ? "at most " + std::to_string(core_.opts.max_uploads_per_key) +
                                      " big upload(s) per user at a time; wait for the one under way"
                                : "at most " + std::to_string(core_.opts.max_uploads_total) +
                                      " big uploads at a time on this server; retry shortly";
      keep_alive_ = false;
      Response r = error_response(429, "too_many_uploads", msg);
      r.headers.emplace_back("Retry-After", "10");
      asio::post(stream_.get_executor(), [self = shared_from_this(), r = std::move(r)]() mutable {
        self->write_response(std::move(r));
      });
      return;
    }
    ++mine;
    ++core_.uploads_total;
  }
  Core* core = &core_;
  upload_slot_ = std::shared_ptr<void>(nullptr, [core, key](void*) {
    std::lock_guard lk(core->conn_mu);
    --core->uploads_total;
    auto it = core->uploads.find(key);
    if (it != core->uploads.end() && --it->second <= 0) core->uploads.erase(it);
  });
  upload_ = true;
  // The body is streamed to a temporary file, not buffered (issue 17 point 2).
  int fd = upload_temp_file(core_.opts.upload_tmp_dir);
  if (fd < 0) {
    spdlog::error("http: cannot create a temporary file for an upload: {}", std::strerror(errno));
    return send_error(507, "upload_storage", "the server cannot store the upload now; retry later", true);
  }
  try {
    file_parser_.emplace(std::move(*parser_));
  } catch (const std::exception& e) {  // only if the body had begun: cannot happen after read_header
    ::close(fd);
    spdlog::error("http: cannot switch the upload to a file: {}", e.what());
    return send_error(500, "internal", "internal error", true);
  }
  parser_.reset();
  file_parser_->get().body().file().native_handle(fd);  // the file now owns fd
  file_parser_->body_limit(static_cast<std::uint64_t>(core_.opts.max_upload_bytes));
  continue_body();
}

void Session::continue_body() {
  const bhttp::request_header<>& msg =
      file_parser_ ? static_cast<const bhttp::request_header<>&>(file_parser_->get()) : parser_->get();
  bool done = file_parser_ ? file_parser_->is_done() : parser_->is_done();
  if (!done && msg.version() >= 11) {
    auto it = msg.find(bhttp::field::expect);
    if (it != msg.end() && iequals(std::string_view(it->value().data(), it->value().size()), "100-continue")) {
      stream_.expires_after(core_.idle());
      asio::async_write(stream_, asio::buffer(kContinue, sizeof(kContinue) - 1),
                        [self = shared_from_this()](beast::error_code ec, std::size_t) {
                          if (ec) return self->hard_close();
                          self->read_body();
                        });
      return;
    }
  }
  read_body();
}

void Session::read_body() {
  stream_.expires_after(core_.idle());
  auto done = [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); };
  if (file_parser_) bhttp::async_read(stream_, buffer_, *file_parser_, std::move(done));
  else bhttp::async_read(stream_, buffer_, *parser_, std::move(done));
}

void Session::on_read_error(beast::error_code ec) {
  // A failed upload ends here: its slot is given back and its file closed (the space freed)
  // now, not once the error answer is written or the connection is gone.
  bool to_file = file_parser_.has_value();
  upload_slot_.reset();
  file_parser_.reset();
  if (to_file && is_storage_error(ec)) {
    spdlog::error("http: cannot write an upload to its temporary file: {}", ec.message());
    return send_error(507, "upload_storage", "the server has no room to store the upload now; retry later", true);
  }
  if (ec == bhttp::error::end_of_stream) {  // client closed between requests
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return hard_close();
  }
  if (ec == bhttp::error::body_limit) {
    return send_error(413, "body_too_large",
                      "request body exceeds " +
                          std::to_string(upload_ ? core_.opts.max_upload_bytes : core_.opts.max_body_bytes) + " bytes",
                      true);
  }
  if (ec == bhttp::error::header_limit) {
    return send_error(431, "headers_too_large",
                      "request headers exceed " + std::to_string(kHeaderLimit) + " bytes", true);
  }
  static const auto& http_category = bhttp::make_error_code(bhttp::error::bad_method).category();
  if (ec.category() == http_category && ec != bhttp::error::partial_message && ec != bhttp::error::need_more) {
    return send_error(400, "bad_request", "malformed HTTP request", true);
  }
  // Timeout (the stream is already closed), reset, abort, EOF mid-message: nothing to answer.
  hard_close();
}

// The request line and headers into req (the body is set by the caller). False once a
// 400 was sent.
bool Session::fill_request(const bhttp::request_header<>& msg, bool keep_alive, Request& req) {
  version_ = msg.version();
  keep_alive_ = keep_alive;
  head_ = msg.method() == bhttp::verb::head;

  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  req.remote_addr = remote_;

  std::string_view t = req.target;
  if (!t.empty() && t.front() != '/') {  // absolute-form: drop "scheme://authority"
    auto scheme = t.find("://");
    if (scheme != std::string_view::npos) {
      auto slash = t.find('/', scheme + 3);
      t = slash == std::string_view::npos ? std::string_view("/") : t.substr(slash);
    }
  }
  std::string_view raw_path = t;
  if (auto q = t.find('?'); q != std::string_view::npos) {
    raw_path = t.substr(0, q);
    req.query = std::string(t.substr(q + 1));
  }
  if (!percent_decode(raw_path, req.path)) {
    send_error(400, "bad_path", "invalid percent-encoding in request path", false);
    return false;
  }

  req.headers.reserve(std::distance(msg.begin(), msg.end()));
  for (const auto& f : msg) {
    std::string name(f.name_string());
    for (char& c : name) c = ascii_lower(c);
    req.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  return true;
}

void Session::on_read(beast::error_code ec) {
  if (ec) return on_read_error(ec);
  Request req;
  if (file_parser_) {
    // A big upload: its file is mapped, never copied into memory. The parser (and with it
    // the descriptor) goes now; the mapping keeps the unlinked file until the request is done.
    bhttp::request<bhttp::file_body> msg = file_parser_->release();
    file_parser_.reset();
    if (!fill_request(msg, msg.keep_alive(), req)) return;
    std::string err;
    req.mapped_body = map_upload(msg.body().file().native_handle(), err);
    if (!req.mapped_body) {
      spdlog::error("http: cannot map an upload: {}", err);
      return send_error(503, "upload_storage", "the server cannot read the upload now; retry later", true);
    }
  } else {
    bhttp::request<bhttp::string_body> msg = parser_->release();
    if (!fill_request(msg, msg.keep_alive(), req)) return;
    req.body = std::move(msg.body());
  }
  dispatch_request(std::move(req));
}

void Session::dispatch_request(Request req) {
  if (core_.pending.fetch_add(1) >= core_.opts.max_queue) {
    core_.pending.fetch_sub(1);
    return send_error(503, "overloaded", "server is overloaded, try again later", false);
  }
  bool slow = core_.slow_pool && core_.opts.slow_lane && core_.opts.slow_lane(req);
  if (slow && core_.slow_pending.fetch_add(1) >= std::max<size_t>(1, core_.opts.slow_queue)) {
    core_.slow_pending.fetch_sub(1);
    core_.pending.fetch_sub(1);
    return send_error(503, "overloaded", "too many logins under way, try again later", false);
  }
  bool heavy = !slow && core_.heavy_pool && core_.opts.heavy_lane && core_.opts.heavy_lane(req);
  // heavy_pending counts the running ones too: heavy_queue may wait besides them
  if (heavy && core_.heavy_pending.fetch_add(1) >=
                   std::max<size_t>(1, core_.opts.heavy_queue) + size_t(std::max(1, core_.opts.heavy_threads))) {
    core_.heavy_pending.fetch_sub(1);
    core_.pending.fetch_sub(1);
    return send_error(503, "overloaded", "too many long requests (reports, searches, exports) queued; try again later",
                      false);
  }
  const int timeout_ms = std::max(1, core_.opts.long_lane && core_.opts.long_lane(req)
                                         ? std::max(core_.opts.long_timeout_ms, core_.opts.request_timeout_ms)
                                         : core_.opts.request_timeout_ms);
  auto dl = std::make_shared<deadline::Deadline>(deadline::Clock::now() + std::chrono::milliseconds(timeout_ms), timeout_ms);
  std::string rid = request_id_for(req);
  try {
    bool write = !is_read_method(req.method);
    auto& lane = slow ? *core_.slow_pool : heavy ? *core_.heavy_pool : *core_.pool;
    lane.post(write && !slow && !heavy, [self = shared_from_this(), req = std::move(req), slow, heavy, dl,
                                         rid]() mutable {
      Response res;
      {
        logging::RequestScope log_scope(rid);
        if (dl->expired()) {
          // Its deadline passed while it waited (or its client left): nothing is run.
          if (!dl->cancelled())
            spdlog::warn("http: {} request answered 503 timeout after waiting {} ms in the queue",
                         heavy ? "an expensive" : "a", dl->timeout_ms());
          res = error_response(503, "timeout", "the server could not start this request before its deadline; retry");
        } else {
          deadline::Scope dl_scope(dl.get());
          try {
            res = self->core_.handler(req);
          } catch (const std::exception& e) {
            spdlog::error("http: handler threw on {} {}: {}", req.method, req.path, e.what());
            res = error_response(500, "internal", "internal error");
          } catch (...) {
            spdlog::error("http: handler threw a non-exception on {} {}", req.method, req.path);
            res = error_response(500, "internal", "internal error");
          }
        }
      }
      res.headers.emplace_back("X-Request-Id", rid);
      req.mapped_body.reset();  // an upload's file is unmapped (and its space freed) once handled
      self->core_.pending.fetch_sub(1);
      if (slow) self->core_.slow_pending.fetch_sub(1);
      if (heavy) self->core_.heavy_pending.fetch_sub(1);
      try {
        auto ex = self->stream_.get_executor();
        asio::post(ex, [self = std::move(self), res = std::move(res)]() mutable {
          self->write_response(std::move(res));
        });
      } catch (const std::exception& e) {
        spdlog::error("http: cannot post response: {}", e.what());
      }
    });
  } catch (const std::exception& e) {
    core_.pending.fetch_sub(1);
    if (slow) core_.slow_pending.fetch_sub(1);
    if (heavy) core_.heavy_pending.fetch_sub(1);
    spdlog::error("http: cannot queue request: {}", e.what());
    return send_error(500, "internal", "internal error", true);
  }
  watch_disconnect(std::move(dl));
}

// While a request is queued or runs, the connection is watched: a client that hangs up
// (EOF or an error on the socket) cancels its request's work (deadline::Deadline::cancel
// interrupts the query). Bytes of a pipelined next request end the watch without a cancel;
// they stay in the socket for the next read.
void Session::watch_disconnect(std::shared_ptr<deadline::Deadline> dl) {
  watching_ = true;
  unsigned gen = ++watch_gen_;  // a completion already queued when the watch was cancelled is stale
  stream_.socket().async_wait(tcp::socket::wait_read, [self = shared_from_this(), dl = std::move(dl), gen](
                                                          beast::error_code ec) {
    if (ec || gen != self->watch_gen_ || !self->watching_) return;  // cancelled: the answer is being written
    char b;
    ssize_t n = ::recv(self->stream_.socket().native_handle(), &b, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      self->watching_ = false;
      dl->cancel();
      return;
    }
    if (n < 0) return self->watch_disconnect(dl);
    self->watching_ = false;  // a pipelined request
  });
}

void Session::send_error(int status, std::string_view code, std::string_view message, bool close) {
  if (close) keep_alive_ = false;
  write_response(error_response(status, code, message));
}

void Session::write_response(Response r) {
  if (watching_) {
    beast::error_code ec;
    stream_.socket().cancel(ec);  // ends watch_disconnect's wait (nothing else is pending now)
    watching_ = false;
    ++watch_gen_;
  }
  bool close = !keep_alive_;
  try {
    res_ = {};
    res_.version(version_ == 10 ? 10 : 11);
    int status = r.status;
    if (status < 200 || status > 599) {
      spdlog::error("http: handler returned invalid status {}", status);
      r = error_response(500, "internal", "internal error");
      status = 500;
    }
    res_.result(static_cast<unsigned>(status));
    bool no_body = status == 204 || status == 304;
    if (!no_body && !r.content_type.empty() && valid_header("Content-Type", r.content_type))
      res_.set(bhttp::field::content_type, r.content_type);
    for (const auto& [name, value] : r.headers) {
      if (!valid_header(name, value)) {
        spdlog::warn("http: dropping invalid response header '{}'", json_escape(name));
        continue;
      }
      if (iequals(name, "content-length") || iequals(name, "transfer-encoding")) continue;
      if (iequals(name, "connection")) {
        if (icontains(value, "close")) close = true;
        continue;
      }
      res_.insert(name, value);  // insert, not set: Set-Cookie may repeat
    }
    if (!no_body) {
      res_.content_length(r.body.size());
      if (!head_) res_.body() = std::move(r.body);
    }
    res_.keep_alive(!close);
  } catch (const std::exception& e) {
    spdlog::error("http: cannot build response: {}", e.what());
    close = true;
    res_ = {};
    res_.version(11);
    res_.result(bhttp::status::internal_server_error);
    res_.set(bhttp::field::content_type, "application/json");
    res_.body() = error_response(500, "internal", "internal error").body;
    res_.content_length(res_.body().size());
    res_.keep_alive(false);
  }
  stream_.expires_after(core_.idle());
  bhttp::async_write(stream_, res_, [self = shared_from_this(), close](beast::error_code ec, std::size_t) {
    self->on_write(ec, close);
  });
}

void Session::on_write(beast::error_code ec, bool close) {
  res_ = {};
  upload_slot_.reset();
  if (ec) return hard_close();
  if (close) return linger_close();
  do_read();
}

// Half-close, then read and discard what the client still sends (for a little
// while) so that closing does not reset the connection before the client has
// read the response.
void Session::linger_close() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return hard_close();
  stream_.expires_after(kLingerTime);
  drain_buf_ = std::make_unique<std::array<char, 4096>>();
  drain();
}

void Session::drain() {
  stream_.async_read_some(asio::buffer(*drain_buf_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->hard_close();
    self->drain();
  });
}

void Session::hard_close() {
  beast::error_code ec;
  stream_.socket().close(ec);
}

// ---- Core -------------------------------------------------------------------

uint16_t Core::start() {
  {
    std::lock_guard lk(mu);
    if (stop_requested) throw std::runtime_error("http server: start() after stop()");
    if (started) return port;
  }
  tcp::endpoint endpoint;
  {
    std::string host = opts.host.empty() ? "0.0.0.0" : opts.host;
    beast::error_code ec;
    auto addr = asio::ip::make_address(host, ec);
    if (!ec) {
      endpoint = tcp::endpoint(addr, opts.port);
    } else {
      tcp::resolver resolver(ioc);
      auto results = resolver.resolve(host, std::to_string(opts.port), tcp::resolver::passive, ec);
      if (ec || results.empty())
        throw std::runtime_error("http server: cannot resolve " + host + ": " + ec.message());
      endpoint = results.begin()->endpoint();
    }
  }
  acceptor.emplace(ioc);
  accept_retry.emplace(ioc);
  beast::error_code ec;
  auto fail = [&](const char* what) {
    beast::error_code ignored;
    acceptor->close(ignored);
    throw std::runtime_error(std::string("http server: cannot ") + what + " " + opts.host + ":" +
                             std::to_string(opts.port) + ": " + ec.message());
  };
  acceptor->open(endpoint.protocol(), ec);
  if (ec) fail("open socket for");
  acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) fail("set SO_REUSEADDR on");
  acceptor->bind(endpoint, ec);
  if (ec) fail("bind");
  acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) fail("listen on");
  port = acceptor->local_endpoint(ec).port();
  if (ec) fail("query");

  pool = std::make_unique<LanePool>(std::max(1, opts.worker_threads),
                                    std::max(1, opts.worker_threads) + std::max(0, opts.write_reserve));
  if (opts.slow_lane) {
    int n = std::max(1, opts.slow_threads);
    slow_pool = std::make_unique<LanePool>(n, n);  // every task is posted as a "read": n at once
  }
  if (opts.heavy_lane) {
    int n = std::max(1, opts.heavy_threads);
    heavy_pool = std::make_unique<LanePool>(n, n);
  }
  work.emplace(ioc.get_executor());
  do_accept();
  int n = std::max(1, opts.io_threads);
  io_threads.reserve(n);
  for (int i = 0; i < n; ++i) {
    io_threads.emplace_back([this] {
      for (;;) {
        try {
          ioc.run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("http: exception on I/O thread: {}", e.what());
        } catch (...) {
          spdlog::error("http: unknown exception on I/O thread");
        }
      }
    });
  }
  {
    std::lock_guard lk(mu);
    started = true;
  }
  return port;
}

void Core::do_accept() {
  acceptor->async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
      // e.g. EMFILE: back off briefly instead of spinning.
      spdlog::warn("http: accept failed: {}", ec.message());
      accept_retry->expires_after(std::chrono::milliseconds(100));
      accept_retry->async_wait([this](beast::error_code ec) {
        if (!ec) do_accept();
      });
      return;
    }
    try {
      beast::error_code rec;
      auto ep = socket.remote_endpoint(rec);
      std::string remote = rec ? std::string() : ep.address().to_string();
      bool over = false;
      if (!remote.empty()) {
        std::lock_guard lk(conn_mu);
        int& n = conns[remote];
        if (n >= std::max(1, opts.max_conns_per_ip)) over = true;
        else ++n;
      }
      if (over) refuse(socket);
      else std::make_shared<Session>(std::move(socket), *this, std::move(remote), !remote.empty())->start();
    } catch (const std::exception& e) {
      spdlog::error("http: cannot start session: {}", e.what());
    }
    do_accept();
  });
}

// A client address over max_conns_per_ip: one non-blocking write of a 503 and close.
// Nothing is read and nothing waits, so extra connections cost one accept each.
void Core::refuse(tcp::socket& socket) {
  static const std::string answer = [] {
    Response r = error_response(503, "too_many_connections", "too many open connections from this address");
    std::string h = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n";
    for (const auto& [k, v] : r.headers) h += k + ": " + v + "\r\n";
    h += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n";
    return h + r.body;
  }();
  beast::error_code ec;
  socket.non_blocking(true, ec);
  if (!ec) socket.write_some(asio::buffer(answer), ec);
  socket.shutdown(tcp::socket::shutdown_send, ec);
  socket.close(ec);
}

void Core::wait() {
  std::unique_lock lk(mu);
  if (started && !stop_requested && !signals) {
    signals.emplace(ioc, SIGINT, SIGTERM);
    signals->async_wait([this](beast::error_code ec, int signo) {
      if (ec) return;
      spdlog::info("http: received signal {}, stopping", signo);
      std::lock_guard lk2(mu);
      signaled = true;
      cv.notify_all();
    });
  }
  cv.wait(lk, [this] { return stop_requested || signaled; });
  bool do_stop = signaled && !stop_requested;
  lk.unlock();
  if (do_stop) stop();
}

bool Core::on_internal_thread() const {
  auto self = std::this_thread::get_id();
  for (const auto& t : io_threads)
    if (t.get_id() == self) return true;
  return (pool && pool->running_in_this_thread()) || (slow_pool && slow_pool->running_in_this_thread()) ||
         (heavy_pool && heavy_pool->running_in_this_thread());
}

void Core::stop() {
  std::lock_guard stop_lk(stop_mu);
  {
    std::lock_guard lk(mu);
    if (joined) return;
    stop_requested = true;
    cv.notify_all();
  }
  work.reset();
  ioc.stop();
  if (pool) pool->stop();
  if (slow_pool) slow_pool->stop();
  if (heavy_pool) heavy_pool->stop();
  // From a handler or I/O thread we cannot join ourselves; the destructor finishes.
  if (on_internal_thread()) return;
  join_all();
}

void Core::join_all() {
  auto self = std::this_thread::get_id();
  for (auto& t : io_threads) {
    if (!t.joinable()) continue;
    if (t.get_id() == self) t.detach();
    else t.join();
  }
  io_threads.clear();
  if (pool) pool->join();  // detaches the calling thread if it is one of the pool's
  if (slow_pool) slow_pool->join();
  if (heavy_pool) heavy_pool->join();
  // No I/O thread runs now, so the I/O objects can be touched from here.
  beast::error_code ec;
  if (acceptor) acceptor->close(ec);
  if (accept_retry) accept_retry->cancel();
  std::lock_guard lk(mu);
  if (signals) {
    signals->cancel(ec);
    signals.reset();  // restores the default SIGINT/SIGTERM disposition
  }
  joined = true;
  cv.notify_all();
}

}  // namespace

struct Server::Impl : Core {
  using Core::Core;
};

Server::Server(ServerOptions opts, Handler handler) : impl_(new Impl(std::move(opts), std::move(handler))) {}

Server::~Server() {
  try {
    impl_->stop();
    if (!impl_->joined) impl_->join_all();
  } catch (const std::exception& e) {
    spdlog::error("http: error while stopping: {}", e.what());
  }
  delete impl_;
}

uint16_t Server::start() { return impl_->start(); }
void Server::wait() { impl_->wait(); }
void Server::stop() { impl_->stop(); }

QueueDepths Server::queue_depths() const {
  QueueDepths q;
  {
    std::lock_guard lk(impl_->mu);
    if (!impl_->started || impl_->joined) return q;
  }
  if (impl_->pool) {
    q.read = impl_->pool->queued(false);
    q.write = impl_->pool->queued(true);
  }
  if (impl_->heavy_pool) q.heavy = impl_->heavy_pool->queued(false);
  if (impl_->slow_pool) q.login = impl_->slow_pool->queued(false);
  return q;
}

}  // namespace tj::http
