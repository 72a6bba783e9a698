// SnapshotCache: a small process-wide cache of what a read transaction saw, for facts read on
// nearly every request (an organisation's settings, a rep's record by payer style).
//
// Contract (the rule of the authentication cache, app/auth.cpp, in one home):
// - An entry is used only inside a read transaction that began after the last write transaction
//   this process committed (store_stats::tx_generation == current_generation()), and only while
//   no write has committed since the entry was filled (its generation is still current).
// - It is filled only from such a transaction: a write transaction (kWriting) or a read whose
//   snapshot a commit has overtaken never stores what it read.
// - Every entry lives at most `ttl` (another process writing to the same database is seen
//   within it), and the cache holds at most `max_entries` (then it is emptied).
// - Keys name the connection (Tx::conn()), so two databases in one process never share entries.
// Thread-safe; values are copied out.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "store/stats.h"

namespace tj {

template <class Key, class Value, class Hash = std::hash<Key>>
class SnapshotCache {
 public:
  SnapshotCache(std::chrono::steady_clock::duration ttl, size_t max_entries) : ttl_(ttl), max_(max_entries) {}

  // The cached value, if this transaction may use it; or what `read()` returns, stored if it may be.
  template <class Read>
  Value get_or_read(const Key& key, Read&& read) {
    const uint64_t now_gen = store_stats::current_generation();
    const uint64_t tx_gen = store_stats::tx_generation;
    if (tx_gen == now_gen) {
      std::lock_guard lk(mu_);
      auto it = entries_.find(key);
      if (it != entries_.end()) {
        if (it->second.generation == now_gen && std::chrono::steady_clock::now() - it->second.filled <= ttl_)
          return it->second.value;
        entries_.erase(it);
      }
    }
    Value v = read();
    if (tx_gen == now_gen) {  // a snapshot no commit has overtaken
      std::lock_guard lk(mu_);
      if (entries_.size() >= max_) entries_.clear();
      entries_.insert_or_assign(key, Entry{v, tx_gen, std::chrono::steady_clock::now()});
    }
    return v;
  }

 private:
  struct Entry {
    Value value;
    uint64_t generation;
    std::chrono::steady_clock::time_point filled;
  };
  const std::chrono::steady_clock::duration ttl_;
  const size_t max_;
  std::mutex mu_;
  std::unordered_map<Key, Entry, Hash> entries_;
};

}  // namespace tj
