-- POST /api/v1/visits sent again and again with one Idempotency-Key per wrk thread (issue 15
-- part 5): the first send logs the visit, every later one is a replay answered from the key
-- row (no visit written). What a phone retrying a lost answer costs the server.
--   TJ_COMPANY_IDS  comma-separated ids of companies the token's rep owns
--   TJ_RUN          makes the keys unique across runs
dofile((os.getenv("TJ_BENCH_DIR") or ".") .. "/common.lua")

local ids = {}
for id in string.gmatch(os.getenv("TJ_COMPANY_IDS") or "", "%d+") do
  ids[#ids + 1] = id
end
local run = os.getenv("TJ_RUN") or "0"

function request()
  local body = string.format('{"company_id":%s,"kind":"call","duration_min":10,"notes":"压测：重发"}', ids[1])
  local req = post("/api/v1/visits", body)
  return (req:gsub("\r\n\r\n", string.format("\r\nIdempotency-Key: replay-%s-%d\r\n\r\n", run, tid or 0), 1))
end
