// db::Conn over libpq. Parameters travel as text with declared types (int8,
// float8, or unknown for text and NULL so the server infers them from the
// context); results come back as text and are converted by column type OID.
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include "common/deadline.h"
#include "common/redact.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include "store/postgres/pg.h"

namespace tj::pg {

namespace {

// Type OIDs (server/catalog/pg_type_d.h, stable across versions).
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700, kFloat8 = 701,
              kNumeric = 1700;

void notice_to_log(void*, const char* message) {
  std::string m(message);
  while (!m.empty() && (m.back() == '\n' || m.back() == '\r')) m.pop_back();
  spdlog::debug("postgres: {}", redact_secrets(m));
}

std::string double_text(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

db::Value numeric_value(const char* s, size_t len) {
  std::string t(s, len);
  auto dot = t.find('.');
  bool integral = true;
  if (dot != std::string::npos)
    for (size_t i = dot + 1; i < t.size(); i++)
      if (t[i] != '0') {
        integral = false;
        break;
      }
  if (t.find_first_not_of("+-0123456789.") != std::string::npos) integral = false;  // NaN, Infinity
  if (integral) {
    errno = 0;
    std::string ip = t.substr(0, dot);
    char* end = nullptr;
    long long v = std::strtoll(ip.c_str(), &end, 10);
    if (errno == 0 && end && *end == '\0' && !ip.empty()) return int64_t(v);
  }
  return std::strtod(t.c_str(), nullptr);
}

bool ident_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
         (static_cast<unsigned char>(ch) & 0x80);
}

}  // namespace

db::DbError::Kind kind_of_sqlstate(const std::string& s) {
  if (s.size() != 5) return db::DbError::Other;
  if (s.compare(0, 2, "23") == 0) return db::DbError::Constraint;
  if (s == "40001" || s == "40P01" || s == "55P03") return db::DbError::Busy;
  if (s.compare(0, 2, "08") == 0 || s == "57P01" || s == "57P02" || s == "57P03" || s == "53300")
    return db::DbError::Busy;  // lost connection, shutdown, too many connections: retry later
  if (s.compare(0, 2, "53") == 0 || s == "25006" || s == "58030") return db::DbError::Full;
  return db::DbError::Other;
}

bool server_gone(const std::string& s) {
  if (s.size() != 5) return false;
  return s.compare(0, 2, "08") == 0 || s == "57P01" || s == "57P02" || s == "57P03" || s == "25006";
}

bool PgError::server_gone() const { return pg::server_gone(sqlstate); }

std::string with_database(const std::string& url, const std::string& dbname) {
  if (is_postgres_url(url)) {
    // postgresql://[userinfo@]host[:port][,host[:port]...][/dbname][?query]: the
    // authority never holds '/' or '?' (a Unix socket directory goes in the
    // query as host=/path, or percent-encoded), so the path starts at the first
    // of them. Percent-encode what a database name may hold beyond [A-Za-z0-9_.-].
    size_t auth = url.find("://") + 3;
    size_t path = url.find_first_of("/?#", auth);
    std::string base = url.substr(0, path == std::string::npos ? url.size() : path);
    std::string rest;
    if (path != std::string::npos) {
      size_t q = url.find_first_of("?#", path);
      if (q != std::string::npos) rest = url.substr(q);
    }
    std::string enc;
    static const char* hex = "0123456789ABCDEF";
    for (unsigned char ch : dbname) {
      if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
          ch == '-')
        enc += char(ch);
      else {
        enc += '%';
        enc += hex[ch >> 4];
        enc += hex[ch & 15];
      }
    }
    return base + "/" + enc + rest;
  }
  // key=value connection string: a later dbname= overrides an earlier one.
  std::string v = "'";
  for (char ch : dbname) {
    if (ch == '\\' || ch == '\'') v += '\\';
    v += ch;
  }
  v += "'";
  return url + (url.empty() ? "" : " ") + "dbname=" + v;
}

