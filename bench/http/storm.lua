-- The expensive requests of bench/http/storm.sh: organisation-wide views and a two-character
-- contains-search, rotating, as the director (TJ_TOKEN).
dofile((os.getenv("TJ_BENCH_DIR") or ".") .. "/common.lua")

local paths = {
  "/api/v1/companies?q=%E7%A7%91%E6%8A%80&limit=20",  -- q=科技
  "/api/v1/leaderboard",
  "/api/v1/coaching",
  "/api/v1/metrics/reps",
  "/api/v1/talent",
  "/api/v1/rhythm",
}
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", paths[((n + (tid or 0) * 3) % #paths) + 1])
end
