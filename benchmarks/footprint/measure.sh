#!/usr/bin/env bash
# Measures the reference executor's footprint, the way the Mesos agent runs it:
#   - binary size of the NativeAOT build;
#   - wall and CPU time from process start to its SUBSCRIBE call (median of N cold starts);
#   - peak RSS while it runs one Docker task with an HTTP health check every second for 60 s,
#     both sampled from /proc/<pid>/status (VmHWM) and as /usr/bin/time -v reports it.
# The agent is the in-process FakeAgent of `mesos-executor-demo footprint` (samples/Mesos.Executor.Demo,
# real HTTP on loopback); the task runs on the real Docker engine. The measured binary is the
# production one, which holds no test code. Usage:
#   benchmarks/footprint/measure.sh [--duration SECONDS] [--startup-runs N] [--no-publish] [--no-config]
# The executor reads the repository's config.yaml (every key at its default) with --config, as an
# operator's would; --no-config measures it on built-in defaults (the harness still passes a
# one-line file that lets the environment label and remove its containers).
# Environment: EXECUTOR=path to measure another build (default: artifacts/executor/mesos-executor).
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=60
runs=5
publish=1
config="$(pwd)/config.yaml"
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --startup-runs) runs="$2"; shift 2 ;;
    --no-publish) publish=0; shift ;;
    --no-config) config=""; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

bash build/ensure-docker.sh
bash build/ensure-aot.sh
if ! [ -x /usr/bin/time ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends time >/dev/null
fi

executor="${EXECUTOR:-artifacts/executor/mesos-executor}"
if [ "$publish" = 1 ] && [ -z "${EXECUTOR:-}" ]; then
  dotnet publish samples/Mesos.Executor.Reference -c Release -r linux-x64 -o artifacts/executor >&2
fi
[ -x "$executor" ] || { echo "no executor at $executor (publish it first)" >&2; exit 1; }
# The harness: a separate program (JIT; it only plays the agent and samples /proc).
dotnet build samples/Mesos.Executor.Demo -c Release -v quiet -nologo >&2
harness=samples/Mesos.Executor.Demo/bin/Release/net10.0/mesos-executor-demo.dll

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== mesos-executor footprint ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, Docker $(docker version --format '{{.Server.Version}}'))"
echo "binary: $executor, $(stat -c %s "$executor") bytes ($(du -h "$executor" | cut -f1))"
# The harness plays the agent and spawns the executor under /usr/bin/time.
dotnet "$harness" footprint --executor "$executor" --duration "$duration" --startup-runs "$runs" \
  --time-output "$out/time.txt" ${config:+--config "$config"} | tee "$out/report.txt"
echo "/usr/bin/time -v of the measured executor:"
grep -E "Maximum resident set size|User time|System time|Elapsed \(wall clock\)" "$out/time.txt" | sed 's/^\s*/  /'
