// A request's deadline and cancellation (SPEC §8, issue 16 point 2), header-only so both the
// HTTP server (which makes them) and the stores (which obey them) can use it.
//
// Contract:
// - The HTTP server makes one Deadline per request when it queues it (now + --request-timeout)
//   and, on the worker thread running the handler, installs it with a Scope: deadline::current()
//   is then that request's Deadline, on that thread only. Background work (jobs, the delivery
//   worker, the CLI) has none and is never interrupted.
// - The stores check it: SQLite through a progress handler on every connection (every
//   kProgressOps virtual-machine steps), PostgreSQL through `SET LOCAL statement_timeout` at the
//   start of each transaction, and, for a cancel, through the canceller a running query
//   registers. A query stopped so ends its transaction with deadline_error() (503 `timeout`).
// - cancel() may be called from any thread (the I/O thread whose client hung up): it marks the
//   Deadline expired and runs the registered canceller (PQcancel) under a mutex, so the
//   canceller cannot outlive the query that registered it.
// - A Suspend scope hides the Deadline (COMMIT must not be interrupted half-way).
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

#include "common/result.h"

namespace tj {
// What a request gets when its deadline passed (or its client hung up) before its work was
// done: 503 `timeout`.
inline Error deadline_error() {
  return {Err::Unavailable, "timeout", "the request took longer than the server's deadline and was stopped; retry, or narrow it"};
}
}  // namespace tj

namespace tj::deadline {

using Clock = std::chrono::steady_clock;

class Deadline {
 public:
  explicit Deadline(Clock::time_point at, int64_t timeout_ms) : at_(at), timeout_ms_(timeout_ms) {}
  Clock::time_point at() const { return at_; }
  int64_t timeout_ms() const { return timeout_ms_; }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }
  bool expired() const { return cancelled() || Clock::now() >= at_; }
  // Milliseconds left (<= 0 once expired or cancelled).
  int64_t remaining_ms() const {
    if (cancelled()) return 0;
    return std::chrono::duration_cast<std::chrono::milliseconds>(at_ - Clock::now()).count();
  }
  void cancel() {
    cancelled_.store(true, std::memory_order_relaxed);
    std::lock_guard lk(mu_);
    if (canceller_) canceller_();
  }
  // What cancel() runs while a query is under way; cleared before the query's resources go.
  void set_canceller(std::function<void()> fn) {
    std::lock_guard lk(mu_);
    canceller_ = std::move(fn);
  }
  void clear_canceller() {
    std::lock_guard lk(mu_);
    canceller_ = nullptr;
  }
  // set_canceller for a scope.
  class Canceller {
   public:
    Canceller(Deadline* d, std::function<void()> fn) : d_(d) {
      if (!d_) return;
      std::lock_guard lk(d_->mu_);
      d_->canceller_ = std::move(fn);
    }
    ~Canceller() {
      if (!d_) return;
      std::lock_guard lk(d_->mu_);
      d_->canceller_ = nullptr;
    }
    Canceller(const Canceller&) = delete;
    Canceller& operator=(const Canceller&) = delete;

   private:
    Deadline* d_;
  };

 private:
  Clock::time_point at_;
  int64_t timeout_ms_;
  std::atomic<bool> cancelled_{false};
  std::mutex mu_;
  std::function<void()> canceller_;
};

inline thread_local Deadline* t_current = nullptr;

// This thread's request's Deadline, or null.
inline Deadline* current() { return t_current; }

class Scope {
 public:
  explicit Scope(Deadline* d) : prev_(t_current) { t_current = d; }
  ~Scope() { t_current = prev_; }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  Deadline* prev_;
};

// Hides the deadline for a step that must finish (a COMMIT).
class Suspend : public Scope {
 public:
  Suspend() : Scope(nullptr) {}
};

}  // namespace tj::deadline
