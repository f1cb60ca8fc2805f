#!/usr/bin/env bash
# The cache path "CDN -> app cache -> database" under a browse load of a running `./archway up`:
# product pages and listing pages by Zipf popularity (s = 0.99 over the 10,000 products), at a
# fixed open-loop rate through the edge. Reads every layer's counters before and after the run
# and prints one Markdown row: hit ratio at the edge, the gateway and the app caches, the
# PostgreSQL queries of the read path (the catalog's statements and the stock levels loaded)
# as a share of requests, p50/p99 and the errors.
# WARMUP (default 10s) is an unmeasured run at the same rate first (its own seed, so the
# measured run does not just replay what it cached).
# Usage: lab/cache-bench.sh LABEL [rate per s, default 500] [seconds, default 60] [extra ./archway load options...]
#   e.g. lab/cache-bench.sh "CDN off" 500 60 --header 'Cache-Control: no-store'
# Start the system with the app caches wanted first, e.g. for caches at 10% of the catalog:
#   ./archway up --cache catalog.products.size=1000 --cache catalog.pages.size=50
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LABEL="${1:?a label for the row}"
RATE="${2:-500}"
SECONDS_="${3:-60}"
shift $(( $# < 3 ? $# : 3 ))
EDGE="${ARCHWAY_EDGE_URL:-http://127.0.0.1:8080}"
GATEWAY="${ARCHWAY_GATEWAY_URL:-http://127.0.0.1:8081}"
OPS="${ARCHWAY_OPS_URL:-http://127.0.0.1:8089}"
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT

instances() { curl -fsS "$OPS/instances" | grep -o '"url":"[^"]*"' | cut -d'"' -f4; }

# sums of the counters this bench reads, one "name value" per line
scrape() {
  {
    curl -fsS "$EDGE/metrics" | sed 's/^edge_cache_requests_total/EDGE/'
    curl -fsS "$GATEWAY/metrics" | sed 's/^gateway_cache_requests_total/GATEWAY/'
    for url in $(instances); do curl -fsS "$url/metrics"; done
  } | awk '
    /^EDGE\{/ { if ($1 ~ /result="hit"/) e_hit += $2; else if ($1 ~ /result="stale"/) e_hit += $2; else if ($1 ~ /result="miss"/) e_miss += $2 }
    /^GATEWAY\{/ { if ($1 ~ /result="hit"/ || $1 ~ /result="stale"/) g_hit += $2; else if ($1 ~ /result="miss"/) g_miss += $2 }
    /^cache_gets_total\{/ && /cache="catalog\.(products|pages)"/ { if ($1 ~ /result="hit"/) a_hit += $2; else if ($1 ~ /result="miss"/) a_miss += $2 }
    /^catalog_store_queries_total/ { queries += $2 }
    /^cache_load_total\{/ && /cache="inventory\.stock"/ { queries += $2 }
    END { printf "e_hit %d\ne_miss %d\ng_hit %d\ng_miss %d\na_hit %d\na_miss %d\nqueries %d\n", e_hit, e_miss, g_hit, g_miss, a_hit, a_miss, queries }'
}

# the warm-up is a run of its own, so that the counters read around the measured run count it alone
"$ROOT/archway" load --target "$EDGE" --scenario browse --zipf 0.99 --rate "$RATE" --duration "${WARMUP:-10s}" \
  --seed 999 "$@" > /dev/null
scrape > "$DIR/before"
"$ROOT/archway" load --target "$EDGE" --scenario browse --zipf 0.99 --rate "$RATE" --duration "${SECONDS_}s" \
  --json "$DIR/report.json" "$@" > "$DIR/report.txt"
scrape > "$DIR/after"

# the load report's JSON: answers by status class, p50 and p99 (ms); and the failures without an answer
JSON="$(tr -d ' \n' < "$DIR/report.json")"
classes=$(grep -o '"by_class":{[^}]*}' <<<"$JSON" | grep -o '"[0-9]xx":[0-9]*')
answers=$(awk -F: '{n += $2} END {print n + 0}' <<<"$classes")
non2xx=$(grep -v '"2xx"' <<<"$classes" | awk -F: '{n += $2} END {print n + 0}')
p50=$(grep -o '"latency":{[^}]*}' <<<"$JSON" | grep -o '"p50_ms":[0-9.]*' | cut -d: -f2)
p99=$(grep -o '"latency":{[^}]*}' <<<"$JSON" | grep -o '"p99_ms":[0-9.]*' | cut -d: -f2)
errors=$(awk '/^errors/ {print $2}' "$DIR/report.txt")
paste "$DIR/before" "$DIR/after" | awk -v label="$LABEL" -v answers="$answers" -v p50="$p50" -v p99="$p99" -v errors="$errors" -v non2xx="$non2xx" '
  { d[$1] = $4 - $2 }
  function ratio(h, m) { return h + m == 0 ? "-" : sprintf("%.1f%%", 100 * h / (h + m)) }
  END {
    requests = d["e_hit"] + d["e_miss"]; if (requests == 0) requests = answers;
    printf "| %s | %s | %s | %s | %s | %.1f%% | %s | %s | %s |\n", label, answers, ratio(d["e_hit"], d["e_miss"]),
      ratio(d["g_hit"], d["g_miss"]), ratio(d["a_hit"], d["a_miss"]), 100 * d["queries"] / (requests > 0 ? requests : 1),
      p50, p99, errors + non2xx
  }'
