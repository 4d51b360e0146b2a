#!/bin/sh
# Makes stick.img for the usb-copy campaign: 16 MiB, one FAT16 file system over the whole disk (no
# partition table; U-Boot reads it as "usb 0"), holding HELLO.BIN: 240,000 bytes of numbered lines.
# Needs dosfstools (mkfs.vfat) and mtools (mcopy). The image is made, not committed.
set -eu
cd "$(dirname "$0")"
rm -f stick.img hello.bin
mkfs.vfat -C -F 16 -i B4A55B0A -n STICK stick.img 16384 >/dev/null
seq -w 1 40000 > hello.bin
mcopy -i stick.img hello.bin ::HELLO.BIN
rm -f hello.bin
echo "stick.img: $(wc -c < stick.img) bytes"
