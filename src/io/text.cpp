#include "io/text.h"
#include "common/utf8.h"
#include "domain/names.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>
#include <cstring>

namespace tj::io {

namespace {

// Converts with glibc's iconv; on bad input reports the line (1-based) of the
// offending byte.
bool iconv_to_utf8(const char* from, std::string_view in, std::string& out, size_t& bad_line) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == (iconv_t)-1) {
    bad_line = 0;
    return false;
  }
  out.clear();
  out.resize(in.size() * 3 / 2 + 16);
  char* ip = const_cast<char*>(in.data());
  size_t il = in.size();
  size_t used = 0;
  bool ok = true;
  while (il > 0) {
    char* op = out.data() + used;
    size_t ol = out.size() - used;
    size_t rc = iconv(cd, &ip, &il, &op, &ol);
    used = out.size() - ol;
    if (rc != (size_t)-1) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    // EILSEQ or EINVAL (truncated sequence at the end)
    size_t off = size_t(ip - in.data());
    bad_line = 1 + size_t(std::count(in.data(), in.data() + off, '\n'));
    ok = false;
    break;
  }
  iconv_close(cd);
  out.resize(used);
  return ok;
}

bool dangerous(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

Result<Decoded> decode_text(std::string_view b) {
  Decoded d;
  auto bad = [](const std::string& what, size_t line) {
    return bad_request("invalid_encoding", what + (line ? " (line " + std::to_string(line) + ")" : "") +
                                               "; save the file as CSV UTF-8 or as XLSX");
  };
  if (b.size() >= 3 && (unsigned char)b[0] == 0xEF && (unsigned char)b[1] == 0xBB && (unsigned char)b[2] == 0xBF) {
    b.remove_prefix(3);
    if (!utf8::valid(b)) {
      // Find the line for the message.
      size_t lo = 0, line = 1;
      for (size_t i = 0; i < b.size(); i++)
        if (b[i] == '\n') {
          if (!utf8::valid(b.substr(lo, i - lo))) break;
          lo = i + 1;
          line++;
        }
      return bad("the file starts with a UTF-8 byte order mark but is not valid UTF-8", line);
    }
    d.text = b;
    d.encoding = "utf-8-bom";
    return d;
  }
  if (b.size() >= 2 && (((unsigned char)b[0] == 0xFF && (unsigned char)b[1] == 0xFE) ||
                        ((unsigned char)b[0] == 0xFE && (unsigned char)b[1] == 0xFF))) {
    bool le = (unsigned char)b[0] == 0xFF;
    size_t line = 0;
    if (!iconv_to_utf8(le ? "UTF-16LE" : "UTF-16BE", b.substr(2), d.converted, line))
      return bad("the file has a UTF-16 byte order mark but is not valid UTF-16", 0);
    d.text = d.converted;
    d.encoding = le ? "utf-16le" : "utf-16be";
    return d;
  }
  if (utf8::valid(b)) {
    d.text = b;
    d.encoding = "utf-8";
    return d;
  }
  size_t line = 0;
  if (!iconv_to_utf8("GB18030", b, d.converted, line))
    return bad("the file is neither UTF-8 nor GBK/GB18030", line);
  d.text = d.converted;
  d.encoding = "gb18030";
  return d;
}

std::string_view trim(std::string_view s) {
  if (s.empty()) return s;
  {
    unsigned char f = s.front(), b = s.back();
    // fast path: no whitespace at either end (0xC2/0xE3 lead NBSP and U+3000; 0xA0/0x80 end them)
    if (f > 0x20 && f != 0xC2 && f != 0xE3 && b > 0x20 && b != 0xA0 && b != 0x80) return s;
  }
  auto lead = [](std::string_view t) -> size_t {
    if (t.empty()) return 0;
    unsigned char c = t[0];
    if (c == ' ' || (c >= 0x09 && c <= 0x0D)) return 1;
    if (t.size() >= 2 && c == 0xC2 && (unsigned char)t[1] == 0xA0) return 2;
    if (t.size() >= 3 && c == 0xE3 && (unsigned char)t[1] == 0x80 && (unsigned char)t[2] == 0x80) return 3;
    return 0;
  };
  auto trail = [](std::string_view t) -> size_t {
    if (t.empty()) return 0;
    unsigned char c = t.back();
    if (c == ' ' || (c >= 0x09 && c <= 0x0D)) return 1;
    size_t n = t.size();
    if (n >= 2 && (unsigned char)t[n - 2] == 0xC2 && c == 0xA0) return 2;
    if (n >= 3 && (unsigned char)t[n - 3] == 0xE3 && (unsigned char)t[n - 2] == 0x80 && c == 0x80) return 3;
    return 0;
  };
  for (size_t k; (k = lead(s)) != 0;) s.remove_prefix(k);
  for (size_t k; (k = trail(s)) != 0;) s.remove_suffix(k);
  return s;
}

std::string fold_width(std::string_view s, bool drop_spaces, bool lower) {
  std::string out;
  out.reserve(s.size());
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c < 0x80) {
      i++;
      if (drop_spaces && (c == ' ' || (c >= 0x09 && c <= 0x0D))) continue;
      if (lower && c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
      out.push_back(char(c));
      continue;
    }
    // Only a few three-byte forms change: U+FF01-FF5E (EF BC 81 - EF BD 9E),
    // U+3000 (E3 80 80) and the spaces U+2000-200B, U+202F, U+205F, U+FEFF; and U+00A0 (C2 A0).
    if (c == 0xEF && i + 2 < n && (p[i + 1] == 0xBC || p[i + 1] == 0xBD)) {
      uint32_t cp = 0xFF00 + ((p[i + 1] & 0x03u) << 6) + (p[i + 2] & 0x3Fu);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        unsigned char a = static_cast<unsigned char>(cp - 0xFEE0);
        i += 3;
        if (lower && a >= 'A' && a <= 'Z') a = static_cast<unsigned char>(a + 32);
        out.push_back(char(a));
        continue;
      }
    }
    bool space = (c == 0xE3 && i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0x80) ||
                 (c == 0xC2 && i + 1 < n && p[i + 1] == 0xA0) ||
                 (c == 0xE2 && i + 2 < n && p[i + 1] == 0x80 && (p[i + 2] <= 0x8B || p[i + 2] == 0xAF)) ||
                 (c == 0xE2 && i + 2 < n && p[i + 1] == 0x81 && p[i + 2] == 0x9F) ||
                 (c == 0xEF && i + 2 < n && p[i + 1] == 0xBB && p[i + 2] == 0xBF);
    size_t len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + len > n) len = n - i;
    if (space) {
      i += len;
      if (!drop_spaces) out.push_back(' ');
      continue;
    }
    out.append(s.data() + i, len);
    i += len;
  }
  return out;
}

