/*
 * irqkit: shared peripheral interrupts on the GICv2 distributor (IHI 0048B
 * section 4.3): the kernel's handler table, plus each SPI's priority,
 * configuration (level), target CPU and enable bit. Linux's request_irq for
 * a GIC SPI does the same through irq_chip callbacks.
 */
#include "driver.h"

#define GICD_BASE 0x08000000u
#define GICD_ISENABLER	0x100u
#define GICD_ICENABLER	0x180u
#define GICD_IPRIORITYR	0x400u
#define GICD_ICFGR	0xc00u
#define GICD_TYPER	0x004u

static inline volatile u32 *gicd(u32 off) { return (volatile u32 *)(GICD_BASE + off); }

int request_irq(u32 intid, irq_handler_t fn, void *dev, const char *name, u32 cpu)
{
	u32 lines = 32 * ((*gicd(GICD_TYPER) & 0x1fu) + 1);
	volatile u32 *r;
	u32 shift;

	if (intid < IRQ_SPI_FIRST || intid > IRQ_SPI_LAST || intid >= lines) {
		printk("request_irq: %s: INTID %u is not an SPI this kernel can take (%u-%u, GIC has %u lines)\n",
		       name, intid, IRQ_SPI_FIRST, IRQ_SPI_LAST, lines);
		return -1;
	}
	if (cpu >= nr_cpus_online)
		cpu = 0;
	*gicd(GICD_ICENABLER + (intid / 32) * 4) = 1u << (intid % 32);
	request_percpu_irq(intid, fn, dev, name);
	/* priority: one byte per INTID, word access */
	r = gicd(GICD_IPRIORITYR + (intid & ~3u));
	shift = (intid & 3u) * 8;
	*r = (*r & ~(0xffu << shift)) | (0xa0u << shift);
	/* Int_config: 2 bits per INTID, bit 1 of the pair = edge; 0 = level */
	r = gicd(GICD_ICFGR + (intid / 16) * 4);
	*r &= ~(2u << ((intid % 16) * 2));
	gic_set_target(intid, cpu);
	*gicd(GICD_ISENABLER + (intid / 32) * 4) = 1u << (intid % 32);
	return 0;
}

void free_irq(u32 intid)
{
	if (intid < IRQ_SPI_FIRST || intid > IRQ_SPI_LAST)
		return;
	*gicd(GICD_ICENABLER + (intid / 32) * 4) = 1u << (intid % 32);
	request_percpu_irq(intid, NULL, NULL, NULL);
}
