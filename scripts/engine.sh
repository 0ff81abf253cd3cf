#!/usr/bin/env bash
# Private Docker engine for Porthole's tests; with no registry here, images come from `docker import`.
#   up              install what is missing, start dockerd, build test images, start test containers
#   env             print exports for: eval "$(scripts/engine.sh env)"
#   down [--purge]  remove test containers, stop the relay and dockerd, unmount leftovers (--purge: delete state)
# The engine listens on unix://$SOCK, on tcp://127.0.0.1:2376 with --tlsverify, and (through socat, see
# start_relay) on plain tcp://127.0.0.1:2375: one engine for Porthole's socket, https and http environments.
set -euo pipefail

ENGINE_DIR=${PORTHOLE_ENGINE_DIR:-/tmp/porthole-engine}
# The exec-root holds containerd's unix sockets, whose paths must stay under ~100 bytes: keep it short.
EXEC_ROOT=${PORTHOLE_EXEC_ROOT:-/tmp/phx}
DATA_ROOT=$ENGINE_DIR/root PIDFILE=$ENGINE_DIR/dockerd.pid LOG=$ENGINE_DIR/dockerd.log
# The tcp ports too can be moved, so that a second engine (another checkout's tests) can run beside this one.
TLS_PORT=${PORTHOLE_ENGINE_TLS_PORT:-2376} HTTP_PORT=${PORTHOLE_ENGINE_HTTP_PORT:-2375}
SOCK=$ENGINE_DIR/docker.sock TLS_DIR=$ENGINE_DIR/tls TLS_ADDR=tcp://127.0.0.1:$TLS_PORT
RELAY_PIDFILE=$ENGINE_DIR/relay.pid RELAY_LOG=$ENGINE_DIR/relay.log
CTRD_PIDFILE=$EXEC_ROOT/containerd/containerd.pid
IMAGE_REV=1 # bump when the image recipes change, so `up` rebuilds images an older script made

# Talk only to our engine, whatever the caller's environment points at.
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
export DOCKER_HOST=unix://$SOCK

