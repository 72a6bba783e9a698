// XLSX reader: libzip over the bytes in memory, expat over each XML part,
// streamed in 64 KiB chunks with every size checked as it is read.
#include <expat.h>
#include <zip.h>

#include <cstring>
#include <map>
#include <vector>

#include "io/xlsx.h"
#include "common/hex.h"
#include "common/utf8.h"

namespace tj::io {

bool looks_like_zip(std::string_view b) { return b.size() >= 4 && b.substr(0, 4) == std::string_view("PK\x03\x04", 4); }
bool looks_like_ole2(std::string_view b) {
  return b.size() >= 8 && b.substr(0, 8) == std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
}

namespace {

std::string size_text(uint64_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

Error bad(const std::string& msg) { return bad_request("invalid_xlsx", "not a readable XLSX file: " + msg); }

std::string_view local_name(const char* qname) {
  std::string_view s(qname);
  auto c = s.rfind(':');
  return c == std::string_view::npos ? s : s.substr(c + 1);
}

bool hex4(std::string_view s, size_t i, uint32_t& v) {
  if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return false;
  v = 0;
  for (size_t k = 2; k < 6; k++) {
    int h = hex::digit(s[i + k]);
    if (h < 0) return false;
    v = v * 16 + uint32_t(h);
  }
  return true;
}
// OOXML string escapes: _xHHHH_ stands for U+HHHH (how Excel writes control
// characters such as CR as _x000D_, and a literal "_x" as _x005F_x).
std::string unescape_ooxml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t v, lo;
    if (hex4(s, i, v)) {
      if (v >= 0xD800 && v <= 0xDBFF && hex4(s, i + 7, lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
        utf8::put(out, 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00));
        i += 14;
        continue;
      }
      if (v != 0 && (v < 0xD800 || v > 0xDFFF)) {
        utf8::put(out, v);
        i += 7;
        continue;
      }
    }
    out.push_back(s[i++]);
  }
  return out;
}

// Receives the events of one XML part.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void start(std::string_view name, const char** attrs) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(const char* s, int len) {}
  std::string error;  // set to stop the parse
};

struct ParseCtx {
  XML_Parser p;
  XmlHandler* h;
  int depth = 0, max_depth = 64;
};

void stop(ParseCtx* c, const std::string& why) {
  if (c->h->error.empty()) c->h->error = why;
  XML_StopParser(c->p, XML_FALSE);
}

void XMLCALL on_start(void* ud, const XML_Char* name, const XML_Char** attrs) {
  auto* c = static_cast<ParseCtx*>(ud);
  if (++c->depth > c->max_depth) return stop(c, "XML nested too deeply");
  c->h->start(local_name(name), attrs);
  if (!c->h->error.empty()) XML_StopParser(c->p, XML_FALSE);
}
void XMLCALL on_end(void* ud, const XML_Char* name) {
  auto* c = static_cast<ParseCtx*>(ud);
  c->depth--;
  c->h->end(local_name(name));
  if (!c->h->error.empty()) XML_StopParser(c->p, XML_FALSE);
}
void XMLCALL on_text(void* ud, const XML_Char* s, int len) {
  auto* c = static_cast<ParseCtx*>(ud);
  c->h->text(s, len);
  if (!c->h->error.empty()) XML_StopParser(c->p, XML_FALSE);
}
void XMLCALL on_doctype(void* ud, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  stop(static_cast<ParseCtx*>(ud), "a DOCTYPE (DTD) is not allowed in XLSX parts");
}
void XMLCALL on_entity(void* ud, const XML_Char*, int, const XML_Char*, int, const XML_Char*, const XML_Char*,
                       const XML_Char*, const XML_Char*) {
  stop(static_cast<ParseCtx*>(ud), "XML entity declarations are not allowed");
}

const char* attr(const char** attrs, std::string_view local, bool prefixed = false) {
  for (int i = 0; attrs[i]; i += 2) {
    std::string_view q(attrs[i]);
    bool has_prefix = q.find(':') != std::string_view::npos;
    if (local_name(attrs[i]) == local && (!prefixed || has_prefix)) return attrs[i + 1];
  }
  return nullptr;
}

