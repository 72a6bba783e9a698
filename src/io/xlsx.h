// XLSX: reading the first worksheet of a workbook (libzip + expat) and
// writing one (libxlsxwriter). The reader treats every file as hostile: the
// total and per-entry uncompressed sizes and the compression ratio are capped
// (zip bombs), the shared-string table is capped in count and bytes, any
// DOCTYPE is refused (so no entity can be declared, expanded or fetched),
// nesting is capped, and every failure is a 400 with a clear message. Memory
// is bounded by the caps: entries are streamed through the XML parser.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "io/table.h"

namespace tj::io {

struct XlsxLimits {
  uint64_t max_total_uncompressed = 200ull << 20;  // all entries read together
  uint64_t max_entry_uncompressed = 200ull << 20;
  uint64_t max_ratio = 200;               // uncompressed / compressed, for entries over 1 MiB
  size_t max_shared_strings = 2000000;
  size_t max_shared_bytes = 64u << 20;
  size_t max_columns = 1000;
  size_t max_rows = 1048576;              // Excel's own limit
  size_t max_cell_bytes = 32767 * 4;      // 32767 characters, Excel's limit
  size_t max_cells = 16000000;            // cells kept, including the empty ones padding a row
  size_t max_text_bytes = 256u << 20;     // text of the cells kept (a shared string counts each time it is used)
  int max_depth = 64;
  size_t max_entries = 10000;
};

struct XlsxInfo {
  std::string sheet;  // name of the worksheet read
};

// A ZIP local-file header at the start: an XLSX (or another zip).
bool looks_like_zip(std::string_view bytes);
// An OLE2 compound file: a legacy .xls or an encrypted workbook.
bool looks_like_ole2(std::string_view bytes);

// Reads the cells of the first worksheet. Shared and inline strings become
// Text cells, numbers Number cells (their decimal text as stored), booleans
// Bool ("TRUE"/"FALSE"), errors Error ("#N/A"). Formulas are never evaluated:
// the cached value is read. Empty rows are left out; row numbers are kept.
Result<Table> read_xlsx(std::string_view bytes, const XlsxLimits& limits = {}, XlsxInfo* info = nullptr);

// Writes one worksheet, row by row (constant memory: rows go to a temporary
// file as they are written). Strings are always string cells, so a text
// starting with '=' is shown, never evaluated; numbers are number cells.
class XlsxWriter {
 public:
  static Result<std::unique_ptr<XlsxWriter>> create(const std::string& path, const std::string& sheet_name);
  ~XlsxWriter();
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;
  void header(std::string_view s);  // bold
  void text(std::string_view s);
  void integer(int64_t v);
  void money_fen(int64_t fen);  // shown as yuan with two decimals
  void empty();
  void column_width(int col, double width);
  Status end_row();
  Status close();  // writes the file; the writer is unusable afterwards

 private:
  XlsxWriter() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tj::io
