// Code steps of migrations (see migrations.h): what SQL cannot compute.
#include "domain/names.h"
#include "store/db.h"
#include "store/migrations.h"

namespace tj::migrations {

namespace {

// 0010: every stored company's name_key (names::company_key), a page at a time in key order.
void fill_name_keys(db::Conn& c) {
  const bool pg = c.dialect() == db::Dialect::Postgres;
  int64_t org = 0, id = 0;
  for (;;) {
    auto rows = pg ? c.query("SELECT org_id, id, name FROM companies WHERE (org_id, id) > (?, ?) ORDER BY org_id, id LIMIT 5000",
                             {org, id})
                   : c.query("SELECT org_id, id, name FROM companies WHERE id > ? ORDER BY id LIMIT 5000", {id});
    for (auto& r : rows) {
      org = r.i64(0);
      id = r.i64(1);
      c.exec("UPDATE companies SET name_key = ? WHERE org_id = ? AND id = ?", {names::company_key(r.str(2)), org, id});
    }
    if (rows.size() < 5000) break;
  }
}

}  // namespace

void after_sql(int number, db::Conn& c) {
  if (number == 10) fill_name_keys(c);
}

}  // namespace tj::migrations
