-- wrk script for bench/scale: prints one RESULT line (req/s, median ms, p95 ms, non-2xx answers, requests).
-- BENCH_METHOD / BENCH_BODY make it a write.
local method = os.getenv("BENCH_METHOD")
if method and method ~= "" then
  wrk.method = method
  wrk.body = os.getenv("BENCH_BODY")
  wrk.headers["Content-Type"] = "application/json"
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout, summary.requests))
end
