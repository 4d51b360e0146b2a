/** Parallel NOR flash with the CFI query interface and the Intel command set (QEMU's {@code pflash_cfi01}). */
package brassboard.devices.flash;
