// The delivery worker and the robots' wire formats (see delivery.h).
#include "app/delivery.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "app/messages.h"
#include "store/tx_notify.h"
#include "common/utf8.h"

namespace tj::notify {

namespace {

std::mutex g_key_mu;
std::array<unsigned char, crypto_secretbox_KEYBYTES> g_key{};
bool g_key_set = false;
extern std::string g_key_path;
std::string read_key_file(const std::string& path, bool create, std::array<unsigned char, crypto_secretbox_KEYBYTES>& k,
                          bool& found);

// The key, created in its file on first use (so a server that never seals a
// secret leaves no file); without a file, a key for this process only.
const std::array<unsigned char, crypto_secretbox_KEYBYTES>& key() {
  std::lock_guard lk(g_key_mu);
  if (!g_key_set) {
    (void)sodium_init();
    bool found = false;
    std::string err = g_key_path.empty() ? "" : read_key_file(g_key_path, true, g_key, found);
    if (!found) {
      if (!err.empty()) spdlog::error("notifications: {}; channel secrets sealed now will not open after a restart", err);
      randombytes_buf(g_key.data(), g_key.size());
    }
    g_key_set = true;
  }
  return g_key;
}

std::string b64(const unsigned char* p, size_t n) {
  std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), p, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string url_encode(const std::string& s) {
  static const char* hx = "0123456789ABCDEF";
  std::string o;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      o += char(c);
    } else {
      o += '%';
      o += hx[c >> 4];
      o += hx[c & 15];
    }
  }
  return o;
}

std::array<unsigned char, crypto_auth_hmacsha256_BYTES> hmac(const std::string& k, const std::string& msg) {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(k.data()), k.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
  crypto_auth_hmacsha256_final(&st, mac.data());
  return mac;
}

struct Reply {
  long status = 0;
  std::string body, error;
  int64_t retry_after = 0;
};

size_t on_body(char* p, size_t size, size_t n, void* ud) {
  auto* r = static_cast<Reply*>(ud);
  size_t len = size * n;
  if (r->body.size() < 65536) r->body.append(p, std::min(len, 65536 - r->body.size()));  // bounded
  return len;
}
size_t on_header(char* p, size_t size, size_t n, void* ud) {
  auto* r = static_cast<Reply*>(ud);
  std::string h(p, size * n);
  if (h.size() > 12 && strncasecmp(h.c_str(), "retry-after:", 12) == 0) {
    try {
      r->retry_after = std::stoll(h.substr(12));
    } catch (...) {
    }
  }
  return size * n;
}

Reply post(const std::string& url, const std::string& body, const std::vector<std::string>& headers, int64_t timeout_ms) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  Reply r;
  CURL* c = curl_easy_init();
  if (!c) {
    r.error = "cannot start an HTTP client";
    return r;
  }
  curl_slist* hs = nullptr;
  hs = curl_slist_append(hs, "Content-Type: application/json; charset=utf-8");
  hs = curl_slist_append(hs, "User-Agent: Tiejun-Notify/1");
  for (auto& h : headers) hs = curl_slist_append(hs, h.c_str());
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(timeout_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, long(std::min<int64_t>(timeout_ms, 5000)));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, long(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) r.error = std::string("request failed: ") + curl_easy_strerror(rc);  // never the URL
  else curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(hs);
  curl_easy_cleanup(c);
  return r;
}

std::string absolute(const WorkerOptions& o, const std::string& link) {
  std::string base = o.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + (link.empty() ? "/" : link);
}

