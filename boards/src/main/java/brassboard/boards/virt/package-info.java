/** QEMU's {@code virt} board: its memory and IRQ map and reference device tree (the board itself is its board file, virt.yaml). */
package brassboard.boards.virt;
