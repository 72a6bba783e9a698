// libFuzzer target: the XLSX reader (libzip + expat) on hostile bytes: zip
// bombs, broken zips, entity tricks, huge shared-string tables. Oracle: no
// crash, no sanitizer report, memory within -rss_limit_mb, and every failure
// a 400.
#include <cstdint>
#include <cstdlib>

#include "io/xlsx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  tj::io::XlsxLimits L;
  L.max_total_uncompressed = 64u << 20;
  L.max_entry_uncompressed = 64u << 20;
  L.max_text_bytes = 64u << 20;
  L.max_cells = 2000000;
  auto t = tj::io::read_xlsx(bytes, L);
  if (!t.ok()) {
    if (t.error().kind != tj::Err::BadRequest) abort();
    return 0;
  }
  size_t n = 0;
  for (size_t r = 0; r < t->rows(); r++)
    for (size_t c = 0; c < t->cols(r); c++) n += t->text(r, c).size();
  if (n > L.max_text_bytes) abort();
  return 0;
}
