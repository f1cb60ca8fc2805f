#!/usr/bin/env bash
# Time from `./archway up` to ready (the diagram printed) on a built tree, and the memory
# of every process of the run (launcher, app instances, the Kafka broker, PostgreSQL and its
# backends).
# Usage: lab/startup-bench.sh [runs, default 3]. Uses the default ports; stop any running
# Archway first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-3}"
LOG="$(mktemp)"
trap 'pkill -TERM -f "archway.launcher.Main up" || true; rm -f "$LOG"' EXIT

memory() { # prints "RSS MB, PSS MB, processes" of the running system
  local pg pids
  pg="$(pgrep -f "postgres -D $ROOT/var/postgres" | head -n 1)"
  pids="$(pgrep -f 'archway.launcher.Main' | tr '\n' ' ') $(pgrep -f 'archway.bus.kafka.BrokerMain' | tr '\n' ' ') $pg $(pgrep -P "$pg" | tr '\n' ' ')"
  local rss pss
  rss="$(ps -o rss= -p "$(echo $pids | tr ' ' ',')" | awk '{s+=$1} END {printf "%.0f", s/1024}')"
  pss="$(for p in $pids; do grep '^Pss:' "/proc/$p/smaps_rollup"; done | awk '{s+=$2} END {printf "%.0f", s/1024}')"
  echo "${rss} MB RSS, ${pss} MB PSS, $(echo $pids | wc -w) processes"
}

"$ROOT/archway" --version >/dev/null # build first if needed, outside the timing
for run in $(seq 1 "$RUNS"); do
  start="$(date +%s.%N)"
  "$ROOT/archway" up >"$LOG" 2>&1 &
  until grep -q "Ctrl-C stops everything\|could not start" "$LOG"; do sleep 0.05; done
  end="$(date +%s.%N)"
  printf "run %d: ready after %s s; %s\n" "$run" "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}')" "$(memory)"
  pkill -TERM -f "archway.launcher.Main up"
  while pgrep -f "archway.launcher.Main" >/dev/null; do sleep 0.2; done
done
