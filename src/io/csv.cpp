#include "io/csv.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "io/text.h"

namespace tj::io {

namespace {

Error csv_error(const std::string& msg, size_t line) {
  return bad_request("invalid_csv", msg + " (line " + std::to_string(line) + ")");
}

// Field counts of the first records, quote-aware; only records that end
// within the window (or at the end of the text) are counted.
std::vector<size_t> field_counts(std::string_view t, char d, size_t max_records, size_t window) {
  std::vector<size_t> out;
  size_t n = std::min(t.size(), window);
  bool at_end_is_eof = n == t.size();
  size_t i = 0, fields = 1;
  bool in_q = false, field_start = true;
  while (i < n && out.size() < max_records) {
    char c = t[i];
    if (in_q) {
      if (c == '"') {
        if (i + 1 < n && t[i + 1] == '"') i++;
        else in_q = false;
      }
    } else if (c == '"' && field_start) {
      in_q = true;
    } else if (c == d) {
      fields++;
      field_start = true;
      i++;
      continue;
    } else if (c == '\n' || c == '\r') {
      out.push_back(fields);
      fields = 1;
      if (c == '\r' && i + 1 < n && t[i + 1] == '\n') i++;
      field_start = true;
      i++;
      continue;
    }
    field_start = false;
    i++;
  }
  if (i >= n && at_end_is_eof && !in_q && !field_start && out.size() < max_records) out.push_back(fields);
  return out;
}

}  // namespace

char sniff_delimiter(std::string_view text) {
  const char cands[] = {',', ';', '\t', '|'};
  char best = ',';
  long best_cons = -1;
  size_t best_h = 0;
  for (char d : cands) {
    auto counts = field_counts(text, d, 30, 64 * 1024);
    if (counts.empty() || counts[0] < 2) continue;
    size_t h = counts[0];
    long cons = 0;
    for (size_t k = 1; k < counts.size(); k++)
      if (counts[k] == h) cons++;
    if (cons > best_cons || (cons == best_cons && h > best_h)) {
      best = d;
      best_cons = cons;
      best_h = h;
    }
  }
  return best;
}

Result<Table> read_csv(std::string_view t, char delim, const CsvLimits& L, CsvInfo* info) {
  if (t.size() > L.max_bytes)
    return Error{Err::TooLarge, "file_too_large", "the file is larger than " + std::to_string(L.max_bytes) + " bytes"};
  if (const void* z = std::memchr(t.data(), '\0', t.size())) {
    size_t off = size_t(static_cast<const char*>(z) - t.data());
    return csv_error("the file holds NUL bytes: it is not a text file (an .xls? save it as .xlsx or CSV)",
                     1 + size_t(std::count(t.data(), t.data() + off, '\n')));
  }
  CsvInfo inf;
  size_t i = 0, n = t.size(), line = 1;
  if (n >= 5 && t.substr(0, 4) == "sep=" && t[4] != '\r' && t[4] != '\n') {
    size_t j = 5;
    if (j < n && t[j] == '\r') j++;
    if (j < n && t[j] == '\n') j++;
    if (j == n || t[j - 1] == '\n' || t[j - 1] == '\r') {
      if (!delim) delim = t[4];
      inf.sep_line = true;
      i = j;
      line = 2;
    }
  }
  if (!delim) delim = sniff_delimiter(t.substr(i));
  inf.delimiter = delim;
  Table tab;
  {
    // Upper bounds, from one pass: reserving saves regrowing (and copying) big files.
    size_t lines = size_t(std::count(t.begin() + long(i), t.end(), '\n')) + 1;
    size_t delims = size_t(std::count(t.begin() + long(i), t.end(), delim));
    tab.reserve(n - i, std::min(delims + lines, L.max_rows * L.max_columns), std::min(lines, L.max_rows));
  }
  uint32_t rec = 0;
  while (i < n) {
    if (++rec > L.max_rows) return csv_error("too many rows (more than " + std::to_string(L.max_rows) + ")", line);
    tab.begin_row(rec);
    size_t cols = 0;
    for (;;) {
      if (++cols > L.max_columns)
        return csv_error("too many columns (more than " + std::to_string(L.max_columns) + ")", line);
      tab.start_cell();
      if (i < n && t[i] == '"') {
        size_t qline = line;
        i++;
        for (;;) {
          const void* q = i < n ? std::memchr(t.data() + i, '"', n - i) : nullptr;
          size_t end = q ? size_t(static_cast<const char*>(q) - t.data()) : n;
          std::string_view chunk = t.substr(i, end - i);
          line += size_t(std::count(chunk.begin(), chunk.end(), '\n'));
          tab.append(chunk);
          if (tab.open_cell_size() > L.max_field_bytes)
            return csv_error("a field is longer than " + std::to_string(L.max_field_bytes) + " bytes", qline);
          i = end;
          if (i >= n) return csv_error("a quoted field is not closed (a \" is missing)", qline);
          if (i + 1 < n && t[i + 1] == '"') {
            tab.append('"');
            i += 2;
            continue;
          }
          i++;
          break;
        }
        // Text after the closing quote belongs to the field (as Excel reads it).
        size_t s = i;
        while (i < n && t[i] != delim && t[i] != '\n' && t[i] != '\r') i++;
        tab.append(t.substr(s, i - s));
      } else {
        size_t s = i;
        while (i < n && t[i] != delim && t[i] != '\n' && t[i] != '\r') i++;
        tab.append(t.substr(s, i - s));
      }
      if (tab.open_cell_size() > L.max_field_bytes)
        return csv_error("a field is longer than " + std::to_string(L.max_field_bytes) + " bytes", line);
      tab.end_cell();
      if (i >= n) break;
      if (t[i] == delim) {
        i++;
        if (i >= n) {  // a delimiter at the very end: one more empty field
          tab.start_cell();
          tab.end_cell();
          break;
        }
        continue;
      }
      if (t[i] == '\r') {
        i++;
        if (i < n && t[i] == '\n') i++;
      } else {
        i++;
      }
      line++;
      break;
    }
  }
  if (info) *info = inf;
  return tab;
}

CsvWriter::CsvWriter(std::ostream& out, bool bom) : out_(out) {
  if (bom) out_.write("\xEF\xBB\xBF", 3);
}

void CsvWriter::cell() {
  if (!first_) out_.put(',');
  first_ = false;
}

void CsvWriter::text(std::string_view s0) {
  cell();
  std::string neut;
  std::string_view s = s0;
  if (needs_neutralising(s)) {
    neut = neutralise(s);
    s = neut;
  }
  // Quoted when it holds any delimiter a spreadsheet (or our importer) may split on — , ; TAB |
  // (Excel's list separator is ; in many locales) — a quote or a line end; and "sep=..." always
  // (Excel would take it for its delimiter line).
  if (s.find_first_of(",;\t|\"\r\n") == std::string_view::npos && s.substr(0, 4) != "sep=") {
    out_.write(s.data(), std::streamsize(s.size()));
    return;
  }
  out_.put('"');
  size_t start = 0;
  for (size_t k = 0; k < s.size(); k++)
    if (s[k] == '"') {
      out_.write(s.data() + start, std::streamsize(k - start + 1));
      out_.put('"');
      start = k + 1;
    }
  out_.write(s.data() + start, std::streamsize(s.size() - start));
  out_.put('"');
}

void CsvWriter::number(std::string_view digits) {
  cell();
  out_.write(digits.data(), std::streamsize(digits.size()));
}

void CsvWriter::end_row() {
  out_.write("\r\n", 2);
  first_ = true;
}

}  // namespace tj::io
