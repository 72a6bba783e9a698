#include <spdlog/spdlog.h>

#include <iostream>

#include "app/app.h"
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
  auto st = open_store(a.db, a.workers);
  if (!st.ok()) {
    std::cerr << "tiejun: " << st.error().message << "\n";
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
  http::Server server(so, http::make_handler(app, {a.web_dir, a.secure_cookies}));
  uint16_t port;
  try {
    port = server.start();
  } catch (const std::exception& e) {
    std::cerr << "tiejun: cannot listen on " << a.listen << ": " << e.what() << "\n";
    return 1;
  }
  std::cout << "Tiejun serving " << store->describe() << " at http://" << so.host << ":" << port << "/" << std::endl;
  server.wait();
  spdlog::info("stopped");
  return 0;
}

}  // namespace tj::cli
