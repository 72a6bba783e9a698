// init, migrate and backup.
#include <fstream>
#include <iostream>
#include <optional>

#include "app/app.h"
#include "cli/commands.h"

namespace tj::cli {

std::unique_ptr<Store> open_migrated(const std::string& db) {
  auto st = open_store(db, 1);
  if (!st.ok()) {
    std::cerr << "tiejun: " << st.error().message << "\n";
    return nullptr;
  }
  auto m = st.value()->migrate();
  if (!m.ok()) {
    std::cerr << "tiejun: " << m.error().message << "\n";
    return nullptr;
  }
  return std::move(st.value());
}

int print_answer(const Result<nlohmann::json>& r) {
  if (!r.ok()) {
    std::cerr << "tiejun: " << r.error().message << "\n";
    return 1;
  }
  std::cout << r.value().dump(2) << "\n";
  return 0;
}

int init(const std::string& db, const std::string& org, const std::string& admin, const std::string& password_file) {
  std::ifstream f(password_file);
  if (!f) {
    std::cerr << "tiejun: cannot read " << password_file << "\n";
    return 2;
  }
  std::string pw;
  std::getline(f, pw);
  while (!pw.empty() && (pw.back() == '\r' || pw.back() == '\n')) pw.pop_back();
  auto store = open_migrated(db);
  if (!store) return 1;
  SystemClock clock;
  App app(*store, clock);
  auto r = app.init_org(org, admin, pw);
  if (!r.ok()) {
    std::cerr << "tiejun: " << r.error().message << "\n";
    return 1;
  }
  std::cout << "organisation " << r.value() << " \"" << org << "\" created with admin " << admin << "\n";
  return 0;
}

int migrate(const std::string& db) {
  auto st = open_store(db, 1);
  if (!st.ok()) {
    std::cerr << "tiejun: " << st.error().message << "\n";
    return 1;
  }
  auto m = st.value()->migrate();
  if (!m.ok()) {
    std::cerr << "tiejun: " << m.error().message << "\n";
    return 1;
  }
  auto v = st.value()->schema_version();
  std::cout << m.value() << " migration(s) applied; schema version " << (v.ok() ? v.value() : -1) << "\n";
  return 0;
}

int backup(const std::string& db, const std::string& out) {
  auto store = open_migrated(db);
  if (!store) return 1;
  auto s = store->backup(out);
  if (!s.ok()) {
    std::cerr << "tiejun: " << s.error().message << "\n";
    return 1;
  }
  std::cout << "backup written to " << out << "\n";
  return 0;
}

namespace {
// The clock of `jobs run --at`: always the instant given.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Instant t) : t_(t) {}
  Instant now() const override { return t_; }

 private:
  Instant t_;
};
}  // namespace

int jobs_run(const std::string& db, bool force, const std::string& at) {
  SystemClock system;
  std::optional<FixedClock> fixed;
  if (!at.empty()) {
    auto t = parse_iso8601(at);
    if (!t) {
      std::cerr << "tiejun: --at must be ISO 8601, e.g. 2026-12-07T02:00:00+08:00\n";
      return 2;
    }
    fixed.emplace(*t);
  }
  auto store = open_migrated(db);
  if (!store) return 1;
  App app(*store, fixed ? static_cast<const Clock&>(*fixed) : system);
  return print_answer(app.run_jobs(force));
}

}  // namespace tj::cli
