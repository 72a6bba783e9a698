// The method's vocabularies (SPEC §3): the organisation's managed industry list
// with aliases, the one style vocabulary for reps and buyers, and rep–buyer fit.
// Pure functions; the app layer loads the list from the store and renders.
//
// Industries: a company's `industry` is a name of the organisation's list or
// empty. Input is matched after trimming and ASCII case folding, first against the
// names, then against the aliases; anything else is unknown, and the error lists
// the nearest names (nearest_industries).
//
// Styles: `driver` 支配型, `analytical` 分析型, `amiable` 友善型, `expressive`
// 表现型. Input may be the key (any ASCII case) or the Chinese name; the stored
// value is always the key (or empty).
//
// Fit: the smoothed win rate per (rep, payer style) and its verdict.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tj::method {

// ---- industries ----
struct Industry {
  std::string name;
  std::vector<std::string> aliases;
  bool operator==(const Industry&) const = default;
};

// The standard list a new organisation starts with (SPEC §3), with common aliases
// (制造业 → 制造, IT → 互联网, Manufacturing → 制造, ...).
const std::vector<Industry>& standard_industries();

// The key input is compared by: trimmed, ASCII letters lower-cased, inner runs of
// spaces collapsed to one.
std::string industry_key(std::string_view s);

// The list's name for `input`: "" for empty input, the name for a name or an
// alias, nullopt when unknown.
std::optional<std::string> map_industry(const std::vector<Industry>& list, std::string_view input);

// Up to `n` names nearest to `input`: by edit distance over characters (code
// points) to the name or any alias, then by characters shared, then by list order.
// A name is listed only when it shares a character with the input or is within
// half the input's length in edits; with no such name the first `n` names.
std::vector<std::string> nearest_industries(const std::vector<Industry>& list, std::string_view input, size_t n = 3);

// Levenshtein distance over UTF-8 code points.
size_t edit_distance(std::string_view a, std::string_view b);

// Why a list cannot be stored ("" when it can): a name empty or longer than 50
// characters, a name or alias that repeats (after industry_key), more than 200
// names or 50 aliases per name.
std::string industry_list_problem(const std::vector<Industry>& list);

// ---- styles ----
// The four keys in order: driver, analytical, amiable, expressive.
const std::vector<std::string>& style_keys();
// The key for `input` ("" for empty input); nullopt when it is not a style.
std::optional<std::string> parse_style(std::string_view input);
// The style a value stored before the one vocabulary maps to (decisive → driver,
// 支配型 → driver, analytic → analytical, ...); nullopt when it has no mapping.
std::optional<std::string> legacy_style(std::string_view stored);
// 支配型 / "driver" ... ; the input when it is not a key.
std::string style_name(std::string_view key, bool zh);

// ---- rep–buyer fit ----
enum class FitLevel { Unknown, Good, Fair, Poor };
const char* to_string(FitLevel f);
struct Fit {
  std::string payer_style;  // "" when the buyer's payer style is not known
  int64_t trials = 0, wins = 0;
  double prior = 0, win_rate = 0;  // smoothed: (wins + 2 * prior) / (trials + 2)
  FitLevel level = FitLevel::Unknown;
  bool same_style = false;  // the rep's own style is the payer's
};
// Fit of a rep whose own style is `rep_style` with a buyer whose payer has
// `payer_style`, from the rep's record with payers of that style (trials =
// effective companies, wins = signed ones) and the prior. The verdict:
//   Unknown  no payer style known;
//   Good     the rep's record with this style beats the prior (wins/trials > prior),
//            or with no record yet the rep and the payer share the style (the
//            seed's direction: pick buyers whose style fits yours);
//   Poor     a record below the prior (wins/trials < prior - 0.1);
//   Fair     otherwise.
Fit fit_of(std::string_view rep_style, std::string_view payer_style, int64_t wins, int64_t trials, double prior);
// The seed's direction in words, for a Good fit (else ""): on a rep's prospects a
// buyer who suits the rep says so as a reason. It is a reason, not an order: the
// prospect order stays SPEC's (nearness, competitor, budget, payer known).
std::string fit_reason(const Fit& f, bool zh);

}  // namespace tj::method
