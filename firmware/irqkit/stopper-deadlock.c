/*
 * stopper-deadlock (seed 000): the migrate_swap() vs active_balance() lock
 * cycle on the per-CPU stopper locks. cpu0 (migrate_swap -> stop_two_cpus ->
 * cpu_stop_queue_two_works) takes stoppers[0].lock with spin_lock_irqsave and
 * then wants stoppers[1].lock; cpu1 (active_balance -> stop_one_cpu_nowait,
 * in migration/1) takes stoppers[1].lock with spin_lock_irqsave and then
 * wants stoppers[0].lock. Both spin (WFE) with IRQs masked, forever; their
 * 1 ms ticks stay pending in the GIC. Never powers off.
 */
#include "kernel.h"

const char demo_name[] = "stopper-deadlock";

struct cpu_stopper {
	spinlock_t lock;		/* offset 0 */
	u32 enabled;
	struct thread *thread;
	u32 nr_works;
};
struct cpu_stopper stoppers[NR_CPUS];

static volatile u32 step;

static void wait_step(u32 s)
{
	while (READ_ONCE(step) < s)
		wfe();
}

static void set_step(u32 s)
{
	smp_mb();
	WRITE_ONCE(step, s);
	sev();
}

TRACED void cpu_stop_queue_two_works(u32 cpu1, u32 cpu2)
{
	u32 flags = spin_lock_irqsave(&stoppers[cpu1].lock);

	printk("cpu%u: migrate_swap -> stop_two_cpus: holds stopper%u lock "
	       "(spin_lock_irqsave, IRQs off)\n", cpu1, cpu1);
	set_step(1);
	wait_step(2);
	printk("cpu%u: spinning on stopper%u lock (held by cpu%u) with IRQs off\n",
	       cpu1, cpu2, cpu2);
	set_step(3);
	spin_lock(&stoppers[cpu2].lock);
	stoppers[cpu1].nr_works++;
	stoppers[cpu2].nr_works++;
	spin_unlock(&stoppers[cpu2].lock);
	spin_unlock_irqrestore(&stoppers[cpu1].lock, flags);
	printk("cpu%u: queued both stopper works (no deadlock?)\n", cpu1);
}

TRACED void active_balance_stop_one_cpu(u32 this_cpu, u32 busiest_cpu)
{
	u32 flags;

	wait_step(1);
	flags = spin_lock_irqsave(&stoppers[this_cpu].lock);
	printk("cpu%u: active_balance (migration/%u): holds stopper%u lock "
	       "(spin_lock_irqsave, IRQs off)\n", this_cpu, this_cpu, this_cpu);
	set_step(2);
	wait_step(3);
	printk("cpu%u: stop_one_cpu_nowait(%u): spinning on stopper%u lock "
	       "(held by cpu%u) with IRQs off\n", this_cpu, busiest_cpu, busiest_cpu,
	       busiest_cpu);
	spin_lock(&stoppers[busiest_cpu].lock);
	stoppers[busiest_cpu].nr_works++;
	spin_unlock(&stoppers[busiest_cpu].lock);
	spin_unlock_irqrestore(&stoppers[this_cpu].lock, flags);
	printk("cpu%u: queued stopper work (no deadlock?)\n", this_cpu);
}

static void migration1_thread(void *arg)
{
	(void)arg;
	tick_start(1000);
	active_balance_stop_one_cpu(1, 0);
	for (;;) {
		set_current_state(TASK_SLEEPING);
		schedule();
	}
}

void demo_main(void *arg)
{
	u32 i;

	(void)arg;
	printk("stopper-deadlock: %u CPUs; stopper locks at stoppers[] (%u bytes each)\n",
	       nr_cpus_online, (u32)sizeof(struct cpu_stopper));
	if (nr_cpus_online < 2) {
		printk("stopper-deadlock: needs at least 2 CPUs, powering off\n");
		system_off();
	}
	for (i = 0; i < nr_cpus_online; i++)
		stoppers[i].enabled = 1;
	tick_start(1000);
	stoppers[1].thread = kthread_create_on_cpu(migration1_thread, NULL, "migration/1", 1);
	cpu_stop_queue_two_works(0, 1);
	for (;;) {
		set_current_state(TASK_SLEEPING);
		schedule();
	}
}
