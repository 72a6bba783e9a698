// Table: the cells of a spreadsheet or CSV file, as read. All cell text lives
// in one arena (UTF-8) and each cell is an (offset, length, kind) triple, so a
// million-row file costs a few bytes per cell beyond its text and reading it
// never allocates per cell. Rows remember their number in the source (the row
// number Excel shows: record number for CSV, the sheet's r= for XLSX).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tj::io {

enum class CellKind : uint8_t { Text, Number, Bool, Error };

class Table {
 public:
  void reserve(size_t text_bytes, size_t cells, size_t rows) {
    arena_.reserve(text_bytes);
    cells_.reserve(cells);
    row_start_.reserve(rows);
    source_row_.reserve(rows);
  }
  void begin_row(uint32_t source_row) {
    row_start_.push_back(uint32_t(cells_.size()));
    source_row_.push_back(source_row);
  }
  // Appends a cell to the current row.
  void add_cell(std::string_view text, CellKind k = CellKind::Text) {
    cells_.push_back({uint32_t(arena_.size()), uint32_t(text.size()), k});
    arena_.append(text);
  }
  // Cell text can also be written straight into the arena (the CSV reader
  // unescapes quotes there): start_cell(), append(...), end_cell().
  void start_cell() { open_ = arena_.size(); }
  void append(char c) { arena_.push_back(c); }
  void append(std::string_view s) { arena_.append(s); }
  size_t open_cell_size() const { return arena_.size() - open_; }
  void end_cell(CellKind k = CellKind::Text) {
    cells_.push_back({uint32_t(open_), uint32_t(arena_.size() - open_), k});
  }
  // Drops trailing empty cells of the current row (Excel pads rows with them).
  void trim_row() {
    size_t start = row_start_.empty() ? 0 : row_start_.back();
    while (cells_.size() > start && cells_.back().len == 0) cells_.pop_back();
  }

  size_t rows() const { return row_start_.size(); }
  size_t cols(size_t r) const { return row_end(r) - row_start_[r]; }
  std::string_view text(size_t r, size_t c) const {
    if (c >= cols(r)) return {};
    const Cell& x = cells_[row_start_[r] + c];
    return std::string_view(arena_.data() + x.off, x.len);
  }
  CellKind kind(size_t r, size_t c) const {
    return c >= cols(r) ? CellKind::Text : cells_[row_start_[r] + c].kind;
  }
  uint32_t source_row(size_t r) const { return source_row_[r]; }
  // True when every cell of the row is empty or whitespace.
  bool blank(size_t r) const;
  size_t arena_bytes() const { return arena_.size(); }
  size_t cell_count() const { return cells_.size(); }

 private:
  struct Cell {
    uint32_t off, len;
    CellKind kind;
  };
  size_t row_end(size_t r) const { return r + 1 < row_start_.size() ? row_start_[r + 1] : cells_.size(); }
  std::string arena_;
  std::vector<Cell> cells_;
  std::vector<uint32_t> row_start_, source_row_;
  size_t open_ = 0;
};

// Column letters as Excel shows them: 0 -> "A", 26 -> "AA".
std::string column_name(size_t index);
// "AB" -> 27; -1 when not 1-3 letters A-Z.
int column_index(std::string_view letters);

}  // namespace tj::io
