// Process-wide counters of the stores, header-only (issue 16 points 1 and 7), so that no
// widely included interface changes for them.
//
// - write_generation: bumped after every write transaction a store of this process committed.
//   A cache of what the database says (the authentication cache of app/auth.cpp) is valid
//   only while it has not moved since the read that filled the cache began.
// - readers_in_use / readers_size: connections of the stores' reading pools in use, and their
//   size, for the tiejun_db_pool_* gauges of /metrics.
#pragma once
#include <atomic>
#include <cstdint>

namespace tj::store_stats {

inline std::atomic<uint64_t> write_generation{0};
inline std::atomic<int> readers_in_use{0};
inline std::atomic<int> readers_size{0};

inline uint64_t current_generation() { return write_generation.load(std::memory_order_acquire); }
inline void note_committed() { write_generation.fetch_add(1, std::memory_order_acq_rel); }

}  // namespace tj::store_stats