class Zip {
 public:
  Zip(std::string_view bytes, const XlsxLimits& L) : L_(L) {
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &ze);
    if (!src) {
      err_ = "cannot read the archive";
      zip_error_fini(&ze);
      return;
    }
    za_ = zip_open_from_source(src, ZIP_RDONLY, &ze);  // not ZIP_CHECKCONS: it refuses what minizip (libxlsxwriter, WPS) writes
    if (!za_) {
      err_ = std::string("broken zip archive (") + zip_error_strerror(&ze) + ")";
      zip_source_free(src);
    }
    zip_error_fini(&ze);
    if (za_ && zip_get_num_entries(za_, 0) > zip_int64_t(L.max_entries)) err_ = "too many entries in the archive";
  }
  ~Zip() {
    if (za_) zip_discard(za_);
  }
  const std::string& error() const { return err_; }
  // -1 when absent.
  zip_int64_t find(const std::string& name) const {
    zip_int64_t i = zip_name_locate(za_, name.c_str(), 0);
    if (i < 0) i = zip_name_locate(za_, name.c_str(), ZIP_FL_NOCASE);
    return i;
  }
  // Streams one entry through expat into h.
  Status parse(zip_int64_t idx, XmlHandler& h, const std::string& label) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za_, zip_uint64_t(idx), 0, &st) != 0) return bad(label + ": cannot stat entry");
    if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) return bad(label + ": entry sizes unknown");
    if (st.size > L_.max_entry_uncompressed || total_ + st.size > L_.max_total_uncompressed)
      return bad(label + " is too large when uncompressed (limit " + size_text(L_.max_total_uncompressed) +
                 " in all): a zip bomb?");
    if (st.size > (1u << 20) && st.size / (st.comp_size ? st.comp_size : 1) > L_.max_ratio)
      return bad(label + " is compressed more than " + std::to_string(L_.max_ratio) + ":1: a zip bomb?");
    zip_file_t* f = zip_fopen_index(za_, zip_uint64_t(idx), 0);
    if (!f) return bad(label + ": " + zip_strerror(za_));
    XML_Parser p = XML_ParserCreate(nullptr);
    ParseCtx ctx{p, &h, 0, L_.max_depth};
    XML_SetUserData(p, &ctx);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetEntityDeclHandler(p, on_entity);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
#if defined(XML_DTD) && (XML_MAJOR_VERSION > 2 || (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION >= 4))
    XML_SetBillionLaughsAttackProtectionMaximumAmplification(p, 4.0f);
    XML_SetBillionLaughsAttackProtectionActivationThreshold(p, 1u << 20);
#endif
    std::vector<char> buf(64 * 1024);
    uint64_t got_total = 0;
    std::string err;
    for (;;) {
      zip_int64_t got = zip_fread(f, buf.data(), buf.size());
      if (got < 0) {
        err = label + ": " + zip_file_strerror(f) + " (corrupt archive)";
        break;
      }
      got_total += uint64_t(got);
      if (got_total > st.size || total_ + got_total > L_.max_total_uncompressed) {
        err = label + " holds more data than its header says";
        break;
      }
      bool last = got == 0;
      if (XML_Parse(p, buf.data(), int(got), last) != XML_STATUS_OK) {
        if (!h.error.empty()) err = label + ": " + h.error;
        else
          err = label + ": XML error at line " + std::to_string(XML_GetCurrentLineNumber(p)) + ": " +
                XML_ErrorString(XML_GetErrorCode(p));
        break;
      }
      if (last) break;
    }
    total_ += got_total;
    XML_ParserFree(p);
    zip_fclose(f);
    if (!err.empty()) return bad(err);
    if (!h.error.empty()) return bad(label + ": " + h.error);
    return ok_status();
  }

 private:
  const XlsxLimits& L_;
  zip_t* za_ = nullptr;
  std::string err_;
  uint64_t total_ = 0;
};

class WorkbookHandler : public XmlHandler {
 public:
  std::string first_rid, first_name;
  void start(std::string_view name, const char** attrs) override {
    if (name == "sheet" && first_rid.empty()) {
      const char* id = attr(attrs, "id", true);
      const char* n = attr(attrs, "name");
      if (id) first_rid = id;
      if (n) first_name = n;
    }
  }
  void end(std::string_view) override {}
};

class RelsHandler : public XmlHandler {
 public:
  std::map<std::string, std::string> targets;
  std::string shared_strings;
  void start(std::string_view name, const char** attrs) override {
    if (name != "Relationship") return;
    const char* id = attr(attrs, "Id");
    const char* target = attr(attrs, "Target");
    const char* type = attr(attrs, "Type");
    if (!target) return;
    if (targets.size() > 10000) {
      error = "too many relationships";
      return;
    }
    if (id) targets[id] = target;
    if (type) {
      std::string_view t(type);
      if (t.size() >= 14 && t.substr(t.size() - 14) == "/sharedStrings") shared_strings = target;
    }
  }
  void end(std::string_view) override {}
};

// Collects the text of an element into out with a cap.
struct TextCap {
  std::string* out;
  size_t cap;
};

