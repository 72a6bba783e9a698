#include "http/metrics.h"

#include <cmath>
#include <cstdio>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace tj::http {

Metrics& Metrics::global() {
  static Metrics m;
  return m;
}

std::string prom_label(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

void Metrics::observe_request(std::string_view route, std::string_view method, int status, double seconds) {
  std::lock_guard lk(mu_);
  requests_[{std::string(route), std::string(method), status}]++;
  auto& h = latency_[{std::string(route), std::string(method)}];
  size_t i = 0;
  while (i < kBucketCount && seconds > kBuckets[i]) i++;
  h.buckets[i]++;
  h.count++;
  h.sum += seconds;
}

void Metrics::job_run(std::string_view job, bool ok) {
  std::lock_guard lk(mu_);
  jobs_[{std::string(job), ok}]++;
}

void Metrics::add_gauge(std::string name, std::string help, std::string labels, std::function<std::optional<double>()> fn) {
  std::lock_guard lk(mu_);
  sampled_.push_back({std::move(name), std::move(help), "gauge", std::move(labels), std::move(fn)});
}

void Metrics::add_counter(std::string name, std::string help, std::string labels, std::function<std::optional<double>()> fn) {
  std::lock_guard lk(mu_);
  sampled_.push_back({std::move(name), std::move(help), "counter", std::move(labels), std::move(fn)});
}

namespace {

std::string num(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

void header(std::ostringstream& o, const std::string& name, const char* type, const std::string& help) {
  o << "# HELP " << name << ' ' << help << '\n' << "# TYPE " << name << ' ' << type << '\n';
}

// The process's resident memory and open file descriptors, as node exporters name them.
void process_metrics(std::ostringstream& o) {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  if (statm >> pages_total >> pages_resident) {
    header(o, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    o << "process_resident_memory_bytes " << num(double(pages_resident) * double(sysconf(_SC_PAGESIZE))) << '\n';
  }
}

}  // namespace

std::string Metrics::render() const {
  std::ostringstream o;
  std::vector<Sampled> sampled;
  {
    std::lock_guard lk(mu_);
    header(o, "tiejun_http_requests_total", "counter", "HTTP requests answered, by route pattern, method and status.");
    for (auto& [k, n] : requests_)
      o << "tiejun_http_requests_total{route=\"" << prom_label(std::get<0>(k)) << "\",method=\"" << prom_label(std::get<1>(k))
        << "\",status=\"" << std::get<2>(k) << "\"} " << n << '\n';
    header(o, "tiejun_http_request_duration_seconds", "histogram",
           "Time from a request's arrival at its handler to its answer, by route pattern and method.");
    for (auto& [k, h] : latency_) {
      std::string lbl = "route=\"" + prom_label(k.first) + "\",method=\"" + prom_label(k.second) + "\"";
      uint64_t cum = 0;
      for (size_t i = 0; i <= kBucketCount; i++) {
        cum += h.buckets[i];
        o << "tiejun_http_request_duration_seconds_bucket{" << lbl << ",le=\""
          << (i < kBucketCount ? num(kBuckets[i]) : std::string("+Inf")) << "\"} " << cum << '\n';
      }
      o << "tiejun_http_request_duration_seconds_sum{" << lbl << "} " << num(h.sum) << '\n';
      o << "tiejun_http_request_duration_seconds_count{" << lbl << "} " << h.count << '\n';
    }
    header(o, "tiejun_job_runs_total", "counter", "Background job runs, by job and result.");
    for (auto& [k, n] : jobs_)
      o << "tiejun_job_runs_total{job=\"" << prom_label(k.first) << "\",result=\"" << (k.second ? "ok" : "error") << "\"} " << n
        << '\n';
    sampled = sampled_;
  }
  // Sampled outside the lock: a gauge may read the database.
  std::string last;
  for (auto& s : sampled) {
    auto v = s.fn();
    if (!v) continue;
    if (s.name != last) header(o, s.name, s.type.c_str(), s.help);
    last = s.name;
    o << s.name;
    if (!s.labels.empty()) o << '{' << s.labels << '}';
    o << ' ' << num(*v) << '\n';
  }
  process_metrics(o);
  return o.str();
}

}  // namespace tj::http
