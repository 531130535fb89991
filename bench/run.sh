#!/bin/sh
# agentlint's benchmark (issue 3, "Speed"). Generates two repositories under
# build/bench/ (seeded, so every run sees the same bytes), builds the libgit2
# floor program, then times, interleaved, medians of at least five runs:
#
#   agentlint check --rev HEAD   on 200 agents x 500 project ids (about 9 MB)
#     vs fy-tool --dump --null-output on the same files on disk
#        (libfyaml building the documents: the floor for a libfyaml-based tool)
#     vs yamllint on 20 of the agents (the usual alternative), per MB
#   agentlint check --staged     on a typical 3-agent repository
#     vs bench/floor: libgit2 init + open + read the index (the pre-commit floor)
#   agentlint check -f json|sarif|codequality|junit on the big repository
#     vs check's text: time <= 1.5x, peak memory <= 1.2x
#   every command and format (check from revision, worktree and index,
#   explain, diff, rbac, report) at 1,000 and 10,000 agents x 20 ids
#     (medians of --scale-rounds, 3): at 10,000 under 3 s of cpu and 300 MB,
#     cpu time growing at most 12x from 1,000
#   check --rbac, diff --rbac, can-i, who-can and explain --permissions on
#     10,000 bindings x 1,000 jobs: each under 2 s of cpu (issue 15)
#
# and prints every ratio against its goal. Exits 1 when a goal is
# missed, unless --no-fail.
#
# Usage: bench/run.sh [--no-fail] [--rounds N] [--scale-rounds N]
#   AGENTLINT=path  the binary to measure (default build/agentlint, built if missing)
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-/usr/bin/python3}
out="$root/build/bench"
agentlint=${AGENTLINT:-$root/build/agentlint}
cc=${CC:-cc}

pass=
while [ $# -gt 0 ]; do
    case "$1" in
    --no-fail) pass="$pass --no-fail" ;;
    --rounds)
        shift
        case "${1:-}" in
        [5-9] | [1-9][0-9]*) pass="$pass --rounds $1" ;;
        *) echo "bench/run.sh: --rounds needs a number of at least 5" >&2; exit 2 ;;
        esac
        ;;
    --scale-rounds)
        shift
        case "${1:-}" in
        [1-9] | [1-9][0-9]*) pass="$pass --scale-rounds $1" ;;
        *) echo "bench/run.sh: --scale-rounds needs a number of at least 1" >&2; exit 2 ;;
        esac
        ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

for tool in git fy-tool yamllint pkg-config "$cc"; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "bench/run.sh: $tool is missing (apt-get install git libfyaml-utils yamllint" \
             "pkg-config libgit2-dev)" >&2
        exit 2
    }
done
if [ ! -x "$agentlint" ]; then
    make -C "$root" -s
fi

rm -rf "$out"
mkdir -p "$out"
# shellcheck disable=SC2046 # pkg-config prints several words on purpose
"$cc" -std=c11 -O2 -Wall -Wextra $(pkg-config --cflags libgit2) -o "$out/floor" \
    "$root/bench/floor.c" $(pkg-config --libs libgit2)
echo "generating the repositories under $out ..." >&2
"$py" "$root/bench/gen.py" big "$out/big"
"$py" "$root/bench/gen.py" small "$out/small"
"$py" "$root/bench/gen.py" scale 1000 "$out/s1000"
"$py" "$root/bench/gen.py" scale 10000 "$out/s10000"
"$py" "$root/bench/gen.py" rbac 10000 1000 "$out/rbac"

# shellcheck disable=SC2086 # $pass holds separate options
exec "$py" "$root/bench/measure.py" --agentlint "$agentlint" --floor "$out/floor" \
    --big "$out/big" --small "$out/small" --scale "$out/s1000" "$out/s10000" \
    --rbac "$out/rbac" $pass
