#!/bin/sh
# Rebuilds the sample firmware into a temporary directory and checks that the
# result is byte-identical to the committed images (firmware/images/*.elf) and
# to firmware/images/SHA256SUMS. Prints what differs; exits non-zero on any
# difference. Works from any cwd. Needs Debian's gcc-arm-none-eabi.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
images="$here/images"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/brassboard-fw-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "toolchain: $(arm-none-eabi-gcc --version | head -n 1)"
if ! make -s -C "$here" OUT="$tmp/images" BUILD="$tmp/build" >"$tmp/make.log" 2>&1; then
	cat "$tmp/make.log" >&2
	echo "FAIL: build failed" >&2
	exit 2
fi

status=0

# Every freshly built image must match the committed one, and vice versa.
for f in "$tmp"/images/*.elf; do
	name=$(basename "$f")
	if [ ! -f "$images/$name" ]; then
		echo "MISSING: images/$name is built but not committed"
		status=1
	elif ! cmp -s "$f" "$images/$name"; then
		echo "DIFFERS: images/$name (rebuilt image is not byte-identical)"
		status=1
	else
		echo "ok: $name"
	fi
done
for f in "$images"/*.elf; do
	[ -e "$f" ] || continue
	name=$(basename "$f")
	if [ ! -f "$tmp/images/$name" ]; then
		echo "EXTRA: images/$name is committed but not built by the Makefile"
		status=1
	fi
done

# The committed SHA256SUMS must describe the committed images...
if [ ! -f "$images/SHA256SUMS" ]; then
	echo "MISSING: images/SHA256SUMS"
	status=1
else
	if ! (cd "$images" && sha256sum --quiet --strict -c SHA256SUMS); then
		echo "DIFFERS: images/SHA256SUMS does not match the committed images"
		status=1
	fi
	# ...and be exactly what the build writes.
	if ! cmp -s "$tmp/images/SHA256SUMS" "$images/SHA256SUMS"; then
		echo "DIFFERS: images/SHA256SUMS (rebuilt checksums differ:)"
		diff "$images/SHA256SUMS" "$tmp/images/SHA256SUMS" || true
		status=1
	fi
fi

if [ "$status" -eq 0 ]; then
	echo "all images reproduce byte-for-byte"
else
	echo "FAIL: images do not reproduce; rebuild with 'make -C firmware' using the toolchain above" >&2
fi
exit "$status"
