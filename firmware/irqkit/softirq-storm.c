/*
 * softirq-storm: interrupts arrive faster than softirq processing. CPU0's
 * tick fires every 100 us for 60 ticks; each tick queues one "packet" and
 * raises NET_RX_SOFTIRQ. The NET_RX handler (storm_rx_action) needs 120 us
 * per packet and re-raises itself while packets are left, like net_rx_action.
 * __do_softirq keeps restarting until MAX_SOFTIRQ_RESTART (10) and then hands
 * the rest to ksoftirqd/0; after the storm ksoftirqd drains the backlog and
 * goes back to sleep. kworker/1 prints the report, then the machine powers off.
 */
#include "kernel.h"

const char demo_name[] = "softirq-storm";

#define STORM_TICK_US 100u
#define STORM_TICKS 60u
#define PACKET_US 120u

static volatile u32 raised, processed;
static struct work_struct report_work;
static volatile int reported;
static struct thread *main_thread;

static void storm_tick(u32 cpu)
{
	if (cpu != 0)
		return;
	if (raised < STORM_TICKS) {
		raised++;
		raise_softirq_irqoff(NET_RX_SOFTIRQ);
	}
	if (raised == STORM_TICKS)
		tick_stop();
}

TRACED void storm_rx_action(struct softirq_action *a)
{
	(void)a;
	if (processed < raised) {
		udelay(PACKET_US);
		processed++;
	}
	if (processed < raised)
		raise_softirq(NET_RX_SOFTIRQ);	/* budget exhausted: come back */
}

static void report_fn(struct work_struct *w)
{
	u32 cpu = smp_processor_id();

	(void)w;
	printk("softirq-storm: report from kworker/%u: %u packets raised, %u processed, "
	       "%u hand-off(s) to ksoftirqd/0\n", cpu, raised, processed,
	       softirq_stats[0].handoffs);
	reported = 1;
	wake_up_thread(main_thread);
}

void demo_main(void *arg)
{
	(void)arg;
	main_thread = current;
	printk("softirq-storm: %u CPUs; cpu0 tick every %u us for %u ticks, each raising "
	       "NET_RX; NET_RX needs %u us per packet\n",
	       nr_cpus_online, STORM_TICK_US, STORM_TICKS, PACKET_US);
	softirq_verbose = 1;
	open_softirq(NET_RX_SOFTIRQ, storm_rx_action);
	INIT_WORK(&report_work, report_fn);
	tick_hook = storm_tick;
	tick_start(STORM_TICK_US);

	/* 10 ms naps: no wake-up (need_resched) on cpu0 during the storm */
	while (processed < STORM_TICKS || local_softirq_pending())
		schedule_timeout_us(10000);
	printk("softirq-storm: storm over, backlog drained\n");

	queue_work_on(nr_cpus_online > 1 ? 1 : 0, &report_work);
	while (!reported) {
		set_current_state(TASK_SLEEPING);
		if (reported) {
			current->state = TASK_RUNNING;
			break;
		}
		schedule();
	}
	printk("softirq-storm: powering off\n");
	system_off();
}
