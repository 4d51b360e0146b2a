#!/usr/bin/env bash
# Builds U-Boot's fit_check_sign (the host tool that checks a FIT's signatures against a control
# DTB exactly as U-Boot does) into firmware/third-party/cache/fit_check_sign. Debian's
# u-boot-tools package ships mkimage and dumpimage but not fit_check_sign, so it is built here
# from Debian's own U-Boot source package, the same version as the pinned u-boot-qemu image
# (fetch.sh). Nothing from it is committed.
#
# Usage: firmware/third-party/build-fit-check-sign.sh     prints the path of fit_check_sign
# Needs: apt-get and dpkg-source (dpkg-dev), gcc, make, bison, flex, libssl-dev, libgnutls28-dev,
# uuid-dev. The source package is downloaded with a private apt configuration (its own deb-src list
# for Debian bookworm and bookworm-security, its own lists and cache under the cache directory), so
# the system's apt sources are not touched; its three files are pinned by SHA-256 below. Or set
# UBOOT_SRC=DIR to build from a U-Boot v2023.01 tree you have.
set -euo pipefail

VERSION=2023.01+dfsg-2+deb12u3
# the source package's files | SHA-256
SOURCE_FILES=(
    "u-boot_2023.01+dfsg-2+deb12u3.dsc|baf9a1492456920ff66b00fdd19ce8c588261bc2698b4875c9f5fdcfb1332aae"
    "u-boot_2023.01+dfsg.orig.tar.xz|e75da6f089d063aaef39a1c17f1631791d87700662624e18de2121fa39a1ed44"
    "u-boot_2023.01+dfsg-2+deb12u3.debian.tar.xz|f9d96a5095d542d8732eccdabcd1d1e7eaaa832311ce395f78b8ead1fad9845e"
)
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
for tool in make gcc bison flex dpkg-source; do
    command -v "$tool" >/dev/null || die "$tool not found; apt-get install -y build-essential dpkg-dev bison flex libssl-dev libgnutls28-dev uuid-dev"
done
mkdir -p "$cache"
src="${UBOOT_SRC:-}"
if [[ -z "$src" ]]; then
    work="$cache/u-boot-source"
    rm -rf "$work"
    mkdir -p "$work/dl" "$work/apt/parts" "$work/apt/lists/partial" "$work/apt/cache"
    cat >"$work/apt/parts/debian-src.sources" <<'SOURCES'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    apt_private=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$work/apt/parts"
        -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache")
    apt-get "${apt_private[@]}" update -qq >&2 \
        || die "apt-get update of the private deb-src list failed (is deb.debian.org reachable?)"
    chmod 0777 "$work/dl" # apt drops to the _apt user for downloads
    (cd "$work/dl" && apt-get "${apt_private[@]}" source --download-only "u-boot=$VERSION" >&2) \
        || die "apt-get source u-boot=$VERSION failed (a newer Debian revision needs new pins in $0; or set UBOOT_SRC)"
    for pin in "${SOURCE_FILES[@]}"; do
        IFS='|' read -r name hash <<<"$pin"
        [[ -f "$work/dl/$name" ]] || die "apt-get source left no $name"
        actual="$(sha256sum "$work/dl/$name" | cut -d' ' -f1)"
        [[ "$actual" == "$hash" ]] || die "$name has SHA-256 $actual; expected $hash"
    done
    # Every file is pinned above, so dpkg-source need not check the (unsigned-for-us) .dsc again.
    (cd "$work/dl" && dpkg-source --no-check -x "u-boot_${VERSION}.dsc" "$work/tree" >&2) \
        || die "dpkg-source could not unpack the source package"
    src="$work/tree"
fi
[[ -f "$src/tools/fit_check_sign.c" ]] || die "$src does not look like a U-Boot source tree (no tools/fit_check_sign.c)"
build="$cache/u-boot-tools-build"
rm -rf "$build"
make -s -C "$src" O="$build" tools-only_defconfig >&2
make -s -C "$src" O="$build" -j"$(nproc)" tools-only NO_SDL=1 >&2
cp "$build/tools/fit_check_sign" "$out"
echo "$out"