// The request of one delivery to one channel: URL, body, headers.
struct Request {
  std::string url, body;
  std::vector<std::string> headers;
};
Request build(const ChannelRow& ch, const std::string& secret, const json& p, const WorkerOptions& o, int64_t now_ms) {
  Request rq;
  std::string title = p.value("title", ""), text = utf8::cut_bytes(p.value("text", ""), 3000);
  std::string link = absolute(o, p.value("link", ""));
  // channels are read in Chinese (the payload's title and text are zh-CN: notify::emit)
  std::string view = "[" + tr("notify.view_in_tiejun", true) + "](" + link + ")";
  if (ch.kind == "dingtalk") {
    rq.url = ch.url;
    if (!secret.empty())
      rq.url += std::string(ch.url.find('?') == std::string::npos ? "?" : "&") + "timestamp=" + std::to_string(now_ms) +
                "&sign=" + dingtalk_sign(now_ms, secret);
    rq.body = json{{"msgtype", "markdown"},
                   {"markdown", {{"title", title}, {"text", "#### " + title + "\n\n" + text + "\n\n" + view}}}}
                  .dump();
  } else if (ch.kind == "wecom") {
    rq.url = ch.url;
    rq.body =
        json{{"msgtype", "markdown"}, {"markdown", {{"content", "**" + title + "**\n" + text + "\n" + view}}}}.dump();
  } else {
    rq.url = ch.url;
    json b = {{"id", p.value("id", "")},
              {"event", p.value("event", "")},
              {"kind", p.value("kind", "")},
              {"title", title},
              {"text", text},
              {"link", link},
              {"created_at", format_iso8601_utc(p.value("created_at", int64_t(0)))}};
    rq.body = b.dump();
    rq.headers.push_back("X-Tiejun-Event: " + p.value("event", std::string()));
    rq.headers.push_back("X-Tiejun-Delivery: " + p.value("id", std::string()));
    if (!secret.empty()) rq.headers.push_back("X-Tiejun-Signature: " + hmac_hex(secret, rq.body));
  }
  return rq;
}

// "" when the receiver took it; else why not.
std::string verdict(const ChannelRow& ch, const Reply& r) {
  if (!r.error.empty()) return r.error;
  if (r.status < 200 || r.status >= 300) return "HTTP " + std::to_string(r.status);
  if (ch.kind == "webhook") return "";
  // The robots answer 200 with {"errcode":0,...}; anything else is a refusal (bad sign, rate limit, ...).
  auto j = json::parse(r.body, nullptr, false);
  if (!j.is_object() || !j.contains("errcode")) return "";
  if (j["errcode"].is_number_integer() && j["errcode"].get<int64_t>() == 0) return "";
  return "robot refused: errcode " + j["errcode"].dump() + " " + utf8::cut_bytes(j.value("errmsg", std::string()), 200);
}

int64_t backoff_s(const WorkerOptions& o, int64_t attempts, int64_t retry_after) {
  double ms = double(o.backoff_base_ms) * std::pow(2.0, double(std::min<int64_t>(attempts - 1, 30)));
  ms = std::min(ms, double(o.backoff_max_ms));
  double jitter = 0.5 + double(randombytes_uniform(1000001)) / 1000000.0;  // 0.5 .. 1.5
  int64_t s = int64_t(std::ceil(ms * jitter / 1000.0));
  return std::max<int64_t>({s, 1, retry_after});
}

}  // namespace

namespace {
std::string g_key_path;

// Reads the key file, or creates it (random, mode 0600) when create is set and it is missing.
std::string read_key_file(const std::string& path, bool create, std::array<unsigned char, crypto_secretbox_KEYBYTES>& k,
                          bool& found) {
  found = false;
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::string hex((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) hex.pop_back();
    size_t n = 0;
    if (hex.size() != k.size() * 2 ||
        sodium_hex2bin(k.data(), k.size(), hex.data(), hex.size(), nullptr, &n, nullptr) != 0 || n != k.size())
      return "the key file " + path + " must hold 64 hex digits (a 32-byte key)";
    found = true;
    return "";
  }
  if (!create) return "";
  randombytes_buf(k.data(), k.size());
  std::string hex(k.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), k.data(), k.size());
  hex.resize(k.size() * 2);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return "cannot create the key file " + path;
  std::string line = hex + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == ssize_t(line.size());
  ok = (::fsync(fd) == 0) && ok;
  ::close(fd);
  if (!ok) return "cannot write the key file " + path;
  found = true;
  return "";
}
}  // namespace

