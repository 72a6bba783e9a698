// Import, part one: the columns of a file (import_columns.h).
#include "app/import_columns.h"

#include <algorithm>
#include <map>

#include "common/utf8.h"
#include "io/text.h"

namespace tj {
namespace imp {

// Header (or mapping target) spellings per field, normalised by norm_header.
const std::vector<std::vector<std::string>>& synonyms() {
  static const std::vector<std::vector<std::string>> s = {
      {"name", "公司名称", "公司", "公司名", "公司全称", "客户名称", "客户", "客户名", "客户全称", "企业名称", "企业",
       "单位名称", "单位", "名称", "company", "companyname", "customer", "customername", "account", "accountname"},
      {"industry", "行业", "所属行业", "行业类别", "行业分类"},
      {"industryrank", "industry_rank", "行业排名", "排名", "行业排行", "行业地位", "rank"},
      {"region", "地区", "区域", "城市", "所在地", "所在地区", "省份", "省市", "地域", "city", "area"},
      {"budgetcapacity", "budget_capacity", "预算", "预算金额", "预算能力", "采购预算", "年预算", "budget"},
      {"source", "来源", "客户来源", "线索来源", "渠道", "leadsource"},
      {"competitor", "竞品", "竞争对手", "在用竞品", "使用竞品", "competitors"},
      {"owner", "负责人", "销售", "销售员", "所属销售", "跟进人", "客户负责人", "归属销售", "业务员", "ownerusername",
       "sales", "rep", "salesrep"},
      {"contactname", "contact_name", "联系人", "联系人姓名", "姓名", "客户联系人", "contact"},
      {"contacttitle", "contact_title", "职务", "职位", "联系人职务", "头衔", "title", "position", "jobtitle"},
      {"contactispayer", "contact_is_payer", "是否买单人", "买单人", "是否决策人", "决策人", "是否付款人", "ispayer",
       "payer", "decisionmaker"},
      {"contactstyle", "contact_style", "领导风格", "风格", "决策风格", "style", "leadershipstyle"},
      {"contactphone", "contact_phone", "电话", "手机", "联系电话", "手机号", "手机号码", "联系方式", "电话号码", "phone",
       "mobile", "tel", "telephone"},
      {"competitorcontractend", "competitor_contract_end", "竞品合同到期", "竞品合同到期日", "竞品到期", "竞品到期日",
       "合同到期", "合同到期日", "到期日", "contractend", "contractenddate"},
  };
  return s;
}

// Folds width, drops spaces, lower-cases, drops '*', '_', '-', '.', ':' and a
// trailing bracketed note; a bracketed money unit is returned in unit_fen.
std::string norm_header(std::string_view h, int64_t* unit_fen) {
  std::string s = io::fold_width(io::trim(h), true, true);
  // 【】 are not full-width ASCII: read them as brackets too
  for (auto [from, to] : {std::pair<std::string, std::string>{"【", "("}, {"】", ")"}}) {
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p)) s.replace(p, from.size(), to);
  }
  if (!s.empty() && s.back() == ')') {
    size_t open = s.rfind('(');
    if (open != std::string::npos) {
      std::string inner = s.substr(open + 1, s.size() - open - 2);
      if (unit_fen) {
        if (inner == "元" || inner == "yuan" || inner == "rmb" || inner == "cny" || inner == "¥") *unit_fen = 100;
        else if (inner == "万元" || inner == "万" || inner == "10kyuan" || inner == "万元rmb") *unit_fen = 1000000;
        else if (inner == "分" || inner == "fen") *unit_fen = 1;
      }
      s.erase(open);
    }
  }
  std::string out;
  for (char c : s)
    if (c != '*' && c != '_' && c != '-' && c != '.' && c != ':') out.push_back(c);
  if (out.size() > 3 && out.compare(out.size() - 3, 3, "fen") == 0 && unit_fen) {
    std::string base = out.substr(0, out.size() - 3);
    if (base == "budgetcapacity" || base == "budget") {
      *unit_fen = 1;
      out = base;
    }
  }
  return out;
}

