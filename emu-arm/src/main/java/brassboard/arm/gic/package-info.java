/** The GICv2 interrupt controller (distributor and CPU interfaces) and the GICv2m MSI frame that turns PCIe MSI writes into SPIs. */
package brassboard.arm.gic;
