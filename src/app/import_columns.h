// Import, part one: the columns of a file. Finds the header row and maps its
// columns to fields (Chinese or English names, or an explicit mapping), with the
// money unit a budget header names; parses the cells spreadsheets write (dates).
// The importer (import.cpp) applies the rows; progress.cpp reports on running imports.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/internal.h"
#include "io/sheet.h"

namespace tj::imp {

enum F : int {
  kName, kIndustry, kRank, kRegion, kBudget, kSource, kCompetitor, kOwner,
  kCName, kCTitle, kCPayer, kCStyle, kCPhone, kContractEnd, kFields
};

struct FieldDef {
  const char* key;
  const char* zh;
  size_t max_chars;
};
inline const FieldDef kDefs[kFields] = {
    {"name", "公司名称", 200},          {"industry", "行业", 50},         {"industry_rank", "行业排名", 20},
    {"region", "地区", 50},             {"budget_capacity", "预算", 40},  {"source", "来源", 50},
    {"competitor", "竞品", 100},        {"owner", "负责人", 100},         {"contact_name", "联系人", 100},
    {"contact_title", "职务", 100},     {"contact_is_payer", "是否买单人", 20}, {"contact_style", "领导风格", 50},
    {"contact_phone", "电话", 50},      {"competitor_contract_end", "竞品合同到期", 20},
};

// Folds width, drops spaces, lower-cases, drops '*', '_', '-', '.', ':' and a
// trailing bracketed note; a bracketed money unit is returned in unit_fen.
std::string norm_header(std::string_view h, int64_t* unit_fen = nullptr);
// -1: not a field. Accepts any spelling of the synonyms and the field keys.
int field_of(std::string_view text);
// A mapping target that means "do not import this column".
bool is_ignore(std::string_view v);
// A cell quoted for a message, cut to 40 characters.
std::string quote_cell(std::string_view v);

struct Columns {
  int col[kFields];
  int64_t budget_unit = 100;  // fen per unit of a bare budget number
  size_t header_row = 0;      // index in the table
  json report = json::array();
  std::vector<std::string> warnings;
  std::string header_of(int f) const { return col[f] < 0 ? "" : headers[size_t(col[f])]; }
  std::vector<std::string> headers;
};

// The header row and each field's column, from the file or the explicit mapping.
Result<Columns> map_columns(const io::Table& t, const std::vector<std::pair<std::string, std::string>>& mapping);

// A date as spreadsheets write it: 2027-03-01, 2027/3/1, 2027.3.1, 2027年3月1日, or an Excel
// serial day number (46082); "YYYY-MM-DD", or nullopt.
std::optional<std::string> parse_sheet_date(std::string_view in);

}  // namespace tj::imp
