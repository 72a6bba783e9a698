// libFuzzer target: the CSV path of an import (encoding detection, delimiter
// sniffing, the reader) on hostile bytes. Oracle: no crash, no sanitizer
// report, bounded memory; and whatever was read, written back with CsvWriter
// and read again, gives the same cells (after undoing the neutralisation).
#include <cstdint>
#include <cstdlib>
#include <sstream>

#include "io/csv.h"
#include "io/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto d = tj::io::decode_text(bytes);
  if (!d.ok()) return 0;
  tj::io::CsvLimits L;
  L.max_columns = 200;
  L.max_field_bytes = 64 * 1024;
  L.max_rows = 100000;
  auto t = tj::io::read_csv(d->text, 0, L);
  if (!t.ok()) return 0;
  std::ostringstream out;
  {
    tj::io::CsvWriter w(out, false);
    for (size_t r = 0; r < t->rows(); r++) {
      for (size_t c = 0; c < t->cols(r); c++) w.text(t->text(r, c));
      w.end_row();
    }
  }
  std::string again_text = out.str();
  auto again = tj::io::read_csv(again_text, ',', L);
  if (!again.ok() || again->rows() != t->rows()) abort();
  for (size_t r = 0; r < t->rows(); r++) {
    if (again->cols(r) != t->cols(r)) abort();
    for (size_t c = 0; c < t->cols(r); c++)
      if (tj::io::unneutralise(again->text(r, c)) != t->text(r, c)) abort();
  }
  // The text helpers on every cell.
  for (size_t r = 0; r < t->rows() && r < 50; r++)
    for (size_t c = 0; c < t->cols(r); c++) {
      std::string why;
      (void)tj::io::parse_money(t->text(r, c), 100, why, int64_t(1e15));
      (void)tj::io::parse_bool(t->text(r, c));
      (void)tj::io::parse_integer(t->text(r, c));
      (void)tj::io::company_key(t->text(r, c));
      (void)tj::io::trim(t->text(r, c));
    }
  return 0;
}
