// redact_secrets (src/common/redact.h): no password of a URL or connection
// string reaches a log line (issue 17 point 13).
#include "common/redact.h"

#include <gtest/gtest.h>

namespace tj {

TEST(Redact, UrlPasswordIsHidden) {
  auto s = redact_secrets("postgresql://tiejun:s3cr%40t@db.example:5432/tiejun?sslmode=require");
  EXPECT_EQ(s, "postgresql://tiejun:***@db.example:5432/tiejun?sslmode=require");
  EXPECT_EQ(s.find("s3cr"), std::string::npos);
}

TEST(Redact, UrlWithoutPasswordIsKept) {
  EXPECT_EQ(redact_secrets("postgresql://tiejun@replica:5433/db"), "postgresql://tiejun@replica:5433/db");
  EXPECT_EQ(redact_secrets("sqlite:/var/lib/tiejun.db"), "sqlite:/var/lib/tiejun.db");
}

TEST(Redact, QueryAndConninfoPasswordsAreHidden) {
  EXPECT_EQ(redact_secrets("postgresql:///db?user=u&password=hunter2&host=/tmp"),
            "postgresql:///db?user=u&password=***&host=/tmp");
  EXPECT_EQ(redact_secrets("host=db port=5432 password='a b\\'c' dbname=x"), "host=db port=5432 password='***' dbname=x");
  EXPECT_EQ(redact_secrets("host=db PASSWORD = hunter2 user=u"), "host=db PASSWORD = *** user=u");
  EXPECT_EQ(redact_secrets("url?access_token=abc&x=1"), "url?access_token=***&x=1");
}

TEST(Redact, WeComRobotKeyIsHidden) {  // issue 16: a WeCom robot's webhook names its secret key=
  EXPECT_EQ(redact_secrets("POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx failed"),
            "POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=*** failed");
  EXPECT_EQ(redact_secrets("monkey=1"), "monkey=1");  // a longer word ending in "key" is not the key
}

TEST(Redact, SecretInsideAMessageIsHidden) {
  auto s = redact_secrets("replica postgres://rep:topsecret@10.0.0.2/tj unavailable for 5 s: timeout");
  EXPECT_EQ(s, "replica postgres://rep:***@10.0.0.2/tj unavailable for 5 s: timeout");
  // A password holding '@' ends at the last '@' of the authority.
  EXPECT_EQ(redact_secrets("postgresql://u:p@ss@h/db"), "postgresql://u:***@h/db");
}

}  // namespace tj
