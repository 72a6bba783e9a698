// The HTTP server: Boost.Beast on a few I/O threads, handing each request to a
// bounded worker pool with a read lane and a write lane (handlers block on
// SQLite and argon2id). It knows nothing
// of Tiejun's API: it parses HTTP/1.1, enforces size limits, and calls one
// Handler. Over-limit bodies are answered 413 here; a full worker queue 503.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tj::http {

struct Request {
  std::string method;   // "GET", "POST", ...
  std::string target;   // raw target: path + optional "?query"
  std::string path;     // decoded path, no query
  std::string query;    // raw query string without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_addr;
  // First header with this lower-case name, or empty.
  std::string header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Set-Cookie may repeat)
  std::string body;
};

using Handler = std::function<Response(const Request&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;         // 0 = pick a free port
  int io_threads = 2;
  // Handlers run on worker_threads + write_reserve threads in two lanes: at most
  // worker_threads GET/HEAD requests run at once, so write_reserve threads are
  // always there for writes (POST/PUT/PATCH/DELETE), which are also taken first
  // from the queue: a long export cannot make a visit write wait (issue 7).
  int worker_threads = 4;
  int write_reserve = 2;
  size_t max_queue = 1024;      // pending requests beyond this get 503
  size_t max_body_bytes = 8 * 1024 * 1024;
  // POST /api/v1/imports carries a whole spreadsheet: a million-row CSV is ~90 MB.
  size_t max_upload_bytes = 128 * 1024 * 1024;
  int idle_timeout_s = 60;      // keep-alive connections idle longer are closed
};

class Server {
 public:
  Server(ServerOptions opts, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // Binds and starts the threads; returns the bound port. Throws std::runtime_error if it cannot bind.
  uint16_t start();
  // Blocks until stop() is called or SIGINT/SIGTERM arrives.
  void wait();
  void stop();

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace tj::http
