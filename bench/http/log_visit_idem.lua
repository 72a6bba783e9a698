-- POST /api/v1/visits with a new Idempotency-Key per request (issue 15 part 5): what the
-- key costs a create (one read of the key, the key row in the visit's transaction, the
-- answer recorded after it). Same visits as log_visit.lua.
--   TJ_COMPANY_IDS  comma-separated ids of companies the token's rep owns
--   TJ_RUN          makes the keys unique across runs
dofile((os.getenv("TJ_BENCH_DIR") or ".") .. "/common.lua")

local ids = {}
for id in string.gmatch(os.getenv("TJ_COMPANY_IDS") or "", "%d+") do
  ids[#ids + 1] = id
end
local run = os.getenv("TJ_RUN") or "0"
local n = 0

function request()
  n = n + 1
  local i = ((n + (tid or 0) * 7) % #ids) + 1
  local body = string.format('{"company_id":%s,"kind":"call","duration_min":10,"notes":"压测：电话回访"}', ids[i])
  local req = post("/api/v1/visits", body)
  -- the key header goes in after post() built the request (wrk.format takes a header table)
  return (req:gsub("\r\n\r\n", string.format("\r\nIdempotency-Key: bench-%s-%d-%d\r\n\r\n", run, tid or 0, n), 1))
end
