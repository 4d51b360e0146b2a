/*
 * irq-demo: the seed-003 experiment. A 1 ms periodic tick on CPU0 (hard IRQ,
 * tick_sched_timer) arms a timer_list (TIMER softirq, run_timer_softirq) and
 * schedules a tasklet (TASKLET softirq, tasklet_action); the tasklet queues a
 * work item on CPU1's kworker (process_one_work, process context). Each
 * prints its context flags. CPU1 also sends CPU0 a heartbeat SGI every ms so
 * CPU0 can notice a dead timer. The tick checks its own spacing: more than
 * 1.5 periods since the last tick -> "missed tick", less than half a period
 * -> "tick too early". After 10 ticks (or 50 ms without progress) it prints
 * a summary and powers off. (Ticks that arrive while the previous tick's
 * tasklet is still scheduled are merged, as in Linux.)
 */
#include "kernel.h"

const char demo_name[] = "irq-demo";

#define TICK_US 1000u
#define NR_TICKS 10u
#define DEADLINE_US 50000u

static struct timer_list demo_timer;
static struct tasklet_struct demo_tasklet;
static struct work_struct demo_work;
static struct thread *main_thread;
spinlock_t demo_lock = SPIN_LOCK_UNLOCKED;

static volatile u32 ticks, softirqs, tasklets, works, missed, early, heartbeats;
static volatile u32 tasklet_tick, work_tick;	/* tick whose chain last ran */
static volatile int finished;
static u32 last_tick;

static void demo_tick(u32 cpu)
{
	u32 now = (u32)read_counter();
	u32 period = us_to_cycles(TICK_US);

	if (cpu != 0 || ticks >= NR_TICKS)
		return;
	if (ticks) {
		u32 delta = now - last_tick;

		if (delta > period + period / 2) {
			missed++;
			printk("irq-demo: missed tick\n");
		} else if (delta < period / 2) {
			early++;
			printk("irq-demo: tick too early (interrupt storm?)\n");
		}
	}
	last_tick = now;
	ticks++;
	printk("irq-demo: tick %u\n", ticks);
	print_context("hardirq  tick_sched_timer ");
	mod_timer(&demo_timer, timer_base_clk() + 1);	/* due at this tick */
	tasklet_schedule(&demo_tasklet);
}

static void demo_timer_fn(struct timer_list *t)
{
	(void)t;
	softirqs++;
	print_context("softirq  run_timer_softirq");
}

static void demo_tasklet_fn(unsigned long data)
{
	(void)data;
	tasklets++;
	tasklet_tick = ticks;
	print_context("tasklet  tasklet_action   ");
	queue_work_on(nr_cpus_online > 1 ? 1 : 0, &demo_work);
}

static void demo_work_fn(struct work_struct *w)
{
	(void)w;
	print_context("work     process_one_work ");
	works++;
	work_tick = tasklet_tick;
	wake_up_thread(main_thread);
}

/* CPU1: heartbeat SGI to CPU0 every millisecond until the demo ends. */
static enum irqreturn heartbeat_ipi(u32 intid, void *dev)
{
	(void)intid;
	(void)dev;
	heartbeats++;
	wake_up_thread(main_thread);
	return IRQ_HANDLED;
}

static void heartbeat_thread(void *arg)
{
	(void)arg;
	while (!finished) {
		schedule_timeout_us(TICK_US);
		gic_send_sgi(0, IPI_CALL);
	}
}

void demo_main(void *arg)
{
	u32 flags, start, i;
	struct irq_stats s = { 0, 0, 0, 0 };

	(void)arg;
	main_thread = current;
	printk("irq-demo: %u CPUs, tick %u us on cpu0, work on cpu%u\n",
	       nr_cpus_online, TICK_US, nr_cpus_online > 1 ? 1 : 0);

	printk("irq-demo: process context (thread main)\n");
	print_context("task                      ");
	local_bh_disable();
	print_context("local_bh_disable          ");
	local_bh_enable();
	spin_lock_bh(&demo_lock);
	print_context("spin_lock_bh              ");
	spin_unlock_bh(&demo_lock);
	flags = spin_lock_irqsave(&demo_lock);
	print_context("spin_lock_irqsave         ");
	spin_unlock_irqrestore(&demo_lock, flags);

	timer_setup(&demo_timer, demo_timer_fn);
	tasklet_init(&demo_tasklet, demo_tasklet_fn, 0);
	INIT_WORK(&demo_work, demo_work_fn);
	request_percpu_irq(IPI_CALL, heartbeat_ipi, NULL, "heartbeat");
	if (nr_cpus_online > 1)
		kthread_create_on_cpu(heartbeat_thread, NULL, "heartbeat", 1);

	tick_hook = demo_tick;
	start = (u32)read_counter();
	tick_start(TICK_US);
	while (work_tick < NR_TICKS) {
		if ((u32)read_counter() - start > us_to_cycles(DEADLINE_US)) {
			printk("irq-demo: timer stalled: only %u of %u ticks in 50 ms\n",
			       ticks, NR_TICKS);
			break;
		}
		set_current_state(TASK_SLEEPING);
		if (work_tick >= NR_TICKS) {
			current->state = TASK_RUNNING;
			break;
		}
		if (nr_cpus_online > 1)
			schedule();
		else
			schedule_timeout_us(TICK_US);
	}
	tick_stop();
	finished = 1;

	for (i = 0; i < nr_cpus_online; i++) {
		s.spurious += irq_stats[i].spurious;
		s.unexpected += irq_stats[i].unexpected;
		s.unhandled += irq_stats[i].unhandled;
	}
	printk("irq-demo: summary: %u ticks, %u timer softirqs, %u tasklets, %u works, "
	       "%u missed ticks, %u early ticks\n",
	       ticks, softirqs, tasklets, works, missed, early);
	if (s.spurious || s.unexpected || s.unhandled)
		printk("irq-demo: %u spurious (GICC_IAR 1023), %u unexpected, "
		       "%u unhandled interrupts\n", s.spurious, s.unexpected, s.unhandled);
	printk("irq-demo: powering off\n");
	system_off();
}
