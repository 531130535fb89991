#!/bin/sh
# Build every libFuzzer target fuzz/fuzz_*.c with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, from the library's sources (not the gcc-built
# archive): build/fuzz/<target>.
#
# Usage: fuzz/build.sh [BUILD]   (BUILD: where make keeps gen/schema_data.c; default build)
# The Makefile passes LIB_SRC (its list of library sources); run alone, the
# same directories are globbed.
set -eu
cd "$(dirname "$0")/.."

BUILD=${1:-build}
OUT=build/fuzz
CC=${FUZZ_CC:-clang}
VERSION=$(sed -n 's/^VERSION *:= *//p' Makefile)
PKGS="libfyaml yaml-0.1 libgit2 oniguruma zlib"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-std=c11 -g -O1 $SAN -I. -D_GNU_SOURCE -DAL_VERSION=\"$VERSION\" $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lmbedcrypto -lm"

command -v "$CC" >/dev/null 2>&1 || {
    echo "fuzz/build.sh: $CC is required (Debian: apt-get install clang libclang-rt-14-dev)" >&2
    exit 1
}

if [ -z "${LIB_SRC:-}" ]; then
    LIB_SRC=$(ls common/*.c model/*.c access/*.c kube/*.c perm/*.c checks/*.c checks/rules/*.c views/*.c views/rbac/*.c cli/*.c \
        2>/dev/null | grep -v '^cli/main\.c$')
fi
# Data compiled in: the schema, and Kubernetes' default roles per version.
if [ -z "${GEN_SRC:-}" ]; then
    GEN_SRC=$(for f in kube/defaults/*.yaml; do
        [ -f "$f" ] && echo "$BUILD/gen/kube_defaults_$(basename "$f" .yaml).c"; done)
fi
make -s "BUILD=$BUILD" "$BUILD/gen/schema_data.c" $GEN_SRC

mkdir -p "$OUT/obj"
# An object is rebuilt when its source, or any header, is newer.
src_dirs=$(for d in common model access kube perm checks views cli fuzz; do [ -d "$d" ] && echo "$d"; done)
newest_header=$(ls -t $(find $src_dirs -name '*.h') | head -1)
objs=""
for src in $LIB_SRC "$BUILD/gen/schema_data.c" $GEN_SRC; do
    obj="$OUT/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')"
    objs="$objs $obj"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_header" -nt "$obj" ]; then
        echo "  CC $src"
        $CC $CFLAGS -fsanitize=fuzzer-no-link -c -o "$obj" "$src"
    fi
done

for target in fuzz/fuzz_*.c; do
    name=$(basename "$target" .c)
    echo "  LD $OUT/$name"
    $CC $CFLAGS -fsanitize=fuzzer -o "$OUT/$name" "$target" $objs $LIBS
done
