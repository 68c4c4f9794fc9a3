-- GET /api/v1/users: numbered (PAGE, PAGE_SIZE: count + offset page) or, when LIMIT is set, keyset
-- (limit=$LIMIT[&cursor=$CURSOR]: no count, a row comparison on (created_at, id)); no filters, ordered by created_at, id
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local path
local limit, cursor = os.getenv("LIMIT"), os.getenv("CURSOR")
if limit and #limit > 0 then
  path = "/api/v1/users?limit=" .. limit
  if cursor and #cursor > 0 then path = path .. "&cursor=" .. cursor end
else
  path = "/api/v1/users?page=" .. (os.getenv("PAGE") or "1") .. "&page_size=" .. (os.getenv("PAGE_SIZE") or "20")
end
setup = c.setup
function request() return wrk.format("GET", path) end
done = c.done
