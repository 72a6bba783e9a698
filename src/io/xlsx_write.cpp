// XLSX writer over libxlsxwriter in constant-memory mode.
#include <xlsxwriter.h>

#include <cctype>
#include <cstdlib>

#include "io/text.h"
#include "io/xlsx.h"
#include "common/money.h"
#include "common/utf8.h"

namespace tj::io {

struct XlsxWriter::Impl {
  lxw_workbook* wb = nullptr;
  lxw_worksheet* ws = nullptr;
  lxw_format* bold = nullptr;
  lxw_format* money = nullptr;
  lxw_row_t row = 0;
  lxw_col_t col = 0;
  lxw_error err = LXW_NO_ERROR;
  std::string buf;
  void check(lxw_error e) {
    if (e != LXW_NO_ERROR && err == LXW_NO_ERROR) err = e;
  }
  const char* cstr(std::string_view s) {
    // Excel's cell limit is 32767 characters: cut longer text at a character boundary.
    s = s.substr(0, utf8::prefix_bytes(s, 32767));
    // Spreadsheets read "_xHHHH_" as the character U+HHHH; a text that holds
    // one literally is written with its "_" escaped as "_x005F_".
    buf.clear();
    for (size_t k = 0; k < s.size(); k++) {
      if (s[k] == '_' && k + 7 <= s.size() && s[k + 1] == 'x' && s[k + 6] == '_' &&
          std::isxdigit(static_cast<unsigned char>(s[k + 2])) && std::isxdigit(static_cast<unsigned char>(s[k + 3])) &&
          std::isxdigit(static_cast<unsigned char>(s[k + 4])) && std::isxdigit(static_cast<unsigned char>(s[k + 5]))) {
        buf += "_x005F_";
        continue;
      }
      buf.push_back(s[k]);
    }
    return buf.c_str();
  }
};

Result<std::unique_ptr<XlsxWriter>> XlsxWriter::create(const std::string& path, const std::string& sheet_name) {
  std::unique_ptr<XlsxWriter> w(new XlsxWriter());
  w->impl_ = std::make_unique<Impl>();
  lxw_workbook_options opts{};
  opts.constant_memory = LXW_TRUE;
  opts.tmpdir = nullptr;
  opts.use_zip64 = LXW_TRUE;
  w->impl_->wb = workbook_new_opt(path.c_str(), &opts);
  if (!w->impl_->wb) return bad_request("export_failed", "cannot create " + path);
  w->impl_->ws = workbook_add_worksheet(w->impl_->wb, sheet_name.c_str());
  if (!w->impl_->ws) return bad_request("export_failed", "cannot add a worksheet");
  w->impl_->bold = workbook_add_format(w->impl_->wb);
  format_set_bold(w->impl_->bold);
  w->impl_->money = workbook_add_format(w->impl_->wb);
  format_set_num_format(w->impl_->money, "#,##0.00");
  worksheet_freeze_panes(w->impl_->ws, 1, 0);
  return w;
}

XlsxWriter::~XlsxWriter() {
  if (impl_ && impl_->wb) workbook_close(impl_->wb);
}

void XlsxWriter::header(std::string_view s) {
  impl_->check(worksheet_write_string(impl_->ws, impl_->row, impl_->col++, impl_->cstr(s), impl_->bold));
}
void XlsxWriter::text(std::string_view s) {
  if (s.empty()) {
    impl_->col++;
    return;
  }
  impl_->check(worksheet_write_string(impl_->ws, impl_->row, impl_->col++, impl_->cstr(s), nullptr));
}
void XlsxWriter::integer(int64_t v) {
  // ids and counts: exact as an IEEE double up to 2^53
  impl_->check(worksheet_write_number(impl_->ws, impl_->row, impl_->col++, double(v), nullptr));
}
void XlsxWriter::money_fen(int64_t fen) {
  // A spreadsheet number is an IEEE double: the nearest one to the exact decimal
  // yuan text (no arithmetic on doubles); readers round it back to the fen.
  std::string y = money::fen_to_yuan(fen);
  impl_->check(worksheet_write_number(impl_->ws, impl_->row, impl_->col++, std::strtod(y.c_str(), nullptr), impl_->money));
}
void XlsxWriter::empty() { impl_->col++; }
void XlsxWriter::column_width(int col, double width) {
  impl_->check(worksheet_set_column(impl_->ws, lxw_col_t(col), lxw_col_t(col), width, nullptr));
}
Status XlsxWriter::end_row() {
  impl_->row++;
  impl_->col = 0;
  if (impl_->row >= LXW_ROW_MAX)
    return bad_request("too_many_rows", "more rows than an XLSX sheet holds (1,048,576); export as CSV");
  if (impl_->err != LXW_NO_ERROR) return bad_request("export_failed", lxw_strerror(impl_->err));
  return ok_status();
}
Status XlsxWriter::close() {
  lxw_error e = workbook_close(impl_->wb);
  impl_->wb = nullptr;
  if (impl_->err != LXW_NO_ERROR) return bad_request("export_failed", lxw_strerror(impl_->err));
  if (e != LXW_NO_ERROR) return Error{Err::Unavailable, "export_failed", std::string("cannot write the XLSX file: ") + lxw_strerror(e)};
  return ok_status();
}

}  // namespace tj::io
