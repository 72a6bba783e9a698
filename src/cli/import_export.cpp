// tiejun import companies FILE and tiejun export KIND: the use cases of
// app/import_export.cpp run as the organisation's admin (or --as USERNAME),
// with a progress bar on stderr.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <iostream>
#include <sstream>

#include "app/app.h"
#include "cli/commands.h"

namespace tj::cli {

namespace {

// A progress bar on stderr when it is a terminal; otherwise one line per phase.
class Progress {
 public:
  Progress() : tty_(isatty(2) == 1), start_(std::chrono::steady_clock::now()) {}
  void operator()(const char* phase, int64_t done, int64_t total) {
    std::string p = phase;
    if (p != phase_) {
      auto now = std::chrono::steady_clock::now();
      if (!phase_.empty())
        times_ += (times_.empty() ? "" : ", ") + std::string(phase_name(phase_)) + " " +
                  fmt(std::chrono::duration<double>(now - phase_start_).count()) + "s";
      phase_start_ = now;
      if (tty_ && !phase_.empty() && last_pct_ >= 0) std::cerr << "\n";
      phase_ = p;
      last_pct_ = -1;
      if (p == "done") {
        std::cerr << "tiejun: " << times_ << "; " << fmt(std::chrono::duration<double>(now - start_).count())
                  << "s in all\n";
        return;
      }
      if (!tty_) std::cerr << "tiejun: " << phase_name(p) << "...\n";
    }
    if (!tty_ || total <= 0) return;
    int pct = int(done * 100 / total);
    if (pct == last_pct_) return;
    last_pct_ = pct;
    int filled = pct * 30 / 100;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(stderr, "\r%-8s [%s%s] %3d%%  %lld/%lld rows  %.1fs", phase_name(p), std::string(size_t(filled), '#').c_str(),
                 std::string(size_t(30 - filled), '.').c_str(), pct, (long long)done, (long long)total, secs);
    std::fflush(stderr);
  }
  void end() {
    if (tty_ && phase_ != "done" && last_pct_ >= 0) std::cerr << "\n";
  }

 private:
  static const char* phase_name(const std::string& p) {
    return p == "read" ? "reading" : p == "check" ? "checking" : p == "write" ? "writing" : p == "index" ? "indexing"
           : p == "commit" ? "committing" : p.c_str();
  }
  static std::string fmt(double s) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", s);
    return b;
  }
  std::string times_;
  std::chrono::steady_clock::time_point phase_start_;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  std::string phase_;
  int last_pct_ = -1;
};

void print_report(const json& r, std::ostream& out) {
  const json& f = r["file"];
  out << (f["name"].get<std::string>().empty() ? "file" : f["name"].get<std::string>()) << ": " << f["format"].get<std::string>();
  if (f["format"] == "csv")
    out << ", " << f["encoding"].get<std::string>() << ", delimiter "
        << (f["delimiter"] == "\t" ? std::string("TAB") : "\"" + f["delimiter"].get<std::string>() + "\"");
  else
    out << ", sheet \"" << f["sheet"].get<std::string>() << "\"";
  out << ", header on row " << f["header_row"] << ", " << r["rows"] << " data rows";
  if (r["blank_rows"].get<int64_t>() > 0) out << " (+" << r["blank_rows"] << " blank, skipped)";
  out << "\ncolumns:";
  for (auto& c : r["columns"]) {
    out << "\n  " << c["column"].get<std::string>() << " " << c["header"].get<std::string>() << " -> ";
    if (c["field"].is_null()) out << "(" << c.value("note", std::string("not imported")) << ")";
    else out << c["field"].get<std::string>() << (c.contains("unit") ? " [" + c["unit"].get<std::string>() + "]" : "");
  }
  out << "\n";
  for (auto& w : r["warnings"]) out << "warning: " << w.get<std::string>() << "\n";
  bool dry = r["dry_run"].get<bool>(), applied = r["applied"].get<bool>();
  if (dry) out << "dry run, nothing written: ";
  else if (!applied) out << "NOTHING IMPORTED (all or nothing, and rows were rejected): ";
  else out << "imported: ";
  out << r["created"] << " created, " << r["updated"] << " updated, " << r["unchanged"] << " unchanged, "
      << r["rejected"] << " rejected (rows: " << r["rows"] << ")\n";
  if (applied)
    out << "companies: " << r["companies_created"] << " created, " << r["companies_updated"] << " updated; contacts: "
        << r["contacts_created"] << " created, " << r["contacts_updated"] << " updated\n";
  if (!r["rejects"].empty()) {
    out << "rejected rows:\n";
    for (auto& x : r["rejects"]) {
      out << "  row " << x["row"] << ":";
      for (auto& why : x["reasons"]) out << " " << why.get<std::string>() << ";";
      out << "\n";
    }
    if (r["rejects_truncated"].get<bool>()) out << "  ... (the first " << r["rejects"].size() << " are listed)\n";
  }
}

}  // namespace

