/*
 * irqkit delayed work, after Linux's queue_delayed_work_on: an hrtimer armed
 * on the calling CPU queues the work on its target CPU's worker when it
 * expires (in hard-IRQ context, as Linux's delayed_work_timer_fn runs from
 * the timer softirq). A delay of 0 queues at once.
 */
#include "driver.h"

static enum hrtimer_restart delayed_work_timer_fn(struct hrtimer *t)
{
	struct delayed_work *dw = (struct delayed_work *)((u8 *)t - __builtin_offsetof(struct delayed_work, timer));

	test_and_clear_bit(0, &dw->timer_pending);
	queue_work_on(dw->cpu, &dw->work);
	return HRTIMER_NORESTART;
}

void init_delayed_work(struct delayed_work *dw, void (*fn)(struct work_struct *))
{
	INIT_WORK(&dw->work, fn);
	hrtimer_init(&dw->timer, delayed_work_timer_fn);
	dw->cpu = 0;
	dw->timer_pending = 0;
}

int queue_delayed_work_on(u32 cpu, struct delayed_work *dw, u32 delay_us)
{
	if (READ_ONCE(dw->work.pending) || test_and_set_bit(0, &dw->timer_pending))
		return 0;
	dw->cpu = cpu < nr_cpus_online ? cpu : 0;
	if (!delay_us) {
		test_and_clear_bit(0, &dw->timer_pending);
		return queue_work_on(dw->cpu, &dw->work);
	}
	hrtimer_start(&dw->timer, delay_us);
	return 1;
}
