-- wrk script for bench/scale: prints one RESULT line (req/s, median ms, p95 ms, non-2xx answers, requests).
-- BENCH_METHOD / BENCH_BODY make it a write.
local method = os.getenv("BENCH_METHOD")
if method and method ~= "" then
  wrk.method = method
  wrk.body = os.getenv("BENCH_BODY")
  wrk.headers["Content-Type"] = "application/json"
end
-- BENCH_BODY_ALT: every other request sends it instead (a write that changes something each time);
-- BENCH_PATH_TEMPLATE: the path with {n} replaced by a random number from 1 to BENCH_PATH_MAX (many conversations).
local alt = os.getenv("BENCH_BODY_ALT")
local template = os.getenv("BENCH_PATH_TEMPLATE")
local max = tonumber(os.getenv("BENCH_PATH_MAX") or "1")
if (alt and alt ~= "") or (template and template ~= "") then
  local count = 0
  request = function()
    count = count + 1
    local body = wrk.body
    if alt and alt ~= "" and count % 2 == 0 then body = alt end
    local path = wrk.path
    if template and template ~= "" then path = (template:gsub("{n}", tostring(math.random(1, max)))) end
    return wrk.format(nil, path, nil, body)
  end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout, summary.requests))
end
