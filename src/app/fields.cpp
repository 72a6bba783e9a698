#include "app/fields.h"

#include "common/utf8.h"

namespace tj {

bool valid_utf8(std::string_view s) { return s.find('\0') == std::string_view::npos && utf8::valid(s); }

Error field_error(const std::string& field, const std::string& what) {
  return {Err::BadRequest, "invalid_field", field + ": " + what};
}

Result<Fields> Fields::of(const json& body, std::initializer_list<const char*> allowed) {
  if (!body.is_object()) return bad_request("invalid_body", "the request body must be a JSON object");
  for (auto it = body.begin(); it != body.end(); ++it) {
    bool ok = false;
    for (auto a : allowed)
      if (it.key() == a) ok = true;
    if (!ok) {
      if (it.key() == "id" || it.key() == "org_id")
        return bad_request("forbidden_field", it.key() + ": this field cannot be set");
      return bad_request("unknown_field", it.key() + ": unknown field");
    }
  }
  return Fields(body);
}

Result<std::string> Fields::str(const char* k, bool required, size_t max_len) const {
  if (!has(k)) {
    if (required) return field_error(k, "is required");
    return std::string();
  }
  const auto& v = j_.at(k);
  if (!v.is_string()) return field_error(k, "must be a string");
  std::string s = v.get<std::string>();
  if (!valid_utf8(s)) return field_error(k, "must be valid UTF-8 without NUL");
  // length in characters, not bytes
  if (utf8::length(s) > max_len) return field_error(k, "is longer than " + std::to_string(max_len) + " characters");
  // trim ASCII whitespace
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  s = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  if (required && s.empty()) return field_error(k, "must not be empty");
  return s;
}

Result<std::optional<std::string>> Fields::opt_str(const char* k, size_t max_len) const {
  if (!has(k)) return std::optional<std::string>();
  TRY_ASSIGN(auto s, str(k, false, max_len));
  return std::optional<std::string>(s);
}

Result<std::optional<int64_t>> Fields::opt_int(const char* k, int64_t lo, int64_t hi) const {
  if (!has(k)) return std::optional<int64_t>();
  const auto& v = j_.at(k);
  if (!v.is_number_integer()) return field_error(k, "must be an integer");
  if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)) return field_error(k, "is out of range");
  int64_t x = v.get<int64_t>();
  if (x < lo || x > hi)
    return field_error(k, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return std::optional<int64_t>(x);
}

Result<int64_t> Fields::integer(const char* k, int64_t lo, int64_t hi) const {
  if (!has(k)) return field_error(k, "is required");
  TRY_ASSIGN(auto v, opt_int(k, lo, hi));
  return *v;
}

Result<std::optional<bool>> Fields::opt_bool(const char* k) const {
  if (!has(k)) return std::optional<bool>();
  const auto& v = j_.at(k);
  if (!v.is_boolean()) return field_error(k, "must be true or false");
  return std::optional<bool>(v.get<bool>());
}

Result<std::optional<std::string>> Fields::opt_date(const char* k) const {
  if (!has(k)) return std::optional<std::string>();
  const auto& v = j_.at(k);
  if (!v.is_string() || !parse_date(v.get<std::string>())) return field_error(k, "must be a date YYYY-MM-DD");
  return std::optional<std::string>(v.get<std::string>());
}

}  // namespace tj
