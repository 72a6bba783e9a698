-- POST /api/v1/companies: a new company with a unique Chinese name per request
-- (without 科技 or 网络, so the search cases that follow are not skewed).
--   TJ_RUN  a tag that keeps names unique across runs against the same database
dofile((os.getenv("TJ_BENCH_DIR") or ".") .. "/common.lua")

local run = os.getenv("TJ_RUN") or "0"
local industries = { "互联网", "制造", "零售", "餐饮", "教育", "医疗", "物流", "房地产", "金融", "汽车" }
local n = 0

function request()
  n = n + 1
  local body = string.format(
    '{"name":"压测%s-%d-%d号商贸有限公司","industry":"%s","industry_rank":%d,"region":"华东",' ..
    '"budget_capacity":%d,"source":"cold"}',
    run, tid or 0, n, industries[(n % #industries) + 1], 1000 + n % 5000, 5000000 + (n % 50) * 100000)
  return post("/api/v1/companies", body)
end
