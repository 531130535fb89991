#!/bin/sh
# The container image (make image, make image-test; README, "Installing").
#
#   tools/image.sh build [BUILD]  build localhost/agentlint:<version> (and :latest)
#                                 from Containerfile, on a Debian 12 base made
#                                 with mmdebstrap (no registry needed); write
#                                 BUILD/agentlint-image.tar (podman/docker load)
#   tools/image.sh test [BUILD]   unpack the image's file system and run what a
#                                 user runs in it, with chroot (podman run is not
#                                 available everywhere): --version, a shell,
#                                 git's HTTPS helper, and the CLI, pre-commit
#                                 and CI template tests (tests/image-tests)
#
# Needs root (podman, mmdebstrap, chroot). IMAGE_BASE_REFRESH=1 rebuilds the base.
set -eu
cd "$(dirname "$0")/.."
CMD=${1:-}
BUILD=${2:-build}
VERSION=$(sed -n 's/^VERSION *:= *//p' Makefile)
IMAGE=localhost/agentlint:$VERSION
WORK=$BUILD/image
BASE_DEBS="gcc,libc6-dev,make,pkgconf,libfyaml-dev,libyaml-dev,libgit2-dev,libmbedtls-dev,libonig-dev,zlib1g-dev,busybox,git,ca-certificates"
# The base's tag names its package list: a new list makes a new base.
BASE=localhost/agentlint-build-base:bookworm-$(echo "$BASE_DEBS" | md5sum | cut -c1-8)

die() {
    echo "image: $*" >&2
    exit 2
}

. tools/need.sh
NEED_WHO=image

build() {
    [ "$(id -u)" = 0 ] || die "building the image needs root (podman, mmdebstrap)"
    need podman mmdebstrap
    if [ "${IMAGE_BASE_REFRESH:-0}" = 1 ] || ! podman image exists "$BASE"; then
        echo "image: making the Debian 12 base $BASE (mmdebstrap, a few minutes)"
        mmdebstrap --quiet --variant=apt --include="$BASE_DEBS" bookworm - |
            podman import --quiet - "$BASE" >/dev/null || die "could not make the base image"
    fi
    podman build --quiet --isolation chroot --build-arg "BASE=$BASE" \
        --build-arg "AL_COMMIT=$(tools/commit.sh)" -t "$IMAGE" -t localhost/agentlint:latest \
        -f Containerfile . >/dev/null || die "podman build failed"
    mkdir -p "$WORK"
    rm -f "$BUILD/agentlint-image.tar"
    podman save --quiet --format docker-archive -o "$BUILD/agentlint-image.tar" "$IMAGE"
    size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
    echo "image: $IMAGE, $((size / 1000000)) MB ($size bytes); saved as $BUILD/agentlint-image.tar"
    [ "$size" -lt 30000000 ] || die "the image is $size bytes, over the 30 MB goal"
}

# The image's file system, as a container would see it.
unpack() {
    podman image exists "$IMAGE" || die "$IMAGE is missing: make image"
    rm -rf "$WORK/rootfs"
    mkdir -p "$WORK/rootfs"
    id=$(podman create "$IMAGE")
    podman export "$id" | tar -xf - -C "$WORK/rootfs"
    podman rm "$id" >/dev/null
}

test_image() {
    [ "$(id -u)" = 0 ] || die "the image test needs root (chroot, mounts)"
    unpack
    ROOTFS=$(cd "$WORK/rootfs" && pwd -P)
    entry=$(podman image inspect --format '{{index .Config.Entrypoint 0}}' "$IMAGE")
    ROOTFS=$ROOTFS VERSION=$VERSION IMAGE=$IMAGE IMAGE_ENTRYPOINT=$entry tests/image-tests
}

case "$CMD" in
build) build ;;
test) test_image ;;
*) die "usage: tools/image.sh build|test [BUILD]" ;;
esac
