-- GET /api/v1/users/{id}, a random id of the seeded users ($IDS_FILE)
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local ids
setup = c.setup
function init(args) c.seed(); ids = c.load_ids(os.getenv("IDS_FILE")) end
function request() return wrk.format("GET", "/api/v1/users/" .. c.pick(ids)) end
done = c.done
