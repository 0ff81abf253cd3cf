#!/usr/bin/env bash
# Issue 8's benchmark against the engine of DOCKER_HOST (default: the private test engine of scripts/engine.sh).
#   scripts/bench.sh [full|small] [--profile]
# full: the figures of docs/benchmarks.md (about 10 minutes); small: a quick check while developing.
# --profile: the forked server records JFR and native memory tracking (figures then not comparable).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOCKER_HOST=${DOCKER_HOST:-unix:///tmp/porthole-engine/docker.sock}
scale=${1:-full} profile=false
[[ ${2:-} == --profile ]] && profile=true
exec mvn -B -ntp -q -Pbench -DskipTests -Dbench.scale="$scale" -Dbench.profile="$profile" package exec:exec
