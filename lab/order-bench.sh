#!/usr/bin/env bash
# Measures the write path with `./archway load --scenario order`: orders placed through the
# edge at a constant rate (open loop: latency from each request's intended start), then
# followed to a terminal status (time to terminal by the server's own clocks).
# A first run of WARMUP seconds at 100 orders/s, not reported, lets the JIT compile the
# whole path (the first minute of a fresh system is several times slower); then one run per
# rate in RATES, each after a 5 s warm-up.
# Starts its own `./archway up` in a temporary run folder on free ports (so it runs beside an
# Archway on the default ones), waits for the operations entry's /ready, prints PostgreSQL's
# synchronous_commit (on, the embedded default: an accepted order is on disk), runs both
# loads, prints both reports and stops the system. Both the system and the load run from a
# copy of the built tree, so that editing and rebuilding the working tree meanwhile cannot
# swap the classes under them (./archway rebuilds when a source is newer than the build).
# Usage: lab/order-bench.sh [seconds per run, default 30]
# Environment: RATES    the offered rates, orders/s (default "100 300 1000")
#              WARMUP   seconds of the unreported first run (default 120)
#              SETTLE   how long each run follows its orders (default 180s: one look at each of
#                       30,000 orders at the follow-up's 200 GET/s takes 150 s)
#              INSTANCES app instances (default 2)
#              REPORTS  a folder to keep the reports in as JSON (default: none kept)
#              KEEP     1 keeps the temporary folder (the system's logs in run/logs)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${1:-30}"
SETTLE="${SETTLE:-180s}"
INSTANCES="${INSTANCES:-2}"
DIR="$(mktemp -d -t archway-order-bench.XXXXXX)"
LOG="$DIR/up.log"
UP_PID=""

stop() { # the system first (SIGTERM: its shutdown hook stops every process it started), then the folder
  if [ -n "$UP_PID" ] && kill -0 "$UP_PID" 2>/dev/null; then
    echo "order-bench: stopping the system ..." >&2
    kill -TERM "$UP_PID"
    for _ in $(seq 1 600); do kill -0 "$UP_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$UP_PID" 2>/dev/null; then
      echo "order-bench: the system (pid $UP_PID) did not stop within 60 s; its run folder $DIR is kept" >&2
      return
    fi
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "order-bench: kept $DIR" >&2; else rm -rf "$DIR"; fi
}
trap stop EXIT
trap 'exit 130' INT TERM

field() { # the address the diagram prints after its label $1 (column 1)
  awk -v label="$1" '$1 == label {print $2; exit}' "$LOG"
}

"$ROOT/archway" --version >/dev/null # build first if needed, before anything is started
TREE="$DIR/tree" # the built tree without sources, tests and test data; its class path points into it
mkdir -p "$TREE"
tar -C "$ROOT" --exclude=./.git --exclude=./var --exclude=src --exclude='embedded-pg' --exclude='surefire*' \
  --exclude='test-classes' -cf - . | tar -C "$TREE" -xf -
sed -i "s#$ROOT/#$TREE/#g" "$TREE/launcher/target/classpath.txt"
touch "$TREE/launcher/target/classpath.txt"
ARCHWAY="$TREE/archway"

"$ARCHWAY" up --run-dir "$DIR/run" --instances "$INSTANCES" --edge-port 0 --gateway-port 0 \
  --balancer-port 0 --ops-port 0 --instance-port 0 --postgres-port 0 --kafka-port 0 --provider-port 0 >"$LOG" 2>&1 &
UP_PID=$! # ./archway execs java: this is the launcher itself

for _ in $(seq 1 1800); do # up to 3 minutes for the diagram
  grep -q "Ctrl-C stops everything" "$LOG" && break
  if grep -q "could not start" "$LOG" || ! kill -0 "$UP_PID" 2>/dev/null; then
    echo "order-bench: the system did not start:" >&2; cat "$LOG" >&2; exit 1
  fi
  sleep 0.1
done
EDGE="$(field EDGE)"
OPS="$(field operations)"
STORE="$(field STORE)"
[ -n "$EDGE" ] && [ -n "$OPS" ] || { echo "order-bench: no diagram after 3 minutes:" >&2; cat "$LOG" >&2; exit 1; }
for _ in $(seq 1 600); do curl -fsS -o /dev/null "$OPS/ready" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "$OPS/ready" || { echo "order-bench: $OPS/ready never answered 200" >&2; exit 1; }
echo "order-bench: up at $EDGE (operations $OPS, store $STORE)" >&2

# jdbc:postgresql://HOST:PORT/DB -> HOST PORT DB
read -r PG_HOST PG_PORT PG_DB < <(echo "$STORE" | sed -n 's#^jdbc:postgresql://\([^:/]*\):\([0-9]*\)/\([^?]*\).*#\1 \2 \3#p') || true
if ! command -v psql >/dev/null; then
  SYNC="not checked (psql is not installed; Debian: apt-get install postgresql-client)"
elif [ -z "${PG_PORT:-}" ]; then
  SYNC="not checked (no PostgreSQL address in the diagram)"
else
  SYNC="$(PGCONNECT_TIMEOUT=5 PGPASSWORD="${ARCHWAY_POSTGRES_PASSWORD:-}" psql -h "$PG_HOST" -p "$PG_PORT" -U postgres \
    -d "$PG_DB" -Atc 'show synchronous_commit' 2>&1 || true)"
fi
echo "order-bench: PostgreSQL synchronous_commit = $SYNC" >&2

load() { # name rate [options]: one run; its report goes to $DIR/name.txt (and JSON to REPORTS)
  local name="$1" rate="$2"; shift 2
  local json=()
  [ -n "${REPORTS:-}" ] && mkdir -p "$REPORTS" && json=(--json "$REPORTS/order-$rate.json")
  "$ARCHWAY" load --target "$EDGE" --scenario order --rate "$rate" --duration "${DURATION}s" \
    --settle "$SETTLE" "${json[@]}" "$@" >"$DIR/$name.txt"
}
RATES="${RATES:-100 300 1000}"
WARMUP="${WARMUP:-120}"
echo "order-bench: warming up for ${WARMUP} s at 100 orders/s (not reported) ..." >&2
"$ARCHWAY" load --target "$EDGE" --scenario order --rate 100 --duration "${WARMUP}s" --no-follow >/dev/null
for rate in $RATES; do
  echo "order-bench: $rate orders/s for ${DURATION} s ..." >&2
  load "rate-$rate" "$rate" --warmup 5s
done

echo
echo "PostgreSQL synchronous_commit: $SYNC; $INSTANCES app instances; $(nproc) cores; after ${WARMUP} s at 100 orders/s"
for rate in $RATES; do
  echo
  echo "## $rate orders/s for ${DURATION} s after a 5 s warm-up"
  cat "$DIR/rate-$rate.txt"
done
