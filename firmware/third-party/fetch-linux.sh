#!/usr/bin/env bash
# Fetches Debian's own 32-bit ARM Linux and busybox the way a user would: the armhf packages
# linux-image-6.1.0-57-armmp and busybox-static via `apt-get download`, unpacked with `dpkg-deb -x`,
# keeping only the kernel (zImage), its System.map (from the -dbg package: the image package's
# boot/System.map is a placeholder), the kernel modules listed below and the static busybox binary
# in firmware/third-party/cache/ (ignored by git: nothing from the packages is committed). Every
# file's SHA-256 is pinned below; another package version or file fails with expected and actual
# named. Modules keep their place under lib/modules/6.1.0-57-armmp/ as cache/modules/kernel/….ko.
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
MODULE_DIR=lib/modules/6.1.0-57-armmp
# package | member path in its package | name in the cache | SHA-256
FILES=(
    "$KERNEL_PACKAGE|boot/vmlinuz-6.1.0-57-armmp|vmlinuz-armmp|41ae0a8ffadcdbecce5b129e12f1751e0ccaf42fdf0604ab74c414b95789d481"
    "$DEBUG_PACKAGE|usr/lib/debug/boot/System.map-6.1.0-57-armmp|System.map-armmp|03e49940ae659b3b1303009e8bf940b9a43a2f0607dbc016db2d30fb27c0f743"
    "$BUSYBOX_PACKAGE|bin/busybox|busybox-armhf|9b89dbebc390b4b9174a449df18b422892387bf35717a63cf1e0aef5b4e8dcfe"
)
# Kernel modules (from $KERNEL_PACKAGE, path under $MODULE_DIR | SHA-256), in an order that
# `insmod` can load them one by one: each module comes after those it needs. The package ships no
# modules.dep (Debian's postinst runs depmod); "needs" below is each module's own `depends=` in its
# .modinfo section, and every undefined symbol of each module was checked to be exported by the
# kernel (System.map's __ksymtab_*) or by a module earlier in this list. The modules are not
# compressed (the config has CONFIG_MODULE_COMPRESS_NONE=y), so busybox's insmod loads them as
# they are. Built into this kernel (boot/config-6.1.0-57-armmp), hence not here: usb-common
# (CONFIG_USB_COMMON=y), NLS core (CONFIG_NLS=y), PCI and its generic host (CONFIG_PCI=y,
# CONFIG_PCI_HOST_GENERIC=y), SPI core and spi-mem (CONFIG_SPI=y, CONFIG_SPI_MEM=y), MTD core
# (CONFIG_MTD=y). vfat's default iocharset is ascii and its default codepage 437
# (CONFIG_FAT_DEFAULT_IOCHARSET="ascii", CONFIG_FAT_DEFAULT_CODEPAGE=437). uas is left out:
# usb-storage does not need it (uas needs usb-storage, not the other way round).
MODULES=(
    # USB storage on EHCI (PCI): usbcore needs usb-common (built in)
    "kernel/drivers/usb/core/usbcore.ko|2b76d22208569195ff2582e5f5ee4bb963a269ba344702e607beab3ad0fe739c"
    # ehci-hcd needs usbcore
    "kernel/drivers/usb/host/ehci-hcd.ko|53c7ee4f12c6d9469953345242dc1035874ec3ee18507b7f1da06dd7eda5b32d"
    # ehci-pci needs usbcore, ehci-hcd
    "kernel/drivers/usb/host/ehci-pci.ko|7b0e9fe3be1a394f4c6c192f057888cb6fe17143e6bc1c972ad1d13e7465c951"
    # scsi_common needs nothing
    "kernel/drivers/scsi/scsi_common.ko|5b8b95ef112c1f6b8e0d4a1dff94fb1dc03e0193164867429e06d6080ec698f3"
    # scsi_mod needs scsi_common
    "kernel/drivers/scsi/scsi_mod.ko|5a04608e7ad78ea2e51f49c67016def2ad92de1bdb317350f1c82f50433b45ac"
    # usb-storage needs usbcore, scsi_mod, scsi_common
    "kernel/drivers/usb/storage/usb-storage.ko|87e497285418dc493f73ab96f4ea0f7c019abb796fb313802558b18e6c948196"
    # crct10dif_common needs nothing
    "kernel/crypto/crct10dif_common.ko|a8a1bab0c32a367250000e5997d0a36a1c90459e20bb2a0398f7c1bbbbd74b79"
    # crct10dif_generic needs crct10dif_common; it provides the "crct10dif" hash crc-t10dif asks
    # the crypto API for (without it crc-t10dif would ask for it through modprobe)
    "kernel/crypto/crct10dif_generic.ko|efd9e43c29aa2d7f685bc7418bdf092ee47faff2f5bd70c37e632762f5434787"
    # crc-t10dif needs crct10dif_common
    "kernel/lib/crc-t10dif.ko|5e530222c36feac6d2782b844016f384aaa360351d4ffac612084763c88254fd"
    # crc64 needs nothing
    "kernel/lib/crc64.ko|7d3aebeea3d0241b8868c8c5fb4d98d3a0e314f6f5890614ded3c98bfed369cf"
    # crc64_rocksoft_generic needs crc64; it provides the "crc64-rocksoft" hash (as above)
    "kernel/crypto/crc64_rocksoft_generic.ko|36390b9f544237df8a564e23a9dd5e9b5f1cf4d1a0f0d32426f19ba14450bcc2"
    # crc64-rocksoft needs crc64
    "kernel/lib/crc64-rocksoft.ko|ea9e638f3b6a51775cc0bf02a3a3b54df971d51fdce270333d1cb81f424555d0"
    # t10-pi needs crc-t10dif, crc64-rocksoft
    "kernel/block/t10-pi.ko|2a52c550c2aa7429772bc2585f6a51c2f437d2aaea8065cccff69f5cad68b2b1"
    # sd_mod needs scsi_mod, t10-pi
    "kernel/drivers/scsi/sd_mod.ko|bb0b47ab0ead79adbdd7734182d5f7903b50b9f01ca5d4ee19e06d8d2f8f1bba"
    # FAT: fat needs nothing; vfat needs fat; the nls tables need nothing (NLS core is built in)
    "kernel/fs/fat/fat.ko|22b63ee4cf347d071b0b5f3c1c3cb6ce8bd44bd0338536de7f0d20a4d77a2ed2"
    "kernel/fs/fat/vfat.ko|4acb9f7d8ef360d2dc385905df0f40752cae6a662494b182551f3ce7f8fb8041"
    "kernel/fs/nls/nls_cp437.ko|6ee92e7a95e6daca9d18e8f274c341cef8343278d3c9adef2c71b758653c96be"
    "kernel/fs/nls/nls_ascii.ko|1e108c20c60a2440d357b8541e02e85f9ba4978efd621e8c9762f0c4690acbb5"
    "kernel/fs/nls/nls_iso8859-1.ko|01c98580596feae8ba77d6814aeb175da366196f2ed3959d681df5419169e39f"
    # SPI: spi-pl022 needs nothing (SPI core built in)
    "kernel/drivers/spi/spi-pl022.ko|5fa629d2bdf639b4fb1483867b8f3c07b1e2b750e1534711df45b9406fc1ac13"
    # spi-nor needs nothing (MTD core and spi-mem built in)
    "kernel/drivers/mtd/spi-nor/spi-nor.ko|9325d681db40e8d9212845c82daba7e5caeda8ce24da03937c3cf3c8109ba967"
    # mtd_blkdevs needs nothing; mtdblock needs mtd_blkdevs
    "kernel/drivers/mtd/mtd_blkdevs.ko|3639742bcb366e4f61cd4442bce9f5240d5ae26ad6ab0e30eaac8ce46ea83fbe"
    "kernel/drivers/mtd/mtdblock.ko|c7fcf49bffcb57c03e5b47d5a5710fe6751d6d5bf199ef8c6d959a9f440363d0"
    # ofpart (partitions from the device tree, CONFIG_MTD_OF_PARTS=m) needs nothing
    "kernel/drivers/mtd/parsers/ofpart.ko|780c2c6d265c447337d644d59770a286e9b62bd1e1777815ff48e0c6e54cf1a9"
    # at25 (SPI EEPROM) needs nothing (nvmem built in)
    "kernel/drivers/misc/eeprom/at25.ko|6b5312049529efdb533394f4fadd8e13d5cb22da606f344a439eb5983fd9fc20"
)
for m in "${MODULES[@]}"; do
    IFS='|' read -r path hash <<<"$m"
    FILES+=("$KERNEL_PACKAGE|$MODULE_DIR/$path|modules/$path|$hash")
