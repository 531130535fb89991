#!/bin/sh
# Run by tools/deb.sh test inside a fresh Debian 12 root (as root, from an
# mmdebstrap hook): install /deb-test/agentlint.deb with apt, run it, purge it
# and its dependencies, and check the root is as before. Results go to
# /deb-test/out for tools/deb.sh to compare on the host.
set -eu
T=/deb-test
OUT=$T/out
mkdir -p "$OUT"
export DEBIAN_FRONTEND=noninteractive

fail() {
    echo "deb-test: $*" >&2
    exit 1
}

# Every path on the root but the virtual file systems, this test's folder and
# the caches and logs apt and dpkg keep for themselves.
snapshot() {
    find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path "$T" \
        -o -path /tmp -o -path /var/cache -o -path /var/log -o -path /var/lib/apt \
        -o -name '*-old' \) -prune -o -print | sort
}

snapshot >"$OUT/before"
apt-get install -y -q "$T/agentlint.deb" >"$OUT/install.log" 2>&1 ||
    { cat "$OUT/install.log" >&2; fail "apt-get install ./agentlint.deb failed"; }
dpkg -L agentlint >"$OUT/files"
for f in /usr/bin/agentlint /usr/share/man/man1/agentlint.1.gz \
    /usr/share/bash-completion/completions/agentlint /usr/share/zsh/vendor-completions/_agentlint \
    /usr/share/agentlint/agentlint.gitlab-ci.yml /usr/share/agentlint/pre-commit-config.yaml \
    /usr/share/doc/agentlint/copyright; do
    grep -qx "$f" "$OUT/files" && [ -f "$f" ] || fail "the package does not install $f"
done
zcat /usr/share/man/man1/agentlint.1.gz | grep -q '^\.TH AGENTLINT' || fail "the man page is not one"
dpkg-query -W -f='${Depends}\n' agentlint >"$OUT/depends"
agentlint --version >"$OUT/version"

cd "$T/demo"
rc=0
agentlint --rev HEAD --color never >"$OUT/check.txt" 2>&1 || rc=$?
echo "$rc" >"$OUT/check.rc"
agentlint --rev HEAD -f json >"$OUT/check.json" 2>/dev/null || true
cd /

apt-get purge -y -q agentlint >"$OUT/purge.log" 2>&1 || fail "apt-get purge agentlint failed"
apt-get autoremove --purge -y -q >>"$OUT/purge.log" 2>&1 || fail "apt-get autoremove failed"
while read -r f; do
    [ -d "$f" ] || [ ! -e "$f" ] || fail "$f is still there after apt-get purge"
done <"$OUT/files"
snapshot >"$OUT/after"
diff "$OUT/before" "$OUT/after" >"$OUT/left" || fail "the root differs after purge and autoremove: $(head -20 "$OUT/left")"

# The CI template's way (AGENTLINT_DEB_URL in a Debian 12 image): its
# before_script downloads the package with curl, which it installs first.
rc=0
AGENTLINT_DEB_URL="file://$T/agentlint.deb" CI_API_V4_URL=https://gitlab.example.invalid/api/v4 \
    CI_JOB_TOKEN=secret CI_PROJECT_DIR=/tmp sh -e "$T/ci-before-script.sh" >"$OUT/ci.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "the CI template's before_script failed ($rc): $(tail -5 "$OUT/ci.log")"
grep -qx "agentlint $(cat "$T/version")" "$OUT/ci.log" || fail "the CI template's install did not run agentlint: $(tail -5 "$OUT/ci.log")"

echo "$(grep -c . "$OUT/files") paths installed, $(grep -c '^Setting up' "$OUT/install.log") packages set up, none left after purge; the CI template installed it from AGENTLINT_DEB_URL" >"$OUT/summary"
