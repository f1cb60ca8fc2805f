#!/usr/bin/env bash
# How long a price change takes to reach every client of a running `./archway up`: an admin
# PATCH of a hot product's price through the edge, readers on every representation that shows
# it (v1, v2, gzip, its listing page) until each has seen the new price three times in a row.
# Run it while a browse load keeps the caches hot (./archway load --scenario browse ...).
# Prints a Markdown table of the propagation time over the rounds (p50, p99, max).
# Usage: lab/price-change-bench.sh [edge URL, default http://127.0.0.1:8080] [rounds, default 20] [run folder, default var]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
"$ROOT/mvnw" -f "$ROOT/pom.xml" -B -ntp -q -pl lab -am -DskipTests package
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$JAVA" -cp "$ROOT/lab/target/classes:$(cat "$ROOT/lab/target/classpath.txt")" archway.lab.bench.PriceChangeBench "$@"
