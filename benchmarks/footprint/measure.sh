#!/usr/bin/env bash
# Measures the reference executor's footprint the way the Mesos agent runs it (issue 13's figures):
#   startup    wall and CPU from process start to its SUBSCRIBE call (median of N cold starts);
#   steady     peak RSS (VmHWM, and /usr/bin/time -v) with one Docker task and an HTTP health check
#              every second for 60 s;
#   launch     LAUNCH to TASK_RUNNING, unconstrained and inside a 0.1 CPU CFS quota, and the ratio;
#   whole      CPU of a whole executor life: subscribe, launch, 1 s HTTP checks until healthy, kill,
#              shutdown, exit;
#   probes     CPU per HTTP and per TCP health-check probe (0.1 s interval), and the idle rate;
#   updates    CPU per status update (a generalized HTTP check whose status changes every probe);
#   executors  N executors side by side, one sleeping Docker task each: PSS (anonymous, file), RSS
#              and threads per executor from /proc/PID/smaps_rollup, after 15 s.
# Every measured executor runs in its own cgroup v1 group from its first instruction; its CPU is
# that group's cpuacct.usage (ns). --cgroup-limits gives every group the budget the Mesos
# containerizer gives a custom executor (cpu.cfs_quota_us 10000 per 100000, memory.limit_in_bytes
# 32 MiB); the launch measurement always does both. The agent is the in-process FakeAgent of
# `mesos-executor-demo footprint` (samples/Mesos.Executor.Demo, real HTTP on loopback); the tasks
# run on the real Docker engine. The measured binary is the production one. Usage:
#   benchmarks/footprint/measure.sh [--modes startup,steady,launch,whole,probes,updates,executors]
#     [--cgroup-limits | --limits off|on|both] [--quick] [--no-publish] [--no-config]
#     [--duration 60] [--startup-runs 5] [--launch-runs 5] [--whole-runs 3] [--probe-seconds 20]
#     [--probe-interval 0.1] [--update-seconds 10] [--executors 10] [--settle-seconds 15]
# --limits both runs every selected mode twice, unconstrained then inside the limits (launch once:
# it measures both anyway). --quick: short runs to check that everything works (figures rough).
# The executor reads the repository's config.yaml (every key at its default) with --config, as an
# operator's would; --no-config measures it on built-in defaults (the harness still passes a
# one-line file that lets the environment label and remove its containers).
# Environment: EXECUTOR=path to measure another build (default: artifacts/executor/mesos-executor).
set -euo pipefail
cd "$(dirname "$0")/../.."

modes=startup,steady,launch,whole,probes,updates,executors
limits=off
publish=1
config="$(pwd)/config.yaml"
harness_flags=()
while [ $# -gt 0 ]; do
  case "$1" in
    --duration|--startup-runs|--launch-runs|--whole-runs|--probe-seconds|--probe-interval|--update-seconds|--executors|--settle-seconds)
      harness_flags+=("$1" "$2"); shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --cgroup-limits) limits=on; shift ;;
    --limits) limits="$2"; shift 2 ;;
    --quick)
      harness_flags=(--duration 10 --startup-runs 3 --launch-runs 2 --whole-runs 1 --probe-seconds 5
        --update-seconds 5 --executors 3 --settle-seconds 3 "${harness_flags[@]}"); shift ;;
    --no-publish) publish=0; shift ;;
    --no-config) config=""; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$limits" in off|on|both) ;; *) echo "--limits takes off, on or both" >&2; exit 2 ;; esac

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
# The harness: a separate program (JIT; it only plays the agent and reads /proc and the cgroups).
dotnet build samples/Mesos.Executor.Demo -c Release -v quiet -nologo >&2
harness=samples/Mesos.Executor.Demo/bin/Release/net10.0/mesos-executor-demo.dll

