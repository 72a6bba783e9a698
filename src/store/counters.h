// PostgreSQL's view counters as insert-only deltas (migration 0016): the counter
// triggers insert signed delta rows into <table>_delta, and the views <table> add
// them to <table>_base. SQLite (one writer) keeps updating the counter rows.
#pragma once

#include <cstdint>
#include <string>

#include "store/db.h"

namespace tj {

// Moves an organisation's delta rows into the base rows (run by the daily jobs, every
// ten minutes in `tiejun serve`, and by `tiejun jobs run`). Returns the delta rows
// folded; 0 on SQLite.
int64_t fold_counters(db::Conn& c, int64_t org);

// What a query that SUMs counter `name`'s counted columns (grouped by any of its key columns)
// reads: `name` on SQLite; on PostgreSQL its base and delta rows as they are, as a subquery named
// `name`. The sums are the view's without its per-key aggregate, which at 1,008 reps cost more than
// the query (conversion_org: 56 of its 132 ms per period). Not for reading one row per key.
std::string counter_rows(db::Conn& c, const std::string& name);

// The table a rebuild of counter `name` writes: <name>_base on PostgreSQL, after
// deleting the organisation's deltas; `name` itself on SQLite.
std::string counter_table(db::Conn& c, int64_t org, const std::string& name);

}  // namespace tj
