/*
 * irqkit PCI: the virt board's PCIe host (QEMU's gpex) seen through its ECAM
 * window, enumerated the way Linux's pci-host-generic + the PCI core do it on
 * a 32-bit guest: bus 0 scanned, BARs sized (write all-ones, read back) and
 * assigned from the 32-bit memory window, Memory Space and Bus Master enabled,
 * INTx routed to a GIC SPI through the standard swizzle.
 */
#ifndef IRQKIT_PCI_H
#define IRQKIT_PCI_H

#include "kernel.h"

#define PCIE_ECAM_BASE	0x3f000000u	/* VIRT_PCIE_ECAM: buses 0-15, 1 MiB each */
#define PCIE_MMIO_BASE	0x10000000u	/* VIRT_PCIE_MMIO: the 32-bit memory window */
#define PCIE_MMIO_END	0x3eff0000u
#define PCIE_INTX_SPI	3u		/* INTA-INTD of slot 0 on SPIs 3-6 (INTIDs 35-38) */

/* Configuration space header (type 0), PCI Local Bus 3.0 section 6.1 */
#define PCI_VENDOR_ID		0x00u
#define PCI_COMMAND		0x04u	/* 16 bits; Status is the upper half */
#define  PCI_COMMAND_MEMORY	0x0002u
#define  PCI_COMMAND_MASTER	0x0004u
#define  PCI_COMMAND_INTX_DISABLE 0x0400u
#define PCI_CLASS_REVISION	0x08u
#define PCI_HEADER_TYPE		0x0eu	/* byte 2 of the word at 0x0c */
#define PCI_BASE_ADDRESS_0	0x10u
#define  PCI_BASE_ADDRESS_SPACE_IO	0x1u
#define  PCI_BASE_ADDRESS_MEM_TYPE_64	0x4u
#define  PCI_BASE_ADDRESS_MEM_MASK	0xfffffff0u
#define PCI_INTERRUPT_LINE	0x3cu	/* Interrupt Pin is byte 1 of this word */

#define PCI_NR_BARS 6

struct pci_bar {
	u32 start;		/* bus address = CPU address on virt; 0 when unassigned */
	u32 size;		/* 0: BAR not implemented */
	u32 flags;		/* the low 4 bits read from the BAR */
};

struct pci_dev {
	u32 bus, slot, func;
	u32 vendor, device;
	u32 class_rev;		/* class code << 8 | revision */
	u32 pin;		/* 1 = INTA .. 4 = INTD; 0: none */
	u32 irq;		/* the GIC INTID INTx reaches after the swizzle; 0: none */
	struct pci_bar bar[PCI_NR_BARS];
};

#define PCI_MAX_DEVICES 8
extern struct pci_dev pci_devices[PCI_MAX_DEVICES];
extern u32 pci_nr_devices;

u32 pci_read_config(const struct pci_dev *d, u32 off);		/* 32-bit, off & ~3 */
void pci_write_config(const struct pci_dev *d, u32 off, u32 v);
u32 pci_scan_bus(void);		/* bus 0: finds, sizes and assigns; returns the count */
struct pci_dev *pci_get_device(u32 vendor, u32 device);
void pci_enable_device(struct pci_dev *d);	/* Memory Space on, INTx not disabled */
void pci_set_master(struct pci_dev *d);		/* Bus Master Enable */
u32 pci_command(const struct pci_dev *d);
void pci_clear_status(struct pci_dev *d);	/* W1C every error bit of Status */

static inline u32 readl(u32 addr) { return *(volatile u32 *)addr; }
static inline void writel(u32 v, u32 addr) { *(volatile u32 *)addr = v; }

#endif
