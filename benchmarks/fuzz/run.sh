#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser of untrusted input (issue 16), with AFL++ and SharpFuzz.
#
#   benchmarks/fuzz/run.sh [-t SECONDS] [-j PARALLEL] [-o OUTPUT] [--save-crashes] [TARGET...]
#
# Builds tests/Mesos.Executor.Fuzz, instruments a copy of the parsing assemblies with the
# SharpFuzz tool (.config/dotnet-tools.json), runs each target (default: all) for SECONDS
# (default 60) with afl-fuzz, seeded from tests/Mesos.Executor.Fuzz/corpus/<target> (tokens from
# dictionaries/<target>.dict), and prints one line per target: executions, executions per second,
# paths (corpus entries, seeds included), new paths, crashes and hangs. Exits 1 when any target
# saved a crash or a hang.
# --save-crashes copies them to tests/Mesos.Executor.Fuzz/crashes/<target>/ (committed and
# replayed by tests/Mesos.Executor.Fuzz.Tests once fixed).
# Needs afl-fuzz (Debian: apt-get install afl++); installs it when missing and allowed to.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

seconds=60
parallel=1
output=artifacts/fuzz
save=false
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        -t) seconds=$2; shift 2 ;;
        -j) parallel=$2; shift 2 ;;
        -o) output=$2; shift 2 ;;
        --save-crashes) save=true; shift ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) targets+=("$1"); shift ;;
    esac
done

if ! command -v afl-fuzz >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y -qq afl++ >/dev/null
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo apt-get install -y -qq afl++ >/dev/null
    else
        echo "afl-fuzz not found: apt-get install afl++" >&2
        exit 2
    fi
fi

mkdir -p "$output"
output=$(cd "$output" && pwd)
project=tests/Mesos.Executor.Fuzz
dotnet tool restore >/dev/null
dotnet build "$project/Mesos.Executor.Fuzz.csproj" -c Release -v quiet -nologo >/dev/null
rm -rf "$output/bin"
cp -r "$project/bin/Release/net10.0" "$output/bin"
# The assemblies whose branches guide the fuzzer: ours, and the parsers they build on.
for assembly in Mesos.Executor.Core Mesos.Executor.Docker Mesos.Executor.Hooks mesos-executor Google.Protobuf YamlDotNet; do
    dotnet sharpfuzz "$output/bin/$assembly.dll" >/dev/null
done

if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(dotnet "$project/bin/Release/net10.0/Mesos.Executor.Fuzz.dll" list | cut -f1)
fi

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
export AFL_SKIP_CRASHES=1 AFL_NO_WARN_INSTABILITY=1 AFL_FAST_CAL=1
# The .NET runtime keeps its first-run work (JIT, static caches) inside the fork server's first
# executions; 10 s per input is a hang, not a slow start.
timeout_ms=${FUZZ_TIMEOUT_MS:-10000}

run_one() {
    local target=$1 out="$output/out/$1"
    local dictionary=()
    if [ -f "$root/$project/dictionaries/$target.dict" ]; then
        dictionary=(-x "$root/$project/dictionaries/$target.dict")
    fi
    # On a loaded machine afl-fuzz sometimes sees an empty coverage map for the very first input
    # (the .NET runtime's start-up inside the fork server) and aborts with "No instrumentation
    # detected": try again, twice at most.
    local attempt
    for attempt in 1 2 3; do
        rm -rf "$out"
        mkdir -p "$out"
        afl-fuzz -i "$root/$project/corpus/$target" -o "$out" -V "$seconds" -t "$timeout_ms" -m none "${dictionary[@]}" \
            -- dotnet "$output/bin/Mesos.Executor.Fuzz.dll" "$target" >"$out/afl.log" 2>&1 || true
        grep -q "No instrumentation detected" "$out/afl.log" || break
    done
}

running=0
for target in "${targets[@]}"; do
    run_one "$target" &
    running=$((running + 1))
    if [ "$running" -ge "$parallel" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true

failed=0
printf '%-18s %12s %10s %7s %9s %8s %6s\n' target executions exec/s paths new-paths crashes hangs
for target in "${targets[@]}"; do
    stats="$output/out/$target/default/fuzzer_stats"
    if [ ! -f "$stats" ]; then
        echo "$target: afl-fuzz did not run (see $output/out/$target/afl.log)"
        tail -5 "$output/out/$target/afl.log" || true
        failed=1
        continue
    fi
    get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
    execs=$(get execs_done)
    runtime=$(get run_time)
    rate=$(awk -v e="$execs" -v t="$runtime" 'BEGIN { printf "%.0f", (t > 0 ? e / t : 0) }')
    crashes=$(get saved_crashes)
    hangs=$(get saved_hangs)
    printf '%-18s %12s %10s %7s %9s %8s %6s\n' "$target" "$execs" "$rate" "$(get corpus_count)" "$(get corpus_found)" "$crashes" "$hangs"
    if [ "${crashes:-0}" != 0 ] || [ "${hangs:-0}" != 0 ]; then
        failed=1
        for kind in crashes hangs; do
            shown=0
            for file in "$output/out/$target/default/$kind"/id:*; do
                [ -e "$file" ] || continue
                shown=$((shown + 1))
                if [ "$shown" -le 5 ]; then
                    echo "  $kind: $file"
                fi
                if $save; then
                    mkdir -p "$project/crashes/$target"
                    cp "$file" "$project/crashes/$target/$(sha1sum "$file" | cut -c1-16)"
                fi
            done
            if [ "$shown" -gt 5 ]; then
                echo "  ... $((shown - 5)) more $kind in $output/out/$target/default/$kind"
            fi
        done
    fi
done
exit $failed