// -1: not a field. Accepts any spelling of synonyms() and the field keys.
int field_of(std::string_view text) {
  static const std::unordered_map<std::string, int> m = [] {
    std::unordered_map<std::string, int> m;
    for (int f = 0; f < kFields; f++) {
      m[norm_header(kDefs[f].key)] = f;
      for (auto& n : synonyms()[size_t(f)]) m[norm_header(n)] = f;
    }
    return m;
  }();
  auto it = m.find(norm_header(text));
  return it == m.end() ? -1 : it->second;
}

bool is_ignore(std::string_view v) {
  std::string n = norm_header(v);
  return n.empty() || n == "ignore" || n == "skip" || n == "none" || n == "忽略" || n == "不导入";
}

std::string quote_cell(std::string_view v) {
  size_t i = utf8::prefix_bytes(v, 40);
  return "\"" + std::string(v.substr(0, i)) + (i < v.size() ? "…" : "") + "\"";
}


Result<Columns> map_columns(const io::Table& t, const std::vector<std::pair<std::string, std::string>>& mapping) {
  struct Entry {
    std::string key;
    int field;  // -1: ignore
    bool used = false;
  };
  std::vector<Entry> entries;
  for (auto& [k0, v0] : mapping) {
    std::string k(io::trim(k0)), v(io::trim(v0));
    int fv = is_ignore(v) ? -1 : field_of(v);
    if (fv == -1 && !is_ignore(v)) {
      int fk = field_of(k);
      if (fk >= 0 && !v.empty()) {  // written the other way round: field=column
        std::swap(k, v);
        fv = fk;
      } else {
        return bad_request("invalid_mapping", "mapping: " + v +
                                                  " is not a field (fields: name, industry, industry_rank, region, "
                                                  "budget_capacity, source, competitor, owner, contact_name, "
                                                  "contact_title, contact_is_payer, contact_style, contact_phone, "
                                                  "competitor_contract_end, ignore)");
      }
    }
    if (k.empty()) return bad_request("invalid_mapping", "mapping: an entry names no column");
    entries.push_back({k, fv});
  }
  auto entry_for = [&](std::string_view header, size_t col) -> Entry* {
    std::string nh = norm_header(header);
    for (auto& e : entries)
      if (e.key == io::trim(header) || (!nh.empty() && norm_header(e.key) == nh)) return &e;
    for (auto& e : entries)
      if (io::column_index(e.key) == int(col) && e.key.size() <= 3) return &e;
    return nullptr;
  };
  // The header: the first of the first 20 non-blank rows with a name column.
  size_t nonblank = 0;
  std::optional<size_t> header;
  for (size_t r = 0; r < t.rows() && nonblank < 20 && !header; r++) {
    if (t.blank(r)) continue;
    nonblank++;
    for (size_t c = 0; c < t.cols(r); c++) {
      Entry* e = entry_for(t.text(r, c), c);
      int f = e ? e->field : field_of(t.text(r, c));
      if (f == kName) header = r;
    }
  }
  if (!header)
    return bad_request("no_name_column",
                       "no company name column: the header row needs 公司名称 (or name, 客户名称), or give a mapping such "
                       "as 客户全称=name");
  Columns cols;
  std::fill(std::begin(cols.col), std::end(cols.col), -1);
  cols.header_row = *header;
  size_t r = *header;
  for (size_t c = 0; c < t.cols(r); c++) cols.headers.emplace_back(io::trim(t.text(r, c)));
  // Explicit entries first, then automatic names.
  std::vector<int> assigned(t.cols(r), -2);
  for (size_t c = 0; c < t.cols(r); c++)
    if (Entry* e = entry_for(t.text(r, c), c)) {
      e->used = true;
      assigned[c] = e->field;
    }
  for (auto& e : entries)
    if (!e.used)
      return bad_request("invalid_mapping", "mapping: no column " + quote_cell(e.key) + " in the header (row " +
                                                std::to_string(t.source_row(r)) + ")");
  // Fields named explicitly are taken first, wherever their column is.
  std::vector<bool> taken(kFields, false);
  for (size_t c = 0; c < t.cols(r); c++)
    if (assigned[c] >= 0) taken[size_t(assigned[c])] = true;
  for (size_t c = 0; c < t.cols(r); c++) {
    int f = assigned[c];
    bool explicit_ = f != -2;
    if (!explicit_) f = field_of(t.text(r, c));
    json col = {{"column", io::column_name(c)}, {"header", cols.headers[c]}, {"field", nullptr}};
    if (f >= 0 && !explicit_ && taken[size_t(f)]) {
      cols.warnings.push_back("column " + io::column_name(c) + " " + quote_cell(cols.headers[c]) + " is ignored: " +
                              kDefs[f].key + " comes from the mapping");
      col["note"] = "duplicate of a mapped column";
    } else if (f >= 0) {
      if (cols.col[f] >= 0) {
        cols.warnings.push_back("column " + io::column_name(c) + " " + quote_cell(cols.headers[c]) + " is ignored: " +
                                kDefs[f].key + " comes from column " + io::column_name(size_t(cols.col[f])));
        col["note"] = std::string("duplicate of column ") + io::column_name(size_t(cols.col[f]));
      } else {
        cols.col[f] = int(c);
        col["field"] = kDefs[f].key;
        if (f == kBudget) {
          int64_t unit = 100;
          norm_header(t.text(r, c), &unit);
          cols.budget_unit = unit;
          col["unit"] = unit == 1 ? "fen" : unit == 100 ? "yuan" : "10k_yuan";
        }
      }
    } else if (!cols.headers[c].empty()) {
      col["note"] = explicit_ ? "ignored (mapping)" : "not imported";
    }
    if (!cols.headers[c].empty() || f >= 0) cols.report.push_back(col);
  }
  bool contact_part = cols.col[kCTitle] >= 0 || cols.col[kCPayer] >= 0 || cols.col[kCStyle] >= 0 || cols.col[kCPhone] >= 0;
  if (contact_part && cols.col[kCName] < 0)
    cols.warnings.push_back("contact columns without a 联系人/contact_name column are ignored");
  return cols;
}

