#!/usr/bin/env bash
# Issue 8's benchmark against the engine of DOCKER_HOST (default: the private test engine of scripts/engine.sh).
#   scripts/bench.sh [full|small|many] [--profile] [-Dname=value ...]
#   scripts/bench.sh soak      issue 9's soak: 4 rounds of 300 terminals typing for 60 s, then checks that
#                              threads, files, heap and processes are back where they started (exit 1 if not);
#                              -Dsoak.sessions=N -Dsoak.rounds=N -Dsoak.round-seconds=N after it change the size
# full: the figures of docs/benchmarks.md (about 10 minutes); small: a quick check while developing;
# many: small with full's 1,000 sessions (memory and threads per session).
# --profile: the forked server records JFR and native memory tracking (figures then not comparable).
# -Dbench.only=create,echo   only these figures (throughput, echo, create, paste, slow, sessions, churn, proxy);
#                            default all. proxy: through deploy/nginx.conf on Debian's nginx (apt-get install nginx).
#                            `scripts/bench.sh full -Dbench.only=create` takes about a minute.
# -Dbench.server-java=DIR    fork the server with the JDK at DIR (its home or its bin/java), e.g.
#                            /usr/lib/jvm/temurin-25-jdk-amd64; the benchmark itself stays on Maven's JVM.
# -Dbench.server-options='-Xlog:gc:file=/tmp/gc.log'   more options for the server's JVM
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOCKER_HOST=${DOCKER_HOST:-unix:///tmp/porthole-engine/docker.sock}
scale=${1:-full} profile=false main=dev.porthole.bench.Benchmark
[[ $# -gt 0 ]] && shift
extra=()
for arg in "$@"; do
  case $arg in
    --profile) profile=true ;;
    -D*) extra+=("$arg") ;;
    *) echo "bench.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
[[ $scale == soak ]] && scale=small main=dev.porthole.bench.Soak profile=false
exec mvn -B -ntp -q -Pbench -DskipTests -Dbench.scale="$scale" -Dbench.profile="$profile" -Dbench.main="$main" \
  "${extra[@]}" package exec:exec
