# Sourced by the tools/ scripts: `need PKG...` installs the Debian packages
# that are missing (as root; otherwise it prints the apt-get line to run and
# exits 2). The caller sets NEED_WHO, the name its messages start with.
need() {
    missing=""
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "$NEED_WHO: missing Debian packages; run as root: apt-get install -y$missing" >&2
        exit 2
    fi
    echo "$NEED_WHO: installing$missing"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >/dev/null ||
        { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y --no-install-recommends $missing >/dev/null; }
}
