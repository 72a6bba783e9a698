-- POST /api/v1/visits: a phone call logged on one of the rep's own companies,
-- rotating through them.
--   TJ_COMPANY_IDS  comma-separated ids of companies the token's rep owns
dofile((os.getenv("TJ_BENCH_DIR") or ".") .. "/common.lua")

local ids = {}
for id in string.gmatch(os.getenv("TJ_COMPANY_IDS") or "", "%d+") do
  ids[#ids + 1] = id
end
local n = 0

function request()
  n = n + 1
  local i = ((n + (tid or 0) * 7) % #ids) + 1
  local body = string.format('{"company_id":%s,"kind":"call","duration_min":10,"notes":"压测：电话回访"}', ids[i])
  return post("/api/v1/visits", body)
end
