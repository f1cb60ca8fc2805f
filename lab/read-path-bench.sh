#!/usr/bin/env bash
# Measures the read path hop by hop with wrk against a running `./archway up` (default ports):
#   (a) direct to one instance  (b) through the balancer  (c) gateway + balancer
#   (d) through the edge, cache bypassed (every URL distinct: a MISS)  (e) edge HIT
# Usage: lab/read-path-bench.sh [seconds per run, default 15] [connections, default 32]
# Prints a Markdown table: rps, p50, p99, ratio to (a), and machine time each hop adds per
# request (1e6/rps(with hop) - 1e6/rps(without it), in microseconds).
set -euo pipefail
DURATION="${1:-15}"
CONNECTIONS="${2:-32}"
INSTANCE="${ARCHWAY_INSTANCE_URL:-http://127.0.0.1:8091}"
BALANCER="${ARCHWAY_BALANCER_URL:-http://127.0.0.1:8082}"
GATEWAY="${ARCHWAY_GATEWAY_URL:-http://127.0.0.1:8081}"
EDGE="${ARCHWAY_EDGE_URL:-http://127.0.0.1:8080}"
PRODUCT="/api/v1/products/42"
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 1; }

DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
cat > "$DIR/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.1f %.1f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
cat > "$DIR/miss.lua" <<'LUA'
-- a distinct query string per request: the edge has never seen it, so it forwards (MISS)
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/api/v1/products/42?bust=" .. counter .. "-" .. math.random(1, 1e9))
end
LUA
cat "$DIR/report.lua" >> "$DIR/miss.lua"

warm() { # url script: fill the caches on the way and let the JIT compile the hot paths
  curl -fsS -o /dev/null "$1$PRODUCT"
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP:-10}s" -s "$2" "$1$PRODUCT" >/dev/null 2>&1
}

run() { # name url script
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$3" "$2$PRODUCT" | awk -v n="$1" '/^RESULT/ {print n, $2, $3, $4, $5}'
}

for url in "$INSTANCE" "$BALANCER" "$GATEWAY" "$EDGE"; do warm "$url" "$DIR/report.lua"; done
warm "$EDGE" "$DIR/miss.lua"
{
  run a "$INSTANCE" "$DIR/report.lua"
  run b "$BALANCER" "$DIR/report.lua"
  run c "$GATEWAY" "$DIR/report.lua"
  run d "$EDGE" "$DIR/miss.lua"
  run e "$EDGE" "$DIR/report.lua"
} > "$DIR/results"

awk '
  BEGIN {
    label["a"] = "(a) direct to one instance"; label["b"] = "(b) balancer -> instance";
    label["c"] = "(c) gateway -> balancer -> instance"; label["d"] = "(d) edge MISS -> gateway -> balancer -> instance";
    label["e"] = "(e) edge HIT"; prev["b"] = "a"; prev["c"] = "b"; prev["d"] = "c";
  }
  { rps[$1] = $2; p50[$1] = $3; p99[$1] = $4; err[$1] = $5; order[NR] = $1 }
  END {
    print "| path | requests/s | p50 (ms) | p99 (ms) | ratio to (a) | machine time added by the last hop (µs/request) | errors |";
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |";
    for (i = 1; i <= NR; i++) {
      k = order[i]; added = "";
      if (k in prev) added = sprintf("%.1f", 1e6 / rps[k] - 1e6 / rps[prev[k]]);
      printf "| %s | %.0f | %.2f | %.2f | %.2f | %s | %d |\n", label[k], rps[k], p50[k] / 1000, p99[k] / 1000, rps[k] / rps["a"], added, err[k];
    }
  }' "$DIR/results"
