# Shared by run.sh and floor.sh (sourced): builds the store and the bench classes, and starts
# Skiff and etcd members on loopback. Sets root, out, jvm (the java command with the bench's
# classpath), work (a scratch directory removed on exit) and start_cluster.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
java_home="${SKIFF_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
etcd_bin=${ETCD:-/usr/bin/etcd}
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

