#!/bin/sh
# /init of the Linux thirdparty tests: mount the kernel's filesystems, say so, then a shell on the
# console reads the test's commands (it ends them with `poweroff -f`).
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "brassboard-init: busybox $(busybox | head -n 1 | cut -d' ' -f2) on $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpu(s)"
exec /bin/sh
