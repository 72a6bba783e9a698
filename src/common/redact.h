// Redaction of secrets before they reach a log line (issue 17 point 13).
// redact_secrets() takes any text that may hold a URL or a connection string
// (a libpq URI or key=value conninfo, an error message quoting one) and
// returns it with every password replaced by "***": the userinfo password of
// any "scheme://user:password@host" and the value of password=, passwd=,
// pwd=, secret=, token=, key= (a WeCom robot's webhook), sslpassword= and access_token= parameters (in a URL
// query or a conninfo string, quoted or not). Everything else is kept, so a
// log still names the host, port, database and user. Use it for every URL or
// connection string that is logged.
#pragma once
#include <string>
#include <string_view>

namespace tj {

std::string redact_secrets(std::string_view text);

}  // namespace tj
