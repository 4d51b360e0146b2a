/** PCI Express: an ECAM host bridge (QEMU's {@code gpex}), type-0 configuration spaces with BARs, and the host's PIO/MMIO windows. */
package brassboard.bus.pcie;
