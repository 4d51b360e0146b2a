#!/usr/bin/env bash
# Fetches Debian's own 32-bit ARM Linux and busybox the way a user would: the armhf packages
# linux-image-6.1.0-57-armmp and busybox-static via `apt-get download`, unpacked with `dpkg-deb -x`,
# keeping only the kernel (zImage), its System.map (from the -dbg package: the image package's
# boot/System.map is a placeholder) and the static busybox binary in
# firmware/third-party/cache/ (ignored by git: nothing from the packages is committed). Every file's
# SHA-256 is pinned below; another package version or file fails with expected and actual named.
#
# Usage: firmware/third-party/fetch-linux.sh      prints the cache directory on stdout
# Needs apt-get and dpkg-deb, and armhf among dpkg's architectures; as root it adds armhf
# (dpkg --add-architecture armhf; apt-get update) when it is missing.
set -euo pipefail

KERNEL_PACKAGE=linux-image-6.1.0-57-armmp
KERNEL_VERSION=6.1.192-3
DEBUG_PACKAGE=linux-image-6.1.0-57-armmp-dbg
BUSYBOX_PACKAGE=busybox-static
BUSYBOX_VERSION=1:1.35.0-4+deb12u1+b1
# member path in its package | name in the cache | SHA-256
FILES=(
    "$KERNEL_PACKAGE|boot/vmlinuz-6.1.0-57-armmp|vmlinuz-armmp|41ae0a8ffadcdbecce5b129e12f1751e0ccaf42fdf0604ab74c414b95789d481"
    "$DEBUG_PACKAGE|usr/lib/debug/boot/System.map-6.1.0-57-armmp|System.map-armmp|03e49940ae659b3b1303009e8bf940b9a43a2f0607dbc016db2d30fb27c0f743"
    "$BUSYBOX_PACKAGE|bin/busybox|busybox-armhf|9b89dbebc390b4b9174a449df18b422892387bf35717a63cf1e0aef5b4e8dcfe"
)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="$here/cache"

die() {
    echo "fetch-linux.sh: $*" >&2
    exit 1
}

sha256() {
    sha256sum "$1" | cut -d' ' -f1
}

intact=1
for f in "${FILES[@]}"; do
    IFS='|' read -r _ _ name hash <<<"$f"
    if [[ ! -f "$cache/$name" || "$(sha256 "$cache/$name")" != "$hash" ]]; then
        intact=0
    fi
done
if [[ $intact == 1 ]]; then
    echo "$cache"
    exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found; this script needs a Debian-based system to download $KERNEL_PACKAGE and $BUSYBOX_PACKAGE"
command -v dpkg-deb >/dev/null || die "dpkg-deb not found; install the dpkg package"
if ! dpkg --print-foreign-architectures | grep -qx armhf; then
    if [[ $(id -u) == 0 ]]; then
        dpkg --add-architecture armhf
        apt-get update -qq >&2
    else
        die "armhf is not among dpkg's architectures; run as root: dpkg --add-architecture armhf && apt-get update"
    fi
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
chmod 0777 "$tmp" # apt drops to the _apt user for downloads
for spec in "$KERNEL_PACKAGE:armhf=$KERNEL_VERSION" "$DEBUG_PACKAGE:armhf=$KERNEL_VERSION" "$BUSYBOX_PACKAGE:armhf=$BUSYBOX_VERSION"; do
    (cd "$tmp" && apt-get download -q "$spec" >&2) \
        || die "apt-get download $spec failed (is Debian bookworm (and bookworm-security) in your apt sources? try 'apt-get update'; a newer package needs new pins in $0)"
done

mkdir -p "$cache"
for f in "${FILES[@]}"; do
    IFS='|' read -r package member name hash <<<"$f"
    debs=("$tmp"/"${package}"_*.deb)
    [[ -f "${debs[0]}" ]] || die "apt-get download left no ${package}_*.deb in $tmp"
    root="$tmp/root-$package"
    mkdir -p "$root"
    # Only the member: the debug package unpacks to 2.7 GB, and System.map is near the start of it
    # (tar stops there; dpkg-deb then complains of a broken pipe, which is expected).
    dpkg-deb --fsys-tarfile "${debs[0]}" 2>/dev/null | tar -x --occurrence=1 -C "$root" "./$member" || true
    [[ -f "$root/$member" ]] || die "${debs[0]} has no $member"
    actual="$(sha256 "$root/$member")"
    [[ "$actual" == "$hash" ]] || die "$member from $(basename "${debs[0]}") has SHA-256 $actual; expected $hash"
    cp "$root/$member" "$cache/$name.part"
    mv "$cache/$name.part" "$cache/$name"
done
echo "$cache"
