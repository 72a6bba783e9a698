-- GET the URL given to wrk (with the bearer token, if any).
dofile((os.getenv("TJ_BENCH_DIR") or ".") .. "/common.lua")