std::string translate_placeholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  size_t i = 0;
  const size_t len = sql.size();
  while (i < len) {
    char ch = sql[i];
    if (ch == '\'' || ch == '"') {  // string literal or quoted identifier ('' and "" double inside)
      size_t j = i + 1;
      while (j < len) {
        if (sql[j] == ch) {
          if (j + 1 < len && sql[j + 1] == ch) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      out.append(sql.substr(i, std::min(len, j + 1) - i));
      i = j + 1;
    } else if (ch == '-' && i + 1 < len && sql[i + 1] == '-') {
      size_t j = sql.find('\n', i);
      if (j == std::string_view::npos) j = len;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (ch == '/' && i + 1 < len && sql[i + 1] == '*') {
      size_t j = sql.find("*/", i + 2);
      j = (j == std::string_view::npos) ? len : j + 2;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (ch == '$' && (i == 0 || !ident_char(sql[i - 1]))) {
      // dollar quote: $$...$$ or $tag$...$tag$ (a tag never starts with a digit)
      size_t j = i + 1;
      if (j < len && !(sql[j] >= '0' && sql[j] <= '9')) {
        while (j < len && sql[j] != '$' && ident_char(sql[j])) j++;
        if (j < len && sql[j] == '$') {
          std::string_view tag = sql.substr(i, j - i + 1);
          size_t close = sql.find(tag, j + 1);
          close = (close == std::string_view::npos) ? len : close + tag.size();
          out.append(sql.substr(i, close - i));
          i = close;
          continue;
        }
      }
      out += ch;
      i++;
    } else if (ch == '?') {
      out += '$';
      out += std::to_string(++n);
      i++;
    } else {
      out += ch;
      i++;
    }
  }
  if (count) *count = n;
  return out;
}

std::string canonical(const db::Value& v) {
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return double_text(*p);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  return "\\N";
}

bool is_postgres_url(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

PgConn::PgConn(const std::string& url) : url_(url) { connect(); }

PgConn::~PgConn() {
  if (c_) PQfinish(c_);
}

namespace {
// Before each statement: a request past its deadline (or whose client hung up) runs nothing
// more (57014 query_canceled, as the server says for a statement_timeout: 503 timeout).
void check_deadline() {
  if (auto* d = deadline::current(); d && d->expired())
    throw PgError(db::DbError::Other, "the request's deadline passed", "57014");
}

// While a statement runs for a request, its client hanging up cancels it: PQcancel (safe from
// any thread) through the request's Deadline; unregistered (and freed) before the connection
// runs anything else.
class Cancellable {
 public:
  explicit Cancellable(PGconn* c) {
    auto* d = deadline::current();
    if (!d || !c) return;
    pc_ = PQgetCancel(c);
    if (!pc_) return;
    PGcancel* pc = pc_;
    d_ = d;
    d_->set_canceller([pc] {
      char err[256];
      PQcancel(pc, err, sizeof err);
    });
  }
  ~Cancellable() {
    if (d_) d_->clear_canceller();
    if (pc_) PQfreeCancel(pc_);
  }
  Cancellable(const Cancellable&) = delete;
  Cancellable& operator=(const Cancellable&) = delete;

 private:
  deadline::Deadline* d_ = nullptr;
  PGcancel* pc_ = nullptr;
};
}  // namespace

void PgConn::connect() {
  if (c_) PQfinish(c_);
  cache_.clear();
  // Defaults first, then the URL (expand_dbname): what the URL sets wins, and
  // a default is only given where neither the URL nor the environment has one.
  std::vector<const char*> keys, values;
  const std::string timeout = std::to_string(kDefaultConnectTimeout);
  if (!std::getenv("PGCONNECT_TIMEOUT")) keys.push_back("connect_timeout"), values.push_back(timeout.c_str());
  keys.push_back("keepalives_idle"), values.push_back("30");
  keys.push_back("keepalives_interval"), values.push_back("10");
  keys.push_back("keepalives_count"), values.push_back("3");
  // Statements are prepared once per connection and run many times. After five runs the server
  // may switch a statement to a generic plan, made without the parameters' values, and for the
  // views' IN lists of reps and ranges of days that plan is far worse: coaching at 1,008 reps took
  // 161 ms on its first runs and 515 ms from the sixth. Planning each run costs well under a
  // millisecond. (A URL's own options= replaces this.)
  keys.push_back("options"), values.push_back("-c plan_cache_mode=force_custom_plan");
  keys.push_back("dbname"), values.push_back(url_.c_str());
  keys.push_back(nullptr), values.push_back(nullptr);
  c_ = PQconnectdbParams(keys.data(), values.data(), 1);
  if (!c_) throw PgError(db::DbError::Busy, "out of memory connecting to PostgreSQL", "08001");
  if (PQstatus(c_) != CONNECTION_OK) {
    std::string m = PQerrorMessage(c_);
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    PQfinish(c_);
    c_ = nullptr;
    throw PgError(db::DbError::Busy, "cannot connect to PostgreSQL: " + m, "08001");
  }
  PQsetNoticeProcessor(c_, notice_to_log, nullptr);
  if (PQsetClientEncoding(c_, "UTF8") != 0)
    throw PgError(db::DbError::Other, "PostgreSQL: cannot set client encoding UTF8", "22021");
}

void PgConn::reconnect() { connect(); }

void PgConn::close() {
  if (c_) PQfinish(c_);
  c_ = nullptr;
  cache_.clear();
}

bool PgConn::broken() const { return !c_ || PQstatus(c_) != CONNECTION_OK; }

bool PgConn::healthy() const { return !broken() && PQtransactionStatus(c_) == PQTRANS_IDLE; }

std::string PgConn::describe() const {
  if (!c_) return "postgresql://";
  std::string host = PQhost(c_) ? PQhost(c_) : "";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  if (!host.empty() && host[0] == '/') host = "";  // Unix socket: leave it out
  std::string s = "postgresql://";
  if (PQuser(c_) && *PQuser(c_)) s += std::string(PQuser(c_)) + "@";
  s += host;
  if (PQport(c_) && *PQport(c_)) s += std::string(":") + PQport(c_);
  s += "/";
  if (PQdb(c_)) s += PQdb(c_);
  return s;
}

void PgConn::fail(PGresult* r, std::string_view sql) {
  std::string state, msg;
  if (r) {
    const char* st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    state = st ? st : "";
    msg = PQresultErrorMessage(r);
    PQclear(r);
  }
  if (msg.empty()) msg = c_ ? PQerrorMessage(c_) : "no connection";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  if (state.empty() && broken()) state = "08006";
  auto kind = kind_of_sqlstate(state);
  if (kind == db::DbError::Other) msg += " in: " + std::string(sql.substr(0, 300));
  throw PgError(kind, msg, state);
}

PGresult* PgConn::run(std::string_view sql, const std::vector<db::Value>& params) {
  if (broken()) throw PgError(db::DbError::Busy, "the PostgreSQL connection is lost", "08006");
  // The cache key includes the parameter types: a statement is prepared with them.
  std::string key(sql);
  key += '\x01';
  std::vector<Oid> types(params.size(), 0);
  for (size_t i = 0; i < params.size(); i++) {
    const auto& v = params[i];
    char t = 'n';
    if (std::holds_alternative<int64_t>(v)) t = 'i', types[i] = kInt8;
    else if (std::holds_alternative<double>(v)) t = 'd', types[i] = kFloat8;
    else if (std::holds_alternative<std::string>(v)) t = 's';
    key += t;
  }
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    int n = 0;
    std::string text = translate_placeholders(sql, &n);
    if (n != int(params.size()))
      throw PgError(db::DbError::Other, "parameter count mismatch in: " + std::string(sql), "");
    if (cache_.size() >= 512) {
      PGresult* d = PQexec(c_, "DEALLOCATE ALL");
      if (PQresultStatus(d) != PGRES_COMMAND_OK) fail(d, "DEALLOCATE ALL");
      PQclear(d);
      cache_.clear();
    }
    std::string name = "tj" + std::to_string(++next_stmt_);
    PGresult* r = PQprepare(c_, name.c_str(), text.c_str(), int(params.size()), types.data());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) fail(r, sql);
    PQclear(r);
    it = cache_.emplace(std::move(key), Prepared{name, n}).first;
  }
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (size_t i = 0; i < params.size(); i++) {
    const auto& v = params[i];
    if (auto p = std::get_if<int64_t>(&v)) texts[i] = std::to_string(*p);
    else if (auto p = std::get_if<double>(&v)) texts[i] = double_text(*p);
    else if (auto p = std::get_if<std::string>(&v)) {
      if (p->find('\0') != std::string::npos)
        throw PgError(db::DbError::Constraint, "text must not contain NUL characters", "22021");
      texts[i] = *p;
    } else continue;  // NULL
    values[i] = texts[i].c_str();
  }
  check_deadline();
  PGresult* r;
  {
    Cancellable guard(c_);
    r = PQexecPrepared(c_, it->second.name.c_str(), int(params.size()), values.data(), nullptr, nullptr, 0);
  }
  auto st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(r, sql);
  return r;
}

std::vector<db::Row> PgConn::query(std::string_view sql, const std::vector<db::Value>& params) {
  PGresult* r = run(sql, params);
  int nrows = PQntuples(r), ncols = PQnfields(r);
  std::vector<Oid> types(ncols);
  for (int j = 0; j < ncols; j++) types[j] = PQftype(r, j);
  std::vector<db::Row> rows(nrows);
  for (int i = 0; i < nrows; i++) {
    auto& cols = rows[i].cols;
    cols.reserve(ncols);
    for (int j = 0; j < ncols; j++) {
      if (PQgetisnull(r, i, j)) {
        cols.emplace_back(std::monostate{});
        continue;
      }
      const char* s = PQgetvalue(r, i, j);
      size_t n = size_t(PQgetlength(r, i, j));
      switch (types[j]) {
        case kBool: cols.emplace_back(int64_t(s[0] == 't' ? 1 : 0)); break;
        case kInt2:
        case kInt4:
        case kInt8:
        case kOid: cols.emplace_back(int64_t(std::strtoll(s, nullptr, 10))); break;
        case kFloat4:
        case kFloat8: cols.emplace_back(std::strtod(s, nullptr)); break;
        case kNumeric: cols.push_back(numeric_value(s, n)); break;
        default: cols.emplace_back(std::string(s, n));
      }
    }
  }
  PQclear(r);
  return rows;
}

int64_t PgConn::exec(std::string_view sql, const std::vector<db::Value>& params) {
  PGresult* r = run(sql, params);
  const char* n = PQcmdTuples(r);
  int64_t changed = (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
  PQclear(r);
  return changed;
}

void PgConn::exec_script(std::string_view sql) {
  if (broken()) throw PgError(db::DbError::Busy, "the PostgreSQL connection is lost", "08006");
  std::string s(sql);
  check_deadline();
  PGresult* r;
  {
    Cancellable guard(c_);
    r = PQexec(c_, s.c_str());
  }
  auto st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) fail(r, sql);
  PQclear(r);
}

void PgConn::append_copy_field(std::string& out, const db::Value& v) {
  if (std::holds_alternative<std::monostate>(v)) {
    out += "\\N";
    return;
  }
  if (!std::holds_alternative<std::string>(v)) {
    out += canonical(v);
    return;
  }
  for (char ch : std::get<std::string>(v)) {
    switch (ch) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += ch;
    }
  }
}

int64_t PgConn::copy_in(std::string_view copy_sql, const std::function<bool(std::string& buf)>& more) {
  if (broken()) throw PgError(db::DbError::Busy, "the PostgreSQL connection is lost", "08006");
  std::string s(copy_sql);
  PGresult* r = PQexec(c_, s.c_str());
  if (PQresultStatus(r) != PGRES_COPY_IN) fail(r, copy_sql);
  PQclear(r);
  std::string buf;
  bool again = true;
  try {
    while (again) {
      again = more(buf);
      if (buf.size() >= (1 << 16) || (!again && !buf.empty())) {
        if (PQputCopyData(c_, buf.data(), int(buf.size())) != 1)
          throw PgError(db::DbError::Busy, std::string("COPY failed: ") + PQerrorMessage(c_), "08006");
        buf.clear();
      }
    }
  } catch (...) {
    PQputCopyEnd(c_, "aborted by the client");
    while (PGresult* x = PQgetResult(c_)) PQclear(x);
    throw;
  }
  if (PQputCopyEnd(c_, nullptr) != 1)
    throw PgError(db::DbError::Busy, std::string("COPY failed: ") + PQerrorMessage(c_), "08006");
  int64_t rows = 0;
  PGresult* bad = nullptr;
  while (PGresult* x = PQgetResult(c_)) {
    if (PQresultStatus(x) == PGRES_COMMAND_OK) {
      const char* n = PQcmdTuples(x);
      rows = (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
      PQclear(x);
    } else if (!bad) {
      bad = x;
    } else {
      PQclear(x);
    }
  }
  if (bad) fail(bad, copy_sql);
  return rows;
}

}  // namespace tj::pg
