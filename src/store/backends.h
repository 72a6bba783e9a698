// The backends behind open_store (src/store/open_store.cpp), which picks one by URL.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"

namespace tj {
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, int readers);
}  // namespace tj
