-- GET /api/v1/users?page=$PAGE&page_size=$PAGE_SIZE (no filters: count + offset page, ordered by created_at, id)
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local path = "/api/v1/users?page=" .. (os.getenv("PAGE") or "1") .. "&page_size=" .. (os.getenv("PAGE_SIZE") or "20")
setup = c.setup
function request() return wrk.format("GET", path) end
done = c.done
