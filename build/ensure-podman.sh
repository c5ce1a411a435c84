#!/usr/bin/env bash
# Makes sure the integration tests have their second engine: Podman serving the Docker Engine API
# (`podman system service`) on a Unix socket of the test run, with the shared test image loaded
# from the Docker engine (build/ensure-docker.sh makes it; run that first) and the loopback
# registries of build/ensure-docker.sh configured as insecure (plain HTTP).
#
# Everything Podman reads comes from files under $PODMAN_DIR, given to the service through
# CONTAINERS_CONF, CONTAINERS_REGISTRIES_CONF and CONTAINERS_STORAGE_CONF: nothing under
# /etc/containers and nothing of Docker's configuration changes, and the storage is the test run's
# own. The tests find the socket through the same variable and default
# (tests/Mesos.Executor.TestSupport/DockerTestEnvironment.cs).
# Idempotent; called by the Test target of build.cake. With CI=true every failure is fatal.
set -euo pipefail

IMAGE="${MESOS_EXECUTOR_TEST_IMAGE:-mesos-executor-test/busybox:1}"
SOCKET="${MESOS_EXECUTOR_TEST_PODMAN_SOCKET:-/run/mesos-executor-test/podman.sock}"
PODMAN_DIR="${PODMAN_DIR:-/var/lib/mesos-executor-test/podman}"
REGISTRY="${MESOS_EXECUTOR_TEST_REGISTRY:-127.0.0.1:5123}"
AUTH_REGISTRY="${MESOS_EXECUTOR_TEST_AUTH_REGISTRY:-127.0.0.1:5124}"

log() { printf 'ensure-podman: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

remote() { podman --url "unix://$SOCKET" "$@"; }

missing=()
command -v podman >/dev/null 2>&1 || missing+=(podman)
# netavark (not CNI, which Debian's podman would pick without its plugins): bridge networks
# with port mappings; catatonit is the init of `--init`.
[ -x /usr/lib/podman/netavark ] || [ -x /usr/libexec/podman/netavark ] || missing+=(netavark aardvark-dns)
[ -x /usr/libexec/podman/catatonit ] || [ -x /usr/bin/catatonit ] || missing+=(catatonit)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  if ! is_root || ! command -v apt-get >/dev/null 2>&1; then
    die "missing ${missing[*]}; install them (apt-get install -y ${missing[*]}) or run as root on Debian/Ubuntu"
  fi
  log "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if [ ! -f /tmp/.mesos-executor-apt-updated ]; then
    apt-get update -qq && touch /tmp/.mesos-executor-apt-updated
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$PODMAN_DIR" "$(dirname "$SOCKET")"

# Podman's default nofile/nproc rlimits for containers (its own hard limits, e.g. 1048576) can
# exceed what this machine allows, and then every container start fails with "error setting
# rlimit ... operation not permitted". Containers get the hard limits of the service itself
# instead (Podman adjusts its own at start, e.g. nproc to 32768, so they are read from the running
# service; before it runs, the host's, capped at 1048576), written to containers.conf.
hard_limit() { # SHELL_FLAG LIMITS_ROW [PID]: the hard limit, capped at 1048576
  local value
  if [ -n "${3:-}" ] && [ -r "/proc/$3/limits" ]; then
    value=$(awk -v row="$2" 'index($0, row) == 1 { print $(NF - 1) }' "/proc/$3/limits")
  else
    value=$(ulimit -H "$1")
  fi
  if [ "$value" = unlimited ] || [ "$value" -gt 1048576 ]; then value=1048576; fi
  printf '%s' "$value"
}

write_if_changed() { # FILE: replaces FILE with stdin when different; says whether it changed
  local file=$1 new
  new=$(cat)
  if [ -f "$file" ] && [ "$(cat "$file")" = "$new" ]; then return 1; fi
  printf '%s\n' "$new" >"$file"
}

pidfile="$PODMAN_DIR/service.pid"
service_pid() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && cat "$pidfile"; }

write_containers_conf() { # [PID]: says whether the file changed
  local nofile nproc
  nofile=$(hard_limit -n "Max open files" "${1:-}")
  nproc=$(hard_limit -u "Max processes" "${1:-}")
  write_if_changed "$PODMAN_DIR/containers.conf" <<EOF
# Written by build/ensure-podman.sh for the test run's Podman service only.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[network]
network_backend = "netavark"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
}

