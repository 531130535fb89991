#!/bin/sh
# `make fuzz-long`: each target of fuzz/targets for FUZZ_SECONDS (3600) from its
# committed corpus, one after the other, new inputs kept in
# build/fuzz/long/<target>; then, with FUZZ_MERGE=1, the committed corpus
# fuzz/corpus/<target>/ is replaced by the minimized union (libFuzzer
# -merge=1) of itself and what the run found. FUZZ_ONLY runs one target.
set -eu
cd "$(dirname "$0")/.."

OUT=build/fuzz
SECONDS_EACH=${FUZZ_SECONDS:-3600}
MAX_LEN=${FUZZ_MAX_LEN:-4096}
ONLY=${FUZZ_ONLY:-}

. fuzz/targets.sh
fuzz_check_targets
mkdir -p "$OUT/artifacts" "$OUT/long"

grep -v '^#' fuzz/targets | while read -r target seeds; do
    [ -n "$target" ] || continue
    [ -z "$ONLY" ] || [ "$ONLY" = "$target" ] || continue
    fuzz_args "$target" "$seeds"
    mkdir -p "$OUT/long/$target"
    echo "== $target (${SECONDS_EACH}s)"
    # shellcheck disable=SC2086
    if ! "$OUT/$target" -max_total_time="$SECONDS_EACH" -timeout=10 -max_len="$MAX_LEN" \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$target-" \
        $FUZZ_FLAGS "$OUT/long/$target" $FUZZ_DIRS >"$OUT/$target.long.log" 2>&1; then
        tail -n 40 "$OUT/$target.long.log" >&2
        echo "fuzz-long: $target failed; the input is in $OUT/artifacts/" >&2
        exit 1
    fi
    grep -E '^stat::number_of_executed_units' "$OUT/$target.long.log"
    if [ "${FUZZ_MERGE:-0}" = 1 ]; then
        rm -rf "$OUT/merged/$target"
        mkdir -p "$OUT/merged/$target"
        "$OUT/$target" -merge=1 -max_len="$MAX_LEN" "$OUT/merged/$target" \
            "fuzz/corpus/$target" "$OUT/long/$target" >/dev/null 2>&1
        rm -rf "fuzz/corpus/$target"
        mv "$OUT/merged/$target" "fuzz/corpus/$target"
        echo "   fuzz/corpus/$target: $(ls "fuzz/corpus/$target" | wc -l) files"
    fi
done
