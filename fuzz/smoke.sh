#!/bin/sh
# Run every target of fuzz/targets for a bounded number of runs from its
# seeds: a crash, a leak, a sanitizer report or a slow input (over
# FUZZ_TIMEOUT seconds) fails the run and leaves the input in
# build/fuzz/artifacts/. New inputs the fuzzer finds go to a fresh corpus
# directory per run (build/fuzz/corpus/<target>).
#
#   FUZZ_RUNS (20000), FUZZ_TIME (seconds per target, 20), FUZZ_TIMEOUT (10)
set -eu
cd "$(dirname "$0")/.."

OUT=build/fuzz
RUNS=${FUZZ_RUNS:-20000}
TIME=${FUZZ_TIME:-20}
TIMEOUT=${FUZZ_TIMEOUT:-10}
PYTHON=${PYTHON:-/usr/bin/python3}

# Every target has a line in fuzz/targets, and every line a target.
listed=$(grep -v '^#' fuzz/targets | awk 'NF {print $1}' | sort)
built=$(ls fuzz/fuzz_*.c | sed 's#fuzz/##; s#\.c$##' | sort)
if [ "$listed" != "$built" ]; then
    echo "fuzz-smoke: fuzz/targets and fuzz/fuzz_*.c disagree:" >&2
    echo "  listed: $(echo $listed)" >&2
    echo "  files:  $(echo $built)" >&2
    exit 1
fi

rm -rf "$OUT/seeds" "$OUT/corpus"
$PYTHON fuzz/seeds.py "$OUT/seeds"
mkdir -p "$OUT/artifacts"

grep -v '^#' fuzz/targets | while read -r target seeds; do
    [ -n "$target" ] || continue
    dirs=""
    for s in $seeds; do
        case $s in
        @*) dirs="$dirs $OUT/seeds/${s#@}" ;;
        *) [ -e "$s" ] || { echo "fuzz-smoke: $target: no seed $s" >&2; exit 1; }
           if [ -d "$s" ]; then
               dirs="$dirs $s"
           else # libFuzzer reads seeds from directories only
               mkdir -p "$OUT/seeds/$target-files"
               cp "$s" "$OUT/seeds/$target-files/"
               dirs="$dirs $OUT/seeds/$target-files"
           fi ;;
        esac
    done
    mkdir -p "$OUT/corpus/$target"
    echo "== $target ($RUNS runs, at most ${TIME}s)"
    if ! "$OUT/$target" -runs="$RUNS" -max_total_time="$TIME" -timeout="$TIMEOUT" \
        -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$OUT/artifacts/$target-" \
        "$OUT/corpus/$target" $dirs >"$OUT/$target.log" 2>&1; then
        tail -n 40 "$OUT/$target.log" >&2
        echo "fuzz-smoke: $target failed; the input is in $OUT/artifacts/ (log: $OUT/$target.log)" >&2
        exit 1
    fi
    grep -E '^stat::number_of_executed_units|^Done' "$OUT/$target.log" | tr '\n' ' '
    echo
done
