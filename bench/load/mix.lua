-- The realistic request mix of bench/load/run.sh: 80% reads (lists, details,
-- computed views), 20% visit writes, spread over several demo users.
--   TJ_USERS  "token:role:id,id,id;token:role:id,..." (role: rep|manager|director;
--             the ids are companies the user may write visits on)
--   TJ_WRITES=0  replace the writes by GET /api/v1/me (a read-only mix)
-- Prints one machine-readable line at the end (TJRESULT ...), parsed by run.sh.

local users = {}
for entry in string.gmatch(os.getenv("TJ_USERS") or "", "[^;]+") do
  local token, role, list = string.match(entry, "^([^:]+):([^:]+):(.*)$")
  local ids = {}
  for id in string.gmatch(list or "", "%d+") do ids[#ids + 1] = id end
  if token and #ids > 0 then users[#users + 1] = { token = token, role = role, ids = ids } end
end

local q_search = "%E7%A7%91%E6%8A%80"  -- 科技 (2 characters: a LIKE scan)
local q_search4 = "%E7%BD%91%E7%BB%9C%E7%A7%91%E6%8A%80"  -- 网络科技 (trigram index)

-- {weight, method, path builder}; weights add up to 100 (20 writes).
local mix = {
  { 12, "list", function(u) return "/api/v1/companies?limit=20" end },
  { 8, "list", function(u) return "/api/v1/companies?sort=-last_visit_at&limit=20&status=contacted" end },
  { 5, "list", function(u) return "/api/v1/companies?q=" .. q_search .. "&limit=20" end },
  { 5, "list", function(u) return "/api/v1/companies?q=" .. q_search4 .. "&limit=20" end },
  { 12, "detail", function(u, id) return "/api/v1/companies/" .. id end },
  { 6, "detail", function(u, id) return "/api/v1/companies/" .. id .. "/visits?limit=20" end },
  { 4, "detail", function(u, id) return "/api/v1/companies/" .. id .. "/contacts" end },
  { 6, "view", function(u) return "/api/v1/alerts" end },
  { 4, "view", function(u) return "/api/v1/prospects?limit=20" end },
  { 5, "view", function(u) return "/api/v1/leaderboard?period=month&metric=signed_amount" end },
  { 3, "view", function(u) return "/api/v1/rhythm" end },
  { 3, "view", function(u) return "/api/v1/feed" end },
  { 3, "view", function(u) return "/api/v1/metrics/reps" end },
  { 2, "view", function(u) return u.role == "rep" and "/api/v1/coaching" or "/api/v1/diagnosis" end },
  { 2, "view", function(u) return "/api/v1/me" end },
  { 20, "write", nil },
}
local total = 0
for _, m in ipairs(mix) do total = total + m[1] end
assert(total == 100, "mix weights must add up to 100")

local thread_no = 0
function setup(thread)
  thread_no = thread_no + 1
  thread:set("tid", thread_no)
end

function init(args)
  math.randomseed((tid or 1) * 7919 + os.time())
end

local n = 0
function request()
  n = n + 1
  local u = users[math.random(#users)]
  local id = u.ids[math.random(#u.ids)]
  local r = math.random(100)
  local acc = 0
  local h = { ["Authorization"] = "Bearer " .. u.token, ["Accept"] = "application/json" }
  for _, m in ipairs(mix) do
    acc = acc + m[1]
    if r <= acc then
      if m[2] == "write" and os.getenv("TJ_WRITES") == "0" then
        return wrk.format("GET", "/api/v1/me", h)  -- read-only variant (memory checks at a constant database size)
      elseif m[2] == "write" then
        h["Content-Type"] = "application/json"
        local body = string.format('{"company_id":%s,"kind":"call","duration_min":10,"notes":"压测 %d-%d"}', id, tid or 0, n)
        return wrk.format("POST", "/api/v1/visits", h, body)
      end
      return wrk.format("GET", m[3](u, id), h)
    end
  end
end

local bad = 0
function response(status, headers, body)
  if status >= 400 and bad < 5 then
    bad = bad + 1
    io.stderr:write("mix.lua: HTTP " .. status .. ": " .. string.sub(body or "", 1, 200) .. "\n")
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "TJRESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
