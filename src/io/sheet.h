// One entry point for an uploaded spreadsheet: XLSX (a zip) or CSV (any other
// text), told apart by content, never by name.
#pragma once
#include <string>
#include <string_view>

#include "io/csv.h"
#include "io/xlsx.h"

namespace tj::io {

struct ReadLimits {
  CsvLimits csv;
  XlsxLimits xlsx;
};

struct ReadInfo {
  std::string format;    // "csv" | "xlsx"
  std::string encoding;  // CSV: see decode_text; XLSX: "utf-8"
  char delimiter = 0;    // CSV only
  std::string sheet;     // XLSX only
};

Result<Table> read_table(std::string_view bytes, const ReadLimits& limits = {}, ReadInfo* info = nullptr);

}  // namespace tj::io
