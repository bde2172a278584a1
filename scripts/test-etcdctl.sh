#!/usr/bin/env bash
# Runs Debian's etcdctl (etcd v3 API) against a 3-member Skiff store started with
# `./skiff store` on loopback ports (then a fourth added with `member add` and removed again, and
# a `snapshot save`). Exits non-zero on the first mismatch.
#   SKIFF_STORE_CMD   command that runs `skiff store` (default: <repo>/skiff store)
#   ETCDCTL           etcdctl binary (default: /usr/bin/etcdctl)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
store_cmd=${SKIFF_STORE_CMD:-"$root/skiff store"}
etcdctl_bin=${ETCDCTL:-/usr/bin/etcdctl}
export ETCDCTL_API=3

for _ in $(seq 1 120); do [[ -x "$etcdctl_bin" ]] && break; echo "waiting for $etcdctl_bin (apt install etcd-client)..." >&2; sleep 5; done
[[ -x "$etcdctl_bin" ]] || { echo "FAIL: $etcdctl_bin not found" >&2; exit 1; }

work=$(mktemp -d /tmp/skiff-etcdctl.XXXXXX)
base=$(( 20000 + RANDOM % 20000 ))
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [[ -n "${KEEP_WORK:-}" ]]; then echo "logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

cluster="s1=127.0.0.1:$((base+1)),s2=127.0.0.1:$((base+3)),s3=127.0.0.1:$((base+5))"
endpoints="127.0.0.1:$((base)),127.0.0.1:$((base+2)),127.0.0.1:$((base+4))"
for i in 1 2 3; do
  client=$((base + 2*(i-1))); peer=$((client + 1))
  $store_cmd --name "s$i" --data-dir "$work/s$i" \
    --listen-client-urls "http://127.0.0.1:$client" --listen-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "$cluster" >"$work/s$i.log" 2>&1 &
  pids+=($!)
done

ctl() { "$etcdctl_bin" --endpoints="$endpoints" --dial-timeout=3s --command-timeout=10s "$@"; }
ctl1() { "$etcdctl_bin" --endpoints="127.0.0.1:$1" --dial-timeout=3s --command-timeout=10s "${@:2}"; }
fail() { echo "FAIL: $*" >&2; for f in "$work"/s*.log; do echo "== $f" >&2; tail -20 "$f" >&2; done; exit 1; }
expect() { # expect <description> <expected> <actual>
  if [[ "$2" != "$3" ]]; then fail "$1: expected [$2] got [$3]"; fi
  echo "ok - $1"
}

up=""
for _ in $(seq 1 120); do
  if ctl put /ready yes >/dev/null 2>&1; then up=1; break; fi
  sleep 0.5
done
[[ -n "$up" ]] || fail "store did not come up"
echo "ok - 3-member store up"

expect "put" "OK" "$(ctl put /app/a 1)"
ctl put /app/b 2 >/dev/null
expect "get --prefix" $'/app/a\n1\n/app/b\n2' "$(ctl get /app/ --prefix)"
expect "linearizable get on each member" $'1\n1\n1' \
  "$(for e in $base $((base+2)) $((base+4)); do ctl1 "$e" get /app/a --print-value-only; done)"

txn_out=$(ctl txn <<'TXN'
value("/app/a") = "1"

put /app/a 10

put /app/a 99

TXN
)
expect "txn succeeded" $'SUCCESS\n\nOK' "$txn_out"
expect "txn effect" "10" "$(ctl get /app/a --print-value-only)"

ctl watch /app/ --prefix >"$work/watch.out" 2>&1 &
watch_pid=$!
pids+=("$watch_pid")
sleep 1.5
ctl put /app/c 3 >/dev/null
ctl del /app/b >/dev/null
for _ in $(seq 1 40); do grep -q DELETE "$work/watch.out" && break; sleep 0.25; done
expect "watch --prefix events" $'PUT\n/app/c\n3\nDELETE\n/app/b' "$(cat "$work/watch.out")"
kill "$watch_pid" 2>/dev/null || true

rev=$(ctl get /app/a -w json | sed -E 's/.*"mod_revision":([0-9]+).*/\1/')
expect "watch replay from revision" $'PUT\n/app/a\n10' "$(timeout 3 "$etcdctl_bin" --endpoints="$endpoints" watch --rev="$rev" /app/a 2>/dev/null || true)"

lease_line=$(ctl lease grant 60)
lease_id=$(echo "$lease_line" | awk '{print $2}')
[[ "$lease_line" == "lease $lease_id granted with TTL(60s)" ]] || fail "lease grant: [$lease_line]"
echo "ok - lease grant"
ctl put --lease="$lease_id" /app/leased v >/dev/null
expect "lease keep-alive --once" "lease $lease_id keepalived with TTL(60)" "$(ctl lease keep-alive --once "$lease_id")"
ttl_out=$(ctl lease timetolive "$lease_id" --keys)
[[ "$ttl_out" == *"granted with TTL(60s)"* && "$ttl_out" == *"attached keys([/app/leased])"* ]] || fail "lease timetolive: [$ttl_out]"
echo "ok - lease timetolive --keys"
expect "lease list" "$lease_id" "$(ctl lease list | tail -n +2)"
expect "lease revoke" "lease $lease_id revoked" "$(ctl lease revoke "$lease_id")"
expect "leased key deleted with its lease" "" "$(ctl get /app/leased)"

