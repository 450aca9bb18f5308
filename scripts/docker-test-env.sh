#!/usr/bin/env bash
# A Docker engine for the live tests, without systemd (SPEC 11).
#
#   scripts/docker-test-env.sh start    start dockerd (and a second one for the two-endpoint
#                                       test), build the busybox test image
#   scripts/docker-test-env.sh stop     stop the daemons this script started
#   scripts/docker-test-env.sh status   say what is running
#
# The daemons never touch the host network: no bridge, no iptables, no forwarding. Test
# containers run with --network none (or share one container's namespace, over loopback).
# Environment: SIMTEST_STATE (default /run/simtest) keeps pid files and logs.
set -euo pipefail

STATE=${SIMTEST_STATE:-/run/simtest}
IMAGE=${SIMTEST_IMAGE:-simtest/busybox:1}
SOCK2=${SIMTEST_SOCK2:-/run/simtest2.sock}
DOCKERD=${DOCKERD:-$(command -v dockerd || echo /usr/sbin/dockerd)}
BUSYBOX=${BUSYBOX:-$(command -v busybox || echo /bin/busybox)}
COMMON=(--iptables=false --ip6tables=false --ip-forward=false --bridge=none)

log() { printf 'docker-test-env: %s\n' "$*" >&2; }

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# Wait until `docker $@ info` answers, or the daemon process dies.
wait_ready() {
  local pid=$1; shift
  for _ in $(seq 1 120); do
    if docker "$@" info >/dev/null 2>&1; then return 0; fi
    alive "$pid" || return 1
    sleep 0.5
  done
  return 1
}

# start_daemon NAME PIDFILE LOG [extra dockerd args...]: overlay2 first, vfs if that fails.
start_daemon() {
  local name=$1 pidfile=$2 logfile=$3; shift 3
  local client=()
  local a
  for a in "$@"; do case $a in unix://*) client=(-H "$a") ;; esac; done
  if [ -f "$pidfile" ]; then
    local old; old=$(cat "$pidfile" 2>/dev/null || true)
    if alive "$old"; then
      if docker "${client[@]}" info >/dev/null 2>&1; then log "$name already running (pid $old)"; return 0; fi
    else
      log "removing stale $pidfile (pid ${old:-?} is gone)"
      rm -f "$pidfile"
    fi
  fi
  local driver
  for driver in overlay2 vfs; do
    log "starting $name with --storage-driver=$driver (log: $logfile)"
    "$DOCKERD" --storage-driver="$driver" "${COMMON[@]}" --pidfile "$pidfile" "$@" >>"$logfile" 2>&1 &
    local pid=$!
    echo "$pid" >"$STATE/$name.started"
    if wait_ready "$pid" "${client[@]}"; then
      log "$name ready (pid $pid, $driver)"
      return 0
    fi
    log "$name did not come up with $driver; see $logfile"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do alive "$pid" || break; sleep 0.25; done
    rm -f "$pidfile"
  done
  return 1
}

# Build the busybox image from a folder: /bin/busybox, its applet links, /etc/passwd, /etc/group.
build_image() {
  local client=("$@")
  if docker "${client[@]}" image inspect "$IMAGE" >/dev/null 2>&1; then return 0; fi
  local root; root=$(mktemp -d)
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,var/log,home/johnsmith,home/alice}
  cp "$BUSYBOX" "$root/bin/busybox"
  local applet
  for applet in $("$BUSYBOX" --list-full 2>/dev/null || "$BUSYBOX" --list | sed 's,^,bin/,'); do
    [ "$applet" = bin/busybox ] && continue
    [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
  done
  [ -e "$root/bin/sh" ] || ln -s /bin/busybox "$root/bin/sh"
  cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
johnsmith:x:1000:1000:John Smith:/home/johnsmith:/bin/sh
alice:x:1001:1001:alice:/home/alice:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$root/etc/group" <<'EOF'
root:x:0:
johnsmith:x:1000:
alice:x:1001:
nogroup:x:65534:
EOF
  chmod 1777 "$root/tmp"
  chown 1000:1000 "$root/home/johnsmith"
  chown 1001:1001 "$root/home/alice"
  tar -C "$root" -cf - . | docker "${client[@]}" import -c 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
  rm -rf "$root"
  log "built $IMAGE"
}

stop_started() {
  local name=$1 pidfile=$2
  local f="$STATE/$name.started"
  [ -f "$f" ] || { log "$name was not started by this script"; return 0; }
  local pid; pid=$(cat "$f")
  if alive "$pid"; then
    # Remove our test containers first so the daemon stops promptly.
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 80); do alive "$pid" || break; sleep 0.25; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    log "stopped $name (pid $pid)"
  fi
  rm -f "$f" "$pidfile"
}

case ${1:-} in
  start)
    mkdir -p "$STATE"
    start_daemon dockerd /var/run/docker.pid "$STATE/dockerd.log" -H unix:///var/run/docker.sock
    build_image
    mkdir -p /var/lib/simtest2 /run/simtest2-exec
    if start_daemon dockerd2 /run/simtest2.pid "$STATE/dockerd2.log" -H "unix://$SOCK2" \
        --data-root /var/lib/simtest2 --exec-root /run/simtest2-exec; then
      build_image -H "unix://$SOCK2"
    else
      log "second daemon unavailable: the two-endpoint test will be skipped"
    fi
    ;;
  stop)
    stop_started dockerd2 /run/simtest2.pid
    stop_started dockerd /var/run/docker.pid
    ;;
  status)
    docker info --format 'dockerd: {{.ServerVersion}} {{.Driver}}' 2>/dev/null || echo 'dockerd: down'
    docker -H "unix://$SOCK2" info --format 'dockerd2: {{.ServerVersion}} {{.Driver}}' 2>/dev/null || echo 'dockerd2: down'
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