std::string load_key_file(const std::string& path) {
  (void)sodium_init();
  std::array<unsigned char, crypto_secretbox_KEYBYTES> k{};
  bool found = false;
  auto err = read_key_file(path, false, k, found);
  if (!err.empty()) return err;
  std::lock_guard lk(g_key_mu);
  g_key_path = path;
  if (found) {
    g_key = k;
    g_key_set = true;
  }
  return "";
}

std::string seal(const std::string& secret) {
  auto& k = key();
  std::vector<unsigned char> buf(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + secret.size());
  randombytes_buf(buf.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(buf.data() + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(secret.data()),
                        secret.size(), buf.data(), k.data());
  return "sb1:" + b64(buf.data(), buf.size());
}

std::optional<std::string> unseal(const std::string& sealed) {
  if (sealed.rfind("sb1:", 0) != 0) return std::nullopt;
  auto& k = key();
  std::string b = sealed.substr(4);
  std::vector<unsigned char> buf(b.size());
  size_t n = 0;
  if (sodium_base642bin(buf.data(), buf.size(), b.data(), b.size(), nullptr, &n, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  if (n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
  std::string out(n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()), buf.data() + crypto_secretbox_NONCEBYTES,
                                 n - crypto_secretbox_NONCEBYTES, buf.data(), k.data()) != 0)
    return std::nullopt;
  return out;
}

std::string dingtalk_sign(int64_t timestamp_ms, const std::string& secret) {
  auto mac = hmac(secret, std::to_string(timestamp_ms) + "\n" + secret);
  return url_encode(b64(mac.data(), mac.size()));
}

std::string hmac_hex(const std::string& secret, const std::string& body) {
  auto mac = hmac(secret, body);
  std::string hex(mac.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  hex.resize(mac.size() * 2);
  return hex;
}

namespace {

struct ChannelQueue {
  Id org = 0, channel = 0;
  std::optional<ChannelRow> ch;
  std::vector<DeliveryRow> rows;  // due, oldest first
};

void hold_channel(App& app, Id org, Id channel, Instant until) {
  (void)app.store().write([&](Tx& tx) -> Status {
    NotifyTx(tx.conn()).postpone_channel(org, channel, until);
    return ok_status();
  });
}

// One channel's due rows, in order, until the first that cannot go now. Rows the receiver
// accepted are marked sent in one write per 32 (a crash in between sends them again: at least
// once, each with its event id).
int deliver_channel(App& app, const WorkerOptions& o, const ChannelQueue& q) {
  int attempted = 0;
  const auto& ch = q.ch;
  struct Sent {
    const DeliveryRow* d;
    int64_t attempts;
    Instant at;
  };
  std::vector<Sent> sent_rows;
  auto flush = [&] {
    if (sent_rows.empty()) return;
    auto ws = app.store().write([&](Tx& tx) -> Status {
      NotifyTx nt(tx.conn());
      for (auto& s : sent_rows) nt.mark_sent(s.d->org_id, s.d->id, s.attempts, s.at);
      return ok_status();
    });
    if (!ws.ok()) spdlog::warn("deliveries: {}", ws.error().message);
    sent_rows.clear();
  };
  struct Flush {
    decltype(flush)& f;
    ~Flush() { f(); }
  } at_end{flush};
  for (auto& d : q.rows) {
    Instant t = app.clock().now();
    if (!ch) {
      (void)app.store().write([&](Tx& tx) -> Status {
        NotifyTx(tx.conn()).mark_failed(d.org_id, d.id, d.attempts, t, true, "channel deleted");
        return ok_status();
      });
      continue;
    }
    if (!ch->active) {  // paused: looked at again in a minute, no attempt counted
      hold_channel(app, q.org, q.channel, t + 60);
      return attempted;
    }
    if (ch->kind != "webhook" && o.robot_per_minute > 0) {
      flush();  // the minute is counted from the rows marked sent
      int64_t sent = 0;
      std::optional<Instant> oldest;
      (void)app.store().read([&](Tx& tx) -> Status {
        NotifyTx nt(tx.conn());
        sent = nt.sent_since(ch->id, t - 59);
        oldest = sent >= o.robot_per_minute ? nt.oldest_sent_since(ch->id, t - 59) : std::nullopt;
        return ok_status();
      });
      if (sent >= o.robot_per_minute) {  // the robot's minute is full: its queue waits, no attempt counted
        Instant next = oldest ? *oldest + 60 : t + 60;
        hold_channel(app, q.org, q.channel, std::max(next, t + 1));
        return attempted;
      }
    }
    auto p = json::parse(d.payload, nullptr, false);
    if (!p.is_object()) p = json::object();
    std::string secret;
    if (!ch->secret.empty()) {
      auto s = unseal(ch->secret);
      if (!s) {
        (void)app.store().write([&](Tx& tx) -> Status {
          NotifyTx(tx.conn()).mark_failed(d.org_id, d.id, d.attempts, t + 3600, false,
                                          "the channel's secret cannot be opened with this server's key");
          return ok_status();
        });
        hold_channel(app, q.org, q.channel, t + 3600);
        return attempted;
      }
      secret = *s;
    }
    int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    Request rq = build(*ch, secret, p, o, now_ms);
    Reply r = post(rq.url, rq.body, rq.headers, o.timeout_ms);
    attempted++;
    std::string why = verdict(*ch, r);
    Instant done = app.clock().now();
    int64_t attempts = d.attempts + 1;
    int64_t next = done + backoff_s(o, attempts, r.retry_after);
    if (why.empty()) {
      sent_rows.push_back({&d, attempts, done});
      if (sent_rows.size() >= 32) flush();
      continue;
    }
    flush();
    auto ws = app.store().write([&](Tx& tx) -> Status {
      NotifyTx nt(tx.conn());
      bool dead = next - d.window_start > o.give_up_after;
      nt.mark_failed(d.org_id, d.id, attempts, next, dead, why);
      // The receiver is failing: the rest of its queue waits for this row's next try.
      if (!dead) nt.postpone_channel(q.org, q.channel, next);
      return ok_status();
    });
    if (!ws.ok()) spdlog::warn("deliveries: {}", ws.error().message);
    else spdlog::info("delivery {} to channel {} failed (attempt {}): {}", d.id, d.channel_id, attempts, why);
    return attempted;
  }
  return attempted;
}

}  // namespace

int deliver_due(App& app, const WorkerOptions& o) {
  Instant now = app.clock().now();
  std::vector<ChannelQueue> queues;
  auto st = app.store().read([&](Tx& tx) -> Status {
    NotifyTx nt(tx.conn());
    std::map<std::pair<Id, Id>, size_t> at;
    for (auto& d : nt.due_deliveries(now, o.batch)) {
      auto key = std::pair{d.org_id, d.channel_id};
      auto it = at.find(key);
      if (it == at.end()) {
        it = at.emplace(key, queues.size()).first;
        queues.push_back({d.org_id, d.channel_id, nt.get_channel(d.org_id, d.channel_id), {}});
      }
      queues[it->second].rows.push_back(std::move(d));
    }
    return ok_status();
  });
  if (!st.ok()) {
    spdlog::warn("deliveries: {}", st.error().message);
    return 0;
  }
  if (queues.empty()) return 0;
  std::atomic<size_t> next{0};
  std::atomic<int> attempted{0};
  auto work = [&] {
    for (size_t i; (i = next++) < queues.size();) {
      try {
        attempted += deliver_channel(app, o, queues[i]);
      } catch (const std::exception& e) {
        spdlog::warn("deliveries: {}", e.what());
      }
    }
  };
  size_t n = std::min(queues.size(), size_t(std::max(1, o.parallel)));
  std::vector<std::thread> pool;
  for (size_t k = 1; k < n; k++) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return attempted;
}

void run_worker(App& app, const WorkerOptions& o, const std::atomic<bool>& stop) {
  while (!stop) {
    int n = 0;
    try {
      n = deliver_due(app, o);
    } catch (const std::exception& e) {
      spdlog::warn("deliveries: {}", e.what());
    }
    if (n > 0) continue;
    for (int64_t waited = 0; waited < o.poll_ms && !stop; waited += 100)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace tj::notify
