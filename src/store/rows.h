// Row mapping shared by the Tx query files.
#pragma once
#include "store/db.h"
#include "domain/entities.h"

namespace tj {
// Maps a row of the 30 company columns, in the order of kCompanyCols in tx.cpp.
Company company_from(const db::Row& r);
}  // namespace tj
