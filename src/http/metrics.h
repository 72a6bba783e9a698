// Prometheus metrics of one `tiejun serve` process (SPEC §8), rendered in the text
// exposition format (version 0.0.4) for GET /metrics.
//
// Contract:
// - Requests are counted by route pattern (e.g. "/api/v1/companies/{id}", "static" for the
//   UI's files, "unmatched" for anything else), method and status, with a latency
//   histogram by route and method: the label sets are bounded by the route table, never by
//   what a client sends.
// - Gauges are read when the metrics are rendered, from functions registered at start-up
//   (queue depths, database pool, outbox backlog); a gauge function must be cheap and
//   thread-safe, and may return nullopt to leave its sample out of that scrape.
// - Everything here is thread-safe; observe_request() takes one short mutex.
#pragma once
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tj::http {

class Metrics {
 public:
  // The process's registry.
  static Metrics& global();

  void observe_request(std::string_view route, std::string_view method, int status, double seconds);
  // One run of a background job (job: "pool_release", "reminders", ...), by outcome.
  void job_run(std::string_view job, bool ok);
  // A gauge sampled at render time. Labels are written as given ("lane=\"read\"") or empty.
  void add_gauge(std::string name, std::string help, std::string labels, std::function<std::optional<double>()> fn);
  // A counter kept elsewhere (a monotonic total), sampled at render time.
  void add_counter(std::string name, std::string help, std::string labels, std::function<std::optional<double>()> fn);

  std::string render() const;

  // Histogram bucket bounds in seconds (the last bucket, +Inf, is implicit).
  static constexpr double kBuckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  static constexpr size_t kBucketCount = sizeof(kBuckets) / sizeof(kBuckets[0]);

 private:
  struct Hist {
    uint64_t buckets[kBucketCount + 1] = {};
    uint64_t count = 0;
    double sum = 0;
  };
  struct Sampled {
    std::string name, help, type, labels;
    std::function<std::optional<double>()> fn;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Hist> latency_;
  std::map<std::pair<std::string, bool>, uint64_t> jobs_;
  std::vector<Sampled> sampled_;
};

// Escapes a label value for the exposition format (backslash, quote, newline).
std::string prom_label(std::string_view v);

}  // namespace tj::http