std::string company_key(std::string_view name) { return names::company_key(name); }

namespace {
// The length of a character a spreadsheet skips before it looks for a formula start (issue
// 17, point 11): ASCII blanks, the apostrophe (so that neutralise() stays reversible), NBSP,
// the ideographic space U+3000, U+2000-U+200F (spaces, zero-width and direction marks),
// U+202F, U+205F-U+2060, U+FEFF (BOM / zero-width no-break space); 0 for any other.
size_t skippable(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\v' || c == '\f' || c == '\'') return 1;
  auto at = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  if (c == 0xC2 && at(1) == 0xA0) return 2;
  if (c == 0xE3 && at(1) == 0x80 && at(2) == 0x80) return 3;
  if (c == 0xE2 && at(1) == 0x80 && ((at(2) >= 0x80 && at(2) <= 0x8F) || at(2) == 0xAF)) return 3;
  if (c == 0xE2 && at(1) == 0x81 && (at(2) == 0x9F || at(2) == 0xA0)) return 3;
  if (c == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return 3;
  return 0;
}
// A formula start: = + - @ tab CR LF, or the full-width ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D,
// U+FF20) that spreadsheets with CJK input read as their ASCII forms.
bool formula_start(std::string_view s, size_t i) {
  if (dangerous(s[i])) return true;
  if (i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xEF) {
    unsigned char b = static_cast<unsigned char>(s[i + 1]), c = static_cast<unsigned char>(s[i + 2]);
    return (b == 0xBC && (c == 0x9D || c == 0x8B || c == 0x8D || c == 0xA0));
  }
  return false;
}
}  // namespace

bool needs_neutralising(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (formula_start(s, i)) return true;
    size_t k = skippable(s, i);
    if (!k) return false;
    i += k;
  }
  return false;
}

