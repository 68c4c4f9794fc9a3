-- mixed profile, user-service part: 90% GET user by id, 10% list users page 1 (page_size 20)
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local ids
setup = c.setup
function init(args) c.seed(); ids = c.load_ids(os.getenv("IDS_FILE")) end
function request()
  if math.random(100) <= 90 then return wrk.format("GET", "/api/v1/users/" .. c.pick(ids)) end
  return wrk.format("GET", "/api/v1/users?page=1&page_size=20")
end
done = c.done
