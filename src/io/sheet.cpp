#include "io/sheet.h"

#include "io/text.h"

namespace tj::io {

Result<Table> read_table(std::string_view bytes, const ReadLimits& limits, ReadInfo* info) {
  ReadInfo ri;
  if (bytes.empty()) return bad_request("empty_file", "the file is empty");
  if (looks_like_zip(bytes) || looks_like_ole2(bytes)) {
    XlsxInfo xi;
    ri.format = "xlsx";
    ri.encoding = "utf-8";
    auto t = read_xlsx(bytes, limits.xlsx, &xi);
    if (!t.ok()) return t.take_error();
    ri.sheet = xi.sheet;
    if (info) *info = ri;
    return t;
  }
  TRY_ASSIGN(auto d, decode_text(bytes));
  CsvInfo ci;
  ri.format = "csv";
  ri.encoding = d.encoding;
  auto t = read_csv(d.text, 0, limits.csv, &ci);
  if (!t.ok()) return t.take_error();
  ri.delimiter = ci.delimiter;
  if (info) *info = ri;
  return t;
}

}  // namespace tj::io
