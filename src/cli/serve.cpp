#include <spdlog/spdlog.h>

#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>
#include <thread>

#include "app/app.h"
#include "common/redact.h"
#include "cli/commands.h"
#include "http/api.h"

namespace tj::cli {

std::string db_url(const std::string& s) { return s; }

bool split_listen(const std::string& listen, std::string& host, uint16_t& port) {
  auto c = listen.rfind(':');
  if (c == std::string::npos) return false;
  host = listen.substr(0, c);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  try {
    int p = std::stoi(listen.substr(c + 1));
    if (p < 0 || p > 65535) return false;
    port = uint16_t(p);
  } catch (...) {
    return false;
  }
  return !host.empty();
}

int serve(const ServeArgs& a) {
  // A full disk or a file-size limit must fail the write (503), not kill the server.
  std::signal(SIGXFSZ, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);
  // The HTTP server runs handlers on a.workers + kWriteReserve threads (a read
  // lane of a.workers and threads kept for writes, see http/server.h); each
  // may hold a read transaction at once (authentication is a read), so the
  // store gets that many reader connections and no handler waits for one.
  constexpr int kWriteReserve = 2;
  auto st = open_store(a.db, a.workers + kWriteReserve, a.db_replicas);
  if (!st.ok()) {
    std::cerr << "tiejun: " << redact_secrets(st.error().message) << "\n";
    return 1;
  }
  auto store = std::move(st.value());
  auto m = store->migrate();
  if (!m.ok()) {
    std::cerr << "tiejun: " << m.error().message << "\n";
    return 1;
  }
  SystemClock clock;
  App app(*store, clock);
  http::ServerOptions so;
  if (!split_listen(a.listen, so.host, so.port)) {
    std::cerr << "tiejun: --listen must be HOST:PORT\n";
    return 2;
  }
  so.io_threads = a.io_threads;
  so.worker_threads = a.workers;
  so.write_reserve = kWriteReserve;
  so.max_conns_per_ip = a.max_conns_per_ip;
  so.header_timeout_s = a.header_timeout_s;
  so.slow_lane = http::hashes_password;
  so.upload_auth = http::make_upload_auth(app);
  app.set_login_limits(a.login_failures_per_ip);
  http::Server server(so, http::make_handler(app, {a.web_dir, a.secure_cookies}));
  uint16_t port;
  try {
    port = server.start();
  } catch (const std::exception& e) {
    std::cerr << "tiejun: cannot listen on " << a.listen << ": " << e.what() << "\n";
    return 1;
  }
  // The daily jobs (public-pool release) run inside the server: checked every
  // ten minutes, done once a day per organisation.
  std::mutex jm;
  std::condition_variable jcv;
  bool stopping = false;
  std::thread jobs([&] {
    std::unique_lock lk(jm);
    while (!stopping) {
      lk.unlock();
      auto r = app.run_jobs(false);
      if (!r.ok()) spdlog::warn("daily jobs: {}", r.error().message);
      lk.lock();
      jcv.wait_for(lk, std::chrono::minutes(10), [&] { return stopping; });
    }
  });
  std::cout << "Tiejun serving " << store->describe() << " at http://" << so.host << ":" << port << "/" << std::endl;
  server.wait();
  {
    std::lock_guard lk(jm);
    stopping = true;
  }
  jcv.notify_all();
  jobs.join();
  spdlog::info("stopped");
  return 0;
}

}  // namespace tj::cli
