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
step=${STEP_SECONDS:-5}
warmup=${WARMUP_SECONDS:-120}
systems=${SYSTEMS:-"skiff etcd"}
member_counts=${MEMBERS:-"1 3"}
rounds=${ROUNDS:-1}
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

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
