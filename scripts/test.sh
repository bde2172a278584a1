#!/usr/bin/env bash
# The whole test suite: unit and integration tests of every module (real Ratis groups, real
# gRPC servers, jetcd and Debian's etcd as reference), then the end-to-end checks on real
# containerd and Debian's etcdctl against `./skiff store`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ $EUID -eq 0 ]]; then
  scripts/setup-runtime.sh
else
  echo "test: not root — containerd end-to-end tests will be skipped (run as root to include them)" >&2
fi
mvn -B verify
scripts/test-etcdctl.sh
