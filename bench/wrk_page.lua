-- wrk script for bench/stats_scale.py: GET one page with the cookie in $BENCH_COOKIE (a staff
-- session; empty for a public page) and print one line of JSON at the end: requests, p50 / p95
-- in milliseconds, and how many answers were not 200 (a redirect to the login is a failure).
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_ok")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.1f, "p50_ms": %.1f, "p95_ms": %.1f, "not_200": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, bad, e.connect + e.read + e.write + e.timeout))
end
