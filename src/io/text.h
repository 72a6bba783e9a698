// Text rules of import and export: decoding what Chinese Excel and WPS write
// (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GBK/GB18030), trimming, the
// normalised company name used to find duplicates, formula neutralisation of
// exported cells, and exact money parsing (yuan text -> integer fen).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace tj::io {

struct Decoded {
  std::string_view text;  // UTF-8 without BOM: into the input when it was UTF-8, else into `converted`
  std::string converted;
  std::string encoding;   // "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "gb18030"
  Decoded() = default;
  Decoded(const Decoded&) = delete;  // text may point into converted
  Decoded(Decoded&& o) noexcept { *this = std::move(o); }
  Decoded& operator=(Decoded&& o) noexcept {
    bool own = !o.converted.empty() && o.text.data() == o.converted.data();
    converted = std::move(o.converted);
    text = own ? std::string_view(converted) : o.text;
    encoding = std::move(o.encoding);
    return *this;
  }
};
// Valid UTF-8 (with or without BOM) stays UTF-8 (and is not copied: the
// input must outlive the result); a UTF-16 BOM means UTF-16;
// anything else is read as GB18030 (a superset of GBK and GB2312, what Chinese
// Excel's "CSV" writes). Bytes that are neither -> 400 invalid_encoding with the line.
Result<Decoded> decode_text(std::string_view bytes);

// Trims ASCII whitespace, NBSP (U+00A0) and the ideographic space (U+3000).
std::string_view trim(std::string_view s);

// The key two company names are "the same company" by: names::company_key
// (src/domain/names.h, SPEC §3 撞单: width, case, spaces, punctuation and legal forms).
std::string company_key(std::string_view name);
// Full-width folding and space removal only (for header names and contact names).
std::string fold_width(std::string_view s, bool drop_spaces, bool lower);

// Spreadsheet formula neutralisation (CSV): text starting with = + - @ tab CR
// or LF gets a leading apostrophe so no spreadsheet evaluates it; text that
// starts with apostrophes followed by one of those gets one more, so that
// unneutralise(neutralise(s)) == s for every s. The start is looked for after
// what a spreadsheet strips (blanks, NBSP, U+3000, zero-width spaces, BOM), and
// the full-width ＝＋－＠ count as formula starts too (issue 17).
bool needs_neutralising(std::string_view s);
std::string neutralise(std::string_view s);
std::string_view unneutralise(std::string_view s);

// Money: "12345.67", "1,234.5", "¥800", "50万", "3.5万元", "1200元", "1.2E+5" ->
// fen, exactly (decimal arithmetic, never a double). unit_fen is what one unit
// of a bare number is worth: 100 (yuan), 1000000 (万元) or 1 (fen); a 元 or 万
// suffix in the cell overrides it. More decimals than a fen holds are rounded
// half up. nullopt with `why` set when it is not an amount.
std::optional<int64_t> parse_money(std::string_view s, int64_t unit_fen, std::string& why, int64_t max_fen);
// "3", "3.0", "3.00" -> 3 (XLSX numbers arrive as decimal text).
std::optional<int64_t> parse_integer(std::string_view s);
// 是/否, Y/N, yes/no, true/false, 1/0, √/× (case-insensitive).
std::optional<bool> parse_bool(std::string_view s);

}  // namespace tj::io
