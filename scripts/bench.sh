#!/usr/bin/env bash
# The benchmark of docs/benchmarks.md against the engine of DOCKER_HOST (default: the private test engine of
# scripts/engine.sh). One command measures every figure through Porthole beside the engine direct, as a browser
# connects (Node.js with ws, and headless Chromium through the page) and with the JDK clients, each figure in
# several runs on fresh servers, on Java 17 and Java 25 side by side, and prints one table.
#   scripts/bench.sh [full|small|many] [--profile] [-Dname=value ...]
#   scripts/bench.sh soak      issue 9's soak: 4 rounds of 300 terminals typing for 60 s, then checks that
#                              threads, files, heap and processes are back where they started (exit 1 if not);
#                              -Dsoak.sessions=N -Dsoak.rounds=N -Dsoak.round-seconds=N after it change the size
# full: the figures of docs/benchmarks.md; small: a quick check while developing;
# many: small with full's 1,000 sessions (memory and threads per session).
# --profile: the forked server records JFR and native memory tracking (figures then not comparable).
# -Dbench.only=fresh,echo    only these figures (fresh, memory, chromium, prompt, throughput, echo, create, paste, slow,
#                            sessions, compression, churn, proxy, cluster); default all. proxy: through
#                            deploy/nginx.conf on Debian's nginx (apt-get install nginx); cluster: three clustered
#                            nodes behind that nginx, round robin, against one node behind it.
#                            `scripts/bench.sh full -Dbench.only=create` takes about a minute.
# -Dbench.cluster=prompt     figure 9 (cluster) gives its time to prompt only; -Dbench.prompt-rounds=N terminals per
#                            side for it (default 60, taken in alternating blocks of 10); -Dbench.warm-up-terminals=N
#                            terminals each of its JVMs serves before it is measured (default 30)
# -Dbench.sessions=N         terminals in the many-sessions figures (default: the scale's, 1,000 at full)
# -Dbench.runs=N             runs per runtime, each on a fresh server (default 3): the table gives the median and
#                            the lowest and highest run.
# -Dbench.server-java=A,B    the servers' JDKs, a comma list of homes (or bin/java); an empty entry is Maven's own.
#                            Default: Maven's JDK (17, the WAR's floor) and /usr/lib/jvm/temurin-25-jdk-amd64 if
#                            present. The benchmark itself stays on Maven's JVM.
# -Dbench.server-options='-Xlog:gc:file=/tmp/gc.log'   more options for the server's JVM
# Needs node and npm (the browser-like client, src/bench/node, installed here with npm ci from its lock file) and,
# for the Chromium figure, chromium and chromedriver (as the browser tests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOCKER_HOST=${DOCKER_HOST:-unix:///tmp/porthole-engine/docker.sock}
scale=${1:-full} profile=false main=dev.porthole.bench.Benchmark
[[ $# -gt 0 ]] && shift
jdk25=/usr/lib/jvm/temurin-25-jdk-amd64
extra=() javas=","
[[ -x $jdk25/bin/java ]] && javas=",$jdk25"
for arg in "$@"; do
  case $arg in
    --profile) profile=true ;;
    -Dbench.server-java=*) javas=${arg#-Dbench.server-java=} ;;
    -D*) extra+=("$arg") ;;
    *) echo "bench.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
[[ $javas == "," ]] && javas=""
[[ $scale == soak ]] && scale=small main=dev.porthole.bench.Soak profile=false
(cd src/bench/node && npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null)
exec mvn -B -ntp -q -Pbench -DskipTests -Dbench.scale="$scale" -Dbench.profile="$profile" -Dbench.main="$main" \
  -Dbench.server-java="$javas" "${extra[@]}" package exec:exec
