#!/bin/sh
# Print the commit agentlint is built from, for `agentlint --version`:
# $AL_COMMIT when set (a build with no .git, e.g. the container image, passes
# it in), else `git describe` of this checkout (only when the checkout itself
# is the git work tree, not a tarball unpacked inside another repository),
# else tools/COMMIT, which `git archive` fills in (export-subst), else "unknown".
cd "$(dirname "$0")/.."
clean() { tr -cd 'A-Za-z0-9._+-' | cut -c1-64; }
if [ -n "${AL_COMMIT:-}" ]; then
    printf '%s' "$AL_COMMIT" | clean
elif [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$(pwd -P)" ]; then
    git describe --tags --long --always --dirty --abbrev=12 --match 'v[0-9]*' 2>/dev/null | clean
elif [ -f tools/COMMIT ] && ! grep -q 'Format:' tools/COMMIT; then
    head -1 tools/COMMIT | clean
fi | grep . || echo unknown
