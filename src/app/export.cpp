// Export of companies, contacts, visits and deals to CSV (UTF-8 with BOM, CRLF,
// formulas neutralised) or XLSX, through one Sink per format; the list filters
// are the company list's (company_filter, companies.cpp). Exports write one
// "export" audit entry (kind, format, filters, rows).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "app/internal.h"
#include "app/vocab.h"
#include "common/money.h"
#include "io/csv.h"
#include "io/text.h"
#include "io/xlsx.h"
#include "app/messages.h"

namespace tj {
using namespace detail;

namespace {

// ---------------------------------------------------------------- export

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void header(std::string_view s) = 0;
  virtual void text(std::string_view s) = 0;
  virtual void integer(int64_t v) = 0;
  virtual void money(int64_t fen) = 0;
  virtual void empty() = 0;
  virtual Status end_row() = 0;
  virtual Status close() = 0;
  void opt_int(const std::optional<int64_t>& v) { v ? integer(*v) : empty(); }
  void opt_money(const std::optional<int64_t>& v) { v ? money(*v) : empty(); }
};

class CsvSink final : public Sink {
 public:
  explicit CsvSink(const std::string& path) : f_(path, std::ios::binary | std::ios::trunc), w_(f_) {}
  bool ok() const { return bool(f_); }
  void header(std::string_view s) override { w_.text(s); }
  void text(std::string_view s) override { w_.text(s); }
  void integer(int64_t v) override { w_.number(v); }
  void money(int64_t fen) override { w_.number(money::fen_to_yuan(fen)); }
  void empty() override { w_.empty(); }
  Status end_row() override {
    w_.end_row();
    return f_ ? ok_status() : Error{Err::Unavailable, "export_failed", "cannot write the export file"};
  }
  Status close() override {
    f_.close();
    return f_ ? ok_status() : Error{Err::Unavailable, "export_failed", "cannot write the export file"};
  }

 private:
  std::ofstream f_;
  io::CsvWriter w_;
};

class XlsxSink final : public Sink {
 public:
  explicit XlsxSink(std::unique_ptr<io::XlsxWriter> w) : w_(std::move(w)) {}
  void header(std::string_view s) override { w_->header(s); }
  void text(std::string_view s) override { w_->text(s); }
  void integer(int64_t v) override { w_->integer(v); }
  void money(int64_t fen) override { w_->money_fen(fen); }
  void empty() override { w_->empty(); }
  Status end_row() override { return w_->end_row(); }
  Status close() override { return w_->close(); }
  io::XlsxWriter& writer() { return *w_; }

 private:
  std::unique_ptr<io::XlsxWriter> w_;
};

std::string local_time(const std::optional<Instant>& t, const std::shared_ptr<const TimeZone>& z) {
  if (!t) return "";
  Instant l = *t + (z ? z->offset_at(*t) : 0);
  int64_t day = l >= 0 ? l / 86400 : (l - 86399) / 86400;
  int64_t s = l - day * 86400;
  char buf[16];
  std::snprintf(buf, sizeof buf, " %02d:%02d", int(s / 3600), int(s / 60 % 60));
  return format_date(civil_from_days(day)) + buf;
}

// A column: its header is the message export_column.<key> (messages.cpp), in the caller's language.
struct ColumnDef {
  const char* key;
  double width;
};
const std::vector<ColumnDef>& export_columns(const std::string& kind) {
  static const std::vector<ColumnDef> companies = {{"id", 8},
                                                   {"name", 32},
                                                   {"industry", 10},
                                                   {"industry_rank", 8},
                                                   {"region", 10},
                                                   {"budget_capacity", 14},
                                                   {"source", 10},
                                                   {"competitor", 12},
                                                   {"owner", 12},
                                                   {"status", 8},
                                                   {"has_need", 6},
                                                   {"has_budget", 6},
                                                   {"payer_met", 8},
                                                   {"effective_at", 17},
                                                   {"signed_at", 17},
                                                   {"visit_count", 8},
                                                   {"last_visit_at", 17},
                                                   {"interest_reason", 20},
                                                   {"attraction", 20},
                                                   {"concerns", 20},
                                                   {"nurture_reason", 16},
                                                   {"revisit_on", 11},
                                                   {"drop_reason", 16},
                                                   {"created_at", 17},
                                                   {"competitor_contract_end", 11}};
  static const std::vector<ColumnDef> contacts = {{"company_id", 8},     {"company", 32},         {"contact_name", 12},
                                                  {"contact_title", 12}, {"contact_is_payer", 8}, {"contact_style", 12},
                                                  {"contact_phone", 16}};
  static const std::vector<ColumnDef> visits = {{"id", 8},          {"company_id", 8},     {"company", 32},
                                                {"at", 17},         {"day", 11},           {"kind", 8},
                                                {"visited_by", 12}, {"duration_min", 8},   {"met_payer", 8},
                                                {"has_need", 6},    {"has_budget", 6},     {"made_effective", 8},
                                                {"companion", 12},  {"coaching_stage", 8}, {"interest_reason", 20},
                                                {"attraction", 20}, {"concerns", 20},      {"notes", 30}};
  static const std::vector<ColumnDef> deals = {{"id", 8},         {"company_id", 8}, {"company", 32}, {"amount", 14},
                                               {"signed_on", 11}, {"signed_by", 12}, {"notes", 30}};
  if (kind == "companies") return companies;
  if (kind == "contacts") return contacts;
  if (kind == "visits") return visits;
  return deals;
}

}  // namespace

