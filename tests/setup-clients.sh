#!/bin/sh
# Set up the real clients the tests use (pre-commit, zsh for the completion,
# gitlab-ci-local, ...), when missing: Debian packages (when run as root;
# otherwise print the one apt-get line to run) and pinned npm packages into
# tests/.clients. A client that cannot be had fails the run:
# tests never skip for want of one.
set -eu
cd "$(dirname "$0")/.."

# g++ and make: gitlab-ci-local's re2 dependency compiles its addon when npm
# installs it (no prebuilt binary is reachable). golang-*: tests/kasdiff (the
# agent server's yaml.v2 + protojson), built offline from /usr/share/gocode.
# ruby: tests/unit/test_envmatch_ruby (the legacy matcher against Ruby's regexps).
# openssh-client: gitlab-ci-local reads an scp-like origin's port with `ssh -G`;
# without ssh it falls back to the project path fallback.group/fallback.project.
DEBS="git python3 python3-yaml python3-jsonschema cmark-gfm pre-commit rsync zsh graphviz chromium
      g++ make golang-go golang-k8s-sigs-yaml-dev golang-google-protobuf-dev ruby
      openssh-client"
missing=""
for p in $DEBS; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "setup-clients: installing Debian packages:$missing"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing \
            >/dev/null 2>&1 || {
            apt-get update >/dev/null 2>&1
            DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
        }
    else
        echo "setup-clients: missing Debian packages; run as root:" >&2
        echo "  apt-get install -y$missing" >&2
        exit 1
    fi
fi

for c in node npm; do
    command -v "$c" >/dev/null 2>&1 || {
        echo "setup-clients: $c (Node.js) is required for the SARIF and GitLab CI tests" >&2
        exit 1
    }
done

command -v kubectl >/dev/null 2>&1 || {
    echo "setup-clients: kubectl is required for the RBAC tests and is not on PATH" >&2
    exit 1
}

# npm clients, pinned. `npm ci`-like: install only when the pinned version is absent.
CLIENTS=tests/.clients
pin() { # name version
    if [ ! -f "$CLIENTS/node_modules/$1/package.json" ] ||
        ! grep -q "\"version\": \"$2\"" "$CLIENTS/node_modules/$1/package.json"; then
        echo "setup-clients: npm install $1@$2"
        mkdir -p "$CLIENTS"
        # re2 (gitlab-ci-local's) first tries a prebuilt addon from GitHub,
        # which a machine that reaches only the npm registry may wait on for
        # good: build it from source at once (g++ and make are installed).
        DEVELOPMENT_SKIP_GETTING_ASSET=1 npm install --prefix "$CLIENTS" --no-audit --no-fund --loglevel=error "$1@$2" >/dev/null
    fi
}
pin @microsoft/sarif-multitool 5.7.0
pin gitlab-ci-local 4.56.2
# npm does not run the multitool's install script: make its binary executable.
chmod u+x "$CLIENTS"/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool 2>/dev/null || true
exit 0
