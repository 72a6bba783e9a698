#include <iostream>

#include "cli/commands.h"

namespace tj::cli {
int demo(const DemoArgs& a) {
  std::cerr << "tiejun demo: not yet\n";
  return 1;
}
}  // namespace tj::cli
