/** QEMU's {@code virt} board: its memory and IRQ map, device tree, and the firmware services (PSCI, semihosting) it offers. */
package brassboard.boards.virt;
