-- Shared by the wrk scripts of bench/http: the bearer token header and a
-- machine-readable result line that run.sh parses.
--   TJ_TOKEN  bearer token (empty: no Authorization header, e.g. the static file)

local token = os.getenv("TJ_TOKEN") or ""
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.headers["Accept"] = "application/json"

-- A POST with the shared headers plus a JSON body. (wrk.format replaces
-- wrk.headers with the table it is given, so copy them.)
function post(path, body)
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  h["Content-Type"] = "application/json"
  return wrk.format("POST", path, h, body)
end

-- Gives each wrk thread a number (for unique names in POST bodies).
local thread_no = 0
function setup(thread)
  thread_no = thread_no + 1
  thread:set("tid", thread_no)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "TJRESULT requests=%d duration_us=%d p50_us=%d p99_us=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
