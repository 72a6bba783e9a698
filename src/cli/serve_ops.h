// `serve` options for operating it (SPEC §8, issue 16), kept apart from commands.h so that
// adding them recompiles only main.cpp and serve.cpp.
#pragma once
#include <string>

namespace tj::cli {

struct ServeOps {
  double request_timeout_s = 10;    // every request's deadline; a query past it is interrupted (503 timeout)
  double long_request_timeout_s = 600;  // the deadline of imports and exports
  int heavy_workers = 2;            // threads of the expensive reads' own lane
  int heavy_queue = 512;            // expensive requests waiting beyond this: 503 overloaded
  std::string log_format = "text";  // text | json (one JSON object per line)
  std::string log_level = "info";   // info logs one access line per request
};
// The process's (main.cpp binds the options to it; serve() reads it).
ServeOps& serve_ops();

// glibc's allocator set up to keep its memory between big views (issue 16 point 6): called
// first thing in main. TIEJUN_MALLOC=default leaves glibc's defaults (for measuring).
void tune_allocator();

}  // namespace tj::cli
