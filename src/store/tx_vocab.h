// The vocabularies' queries (tx_vocab.cpp, migration 0011), over a Tx's connection: the
// organisation's industry list, the report of what the migration mapped, and the payer
// styles and per-rep counts the rep–buyer fit reads. Like Tx, every function takes the
// organisation id and touches only its rows.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "store/tx.h"

namespace tj::vocab_store {

// The organisation's industry list in order: (name, aliases).
using IndustryRow = std::pair<std::string, std::vector<std::string>>;
std::vector<IndustryRow> list_industries(Tx& tx, Id org);
void replace_industries(Tx& tx, Id org, const std::vector<IndustryRow>& list);

// What migration 0011 changed in the organisation's data.
struct ReportRow {
  std::string field, value, mapped_to, action;
  int64_t count = 0;
};
std::vector<ReportRow> vocabulary_report(Tx& tx, Id org);

// Companies (deleted ones too) whose industry is `name`; renaming them bumps their version.
int64_t count_companies_in_industry(Tx& tx, Id org, const std::string& name);
int64_t rename_industry(Tx& tx, Id org, const std::string& from, const std::string& to, Instant now);

// The payer style of each of the given companies that has one (the first payer contact
// with a style, as Tx::payer_style reads it).
std::vector<std::pair<Id, std::string>> payer_styles(Tx& tx, Id org, const std::vector<Id>& companies);
// Tx::fit_rows of one rep.
std::vector<Tx::FitRow> fit_rows_of(Tx& tx, Id org, Id rep);

}  // namespace tj::vocab_store
