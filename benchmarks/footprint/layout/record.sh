#!/usr/bin/env bash
# Records the order file of the reference executor: the managed methods that run in the footprint
# scenarios, in the order they first run, written to samples/Mesos.Executor.Reference/hot-methods.txt.
# ILC lays those methods out first (IlcOrderFile in the project), so that the code an executor
# really runs sits in a few contiguous pages instead of being spread over the whole binary; see
# benchmarks/footprint/README.md "Code layout". Needs root, Docker, a C compiler and python3; takes
# about two minutes. Run it again when the executor's code has changed much: methods the file no
# longer names are laid out after the recorded ones, which only costs memory, never behaviour.
#
#   benchmarks/footprint/layout/record.sh [--out FILE]
set -euo pipefail

cd "$(dirname "$0")/../../.."
out=samples/Mesos.Executor.Reference/hot-methods.txt
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    *) echo "record.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done

bash build/ensure-aot.sh
bash build/ensure-docker.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cc=$(command -v cc || command -v gcc || command -v clang)
"$cc" -O2 -Wall -Wextra -o "$work/first-calls" benchmarks/footprint/layout/first-calls.c

# Recorded on a build without an order file, so the record never depends on an earlier one.
project=samples/Mesos.Executor.Reference
rm -rf "$project/obj/Release/net10.0/linux-x64/native"
dotnet publish "$project" -c Release -r linux-x64 -o "$work/executor" -p:IlcOrderFile= >"$work/publish.log" \
  || { cat "$work/publish.log" >&2; exit 1; }
rm -rf "$project/obj/Release/net10.0/linux-x64/native"

python3 benchmarks/footprint/layout/layout.py entries "$work/executor/mesos-executor.dbg" >"$work/entries.txt"
cat >"$work/mesos-executor" <<WRAPPER
#!/bin/sh
exec "$work/first-calls" "$work/hits.txt" "$work/entries.txt" -- "$work/executor/mesos-executor" "\$@"
WRAPPER
chmod +x "$work/mesos-executor"

# Start-up first (it is the first mode), then the life of a task: launch, health checks (HTTP and
# TCP), status updates, kill, shutdown; with the repository's config.yaml and with none.
EXECUTOR="$work/mesos-executor" bash benchmarks/footprint/measure.sh --no-publish --quick
EXECUTOR="$work/mesos-executor" bash benchmarks/footprint/measure.sh --no-publish --quick --no-config --modes startup,whole

{
  echo "# ILC order file of mesos-executor (IlcOrderFile): written by benchmarks/footprint/layout/record.sh, do not edit."
  python3 benchmarks/footprint/layout/layout.py names "$work/executor/mesos-executor.dbg" "$work/hits.txt"
} >"$out"
echo "record.sh: $(grep -vc '^#' "$out") methods written to $out"