log() { echo "engine: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
answering() { timeout 3 docker info >/dev/null 2>&1; }
# wait_answering SECONDS: poll by deadline, since one `docker info` may itself hang for its timeout.
wait_answering() { local end=$((SECONDS + $1)); until answering; do ((SECONDS < end)) || return 1; sleep 0.5; done; }
alive() { [[ -e /proc/$1 ]] && ! grep -qs '^State:[[:space:]]*Z' "/proc/$1/status"; } # zombies count as gone

# owned_pid PIDFILE PATTERN: the pid in PIDFILE if it is alive (zombies are not) and its command line
# matches PATTERN. Pidfiles outlive killed daemons and pids get reused.
owned_pid() {
  local pid
  pid=$(cat "$1" 2>/dev/null) && [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q "$2" && echo "$pid"
}
engine_pid() { owned_pid "$PIDFILE" "dockerd.*--pidfile $PIDFILE"; }
# dockerd's containerd outlives a killed dockerd, and dockerd reuses any pid its pidfile names (even a zombie).
containerd_pid() { owned_pid "$CTRD_PIDFILE" "containerd --config $EXEC_ROOT/"; }

install_packages() {
  local pkgs=() own_policy='' rc=0 pol=/usr/sbin/policy-rc.d
  command -v dockerd >/dev/null || pkgs+=(docker.io)
  [[ -x /bin/busybox && -x /bin/bash-static ]] || pkgs+=(busybox-static bash-static)
  command -v openssl >/dev/null || pkgs+=(openssl)
  command -v socat >/dev/null || pkgs+=(socat)
  ((${#pkgs[@]})) || return 0
  log "installing ${pkgs[*]}"
  # docker.io's postinst would start a system dockerd on /var/run/docker.sock; a policy-rc.d
  # that exits 101 forbids that. Only add one (and remove it after) if there is none.
  [[ -e $pol ]] || { printf '#!/bin/sh\nexit 101\n' >"$pol" && chmod 755 "$pol" && own_policy=1; }
  { export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q "${pkgs[@]}"; } || rc=$?
  [[ -z $own_policy ]] || rm -f "$pol"
  ((rc == 0)) || die "apt-get failed ($rc)"
}

# Fresh CA, server and client certificates for each start of dockerd (it reads them only at start).
make_tls() {
  rm -rf "$TLS_DIR" && mkdir -p "$TLS_DIR" && chmod 755 "$TLS_DIR"
  (
    cd "$TLS_DIR" && umask 077 # keys are born mode 600
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Porthole test CA" -keyout ca-key.pem \
      -out ca.pem -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    sign() { # KEYFILE CERTFILE SUBJECT EXTENSIONS
      openssl req -new -newkey rsa:2048 -nodes -subj "$3" -keyout "$1" |
        openssl x509 -req -CA ca.pem -CAkey ca-key.pem -days 30 -out "$2" \
          -set_serial "0x$(openssl rand -hex 12)" \
          -extfile <(printf '%b' "$4\nkeyUsage=critical,digitalSignature,keyEncipherment")
    }
    sign server-key.pem server-cert.pem /CN=localhost \
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth'
    sign key.pem cert.pem /CN=porthole-client 'extendedKeyUsage=clientAuth'
    chmod 600 ./*key.pem && chmod 644 ca.pem cert.pem server-cert.pem
    # set -e does not act inside a subshell tested with ||, so judge it by its results.
    for f in ca.pem ca-key.pem server-cert.pem server-key.pem cert.pem key.pem; do [[ -s $f ]] || exit 1; done
  ) 2>"$ENGINE_DIR/openssl.log" || { cat "$ENGINE_DIR/openssl.log" >&2; die "openssl failed"; }
}

# The plain-HTTP listener. dockerd applies its one --tlsverify configuration to every tcp:// listener (a
# 2375 listener beside --tlsverify answered plain HTTP with "Client sent an HTTP request to an HTTPS
# server"), so plain HTTP on tcp://127.0.0.1:$HTTP_PORT is a transparent byte relay to the unix socket: the
# same engine, the same API, and hijacked exec streams pass through untouched. Started after dockerd and
# stopped before it; `fork` gives each connection a child in the relay's own process group.
relay_pid() { owned_pid "$RELAY_PIDFILE" "socat TCP-LISTEN:$HTTP_PORT,"; }
relay_answering() { timeout 3 docker -H "tcp://127.0.0.1:$HTTP_PORT" version >/dev/null 2>&1; }
start_relay() {
  local pid
  if pid=$(relay_pid); then
    relay_answering && { log "relay $pid already running on 127.0.0.1:$HTTP_PORT"; return 0; }
    log "relay $pid is not answering; restarting it" && stop_relay
  fi
  rm -f "$RELAY_PIDFILE"
  setsid socat "TCP-LISTEN:$HTTP_PORT,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$SOCK" \
    </dev/null >"$RELAY_LOG" 2>&1 &
  echo $! >"$RELAY_PIDFILE"
  local end=$((SECONDS + 10))
  until relay_answering; do
    ((SECONDS < end)) || { cat "$RELAY_LOG" >&2; die "relay on 127.0.0.1:$HTTP_PORT did not answer (log above)"; }
    sleep 0.2
  done
  log "relay $(cat "$RELAY_PIDFILE") ready on tcp://127.0.0.1:$HTTP_PORT"
}
stop_relay() {
  local pid
  pid=$(relay_pid) || { rm -f "$RELAY_PIDFILE"; return 0; }
  log "stopping relay $pid"
  # setsid made it a group leader: the group is the relay and its per-connection children, nothing else.
  kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  for _ in $(seq 20); do alive "$pid" || break; sleep 0.25; done
  rm -f "$RELAY_PIDFILE"
}

# Unmount what a killed engine left mounted (netns, shm, ...) under our roots, deepest first.
unmount_leftovers() {
  awk -v a="$DATA_ROOT/" -v b="$EXEC_ROOT/" 'index($2"/", a) == 1 || index($2"/", b) == 1 { print $2 }' \
    /proc/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" || log "could not unmount $m"
  done
}

start_engine() {
  local pid
  if pid=$(engine_pid); then
    # Already running: a daemon still starting gets the same grace as a fresh one.
    wait_answering 30 && { log "dockerd $pid already running"; return 0; }
    log "dockerd $pid is not answering; restarting it"
    stop_engine
  fi
  ((${#SOCK} < 100)) || die "socket path $SOCK is too long for a unix socket"
  mkdir -p "$ENGINE_DIR" "$DATA_ROOT" "$EXEC_ROOT" && rm -f "$PIDFILE" # stale or not ours
  containerd_pid >/dev/null || rm -f "$CTRD_PIDFILE"                       # a live one is reused
  unmount_leftovers; make_tls
  [[ ! -f $LOG ]] || mv -f "$LOG" "$LOG.1"
  # No plain-HTTP -H tcp://127.0.0.1:2375 here: --tlsverify would apply to it too. start_relay serves it.
  # setsid + redirects: the daemon must not hold our caller's terminal or output pipes.
  setsid dockerd --iptables=false --bridge=none --storage-driver=vfs \
    --data-root "$DATA_ROOT" --exec-root "$EXEC_ROOT" --pidfile "$PIDFILE" -H "unix://$SOCK" \
    --tlsverify --tlscacert "$TLS_DIR/ca.pem" --tlscert "$TLS_DIR/server-cert.pem" \
    --tlskey "$TLS_DIR/server-key.pem" -H "$TLS_ADDR" </dev/null >"$LOG" 2>&1 &
  wait_answering 30 && { log "dockerd $(cat "$PIDFILE") ready"; return 0; }
  cat "$LOG" >&2 && die "dockerd did not answer on $SOCK within 30 s (log above, $LOG)"
}

stop_engine() {
  local pid cpid
  pid=$(engine_pid) || { rm -f "$PIDFILE"; return 0; }
  log "stopping dockerd $pid"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 40); do alive "$pid" || break; sleep 0.5; done
  if alive "$pid"; then
    log "dockerd $pid still alive after 20 s; KILL"
    kill -KILL "$pid" 2>/dev/null || true; sleep 0.5
    # A killed dockerd cannot stop the containerd it started; stop that too, by its own pidfile.
    if cpid=$(containerd_pid); then kill -KILL "$cpid" || true; fi
    rm -f "$CTRD_PIDFILE"
  fi
  rm -f "$PIDFILE"
}

image_ok() { [[ $(docker image inspect -f '{{.Config.Labels}}' "$1" 2>/dev/null) == *"porthole.rev:$IMAGE_REV]" ]]; }
# import ROOTFS NAME: tar the tree (owned by root, numeric ids) into an image with PATH=/bin.
import_rootfs() {
  tar --numeric-owner -C "$1" -c . |
    docker import -c 'ENV PATH=/bin' -c "LABEL porthole.rev=$IMAGE_REV" - "$2" >/dev/null
}

build_images() {
  local tmp=$ENGINE_DIR/rootfs r && rm -rf "$tmp"
  if ! image_ok porthole/busybox:test; then
    r=$tmp/busybox && log "building porthole/busybox:test"
    mkdir -p "$r/bin" "$r/etc" "$r/root" "$r/tmp" "$r/var/www" && cp /bin/busybox "$r/bin/busybox"
    for a in $(/bin/busybox --list); do [[ $a == busybox ]] || ln -s busybox "$r/bin/$a"; done
    cp /bin/bash-static "$r/bin/bash" # replaces nothing: busybox has no bash applet
    chmod 1777 "$r/tmp" && chmod 700 "$r/root" && chown 33:33 "$r/var/www"
    printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'www-data:x:33:33:www-data:/var/www:/bin/false' \
      'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$r/etc/passwd"
    printf '%s\n' 'root:x:0:' 'www-data:x:33:' 'nobody:x:65534:' >"$r/etc/group"
    # Deliberately no /etc/profile: login shells start with nothing sourced.
    import_rootfs "$r" porthole/busybox:test
  fi
  if ! image_ok porthole/noshell:test; then
    r=$tmp/noshell && log "building porthole/noshell:test"
    # The only file: busybox runs the applet named by argv[0], so as /bin/sleep it is sleep. No sh.
    mkdir -p "$r/bin" && cp /bin/busybox "$r/bin/sleep"
    import_rootfs "$r" porthole/noshell:test
  fi
  rm -rf "$tmp"
}

# ensure NAME RUNNING(true|false) IMAGE CMD...: keep it if in that state on the current image, else recreate.
ensure() {
  local name=$1 want=$2 image=$3 have verb=(create) && shift 3
  have=$(docker inspect -f '{{.State.Running}} {{.Image}}' "$name" 2>/dev/null) || have=
  [[ $have == "$want $(docker image inspect -f '{{.Id}}' "$image")" ]] && return 0
  [[ -z $have ]] || docker rm -f "$name" >/dev/null
  [[ $want == false ]] || verb=(run -d); log "creating $name"
  docker "${verb[@]}" --name "$name" --network none "$image" "$@" >/dev/null
}

print_env() {
  printf 'export DOCKER_HOST=unix://%s\nexport PORTHOLE_TLS_DIR=%s\nexport PORTHOLE_HTTP_ENGINE=tcp://127.0.0.1:%s\n' \
    "$SOCK" "$TLS_DIR" "$HTTP_PORT"
  printf 'export PORTHOLE_HTTPS_ENGINE=https://127.0.0.1:%s\nexport PORTHOLE_ENGINE_DIR=%s\nexport PORTHOLE_ENGINE_SOCKET=%s\n' \
    "$TLS_PORT" "$ENGINE_DIR" "$SOCK"
}

case ${1:-} in
  up)
    install_packages; start_engine; start_relay; build_images
    ensure ph-busybox true porthole/busybox:test sleep 100000
    ensure ph-bash true porthole/busybox:test sleep 100000
    ensure ph-stopped false porthole/busybox:test sleep 100000
    ensure ph-noshell true porthole/noshell:test /bin/sleep 100000
    print_env
    ;;
  env) print_env ;;
  down)
    [[ ${2:-} == "" || ${2:-} == --purge ]] || die "usage: $0 down [--purge]"
    if engine_pid >/dev/null && answering; then
      docker rm -f ph-busybox ph-bash ph-stopped ph-noshell >/dev/null 2>&1 || true
    fi
    stop_relay; stop_engine; unmount_leftovers
    if [[ ${2:-} == --purge ]]; then
      [[ $ENGINE_DIR == /*/* && $EXEC_ROOT == /*/* ]] || die "refusing to purge $ENGINE_DIR / $EXEC_ROOT"
      log "purging $ENGINE_DIR and $EXEC_ROOT" && rm -rf "$ENGINE_DIR" "$EXEC_ROOT"
    fi
    ;;
  *) die "usage: $0 up | down [--purge] | env" ;;
esac
