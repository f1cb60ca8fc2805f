#!/usr/bin/env bash
# What each of the balancer's algorithms does with one slow instance: two stand-in instances
# (one 20 ms slower), a balancer per algorithm (round-robin, least outstanding, peak EWMA),
# and a fixed-rate open-loop load through each. Prints a Markdown table: rate achieved,
# p50/p99/p99.9 latency, errors and the share of requests the slow instance took.
# Everything runs in one JVM on free ports, without access lines or INFO logs. Builds the lab
# module and what it needs first.
# Usage: lab/slow-instance-bench.sh [rate per s, default 400] [seconds, default 20] [connections, default 64]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
"$ROOT/mvnw" -f "$ROOT/pom.xml" -B -ntp -q -pl lab -am -DskipTests package
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$JAVA" -Darchway.log.level=WARN -Darchway.access.level=OFF -cp "$ROOT/lab/target/classes:$(cat "$ROOT/lab/target/classpath.txt")" archway.lab.bench.SlowInstanceBench "$@"
