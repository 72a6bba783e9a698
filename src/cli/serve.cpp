#include <malloc.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <cstdlib>
#include <string_view>
#include <csignal>
#include <iostream>
#include <mutex>
#include <thread>

#include "app/app.h"
#include "app/delivery.h"
#include "common/log.h"
#include "common/redact.h"
#include "store/stats.h"
#include "cli/commands.h"
#include "cli/serve_ops.h"
#include "http/api.h"
#include "http/metrics.h"

namespace tj::cli {

ServeOps& serve_ops() {
  static ServeOps o;
  return o;
}

void tune_allocator() {
  const char* env = std::getenv("TIEJUN_MALLOC");
  if (env && std::string_view(env) == "default") return;
  // perf showed 27% of talent_org in kernel page faults and 19% in _int_malloc: glibc handed
  // the memory of each big view back to the kernel (trim above 128 KiB free at the top,
  // mmap for blocks above a threshold that adapts) and faulted it in again on the next call.
  // Blocks up to 32 MiB come from the heap, and up to 256 MiB of free heap top is kept,
  // with 16 MiB of padding per extension: a view's memory is reused by the next one.
  // Measured in docs/performance.md ("Allocator").
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
}

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
  const ServeOps& ops = serve_ops();
  // A full disk or a file-size limit must fail the write (503), not kill the server.
  std::signal(SIGXFSZ, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);
  // The HTTP server runs handlers on a.workers + kWriteReserve threads (a read
  // lane of a.workers and threads kept for writes, see http/server.h); each
  // may hold a read transaction at once (authentication is a read), so the
  // store gets that many reader connections and no handler waits for one.
  logging::setup(ops.log_format == "json", ops.log_level, true);
  constexpr int kWriteReserve = 2;
  // ... and the expensive reads' lane has its own readers.
  auto st = open_store(a.db, a.workers + kWriteReserve + ops.heavy_workers, a.db_replicas);
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
  // Notifications: the key sealing channel secrets (beside a SQLite database by default).
  std::string key_file = a.secret_key_file;
  if (key_file.empty()) {
    std::string path = a.db.rfind("sqlite:", 0) == 0 ? a.db.substr(7) : a.db;
    bool sqlite = a.db.rfind("postgres", 0) != 0;
    key_file = sqlite && !path.empty() && path != ":memory:" ? path + ".key" : "tiejun-secret.key";
  }
  if (auto err = notify::load_key_file(key_file); !err.empty()) {
    std::cerr << "tiejun: " << err << "\n";
    return 1;
  }
  so.io_threads = a.io_threads;
  so.worker_threads = a.workers;
  so.write_reserve = kWriteReserve;
  so.max_conns_per_ip = a.max_conns_per_ip;
  so.header_timeout_s = a.header_timeout_s;
  so.slow_lane = http::hashes_password;
  so.heavy_lane = http::is_heavy;
  so.heavy_threads = ops.heavy_workers;
  so.heavy_queue = size_t(ops.heavy_queue);
  so.request_timeout_ms = int(ops.request_timeout_s * 1000);
  so.long_lane = http::is_long;
  so.long_timeout_ms = int(ops.long_request_timeout_s * 1000);
  so.upload_auth = http::make_upload_auth(app);
  app.set_login_limits(a.login_failures_per_ip);
  http::Server server(so, http::make_handler(app, {a.web_dir, a.secure_cookies}));
  // Gauges (SPEC §8): queue depths by lane, the database pool, the notification outbox.
  {
    auto& reg = http::Metrics::global();
    auto* srv = &server;
    for (const char* lane : {"read", "write", "heavy", "login"}) {
      std::string l = lane;
      reg.add_gauge("tiejun_http_queue_depth", "requests waiting for a worker thread, by lane",
                    "lane=\"" + l + "\"", [srv, l]() -> std::optional<double> {
                      auto q = srv->queue_depths();
                      return double(l == "read" ? q.read : l == "write" ? q.write : l == "heavy" ? q.heavy : q.login);
                    });
    }
    reg.add_gauge("tiejun_db_pool_in_use", "connections of the database pools (readers; PostgreSQL: all) in use", "",
                  []() -> std::optional<double> { return double(store_stats::readers_in_use.load()); });
    reg.add_gauge("tiejun_db_pool_size", "connections the database pools may hold (readers; PostgreSQL: all)", "",
                  []() -> std::optional<double> { return double(store_stats::readers_size.load()); });
    // The outbox counts cost a read: taken at most every 5 s, whoever scrapes.
    struct Outbox {
      std::mutex mu;
      std::chrono::steady_clock::time_point at{};
      std::optional<std::pair<int64_t, int64_t>> v;
    };
    auto ob = std::make_shared<Outbox>();
    Store* sp = store.get();
    auto outbox = [ob, sp](bool dead) -> std::optional<double> {
      std::lock_guard lk(ob->mu);
      auto now = std::chrono::steady_clock::now();
      if (!ob->v || now - ob->at > std::chrono::seconds(5)) {
        int64_t pending = 0, dead_n = 0;
        Status st = sp->read([&](Tx& tx) -> Status {
          // each through its partial index (deliveries_due; deliveries_dead, migration 0020)
          pending = tx.conn().scalar("SELECT COUNT(*) FROM deliveries WHERE status = 'pending'");
          dead_n = tx.conn().scalar("SELECT COUNT(*) FROM deliveries WHERE status = 'dead'");
          return ok_status();
        });
        ob->at = now;
        if (st.ok()) ob->v = std::make_pair(pending, dead_n);
        else ob->v.reset();
      }
      if (!ob->v) return std::nullopt;
      return double(dead ? ob->v->second : ob->v->first);
    };
    reg.add_gauge("tiejun_outbox_deliveries", "notification deliveries in the outbox, by status", "status=\"pending\"",
                  [outbox] { return outbox(false); });
    reg.add_gauge("tiejun_outbox_deliveries", "notification deliveries in the outbox, by status", "status=\"dead\"",
                  [outbox] { return outbox(true); });
  }
  uint16_t port;
  try {
    port = server.start();
  } catch (const std::exception& e) {
    std::cerr << "tiejun: cannot listen on " << a.listen << ": " << e.what() << "\n";
    return 1;
  }
  // GET /metrics for a Prometheus on the private network: its own small server and port.
  std::unique_ptr<http::Server> metrics_server;
  if (!a.metrics_listen.empty()) {
    http::ServerOptions mo;
    if (!split_listen(a.metrics_listen, mo.host, mo.port)) {
      std::cerr << "tiejun: --metrics-listen must be HOST:PORT\n";
      return 2;
    }
    mo.io_threads = 1;
    mo.worker_threads = 1;
    mo.write_reserve = 1;
    metrics_server = std::make_unique<http::Server>(mo, http::make_metrics_handler());
    try {
      uint16_t mp = metrics_server->start();
      std::cout << "Tiejun metrics at http://" << mo.host << ":" << mp << "/metrics" << std::endl;
    } catch (const std::exception& e) {
      std::cerr << "tiejun: cannot listen on " << a.metrics_listen << ": " << e.what() << "\n";
      return 1;
    }
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
      http::Metrics::global().job_run("daily", r.ok());
      if (!r.ok()) spdlog::warn("daily jobs: {}", r.error().message);
      lk.lock();
      jcv.wait_for(lk, std::chrono::minutes(10), [&] { return stopping; });
    }
  });
  // Notifications: the scheduled reminders (checked every 30 s, each once a day) and
  // the delivery worker sending the outbox.
  notify::WorkerOptions wo;
  wo.public_url = a.public_url.empty() ? "http://" + (so.host.find(':') != std::string::npos ? "[" + so.host + "]" : so.host) +
                                             ":" + std::to_string(port)
                                       : a.public_url;
  wo.give_up_after = a.delivery_give_up_s;
  wo.backoff_base_ms = a.delivery_backoff_ms;
  wo.timeout_ms = a.delivery_timeout_ms;
  wo.robot_per_minute = a.robot_per_minute;
  wo.parallel = a.delivery_parallel;
  std::atomic<bool> stop_notify{false};
  std::thread reminders([&] {
    while (!stop_notify) {
      try {
        auto r = app.run_reminders(clock.now());
        if (!r.ok()) spdlog::warn("reminders: {}", r.error().message);
      } catch (const std::exception& e) {
        spdlog::warn("reminders: {}", e.what());
      }
      for (int i = 0; i < 300 && !stop_notify; i++) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::thread worker([&] { notify::run_worker(app, wo, stop_notify); });
  std::cout << "Tiejun serving " << store->describe() << " at http://" << so.host << ":" << port << "/" << std::endl;
  server.wait();
  {
    std::lock_guard lk(jm);
    stopping = true;
  }
  jcv.notify_all();
  jobs.join();
  if (metrics_server) metrics_server->stop();
  stop_notify = true;
  reminders.join();
  worker.join();
  spdlog::info("stopped");
  return 0;
}

}  // namespace tj::cli
