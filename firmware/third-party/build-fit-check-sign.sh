#!/usr/bin/env bash
# Builds U-Boot's fit_check_sign (the host tool that checks a FIT's signatures against a control
# DTB exactly as U-Boot does) into firmware/third-party/cache/fit_check_sign. Debian's
# u-boot-tools package ships mkimage and dumpimage but not fit_check_sign, so it is built here
# from Debian's own U-Boot source package, the same version as the pinned u-boot-qemu image
# (fetch.sh). Nothing from it is committed.
#
# Usage: firmware/third-party/build-fit-check-sign.sh     prints the path of fit_check_sign
# Needs: apt-get with deb-src entries for bookworm (e.g. 'Types: deb deb-src' in
# /etc/apt/sources.list.d/debian.sources), dpkg-dev, gcc, make, bison, flex, libssl-dev,
# libgnutls28-dev, uuid-dev. Or set UBOOT_SRC=DIR to build from a U-Boot v2023.01 tree you have.
set -euo pipefail

VERSION=2023.01+dfsg-2+deb12u3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="$here/cache"
out="$cache/fit_check_sign"

die() {
    echo "build-fit-check-sign.sh: $*" >&2
    exit 1
}

if [[ -x "$out" ]]; then
    echo "$out"
    exit 0
fi
for tool in make gcc bison flex; do
    command -v "$tool" >/dev/null || die "$tool not found; apt-get install -y build-essential bison flex libssl-dev libgnutls28-dev uuid-dev"
done
mkdir -p "$cache"
src="${UBOOT_SRC:-}"
if [[ -z "$src" ]]; then
    work="$cache/u-boot-source"
    rm -rf "$work"
    mkdir -p "$work"
    (cd "$work" && apt-get source --download-only "u-boot=$VERSION" >&2) \
        || die "apt-get source u-boot=$VERSION failed: enable deb-src for bookworm (Types: deb deb-src) and apt-get update, or set UBOOT_SRC"
    (cd "$work" && dpkg-source --no-check -x ./*.dsc tree >&2) || die "dpkg-source could not unpack the source package"
    src="$work/tree"
fi
[[ -f "$src/tools/fit_check_sign.c" ]] || die "$src does not look like a U-Boot source tree (no tools/fit_check_sign.c)"
build="$cache/u-boot-tools-build"
rm -rf "$build"
make -s -C "$src" O="$build" tools-only_defconfig >&2
make -s -C "$src" O="$build" -j"$(nproc)" tools-only NO_SDL=1 >&2
cp "$build/tools/fit_check_sign" "$out"
echo "$out"
