/*
 * irqkit: a small bare-metal SMP kernel for QEMU's virt board (Cortex-A15,
 * A32 only, MMU and caches off) whose interrupt handling follows Linux:
 * GICv2 + generic timer, irq_enter/irq_exit, preempt_count, softirqs with
 * ksoftirqd, tasklets, a workqueue, a cooperative per-CPU scheduler and
 * LDREX/STREX spinlocks.
 */
#ifndef IRQKIT_KERNEL_H
#define IRQKIT_KERNEL_H

#include "../sample/arch.h"

typedef int s32;
typedef unsigned long long u64;
typedef long long s64;

#define NR_CPUS 8
#define NULL ((void *)0)
#define TRACED __attribute__((noinline, used))

/* ---- CPU ---------------------------------------------------------------- */

static inline u32 smp_processor_id(void)
{
	u32 mpidr;

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(mpidr));
	return mpidr & 0xffu;
}

static inline void local_irq_enable(void) { __asm__ volatile("cpsie i" ::: "memory"); }
static inline void local_irq_disable(void) { __asm__ volatile("cpsid i" ::: "memory"); }

static inline u32 local_irq_save(void)
{
	u32 flags;

	__asm__ volatile("mrs %0, cpsr\n\tcpsid i" : "=r"(flags) :: "memory");
	return flags;
}

static inline void local_irq_restore(u32 flags)
{
	__asm__ volatile("msr cpsr_c, %0" :: "r"(flags) : "memory");
}

static inline int irqs_disabled(void)
{
	u32 cpsr;

	__asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
	return (cpsr & 0x80u) != 0;
}

static inline void wfi(void) { __asm__ volatile("dsb\n\twfi" ::: "memory"); }
static inline void wfe(void) { __asm__ volatile("wfe" ::: "memory"); }
static inline void sev(void) { __asm__ volatile("dsb ishst\n\tsev" ::: "memory"); }
static inline void smp_mb(void) { __asm__ volatile("dmb ish" ::: "memory"); }
static inline void barrier(void) { __asm__ volatile("" ::: "memory"); }

#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

/* ---- preempt_count: Linux's bit layout ------------------------------------ */

#define PREEMPT_OFFSET		(1u << 0)
#define SOFTIRQ_OFFSET		(1u << 8)	/* serving a softirq */
#define SOFTIRQ_DISABLE_OFFSET	(2u << 8)	/* local_bh_disable */
#define HARDIRQ_OFFSET		(1u << 16)
#define NMI_OFFSET		(1u << 20)
#define PREEMPT_MASK		0x000000ffu
#define SOFTIRQ_MASK		0x0000ff00u
#define HARDIRQ_MASK		0x000f0000u
#define NMI_MASK		0x00f00000u

extern volatile u32 __preempt_count[NR_CPUS];

static inline u32 preempt_count(void) { return __preempt_count[smp_processor_id()]; }
static inline void preempt_count_add(u32 v) { __preempt_count[smp_processor_id()] += v; barrier(); }
static inline void preempt_count_sub(u32 v) { barrier(); __preempt_count[smp_processor_id()] -= v; }
static inline void preempt_disable(void) { preempt_count_add(PREEMPT_OFFSET); }
static inline void preempt_enable(void) { preempt_count_sub(PREEMPT_OFFSET); }

#define in_irq()		((preempt_count() & HARDIRQ_MASK) != 0)
#define in_softirq()		((preempt_count() & SOFTIRQ_MASK) != 0)
#define in_serving_softirq()	((preempt_count() & SOFTIRQ_OFFSET) != 0)
#define in_interrupt()		((preempt_count() & (HARDIRQ_MASK | SOFTIRQ_MASK | NMI_MASK)) != 0)

void irq_enter(void);
void irq_exit(void);

/* ---- spinlocks: test-and-set word, 0 = free, 1 = held --------------------- */

typedef struct { volatile u32 lock; } spinlock_t;
#define SPIN_LOCK_UNLOCKED { 0 }

static inline void arch_spin_lock(spinlock_t *l)
{
	u32 tmp;

	__asm__ volatile(
	"1:	ldrex	%0, [%1]\n"
	"	teq	%0, #0\n"
	"	wfene\n"
	"	bne	1b\n"
	"	strex	%0, %2, [%1]\n"
	"	teq	%0, #0\n"
	"	bne	1b\n"
	"	dmb	ish\n"
	: "=&r"(tmp) : "r"(&l->lock), "r"(1u) : "cc", "memory");
}

