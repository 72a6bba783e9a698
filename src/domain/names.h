// The normalised company name (SPEC §3 Duplicates 撞单): two names with the same key are
// the same company for an organisation. One pure function, used by every write path
// (create, rename, import, claim), by the name_key column (migration 0010) and by 查重.
#pragma once
#include <string>
#include <string_view>

namespace tj::names {

// The key, from a name in UTF-8:
//  - full-width ASCII (U+FF01-U+FF5E) folded to half-width, ASCII lower-cased;
//  - a trailing legal form dropped: 有限公司, 有限责任公司, 股份有限公司 (the two long ones read
//    as 有限公司 anywhere in the name, so a branch "…有限责任公司北京分公司" matches "…有限公司北京分公司"),
//    and as whole words at the end: "Co., Ltd.", "Co. Ltd", "Co Ltd", "Co., Limited", "Ltd",
//    "Limited", "Inc", "Corp" (so "Zinc" keeps its "inc");
//  - every space and punctuation mark removed (ASCII, CJK and general punctuation), so
//    （）and () are alike and "A.B" == "AB".
// A name that is nothing but a legal form keeps it (its key is never empty unless the name
// has no letter, digit or ideograph at all).
std::string company_key(std::string_view name);

}  // namespace tj::names
