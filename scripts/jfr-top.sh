#!/usr/bin/env bash
# Summarises a JFR recording of the benchmark's forked server (scripts/bench.sh ... --profile):
# CPU samples by thread pool, by top frame, and by the first Porthole/docker-java/Tomcat frame on the stack;
# allocation samples by top frame weighted by their bytes.
#   scripts/jfr-top.sh target/bench/<run>/server.jfr [lines]
set -eu # no pipefail: head ends each list early, which is not a failure
file=$1 n=${2:-15}
samples=$(mktemp) && trap 'rm -f "$samples"' EXIT
jfr print --stack-depth 64 --events jdk.ExecutionSample "$file" >"$samples"
echo "== CPU samples by thread (digits folded)"
grep -o 'sampledThread = "[^"]*"' "$samples" | sed 's/[0-9]\+/N/g' | sort | uniq -c | sort -rn | head -"$n"
echo "== CPU samples by top frame"
awk '/stackTrace = \[/ {getline; sub(/^ +/, ""); sub(/ +line:.*/, ""); print}' "$samples" | sort | uniq -c | sort -rn | head -"$n"
echo "== CPU samples by first application frame (dev.porthole, dockerjava, hc.client5, tomcat)"
awk '/stackTrace = \[/ {s=1; next} s && /(dev\.porthole|dockerjava|hc\.client5|apache\.tomcat|glassfish)/ {sub(/^ +/, ""); sub(/ +line:.*/, ""); print; s=0} /^\]|^  \]/ {s=0}' \
  "$samples" | sort | uniq -c | sort -rn | head -"$n"
echo "== allocation samples (weight, MiB) by top frame"
jfr print --stack-depth 3 --events jdk.ObjectAllocationSample "$file" |
  awk '/objectClass =/ {c=$3} /weight =/ {w=$3; u=$4; if (u ~ /kB/) w/=1024; else if (u ~ /bytes/) w/=1048576; else if (u ~ /GB/) w*=1024}
       /stackTrace = \[/ {getline; sub(/^ +/, ""); sub(/ +line:.*/, ""); t[c " @ " $0]+=w}
       END {for (k in t) printf "%10.1f %s\n", t[k], k}' | sort -rn | head -"$n"
