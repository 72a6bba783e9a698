#include "io/table.h"

#include "io/text.h"

namespace tj::io {

bool Table::blank(size_t r) const {
  for (size_t c = 0, n = cols(r); c < n; c++)
    if (!trim(text(r, c)).empty()) return false;
  return true;
}

std::string column_name(size_t index) {
  std::string s;
  size_t n = index + 1;
  while (n > 0) {
    n--;
    s.insert(s.begin(), char('A' + n % 26));
    n /= 26;
  }
  return s;
}

int column_index(std::string_view letters) {
  if (letters.empty() || letters.size() > 3) return -1;
  int v = 0;
  for (char c : letters) {
    if (c >= 'a' && c <= 'z') c = char(c - 32);
    if (c < 'A' || c > 'Z') return -1;
    v = v * 26 + (c - 'A' + 1);
  }
  return v - 1;
}

}  // namespace tj::io
