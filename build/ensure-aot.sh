#!/usr/bin/env bash
# Makes sure NativeAOT can link on this machine: a C toolchain (clang, else gcc), the C library
# headers, objcopy (binutils) and zlib's development files, as Microsoft's NativeAOT prerequisites
# for Linux list them. Idempotent; installs what is missing with apt-get when run as root on
# Debian/Ubuntu. Called by the Publish target of build.cake and by the footprint measurement.
set -euo pipefail

log() { printf 'ensure-aot: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

missing=()
if ! command -v clang >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
  missing+=(clang)
fi
command -v objcopy >/dev/null 2>&1 || missing+=(binutils)
[ -e /usr/include/stdio.h ] || missing+=(libc6-dev)
[ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    die "missing ${missing[*]}; install them (apt-get install -y ${missing[*]}) or run as root on Debian/Ubuntu"
  fi
  log "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if [ ! -f /tmp/.mesos-executor-apt-updated ]; then
    apt-get update -qq && touch /tmp/.mesos-executor-apt-updated
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if command -v clang >/dev/null 2>&1; then
  log "linker: $(command -v clang)"
else
  log "linker: $(command -v gcc) (no clang on PATH; the ILCompiler falls back to gcc)"
fi