members=""
for _ in $(seq 1 20); do
  members=$(ctl member list)
  [[ $(echo "$members" | grep -c ', started, s[123], http://127.0.0.1:') == 3 ]] && break
  sleep 0.5
done
[[ $(echo "$members" | grep -c ', started, s[123], http://127.0.0.1:') == 3 ]] || fail "member list: [$members]"
echo "ok - member list"

status=$(ctl endpoint status)
[[ $(echo "$status" | wc -l) == 3 ]] || fail "endpoint status: [$status]"
leaders=$(echo "$status" | awk -F', ' '{print $5}' | grep -c true || true)
expect "endpoint status shows one leader" "1" "$leaders"
echo "$status" | grep -q ', 3.4.' || fail "endpoint status version: [$status]"
echo "ok - endpoint status"

rev=$(ctl put /hashkv/probe v -w json | grep -o '"revision":[0-9]*' | cut -d: -f2)
hashes=""
for _ in $(seq 1 20); do # each member answers from its own copy, once it has applied $rev
  hashes=$(ctl endpoint hashkv --rev="$rev" 2>/dev/null || true)
  [[ $(echo "$hashes" | grep -c ', [0-9]') == 3 ]] && break
  sleep 0.5
done
[[ $(echo "$hashes" | grep -c ', [0-9]') == 3 ]] || fail "endpoint hashkv: [$hashes]"
expect "endpoint hashkv: the members hold the same history" "1" "$(echo "$hashes" | awk -F', ' '{print $2}' | sort -u | wc -l)"

# a fourth member, added as etcd adds one: member add, then start it with what that printed
added=$(ctl member add s4 --peer-urls="http://127.0.0.1:$((base + 7))" 2>&1) || fail "member add: [$added]"
initial=$(echo "$added" | sed -n 's/^ETCD_INITIAL_CLUSTER="\(.*\)"$/\1/p')
[[ $(echo "$added" | grep -c 'ETCD_INITIAL_CLUSTER_STATE="existing"') == 1 && -n "$initial" ]] || fail "member add: [$added]"
$store_cmd --name s4 --data-dir "$work/s4" --listen-client-urls "http://127.0.0.1:$((base + 6))" \
  --listen-peer-urls "http://127.0.0.1:$((base + 7))" --initial-cluster "$initial" --initial-cluster-state existing \
  >"$work/s4.log" 2>&1 &
pids+=($!)
got=""
for _ in $(seq 1 120); do
  got=$(ctl1 $((base + 6)) get /app/a --print-value-only 2>/dev/null || true)
  [[ "$got" == 10 ]] && break
  sleep 0.5
done
expect "member added with member add serves the group's data" "10" "$got"
# its name shows once it has published it (a log entry of its own, as etcd's publish), until then "unstarted"
state4=""
for _ in $(seq 1 40); do
  members4=$(ctl member list)
  id4=$(echo "$members4" | awk -F", " -v peer="http://127.0.0.1:$((base + 7))" '$4 == peer {print $1}')
  state4=$(echo "$members4" | awk -F", " -v id="$id4" '$1 == id {print $2, $3}')
  [[ -n "$id4" && "$state4" == "started s4" ]] && break
  sleep 0.5
done
[[ -n "$id4" && "$state4" == "started s4" ]] || fail "member list: s4 is not started under its name at its peer URL: [$members4]"
echo "ok - member list shows the added member, started"
removed=$(ctl member remove "$id4" 2>&1) || fail "member remove: [$removed]"
[[ "$removed" == "Member $id4 removed from cluster "* ]] || fail "member remove: [$removed]"
left=""
for _ in $(seq 1 20); do left=$(ctl member list | wc -l); [[ "$left" == 3 ]] && break; sleep 0.5; done
expect "member remove" "3" "$left"

# etcdctl checks the stream's trailer (a SHA-256 after a multiple of 512 bytes); the file is
# Skiff's own image, not a bbolt database, so `snapshot status` and `snapshot restore` do not read it
first_client=${endpoints%%,*}
saved=$(ctl1 "${first_client##*:}" snapshot save "$work/backup.db" 2>&1) || fail "snapshot save: [$saved]"
[[ "$saved" == *"Snapshot saved at $work/backup.db"* ]] || fail "snapshot save: [$saved]"
echo "ok - snapshot save"

err=$(ctl put "" v 2>&1 || true)
[[ "$err" == *"key is not provided"* ]] || fail "empty key error: [$err]"
echo "ok - empty key refused with etcd's error"

echo "PASS: etcdctl against a 3-member skiff store"
