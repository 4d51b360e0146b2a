/*
 * irqkit: what a device driver needs beyond kernel.h, following Linux:
 * shared peripheral interrupts (request_irq on a GIC SPI, irq.c), NAPI
 * (napi_schedule from the top half, net_rx_action polling with a budget from
 * NET_RX_SOFTIRQ, napi.c) and delayed work (queue_delayed_work_on: an
 * hrtimer that queues the work when it expires, dwork.c).
 */
#ifndef IRQKIT_DRIVER_H
#define IRQKIT_DRIVER_H

#include "kernel.h"

/* ---- shared peripheral interrupts (INTIDs 32-63, level-sensitive) ---------- */

#define IRQ_SPI_FIRST 32u
#define IRQ_SPI_LAST  63u	/* the kernel's handler table ends at NR_IRQS = 64 */

/* Handler installed, priority 0xa0, level-sensitive, routed to cpu, enabled.
 * Returns 0, or -1 (and says why) for an INTID the table cannot hold. */
int request_irq(u32 intid, irq_handler_t fn, void *dev, const char *name, u32 cpu);
void free_irq(u32 intid);
void gic_set_target(u32 intid, u32 cpu);	/* kernel.c */

/* ---- NAPI ----------------------------------------------------------------- */

#define NAPI_STATE_SCHED 0	/* on a CPU's poll list, or being polled */
#define NAPI_POLL_WEIGHT 64	/* Linux's default weight */
#define NETDEV_BUDGET 300	/* net.core.netdev_budget */
#define NETDEV_BUDGET_US 2000	/* net.core.netdev_budget_usecs */

struct napi_struct {
	struct napi_struct *next;	/* this CPU's poll list */
	volatile u32 state;
	int weight;
	int (*poll)(struct napi_struct *n, int budget);
	const char *name;
	u32 polls;			/* calls of poll */
	u32 full_polls;			/* polls that used the whole weight (stayed scheduled) */
};

struct softnet_data {
	struct napi_struct *poll_list;
	struct napi_struct **poll_tail;
	u32 processed;		/* packets the polls reported */
	u32 time_squeeze;	/* net_rx_action stopped on budget or time with work left */
	u32 rounds;		/* net_rx_action calls */
};
extern struct softnet_data softnet_data[NR_CPUS];

void netif_napi_add(struct napi_struct *n, const char *name,
		    int (*poll)(struct napi_struct *, int), int weight);
void net_dev_init(void);			/* opens NET_RX_SOFTIRQ (once) */
void napi_schedule(struct napi_struct *n);	/* from the top half, IRQs off */
int napi_complete_done(struct napi_struct *n, int work_done);
void napi_disable(struct napi_struct *n);	/* process context: waits out a poll, then holds SCHED */
void napi_enable(struct napi_struct *n);	/* lets napi_schedule list it again */
void net_rx_action(struct softirq_action *h);

/* ---- delayed work ------------------------------------------------------------ */

struct delayed_work {
	struct work_struct work;
	struct hrtimer timer;		/* armed on the CPU that queues the work */
	u32 cpu;			/* where the work runs */
	volatile u32 timer_pending;	/* bit 0: the timer is armed */
};

void init_delayed_work(struct delayed_work *dw, void (*fn)(struct work_struct *));
/* 1 if queued, 0 if it already was (its timer armed, or the work pending) */
int queue_delayed_work_on(u32 cpu, struct delayed_work *dw, u32 delay_us);
static inline struct delayed_work *to_delayed_work(struct work_struct *w)
{
	return (struct delayed_work *)w;	/* work is the first member */
}

#endif
