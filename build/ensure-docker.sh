#!/usr/bin/env bash
# Makes sure the integration tests have what they need: a running Docker engine, iptables, the
# local test image (no registry is reachable, so the image is made from busybox-static), and a
# local registry holding that image, so that image pulls are tested for real.
# Idempotent; called by the Test target of build.cake. With CI=true every failure is fatal.
set -euo pipefail

IMAGE="${MESOS_EXECUTOR_TEST_IMAGE:-mesos-executor-test/busybox:1}"
DOCKERD_LOG="${DOCKERD_LOG:-/tmp/mesos-executor-dockerd.log}"
REGISTRY="${MESOS_EXECUTOR_TEST_REGISTRY:-127.0.0.1:5123}"
REGISTRY_DIR="${REGISTRY_DIR:-/tmp/mesos-executor-registry}"

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
if [ ${#missing[@]} -gt 0 ]; then
  apt_install "${missing[@]}"
fi
# The Debian docker.io package ships a client that may be shadowed by another on PATH; both work.

if ! docker info >/dev/null 2>&1; then
  is_root || die "no Docker engine answers and we are not root to start one"
  log "starting dockerd (log: $DOCKERD_LOG)"
  nohup dockerd >"$DOCKERD_LOG" 2>&1 </dev/null &
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

# A registry on loopback (the engine treats 127.0.0.0/8 as insecure, so no TLS is needed) with the
# test image pushed to it: the pull tests pull it from there.
registry_up() { (exec 3<>"/dev/tcp/${REGISTRY%:*}/${REGISTRY##*:}") 2>/dev/null; }
if ! registry_up; then
  mkdir -p "$REGISTRY_DIR/data"
  cat >"$REGISTRY_DIR/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REGISTRY_DIR/data
  delete:
    enabled: true
http:
  addr: $REGISTRY
YAML
  log "starting a registry on $REGISTRY (log: $REGISTRY_DIR/registry.log)"
  nohup docker-registry serve "$REGISTRY_DIR/config.yml" >"$REGISTRY_DIR/registry.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    registry_up && break
    sleep 0.5
  done
  registry_up || { tail -n 30 "$REGISTRY_DIR/registry.log" >&2 || true; die "the registry did not come up"; }
fi
docker tag "$IMAGE" "$REGISTRY/$IMAGE"
docker push "$REGISTRY/$IMAGE" >/dev/null || die "pushing $IMAGE to $REGISTRY failed"
log "registry $REGISTRY holds $REGISTRY/$IMAGE"
