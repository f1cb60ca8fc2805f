#!/usr/bin/env bash
# Measures the gateway's rate limiter with JMH: decisions per second for one hot key and for
# 10 000 keys in turn, on 1 and 2 threads (archway.lab.bench.LimiterBench).
# Builds the lab module and what it needs, then runs JMH in a forked JVM with short settings
# (a quick look, not a publication: one fork, 3 warm-up and 5 measured iterations of 1 s).
# Usage: lab/limiter-bench.sh [extra JMH options, e.g. -prof gc, or a benchmark regex]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
# in one reactor build, so the Archway modules come from their target/classes (lab's file is written last)
./mvnw -B -ntp -q -o -pl lab -am compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime
CP="lab/target/classes:$(cat "$CP_FILE")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$JAVA" --sun-misc-unsafe-memory-access=allow -cp "$CP" org.openjdk.jmh.Main \
  -f1 -wi 3 -i 5 -w 1s -r 1s -jvmArgsAppend --sun-misc-unsafe-memory-access=allow "${@:-LimiterBench}"
