// The app's user-visible texts by message key, zh-CN and English (common/i18n.h),
// read with tr(key, zh, {{"name", value}, ...}). The method layer's verdicts are
// method::message, the same mechanism over its own catalogue.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "common/i18n.h"
#include "domain/entities.h"

namespace tj {

std::string tr(std::string_view key, bool zh, const i18n::Args& args = {});
// The text of key, or fallback when the catalogue has no such key (a lookup by a code
// that may be unknown: an alert or notification kind).
std::string tr_or(std::string_view key, bool zh, const std::string& fallback);
// The parts joined by list.sep: 、 in Chinese, ", " in English.
std::string join_list(const std::vector<std::string>& parts, bool zh, std::string_view sep_key = "list.sep");
// A company status / visit kind as users read it: 线索 / prospect, 陪访 / accompanied ...
std::string status_name(CompanyStatus s, bool zh);
std::string visit_kind_name(VisitKind k, bool zh);
// 是 / 否, yes / no.
std::string yes_no(bool b, bool zh);

}  // namespace tj
