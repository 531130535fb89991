#!/bin/sh
# Run every target of fuzz/targets from its committed corpus (fuzz/corpus/<target>/)
# and seeds: a crash, a leak, a sanitizer report or a slow input (over
# FUZZ_TIMEOUT seconds) fails the run and leaves the input in
# build/fuzz/artifacts/. New inputs go to build/fuzz/corpus/<target> (see
# fuzz/long.sh for growing the committed corpus).
#
#   FUZZ_RUNS (1000000 per target), FUZZ_TIME (at most this many seconds per
#   target, 150), FUZZ_TIMEOUT (10), FUZZ_MAX_LEN (4096 bytes per input),
#   FUZZ_ONLY (one target name)
# The first of FUZZ_RUNS and FUZZ_TIME ends a target: the log line says which.
set -eu
cd "$(dirname "$0")/.."

OUT=build/fuzz
RUNS=${FUZZ_RUNS:-1000000}
TIME=${FUZZ_TIME:-150}
TIMEOUT=${FUZZ_TIMEOUT:-10}
MAX_LEN=${FUZZ_MAX_LEN:-4096}
ONLY=${FUZZ_ONLY:-}

. fuzz/targets.sh
fuzz_check_targets

rm -rf "$OUT/seeds" "$OUT/corpus"
mkdir -p "$OUT/artifacts"

grep -v '^#' fuzz/targets | while read -r target seeds; do
    [ -n "$target" ] || continue
    [ -z "$ONLY" ] || [ "$ONLY" = "$target" ] || continue
    fuzz_args "$target" "$seeds"
    mkdir -p "$OUT/corpus/$target"
    echo "== $target (at most $RUNS runs or ${TIME}s)"
    # shellcheck disable=SC2086 # word splitting of the argument lists is wanted
    if ! "$OUT/$target" -runs="$RUNS" -max_total_time="$TIME" -timeout="$TIMEOUT" \
        -max_len="$MAX_LEN" -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$OUT/artifacts/$target-" $FUZZ_FLAGS \
        "$OUT/corpus/$target" $FUZZ_DIRS >"$OUT/$target.log" 2>&1; then
        tail -n 40 "$OUT/$target.log" >&2
        echo "fuzz-smoke: $target failed; the input is in $OUT/artifacts/ (log: $OUT/$target.log)" >&2
        exit 1
    fi
    grep -E '^stat::number_of_executed_units|^Done' "$OUT/$target.log" | tr '\n' ' '
    echo
done
