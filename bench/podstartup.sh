#!/usr/bin/env bash
# Pod startup benchmark on real containerd through the whole path (API server + Raft store,
# scheduler, controller manager, node agent, CRI), all components in one JVM as `skiff server`
# runs them: PODS pods created at once, create -> Running and create -> Ready p50/p99/max; then the
# process's resident memory idle and with RSS_PODS pods running (RSS_PODS=0: skip it). Prints
# where the time went: per-phase moments (scheduled, agent read, each CRI call, Running).
#   bench/podstartup.sh        the whole path
#   bench/podstartup.sh raw    the floor: PODS pods started at once directly through the CRI
#                              (PARALLEL=n: at most n in flight; SECCOMP=1: the runtime/default
#                              seccomp profile on sandbox and container, as the node agent sets it)
#   bench/podstartup.sh clean  remove the sandboxes an interrupted run left behind
#   PODS      pods created at once (default 30)      RSS_PODS  pods for the memory figure (default 100)
#   ROUNDS=n  run the measured batch n times in the same process (default 1)
#   PROFILE=1 JFR CPU profile of the whole path to OUT/podstartup.jfr (jfr view hot-methods ...)
#   BUILD=0   reuse the previous build's private copies in OUT (default bench/target/podstartup):
#             two OUT directories built from two commits give back-to-back A/B runs
#   SKIFF_CRI_ENDPOINT  CRI socket (default: what scripts/setup-runtime.sh prints)
#   MVN_REPO  a private Maven local repository (optional; other builds may rewrite ~/.m2 meanwhile)
# Needs root and a runtime set up by scripts/setup-runtime.sh (images from localhost:5000).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java_home="${SKIFF_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
endpoint="${SKIFF_CRI_ENDPOINT:-$("$root/scripts/setup-runtime.sh" endpoint)}"
socket="${endpoint#unix://}"
[[ -S "$socket" ]] || { echo "podstartup: no CRI socket at $socket: run sudo scripts/setup-runtime.sh first" >&2; exit 3; }
out="$(realpath -m "${OUT:-$root/bench/target/podstartup}")"
mkdir -p "$out/classes"
mvn_args=(-o -q)
[[ -n "${MVN_REPO:-}" ]] && mvn_args+=(-Dmaven.repo.local="$MVN_REPO")

cp="$out/classes:$out/cli-classes:$out/nodeagent-classes:$out/scheduler-classes:$out/controllers-classes"
if [[ "${BUILD:-1}" != 0 || ! -d "$out/lib" ]]; then
  echo "podstartup: building the components..." >&2
  (cd "$root" && mvn "${mvn_args[@]}" -pl cli -am install -DskipTests >&2)
  (cd "$root" && mvn "${mvn_args[@]}" -pl nodeagent dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$out/cp.txt" >&2)
  (cd "$root" && mvn "${mvn_args[@]}" -pl cli dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$out/cli-cp.txt" >&2)
  # Private copies: other builds may reinstall jars in ~/.m2 while the benchmark runs.
  rm -rf "$out/lib" && mkdir -p "$out/lib"
  for jar in $(tr ':' ' ' < "$out/cp.txt") $(tr ':' ' ' < "$out/cli-cp.txt"); do cp "$jar" "$out/lib/"; done
  # the modules' own classes come from their target dirs, not from (possibly stale) jars
  rm -f "$out"/lib/skiff-cli-*.jar "$out"/lib/skiff-nodeagent-*.jar "$out"/lib/skiff-scheduler-*.jar \
    "$out"/lib/skiff-controllers-*.jar
  for m in cli nodeagent scheduler controllers; do
    rm -rf "$out/$m-classes" && cp -r "$root/$m/target/classes" "$out/$m-classes"
  done
  "$java_home/bin/javac" -nowarn -d "$out/classes" -cp "$cp:$(ls "$out"/lib/*.jar | tr '\n' ':')" \
    "$root"/bench/src/main/java/dev/skiff/bench/podstartup/*.java
fi
cp="$cp:$(ls "$out"/lib/*.jar | tr '\n' ':')"
echo "podstartup: load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [[ "${1:-}" == clean ]]; then
  exec "$java_home/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -Dlogback.configurationFile="$root/bench/src/main/java/dev/skiff/bench/podstartup/logback.xml" \
    -cp "$cp" dev.skiff.bench.podstartup.Cleanup "$endpoint"
fi
if [[ "${1:-}" == raw ]]; then
  exec "$java_home/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -Dlogback.configurationFile="$root/bench/src/main/java/dev/skiff/bench/podstartup/logback.xml" \
    -cp "$cp" dev.skiff.bench.podstartup.RawCriBench "$endpoint" "${PODS:-30}" "${PARALLEL:-${PODS:-30}}"
fi

jfr=()
if [[ "${PROFILE:-0}" == 1 ]]; then
  jfr=("-XX:StartFlightRecording=filename=$out/podstartup.jfr,settings=profile,dumponexit=true")
fi
"$java_home/bin/java" "${jfr[@]}" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Xmx512m -XX:+UseSerialGC \
  -Dlogback.configurationFile="$root/bench/src/main/java/dev/skiff/bench/podstartup/logback.xml" \
  -cp "$cp" dev.skiff.bench.podstartup.PodStartupBench "$endpoint" "${PODS:-30}" "${RSS_PODS:-100}" "${ROUNDS:-1}"
