// Numbered, append-only schema migrations (src/store/migrations/<dialect>/NNNN_name.sql),
// compiled into the binary. Never edit an applied migration: add the next number.
#pragma once
namespace tj::migrations {
struct Migration {
  int number;
  const char* name;
  const char* sql;
};
extern const Migration kSqlite[];    // ends with {0, nullptr, nullptr}
extern const Migration kPostgres[];  // same numbers and meaning as kSqlite
}  // namespace tj::migrations