Result<json> App::export_to_path(const Actor& a, const std::string& kind, const Query& q, const std::string& path) {
  if (kind != "companies" && kind != "contacts" && kind != "visits" && kind != "deals") return not_found("export kind");
  TRY(q_only(q, {"format", "status", "industry", "owner_id", "q", "from", "to"}));
  std::string format = q.count("format") && !q.at("format").empty() ? q.at("format") : "csv";
  if (format != "csv" && format != "xlsx") return field_error("format", "must be csv or xlsx");
  TRY_ASSIGN(auto cq, company_filter(a, q));
  cq.sort = "name";
  cq.limit = 500;
  TRY_ASSIGN(auto from, q_date(q, "from"));
  TRY_ASSIGN(auto to, q_date(q, "to"));
  if ((from || to) && (kind == "companies" || kind == "contacts"))
    return field_error(from ? "from" : "to", "applies to visits and deals only");
  if (from && to && *to < *from) return field_error("to", "is before from");

  std::unique_ptr<Sink> sink;
  if (format == "csv") {
    auto s = std::make_unique<CsvSink>(path);
    if (!s->ok()) return Error{Err::Unavailable, "export_failed", "cannot write " + path};
    sink = std::move(s);
  } else {
    TRY_ASSIGN(auto w, io::XlsxWriter::create(path, kind));
    auto& cd = export_columns(kind);
    for (size_t i = 0; i < cd.size(); i++) w->column_width(int(i), cd[i].width);
    sink = std::make_unique<XlsxSink>(std::move(w));
  }
  bool zh = a.zh;
  for (auto& c : export_columns(kind)) sink->header(tr(std::string("export_column.") + c.key, zh));
  TRY(sink->end_row());
  auto yn = [&](bool b) { return yes_no(b, zh); };
  auto oyn = [&](const std::optional<bool>& b) { return b ? yn(*b) : std::string(); };
  int64_t rows = 0;
  TRY(store_.read([&](Tx& tx) -> Status {
    resolve_industry_alias(tx, a, cq);
    std::string tzname = org_tz(tx, a.org());
    auto z = TimeZone::get(tzname);
    std::unordered_map<Id, std::string> uname;
    for (auto& u : tx.list_users(a.org())) uname[u.id] = u.username;
    auto user = [&](const std::optional<Id>& id) -> std::string {
      if (!id) return "";
      auto it = uname.find(*id);
      return it == uname.end() ? std::to_string(*id) : it->second;
    };
    for (;;) {
      cq.limit = 500;
      auto page = tx.list_companies(cq);
      if (page.empty()) break;
      std::vector<Id> ids;
      std::unordered_map<Id, const Company*> by_id;
      for (auto& c : page) {
        ids.push_back(c.id);
        by_id[c.id] = &c;
      }
      if (kind == "companies") {
        for (auto& c : page) {
          sink->integer(c.id);
          sink->text(c.name);
          sink->text(c.industry);
          sink->opt_int(c.industry_rank);
          sink->text(c.region);
          sink->opt_money(c.budget_capacity);
          sink->text(c.source);
          sink->text(c.competitor);
          sink->text(user(c.owner_id));
          sink->text(status_name(c.status, zh));
          sink->text(yn(c.need));
          sink->text(yn(c.budget));
          sink->text(yn(c.payer_met));
          sink->text(local_time(c.effective_at, z));
          sink->text(local_time(c.signed_at, z));
          sink->integer(c.visit_count);
          sink->text(local_time(c.last_visit_at, z));
          sink->text(c.interest_reason);
          sink->text(c.attraction);
          sink->text(c.concerns);
          sink->text(c.nurture_reason);
          sink->text(c.revisit_on);
          sink->text(c.drop_reason);
          sink->text(local_time(c.created_at, z));
          sink->text(c.competitor_contract_end);
          TRY(sink->end_row());
          rows++;
        }
      } else {
        // Rows of each company together, companies in name order.
        std::unordered_map<Id, std::vector<size_t>> of;
        if (kind == "contacts") {
          auto cs = tx.contacts_of(a.org(), ids);
          for (size_t i = 0; i < cs.size(); i++) of[cs[i].company_id].push_back(i);
          for (auto& c : page)
            for (size_t i : of[c.id]) {
              const Contact& ct = cs[i];
              sink->integer(c.id);
              sink->text(c.name);
              sink->text(ct.name);
              sink->text(ct.title);
              sink->text(yn(ct.is_payer));
              sink->text(ct.style);
              sink->text(ct.phone);
              TRY(sink->end_row());
              rows++;
            }
        } else if (kind == "visits") {
          auto vs = tx.visits_of(a.org(), ids, from.value_or(""), to.value_or(""));
          for (size_t i = 0; i < vs.size(); i++) of[vs[i].company_id].push_back(i);
          for (auto& c : page)
            for (size_t i : of[c.id]) {
              const Visit& v = vs[i];
              sink->integer(v.id);
              sink->integer(c.id);
              sink->text(c.name);
              sink->text(local_time(v.at, z));
              sink->text(v.day);
              sink->text(visit_kind_name(v.kind, zh));
              sink->text(user(v.rep_id));
              sink->opt_int(v.duration_min);
              sink->text(oyn(v.met_payer));
              sink->text(oyn(v.need));
              sink->text(oyn(v.budget));
              sink->text(yn(v.made_effective));
              sink->text(user(v.companion_id));
              sink->opt_int(v.coaching_stage);
              sink->text(v.interest_reason);
              sink->text(v.attraction);
              sink->text(v.concerns);
              sink->text(v.notes);
              TRY(sink->end_row());
              rows++;
            }
        } else {
          auto ds = tx.deals_of(a.org(), ids, from.value_or(""), to.value_or(""));
          for (size_t i = 0; i < ds.size(); i++) of[ds[i].company_id].push_back(i);
          for (auto& c : page)
            for (size_t i : of[c.id]) {
              const Deal& d = ds[i];
              sink->integer(d.id);
              sink->integer(c.id);
              sink->text(c.name);
              sink->money(d.amount);
              sink->text(d.signed_on);
              sink->text(user(d.rep_id));
              sink->text(d.notes);
              TRY(sink->end_row());
              rows++;
            }
        }
      }
      if (page.size() < 500) break;
      cq.after_value = db::Value(page.back().name);
      cq.after_id = page.back().id;
    }
    return ok_status();
  }));
  TRY(sink->close());
  json filters = json::object();
  for (auto& [k, v] : q)
    if (k != "format") filters[k] = v;
  json summary = {{"kind", kind}, {"format", format}, {"rows", rows}, {"filters", filters}};
  auto now = clock_.now();
  TRY(store_.write([&](Tx& tx) -> Status {
    audit(tx, a, now, "export", kind, std::nullopt, nullptr, summary);
    return ok_status();
  }));
  return summary;
}

Result<App::ExportFile> App::export_download(const Actor& a, const std::string& kind, const Query& q) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "tiejun-export-XXXXXX").string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return Error{Err::Unavailable, "export_failed", "cannot create a temporary file"};
  ::close(fd);
  struct Unlink {
    std::string p;
    ~Unlink() { std::remove(p.c_str()); }
  } cleanup{tmpl};
  TRY_ASSIGN(json summary, export_to_path(a, kind, q, tmpl));
  ExportFile f;
  std::ifstream in(tmpl, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  f.body = ss.str();
  bool xlsx = summary["format"] == "xlsx";
  f.content_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8";
  std::string day;
  TRY(store_.read([&](Tx& tx) -> Status {
    auto z = TimeZone::get(org_tz(tx, a.org()));
    day = z ? z->local_date(clock_.now()) : format_date(civil_from_days(clock_.now() / 86400));
    return ok_status();
  }));
  f.filename = kind + "-" + day + (xlsx ? ".xlsx" : ".csv");
  f.rows = summary["rows"].get<int64_t>();
  return f;
}

}  // namespace tj
