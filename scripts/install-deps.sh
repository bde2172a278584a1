#!/usr/bin/env bash
# Installs the Debian packages Skiff's build, tests and runtime need. Idempotent; needs root.
set -euo pipefail
packages=(maven containerd runc containernetworking-plugins busybox-static docker-registry skopeo
          etcd-server etcd-client iproute2 iptables curl python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $EUID -ne 0 ]]; then
    echo "install-deps: missing packages: ${missing[*]} — run as root: sudo $0" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [[ ! -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  echo "install-deps: JDK 25 expected at /usr/lib/jvm/temurin-25-jdk-amd64 (see .mvn/toolchains.xml)" >&2
  exit 1
fi
