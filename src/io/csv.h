// CSV as Excel and WPS read and write it: comma, semicolon, tab (or pipe)
// delimiters, sniffed from the first records or given by an Excel "sep=;"
// first line; fields quoted with '"' may hold delimiters, newlines and doubled
// quotes; CRLF, LF or CR line ends. The reader works on decoded UTF-8 text
// (see io/text.h) and fills a Table; limits bound what a hostile file costs.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "common/result.h"
#include "io/table.h"

namespace tj::io {

struct CsvLimits {
  size_t max_columns = 1000;
  size_t max_field_bytes = 1 << 20;  // one cell
  size_t max_rows = 5000000;
  size_t max_bytes = size_t(3) << 30;  // decoded text
};

struct CsvInfo {
  char delimiter = ',';
  bool sep_line = false;  // the file began with Excel's "sep=X" line
};

// The delimiter a file most likely uses: the candidate (, ; TAB |) that splits
// the first records into the same number (>1) of fields most consistently.
char sniff_delimiter(std::string_view text);

// Parses decoded text (no BOM). delimiter 0 = sniff. Errors: unterminated
// quoted field, NUL bytes, limits exceeded -> 400 with the line number.
Result<Table> read_csv(std::string_view text, char delimiter = 0, const CsvLimits& limits = {}, CsvInfo* info = nullptr);

// Writes CSV for Excel: UTF-8 with BOM, CRLF, comma-delimited, fields quoted
// when they hold any delimiter (, ; TAB |), a quote, CR or LF. text() neutralises formula-like
// text (io/text.h); number() writes a number as it is.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out, bool bom = true);
  void text(std::string_view s);
  void number(std::string_view digits);
  void number(int64_t v) { number(std::string_view(std::to_string(v))); }
  void empty() { cell(); }
  void end_row();

 private:
  void cell();
  std::ostream& out_;
  bool first_ = true;
};

}  // namespace tj::io
