#!/usr/bin/env bash
# Store benchmark: the same load, with the same client (bench/.../StoreBench.java over the
# etcd v3 gRPC API), against Skiff's store and Debian's etcd 3.4, 1 and 3 members each, on
# loopback. Both systems' clusters of a size run side by side and take turns, measurement by
# measurement (see StoreBench). Prints a table and skiff/etcd ratios. Not a test; takes about
# 11 minutes a round.
#   STEP_SECONDS  seconds per measurement (default 5)
#   WARMUP_SECONDS  unreported warm-up, the same for both systems: the measured loads in rotation,
#                   5 s each (default 120: a Skiff member is a JVM that compiles each code path for
#                   the loads it has seen; its C2 compiler takes ~60% of a core in the first 75 s
#                   of load on 2 cores shared by three members; etcd is compiled ahead of time.
#                   WARMUP_SECONDS=30 gives the figures of a freshly started group)
#   SYSTEMS       "skiff etcd" (default)   MEMBERS  "1 3" (default)
#   ROUNDS        times the whole table is measured, on new clusters (default 1); the table then
#                 gives each figure's median
#   MEMBER_JAVA_OPTS  extra JVM flags for Skiff's members (e.g. -XX:TieredStopAtLevel=1)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
java_home="${SKIFF_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
etcd_bin=${ETCD:-/usr/bin/etcd}
step=${STEP_SECONDS:-5}
warmup=${WARMUP_SECONDS:-120}
systems=${SYSTEMS:-"skiff etcd"}
member_counts=${MEMBERS:-"1 3"}
rounds=${ROUNDS:-1}
out="$root/bench/store/target"
mkdir -p "$out/classes"

echo "bench: building store-raft and the bench classes..." >&2
(cd "$root" && mvn -o -q -pl store-raft -am install -DskipTests >&2)
(cd "$root" && mvn -o -q -pl store-raft dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$out/cp.txt" >&2)
# the local Maven repository Maven used (~/.m2/repository unless MAVEN_OPTS names another)
repo=$(tr ':' '\n' <"$out/cp.txt" | grep '/com/google/guava/guava/' | head -1 | sed 's#/com/google/guava/guava/.*##')
picocli=$(find "$repo/info/picocli/picocli" -name 'picocli-4.7.7.jar' | head -1)
logback=$(find "$repo/ch/qos/logback" -name 'logback-c*-1.6.6.jar' | tr '\n' ':')
cp="$out/classes:$root/store-raft/target/classes:$(cat "$out/cp.txt"):$picocli:$logback"
"$java_home/bin/javac" -nowarn -d "$out/classes" -cp "$cp" \
  "$root/cli/src/main/java/dev/skiff/cli/StoreCommand.java" \
  "$root"/bench/src/main/java/dev/skiff/bench/store/*.java
jvm=("$java_home/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
     -Dlogback.configurationFile="$root/bench/store/logback.xml" -cp "$cp")

work=$(mktemp -d /var/tmp/skiff-bench.XXXXXX)
pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
             for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; pids=(); }
# members' logs survive the run, in bench/store/target/logs
trap 'stop_all; rm -rf "$out/logs"; mkdir -p "$out/logs"; cp "$work"/*.log "$out/logs/" 2>/dev/null; rm -rf "$work"' EXIT

# ports below Linux's ephemeral range (32768-60999), where an outgoing connection may hold one
start_cluster() { # <system> <members> <round> <first port> -> sets $endpoints
  local sys=$1 n=$2 round=$3 base=$4 cluster="" eps=() i
  for i in $(seq 1 "$n"); do cluster+="${cluster:+,}m$i=http://127.0.0.1:$((base + 2*i + 1))"; done
  for i in $(seq 1 "$n"); do
    local c=$((base + 2*i)) p=$((base + 2*i + 1)) dir="$work/r$round-$sys-$n-m$i"
    eps+=("127.0.0.1:$c")
    if [[ $sys == etcd ]]; then
      "$etcd_bin" --name "m$i" --data-dir "$dir" --listen-client-urls "http://127.0.0.1:$c" \
        --advertise-client-urls "http://127.0.0.1:$c" --listen-peer-urls "http://127.0.0.1:$p" \
        --initial-advertise-peer-urls "http://127.0.0.1:$p" --initial-cluster "$cluster" \
        --initial-cluster-state new --log-level error >"$dir.log" 2>&1 &
    else
      # the JVM's default heap, as `./skiff store` runs (a quarter of RAM): a 1 GB cap filled up with
      # the ~700k keys the 1-member warm-up writes and ended in back-to-back full GCs
      "${jvm[@]}" -Dio.grpc.netty.shaded.io.netty.leakDetection.level=disabled \
        -Dorg.apache.ratis.thirdparty.io.netty.leakDetection.level=disabled ${MEMBER_JAVA_OPTS:-} \
        dev.skiff.bench.store.StoreMember --name "m$i" --data-dir "$dir" \
        --listen-client-urls "http://127.0.0.1:$c" --listen-peer-urls "http://127.0.0.1:$p" \
        --initial-cluster "$cluster" >"$dir.log" 2>&1 &
    fi
    pids+=($!)
  done
  endpoints=$(IFS=,; echo "${eps[*]}")
  for _ in $(seq 1 120); do
    # every member must answer (a put through the endpoint list succeeds as soon as one does)
    if ETCDCTL_API=3 etcdctl --endpoints="$endpoints" --command-timeout=2s put /bench/ready 1 >/dev/null 2>&1 &&
       ETCDCTL_API=3 etcdctl --endpoints="$endpoints" --command-timeout=2s endpoint health >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "bench: $sys with $n members did not start; the end of each member's log:" >&2
  for i in $(seq 1 "$n"); do echo "--- m$i" >&2; tail -n 15 "$work/r$round-$sys-$n-m$i.log" >&2 || true; done
  exit 1
}

results="$out/results.txt"
: >"$results"
for round in $(seq 1 "$rounds"); do
  for n in $member_counts; do
    echo "bench: round $round of $rounds, $n member(s): $systems..." >&2
    targets=() base=$(( 20000 + RANDOM % 12000 ))
    for sys in $systems; do
      start_cluster "$sys" "$n" "$round" "$base"
      targets+=("$sys-$n=$endpoints") base=$((base + 20))
    done
    "${jvm[@]}" dev.skiff.bench.store.StoreBench "$step" "$warmup" "${targets[@]}" | tee -a "$results" >&2
    for p in "${pids[@]}"; do
      kill -0 "$p" 2>/dev/null || { echo "bench: a member exited during the run (logs: $out/logs)" >&2; exit 1; }
    done
    stop_all
  done
done

echo
"${jvm[@]}" dev.skiff.bench.store.ResultTable "$results" $member_counts