static inline int arch_spin_trylock(spinlock_t *l)
{
	u32 tmp, res;

	__asm__ volatile(
	"1:	ldrex	%0, [%2]\n"
	"	teq	%0, #0\n"
	"	movne	%1, #1\n"
	"	clrexne\n"
	"	bne	2f\n"
	"	strex	%1, %3, [%2]\n"
	"	teq	%1, #0\n"
	"	bne	1b\n"
	"	dmb	ish\n"
	"2:\n"
	: "=&r"(tmp), "=&r"(res) : "r"(&l->lock), "r"(1u) : "cc", "memory");
	return res == 0;
}

static inline void arch_spin_unlock(spinlock_t *l)
{
	__asm__ volatile(
	"	dmb	ish\n"
	"	str	%1, [%0]\n"
	"	dsb	ishst\n"
	"	sev\n"
	:: "r"(&l->lock), "r"(0u) : "memory");
}

static inline void spin_lock(spinlock_t *l) { preempt_disable(); arch_spin_lock(l); }
static inline void spin_unlock(spinlock_t *l) { arch_spin_unlock(l); preempt_enable(); }
static inline int spin_trylock(spinlock_t *l)
{
	preempt_disable();
	if (arch_spin_trylock(l))
		return 1;
	preempt_enable();
	return 0;
}

static inline u32 spin_lock_irqsave(spinlock_t *l)
{
	u32 flags = local_irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, u32 flags)
{
	spin_unlock(l);
	local_irq_restore(flags);
}

void local_bh_disable(void);
void local_bh_enable(void);
void spin_lock_bh(spinlock_t *l);
void spin_unlock_bh(spinlock_t *l);

/* ---- atomic bit operations (LDREX/STREX) ---------------------------------- */

int test_and_set_bit(u32 nr, volatile u32 *addr);
int test_and_clear_bit(u32 nr, volatile u32 *addr);
void atomic_add(volatile u32 *v, u32 n);

/* ---- console -------------------------------------------------------------- */

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void print_context(const char *what);	/* cpu, preempt_count, in_*() flags */
void panic(const char *msg) __attribute__((noreturn));

/* ---- time: ARM generic timer (virtual timer, CNTV_*, PPI 11 = INTID 27) ---- */

#define TIMER_INTID 27

extern u32 cntfrq;	/* CNTFRQ, Hz */

static inline u64 read_counter(void)
{
	u32 lo, hi;

	__asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) :: "memory");
	return ((u64)hi << 32) | lo;
}

u32 us_to_cycles(u32 us);
u32 cycles_to_us(u32 cycles);
void udelay(u32 us);		/* busy-waits on the counter */

/* ---- hrtimers (per CPU, run in hard-IRQ context) --------------------------- */

enum hrtimer_restart { HRTIMER_NORESTART, HRTIMER_RESTART };

struct hrtimer {
	struct hrtimer *next;
	u64 expires;		/* counter value */
	enum hrtimer_restart (*function)(struct hrtimer *);
	int queued;
	u32 cpu;
};

void hrtimer_init(struct hrtimer *t, enum hrtimer_restart (*fn)(struct hrtimer *));
void hrtimer_start(struct hrtimer *t, u32 delta_us);	/* on this CPU */
void hrtimer_cancel(struct hrtimer *t);			/* on this CPU */
u32 hrtimer_forward_now(struct hrtimer *t, u32 interval_cycles);
void hrtimer_interrupt(void);
extern volatile u32 hrtimer_interrupts[NR_CPUS];

/* periodic tick (tick_sched_timer), per CPU; tick_hook runs in hard IRQ */
void tick_start(u32 period_us);
void tick_stop(void);
extern void (*volatile tick_hook)(u32 cpu);
extern volatile u32 jiffies;

/* ---- GIC ------------------------------------------------------------------ */

enum irqreturn { IRQ_NONE, IRQ_HANDLED };
typedef enum irqreturn (*irq_handler_t)(u32 intid, void *dev);
struct pt_regs { u32 uregs[18]; };	/* r0-r12, sp, lr, pc, cpsr, pad */

