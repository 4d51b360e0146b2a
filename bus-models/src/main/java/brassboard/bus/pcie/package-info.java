/** PCI Express: an ECAM host bridge (QEMU's {@code gpex}) with its PIO/MMIO windows and INTx swizzle, type-0 configuration spaces with BARs and capabilities, and endpoints with bus-master DMA, INTx, MSI and fault points. */
package brassboard.bus.pcie;
