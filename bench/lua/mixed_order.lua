-- mixed profile, order-service part: 80% GET order by id ($IDS_FILE), 20% POST order for a random user ($USER_IDS_FILE)
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local orders, users
local headers = c.headers({ ["Content-Type"] = "application/json" })
setup = c.setup
function init(args)
  c.seed(); orders = c.load_ids(os.getenv("IDS_FILE")); users = c.load_ids(os.getenv("USER_IDS_FILE"))
end
function request()
  if math.random(100) <= 80 then return wrk.format("GET", "/api/v1/orders/" .. c.pick(orders)) end
  local body = '{"user_id":"' .. c.pick(users) .. '","items":[{"sku":"BK-1","name":"Book","quantity":2,"unit_price":12.50}]}'
  return wrk.format("POST", "/api/v1/orders", headers, body)
end
done = c.done
