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
namespace tj::db { class Conn; }
namespace tj::migrations {
// The part of a migration SQL cannot do (store/migrate_steps.cpp), run by both backends
// right after migration `number`'s SQL, in its transaction: e.g. 0010 fills companies.name_key
// with the normalised names of the rows already stored.
void after_sql(int number, db::Conn& c);
}  // namespace tj::migrations