namespace {
// The user a command acts as (--as), reading in --lang; nullopt after printing why.
std::optional<Actor> acting_user(App& app, const std::string& as, const std::string& lang) {
  auto actor = app.cli_actor(as);
  if (!actor.ok()) {
    std::cerr << "tiejun: " << actor.error().message << "\n";
    return std::nullopt;
  }
  actor.value().zh = lang != "en";
  return std::move(actor.value());
}
}  // namespace

int import_file(const ImportArgs& a) {
  std::ifstream f(a.file, std::ios::binary);
  if (!f) {
    std::cerr << "tiejun: cannot read " << a.file << "\n";
    return 1;
  }
  f.seekg(0, std::ios::end);
  std::string bytes(size_t(f.tellg()), '\0');
  f.seekg(0);
  if (!f.read(bytes.data(), std::streamsize(bytes.size()))) {
    std::cerr << "tiejun: cannot read " << a.file << "\n";
    return 1;
  }
  auto store = open_migrated(a.db);
  if (!store) return 1;
  SystemClock clock;
  App app(*store, clock);
  auto actor = acting_user(app, a.as, a.lang);
  if (!actor) return 1;
  App::ImportOptions o;
  o.dry_run = a.dry_run;
  o.per_row = a.mode == "per_row";
  o.owner = a.owner;
  o.large = true;
  o.filename = a.file.substr(a.file.find_last_of('/') == std::string::npos ? 0 : a.file.find_last_of('/') + 1);
  auto m = App::parse_mapping(a.mapping);
  if (!m.ok()) {
    std::cerr << "tiejun: " << m.error().message << "\n";
    return 1;
  }
  o.mapping = m.value();
  Progress bar;
  o.progress = [&bar](const char* phase, int64_t done, int64_t total) { bar(phase, done, total); };
  auto r = app.import_companies(*actor, bytes, o);
  bar.end();
  if (!r.ok()) {
    std::cerr << "tiejun: " << r.error().message << "\n";
    return 1;
  }
  if (a.json) std::cout << r.value().dump(2) << "\n";
  else print_report(r.value(), std::cout);
  return r.value()["rejected"].get<int64_t>() > 0 ? 3 : 0;
}

int export_file(const ExportArgs& a) {
  auto store = open_migrated(a.db);
  if (!store) return 1;
  SystemClock clock;
  App app(*store, clock);
  auto actor = acting_user(app, a.as, a.lang);
  if (!actor) return 1;
  Query q{{"format", a.format}};
  auto put = [&](const char* k, const std::string& v) {
    if (!v.empty()) q[k] = v;
  };
  put("status", a.status);
  put("industry", a.industry);
  put("owner_id", a.owner_id);
  put("q", a.q);
  put("from", a.from);
  put("to", a.to);
  auto r = app.export_to_path(*actor, a.what, q, a.out);
  if (!r.ok()) {
    std::cerr << "tiejun: " << r.error().message << "\n";
    return 1;
  }
  std::cout << r.value()["rows"] << " " << a.what << " rows written to " << a.out << " (" << a.format << ")\n";
  return 0;
}

}  // namespace tj::cli
