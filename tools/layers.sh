#!/bin/sh
# tools/layers.sh: fail when a source file includes a header of a higher layer
# (tools/layers lists them, lowest first), or lives in a directory no layer
# names. Tests, fuzz targets, the bench and the tools may include anything.
set -eu
cd "$(dirname "$0")/.."
git ls-files --cached --others --exclude-standard '*.c' '*.h' | grep -v '^\(tests\|fuzz\|bench\|tools\|build\)/' |
    awk -v layers=tools/layers '
    BEGIN {
        n = 0
        while ((getline line < layers) > 0) {
            if (line ~ /^#/ || line == "") continue
            rank[line] = ++n
        }
    }
    {
        file = $0
        split(file, p, "/")
        if (!(p[1] in rank)) {
            printf "%s: directory %s is in no layer; add it to tools/layers\n", file, p[1]
            bad++
            next
        }
        while ((getline line < file) > 0) {
            if (line !~ /^#include "/) continue
            hdr = line
            sub(/^#include "/, "", hdr)
            sub(/".*/, "", hdr)
            split(hdr, h, "/")
            if (!(h[1] in rank)) continue
            if (rank[h[1]] > rank[p[1]]) {
                printf "%s: includes %s, a layer above %s (tools/layers)\n", file, hdr, p[1]
                bad++
            }
            edges++
        }
        close(file)
    }
    END {
        if (bad) { printf "layers: %d upward include(s)\n", bad; exit 1 }
        printf "layers: %d include edges, none upward\n", edges
    }'
