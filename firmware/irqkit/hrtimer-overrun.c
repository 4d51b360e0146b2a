/*
 * hrtimer-overrun (seed 001): the CFS bandwidth period timer runs in hard-IRQ
 * context and loops
 *
 *	for (;;) {
 *		overrun = hrtimer_forward_now(timer, period);
 *		if (!overrun)
 *			break;
 *		do_sched_cfs_period_timer(cfs_b, overrun);
 *	}
 *
 * with cfs_b->lock held (raw_spin_lock_irqsave). Here the work takes 150 us
 * and the period is 100 us, so every forward finds the timer overrun again:
 * cpu0 never leaves hard-IRQ context and its IRQs stay masked. A watchdog
 * thread on cpu1 notices that cpu0's hrtimer interrupts stopped (hard lockup).
 *
 * Built with -DREMEDY (hrtimer-overrun-fixed), the loop is the upstream fix
 * "sched/fair: Limit sched_cfs_period_timer() loop to avoid hard lockup":
 * after more than 3 overruns in one callback, the period (and quota) double;
 * the kernel survives and powers off after 20 ms.
 */
#include "kernel.h"

#ifdef REMEDY
const char demo_name[] = "hrtimer-overrun-fixed";
#else
const char demo_name[] = "hrtimer-overrun";
#endif

#define PERIOD_US 100u
#define QUOTA_US 50u
#define WORK_US 150u
#define MAX_CFS_QUOTA_PERIOD_US 1000000u
#define WATCHDOG_THRESH_MS 10u
#define RUN_MS 20u

struct cfs_bandwidth {
	struct hrtimer period_timer;	/* first member */
	spinlock_t lock;
	u32 period_us;
	u32 quota_us;
	u32 nr_periods;
	u32 nr_scalings;
	u32 loops;
};
struct cfs_bandwidth cfs_bandwidth;	/* in .bss: period/quota set in demo_main */

static volatile int finished, watchdog_started;

/* Refill the quota and unthrottle: "work" that takes WORK_US. */
TRACED int do_sched_cfs_period_timer(struct cfs_bandwidth *b, u32 overrun)
{
	b->nr_periods += overrun;
	udelay(WORK_US);
	return 0;
}

TRACED enum hrtimer_restart sched_cfs_period_timer(struct hrtimer *timer)
{
	struct cfs_bandwidth *b = (struct cfs_bandwidth *)timer;
	u32 flags, overrun, loops = 0;
#ifdef REMEDY
	u32 count = 0;
#endif

	flags = spin_lock_irqsave(&b->lock);
	for (;;) {
		overrun = hrtimer_forward_now(timer, us_to_cycles(b->period_us));
		if (!overrun)
			break;
		loops++;
		if (loops == 2 || loops == 10)
			printk("sched_cfs_period_timer[cpu%u]: %s overrun after "
			       "do_sched_cfs_period_timer, loop %u in hard-IRQ context\n",
			       smp_processor_id(), loops == 2 ? "still" : "again", loops);
		do_sched_cfs_period_timer(b, overrun);
#ifdef REMEDY
		if (++count > 3) {
			u32 new = b->period_us * 2;

			if (new < MAX_CFS_QUOTA_PERIOD_US) {
				b->period_us = new;
				b->quota_us *= 2;
				b->nr_scalings++;
				printk("cfs_period_timer[cpu%u]: period too short, scaling up "
				       "(new cfs_period_us = %u, cfs_quota_us = %u)\n",
				       smp_processor_id(), b->period_us, b->quota_us);
			}
			count = 0;	/* so we don't come right back in here */
		}
#endif
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return finished ? HRTIMER_NORESTART : HRTIMER_RESTART;
}

/* cpu1: a hard-lockup detector fed by cpu0's hrtimer interrupt count. */
static void watchdog_thread(void *arg)
{
	u32 last = hrtimer_interrupts[0], stuck = 0;

	(void)arg;
	watchdog_started = 1;
	while (!finished) {
		u32 now;

		schedule_timeout_us(1000);
		now = hrtimer_interrupts[0];
		if (now != last) {
			last = now;
			stuck = 0;
			continue;
		}
		if (++stuck == WATCHDOG_THRESH_MS) {
			u32 pc = __preempt_count[0];

			printk("watchdog/1: Watchdog detected hard LOCKUP on cpu 0: no hrtimer "
			       "interrupt for %u ms, cpu0 preempt_count=0x%08x (in_irq=%d)\n",
			       WATCHDOG_THRESH_MS, pc, (pc & HARDIRQ_MASK) != 0);
			break;
		}
	}
	for (;;) {
		set_current_state(TASK_SLEEPING);
		schedule();
	}
}

void demo_main(void *arg)
{
	(void)arg;
	cfs_bandwidth.period_us = PERIOD_US;
	cfs_bandwidth.quota_us = QUOTA_US;
	printk("%s: %u CPUs; cfs period timer every %u us on cpu0, period work %u us "
	       "in hard IRQ%s\n", demo_name, nr_cpus_online, PERIOD_US, WORK_US,
#ifdef REMEDY
	       " (with the upstream period scaling)"
#else
	       ""
#endif
	       );
	/*
	 * Start the watchdog first: once cpu0 is stuck it can no longer send
	 * the wake-up IPI (and QEMU -icount needs cpu1's timer armed to ever
	 * give cpu1 a time slice again).
	 */
	if (nr_cpus_online > 1) {
		kthread_create_on_cpu(watchdog_thread, NULL, "watchdog/1", 1);
		while (!watchdog_started)
			schedule_timeout_us(100);
	}
	tick_start(1000);	/* watchdog heartbeat on cpu0 */
	hrtimer_init(&cfs_bandwidth.period_timer, sched_cfs_period_timer);
	hrtimer_start(&cfs_bandwidth.period_timer, cfs_bandwidth.period_us);

	schedule_timeout_us(RUN_MS * 1000);
	/* only reached if cpu0 gets out of hard-IRQ context */
	finished = 1;
	hrtimer_cancel(&cfs_bandwidth.period_timer);
	tick_stop();
	printk("%s: survived %u ms; cfs period now %u us (scaled up %u time(s))\n",
	       demo_name, RUN_MS, cfs_bandwidth.period_us, cfs_bandwidth.nr_scalings);
	printk("%s: powering off\n", demo_name);
	system_off();
}
