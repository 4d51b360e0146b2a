#!/bin/sh
# /init of the Linux USB storage tests (LinuxUsbTest): loads Debian's modules for an EHCI
# controller on PCI, USB mass storage, SCSI disks and FAT; waits for the disk; prints every USB
# device's descriptors as sysfs reads them back; mounts the FAT file system; copies a file from it
# to tmpfs and back to the disk under another name; prints the SHA-256 of each copy (the one
# written back read again after a remount, so from the disk, not the page cache); powers off.
# Every step goes on even when the one before failed (a bridge that drops off the bus, a bad
# sector): the kernel's log of the failure is what such a test looks at.
#
# Parameters, from the kernel command line (the kernel leaves dotted words it does not know alone):
#   usbtest.file=NAME   the file to copy, in the file system's root (default HELLO.BIN)
#   usbtest.copy=NAME   the name of the copy written back (default COPY.BIN)
#   usbtest.part=N      the partition to mount, /dev/sdaN; 0 for the whole disk (default 1)
#   usbtest.wait=S      how long to wait for the disk, in seconds (default 30)
#   usbtest.steps=LIST  comma-separated steps after the descriptors (default mount,read,write,verify):
#                       mount, read (to tmpfs), write (back to the disk, then sync), verify (remount
#                       and hash the copy), extra (read usbtest.extra to /dev/null); any other word
#                       is an error.
#   usbtest.extra=NAME  the file the extra step reads (default BAD.BIN)
#   usbtest.timeout=S   the SCSI command timeout of the disk, in seconds (default: sd's 30)
#   usbtest.dirty=BYTES vm.dirty_background_bytes before the write step (default: the kernel's
#                       ratio): a small value starts writeback while the copy is still being
#                       written, as copying a file much larger than the page cache does
# Lines for the test start with "brassboard-usb: "; markers of progress go through /dev/kmsg, so
# they carry the kernel's timestamp and sit in order among the kernel's own lines.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o size=64m tmpfs /tmp

say() {
    echo "brassboard-usb: $*" >/dev/kmsg
}

param() {
    for w in $(cat /proc/cmdline); do
        case "$w" in
            usbtest.$1=*) echo "${w#*=}"; return ;;
        esac
    done
    echo "$2"
}

file=$(param file HELLO.BIN)
copy=$(param copy COPY.BIN)
part=$(param part 1)
wait=$(param wait 30)
steps=$(param steps mount,read,write,verify)
extra=$(param extra BAD.BIN)
dirty=$(param dirty "")
timeout=$(param timeout "")
dev=sda
[ "$part" = 0 ] || dev=sda$part

say "init: file=$file copy=$copy dev=/dev/$dev steps=$steps"
# Storage, SCSI disk and FAT first, the host controller last: the stick is probed as soon as
# ehci-pci finds the controller, with its drivers already there.
for m in usbcore scsi_common scsi_mod usb-storage crct10dif_common crct10dif_generic crc-t10dif \
        crc64 crc64_rocksoft_generic crc64-rocksoft t10-pi sd_mod fat vfat nls_cp437 nls_ascii \
        nls_iso8859-1 ehci-hcd ehci-pci; do
    insmod /lib/modules/$m.ko || echo "brassboard-usb: insmod $m failed"
done
say "modules loaded"

i=0
while [ ! -b /dev/$dev ] && [ $i -lt $((wait * 10)) ]; do
    sleep 0.1
    i=$((i + 1))
done
if [ -b /dev/$dev ]; then
    say "disk /dev/$dev is there"
else
    say "no /dev/$dev after $wait s"
fi

[ -z "$timeout" ] || echo "$timeout" >/sys/block/sda/device/timeout

# Each attribute as "brassboard-usb: usb <device or interface> [<endpoint>] <attribute>=<value>".
show() {
    for a in "$@"; do
        [ -r "$where/$a" ] && echo "brassboard-usb: usb $label $a=$(cat "$where/$a")"
    done
}
for d in /sys/bus/usb/devices/*; do
    [ -r "$d/idVendor" ] || continue
    where=$d label=${d##*/}
    show idVendor idProduct bcdDevice bcdUSB version speed bDeviceClass bDeviceSubClass \
        bDeviceProtocol bMaxPacketSize0 bNumConfigurations bConfigurationValue bNumInterfaces \
        bmAttributes bMaxPower configuration manufacturer product serial maxchild removable
    for i in "$d"/*:*; do
        [ -d "$i" ] || continue
        where=$i label=${i##*/}
        show bInterfaceNumber bAlternateSetting bNumEndpoints bInterfaceClass bInterfaceSubClass \
            bInterfaceProtocol interface
        for e in "$i"/ep_*; do
            [ -d "$e" ] || continue
            where=$e label="${i##*/} ${e##*/}"
            show bEndpointAddress bmAttributes wMaxPacketSize bInterval type direction
        done
    done
done

hash() {
    sha256sum "$1" | sed 's/^/brassboard-usb: sha256 /' || echo "brassboard-usb: sha256 $1 failed"
}

for step in $(echo "$steps" | tr , ' '); do
    case "$step" in
        mount)
            mount -t vfat /dev/$dev /mnt && say "mounted /dev/$dev" || say "mount /dev/$dev failed"
            ;;
        read)
            say "copying $file"
            if cp /mnt/$file /tmp/$file; then
                say "read $file to tmpfs"
                hash /tmp/$file
            else
                say "read $file failed"
            fi
            ;;
        write)
            [ -z "$dirty" ] || echo "$dirty" >/proc/sys/vm/dirty_background_bytes
            if cp /tmp/$file /mnt/$copy && sync; then
                say "wrote $copy and synced"
            else
                say "write $copy failed"
            fi
            ;;
        verify)
            umount /mnt || say "umount failed"
            if mount -t vfat -o ro /dev/$dev /mnt; then
                hash /mnt/$copy
                ls /mnt | sed 's/^/brassboard-usb: ls /'
                umount /mnt
            else
                say "remount /dev/$dev failed"
            fi
            ;;
        extra)
            if cat /mnt/$extra >/dev/null; then
                say "read $extra"
            else
                say "read $extra failed"
            fi
            ;;
        *)
            say "unknown step '$step' in usbtest.steps; expected mount, read, write, verify or extra"
            ;;
    esac
done
say "done"
poweroff -f
