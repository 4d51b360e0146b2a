#!/usr/bin/env bash
# Fetches speedscope, the offline trace viewer `brassboard trace view` opens traces in, the way a
# user would get it: the npm package at a pinned version through npm's own client (`npm pack`, which
# also checks the registry's integrity hash), then the tarball's SHA-256 against the value recorded
# below, then unpacked into firmware/third-party/cache/speedscope-VERSION/ (ignored by git: nothing
# from the package is committed). speedscope is a static web page (dist/release/index.html and its
# script, styles and fonts beside it) that loads profiles from local files: no server, no network.
# Another version or another tarball fails with the expected and actual values named.
#
# Usage: firmware/third-party/fetch-viewer.sh      prints the package directory on stdout
# Needs node's npm and tar.
set -euo pipefail

PACKAGE=speedscope
VERSION=1.25.0
# SHA-256 of speedscope-1.25.0.tgz as npm pack wrote it (npm's dist.shasum for it is
# bb5895ab7948baa588705157faf3918be9fbda7e, its dist.integrity sha512-cpf9HWTZf1ijLXBJ…).
EXPECTED_SHA256=2831f1e0d26df914b477e522d78b8485511495a6af81a0b88158f8b48f9e0d03
# The page the viewer is opened at, relative to the package directory.
INDEX=dist/release/index.html

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="$here/cache"
out="$cache/$PACKAGE-$VERSION"
stamp="$out/.sha256"

die() {
    echo "fetch-viewer.sh: $*" >&2
    exit 1
}

# Already fetched from the pinned tarball and intact: nothing to do.
if [[ -f "$out/$INDEX" && -f "$stamp" && "$(cat "$stamp")" == "$EXPECTED_SHA256" ]]; then
    echo "$out"
    exit 0
fi

command -v npm >/dev/null || die "npm not found; install Node.js and npm (Debian: apt-get install -y npm) to download $PACKAGE"
command -v tar >/dev/null || die "tar not found"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# npm pack SPEC downloads the registry's tarball for exactly that version (checking its
# integrity) and writes it to the destination without installing anything.
(cd "$tmp" && npm pack --silent --pack-destination "$tmp" "$PACKAGE@$VERSION" >"$tmp/pack.out" 2>"$tmp/pack.err") \
    || die "npm pack $PACKAGE@$VERSION failed: $(tail -n 3 "$tmp/pack.err" | tr '\n' ' ')"
tgz="$tmp/$PACKAGE-$VERSION.tgz"
[[ -f "$tgz" ]] || die "npm pack $PACKAGE@$VERSION left no $PACKAGE-$VERSION.tgz in $tmp"
actual="$(sha256sum "$tgz" | cut -d' ' -f1)"
if [[ "$actual" != "$EXPECTED_SHA256" ]]; then
    die "$PACKAGE-$VERSION.tgz has SHA-256 $actual; expected $EXPECTED_SHA256 (update VERSION and EXPECTED_SHA256 in $0 only after checking the new package)"
fi

mkdir -p "$tmp/unpacked"
tar -xzf "$tgz" -C "$tmp/unpacked" --strip-components=1 --no-same-owner
[[ -f "$tmp/unpacked/$INDEX" ]] || die "$PACKAGE-$VERSION.tgz has no package/$INDEX"
echo "$EXPECTED_SHA256" >"$tmp/unpacked/.sha256"
mkdir -p "$cache"
rm -rf "$out" "$out.part"
mv "$tmp/unpacked" "$out.part"
mv "$out.part" "$out"
echo "$out"
