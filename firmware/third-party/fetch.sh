#!/usr/bin/env bash
# Fetches Debian's U-Boot for QEMU's 32-bit virt board (qemu_arm) the way a user would: the
# u-boot-qemu package via `apt-get download`, unpacked with `dpkg-deb -x`, and keeps only
# usr/lib/u-boot/qemu_arm/u-boot.bin in firmware/third-party/cache/ (ignored by git: nothing
# from the package is committed). The image's SHA-256 is pinned below; a different package
# version or image fails with the expected and actual values named.
#
# Usage: firmware/third-party/fetch.sh        prints the path of u-boot.bin on stdout
# Works as root or not (apt-get download needs no privileges); needs apt-get and dpkg-deb.
set -euo pipefail

PACKAGE=u-boot-qemu
# Debian 12 (bookworm) security/point release this hash was taken from.
EXPECTED_VERSION=2023.01+dfsg-2+deb12u3
EXPECTED_SHA256=b15cffcaffe609ad0f626d62a5e0818f6b4ed6045b7315b8d653c8c7b013356f
MEMBER=usr/lib/u-boot/qemu_arm/u-boot.bin

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="$here/cache"
out="$cache/u-boot.bin"

die() {
    echo "fetch.sh: $*" >&2
    exit 1
}

sha256() {
    sha256sum "$1" | cut -d' ' -f1
}

# Already fetched and intact: nothing to do.
if [[ -f "$out" && "$(sha256 "$out")" == "$EXPECTED_SHA256" ]]; then
    echo "$out"
    exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found; this script needs a Debian-based system to download $PACKAGE"
command -v dpkg-deb >/dev/null || die "dpkg-deb not found; install the dpkg package"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# apt-get download writes into the current directory. As root, apt drops privileges to the
# _apt user for downloads, which cannot write into a private mktemp directory: allow it.
chmod 0777 "$tmp"
(cd "$tmp" && apt-get download -q "$PACKAGE" >&2) \
    || die "apt-get download $PACKAGE failed (is $PACKAGE in your apt sources? try 'apt-get update')"

debs=("$tmp"/"${PACKAGE}"_*.deb)
[[ -f "${debs[0]}" ]] || die "apt-get download left no ${PACKAGE}_*.deb in $tmp"
deb="${debs[0]}"
version="$(dpkg-deb -f "$deb" Version)"
if [[ "$version" != "$EXPECTED_VERSION" ]]; then
    die "$PACKAGE version $version was downloaded; expected $EXPECTED_VERSION (the pinned SHA-256 belongs to that version; update EXPECTED_VERSION and EXPECTED_SHA256 in $0 after checking the new image)"
fi

dpkg-deb -x "$deb" "$tmp/root"
[[ -f "$tmp/root/$MEMBER" ]] || die "$deb has no $MEMBER"
actual="$(sha256 "$tmp/root/$MEMBER")"
if [[ "$actual" != "$EXPECTED_SHA256" ]]; then
    die "$MEMBER from $PACKAGE $version has SHA-256 $actual; expected $EXPECTED_SHA256"
fi

mkdir -p "$cache"
cp "$tmp/root/$MEMBER" "$out.part"
mv "$out.part" "$out"
echo "$out"
