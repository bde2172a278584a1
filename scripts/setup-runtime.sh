#!/usr/bin/env bash
# Sets up Skiff's real container runtime on this machine: containerd (CRI) + runc (or crun) + CNI bridge
# networking, a local image registry on 127.0.0.1:5000 holding busybox and pause images built
# from Debian's busybox-static. Idempotent: a second run is a fast no-op. Needs root.
#
# usage: scripts/setup-runtime.sh [setup|status|stop|endpoint]
#   setup     (default) install what is missing, build and push the images, write the configs,
#             start the registry and containerd, wait until the CRI answers, print the endpoint
#   status    show what runs (exit 0 when registry and containerd answer, 3 otherwise)
#   stop      stop containerd and the registry started by this script (pods and their shims
#             keep running; a later setup adopts them)
#   endpoint  print the CRI endpoint (unix://...) and nothing else
#
# environment:
#   SKIFF_RUNTIME_DIR   the one directory holding everything (default /var/lib/skiff/containerd):
#                       containerd root/state, its socket, configs, CNI config and IPAM data,
#                       the built images, the registry's storage, logs and pidfiles
#   SKIFF_POD_CIDR      pod network (default 10.88.0.0/16)
#   SKIFF_CNI_BRIDGE    bridge name (default skiff0)
#   SKIFF_OCI_RUNTIME   runc (default) or crun: the default runtime handler. crun starts an
#                       unconfined container with about half of runc's CPU, but with the
#                       runtime/default seccomp profile the agent sets the two cost the same
#                       (docs/benchmarks.md); when this host cannot run crun (see
#                       choose_oci_runtime) runc is used. With crun, runtimeClassName runc
#                       still picks runc.
set -euo pipefail

readonly RUNTIME_DIR="${SKIFF_RUNTIME_DIR:-/var/lib/skiff/containerd}"
readonly SOCKET="$RUNTIME_DIR/containerd.sock"
readonly ENDPOINT="unix://$SOCKET"
readonly POD_CIDR="${SKIFF_POD_CIDR:-10.88.0.0/16}"
readonly CNI_BRIDGE="${SKIFF_CNI_BRIDGE:-skiff0}"
readonly REGISTRY_ADDR="127.0.0.1:5000"
readonly REGISTRY_HOST="localhost:5000"
readonly BUSYBOX_IMAGE="$REGISTRY_HOST/busybox:1.35"
readonly PAUSE_IMAGE="$REGISTRY_HOST/pause:3.9"
readonly OCI_RUNTIME_WANTED="${SKIFF_OCI_RUNTIME:-runc}"
readonly PACKAGES=(containerd runc containernetworking-plugins busybox-static docker-registry skopeo
                   iproute2 iptables python3 curl $([[ $OCI_RUNTIME_WANTED == crun ]] && echo crun))
# The default runtime handler, set by choose_oci_runtime.
OCI_RUNTIME=runc
readonly LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib"
# PID 1 of every sandbox: stays alive, exits on TERM/INT, reaps orphans through `wait`.
readonly PAUSE_SCRIPT='trap "exit 0" TERM INT; while :; do sleep 2147483647 & wait $!; done'

log() { echo "setup-runtime: $*"; }
die() { echo "setup-runtime: error: $*" >&2; exit 1; }

require_root() {
  if [[ $EUID -ne 0 ]]; then
    die "must run as root (it installs packages and starts containerd): sudo $0 ${1:-setup}"
  fi
}

py() { if [[ -x /usr/bin/python3 ]]; then /usr/bin/python3 "$@"; else python3 "$@"; fi; }

ctr_() { ctr --address "$SOCKET" "$@"; }

containerd_answers() { [[ -S "$SOCKET" ]] && ctr_ version >/dev/null 2>&1; }

# (Outputs are captured before grep: `grep -q` in a pipe can SIGPIPE the writer under pipefail.)
cri_loaded() {
  local plugins
  plugins="$(ctr_ plugins ls 2>/dev/null)" || return 1
  grep -Eq '^io\.containerd\.grpc\.v1[[:space:]]+cri[[:space:]].*[[:space:]]ok[[:space:]]*$' <<<"$plugins"
}