run_id="$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
run_ids=()
out=$(mktemp -d)
# Whatever a failed or interrupted run left: its executors (by the cgroups named after the run),
# those cgroups, and its containers (by label). The harness removes them itself when it ends well.
cleanup() {
  local id dir pid
  for id in "${run_ids[@]}"; do
    while IFS= read -r dir; do
      for pid in $(cat "$dir/cgroup.procs" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
      for _ in $(seq 1 20); do rmdir "$dir" 2>/dev/null && break; sleep 0.1; done
    done < <(find /sys/fs/cgroup -maxdepth 6 -type d -path "*/mesos-executor-footprint/$id-*" 2>/dev/null)
    mapfile -t left < <(docker ps -aq --filter "label=mesos-executor-footprint=$id" 2>/dev/null || true)
    if [ ${#left[@]} -gt 0 ]; then
      docker rm -f "${left[@]}" >/dev/null 2>&1 || true
    fi
  done
  # The parents, unless another run still has groups in them (rmdir refuses).
  find /sys/fs/cgroup -maxdepth 5 -type d -name mesos-executor-footprint -prune -exec rmdir {} \; 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT

echo "== mesos-executor footprint ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, Docker $(docker version --format '{{.Server.Version}}'))"
echo "binary: $executor, $(stat -c %s "$executor") bytes ($(du -h "$executor" | cut -f1))"

# run NAME MODES [harness flags...]: one harness run, its report in $out/NAME.txt.
run() {
  local name="$1" run_modes="$2"
  shift 2
  run_ids+=("$run_id-$name")
  echo "== $name: $run_modes"
  dotnet "$harness" footprint --executor "$executor" --modes "$run_modes" --run-id "$run_id-$name" \
    --time-output "$out/time-$name.txt" ${config:+--config "$config"} "${harness_flags[@]}" "$@" | tee "$out/$name.txt"
  if [ -s "$out/time-$name.txt" ]; then
    echo "/usr/bin/time -v of the steady-state executor:"
    grep -E "Maximum resident set size|User time|System time|Elapsed \(wall clock\)" "$out/time-$name.txt" | sed 's/^\s*/  /'
  fi
}

case "$limits" in
  off) run unconstrained "$modes" ;;
  on) run limits "$modes" --cgroup-limits ;;
  both)
    run unconstrained "$modes"
    limited_modes=$(echo "$modes" | tr ',' '\n' | grep -vx launch | paste -sd, -)
    if [ -n "$limited_modes" ]; then run limits "$limited_modes" --cgroup-limits; fi ;;
esac

# value KEY REPORT: the value of KEY=... in a report (empty when the mode did not run).
value() { grep -o "\b$1=[^ ]*" "$2" 2>/dev/null | head -n1 | cut -d= -f2 || true; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
summary() {
  local r="$1"
  echo "== summary, ${r##*/} (issue 13's figures; medians)"
  if [ -n "$(value executors_pss_kib_median "$r")" ]; then
    echo "  PSS per executor, $(value executors "$r") executors after $(value settle_s "$r") s: $(mb "$(value executors_pss_kib_median "$r")") ($(mb "$(value executors_pss_anon_kib_median "$r")") anonymous, $(mb "$(value executors_pss_file_kib_median "$r")") file); RSS $(mb "$(value executors_rss_kib_median "$r")"); threads $(value executors_threads_median "$r")"
  fi
  if [ -n "$(value peak_rss_kib_vmhwm "$r")" ]; then
    echo "  peak RSS (VmHWM), one task with an HTTP health check: $(mb "$(value peak_rss_kib_vmhwm "$r")")"
  fi
  if [ -n "$(value startup_to_subscribe_wall_ms_median "$r")" ]; then
    echo "  process start to SUBSCRIBE: $(value startup_to_subscribe_wall_ms_median "$r") ms wall, $(value startup_to_subscribe_cpu_ms_median "$r") ms CPU"
  fi
  if [ -n "$(value whole_run_cpu_ms "$r")" ]; then
    echo "  CPU of a whole run: $(value whole_run_cpu_ms "$r") ms"
  fi
  if [ -n "$(value launch_to_running_ms_median_unconstrained "$r")" ]; then
    echo "  LAUNCH to TASK_RUNNING: $(value launch_to_running_ms_median_unconstrained "$r") ms unconstrained, $(value launch_to_running_ms_median_quota "$r") ms in a 0.1 CPU quota (ratio $(value launch_to_running_quota_ratio "$r"))"
  fi
  if [ -n "$(value cpu_us_per_http_probe "$r")" ]; then
    echo "  CPU per probe: HTTP $(value cpu_us_per_http_probe "$r") us, TCP $(value cpu_us_per_tcp_probe "$r") us (idle $(value idle_cpu_us_per_s "$r") us/s subtracted)"
  fi
  if [ -n "$(value cpu_us_per_status_update "$r")" ]; then
    echo "  CPU per status update (acknowledgement included): $(value cpu_us_per_status_update "$r") us"
  fi
}
for report in "$out"/unconstrained.txt "$out"/limits.txt; do
  if [ -f "$report" ]; then summary "$report"; fi
done
