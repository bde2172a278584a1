#!/usr/bin/env bash
# Scheduler benchmark (Kubernetes scheduler_perf SchedulingBasic): in one run, NODES nodes then
# phases of pods created through the API server and bound through it by the scheduler, with the
# Raft store (fsync) in the loop, all in one JVM over in-process gRPC. Prints pods/s per phase.
# First the scheduling core alone (same queue/cache/plugins, binds confirmed in memory): the
# scheduler's own capacity, then end to end.
#   NODES   nodes (default 5000)        PODS  pods per phase (default "10000 50000")
#   ONLY    "core" or "e2e" to run one part      STORE_DIR  Raft data dir (default /var/tmp)
#   WARMUP  e2e only: pods first run through create/schedule/bind and deleted again, not counted,
#           so the measured phases run on a JIT-compiled JVM (default 10000; 0 = cold JVM)
#   PROFILE=1  record a JFR CPU profile and print the hottest methods
#   HEAP    max heap (default 6g)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java_home="${SKIFF_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
nodes=${NODES:-5000}
pods=${PODS:-"10000 50000"}
out="$root/bench/target/scheduler"
mkdir -p "$out/classes"

echo "bench: building the scheduler and its dependencies..." >&2
(cd "$root" && mvn -o -q -pl scheduler -am install -DskipTests >&2)
(cd "$root" && mvn -o -q -pl scheduler dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$out/cp.txt" >&2)
# Private copies: other builds may reinstall jars in ~/.m2 while the benchmark runs.
rm -rf "$out/lib" && mkdir -p "$out/lib"
for jar in $(tr ':' ' ' < "$out/cp.txt"); do cp "$jar" "$out/lib/"; done
rm -rf "$out/scheduler-classes" && cp -r "$root/scheduler/target/classes" "$out/scheduler-classes"
cp="$out/classes:$out/scheduler-classes:$(ls "$out"/lib/*.jar | tr '\n' ':')"
"$java_home/bin/javac" -nowarn -d "$out/classes" -cp "$cp" \
  "$root"/bench/src/main/java/dev/skiff/bench/scheduler/*.java

jvm=("$java_home/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
     -Xmx"${HEAP:-6g}" -XX:+UseParallelGC
     -Dlogback.configurationFile="$root/bench/src/main/java/dev/skiff/bench/scheduler/logback.xml")
if [[ "${PROFILE:-0}" == 1 ]]; then
  jvm+=(-XX:StartFlightRecording=filename="$out/scheduler.jfr",settings=profile)
fi
if [[ "${ONLY:-}" != e2e ]]; then
  "${jvm[@]}" -cp "$cp" dev.skiff.bench.scheduler.SchedulingCoreBench "$nodes" 10000 2 3
fi
if [[ "${ONLY:-}" != core ]]; then
  # shellcheck disable=SC2086
  "${jvm[@]}" -Dbench.storeDir="${STORE_DIR:-/var/tmp}" -Dbench.warmup="${WARMUP:-10000}" -cp "$cp" \
    dev.skiff.bench.scheduler.SchedulerBench "$nodes" $pods
fi
if [[ "${PROFILE:-0}" == 1 ]]; then
  "$java_home/bin/jfr" view --width 160 hot-methods "$out/scheduler.jfr" | head -40
fi