registry_answers() { curl -fsS -o /dev/null --max-time 2 "http://$REGISTRY_ADDR/v2/" 2>/dev/null; }

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# ------------------------------------------------------------------------------------- packages

# Waits (up to 30 min) while another apt/dpkg runs, e.g. a provisioning step or unattended-upgrades.
wait_for_apt() {
  local i
  command -v pgrep >/dev/null || return 0 # no procps: apt's own lock timeout below still waits
  for ((i = 0; i < 1800; i++)); do
    pgrep -x 'apt|apt-get|dpkg|unattended-upgr' >/dev/null || return 0
    ((i % 30 == 0)) && log "waiting for another apt/dpkg to finish..."
    sleep 1
  done
  die "apt/dpkg still busy after 30 min"
}

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  wait_for_apt
  log "installing ${missing[*]}"
  # DPkg::Lock::Timeout makes apt wait for a running apt/dpkg instead of failing.
  apt-get -o DPkg::Lock::Timeout=1800 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=1800 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

# --------------------------------------------------------------------------------------- images

# Builds the OCI layouts when busybox or the builder changed (a stamp records both digests).
build_images() {
  local busybox=/bin/busybox stamp="$RUNTIME_DIR/images/stamp" want
  [[ -x $busybox ]] || die "$busybox missing (package busybox-static)"
  want="$(sha256sum "$busybox" "$LIB_DIR/build-oci-image.py" | cut -d' ' -f1 | tr '\n' ' ')"
  if [[ -f $stamp && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  log "building images from $busybox"
  rm -rf "$RUNTIME_DIR/images"
  mkdir -p "$RUNTIME_DIR/images"
  py "$LIB_DIR/build-oci-image.py" "$busybox" "$RUNTIME_DIR/images/busybox" 1.35 --cmd '["sh"]' \
    >"$RUNTIME_DIR/images/busybox.digest"
  py "$LIB_DIR/build-oci-image.py" "$busybox" "$RUNTIME_DIR/images/pause" 3.9 \
    --entrypoint "$(py -c 'import json,sys; print(json.dumps(["/bin/sh","-c",sys.argv[1]]))' "$PAUSE_SCRIPT")" \
    --cmd '[]' >"$RUNTIME_DIR/images/pause.digest"
  echo "$want" >"$stamp"
}

# ------------------------------------------------------------------------------------- registry

start_registry() {
  local dir="$RUNTIME_DIR/registry"
  if registry_answers; then
    return 0
  fi
  mkdir -p "$dir/storage"
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
EOF
  log "starting the registry on $REGISTRY_ADDR (log $dir/registry.log)"
  setsid docker-registry serve "$dir/config.yml" >>"$dir/registry.log" 2>&1 </dev/null 9>&- &
  echo $! >"$dir/registry.pid"
  local i
  for ((i = 0; i < 100; i++)); do
    registry_answers && return 0
    pid_alive "$dir/registry.pid" || die "registry exited: $(tail -5 "$dir/registry.log")"
    sleep 0.1
  done
  die "registry not answering on $REGISTRY_ADDR after 10 s (log $dir/registry.log)"
}

# Pushes an image unless the registry already serves the same manifest digest.
push_image() {
  local name="$1" tag="$2" want have
  want="$(cat "$RUNTIME_DIR/images/$name.digest")"
  have="$(curl -fsS --max-time 5 -o /dev/null -D - \
            -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
            "http://$REGISTRY_ADDR/v2/$name/manifests/$tag" 2>/dev/null |
          tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" {print $2}')" || true
  [[ "$have" == "$want" ]] && return 0
  log "pushing $REGISTRY_HOST/$name:$tag"
  skopeo copy --quiet --dest-tls-verify=false \
    "oci:$RUNTIME_DIR/images/$name:$tag" "docker://$REGISTRY_HOST/$name:$tag"
}

# -------------------------------------------------------------------------------------- configs

# Writes $2 to $1 when it differs; returns 0 when the file changed.
write_if_changed() {
  local file="$1" content="$2"
  if [[ -f $file && "$(cat "$file")" == "$content" ]]; then
    return 1
  fi
  mkdir -p "$(dirname "$file")"
  printf '%s\n' "$content" >"$file.tmp"
  mv "$file.tmp" "$file"
  return 0
}

containerd_config() {
  cat <<EOF
# Written by scripts/setup-runtime.sh: everything of this containerd lives under $RUNTIME_DIR.
version = 2
root = "$RUNTIME_DIR/root"
state = "$RUNTIME_DIR/state"

[grpc]
  address = "$SOCKET"

[ttrpc]
  address = "$SOCKET.ttrpc"

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$RUNTIME_DIR/opt"
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "$PAUSE_IMAGE"
    # The VM lacks CAP_SYS_RESOURCE: without this every RunPodSandbox fails in runc.
    restrict_oom_score_adj = true
    netns_mounts_under_state_dir = true
    [plugins."io.containerd.grpc.v1.cri".containerd]
      default_runtime_name = "$OCI_RUNTIME"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          SystemdCgroup = false
$(crun_runtime)
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "$RUNTIME_DIR/cni/net.d"
    [plugins."io.containerd.grpc.v1.cri".registry.mirrors."$REGISTRY_HOST"]
      endpoint = ["http://$REGISTRY_HOST"]
    [plugins."io.containerd.grpc.v1.cri".registry.mirrors."$REGISTRY_ADDR"]
      endpoint = ["http://$REGISTRY_ADDR"]
EOF
}

# The crun handler (the same shim, crun instead of runc), when choose_oci_runtime picked crun.
crun_runtime() {
  [[ $OCI_RUNTIME == crun ]] || return 0
  cat <<EOF
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.crun]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.crun.options]
          BinaryName = "$(command -v crun)"
          SystemdCgroup = false
EOF
}

