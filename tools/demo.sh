#!/bin/sh
# make demo: on a fresh Debian machine, install what the build needs (as root;
# otherwise print the one apt-get line to run and stop), build agentlint, turn
# testdata/demo/ into a real git repository with one commit, and show what
# agentlint finds in it. Exits 0 when the demo ran, findings and all.
#
#   DEMO_DIR   where the demo repository goes (default build/demo; replaced)
#   AGENTLINT  an already built binary to use instead of building one
set -eu
cd "$(dirname "$0")/.."

DEBS="gcc make pkg-config git libfyaml-dev libyaml-dev libgit2-dev libcmocka-dev libmbedtls-dev libonig-dev"
DEMO=${DEMO_DIR:-build/demo}

say() {
    if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
        printf '\n\033[1m== %s\033[0m\n' "$*"
    else
        printf '\n== %s\n' "$*"
    fi
}

install_missing() {
    missing=""
    for p in $DEBS; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "demo: missing Debian packages; run this as root, then make demo again:" >&2
        echo "  apt-get install -y$missing" >&2
        exit 1
    fi
    say "installing$missing"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing ||
        { apt-get update && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y --no-install-recommends $missing; }
}

build() {
    if [ -n "${AGENTLINT:-}" ]; then
        BIN=$AGENTLINT
        return
    fi
    say "building agentlint"
    make -s
    BIN=$(pwd)/build/agentlint
}

# A repository with one commit, so that --rev, --staged and the working tree
# all have something to read.
make_repo() {
    rm -rf "$DEMO"
    mkdir -p "$DEMO"
    cp -R testdata/demo/. "$DEMO/"
    export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
    export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.invalid
    export GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.invalid
    git -C "$DEMO" init -q -b main
    git -C "$DEMO" add -A
    git -C "$DEMO" commit -q -m "Agent configurations"
    git -C "$DEMO" remote add origin git@gitlab.example.com:demo-group/agent-configs.git
}

run_check() {
    say "agentlint --rev HEAD   (in $DEMO: $(cd "$DEMO" && find .gitlab -type f | sort | tr '\n' ' '))"
    set +e
    (cd "$DEMO" && "$BIN" --rev HEAD)
    rc=$?
    set -e
    # 1 means findings, which is what the demo is for; 2 means agentlint failed.
    [ "$rc" -le 1 ] || { echo "demo: agentlint failed (exit $rc)" >&2; exit "$rc"; }
}

# ---- access matrix --------------------------------------------------------
# Who can use which agent, where and as whom; then one job's question: can a
# review-app job of demo-group/frontend/storefront use the agents?
run_explain() {
    say "agentlint explain --rev HEAD   (the access matrix)"
    (cd "$DEMO" && "$BIN" explain --rev HEAD)
    say "agentlint explain --rev HEAD --project demo-group/frontend/storefront --environment review/fix-cart"
    (cd "$DEMO" && "$BIN" explain --rev HEAD --project demo-group/frontend/storefront \
        --environment review/fix-cart 2>/dev/null)
}
# ---------------------------------------------------------------------------

install_missing
build
make_repo
run_check
run_explain
say "done: the demo repository is $DEMO (try: agentlint -C $DEMO -f json)"
exit 0
