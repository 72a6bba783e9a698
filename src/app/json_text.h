// JsonText: JSON written straight into a string, for the hottest answers (one company by id:
// perf showed building, dumping and freeing nlohmann objects at a quarter of the server's time
// for it, issue 16 point 7).
//
// Contract:
// - The text is byte for byte what nlohmann's dump(-1, ' ', false, error_handler_t::replace)
//   makes of the same object, provided the caller writes each object's keys in ascending byte
//   order (nlohmann's objects are std::maps). Tests compare the two for every answer written
//   this way (tests/app/json_text_test.cpp).
// - Strings: valid UTF-8 without characters that need escaping is copied; anything else goes
//   through nlohmann (escapes, invalid UTF-8 replaced by U+FFFD). Doubles go through nlohmann
//   (its shortest round-trip form). Integers are written with std::to_chars.
// - No validation of the structure: a key outside an object, or an unclosed object, is the
//   caller's bug.
#pragma once
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/utf8.h"

namespace tj {

class JsonText {
 public:
  JsonText() { out_.reserve(2048); }

  JsonText& begin_object() {
    comma();
    out_ += '{';
    first_ = true;
    return *this;
  }
  JsonText& end_object() {
    out_ += '}';
    first_ = false;
    return *this;
  }
  JsonText& begin_array() {
    comma();
    out_ += '[';
    first_ = true;
    return *this;
  }
  JsonText& end_array() {
    out_ += ']';
    first_ = false;
    return *this;
  }
  // The key of the next value (the value must follow).
  JsonText& key(std::string_view k) {
    comma();
    put_string(k);
    out_ += ':';
    first_ = true;
    return *this;
  }
  JsonText& value(int64_t v) {
    comma();
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
    return *this;
  }
  JsonText& value(int v) { return value(int64_t(v)); }
  JsonText& value(bool b) {
    comma();
    out_ += b ? "true" : "false";
    return *this;
  }
  JsonText& value(double d) {
    comma();
    out_ += nlohmann::json(d).dump();
    return *this;
  }
  JsonText& value(std::string_view s) {
    comma();
    put_string(s);
    return *this;
  }
  JsonText& value(const std::string& s) { return value(std::string_view(s)); }
  JsonText& value(const char* s) { return value(std::string_view(s)); }
  JsonText& null() {
    comma();
    out_ += "null";
    return *this;
  }
  template <class T>
  JsonText& value(const std::optional<T>& v) {
    return v ? value(*v) : null();
  }
  // A string, or null when empty.
  JsonText& value_or_null(std::string_view s) { return s.empty() ? null() : value(s); }
  // A value nlohmann already holds (small and rare parts of an answer).
  JsonText& value(const nlohmann::json& j) {
    comma();
    out_ += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return *this;
  }

  std::string take() { return std::move(out_); }
  const std::string& text() const { return out_; }

 private:
  void comma() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  void put_string(std::string_view s) {
    for (unsigned char ch : s)
      if (ch < 0x20 || ch == '"' || ch == '\\') return put_slow(s);
    if (!utf8::valid(s)) return put_slow(s);
    out_ += '"';
    out_ += s;
    out_ += '"';
  }
  void put_slow(std::string_view s) {
    out_ += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  std::string out_;
  bool first_ = true;
};

}  // namespace tj
