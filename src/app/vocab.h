// The vocabularies in the app layer (SPEC §3): the organisation's industry list
// read from the store and applied on every write, the one style vocabulary, and
// rep–buyer fit for a rep's prospects and pipeline. The decisions are in
// method/vocab.h; this file loads, checks access-free inputs and renders.
#pragma once
#include <unordered_map>

#include "app/internal.h"
#include "method/vocab.h"
#include "store/tx_vocab.h"

namespace tj::detail {

std::vector<method::Industry> org_industries(Tx& tx, Id org);
json industries_json(const std::vector<method::Industry>& list);
// A JSON list of {name, aliases:[…]}; 400 invalid_field / invalid_industries on a bad shape or list.
Result<std::vector<method::Industry>> parse_industries(const json& v);

// Replaces the organisation's list inside the caller's write transaction. A name that
// leaves the list while companies still carry it: when the new list maps it (it became
// an alias of another name) those companies move to that name (a merge, audited);
// otherwise 409 industry_in_use naming the count.
Status replace_industry_list(Tx& tx, const Actor& a, const std::vector<method::Industry>& old_list,
                             const std::vector<method::Industry>& new_list, Instant now);

// "unknown industry "X"; nearest: A, B, C" (zh: 未知行业「X」，最接近的是：A、B、C).
std::string unknown_industry_message(const std::vector<method::Industry>& list, std::string_view input, bool zh);
// The list's name for `input` ("" for empty); 400 unknown_industry listing the nearest names.
Result<std::string> resolve_industry(const std::vector<method::Industry>& list, const std::string& input);

// The style key for `input` (a key or its Chinese name; "" for empty); 400
// unknown_style naming the four for anything else.
Result<std::string> resolve_style(const char* field, const std::string& input);

// The fit of `rep` with each of `companies` by its payer's style (method::fit_of; the
// prior is the rep's own win rate over all payers, 0.3 with no record).
std::unordered_map<Id, method::Fit> rep_fits(Tx& tx, Id org, const User& rep, const std::vector<Id>& companies);
json fit_json(const method::Fit& f, bool zh);

}  // namespace tj::detail
