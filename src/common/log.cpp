#include "common/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <ctime>
#include <memory>

#include "common/hex.h"
#include "common/redact.h"

namespace tj::logging {

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          hex::put_byte(out, static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out;
}

namespace {

// "2026-12-07T09:30:00.123Z"
void append_time(spdlog::memory_buf_t& dest, spdlog::log_clock::time_point tp) {
  using namespace std::chrono;
  auto secs = time_point_cast<seconds>(tp);
  auto ms = duration_cast<milliseconds>(tp - secs).count();
  // the date part changes once a second: cached per thread
  thread_local std::time_t cached_s = -1;
  thread_local char cached[32];
  std::time_t t = system_clock::to_time_t(secs);
  if (t != cached_s) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_s = t;
  }
  dest.append(cached, cached + std::strlen(cached));
  char frac[8];
  int n = std::snprintf(frac, sizeof frac, ".%03dZ", int(ms));
  dest.append(frac, frac + n);
}

void append(spdlog::memory_buf_t& dest, std::string_view s) { dest.append(s.data(), s.data() + s.size()); }

class Formatter final : public spdlog::formatter {
 public:
  explicit Formatter(bool json) : json_(json) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string text = redact_secrets(std::string_view(msg.payload.data(), msg.payload.size()));
    auto level = spdlog::level::to_string_view(msg.level);
    if (json_) {
      append(dest, "{\"time\":\"");
      append_time(dest, msg.time);
      append(dest, "\",\"level\":\"");
      append(dest, std::string_view(level.data(), level.size()));
      append(dest, "\"");
      if (!t_request_id.empty()) {
        append(dest, ",\"request_id\":\"");
        append(dest, json_escape(t_request_id));
        append(dest, "\"");
      }
      append(dest, ",\"msg\":\"");
      append(dest, json_escape(text));
      append(dest, "\"");
      if (t_fields && !t_fields->empty()) {
        append(dest, ",");
        append(dest, *t_fields);
      }
      append(dest, "}\n");
    } else {
      append_time(dest, msg.time);
      append(dest, " ");
      append(dest, std::string_view(level.data(), level.size()));
      if (!t_request_id.empty()) {
        append(dest, " [");
        append(dest, t_request_id);
        append(dest, "]");
      }
      append(dest, " ");
      append(dest, text);
      if (t_fields && !t_fields->empty()) {
        append(dest, " ");
        append(dest, *t_fields);
      }
      append(dest, "\n");
    }
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<Formatter>(json_); }

 private:
  bool json_;
};

}  // namespace

bool setup(bool json, const std::string& level, bool to_stderr) {
  auto lv = spdlog::level::from_str(level);
  if (lv == spdlog::level::off && level != "off") return false;
  if (to_stderr) {
    // The server's log is its stderr (stdout has its banner): a collector reads one stream.
    auto logger = std::make_shared<spdlog::logger>("tiejun", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    spdlog::set_default_logger(logger);
  }
  spdlog::set_formatter(std::make_unique<Formatter>(json));
  spdlog::set_level(lv);
  return true;
}

}  // namespace tj::logging
