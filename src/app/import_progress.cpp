// Import, part three: the progress of running imports (import_progress.h).
#include "app/import_progress.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace tj {
using namespace detail;

std::shared_ptr<ImportBoard> App::new_import_board() { return std::make_shared<ImportBoard>(); }

namespace imp {
bool valid_progress_id(const std::string& s) {
  if (s.size() < 8 || s.size() > 64) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}
std::string board_key(const Actor& a, const std::string& id) {
  return std::to_string(a.org()) + ":" + std::to_string(a.user.id) + ":" + id;
}
}  // namespace imp

Result<json> App::import_progress(const Actor& a, const Query& q) {
  TRY(q_only(q, {"id"}));
  auto it = q.find("id");
  if (it == q.end() || !imp::valid_progress_id(it->second))
    return field_error("id", "must be the progress_id given to POST /imports (8 to 64 letters, digits, '-' or '_')");
  auto e = imports_->find(imp::board_key(a, it->second));
  if (!e) return not_found("import");
  return e->to_json(it->second);
}

}  // namespace tj
