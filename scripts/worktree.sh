#!/usr/bin/env bash
# Gives one engineer a private clone and a private Maven repository, so that parallel
# builds never overwrite each other's skiff jars. Third-party artifacts are shared
# (symlinked from ~/.m2); only dev/skiff is private.
#   scripts/worktree.sh NAME      -> /work/wt-NAME and /tmp/m2-NAME
# Build there with: mvn -o -Dmaven.repo.local=/tmp/m2-NAME ...
set -euo pipefail
name=${1:?usage: scripts/worktree.sh NAME}
src=$(cd "$(dirname "$0")/.." && pwd)
wt=/work/wt-$name
repo=/tmp/m2-$name
[ -d "$wt" ] || git clone -q "$src" "$wt"
mkdir -p "$repo/dev"
for d in "$HOME"/.m2/repository/*; do
  [ "$(basename "$d")" = dev ] || ln -sfn "$d" "$repo/"
done
for d in "$HOME"/.m2/repository/dev/*; do
  [ "$(basename "$d")" = skiff ] || ln -sfn "$d" "$repo/dev/"
done
echo "clone: $wt  maven repo: $repo"