std::string neutralise(std::string_view s) {
  if (!needs_neutralising(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 1);
  out.push_back('\'');
  out.append(s);
  return out;
}

std::string_view unneutralise(std::string_view s) {
  if (s.size() >= 2 && s[0] == '\'' && needs_neutralising(s.substr(1))) return s.substr(1);
  return s;
}

std::optional<int64_t> parse_money(std::string_view s, int64_t unit_fen, std::string& why, int64_t max_fen) {
  std::string_view t = trim(s);
  auto strip_prefix = [&](std::string_view p) {
    if (t.substr(0, p.size()) == p) {
      t.remove_prefix(p.size());
      return true;
    }
    return false;
  };
  auto strip_suffix = [&](std::string_view p) {
    if (t.size() >= p.size() && t.substr(t.size() - p.size()) == p) {
      t.remove_suffix(p.size());
      return true;
    }
    return false;
  };
  bool neg = strip_prefix("-");
  if (strip_prefix("¥") || strip_prefix("￥") || strip_prefix("RMB") || strip_prefix("CNY")) t = trim(t);
  if (!neg) neg = strip_prefix("-");
  int pow_unit;  // unit as a power of ten of fen
  if (strip_suffix("万元") || strip_suffix("万")) pow_unit = 6;
  else if (strip_suffix("元")) pow_unit = 2;
  else pow_unit = unit_fen == 1 ? 0 : unit_fen == 1000000 ? 6 : 2;
  t = trim(t);
  why = "is not an amount (write e.g. 12345.67, 1,200, ¥800 or 50万)";
  if (t.empty()) return std::nullopt;
  // mantissa digits, with thousands separators only between groups of three
  std::string digits;
  int frac = 0;
  bool dot = false, any = false;
  size_t i = 0;
  size_t group = 0;
  bool commas = false;
  for (; i < t.size(); i++) {
    char c = t[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      any = true;
      if (dot) frac++;
      else group++;
    } else if (c == ',' && !dot && any) {
      if (commas ? group != 3 : group > 3) return std::nullopt;
      commas = true;
      group = 0;
    } else if (c == '.' && !dot) {
      if (commas && group != 3) return std::nullopt;
      dot = true;
    } else {
      break;
    }
  }
  if (!any || (commas && !dot && group != 3)) return std::nullopt;
  int64_t exp = 0;
  if (i < t.size()) {
    if (t[i] != 'e' && t[i] != 'E') return std::nullopt;
    i++;
    bool eneg = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) eneg = t[i++] == '-';
    if (i == t.size()) return std::nullopt;
    for (; i < t.size(); i++) {
      if (t[i] < '0' || t[i] > '9' || exp > 1000) return std::nullopt;
      exp = exp * 10 + (t[i] - '0');
    }
    if (eneg) exp = -exp;
  }
  // value = digits * 10^(exp - frac + pow_unit) fen
  int64_t e = exp - frac + pow_unit;
  size_t nz = digits.find_first_not_of('0');
  if (nz == std::string::npos) return int64_t(0);
  digits.erase(0, nz);
  int64_t len = int64_t(digits.size());
  why = "is out of range";
  std::string int_part;
  bool round_up = false;
  if (e >= 0) {
    if (len + e > 18) return std::nullopt;
    int_part = digits + std::string(size_t(e), '0');
  } else {
    int64_t keep = len + e;  // digits left of the fen point
    if (keep < 0) return int64_t(0);
    int_part = digits.substr(0, size_t(keep));
    round_up = digits[size_t(keep)] >= '5';
    if (int_part.size() > 18) return std::nullopt;
  }
  int64_t v = 0;
  for (char c : int_part) v = v * 10 + (c - '0');
  if (round_up) v++;
  if (v > max_fen) return std::nullopt;
  if (neg && v != 0) {
    why = "must not be negative";
    return std::nullopt;
  }
  why.clear();
  return v;
}

std::optional<int64_t> parse_integer(std::string_view s) {
  std::string_view t = trim(s);
  if (!t.empty() && t[0] == '+') t.remove_prefix(1);
  size_t dot = t.find('.');
  std::string_view ip = t.substr(0, dot);
  if (dot != std::string_view::npos) {
    std::string_view fp = t.substr(dot + 1);
    if (fp.find_first_not_of('0') != std::string_view::npos) return std::nullopt;
  }
  if (ip.empty() || ip.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : ip) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<bool> parse_bool(std::string_view s) {
  std::string t = fold_width(trim(s), true, true);
  static const char* yes[] = {"是", "y", "yes", "true", "1", "√", "✓", "对", "t"};
  static const char* no[] = {"否", "n", "no", "false", "0", "×", "✗", "x", "不是", "f"};
  for (auto y : yes)
    if (t == y) return true;
  for (auto n : no)
    if (t == n) return false;
  return std::nullopt;
}

}  // namespace tj::io
