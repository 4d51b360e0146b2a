/*
 * irqkit NAPI, after Linux's net/core/dev.c: the top half masks its device
 * and calls napi_schedule, which puts the napi_struct on this CPU's poll list
 * and raises NET_RX_SOFTIRQ; net_rx_action polls each listed instance with
 * its weight until the list is empty, the budget (NETDEV_BUDGET packets) is
 * spent or NETDEV_BUDGET_US have passed. An instance whose poll used its
 * whole weight stays listed and NET_RX is raised again, so a device that
 * keeps its ring full keeps __do_softirq restarting until it hands NET_RX to
 * ksoftirqd. A poll that finds the ring drained calls napi_complete_done and
 * unmasks its device.
 */
#include "driver.h"

struct softnet_data softnet_data[NR_CPUS];
static int net_rx_opened;

void netif_napi_add(struct napi_struct *n, const char *name,
		    int (*poll)(struct napi_struct *, int), int weight)
{
	n->next = NULL;
	n->state = 0;
	n->weight = weight;
	n->poll = poll;
	n->name = name;
	n->polls = 0;
	n->full_polls = 0;
}

void net_dev_init(void)
{
	u32 cpu;

	if (net_rx_opened)
		return;
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		softnet_data[cpu].poll_tail = &softnet_data[cpu].poll_list;
	open_softirq(NET_RX_SOFTIRQ, net_rx_action);
	net_rx_opened = 1;
}

/* Caller has IRQs off (a top half, or local_irq_save). */
static void list_add_poll(struct softnet_data *sd, struct napi_struct *n)
{
	n->next = NULL;
	*sd->poll_tail = n;
	sd->poll_tail = &n->next;
}

void napi_schedule(struct napi_struct *n)
{
	u32 flags;

	if (test_and_set_bit(NAPI_STATE_SCHED, &n->state))
		return;		/* already listed or being polled */
	flags = local_irq_save();
	list_add_poll(&softnet_data[smp_processor_id()], n);
	raise_softirq_irqoff(NET_RX_SOFTIRQ);
	local_irq_restore(flags);
}

/* Linux's napi_disable: take SCHED ourselves, sleeping while a poll holds it. */
void napi_disable(struct napi_struct *n)
{
	while (test_and_set_bit(NAPI_STATE_SCHED, &n->state))
		schedule_timeout_us(50);
}

void napi_enable(struct napi_struct *n)
{
	test_and_clear_bit(NAPI_STATE_SCHED, &n->state);
}

/* The poll found less than its weight: done until the next napi_schedule.
 * Returns 1 (the driver may unmask its device's interrupt). */
int napi_complete_done(struct napi_struct *n, int work_done)
{
	(void)work_done;
	test_and_clear_bit(NAPI_STATE_SCHED, &n->state);
	return 1;
}

TRACED void net_rx_action(struct softirq_action *h)
{
	u32 cpu = smp_processor_id();
	struct softnet_data *sd = &softnet_data[cpu];
	u32 time_limit = (u32)read_counter() + us_to_cycles(NETDEV_BUDGET_US);
	int budget = NETDEV_BUDGET;
	struct napi_struct *list, *repoll = NULL, **repoll_tail = &repoll;

	(void)h;
	sd->rounds++;
	local_irq_disable();
	list = sd->poll_list;
	sd->poll_list = NULL;
	sd->poll_tail = &sd->poll_list;
	local_irq_enable();

	while (list) {
		struct napi_struct *n = list;
		int work;

		list = n->next;
		n->next = NULL;
		work = n->poll(n, n->weight);
		n->polls++;
		sd->processed += (u32)work;
		if (work >= n->weight) {
			/* used its whole weight: still scheduled, poll it again */
			n->full_polls++;
			*repoll_tail = n;
			repoll_tail = &n->next;
		}
		budget -= work;
		if (budget <= 0 || (s32)((u32)read_counter() - time_limit) >= 0) {
			if (list || repoll)
				sd->time_squeeze++;
			break;
		}
	}

	/* Left-overs first, then whatever was scheduled meanwhile, then repolls. */
	local_irq_disable();
	if (list || repoll) {
		struct napi_struct *rest = list, **tail = &rest;

		while (*tail)
			tail = &(*tail)->next;
		*tail = sd->poll_list;
		while (*tail)
			tail = &(*tail)->next;
		*tail = repoll;
		sd->poll_list = rest;
		sd->poll_tail = &sd->poll_list;
		while (*sd->poll_tail)
			sd->poll_tail = &(*sd->poll_tail)->next;
	}
	if (sd->poll_list)
		irq_stat[cpu].__softirq_pending |= 1u << NET_RX_SOFTIRQ;	/* __raise_softirq_irqoff */
	local_irq_enable();
}
