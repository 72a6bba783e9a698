// Short reads on the server's event loop (http::ServerOptions::inline_lane, issue 16 point 7):
//   - a request inline_lane picks is answered on an I/O thread, with its deadline installed
//     and deadline::on_event_loop() true, and is counted by Server::inline_answered();
//   - a handler that answers status 0 there (a store refused a write: needs_worker) has the
//     request run again on a worker, whose answer is the one the client gets;
//   - so does one that outlasts the loop's budget (inline_budget_ms: its deadline there);
//   - a request inline_lane does not pick runs on a worker, as before;
//   - the stores refuse a write transaction on the event loop (and run nothing of it).
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "common/deadline.h"
#include "http/server.h"
#include "store/store.h"
#include "../store/pg_test_db.h"

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = boost::asio::ip::tcp;

struct Answer {
  int status = 0;
  std::string body;
};

Answer fetch(uint16_t port, const std::string& target) {
  boost::asio::io_context ioc;
  tcp::socket sock(ioc);
  sock.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  bhttp::request<bhttp::string_body> req{bhttp::verb::get, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.keep_alive(false);
  bhttp::write(sock, req);
  beast::flat_buffer buf;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(sock, buf, res);
  return {int(res.result_int()), res.body()};
}

TEST(InlineLane, AShortReadIsAnsweredOnTheEventLoopAndAWriteItNeedsGoesToAWorker) {
  tj::http::ServerOptions so;
  so.port = 0;
  so.io_threads = 1;
  so.worker_threads = 2;
  so.inline_lane = [](const tj::http::Request& r) { return r.path != "/worker-only"; };
  std::thread::id io_thread;
  tj::http::Server srv(so, [&](const tj::http::Request& r) {
    tj::http::Response res;
    const bool loop = tj::deadline::on_event_loop();
    if (loop) io_thread = std::this_thread::get_id();
    if (loop && !tj::deadline::current()) res.body = "no deadline on the loop";
    else if (r.path == "/needs-worker" && loop) res.status = 0;  // as a refused write answers
    else if (r.path == "/slow" && loop) {
      // as a read that outlasts the loop's budget: interrupted, its answer is thrown away
      while (!tj::deadline::current()->expired()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      res.status = 503;
    }
    else res.body = loop ? "loop" : "worker";
    res.content_type = "text/plain";
    return res;
  });
  uint16_t port = srv.start();
  std::thread waiter([&] { srv.wait(); });

  EXPECT_EQ(fetch(port, "/read").body, "loop");
  EXPECT_EQ(srv.inline_answered(), 1u);
  Answer w = fetch(port, "/needs-worker");
  EXPECT_EQ(w.status, 200);
  EXPECT_EQ(w.body, "worker") << "status 0 on the loop: the request runs again on a worker";
  EXPECT_EQ(srv.inline_answered(), 1u) << "the request handed to a worker is not counted as answered on the loop";
  EXPECT_EQ(fetch(port, "/worker-only").body, "worker");
  Answer slow = fetch(port, "/slow");
  EXPECT_EQ(slow.status, 200);
  EXPECT_EQ(slow.body, "worker") << "past the loop's budget (inline_budget_ms): run again on a worker";
  EXPECT_EQ(srv.inline_answered(), 1u);
  EXPECT_EQ(fetch(port, "/read").body, "loop");
  EXPECT_EQ(srv.inline_answered(), 2u);
  EXPECT_NE(io_thread, std::this_thread::get_id());

  srv.stop();
  waiter.join();
}

class EventLoopStore : public ::testing::TestWithParam<std::string> {};

TEST_P(EventLoopStore, RefusesAWriteOnTheEventLoopAndRunsNothingOfIt) {
  std::string url = tj::testing::fresh_test_db(GetParam(), "tj_loop");
  if (url.empty()) GTEST_SKIP() << "TIEJUN_TEST_PG is not set (scripts/pg.sh start)";
  auto s = tj::open_store(url, 2);
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto& store = *s.value();
  ASSERT_TRUE(store.migrate().ok());
  bool ran = false;
  {
    tj::deadline::EventLoop on_loop;
    tj::Status st = store.write([&](tj::Tx&) -> tj::Status {
      ran = true;
      return tj::ok_status();
    });
    ASSERT_FALSE(st.ok());
    EXPECT_TRUE(tj::deadline::is_needs_worker(st.error())) << st.error().code;
    EXPECT_FALSE(ran);
    // A read is allowed there.
    EXPECT_TRUE(store.read([&](tj::Tx&) -> tj::Status { return tj::ok_status(); }).ok());
  }
  EXPECT_FALSE(tj::deadline::on_event_loop());
  EXPECT_TRUE(store.write([&](tj::Tx&) -> tj::Status {
    ran = true;
    return tj::ok_status();
  }).ok());
  EXPECT_TRUE(ran);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventLoopStore, ::testing::ValuesIn(tj::testing::all_backends()),
                         [](const auto& i) { return i.param; });

}  // namespace
