// The prospect recommendation's reference lookup for many industries at once (tx_prospects.cpp),
// over a Tx's connection, like tx_vocab.h: App::prospects asks, per chunk of candidates, for the
// signed customers at a set of (industry, rank) pairs.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "store/tx.h"

namespace tj::prospects_store {

// (industry, ranks wanted in it); every pair is looked up.
using RankNeed = std::vector<std::pair<std::string, std::vector<int64_t>>>;

// The signed customers (signed_at <= signed_by, not deleted) of the organisation at each
// (industry, rank) of `need`, each with its industry. Same rows as Tx::prospect_refs_at for each
// industry; on PostgreSQL in one statement per 200 pairs instead of one per industry (the view
// made 388 round trips for one rep's prospects at 1M companies).
std::vector<std::pair<std::string, ProspectRef>> refs_at(Tx& tx, Id org, const RankNeed& need, Instant signed_by);

}  // namespace tj::prospects_store