done

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
for package in "$KERNEL_PACKAGE" "$DEBUG_PACKAGE" "$BUSYBOX_PACKAGE"; do
    debs=("$tmp"/"${package}"_*.deb)
    [[ -f "${debs[0]}" ]] || die "apt-get download left no ${package}_*.deb in $tmp"
    members=()
    for f in "${FILES[@]}"; do
        IFS='|' read -r owner member _ _ <<<"$f"
        [[ "$owner" == "$package" ]] && members+=("./$member")
    done
    root="$tmp/root-$package"
    mkdir -p "$root"
    # Only the members, in one pass: the debug package unpacks to 2.7 GB, and System.map is near
    # the start of it (with --occurrence tar stops once it has every member; dpkg-deb then
    # complains of a broken pipe, which is expected).
    dpkg-deb --fsys-tarfile "${debs[0]}" 2>/dev/null | tar -x --occurrence=1 -C "$root" "${members[@]}" 2>/dev/null || true
done
for f in "${FILES[@]}"; do
    IFS='|' read -r package member name hash <<<"$f"
    root="$tmp/root-$package"
    [[ -f "$root/$member" ]] || die "$(basename "$tmp"/"${package}"_*.deb) has no $member"
    actual="$(sha256 "$root/$member")"
    [[ "$actual" == "$hash" ]] || die "$member from $(basename "$tmp"/"${package}"_*.deb) has SHA-256 $actual; expected $hash"
    mkdir -p "$(dirname "$cache/$name")"
    cp "$root/$member" "$cache/$name.part"
    mv "$cache/$name.part" "$cache/$name"
done
echo "$cache"