# A controller bound to a cgroup v1 hierarchy that is mounted nowhere (/proc/cgroups gives it a
# hierarchy id, /proc/mounts no mount: left behind when someone unmounted it) makes containerd's
# v1 stats fail for every container ("unexpected metrics response: []"). Mount each such
# controller again under /sys/fs/cgroup; idempotent.
mount_unmounted_v1_controllers() {
  [[ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" == tmpfs ]] || return 0
  local name hierarchy rest
  while read -r name hierarchy rest; do
    [[ $name == \#* || $hierarchy == 0 ]] && continue
    if awk -v c="$name" '$3 == "cgroup" { n = split($4, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) f = 1 }
                         END { exit !f }' /proc/mounts; then
      continue
    fi
    log "cgroup controller $name has a v1 hierarchy mounted nowhere: mounting it at /sys/fs/cgroup/$name"
    mkdir -p "/sys/fs/cgroup/$name" && mount -t cgroup -o "$name" cgroup "/sys/fs/cgroup/$name" \
      || die "cannot mount the $name cgroup controller at /sys/fs/cgroup/$name"
  done < /proc/cgroups
}

# crun (1.8) refuses a cgroup v1 "hybrid" host whose cgroup2 tree (/sys/fs/cgroup/unified) still
# offers controllers: here hugetlb, bound to no v1 hierarchy. Mounting each such controller as a
# v1 hierarchy of its own, as systemd does on hybrid hosts, leaves the cgroup2 tree without
# controllers; runc uses the new hierarchy as well. Falls back to runc when that cannot be done.
choose_oci_runtime() {
  local unified=/sys/fs/cgroup/unified c
  case "$OCI_RUNTIME_WANTED" in
    runc) OCI_RUNTIME=runc; return 0 ;;
    crun) ;;
    *) die "SKIFF_OCI_RUNTIME must be crun or runc, got '$OCI_RUNTIME_WANTED'" ;;
  esac
  OCI_RUNTIME=runc
  command -v crun >/dev/null || { log "crun is not installed: runtime runc"; return 0; }
  if [[ "$(stat -fc %T /sys/fs/cgroup)" == tmpfs && "$(stat -fc %T "$unified" 2>/dev/null)" == cgroup2fs ]]; then
    if [[ -n "$(cat "$unified/cgroup.subtree_control")" ]]; then
      log "the cgroup2 tree $unified has controllers in use: crun cannot run here, runtime runc"
      return 0
    fi
    for c in $(cat "$unified/cgroup.controllers"); do
      log "mounting cgroup controller $c as a v1 hierarchy at /sys/fs/cgroup/$c (crun needs a controller-free cgroup2 tree)"
      if ! { mkdir -p "/sys/fs/cgroup/$c" && mount -t cgroup -o "$c" cgroup "/sys/fs/cgroup/$c"; }; then
        log "cannot mount the $c controller: runtime runc"
        return 0
      fi
    done
  fi
  OCI_RUNTIME=crun
}

cni_config() {
  cat <<EOF
{
  "cniVersion": "1.0.0",
  "name": "skiff",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CNI_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$POD_CIDR" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$RUNTIME_DIR/cni/ipam"
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
}

# Returns 0 when the containerd config changed (a running containerd must restart).
write_configs() {
  mkdir -p "$RUNTIME_DIR/cni/ipam" "$RUNTIME_DIR/opt"
  write_if_changed "$RUNTIME_DIR/cni/net.d/10-skiff.conflist" "$(cni_config)" || true
  write_if_changed "$RUNTIME_DIR/config.toml" "$(containerd_config)"
}

# Pod traffic leaving the pod network is masqueraded by one static rule set up here, not by the
# bridge plugin's ipMasq: that one runs iptables several times per sandbox on ADD and on DEL (a
# chain per pod, all serialized on the xtables lock), about a quarter of containerd's CPU per pod
# start, and leaks chains when a DEL fails. Same effect: pod -> outside is masqueraded, pod -> pod
# and multicast are not. (Chains an older ipMasq config left are not removed here.)
readonly MASQ_CHAIN=SKIFF-POD-MASQ
ensure_masquerade() {
  iptables -w -t nat -N "$MASQ_CHAIN" 2>/dev/null || true
  iptables -w -t nat -F "$MASQ_CHAIN"
  iptables -w -t nat -A "$MASQ_CHAIN" -d "$POD_CIDR" -j RETURN
  iptables -w -t nat -A "$MASQ_CHAIN" -d 224.0.0.0/4 -j RETURN
  iptables -w -t nat -A "$MASQ_CHAIN" -j MASQUERADE
  iptables -w -t nat -C POSTROUTING -s "$POD_CIDR" -j "$MASQ_CHAIN" 2>/dev/null ||
    iptables -w -t nat -A POSTROUTING -s "$POD_CIDR" -j "$MASQ_CHAIN"
}

enable_forwarding() {
  if [[ "$(cat /proc/sys/net/ipv4/ip_forward)" != 1 ]]; then
    log "net.ipv4.ip_forward=1"
    echo 1 >/proc/sys/net/ipv4/ip_forward
  fi
}

# ----------------------------------------------------------------------------------- containerd

start_containerd() {
  local pidfile="$RUNTIME_DIR/containerd.pid" logfile="$RUNTIME_DIR/containerd.log" i
  log "starting containerd (log $logfile)"
  mkdir -p "$(dirname "$SOCKET")"
  setsid containerd --config "$RUNTIME_DIR/config.toml" >>"$logfile" 2>&1 </dev/null 9>&- &
  echo $! >"$pidfile"
  for ((i = 0; i < 300; i++)); do
    if containerd_answers && cri_loaded; then
      return 0
    fi
    pid_alive "$pidfile" || die "containerd exited: $(tail -5 "$logfile")"
    sleep 0.1
  done
  die "containerd not answering on $SOCKET after 30 s (log $logfile)"
}

stop_pidfile() {
  local pidfile="$1" what="$2" pid i
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid="$(cat "$pidfile")"
  log "stopping $what (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

ensure_containerd() {
  local config_changed="$1"
  if containerd_answers; then
    if [[ $config_changed == yes ]]; then
      pid_alive "$RUNTIME_DIR/containerd.pid" ||
        die "containerd on $SOCKET was not started by this script; restart it to load $RUNTIME_DIR/config.toml"
      log "containerd config changed: restarting containerd"
      stop_pidfile "$RUNTIME_DIR/containerd.pid" containerd
      start_containerd
    fi
    cri_loaded || die "containerd answers on $SOCKET but its CRI plugin is not loaded (see $RUNTIME_DIR/containerd.log)"
    return 0
  fi
  start_containerd
}

# The sandbox image must be present in the CRI's namespace (the CRI would also pull it itself).
ensure_pause_image() {
  local images
  images="$(ctr_ -n k8s.io images ls -q 2>/dev/null)" || true
  if grep -qxF "$PAUSE_IMAGE" <<<"$images"; then
    return 0
  fi
  log "pulling $PAUSE_IMAGE into containerd (namespace k8s.io)"
  ctr_ -n k8s.io images pull --plain-http "$PAUSE_IMAGE" >/dev/null
}

# ---------------------------------------------------------------------------------- subcommands

cmd_setup() {
  require_root setup
  mkdir -p "$RUNTIME_DIR"
  exec 9>"$RUNTIME_DIR/.setup.lock"
  flock -w 300 9 || die "another setup-runtime holds $RUNTIME_DIR/.setup.lock for 5 min"
  install_packages
  enable_forwarding
  ensure_masquerade
  build_images
  start_registry
  push_image busybox 1.35
  push_image pause 3.9
  mount_unmounted_v1_controllers
  choose_oci_runtime
  local changed=no
  if write_configs; then changed=yes; fi
  ensure_containerd "$changed"
  ensure_pause_image
  log "ready: CRI endpoint $ENDPOINT (runtime $OCI_RUNTIME; images $BUSYBOX_IMAGE, $PAUSE_IMAGE; pod network $POD_CIDR on $CNI_BRIDGE)"
}

cmd_status() {
  local ok=0
  echo "runtime dir:  $RUNTIME_DIR"
  echo "endpoint:     $ENDPOINT"
  if registry_answers; then
    echo "registry:     answering on $REGISTRY_ADDR$(pid_alive "$RUNTIME_DIR/registry/registry.pid" && echo " (pid $(cat "$RUNTIME_DIR/registry/registry.pid"))")"
  else
    echo "registry:     not answering on $REGISTRY_ADDR"; ok=3
  fi
  if containerd_answers; then
    echo "containerd:   answering ($(ctr_ version 2>/dev/null | awk '/Version:/ {print $2; exit}'))$(pid_alive "$RUNTIME_DIR/containerd.pid" && echo ", pid $(cat "$RUNTIME_DIR/containerd.pid")")"
    if cri_loaded; then echo "cri plugin:   ok"; else echo "cri plugin:   NOT loaded"; ok=3; fi
    echo "containers:   $(ctr_ -n k8s.io containers ls -q 2>/dev/null | wc -l) in namespace k8s.io"
  elif [[ -S $SOCKET && ! -w $SOCKET ]]; then
    echo "containerd:   socket $SOCKET not accessible to this user (root only)"; ok=3
  else
    echo "containerd:   not answering on $SOCKET"; ok=3
  fi
  return $ok
}

cmd_stop() {
  require_root stop
  stop_pidfile "$RUNTIME_DIR/containerd.pid" containerd
  stop_pidfile "$RUNTIME_DIR/registry/registry.pid" registry
}

case "${1:-setup}" in
  setup) cmd_setup ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  endpoint) echo "$ENDPOINT" ;;
  -h|--help|help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (setup, status, stop, endpoint)" ;;
esac
