#!/bin/sh
# Lay out the container image's whole file system (run inside the Containerfile's
# build stage, a Debian 12 root): agentlint, a shell and the usual commands
# (busybox: GitLab's runner starts `sh` and a job's script needs `cat`,
# `mkdir`...), git with HTTPS (the CI template's diff job fetches the merge
# request's base commit) and the CA bundle, and the shared libraries these
# programs load, copied from the Debian packages that installed them. busybox
# is Debian's dynamically linked one: the static one carries its own libc,
# a megabyte the image has already.
#
#   tools/image-rootfs.sh AGENTLINT_BINARY DEST
set -eu
BIN=$1
DEST=$2
LIBDIR=usr/lib/x86_64-linux-gnu

rm -rf "$DEST"
mkdir -p "$DEST/usr/bin" "$DEST/$LIBDIR" "$DEST/usr/lib64" "$DEST/usr/lib/git-core" \
    "$DEST/etc/ssl/certs" "$DEST/tmp" "$DEST/root" "$DEST/src" "$DEST/dev" "$DEST/proc"
chmod 1777 "$DEST/tmp"
# Debian 12 is merged-/usr: /bin, /lib and /lib64 are links into /usr.
for d in bin lib lib64 sbin; do
    ln -s "usr/$d" "$DEST/$d"
done
mkdir -p "$DEST/usr/sbin"

# Stripped: debug symbols are a megabyte the image has no use for.
install -m 755 "$BIN" "$DEST/usr/bin/agentlint"
strip --strip-all "$DEST/usr/bin/agentlint"
install -m 755 /bin/busybox "$DEST/usr/bin/busybox"
for applet in $(/bin/busybox --list); do
    [ -e "$DEST/usr/bin/$applet" ] || ln -s busybox "$DEST/usr/bin/$applet"
done
install -m 755 /usr/bin/git "$DEST/usr/bin/git"
install -m 755 /usr/lib/git-core/git-remote-http "$DEST/usr/lib/git-core/git-remote-http"
ln -s git-remote-http "$DEST/usr/lib/git-core/git-remote-https"
ln -s ../../bin/git "$DEST/usr/lib/git-core/git"
install -m 644 /etc/ssl/certs/ca-certificates.crt "$DEST/etc/ssl/certs/ca-certificates.crt"

# Every library the programs above load, at its real path, with the name the
# loader asks for as a link to it.
for elf in "$DEST/usr/bin/agentlint" "$DEST/usr/bin/busybox" "$DEST/usr/bin/git" \
    "$DEST/usr/lib/git-core/git-remote-http"; do
    ldd "$elf" | sed -n 's|.*=> \(/[^ ]*\) .*|\1|p; s|^[[:space:]]*\(/[^ ]*\) (.*|\1|p'
done | sort -u | while read -r lib; do
    real=$(readlink -f "$lib")
    [ -f "$DEST$real" ] || install -D -m 644 "$real" "$DEST$real"
    want=$(printf '%s' "$lib" | sed 's|^/lib|/usr/lib|')
    [ "$want" = "$real" ] || [ -e "$DEST$want" ] || ln -s "$(basename "$real")" "$DEST$want"
done
# The loader's own name (/lib64/ld-linux-x86-64.so.2) points into the library directory.
[ -e "$DEST/usr/lib64/ld-linux-x86-64.so.2" ] ||
    ln -sf "../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$DEST/usr/lib64/ld-linux-x86-64.so.2"
chmod 755 "$DEST"/$LIBDIR/ld-linux-x86-64.so.2

cat >"$DEST/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
PW
cat >"$DEST/etc/group" <<'GR'
root:x:0:
nogroup:x:65534:
GR
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$DEST/etc/nsswitch.conf"
# A repository mounted by another user (pre-commit runs the image as the
# caller's uid) is still one git may read.
printf '[safe]\n\tdirectory = *\n' >"$DEST/etc/gitconfig"
ldconfig -r "$DEST"
