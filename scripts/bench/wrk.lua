-- wrk script for scripts/bench.sh.
--
-- When the environment variable BENCH_DEAL_IDS names a file with one deal id per line, each
-- request appends a random id from that file to the URL path, so the target URL must end
-- with "/". Without it, every request fetches the URL as given.
-- After the run, done() prints one "wrk-result" line of key=value pairs that bench.sh parses.

local ids = nil
local next_thread_number = 0

local function read_ids(path)
  local file, message = io.open(path, "r")
  if file == nil then
    error("failed to open the deal id file: " .. message)
  end
  local list = {}
  for line in file:lines() do
    if line ~= "" then
      list[#list + 1] = line
    end
  end
  file:close()
  if #list == 0 then
    error("the deal id file " .. path .. " is empty; it needs one deal id per line")
  end
  return list
end

-- Runs once per thread in the main Lua state, before init() runs in the thread's own state.
function setup(thread)
  next_thread_number = next_thread_number + 1
  thread:set("thread_number", next_thread_number)
end

function init(args)
  -- Each thread seeds its own generator, so the threads request different id sequences.
  math.randomseed(os.time() * 1000 + (thread_number or 0))
  local path = os.getenv("BENCH_DEAL_IDS")
  if path ~= nil and path ~= "" then
    ids = read_ids(path)
  end
end

function request()
  if ids == nil then
    return wrk.format()
  end
  return wrk.format(nil, wrk.path .. ids[math.random(#ids)])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    "wrk-result requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f" ..
      " http_errors=%d socket_errors=%d\n",
    summary.requests,
    seconds,
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    errors.status,
    errors.connect + errors.read + errors.write + errors.timeout
  ))
end