class SharedStringsHandler : public XmlHandler {
 public:
  SharedStringsHandler(const XlsxLimits& L) : L_(L) {}
  std::string arena;
  std::vector<std::pair<uint32_t, uint32_t>> items;  // (offset, length) in arena

  void start(std::string_view name, const char**) override {
    if (name == "si") {
      in_si_ = true;
      start_ = arena.size();
    } else if (name == "rPh") {
      in_rph_ = true;  // phonetic guide text is not part of the string
    } else if (name == "t" && in_si_ && !in_rph_) {
      in_t_ = true;
    }
  }
  void end(std::string_view name) override {
    if (name == "t") in_t_ = false;
    else if (name == "rPh") in_rph_ = false;
    else if (name == "si" && in_si_) {
      in_si_ = false;
      if (items.size() >= L_.max_shared_strings) {
        error = "the shared-string table has more than " + std::to_string(L_.max_shared_strings) + " strings";
        return;
      }
      if (arena.find("_x", start_) != std::string::npos) {
        std::string u = unescape_ooxml(std::string_view(arena).substr(start_));
        arena.resize(start_);
        arena += u;
      }
      items.emplace_back(uint32_t(start_), uint32_t(arena.size() - start_));
    }
  }
  void text(const char* s, int len) override {
    if (!in_t_) return;
    if (arena.size() + size_t(len) > L_.max_shared_bytes) {
      error = "the shared-string table is larger than " + size_text(L_.max_shared_bytes);
      return;
    }
    if (arena.size() - start_ + size_t(len) > L_.max_cell_bytes) {
      error = "a string is longer than Excel allows";
      return;
    }
    arena.append(s, size_t(len));
  }

 private:
  const XlsxLimits& L_;
  bool in_si_ = false, in_t_ = false, in_rph_ = false;
  size_t start_ = 0;
};

class SheetHandler : public XmlHandler {
 public:
  SheetHandler(const XlsxLimits& L, const SharedStringsHandler* ss, Table& t) : L_(L), ss_(ss), t_(t) {}

  void start(std::string_view name, const char** attrs) override {
    if (name == "row") {
      const char* r = attr(attrs, "r");
      uint64_t rn = row_ + 1;
      if (r) {
        rn = 0;
        for (const char* p = r; *p; p++) {
          if (*p < '0' || *p > '9' || rn > 10000000) {
            error = "bad row number";
            return;
          }
          rn = rn * 10 + uint64_t(*p - '0');
        }
      }
      if (rn <= row_ || rn > L_.max_rows) {
        error = rn > L_.max_rows ? "too many rows" : "rows out of order";
        return;
      }
      row_ = rn;
      row_open_ = false;
      col_ = -1;
    } else if (name == "c") {
      const char* r = attr(attrs, "r");
      int64_t c = col_ + 1;
      if (r) {
        std::string_view rv(r);
        size_t k = 0;
        while (k < rv.size() && ((rv[k] >= 'A' && rv[k] <= 'Z') || (rv[k] >= 'a' && rv[k] <= 'z'))) k++;
        int ci = column_index(rv.substr(0, k));
        if (ci < 0) {
          error = "bad cell reference";
          return;
        }
        c = ci;
      }
      if (c <= col_) {
        error = "cells out of order";
        return;
      }
      col_ = c;
      const char* t = attr(attrs, "t");
      type_ = t ? t : "n";
      in_c_ = true;
      val_.clear();
      has_val_ = false;
    } else if (in_c_ && name == "v") {
      in_v_ = true;
      has_val_ = true;
    } else if (in_c_ && name == "is") {
      in_is_ = true;
      has_val_ = true;
    } else if (in_is_ && name == "rPh") {
      in_rph_ = true;
    } else if (in_is_ && name == "t" && !in_rph_) {
      in_t_ = true;
    }
  }

  void end(std::string_view name) override {
    if (name == "v") in_v_ = false;
    else if (name == "t") in_t_ = false;
    else if (name == "rPh") in_rph_ = false;
    else if (name == "is") in_is_ = false;
    else if (name == "c" && in_c_) {
      in_c_ = false;
      if (has_val_) put_cell();
    }
  }

  void text(const char* s, int len) override {
    if (!(in_v_ || (in_is_ && in_t_))) return;
    if (val_.size() + size_t(len) > L_.max_cell_bytes) {
      error = "a cell is longer than Excel allows";
      return;
    }
    val_.append(s, size_t(len));
  }

