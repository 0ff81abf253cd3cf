#!/usr/bin/env bash
# Issue 8's benchmark against the engine of DOCKER_HOST (default: the private test engine of scripts/engine.sh).
#   scripts/bench.sh [full|small|many] [--profile]
#   scripts/bench.sh soak      issue 9's soak: 4 rounds of 300 terminals typing for 60 s, then checks that
#                              threads, files, heap and processes are back where they started (exit 1 if not);
#                              -Dsoak.sessions=N -Dsoak.rounds=N -Dsoak.round-seconds=N after it change the size
# full: the figures of docs/benchmarks.md (about 10 minutes); small: a quick check while developing;
# many: small with full's 1,000 sessions (memory and threads per session).
# --profile: the forked server records JFR and native memory tracking (figures then not comparable).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOCKER_HOST=${DOCKER_HOST:-unix:///tmp/porthole-engine/docker.sock}
scale=${1:-full} profile=false main=dev.porthole.bench.Benchmark
[[ ${2:-} == --profile ]] && profile=true
extra=()
[[ $scale == soak ]] && scale=small main=dev.porthole.bench.Soak extra=("${@:2}") profile=false
exec mvn -B -ntp -q -Pbench -DskipTests -Dbench.scale="$scale" -Dbench.profile="$profile" -Dbench.main="$main" \
  "${extra[@]}" package exec:exec
