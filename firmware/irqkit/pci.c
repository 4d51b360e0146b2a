/*
 * irqkit PCI: ECAM configuration access, bus-0 enumeration, BAR sizing and
 * assignment, INTx swizzle. See pci.h.
 */
#include "pci.h"

struct pci_dev pci_devices[PCI_MAX_DEVICES];
u32 pci_nr_devices;
static u32 pci_mmio_next = PCIE_MMIO_BASE;

/* ECAM (PCIe Base 3.0 section 7.2.2): bus << 20 | device << 15 | function << 12 | register */
static volatile u32 *ecam(u32 bus, u32 slot, u32 func, u32 off)
{
	return (volatile u32 *)(PCIE_ECAM_BASE + (bus << 20) + (slot << 15) + (func << 12) + (off & 0xffcu));
}

u32 pci_read_config(const struct pci_dev *d, u32 off)
{
	return *ecam(d->bus, d->slot, d->func, off);
}

void pci_write_config(const struct pci_dev *d, u32 off, u32 v)
{
	*ecam(d->bus, d->slot, d->func, off) = v;
}

/*
 * Size a BAR: write all-ones, read back what sticks, restore (PCI Local Bus
 * 3.0 section 6.2.5.1). Returns the number of BAR registers it uses (2 for a
 * 64-bit memory BAR).
 */
static u32 pci_size_bar(struct pci_dev *d, u32 n)
{
	u32 off = PCI_BASE_ADDRESS_0 + 4 * n;
	u32 orig = pci_read_config(d, off), probe, mask, size;
	struct pci_bar *b = &d->bar[n];

	pci_write_config(d, off, 0xffffffffu);
	probe = pci_read_config(d, off);
	pci_write_config(d, off, orig);
	b->flags = probe & 0xfu;
	if (!probe || probe == 0xffffffffu)
		return 1;	/* not implemented (or the function went away) */
	if (probe & PCI_BASE_ADDRESS_SPACE_IO) {
		mask = probe & ~0x3u;
		size = (~mask + 1) & 0xffffu;
		b->size = size;
		return 1;	/* I/O BARs are sized but left unassigned */
	}
	mask = probe & PCI_BASE_ADDRESS_MEM_MASK;
	size = ~mask + 1;
	b->size = size;
	return (probe & 0x6u) == PCI_BASE_ADDRESS_MEM_TYPE_64 ? 2 : 1;
}

static void pci_assign_bar(struct pci_dev *d, u32 n, u32 is64)
{
	struct pci_bar *b = &d->bar[n];
	u32 off = PCI_BASE_ADDRESS_0 + 4 * n;
	u32 start = (pci_mmio_next + b->size - 1) & ~(b->size - 1);	/* natural alignment */

	if (start < pci_mmio_next || start + b->size > PCIE_MMIO_END || start + b->size < start) {
		printk("pci %04x:%02x:%02x.%u: BAR %u: no space for [mem size 0x%08x]\n",
		       0, d->bus, d->slot, d->func, n, b->size);
		return;
	}
	pci_write_config(d, off, start | (b->flags & 0xfu));
	if (is64)
		pci_write_config(d, off + 4, 0);
	b->start = start;
	pci_mmio_next = start + b->size;
	printk("pci %04x:%02x:%02x.%u: BAR %u: assigned [mem 0x%08x-0x%08x%s]\n",
	       0, d->bus, d->slot, d->func, n, start, start + b->size - 1, is64 ? " 64bit" : "");
}

/* The swizzle of QEMU's virt interrupt-map (and the PCI-to-PCI bridge spec,
 * section 9.1): slot s, pin p (1 = INTA) reaches host INT((s + p - 1) % 4). */
static u32 pci_swizzle_intid(u32 slot, u32 pin)
{
	return 32 + PCIE_INTX_SPI + (slot + pin - 1) % 4;
}

static void pci_probe_function(u32 slot, u32 func, u32 id)
{
	struct pci_dev *d;
	u32 n, hdr, intr;

	if (pci_nr_devices == PCI_MAX_DEVICES) {
		printk("pci: more than %u functions, ignoring 00:%02x.%u\n", PCI_MAX_DEVICES, slot, func);
		return;
	}
	d = &pci_devices[pci_nr_devices++];
	memset(d, 0, sizeof(*d));
	d->slot = slot;
	d->func = func;
	d->vendor = id & 0xffffu;
	d->device = id >> 16;
	d->class_rev = pci_read_config(d, PCI_CLASS_REVISION);
	hdr = (pci_read_config(d, 0x0cu) >> 16) & 0x7fu;
	printk("pci %04x:%02x:%02x.%u: [%04x:%04x] type %02x class 0x%06x\n",
	       0, 0, slot, func, d->vendor, d->device, hdr, d->class_rev >> 8);
	if (hdr != 0)
		return;		/* bridges: not supported (every endpoint is on bus 0) */
	for (n = 0; n < PCI_NR_BARS; ) {
		u32 used = pci_size_bar(d, n);

		if (d->bar[n].size && !(d->bar[n].flags & PCI_BASE_ADDRESS_SPACE_IO))
			pci_assign_bar(d, n, used == 2);
		n += used;
	}
	intr = pci_read_config(d, PCI_INTERRUPT_LINE);
	d->pin = (intr >> 8) & 0xffu;
	if (d->pin >= 1 && d->pin <= 4) {
		d->irq = pci_swizzle_intid(slot, d->pin);
		pci_write_config(d, PCI_INTERRUPT_LINE, (intr & ~0xffu) | (d->irq & 0xffu));
	} else {
		d->pin = 0;
	}
}

u32 pci_scan_bus(void)
{
	u32 slot, func;

	pci_nr_devices = 0;
	pci_mmio_next = PCIE_MMIO_BASE;
	for (slot = 0; slot < 32; slot++) {
		for (func = 0; func < 8; func++) {
			u32 id = *ecam(0, slot, func, PCI_VENDOR_ID);

			if ((id & 0xffffu) == 0xffffu || (id & 0xffffu) == 0) {
				if (func == 0)
					break;
				continue;
			}
			pci_probe_function(slot, func, id);
			/* only function 0 of a single-function device */
			if (func == 0 && !((*ecam(0, slot, 0, 0x0cu) >> 16) & 0x80u))
				break;
		}
	}
	return pci_nr_devices;
}

struct pci_dev *pci_get_device(u32 vendor, u32 device)
{
	u32 i;

	for (i = 0; i < pci_nr_devices; i++)
		if (pci_devices[i].vendor == vendor && pci_devices[i].device == device)
			return &pci_devices[i];
	return NULL;
}

u32 pci_command(const struct pci_dev *d)
{
	return pci_read_config(d, PCI_COMMAND) & 0xffffu;
}

/* Status (the upper half) is W1C: writing 0 there leaves it alone. */
static void pci_write_command(struct pci_dev *d, u32 cmd)
{
	pci_write_config(d, PCI_COMMAND, cmd & 0xffffu);
}

void pci_enable_device(struct pci_dev *d)
{
	pci_write_command(d, (pci_command(d) | PCI_COMMAND_MEMORY) & ~PCI_COMMAND_INTX_DISABLE);
}

void pci_set_master(struct pci_dev *d)
{
	pci_write_command(d, pci_command(d) | PCI_COMMAND_MASTER);
}

void pci_clear_status(struct pci_dev *d)
{
	pci_write_config(d, PCI_COMMAND, (pci_command(d)) | 0xf9000000u);
}
