#!/usr/bin/env bash
# Smoke run of every benchmark, for CI: builds benchmarks/target/benchmarks.jar, runs each JMH
# benchmark (every @Param combination, the peers too: Pekko, Guava, the Disruptor, Agrona) for
# one very short iteration in its own fork, draws the results with ResultsPlot, and runs
# GilHandoffLatency briefly. Fails if the build fails, any benchmark throws (including the
# benchmarks' own teardown checks that no message was lost) or a peer has no result. The
# figures mean nothing: this only keeps the benchmarks from rotting. Takes about a minute and
# a half; works from any directory.
#
#   benchmarks/smoke.sh              # build (offline if SMOKE_MVN_ARGS=-o) and run
#   SMOKE_SKIP_BUILD=1 benchmarks/smoke.sh   # reuse an existing jar
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
start=$(date +%s)

if [[ -z "${SMOKE_SKIP_BUILD:-}" ]]; then
  # shellcheck disable=SC2086 # SMOKE_MVN_ARGS is a list of options
  mvn -B -ntp -q ${SMOKE_MVN_ARGS:-} -pl benchmarks -am package -DskipTests
fi

jar=benchmarks/target/benchmarks.jar
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out=benchmarks/target/smoke
mkdir -p "$out"

# -foe true: the first benchmark that throws ends the run with exit code 1.
"$java" -jar "$jar" -f 1 -wi 0 -i 1 -r 100ms -foe true \
  -rf json -rff "$out/jmh.json" > "$out/jmh.txt" 2>&1 || {
  tail -n 60 "$out/jmh.txt"
  echo "smoke: a JMH benchmark failed (full log: $out/jmh.txt)" >&2
  exit 1
}
grep -E '^(Benchmark|[A-Za-z]+Benchmark\.)' "$out/jmh.txt" | grep -v ':p[01]\.' || true

# Every peer must have run (a variant dropped from a @Param list would go unnoticed otherwise).
for peer in pekkoClassic pekkoClassicTuned pekkoTyped pekkoTypedTuned sequentialExecutor \
    serialExecutor disruptorBlocking disruptorYielding agronaSpin agronaPark pekkoAsk \
    pekkoTypedAsk linkedTransferQueue; do
  grep -q "\"$peer\"\|\.$peer\"" "$out/jmh.json" || {
    echo "smoke: no result for $peer" >&2
    exit 1
  }
done
"$java" -cp "$jar" io.github.gilpatterns.benchmarks.ResultsPlot "$out/jmh.png" "$out/jmh.json"

"$java" -cp "$jar" io.github.gilpatterns.benchmarks.GilHandoffLatency 0.5 2 \
  > "$out/handoff.txt" 2>&1 || {
  cat "$out/handoff.txt"
  echo "smoke: GilHandoffLatency failed" >&2
  exit 1
}
grep -q 'drop request -> requester running' "$out/handoff.txt" || {
  cat "$out/handoff.txt"
  echo "smoke: GilHandoffLatency printed no latencies" >&2
  exit 1
}
cat "$out/handoff.txt"

echo "smoke: all benchmarks ran ($(( $(date +%s) - start )) s)"
