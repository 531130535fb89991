#!/bin/sh
# make release: tag the checked-out commit as release vVERSION (VERSION from
# the Makefile) after checking that it is one: a clean tree, the version the
# same in CHANGELOG.md (a dated section), debian/changelog and the man page,
# no such tag yet, and the checks green (RELEASE_CHECKS, default: the format
# check and the whole test suite). Creates an annotated tag whose message is
# the CHANGELOG section; pushing it and publishing the package and the image
# stay manual steps (printed at the end; README, "Releasing").
set -eu
cd "$(dirname "$0")/.."
V=${1:?usage: tools/release.sh VERSION}
TAG=v$V
die() {
    echo "release: $*" >&2
    exit 2
}

echo "$V" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$' || die "VERSION '$V' is not X.Y.Z"
[ -z "$(git status --porcelain)" ] || die "the tree has uncommitted changes: commit or stash them first"
! git rev-parse -q --verify "refs/tags/$TAG" >/dev/null || die "tag $TAG exists already: bump VERSION in the Makefile"
notes=$(awk -v v="$V" '
    $0 ~ "^## \\[" v "\\] - [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$" { on = 1; next }
    on && /^## / { exit }
    on { print }' CHANGELOG.md)
[ -n "$(echo "$notes" | tr -d '[:space:]')" ] ||
    die "CHANGELOG.md has no dated section '## [$V] - YYYY-MM-DD' with notes: move the Unreleased notes there"
deb=$(sed -n '1s/^agentlint (\([^)]*\)).*/\1/p' debian/changelog)
[ "$deb" = "$V" ] || die "debian/changelog's first entry is $deb, not $V: add one (dch -v $V)"
grep -q "^\.TH AGENTLINT 1 .*\"agentlint $V\"" man/agentlint.1 || die "man/agentlint.1's .TH line does not say agentlint $V"

echo "release: checking $TAG: ${RELEASE_CHECKS:=make format-check test WERROR=1 -j2}"
sh -c "$RELEASE_CHECKS" || die "the checks failed; nothing was tagged"
[ -z "$(git status --porcelain)" ] || die "the checks changed the tree; nothing was tagged"

printf 'agentlint %s\n\n%s\n' "$V" "$notes" | git tag -a --cleanup=verbatim "$TAG" -F -
echo "release: tagged $TAG ($(git rev-parse --short=12 "$TAG^{commit}")). Next:"
echo "  git push origin $TAG"
echo "  make deb image    # then upload build/agentlint_${V}_amd64.deb to the generic package registry"
echo "                    # (agentlint/$V) and push localhost/agentlint:$V to the container registry"
