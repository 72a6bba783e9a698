// Result<T>: the one error type of Tiejun, from the store up to the HTTP edge.
// An Error carries a category (which the HTTP layer maps to a status), a stable
// machine key (e.g. "company_not_found") and a human message. Errors are for
// bad input, missing records, conflicts and refused access; bugs are asserts.
#pragma once
#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tj {

enum class Err {
  BadRequest,    // 400: malformed or invalid input
  Unauthorized,  // 401: no or bad credentials
  Forbidden,     // 403: authenticated but the action is not allowed (e.g. CSRF)
  NotFound,      // 404: absent, or outside the caller's scope
  Conflict,      // 409: stale version, illegal transition, cap reached, duplicate
  TooLarge,      // 413
  TooMany,       // 429
  Unavailable,   // 503: disk full, database busy
  Internal,      // 500: a bug; never for user input
};

struct Error {
  Err kind = Err::Internal;
  std::string code;     // stable key, snake_case
  std::string message;  // for humans
};

inline Error bad_request(std::string code, std::string msg) { return {Err::BadRequest, std::move(code), std::move(msg)}; }
inline Error not_found(std::string what) { return {Err::NotFound, "not_found", std::move(what) + " not found"}; }
inline Error conflict(std::string code, std::string msg) { return {Err::Conflict, std::move(code), std::move(msg)}; }
inline Error forbidden(std::string code, std::string msg) { return {Err::Forbidden, std::move(code), std::move(msg)}; }
inline Error unauthorized(std::string msg) { return {Err::Unauthorized, "unauthorized", std::move(msg)}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T v) : v_(std::move(v)) {}            // NOLINT implicit by design
  Result(Error e) : v_(std::move(e)) {}        // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const Error& error() const { assert(!ok()); return std::get<1>(v_); }
  Error take_error() { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() { return Unit{}; }

}  // namespace tj

// TRY(expr): evaluate a Result; on error return it from the enclosing function.
#define TJ_CAT2(a, b) a##b
#define TJ_CAT(a, b) TJ_CAT2(a, b)
#define TRY_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                    \
  if (!tmp.ok()) return tmp.take_error(); \
  lhs = std::move(tmp).value()
#define TRY_ASSIGN(lhs, expr) TRY_ASSIGN_IMPL(TJ_CAT(tj_try_, __LINE__), lhs, expr)
#define TRY(expr)                                   \
  do {                                              \
    auto tj_try_s = (expr);                         \
    if (!tj_try_s.ok()) return tj_try_s.take_error(); \
  } while (0)