 private:
  void put_cell() {
    std::string_view v = val_;
    CellKind k = CellKind::Text;
    std::string tmp;
    if (type_ == "s") {
      uint64_t idx = 0;
      if (v.empty() || v.size() > 10) {
        error = "bad shared-string index";
        return;
      }
      for (char ch : v) {
        if (ch < '0' || ch > '9') {
          error = "bad shared-string index";
          return;
        }
        idx = idx * 10 + uint64_t(ch - '0');
      }
      if (!ss_ || idx >= ss_->items.size()) {
        error = "shared-string index out of range";
        return;
      }
      auto [off, len] = ss_->items[idx];
      v = std::string_view(ss_->arena).substr(off, len);
    } else if (type_ == "b") {
      v = (v == "1" || v == "true") ? "TRUE" : "FALSE";
      k = CellKind::Bool;
    } else if (type_ == "e") {
      k = CellKind::Error;
    } else if (type_ == "n") {
      k = CellKind::Number;
    } else if (v.find("_x") != std::string_view::npos) {  // inlineStr, str, d: text
      tmp = unescape_ooxml(v);
      v = tmp;
    }
    if (v.empty()) return;
    if (col_ >= int64_t(L_.max_columns)) {
      error = "too many columns (more than " + std::to_string(L_.max_columns) + ")";
      return;
    }
    if (t_.cell_count() + size_t(col_ - (row_open_ ? cols_ : 0)) + 1 > L_.max_cells) {
      error = "the sheet has more than " + std::to_string(L_.max_cells) + " cells";
      return;
    }
    if (t_.arena_bytes() + v.size() > L_.max_text_bytes) {
      error = "the sheet holds more than " + size_text(L_.max_text_bytes) + " of text";
      return;
    }
    if (!row_open_) {
      t_.begin_row(uint32_t(row_));
      row_open_ = true;
      cols_ = 0;
    }
    while (cols_ < col_) {
      t_.add_cell({});
      cols_++;
    }
    t_.add_cell(v, k);
    cols_++;
  }

  const XlsxLimits& L_;
  const SharedStringsHandler* ss_;
  Table& t_;
  uint64_t row_ = 0;
  int64_t col_ = -1, cols_ = 0;
  bool row_open_ = false, in_c_ = false, in_v_ = false, in_is_ = false, in_t_ = false, in_rph_ = false, has_val_ = false;
  std::string type_, val_;
};

// "worksheets/sheet1.xml" relative to xl/, or "/xl/worksheets/sheet1.xml".
std::string resolve(const std::string& base_dir, const std::string& target) {
  std::string path = target.rfind('/', 0) == 0 ? target.substr(1) : base_dir + target;
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string seg = path.substr(i, j - i);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    i = j + 1;
  }
  std::string out;
  for (auto& s : parts) out += (out.empty() ? "" : "/") + s;
  return out;
}

}  // namespace

Result<Table> read_xlsx(std::string_view bytes, const XlsxLimits& L, XlsxInfo* info) {
  if (looks_like_ole2(bytes))
    return bad_request("unsupported_file", "this is a legacy .xls or a password-protected workbook; save it as .xlsx (or CSV) without a password");
  if (!looks_like_zip(bytes)) return bad("it is not a zip archive");
  Zip z(bytes, L);
  if (!z.error().empty()) return bad(z.error());
  std::string sheet_path, ss_path = "xl/sharedStrings.xml", sheet_name;
  zip_int64_t wb = z.find("xl/workbook.xml");
  if (wb < 0) return bad("xl/workbook.xml is missing");
  WorkbookHandler wh;
  TRY(z.parse(wb, wh, "xl/workbook.xml"));
  sheet_name = wh.first_name;
  zip_int64_t rels = z.find("xl/_rels/workbook.xml.rels");
  if (rels >= 0) {
    RelsHandler rh;
    TRY(z.parse(rels, rh, "xl/_rels/workbook.xml.rels"));
    auto it = rh.targets.find(wh.first_rid);
    if (it != rh.targets.end()) sheet_path = resolve("xl/", it->second);
    if (!rh.shared_strings.empty()) ss_path = resolve("xl/", rh.shared_strings);
  }
  if (sheet_path.empty()) sheet_path = "xl/worksheets/sheet1.xml";
  zip_int64_t sh = z.find(sheet_path);
  if (sh < 0) return bad("the first worksheet (" + sheet_path + ") is missing");
  std::unique_ptr<SharedStringsHandler> ss;
  zip_int64_t ssi = z.find(ss_path);
  if (ssi >= 0) {
    ss = std::make_unique<SharedStringsHandler>(L);
    TRY(z.parse(ssi, *ss, ss_path));
  }
  Table t;
  SheetHandler h(L, ss.get(), t);
  TRY(z.parse(sh, h, sheet_path));
  if (info) info->sheet = sheet_name;
  return t;
}

}  // namespace tj::io
