#!/bin/sh
# The Debian package (make deb, make deb-test; README, "Installing").
#
#   tools/deb.sh build [BUILD]  BUILD/agentlint_<version>_amd64.deb from the
#                               tracked files, with dpkg-buildpackage (debian/),
#                               then lintian (fails on an error or a warning)
#   tools/deb.sh test [BUILD]   install that .deb with apt into a fresh Debian 12
#                               root (mmdebstrap), check it, remove it, and check
#                               that nothing is left behind
#
# Needs root for the Debian packages it installs when they are missing and for
# the test's root; everything it writes is under BUILD (default build).
set -eu
cd "$(dirname "$0")/.."
CMD=${1:-}
BUILD=${2:-build}
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd -P)
VERSION=$(sed -n 's/^VERSION *:= *//p' Makefile)
DEB="$BUILD/agentlint_${VERSION}_amd64.deb"

die() {
    echo "deb: $*" >&2
    exit 2
}

. tools/need.sh
NEED_WHO=deb

build() {
    need dpkg-dev debhelper lintian pkg-config libfyaml-dev libyaml-dev libgit2-dev \
        libmbedtls-dev libonig-dev
    changelog=$(dpkg-parsechangelog -S Version)
    [ "$changelog" = "$VERSION" ] ||
        die "debian/changelog says $changelog but the Makefile's VERSION is $VERSION: add a debian/changelog entry (dch -v $VERSION)"
    git rev-parse --git-dir >/dev/null 2>&1 || die "make deb packages the tracked files: run it in a git checkout"
    # dpkg-buildpackage writes beside the source tree: build a copy under BUILD.
    top="$BUILD/deb-src"
    src="$top/agentlint-$VERSION"
    rm -rf "$top"
    mkdir -p "$src"
    git ls-files -z | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$src"
    AL_COMMIT=$(tools/commit.sh)
    export AL_COMMIT
    (cd "$src" && dpkg-buildpackage -b -us -uc --no-sign >../build.log 2>&1) || {
        tail -30 "$top/build.log" >&2
        die "dpkg-buildpackage failed (log: $top/build.log)"
    }
    mv "$top/agentlint_${VERSION}_amd64.deb" "$DEB"
    echo "deb: $DEB ($(du -k "$DEB" | cut -f1) KB); depends: $(dpkg-deb -f "$DEB" Depends)"
    lintian --fail-on error,warning --suppress-tags-from-file debian/lintian-ignored "$DEB" ||
        die "lintian reports the package above"
}

# A fresh root with apt; the checks run inside it as mmdebstrap hooks.
test_deb() {
    [ -f "$DEB" ] || die "$DEB is missing: make deb"
    [ "$(id -u)" = 0 ] || die "the package test builds a Debian root: run it as root"
    need mmdebstrap git
    work="$BUILD/deb-test"
    rm -rf "$work"
    mkdir -p "$work/in"
    cp "$DEB" "$work/in/agentlint.deb"
    # The demo repository, made here (the root has no git) and its expected findings.
    DEMO_DIR="$work/in/demo" AGENTLINT=/bin/true tools/demo.sh >/dev/null 2>&1 ||
        die "tools/demo.sh could not make the demo repository"
    echo "$VERSION" >"$work/in/version"
    cp tools/deb-test-inside.sh "$work/in/"
    python3 -c 'import sys, yaml; print("\n".join(yaml.safe_load(open(sys.argv[1]))[".agentlint"]["before_script"]))' \
        ci/agentlint.gitlab-ci.yml >"$work/in/ci-before-script.sh"
    mmdebstrap --quiet --variant=apt \
        --customize-hook="mkdir -p \"\$1/deb-test\"" \
        --customize-hook="copy-in $work/in/. /deb-test" \
        --customize-hook="chroot \"\$1\" sh /deb-test/deb-test-inside.sh" \
        --customize-hook="copy-out /deb-test/out $work" \
        bookworm /dev/null || die "the package test failed (see above)"
    verify "$work/out" "$work/in/demo"
    echo "deb-test: ok ($(cat "$work/out/summary"))"
}

# What the installed agentlint said, against what it should say: the built
# binary's own output on the same repository, and the demo's known findings.
verify() { # out demo
    built="$BUILD/deb-src/agentlint-$VERSION/build/deb/agentlint"
    [ "$(head -1 "$1/version")" = "agentlint $VERSION" ] ||
        die "the installed agentlint --version says: $(head -1 "$1/version")"
    [ "$(cat "$1/check.rc")" = 1 ] || die "check of the demo exited $(cat "$1/check.rc"), not 1"
    for lib in libgit2 libfyaml libyaml; do
        grep -q "$lib" "$1/depends" || die "Depends lacks $lib: $(cat "$1/depends")"
    done
    (cd "$2" && "$built" --rev HEAD --color never >"$1/check.expected" 2>&1) || true
    cmp -s "$1/check.txt" "$1/check.expected" ||
        die "the installed agentlint's check differs from the built one's: diff $1/check.txt $1/check.expected"
    python3 - "$1/check.json" <<'PY' || die "the installed agentlint's JSON lacks the demo's findings"
import json, sys
r = json.load(open(sys.argv[1]))
rules = {f["rule"] for f in r["findings"]}
assert {"unknown-key", "file-name", "access-as"} <= rules, rules
assert sorted(a["name"] for a in r["agents"]) == ["production", "review", "staging"]
PY
}

case "$CMD" in
build) build ;;
test) test_deb ;;
*) die "usage: tools/deb.sh build|test [BUILD]" ;;
esac
