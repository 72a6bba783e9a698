// Row mapping shared by the Tx query files.
#pragma once
#include <string>

#include "store/db.h"
#include "domain/entities.h"

namespace tj {
// Maps a row of the 34 company columns, in the order of kCompanyCols in tx.cpp;
// kCompanyColsC is the same list for a query naming the table `c`.
Company company_from(const db::Row& r);
extern const char* const kCompanyColsC;
// How many columns kCompanyCols holds: a query that selects more after them reads those
// at kCompanyColCount + i, never at a number written out (that drifted when a column was added).
inline constexpr int kCompanyColCount = 34;
// The 22 visit columns, in the order visit_from reads them.
extern const char* const kVisitCols;
Visit visit_from(const db::Row& r);
// "?,?,…,?" with n placeholders (IN lists, multi-row VALUES); n = 0 gives "".
std::string placeholders(size_t n);
// The public pool clock's start for a company row `c` (SQL, tx_pool.cpp): the latest of its
// last visit and owned_at (its claim or assignment; NULL: its creation).
const char* pool_clock_start_sql();
}  // namespace tj
