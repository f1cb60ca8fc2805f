#!/usr/bin/env bash
# Cost of the gateway hop (authentication and rate limiting on) and of the balancer hop,
# against a running `./archway up` (default ports):
#   1. the most requests per second, wrk -t1 -c32, for (a) one instance directly, (b) the
#      balancer in front of it, (c) the gateway in front of the balancer; machine time added
#      by a hop = 1e6/rps(with it) - 1e6/rps(without it);
#   2. the latency at half of the slowest path's maximum rate, the same constant rate for all
#      three (`./archway load --scenario fixed`, open loop, from each request's intended start).
# Every request carries a shopper's Bearer token (the gateway verifies it and rate-limits
# per user) and Cache-Control: no-store (no cache on the way answers it).
# Usage: lab/hop-bench.sh [seconds per run, default 15] [connections, default 32]
set -euo pipefail
DURATION="${1:-15}"
CONNECTIONS="${2:-32}"
INSTANCE="${ARCHWAY_INSTANCE_URL:-http://127.0.0.1:8091}"
BALANCER="${ARCHWAY_BALANCER_URL:-http://127.0.0.1:8082}"
GATEWAY="${ARCHWAY_GATEWAY_URL:-http://127.0.0.1:8081}"
PRODUCT="/api/v1/products/42"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 1; }

DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
EMAIL="hop-bench-$(date +%s)-$RANDOM@example.com"
curl -fsS -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"email\": \"$EMAIL\", \"password\": \"hop-bench-password\", \"name\": \"Hop Bench\"}" "$GATEWAY/api/v1/users"
TOKEN="$(curl -fsS -H 'Content-Type: application/json' \
  -d "{\"email\": \"$EMAIL\", \"password\": \"hop-bench-password\"}" "$GATEWAY/api/v1/auth/token" \
  | sed -E 's/.*"access_token" *: *"([^"]+)".*/\1/')"
AUTH="Authorization: Bearer $TOKEN"
NO_STORE="Cache-Control: no-store"

cat > "$DIR/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.1f %.1f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
LUA

maximum() { # name url -> "name rps p50us p99us errors non2xx"
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -H "$AUTH" -H "$NO_STORE" -s "$DIR/report.lua" "$2$PRODUCT" \
    | awk -v n="$1" '/^RESULT/ {print n, $2, $3, $4, $5, $6}'
}

at_rate() { # name url rate -> "name p50ms p99ms failed"
  "$ROOT/archway" load --target "$2" --scenario fixed --path "$PRODUCT" --header "$AUTH" --header "$NO_STORE" \
    --rate "$3" --duration "${DURATION}s" --warmup 3s --connections "$CONNECTIONS" --json "$DIR/$1.json" >/dev/null 2>&1
  python3 - "$1" "$DIR/$1.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))
lat = r["latency"]
failed = sum(v for k, v in r["counts"]["by_code"].items() if not k.startswith("2")) + sum(r["counts"].get("errors", {}).values())
print(sys.argv[1], lat["p50_ms"], lat["p99_ms"], failed)
PY
}

for url in "$INSTANCE" "$BALANCER" "$GATEWAY"; do # warm-up: JIT, connection pools
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP:-10}s" -H "$AUTH" -H "$NO_STORE" "$url$PRODUCT" >/dev/null 2>&1
done
{ maximum a "$INSTANCE"; maximum b "$BALANCER"; maximum c "$GATEWAY"; } > "$DIR/max"
HALF="$(awk '$1 == "c" {printf "%d", $2 / 2}' "$DIR/max")"
{ at_rate a "$INSTANCE" "$HALF"; at_rate b "$BALANCER" "$HALF"; at_rate c "$GATEWAY" "$HALF"; } > "$DIR/half"

echo "maximum rate (wrk -t1 -c$CONNECTIONS, ${DURATION}s each):"
awk '
  BEGIN { label["a"] = "(a) direct to one instance"; label["b"] = "(b) balancer -> instance"; label["c"] = "(c) gateway -> balancer -> instance";
          hop["b"] = "balancer"; hop["c"] = "gateway"; prev["b"] = "a"; prev["c"] = "b" }
  { rps[$1] = $2; p50[$1] = $3; p99[$1] = $4; err[$1] = $5; non2xx[$1] = $6; order[NR] = $1 }
  END {
    print "| path | requests/s | p50 (ms) | p99 (ms) | machine time added (µs/request) | errors | non-2xx |";
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |";
    for (i = 1; i <= NR; i++) { k = order[i]; added = "";
      if (k in prev) added = sprintf("%s: %.1f", hop[k], 1e6 / rps[k] - 1e6 / rps[prev[k]]);
      printf "| %s | %.0f | %.2f | %.2f | %s | %d | %d |\n", label[k], rps[k], p50[k] / 1000, p99[k] / 1000, added, err[k], non2xx[k] }
  }' "$DIR/max"
echo
echo "latency at $HALF requests/s (half of (c)'s maximum), ./archway load --scenario fixed, ${DURATION}s each:"
awk '
  BEGIN { label["a"] = "(a) direct to one instance"; label["b"] = "(b) balancer -> instance"; label["c"] = "(c) gateway -> balancer -> instance";
          hop["b"] = "balancer"; hop["c"] = "gateway"; prev["b"] = "a"; prev["c"] = "b" }
  { p50[$1] = $2; p99[$1] = $3; failed[$1] = $4; order[NR] = $1 }
  END {
    print "| path | p50 (ms) | p99 (ms) | added p50 (µs) | added p99 (µs) | failed |";
    print "| --- | ---: | ---: | ---: | ---: | ---: |";
    for (i = 1; i <= NR; i++) { k = order[i]; a50 = ""; a99 = "";
      if (k in prev) { a50 = sprintf("%s: %.0f", hop[k], 1000 * (p50[k] - p50[prev[k]])); a99 = sprintf("%s: %.0f", hop[k], 1000 * (p99[k] - p99[prev[k]])) }
      printf "| %s | %.3f | %.3f | %s | %s | %d |\n", label[k], p50[k], p99[k], a50, a99, failed[k] }
  }' "$DIR/half"
