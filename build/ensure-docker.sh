#!/usr/bin/env bash
# Makes sure the integration tests have what they need: a running Docker engine, iptables, the
# local test image (no registry is reachable, so the image is made from busybox-static), a local
# registry holding that image, so that image pulls are tested for real, and a second one that
# requires basic authentication (htpasswd), so that registry credentials are tested for real.
# Idempotent; called by the Test target of build.cake. With CI=true every failure is fatal.
set -euo pipefail

IMAGE="${MESOS_EXECUTOR_TEST_IMAGE:-mesos-executor-test/busybox:1}"
DOCKERD_LOG="${DOCKERD_LOG:-/tmp/mesos-executor-dockerd.log}"
REGISTRY="${MESOS_EXECUTOR_TEST_REGISTRY:-127.0.0.1:5123}"
REGISTRY_DIR="${REGISTRY_DIR:-/tmp/mesos-executor-registry}"
# The registry with basic authentication; the tests read the same values
# (tests/Mesos.Executor.TestSupport/DockerTestEnvironment.cs, same variables and defaults).
AUTH_REGISTRY="${MESOS_EXECUTOR_TEST_AUTH_REGISTRY:-127.0.0.1:5124}"
AUTH_REGISTRY_USER="${MESOS_EXECUTOR_TEST_AUTH_REGISTRY_USER:-mesos-test}"
AUTH_REGISTRY_PASSWORD="${MESOS_EXECUTOR_TEST_AUTH_REGISTRY_PASSWORD:-registry-secret-4711}"
AUTH_REGISTRY_DIR="${AUTH_REGISTRY_DIR:-/tmp/mesos-executor-auth-registry}"

log() { printf 'ensure-docker: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
  if ! is_root || ! command -v apt-get >/dev/null 2>&1; then
    die "missing $*; install it (apt-get install -y $*) or run as root on Debian/Ubuntu"
  fi
  log "installing $* with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if [ ! -f /tmp/.mesos-executor-apt-updated ]; then
    apt-get update -qq && touch /tmp/.mesos-executor-apt-updated
  fi
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
[ -x /bin/busybox ] || missing+=(busybox-static)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
if [ ${#missing[@]} -gt 0 ]; then
  apt_install "${missing[@]}"
fi
# The Debian docker.io package ships a client that may be shadowed by another on PATH; both work.

if ! docker info >/dev/null 2>&1; then
  is_root || die "no Docker engine answers and we are not root to start one"
  log "starting dockerd (log: $DOCKERD_LOG)"
  # Daemons start from / : they outlive this run, and a working directory inside a checkout that
  # is deleted later breaks what they start (see ensure-podman.sh).
  (cd / && exec nohup dockerd >"$DOCKERD_LOG" 2>&1 </dev/null) &
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { tail -n 30 "$DOCKERD_LOG" >&2 || true; die "dockerd did not come up"; }
fi
log "Docker engine $(docker version --format '{{.Server.Version}}') is up"

if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "building $IMAGE from /bin/busybox"
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,var/www,root,proc,sys,dev,mnt/mesos/sandbox}
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list-full); do
    [ "$applet" = bin/busybox ] && continue
    ln -sf /bin/busybox "$rootfs/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  printf 'ok\n' >"$rootfs/var/www/index.html"
  tar -C "$rootfs" -c . | docker import \
    --change 'CMD ["/bin/sh"]' \
    --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
    - "$IMAGE" >/dev/null
fi
log "test image $IMAGE is ready"

# Registries on loopback (the engine treats 127.0.0.0/8 as insecure, so no TLS is needed) with the
# test image pushed to them: the pull tests pull it from there.
port_up() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }

# start_registry ADDRESS DIR [AUTH_YAML]: starts Debian's docker-registry on ADDRESS with its
# config and data under DIR, unless something already answers there.
start_registry() {
  local address=$1 dir=$2 auth=${3:-}
  port_up "$address" && return 0
  mkdir -p "$dir/data"
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $address
$auth
YAML
  log "starting a registry on $address (log: $dir/registry.log)"
  (cd / && exec nohup docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null) &
  for _ in $(seq 1 60); do
    port_up "$address" && break
    sleep 0.5
  done
  port_up "$address" || { tail -n 30 "$dir/registry.log" >&2 || true; die "the registry on $address did not come up"; }
}

start_registry "$REGISTRY" "$REGISTRY_DIR"
docker tag "$IMAGE" "$REGISTRY/$IMAGE"
docker push "$REGISTRY/$IMAGE" >/dev/null || die "pushing $IMAGE to $REGISTRY failed"
log "registry $REGISTRY holds $REGISTRY/$IMAGE"

# The registry with basic authentication: one user in an htpasswd file (bcrypt, as the registry
# requires). The password file is rewritten every time, so a changed password takes effect after
# the registry restarts (it reads the file when it starts).
mkdir -p "$AUTH_REGISTRY_DIR"
htpasswd -Bbn "$AUTH_REGISTRY_USER" "$AUTH_REGISTRY_PASSWORD" >"$AUTH_REGISTRY_DIR/htpasswd.new"
if ! htpasswd -vb "$AUTH_REGISTRY_DIR/htpasswd" "$AUTH_REGISTRY_USER" "$AUTH_REGISTRY_PASSWORD" >/dev/null 2>&1; then
  mv "$AUTH_REGISTRY_DIR/htpasswd.new" "$AUTH_REGISTRY_DIR/htpasswd"
else
  rm -f "$AUTH_REGISTRY_DIR/htpasswd.new"
fi
start_registry "$AUTH_REGISTRY" "$AUTH_REGISTRY_DIR" "auth:
  htpasswd:
    realm: mesos-executor-test
    path: $AUTH_REGISTRY_DIR/htpasswd"
# Push with the CLI's login, then log out: the CLI keeps credentials in ~/.docker/config.json, the
# engine keeps none, so a pull through the Engine API succeeds only with the X-Registry-Auth header
# the executor sends.
docker tag "$IMAGE" "$AUTH_REGISTRY/$IMAGE"
printf '%s' "$AUTH_REGISTRY_PASSWORD" | docker login "$AUTH_REGISTRY" --username "$AUTH_REGISTRY_USER" --password-stdin >/dev/null 2>&1 \
  || die "logging in to $AUTH_REGISTRY failed"
push_status=0
docker push "$AUTH_REGISTRY/$IMAGE" >/dev/null || push_status=$?
docker logout "$AUTH_REGISTRY" >/dev/null || true
docker rmi "$AUTH_REGISTRY/$IMAGE" >/dev/null || true
[ "$push_status" = 0 ] || die "pushing $IMAGE to $AUTH_REGISTRY failed"
log "registry $AUTH_REGISTRY (user $AUTH_REGISTRY_USER) holds $AUTH_REGISTRY/$IMAGE"
