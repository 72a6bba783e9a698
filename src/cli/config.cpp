#include "cli/config.h"

#include <cctype>

namespace tj::cli {

void name_environment(CLI::App& sub) {
  for (CLI::Option* o : sub.get_options()) {
    if (!o->get_envname().empty() || o->get_lnames().empty()) continue;
    const std::string& n = o->get_lnames().front();
    if (n == "help" || n == "config") continue;
    std::string env = "TIEJUN_";
    for (char c : n) env += c == '-' ? '_' : char(std::toupper(static_cast<unsigned char>(c)));
    o->envname(env);
  }
}

std::string apply_config_file(CLI::App& sub, const std::string& path) {
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_file(path);
  } catch (const CLI::Error& e) {
    return "cannot read the config file " + path + ": " + e.what();
  }
  // Check every key before applying any, so a bad file changes nothing.
  std::vector<std::pair<CLI::Option*, const CLI::ConfigItem*>> apply;
  for (const auto& it : items) {
    if (it.name == "++" || it.name == "--") continue;  // section markers
    std::string key = it.name;
    for (auto& c : key)
      if (c == '_') c = '-';
    CLI::Option* o = it.parents.empty() ? sub.get_option_no_throw("--" + key) : nullptr;
    if (!o || key == "config" || key == "help")
      return path + ": unknown setting '" + it.fullname() + "' (keys are serve options without their dashes)";
    if (o->count() > 0) continue;  // the command line or the environment set it
    apply.emplace_back(o, &it);
  }
  for (auto& [o, it] : apply) {
    try {
      for (const auto& v : it->inputs) o->add_result(v);
      o->run_callback();
    } catch (const CLI::Error& e) {
      return path + ": " + it->fullname() + ": " + e.what();
    }
  }
  return "";
}

}  // namespace tj::cli
