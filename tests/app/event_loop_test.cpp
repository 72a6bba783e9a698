// The API's short reads on the server's event loop (issue 16 point 7), through the whole
// handler (http::make_handler) with a fake clock:
//   - GET /api/v1/companies/{id} is an inline route (http::is_inline), lists and writes are not;
//   - run under deadline::EventLoop it answers as on a worker while the session needs nothing
//     written;
//   - once the session's touch is due (a minute after it was last seen) the store refuses the
//     write there and the handler answers status 0, which sends the request to a worker; the
//     worker's run touches the session, and the next read is answered on the loop again.
#include "common/deadline.h"
#include "fixture.h"
#include "http/api.h"

using namespace tj;
using namespace tj::testing;

namespace {

constexpr const char* kPw = "Correct-horse-1";

class EventLoopReads : public OrgFixture {
 protected:
  void SetUp() override {
    OrgFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    static const std::string hash = App::hash_password(kPw);
    ASSERT_TRUE(store->write([&](Tx& tx) -> Status {
      tx.conn().exec("UPDATE users SET password_hash = ? WHERE org_id = ?", {hash, org});
      return ok_status();
    }).ok());
  }
  std::string login(Id user) {
    std::string n;
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      n = tx.get_user(org, user)->username;
      return ok_status();
    }).ok());
    auto r = app->login(json{{"username", n}, {"password", kPw}}, "127.0.0.1");
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value().cookie : "";
  }
  static http::Request get(const std::string& path, const std::string& cookie) {
    http::Request r;
    r.method = "GET";
    r.path = path;
    r.target = path;
    r.remote_addr = "127.0.0.1";
    r.headers = {{"cookie", std::string("tj_session=") + cookie}, {"host", "127.0.0.1"}};
    return r;
  }
};
TJ_ON_EACH_BACKEND(EventLoopReads);

TEST_P(EventLoopReads, ASessionTouchDueSendsTheReadToAWorker) {
  Id c = company(rep1, "杭州云帆科技有限公司");
  std::string cookie = login(rep1);
  auto handler = http::make_handler(*app, {});
  const auto req = get("/api/v1/companies/" + std::to_string(c), cookie);
  EXPECT_TRUE(http::is_inline(req));
  EXPECT_FALSE(http::is_inline(get("/api/v1/companies", cookie)));
  http::Request post = get("/api/v1/companies/" + std::to_string(c), cookie);
  post.method = "PATCH";
  EXPECT_FALSE(http::is_inline(post));

  auto on_loop = [&] {
    deadline::EventLoop loop;
    return handler(req);
  };
  http::Response r = on_loop();
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("杭州云帆"), std::string::npos);

  clock.t += 61;  // the session's touch is due: a write
  r = on_loop();
  EXPECT_EQ(r.status, 0) << "a write on the event loop: the request goes to a worker. " << r.body;
  EXPECT_TRUE(r.body.empty());

  r = handler(req);  // the worker's run
  EXPECT_EQ(r.status, 200) << r.body;
  r = on_loop();  // touched: on the loop again
  EXPECT_EQ(r.status, 200) << r.body;

  // A session that expired while idle is refused on the loop too (401), nothing is written.
  clock.t += 24 * 3600 * 31;
  r = on_loop();
  EXPECT_TRUE(r.status == 401 || r.status == 0) << r.status;
  if (r.status == 0) EXPECT_EQ(handler(req).status, 401);
}

}  // namespace
