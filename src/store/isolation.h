// A write that states its invariants are all guarded by rows it updates may run below
// SERIALIZABLE on PostgreSQL. Set on the calling thread around Store::write (RAII).
//
// Why: under SERIALIZABLE, PostgreSQL's predicate locks on B-tree pages are page-sized, so
// concurrent visits of one rep (neighbouring company ids, neighbouring visit index entries)
// cancel each other as "pivots" although they touch different rows; 64 connections logging
// visits for one rep answered 503 busy after their retries (docs/performance.md). A visit
// write reads its company, the companion and the settings, and updates the company row
// (optimistic version check): at REPEATABLE READ two writes of one company still conflict on
// that row (first updater wins, the other retries), and the counters it adds to are
// insert-only deltas (migration 0016). SQLite has one writer and ignores the hint.
#pragma once

namespace tj {

class RowGuardedWrite {
 public:
  RowGuardedWrite() : prev_(active_) { active_ = true; }
  ~RowGuardedWrite() { active_ = prev_; }
  RowGuardedWrite(const RowGuardedWrite&) = delete;
  RowGuardedWrite& operator=(const RowGuardedWrite&) = delete;
  static bool active() { return active_; }

 private:
  bool prev_;
  static inline thread_local bool active_ = false;
};

}  // namespace tj
