-- Shared by the bench scenarios (loaded with dofile from each scenario script; wrk runs one Lua state per thread).
-- Environment: IDS_FILE     one id per line (the seeded set), read once per thread
--              WRK_OUT      where done() writes this run's summary as JSON (requests/s, p50/p99 in ms, errors)
--              BENCH_TOKEN  the bearer token every request sends (the API wants one; bench/lib.sh's `token`)
--              PACE_MS      when set, each connection waits this long before each request (bench/run --paced: a
--                           fixed load below saturation, at which CPU per request is a cost, not 1 / throughput)
local M = {}

local pace = tonumber(os.getenv("PACE_MS") or "")
if pace and pace > 0 then
  function delay() return pace end
end

-- wrk.format(method, path) sends wrk.headers: the token goes there once
local token = os.getenv("BENCH_TOKEN")
if token and #token > 0 then wrk.headers["Authorization"] = "Bearer " .. token end

-- wrk.headers (the token) plus `extra`, for a request that names its own headers (built once, reused)
function M.headers(extra)
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  for k, v in pairs(extra) do h[k] = v end
  return h
end

function M.load_ids(path)
  local ids = {}
  local f = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in f:lines() do
    if #line > 0 then ids[#ids + 1] = line end
  end
  f:close()
  assert(#ids > 0, "no ids in " .. path)
  return ids
end

local counter = 0
function M.setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
end

function M.seed()
  math.randomseed(os.time() * 1000 + (thread_no or 0) * 7919 + math.floor(os.clock() * 1e6))
end

function M.pick(list) return list[math.random(#list)] end

-- the summary of the whole run, as JSON into $WRK_OUT (or stdout): the rate, the errors and the latency distribution
-- (wrk's histogram: from when wrk sends a request to the end of its response)
function M.done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  local out = string.format(
    '{"requests": %d, "duration_s": %.3f, "rps": %.1f, "p50_ms": %.3f, "p75_ms": %.3f, "p90_ms": %.3f, ' ..
    '"p99_ms": %.3f, "p999_ms": %.3f, "p9999_ms": %.3f, "max_ms": %.3f, "mean_ms": %.3f, "stdev_ms": %.3f, ' ..
    '"errors": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, ' ..
    '"errors_timeout": %d, "errors_status": %d}\n',
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(75) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency:percentile(99.99) / 1000,
    latency.max / 1000, latency.mean / 1000, latency.stdev / 1000,
    e.connect + e.read + e.write + e.timeout + e.status, e.connect, e.read, e.write, e.timeout, e.status)
  local path = os.getenv("WRK_OUT")
  if path and #path > 0 then
    local f = assert(io.open(path, "w")); f:write(out); f:close()
  else
    io.write(out)
  end
end

return M
