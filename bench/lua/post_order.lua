-- POST /api/v1/orders for a random seeded user ($IDS_FILE: user ids): user lookup in user-service, then one
-- transaction (order, items, audit outbox)
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local ids
local headers = c.headers({ ["Content-Type"] = "application/json" })
setup = c.setup
function init(args) c.seed(); ids = c.load_ids(os.getenv("IDS_FILE")) end
function request()
  local body = '{"user_id":"' .. c.pick(ids) .. '","items":[{"sku":"BK-1","name":"Book","quantity":2,"unit_price":12.50}]}'
  return wrk.format("POST", "/api/v1/orders", headers, body)
end
done = c.done
