#!/usr/bin/env bash
# The single-client floor: one client's sequential puts against a gRPC server that only writes
# each put to a file and fdatasyncs it (bench/.../FsyncFloor.java: the same grpc-java and Netty
# as Skiff's store, no MVCC, no Raft, no thread hand-off), then against a one-member Skiff store
# and a one-member etcd 3.4, taking turns from one warm client JVM (SingleClientPuts). Prints
# each step, then medians and each target's ratio to the floor. Not a test; ~4 minutes.
#   WARMUP_SECONDS  warm-up per target, in 5 s slices taken in turn (default 60)
#   STEP_SECONDS    seconds per measurement (default 5)   ROUNDS  measurements per target (default 5)
set -euo pipefail
warmup=${WARMUP_SECONDS:-60}
step=${STEP_SECONDS:-5}
rounds=${ROUNDS:-5}
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

base=$(( 20000 + RANDOM % 12000 ))
"${jvm[@]}" dev.skiff.bench.store.FsyncFloor "$((base + 1))" "$work/floor.data" >"$work/floor.log" 2>&1 &
pids+=($!)
start_cluster skiff 1 1 "$((base + 10))"
skiff=$endpoints
start_cluster etcd 1 1 "$((base + 30))"
etcd=$endpoints
echo "bench: $warmup s warm-up per target, then $rounds rounds of $step s..." >&2
"${jvm[@]}" dev.skiff.bench.store.SingleClientPuts "$warmup" "$step" "$rounds" \
  "floor=127.0.0.1:$((base + 1))" "skiff-1=$skiff" "etcd-1=$etcd"