changed=0
write_containers_conf "$(service_pid || true)" && changed=1
write_if_changed "$PODMAN_DIR/registries.conf" <<EOF && changed=1
# Written by build/ensure-podman.sh: the loopback test registries speak plain HTTP. Docker treats
# 127.0.0.0/8 as insecure by default; Podman needs to be told.
unqualified-search-registries = ["docker.io"]

[[registry]]
location = "$REGISTRY"
insecure = true

[[registry]]
location = "$AUTH_REGISTRY"
insecure = true
EOF
# overlay when the kernel can mount it here, else vfs (slow, but works everywhere).
driver=${MESOS_EXECUTOR_TEST_PODMAN_DRIVER:-}
if [ -z "$driver" ]; then
  if [ -f "$PODMAN_DIR/storage.conf" ]; then
    driver=$(sed -n 's/^driver = "\(.*\)"$/\1/p' "$PODMAN_DIR/storage.conf")
  else
    probe=$(mktemp -d)
    mkdir -p "$probe"/{lower,upper,work,merged}
    if mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" "$probe/merged" 2>/dev/null; then
      umount "$probe/merged"
      driver=overlay
    else
      driver=vfs
    fi
    rm -rf "$probe"
  fi
fi
write_if_changed "$PODMAN_DIR/storage.conf" <<EOF && changed=1
# Written by build/ensure-podman.sh: the test run's own image and container store.
[storage]
driver = "$driver"
runroot = "$(dirname "$SOCKET")/podman-run"
graphroot = "$PODMAN_DIR/storage"
EOF

export CONTAINERS_CONF="$PODMAN_DIR/containers.conf"
export CONTAINERS_REGISTRIES_CONF="$PODMAN_DIR/registries.conf"
export CONTAINERS_STORAGE_CONF="$PODMAN_DIR/storage.conf"

answers() { curl -fsS --max-time 5 --unix-socket "$SOCKET" http://podman/_ping >/dev/null 2>&1; }

stop_service() {
  local pid
  pid=$(service_pid) || return 0
  kill "$pid" || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  rm -f "$SOCKET"
}

start_service() {
  is_root || die "no Podman service answers on $SOCKET and we are not root to start one"
  rm -f "$SOCKET"
  log "starting podman system service on $SOCKET (storage: $driver; log: $PODMAN_DIR/service.log)"
  # From $PODMAN_DIR, never from the caller's directory: see the restart below.
  (cd "$PODMAN_DIR" && exec nohup podman system service --time=0 "unix://$SOCKET" >"$PODMAN_DIR/service.log" 2>&1 </dev/null) &
  echo $! >"$pidfile"
  for _ in $(seq 1 120); do
    answers && break
    sleep 0.5
  done
  answers || { tail -n 30 "$PODMAN_DIR/service.log" >&2 || true; die "the Podman service did not come up"; }
}

# A service started from a checkout that was deleted since keeps a deleted working directory, and
# conmon, which it runs for every container, then fails ("Failed to get working directory"; the API
# answers "write child: broken pipe" to every start). Such a service, left by an earlier run, is
# restarted; new ones start from $PODMAN_DIR.
if pid=$(service_pid) && [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == *" (deleted)" ]]; then
  log "the Podman service's working directory was deleted: restarting the service"
  stop_service
fi
if [ "$changed" = 1 ] && service_pid >/dev/null; then
  log "configuration changed: restarting the Podman service"
  stop_service
fi
if ! answers; then
  start_service
fi
# The limits of the service as it runs now: when they differ from what containers.conf says, the
# file gets them and the service restarts (once) to read it.
if pid=$(service_pid) && write_containers_conf "$pid"; then
  log "containers get the service's own rlimits: restarting the Podman service"
  stop_service
  start_service
fi
log "Podman $(remote version --format '{{.Server.Version}}') answers on $SOCKET"

# The shared test image, once: the Docker engine's copy, saved and loaded (Podman names it
# localhost/$IMAGE; the Engine API finds it by the short name too).
docker_id=$(docker image inspect --format '{{.Id}}' "$IMAGE") || die "the Docker engine has no $IMAGE (run build/ensure-docker.sh first)"
podman_id=$(remote image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
if [ "sha256:${podman_id#sha256:}" != "$docker_id" ]; then
  log "loading $IMAGE into Podman"
  docker save "$IMAGE" | remote load >/dev/null || die "loading $IMAGE into Podman failed"
fi
log "test image $IMAGE is ready in Podman"
