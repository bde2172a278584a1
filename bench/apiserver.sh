#!/usr/bin/env bash
# API server benchmark: PODS pod creates at RATE/s offered (open loop), gets (32 concurrent),
# lists of all pods (consistent from the store, and rv=0 from the watch cache), paged lists,
# and one create stream fanned out to WATCHERS watchers. Apiserver and clients over loopback TCP.
#   STORE    "skiff" (1-member Raft store with fsync, default) or "etcd" (Debian's /usr/bin/etcd)
#   PODS     default 10000      RATE  default 1000      WATCHERS  default 1000
#   WARMUP   default 40000: extra creates + gets (64 concurrent, own namespace, ~30 s) before the
#            measured phases, so they run on a JIT-compiled JVM as a long-running server does (cold,
#            the JIT takes ~45% of the CPU during the creates; after 10,000 its compiler threads
#            still took 0.7 of the 2 cores, after 40,000 0.1); the measured workload is unchanged.
#            WARMUP=0 gives a freshly started server's figures
#   STORE_DIR  data dir (default /var/tmp)             HEAP  max heap (default 4g)
#   JAVA_OPTS  extra JVM flags (e.g. -Xlog:gc for pause times, or another collector)
#   PROFILE=1  JFR CPU profile of the create phase to bench/target/apiserver/apiserver.jfr, then a
#              summary: samples by layer (apiserver, etcd client, gRPC, Netty, protobuf, store), hot methods
# Netty's leak detectors (gRPC's and Ratis' copies) are off, as in the launcher: at its default level it records a stack trace
# for one buffer in 128, a cost production does not pay.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java_home="${SKIFF_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
out="$root/bench/target/apiserver"
mkdir -p "$out/classes"

echo "bench: building the apiserver and its dependencies..." >&2
(cd "$root" && mvn -o -q -pl apiserver -am install -DskipTests >&2)
(cd "$root" && mvn -o -q -pl apiserver dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$out/cp.txt" >&2)
# Private copies: other builds may reinstall jars in ~/.m2 while the benchmark runs.
rm -rf "$out/lib" "$out/apiserver-classes" && mkdir -p "$out/lib"
for jar in $(tr ':' ' ' < "$out/cp.txt"); do cp "$jar" "$out/lib/"; done
cp -r "$root/apiserver/target/classes" "$out/apiserver-classes"
cp="$out/classes:$out/apiserver-classes:$(ls "$out"/lib/*.jar | tr '\n' ':')"
"$java_home/bin/javac" -nowarn -d "$out/classes" -cp "$cp" "$root"/bench/src/main/java/dev/skiff/bench/apiserver/*.java

store="${STORE:-skiff}"
etcd_pid=""
if [[ "$store" == etcd ]]; then
  dir="$(mktemp -d "${STORE_DIR:-/var/tmp}/etcd-bench-XXXX")"
  /usr/bin/etcd --name b --data-dir "$dir/data" --listen-client-urls http://127.0.0.1:23790 \
    --advertise-client-urls http://127.0.0.1:23790 --listen-peer-urls http://127.0.0.1:23800 \
    --initial-advertise-peer-urls http://127.0.0.1:23800 --initial-cluster b=http://127.0.0.1:23800 \
    --log-level error > "$dir/etcd.log" 2>&1 &
  etcd_pid=$!
  trap 'kill $etcd_pid 2>/dev/null; rm -rf "$dir"' EXIT
  for _ in $(seq 50); do curl -sf http://127.0.0.1:23790/health >/dev/null 2>&1 && break; sleep 0.2; done
  store="etcd:127.0.0.1:23790"
fi
jfr=()
if [[ "${PROFILE:-0}" == 1 ]]; then
  rm -f "$out/apiserver.jfr"
  jfr=("-Dskiff.bench.profile=$out/apiserver.jfr")
fi
"$java_home/bin/java" "${jfr[@]}" ${JAVA_OPTS:-} -Dio.grpc.netty.shaded.io.netty.leakDetection.level=disabled \
  -Dorg.apache.ratis.thirdparty.io.netty.leakDetection.level=disabled --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Xmx"${HEAP:-4g}" -Dlogback.configurationFile="$root/bench/src/main/java/dev/skiff/bench/apiserver/logback.xml" \
  -cp "$cp" dev.skiff.bench.apiserver.ApiServerBench "$store" "${PODS:-10000}" "${RATE:-1000}" \
  "${WATCHERS:-1000}" "${STORE_DIR:-/var/tmp}" "${WARMUP:-40000}"
if [[ "${PROFILE:-0}" == 1 ]]; then
  "$java_home/bin/java" -cp "$cp" dev.skiff.bench.apiserver.ProfileSummary "$out/apiserver.jfr" 30
fi
