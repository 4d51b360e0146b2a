#!/bin/sh
# /init of LinuxSpiTest: load Debian's spi-pl022, spi-nor, mtdblock and at25, show what they found,
# hash both parts as Linux reads them, write to each and read the bytes back from the part, power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
for m in spi-pl022 spi-nor mtd_blkdevs mtdblock at25; do
    insmod /lib/modules/$m.ko || echo "spi-test: insmod $m failed"
done
echo "spi-test: /proc/mtd"
cat /proc/mtd
t0=$(cut -d' ' -f1 /proc/uptime)
echo "spi-test: flash $(sha256sum /dev/mtdblock0)"
echo "spi-test: 1 MiB read through mtdblock from ${t0}s to $(cut -d' ' -f1 /proc/uptime)s of uptime"
eeprom=$(ls /sys/bus/nvmem/devices/spi*/nvmem 2>/dev/null | head -n 1) # at25 names it after its SPI device; mtd0 has one too
echo "spi-test: eeprom $(sha256sum "$eeprom")"
printf 'written by Linux at25' | dd of="$eeprom" bs=1 seek=256 conv=notrunc 2>/dev/null
echo "spi-test: eeprom readback [$(dd if="$eeprom" bs=1 skip=256 count=21 2>/dev/null)]"
printf 'written by Linux mtdblock' > /tmp/f
dd if=/tmp/f of=/dev/mtdblock0 bs=4096 seek=16 conv=sync,notrunc,fsync 2>/dev/null
sync
echo 3 > /proc/sys/vm/drop_caches
echo "spi-test: flash readback [$(dd if=/dev/mtdblock0 bs=1 skip=65536 count=25 2>/dev/null)]"
echo "spi-test: flash sector after [$(dd if=/dev/mtdblock0 bs=1 skip=65561 count=8 2>/dev/null | od -An -tx1 | tr -d ' ')]"
dmesg | grep -i -E 'pl022|spi|at25|mtd' | sed 's/^/spi-test: dmesg: /'
echo "spi-test: done"
poweroff -f
