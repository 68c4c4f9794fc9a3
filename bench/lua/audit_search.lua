-- GET /api/v1/audit-logs?service=$SERVICE&action=$ACTION&limit=$LIMIT[&cursor=$CURSOR] (keyset page, newest first)
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local path = "/api/v1/audit-logs?service=" .. (os.getenv("SERVICE") or "order-service") ..
             "&action=" .. (os.getenv("ACTION") or "create") .. "&limit=" .. (os.getenv("LIMIT") or "20")
local cursor = os.getenv("CURSOR")
if cursor and #cursor > 0 then path = path .. "&cursor=" .. cursor end
setup = c.setup
function request() return wrk.format("GET", path) end
done = c.done
