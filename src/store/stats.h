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

// write_generation as read just before this thread's current (or last) transaction began: what
// a cache filled inside that transaction may be stamped with (a later value could stamp rows of
// the transaction's older snapshot as current). Set by the stores before each BEGIN; a write
// transaction gets kWriting, which no generation equals (what it reads may never commit).
inline constexpr uint64_t kWriting = UINT64_MAX;
inline thread_local uint64_t tx_generation = 0;
enum class TxKind { Read, Write };
inline void note_begin(TxKind k) { tx_generation = k == TxKind::Write ? kWriting : current_generation(); }
inline void note_committed() { write_generation.fetch_add(1, std::memory_order_acq_rel); }

}  // namespace tj::store_stats
