// Import, part three: the progress of running imports, in memory (a progress bar,
// not a record): App::import_companies reports its phases to an entry of the board,
// GET /imports/progress?id= reads it (import_progress.cpp).
#pragma once
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "app/internal.h"

namespace tj {

struct ImportEntry {
  void set(const char* phase, int64_t done, int64_t total) {
    std::lock_guard lk(mu);
    this->phase = phase;
    this->done = done;
    this->total = total;
  }
  void finish(const char* how) {
    std::lock_guard lk(mu);
    phase = how;
    finished = true;
    ended = std::chrono::steady_clock::now();
  }
  json to_json(const std::string& id) {
    std::lock_guard lk(mu);
    auto end = finished ? ended : std::chrono::steady_clock::now();
    return {{"id", id},
            {"phase", phase},
            {"done", done},
            {"total", total},
            {"finished", finished},
            {"elapsed_ms", std::chrono::duration_cast<std::chrono::milliseconds>(end - started).count()}};
  }
  std::mutex mu;
  std::string phase = "upload";
  int64_t done = 0, total = 0;
  bool finished = false;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now(), ended;
};

// Entries live while their import runs and kKeepAfter after it ends; at most
// kMaxEntries (the oldest finished go first), so clients cannot grow it without bound.
struct ImportBoard {
  static constexpr auto kKeepAfter = std::chrono::minutes(10);
  static constexpr size_t kMaxEntries = 4096;
  std::shared_ptr<ImportEntry> start(const std::string& key) {
    std::lock_guard lk(mu);
    prune();
    auto e = std::make_shared<ImportEntry>();
    entries[key] = e;
    return e;
  }
  std::shared_ptr<ImportEntry> find(const std::string& key) {
    std::lock_guard lk(mu);
    auto it = entries.find(key);
    return it == entries.end() ? nullptr : it->second;
  }
  void prune() {
    auto now = std::chrono::steady_clock::now();
    std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> done;
    for (auto it = entries.begin(); it != entries.end();) {
      std::lock_guard lk(it->second->mu);
      if (it->second->finished && now - it->second->ended > kKeepAfter) {
        it = entries.erase(it);
        continue;
      }
      if (it->second->finished) done.emplace_back(it->second->ended, it->first);
      ++it;
    }
    if (entries.size() < kMaxEntries) return;
    std::sort(done.begin(), done.end());
    for (size_t i = 0; i < done.size() && entries.size() >= kMaxEntries; i++) entries.erase(done[i].second);
  }
  std::mutex mu;
  std::map<std::string, std::shared_ptr<ImportEntry>> entries;
};

namespace imp {
// A client's progress_id: 8 to 64 letters, digits, '-' or '_'.
bool valid_progress_id(const std::string& s);
// One user's imports are theirs alone: the key carries the organisation and the user.
std::string board_key(const Actor& a, const std::string& id);
}  // namespace imp

}  // namespace tj
