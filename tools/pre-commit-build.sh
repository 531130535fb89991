#!/bin/sh
# The `agentlint-build` pre-commit hook: pre-commit runs this from its clone of
# agentlint's repository (at the `rev` the user pinned), in the user's
# repository. Build agentlint there once (make, quietly; the build packages
# of README "Set up" must be installed), then run it with the hook's arguments.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd -P)
bin=$root/build/agentlint
if [ ! -x "$bin" ]; then
    echo "agentlint-build: building agentlint in $root (once)" >&2
    # A make that runs git (and so pre-commit) must not hand its variables
    # (BUILD, SAN, -j) to this build: it builds build/agentlint, plainly.
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$root" -j2 BUILD=build build/agentlint \
        >/dev/null || {
        echo "agentlint-build: the build failed; install the build packages: apt-get install gcc make pkg-config libfyaml-dev libyaml-dev libgit2-dev libonig-dev libmbedtls-dev zlib1g-dev" >&2
        exit 2
    }
fi
exec "$bin" "$@"