// A date as spreadsheets write it: 2027-03-01, 2027/3/1, 2027.3.1, 2027年3月1日, or an Excel
// serial day number (46082); "YYYY-MM-DD", or nullopt.
std::optional<std::string> parse_sheet_date(std::string_view in) {
  std::string t(io::trim(in));
  bool digits = !t.empty() && t.size() <= 6;
  for (char ch : t) digits = digits && ch >= '0' && ch <= '9';
  if (digits) {  // Excel: days since 1899-12-30
    int64_t n = std::stoll(t);
    if (n < 1 || n > 2958465) return std::nullopt;
    return format_date(civil_from_days(days_from_civil({1899, 12, 30}) + n));
  }
  for (const char* sep : {"年", "月", "/", "."})
    for (size_t p = t.find(sep); p != std::string::npos; p = t.find(sep, p)) t.replace(p, std::strlen(sep), "-");
  if (t.size() >= 3 && t.compare(t.size() - 3, 3, "日") == 0) t.erase(t.size() - 3);
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(t.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  if (!parse_date(buf)) return std::nullopt;
  return std::string(buf);
}

}  // namespace imp

Result<std::vector<std::pair<std::string, std::string>>> App::parse_mapping(const std::string& spec) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string_view s = io::trim(spec);
  if (s.empty()) return out;
  if (s.size() > 10000) return field_error("mapping", "is too long");
  if (s.front() == '{') {
    auto j = json::parse(s, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return field_error("mapping", "is not a JSON object of column -> field");
    for (auto& [k, v] : j.items()) {
      if (v.is_null()) out.emplace_back(k, "ignore");
      else if (v.is_string()) out.emplace_back(k, v.get<std::string>());
      else return field_error("mapping", k + ": the field must be a string");
    }
    return out;
  }
  // "k=v,k=v" or "k:v,k:v" (also full-width ，：＝)
  std::string t = io::fold_width(s, false, false);
  size_t i = 0;
  while (i <= t.size()) {
    size_t j = t.find_first_of(",;", i);
    if (j == std::string::npos) j = t.size();
    std::string item(io::trim(std::string_view(t).substr(i, j - i)));
    i = j + 1;
    if (item.empty()) continue;
    size_t eq = item.find_first_of("=:");
    if (eq == std::string::npos) return field_error("mapping", "\"" + item + "\" is not column=field");
    out.emplace_back(std::string(io::trim(std::string_view(item).substr(0, eq))),
                     std::string(io::trim(std::string_view(item).substr(eq + 1))));
  }
  return out;
}

}  // namespace tj