void request_percpu_irq(u32 intid, irq_handler_t fn, void *dev, const char *name);
void gic_enable_irq(u32 intid);		/* SGI/PPI: on this CPU */
void gic_disable_irq(u32 intid);
void gic_send_sgi(u32 cpu, u32 sgi);
void gic_handle_irq(struct pt_regs *regs);

#define IPI_RESCHEDULE 0
#define IPI_CALL	1	/* free for the demos */

struct irq_stats {
	u32 total;
	u32 spurious;		/* GICC_IAR returned 1020..1023 first */
	u32 unexpected;		/* INTID without handler */
	u32 unhandled;		/* handler returned IRQ_NONE */
};
extern struct irq_stats irq_stats[NR_CPUS];

/* ---- softirqs --------------------------------------------------------------- */

enum {
	HI_SOFTIRQ = 0,
	TIMER_SOFTIRQ,
	NET_TX_SOFTIRQ,
	NET_RX_SOFTIRQ,
	BLOCK_SOFTIRQ,
	IRQ_POLL_SOFTIRQ,
	TASKLET_SOFTIRQ,
	SCHED_SOFTIRQ,
	HRTIMER_SOFTIRQ,
	RCU_SOFTIRQ,
	NR_SOFTIRQS
};

#define MAX_SOFTIRQ_RESTART 10
#define MAX_SOFTIRQ_TIME_US 2000

struct softirq_action { void (*action)(struct softirq_action *); };
typedef struct { volatile u32 __softirq_pending; } irq_cpustat_t;
extern irq_cpustat_t irq_stat[NR_CPUS];

void open_softirq(int nr, void (*action)(struct softirq_action *));
void raise_softirq(u32 nr);
void raise_softirq_irqoff(u32 nr);
void __do_softirq(void);
void do_softirq(void);
static inline u32 local_softirq_pending(void) { return irq_stat[smp_processor_id()].__softirq_pending; }

struct softirq_stats {
	u32 handoffs;		/* __do_softirq gave up and woke ksoftirqd */
	u32 ksoftirqd_rounds;
};
extern struct softirq_stats softirq_stats[NR_CPUS];
extern int softirq_verbose;	/* print hand-offs to / drains by ksoftirqd */

/* ---- tasklets --------------------------------------------------------------- */

#define TASKLET_STATE_SCHED 0
#define TASKLET_STATE_RUN 1

struct tasklet_struct {
	struct tasklet_struct *next;
	volatile u32 state;
	volatile u32 count;
	void (*func)(unsigned long);
	unsigned long data;
};

void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data);
void tasklet_schedule(struct tasklet_struct *t);

/* ---- timer wheel (jiffies, run_timer_softirq) ------------------------------- */

struct timer_list {
	struct timer_list *next;
	u32 expires;
	void (*function)(struct timer_list *);
	int pending;
};
void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *));
void mod_timer(struct timer_list *t, u32 expires);	/* on this CPU */
u32 timer_base_clk(void);

/* ---- threads and scheduler ------------------------------------------------ */

enum { TASK_RUNNING = 0, TASK_SLEEPING = 1, TASK_DEAD = 2 };

struct thread {
	u32 sp;				/* saved by cpu_switch_to; offset 0 */
	volatile int state;
	u32 cpu;
	const char *name;
	void (*fn)(void *);
	void *arg;
};

struct thread *kthread_create_on_cpu(void (*fn)(void *), void *arg, const char *name, u32 cpu);
void wake_up_thread(struct thread *t);
void schedule(void);
struct thread *get_current(void);
#define current get_current()
static inline void set_current_state(int s) { current->state = s; smp_mb(); }
void schedule_timeout_us(u32 us);	/* sleep using a one-shot hrtimer */

/* ---- workqueue --------------------------------------------------------------- */

struct work_struct {
	struct work_struct *next;
	volatile u32 pending;
	void (*func)(struct work_struct *);
};
#define INIT_WORK(w, f) do { (w)->next = NULL; (w)->pending = 0; (w)->func = (f); } while (0)
int queue_work_on(u32 cpu, struct work_struct *w);
void process_one_work(void *pool, struct work_struct *w);

/* ---- SMP / boot ------------------------------------------------------------ */

extern u32 nr_cpus_online;
void demo_main(void *arg);		/* provided by each demo; runs as a thread on CPU0 */
extern const char demo_name[];
void system_off(void) __attribute__((noreturn));

void *memset(void *d, int c, u32 n);
void *memcpy(void *d, const void *s, u32 n);

#endif
