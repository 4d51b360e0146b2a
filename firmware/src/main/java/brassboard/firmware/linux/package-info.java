/** Linux kernel and initial ramdisk images as the ARM Linux boot protocol takes them: zImage, Image, uImage. */
package brassboard.firmware.linux;
