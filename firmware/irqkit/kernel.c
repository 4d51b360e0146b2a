/*
 * irqkit kernel: console, GICv2, generic timer, hrtimers, hard IRQ entry,
 * softirqs + ksoftirqd, tasklets, timer wheel, cooperative scheduler,
 * workqueue, SMP bring-up. See README.md in this directory.
 */
#include <stdarg.h>
#include "kernel.h"
#include "../sample/uart.h"
#include "../sample/psci.h"

/* ========================================================================
 * Per-CPU state that the emulator may want to look at (all global symbols)
 * ====================================================================== */

volatile u32 __preempt_count[NR_CPUS];
irq_cpustat_t irq_stat[NR_CPUS];
struct irq_stats irq_stats[NR_CPUS];
struct softirq_stats softirq_stats[NR_CPUS];
volatile u32 hrtimer_interrupts[NR_CPUS];
struct pt_regs *irq_regs[NR_CPUS];
u32 irq_scratch[NR_CPUS][8];		/* IRQ-mode sp points here (entry.S) */
volatile u32 cpu_online_mask;
u32 nr_cpus_online;
u32 cntfrq;
volatile u32 jiffies;
int softirq_verbose;
spinlock_t printk_lock = SPIN_LOCK_UNLOCKED;

void *memset(void *d, int c, u32 n)
{
	u8 *p = d;

	while (n--)
		*p++ = (u8)c;
	return d;
}

void *memcpy(void *d, const void *s, u32 n)
{
	u8 *p = d;
	const u8 *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

/* ========================================================================
 * Atomic bit operations
 * ====================================================================== */

int test_and_set_bit(u32 nr, volatile u32 *addr)
{
	u32 mask = 1u << nr, old, tmp, res;

	smp_mb();
	__asm__ volatile(
	"1:	ldrex	%0, [%3]\n"
	"	orr	%1, %0, %4\n"
	"	strex	%2, %1, [%3]\n"
	"	teq	%2, #0\n"
	"	bne	1b\n"
	: "=&r"(old), "=&r"(tmp), "=&r"(res) : "r"(addr), "r"(mask) : "cc", "memory");
	smp_mb();
	return (old & mask) != 0;
}

int test_and_clear_bit(u32 nr, volatile u32 *addr)
{
	u32 mask = 1u << nr, old, tmp, res;

	smp_mb();
	__asm__ volatile(
	"1:	ldrex	%0, [%3]\n"
	"	bic	%1, %0, %4\n"
	"	strex	%2, %1, [%3]\n"
	"	teq	%2, #0\n"
	"	bne	1b\n"
	: "=&r"(old), "=&r"(tmp), "=&r"(res) : "r"(addr), "r"(mask) : "cc", "memory");
	smp_mb();
	return (old & mask) != 0;
}

void atomic_add(volatile u32 *v, u32 n)
{
	u32 tmp, res;

	__asm__ volatile(
	"1:	ldrex	%0, [%2]\n"
	"	add	%0, %0, %3\n"
	"	strex	%1, %0, [%2]\n"
	"	teq	%1, #0\n"
	"	bne	1b\n"
	: "=&r"(tmp), "=&r"(res) : "r"(v), "r"(n) : "cc", "memory");
}

/* ========================================================================
 * Console
 * ====================================================================== */

struct outbuf { char *p; char *end; };

static void out_c(struct outbuf *o, char c)
{
	if (o->p < o->end)
		*o->p++ = c;
}

static void out_num(struct outbuf *o, u32 v, u32 base, int width, char pad, int neg)
{
	char tmp[12];
	int n = 0;

	do {
		u32 d = v % base;

		tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width-- > n)
		out_c(o, pad);
	while (n)
		out_c(o, tmp[--n]);
}

static void vformat(struct outbuf *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int width = 0;
		char pad = ' ';

		if (*fmt != '%') {
			out_c(o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l')
			fmt++;
		switch (*fmt) {
		case 'c':
			out_c(o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			while (*s)
				out_c(o, *s++);
			break;
		}
		case 'd':
		case 'i': {
			int v = va_arg(ap, int);

			out_num(o, v < 0 ? (u32)-v : (u32)v, 10, width, pad, v < 0);
			break;
		}
		case 'u':
			out_num(o, va_arg(ap, u32), 10, width, pad, 0);
			break;
		case 'x':
			out_num(o, va_arg(ap, u32), 16, width, pad, 0);
			break;
		case 'p':
			out_c(o, '0');
			out_c(o, 'x');
			out_num(o, (u32)va_arg(ap, void *), 16, 8, '0', 0);
			break;
		case '%':
			out_c(o, '%');
			break;
		default:
			out_c(o, '%');
			out_c(o, *fmt);
			if (!*fmt)
				return;
		}
	}
}

/* One printk call is written to the UART atomically (under printk_lock). */
void printk(const char *fmt, ...)
{
	char buf[200];
	struct outbuf o = { buf, buf + sizeof(buf) - 1 };
	va_list ap;
	u32 flags;

	va_start(ap, fmt);
	vformat(&o, fmt, ap);
	va_end(ap);
	*o.p = '\0';
	flags = spin_lock_irqsave(&printk_lock);
	uart_puts(buf);
	spin_unlock_irqrestore(&printk_lock, flags);
}

void print_context(const char *what)
{
	u32 pc = preempt_count();
	int dis = irqs_disabled();

	printk("  %s: cpu%u preempt_count=0x%08x in_irq=%d in_softirq=%d "
	       "in_serving_softirq=%d in_interrupt=%d irqs_disabled=%d\n",
	       what, smp_processor_id(), pc,
	       (pc & HARDIRQ_MASK) != 0, (pc & SOFTIRQ_MASK) != 0,
	       (pc & SOFTIRQ_OFFSET) != 0,
	       (pc & (HARDIRQ_MASK | SOFTIRQ_MASK | NMI_MASK)) != 0, dis);
}

void system_off(void)
{
	uart_flush();
	psci_system_off();
}

void panic(const char *msg)
{
	printk("Kernel panic - not syncing: %s\n", msg);
	local_irq_disable();
	for (;;)
		wfi();
}

void handle_bad_exception(u32 vector, u32 addr)
{
	printk("irqkit: unexpected exception, vector 0x%02x at 0x%08x on cpu%u\n",
	       vector, addr, smp_processor_id());
	for (;;)
		wfi();
}

/* ========================================================================
 * GICv2: distributor 0x08000000, CPU interface 0x08010000
 * ====================================================================== */

#define GICD_BASE 0x08000000u
#define GICC_BASE 0x08010000u
#define GICD_CTLR	0x000u
#define GICD_TYPER	0x004u
#define GICD_ISENABLER	0x100u
#define GICD_ICENABLER	0x180u
#define GICD_IPRIORITYR	0x400u
#define GICD_ITARGETSR	0x800u
#define GICD_ICFGR	0xc00u
#define GICD_SGIR	0xf00u
#define GICC_CTLR	0x00u
#define GICC_PMR	0x04u
#define GICC_BPR	0x08u
#define GICC_IAR	0x0cu
#define GICC_EOIR	0x10u

#define GIC_PRIO_DEFAULT 0xa0a0a0a0u
#define NR_IRQS 64

static inline volatile u32 *gicd(u32 off) { return (volatile u32 *)(GICD_BASE + off); }
static inline volatile u32 *gicc(u32 off) { return (volatile u32 *)(GICC_BASE + off); }

struct irq_desc {
	irq_handler_t handler;
	void *dev;
	const char *name;
	u32 unhandled[NR_CPUS];
	u32 reported;		/* bit per CPU: "found nothing to do" printed */
};
static struct irq_desc irq_desc[NR_IRQS];

static void gic_dist_init(void)
{
	u32 lines, i;

	*gicd(GICD_CTLR) = 0;
	lines = 32 * ((*gicd(GICD_TYPER) & 0x1fu) + 1);
	for (i = 32; i < lines; i += 32)
		*gicd(GICD_ICENABLER + i / 8) = 0xffffffffu;
	for (i = 32; i < lines; i += 4) {
		*gicd(GICD_IPRIORITYR + i) = GIC_PRIO_DEFAULT;
		*gicd(GICD_ITARGETSR + i) = 0x01010101u;	/* SPIs to CPU0 */
	}
	for (i = 32; i < lines; i += 16)
		*gicd(GICD_ICFGR + i / 4) = 0;			/* level */
	*gicd(GICD_CTLR) = 1;
}

static void gic_cpu_init(void)
{
	u32 i;

	*gicd(GICD_ICENABLER) = 0xffff0000u;	/* PPIs off */
	*gicd(GICD_ISENABLER) = 0x0000ffffu;	/* SGIs on */
	for (i = 0; i < 32; i += 4)
		*gicd(GICD_IPRIORITYR + i) = GIC_PRIO_DEFAULT;
	*gicc(GICC_PMR) = 0xf0;
	*gicc(GICC_BPR) = 0;
	*gicc(GICC_CTLR) = 1;
}

void gic_enable_irq(u32 intid)
{
	*gicd(GICD_ISENABLER + (intid / 32) * 4) = 1u << (intid % 32);
}

void gic_disable_irq(u32 intid)
{
	*gicd(GICD_ICENABLER + (intid / 32) * 4) = 1u << (intid % 32);
}

void gic_set_target(u32 intid, u32 cpu)	/* SPIs only, word access */
{
	volatile u32 *r = gicd(GICD_ITARGETSR + (intid & ~3u));
	u32 shift = (intid & 3u) * 8;

	*r = (*r & ~(0xffu << shift)) | ((1u << cpu) << shift);
}

void gic_send_sgi(u32 cpu, u32 sgi)
{
	__asm__ volatile("dsb ishst" ::: "memory");
	*gicd(GICD_SGIR) = (1u << (16 + cpu)) | (sgi & 0xfu);
}

void request_percpu_irq(u32 intid, irq_handler_t fn, void *dev, const char *name)
{
	if (intid >= NR_IRQS)
		return;
	irq_desc[intid].handler = fn;
	irq_desc[intid].dev = dev;
	irq_desc[intid].name = name;
}

/* ========================================================================
 * Hard IRQ: gic_handle_irq -> irq_enter / handler / EOI / irq_exit
 * ====================================================================== */

static void note_unhandled(struct irq_desc *d, u32 irq, u32 cpu)
{
	irq_stats[cpu].unhandled++;
	if (!(d->reported & (1u << cpu))) {
		d->reported |= 1u << cpu;
		printk("irq %u on cpu%u: %s found nothing to do (spurious interrupt?)\n",
		       irq, cpu, d->name);
	}
	if (++d->unhandled[cpu] == 100) {
		printk("irq %u on cpu%u: nobody cared (100 unhandled in a row), "
		       "Disabling IRQ #%u\n", irq, cpu, irq);
		gic_disable_irq(irq);
	}
}

static void generic_handle_irq(u32 irq, u32 cpu)
{
	struct irq_desc *d = irq < NR_IRQS ? &irq_desc[irq] : NULL;

	if (!d || !d->handler) {
		irq_stats[cpu].unexpected++;
		printk("irq: unexpected IRQ trap at INTID %u on cpu%u, disabling it\n",
		       irq, cpu);
		gic_disable_irq(irq);
		return;
	}
	if (d->handler(irq, d->dev) == IRQ_NONE)
		note_unhandled(d, irq, cpu);
	else
		d->unhandled[cpu] = 0;
}

TRACED void gic_handle_irq(struct pt_regs *regs)
{
	u32 cpu = smp_processor_id();
	int first = 1;

	irq_regs[cpu] = regs;
	for (;;) {
		u32 iar = *gicc(GICC_IAR);
		u32 irq = iar & 0x3ffu;

		if (irq >= 1020) {
			if (first)
				irq_stats[cpu].spurious++;
			break;
		}
		first = 0;
		irq_stats[cpu].total++;
		if (irq < 16) {
			/* IPI: EOI first, as Linux's gic_handle_irq does */
			*gicc(GICC_EOIR) = iar;
			irq_enter();
			generic_handle_irq(irq, cpu);
			irq_exit();
			continue;
		}
		irq_enter();
		generic_handle_irq(irq, cpu);
		*gicc(GICC_EOIR) = iar;
		irq_exit();
	}
}

TRACED void irq_enter(void)
{
	preempt_count_add(HARDIRQ_OFFSET);
}

static int ksoftirqd_running(void);

static void invoke_softirq(void)
{
	if (ksoftirqd_running())
		return;
	__do_softirq();
}

TRACED void irq_exit(void)
{
	local_irq_disable();
	preempt_count_sub(HARDIRQ_OFFSET);
	if (!in_interrupt() && local_softirq_pending())
		invoke_softirq();
}

/* ========================================================================
 * Generic timer (virtual timer: CNTV_CTL, CNTV_CVAL, CNTVCT; INTID 27)
 * ====================================================================== */

#define CNTV_CTL_ENABLE  (1u << 0)
#define CNTV_CTL_IMASK   (1u << 1)
#define CNTV_CTL_ISTATUS (1u << 2)

static inline u32 read_cntv_ctl(void)
{
	u32 v;

	__asm__ volatile("mrc p15, 0, %0, c14, c3, 1" : "=r"(v));
	return v;
}

static inline void write_cntv_ctl(u32 v)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" :: "r"(v) : "memory");
}

static inline void write_cntv_cval(u64 v)
{
	__asm__ volatile("mcrr p15, 3, %0, %1, c14\n\tisb"
			 :: "r"((u32)v), "r"((u32)(v >> 32)) : "memory");
}

static inline u32 read_cntfrq(void)
{
	u32 v;

	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
	return v;
}

u32 us_to_cycles(u32 us)
{
	return us * (cntfrq / 1000) / 1000;	/* us < 68 s at 62.5 MHz */
}

u32 cycles_to_us(u32 cycles)
{
	return cycles / (cntfrq / 1000000) ;	/* approximate (62 vs 62.5) */
}

void udelay(u32 us)
{
	u32 start = (u32)read_counter(), n = us_to_cycles(us);

	while ((u32)read_counter() - start < n)
		;
}

/* ---- hrtimers: one sorted list per CPU, always touched with IRQs off ---- */

struct hrtimer_cpu_base {
	spinlock_t lock;	/* only local CPU, kept for lock tracing */
	struct hrtimer *head;
} hrtimer_bases[NR_CPUS];

static void hrtimer_program(struct hrtimer_cpu_base *b)
{
	if (b->head) {
		write_cntv_cval(b->head->expires);
		write_cntv_ctl(CNTV_CTL_ENABLE);
	} else {
		write_cntv_ctl(0);
	}
}

static void enqueue_hrtimer(struct hrtimer_cpu_base *b, struct hrtimer *t)
{
	struct hrtimer **pp = &b->head;

	while (*pp && (*pp)->expires <= t->expires)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	t->queued = 1;
}

static void dequeue_hrtimer(struct hrtimer_cpu_base *b, struct hrtimer *t)
{
	struct hrtimer **pp = &b->head;

	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (*pp)
		*pp = t->next;
	t->queued = 0;
}

void hrtimer_init(struct hrtimer *t, enum hrtimer_restart (*fn)(struct hrtimer *))
{
	t->next = NULL;
	t->expires = 0;
	t->function = fn;
	t->queued = 0;
	t->cpu = 0;
}

void hrtimer_start(struct hrtimer *t, u32 delta_us)
{
	u32 cpu = smp_processor_id();
	struct hrtimer_cpu_base *b = &hrtimer_bases[cpu];
	u32 flags = spin_lock_irqsave(&b->lock);

	if (t->queued)
		dequeue_hrtimer(b, t);
	t->cpu = cpu;
	t->expires = read_counter() + us_to_cycles(delta_us);
	enqueue_hrtimer(b, t);
	hrtimer_program(b);
	spin_unlock_irqrestore(&b->lock, flags);
}

void hrtimer_cancel(struct hrtimer *t)
{
	struct hrtimer_cpu_base *b = &hrtimer_bases[smp_processor_id()];
	u32 flags = spin_lock_irqsave(&b->lock);

	if (t->queued) {
		dequeue_hrtimer(b, t);
		hrtimer_program(b);
	}
	spin_unlock_irqrestore(&b->lock, flags);
}

/* Linux's hrtimer_forward(timer, now, interval); 32-bit division only. */
TRACED u32 hrtimer_forward_now(struct hrtimer *t, u32 interval)
{
	u64 now = read_counter();
	u32 orun = 1;

	if (now < t->expires)
		return 0;
	if (now - t->expires >= interval) {
		u32 delta = (u32)(now - t->expires);

		orun = delta / interval;
		t->expires += (u64)orun * interval;
		if (t->expires > now)
			return orun;
		orun++;
	}
	t->expires += interval;
	return orun;
}

TRACED void hrtimer_interrupt(void)
{
	u32 cpu = smp_processor_id();
	struct hrtimer_cpu_base *b = &hrtimer_bases[cpu];
	struct hrtimer *t;

	hrtimer_interrupts[cpu]++;
	spin_lock(&b->lock);
	while ((t = b->head) && t->expires <= read_counter()) {
		enum hrtimer_restart r;

		b->head = t->next;
		t->queued = 0;
		spin_unlock(&b->lock);		/* callbacks run unlocked */
		r = t->function(t);
		spin_lock(&b->lock);
		if (r == HRTIMER_RESTART && !t->queued)
			enqueue_hrtimer(b, t);
	}
	hrtimer_program(b);
	spin_unlock(&b->lock);
}

static enum irqreturn arch_timer_handler(u32 intid, void *dev)
{
	u32 ctl = read_cntv_ctl();

	(void)intid;
	(void)dev;
	if (!(ctl & CNTV_CTL_ISTATUS))
		return IRQ_NONE;
	write_cntv_ctl(ctl | CNTV_CTL_IMASK);
	hrtimer_interrupt();
	return IRQ_HANDLED;
}

/* ---- periodic tick (tick_sched_timer) ---------------------------------- */

static struct hrtimer tick_timers[NR_CPUS];
static u32 tick_period[NR_CPUS];	/* cycles */
static volatile int tick_stopping[NR_CPUS];
void (*volatile tick_hook)(u32 cpu);

static void run_local_timers(u32 cpu);

TRACED enum hrtimer_restart tick_sched_timer(struct hrtimer *t)
{
	u32 cpu = smp_processor_id();
	void (*hook)(u32) = tick_hook;

	if (cpu == 0)
		jiffies++;
	if (hook)
		hook(cpu);
	run_local_timers(cpu);
	if (tick_stopping[cpu])
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, tick_period[cpu]);
	return HRTIMER_RESTART;
}

void tick_start(u32 period_us)
{
	u32 cpu = smp_processor_id();

	tick_period[cpu] = us_to_cycles(period_us);
	tick_stopping[cpu] = 0;
	hrtimer_init(&tick_timers[cpu], tick_sched_timer);
	hrtimer_start(&tick_timers[cpu], period_us);
}

void tick_stop(void)
{
	u32 cpu = smp_processor_id();

	tick_stopping[cpu] = 1;
	hrtimer_cancel(&tick_timers[cpu]);
}

/* ========================================================================
 * Softirqs
 * ====================================================================== */

static struct softirq_action softirq_vec[NR_SOFTIRQS];
static struct thread *ksoftirqd[NR_CPUS];
static volatile u32 ksoftirqd_woken_by_limit[NR_CPUS];
static const char *const softirq_names[NR_SOFTIRQS] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET",
	"SCHED", "HRTIMER", "RCU"
};

static int need_resched(void);

void open_softirq(int nr, void (*action)(struct softirq_action *))
{
	softirq_vec[nr].action = action;
}

static int ksoftirqd_running(void)
{
	struct thread *t = ksoftirqd[smp_processor_id()];

	return t && t->state == TASK_RUNNING;
}

static void wakeup_softirqd(void)
{
	struct thread *t = ksoftirqd[smp_processor_id()];

	if (t)
		wake_up_thread(t);
}

void raise_softirq_irqoff(u32 nr)
{
	irq_stat[smp_processor_id()].__softirq_pending |= 1u << nr;
	if (!in_interrupt())
		wakeup_softirqd();
}

void raise_softirq(u32 nr)
{
	u32 flags = local_irq_save();

	raise_softirq_irqoff(nr);
	local_irq_restore(flags);
}

TRACED void __do_softirq(void)
{
	u32 cpu = smp_processor_id();
	u32 end = (u32)read_counter() + us_to_cycles(MAX_SOFTIRQ_TIME_US);
	int max_restart = MAX_SOFTIRQ_RESTART;
	u32 pending = irq_stat[cpu].__softirq_pending;
	int timed_out;

	preempt_count_add(SOFTIRQ_OFFSET);
restart:
	irq_stat[cpu].__softirq_pending = 0;
	local_irq_enable();
	while (pending) {
		u32 nr = (u32)__builtin_ctz(pending);

		if (softirq_vec[nr].action)
			softirq_vec[nr].action(&softirq_vec[nr]);
		pending &= ~(1u << nr);
	}
	local_irq_disable();
	pending = irq_stat[cpu].__softirq_pending;
	if (pending) {
		timed_out = (s32)((u32)read_counter() - end) >= 0;
		if (!timed_out && !need_resched() && --max_restart)
			goto restart;
		if (!ksoftirqd_running()) {
			softirq_stats[cpu].handoffs++;
			if (softirq_verbose)
				printk("__do_softirq[cpu%u]: softirqs 0x%03x still pending %s, "
				       "waking ksoftirqd/%u\n", cpu, pending,
				       timed_out ? "after 2 ms" :
				       max_restart ? "and need_resched" :
				       "after 10 restarts (MAX_SOFTIRQ_RESTART)", cpu);
			ksoftirqd_woken_by_limit[cpu] = 1;
		}
		wakeup_softirqd();
	}
	preempt_count_sub(SOFTIRQ_OFFSET);
}

void do_softirq(void)
{
	u32 flags;

	if (in_interrupt())
		return;
	flags = local_irq_save();
	if (local_softirq_pending() && !ksoftirqd_running())
		__do_softirq();
	local_irq_restore(flags);
}

void local_bh_disable(void)
{
	preempt_count_add(SOFTIRQ_DISABLE_OFFSET);
}

void local_bh_enable(void)
{
	preempt_count_sub(SOFTIRQ_DISABLE_OFFSET - 1);
	if (!in_interrupt() && local_softirq_pending())
		do_softirq();
	preempt_count_sub(1);
}

void spin_lock_bh(spinlock_t *l)
{
	local_bh_disable();
	spin_lock(l);
}

void spin_unlock_bh(spinlock_t *l)
{
	spin_unlock(l);
	local_bh_enable();
}

/* One round of ksoftirqd (Linux: run_ksoftirqd). */
TRACED void ksoftirqd_run(u32 cpu)
{
	local_irq_disable();
	if (irq_stat[cpu].__softirq_pending) {
		softirq_stats[cpu].ksoftirqd_rounds++;
		__do_softirq();
	}
	local_irq_enable();
}

static void ksoftirqd_thread(void *arg)
{
	u32 cpu = (u32)arg;

	for (;;) {
		local_irq_disable();
		if (!irq_stat[cpu].__softirq_pending) {
			current->state = TASK_SLEEPING;
			if (ksoftirqd_woken_by_limit[cpu]) {
				ksoftirqd_woken_by_limit[cpu] = 0;
				if (softirq_verbose)
					printk("ksoftirqd/%u: drained all pending softirqs, "
					       "going back to sleep\n", cpu);
			}
			local_irq_enable();
			schedule();
			continue;
		}
		local_irq_enable();
		ksoftirqd_run(cpu);
		schedule();	/* cond_resched() */
	}
}

const char *softirq_name(u32 nr)
{
	return nr < NR_SOFTIRQS ? softirq_names[nr] : "?";
}

/* ========================================================================
 * Tasklets
 * ====================================================================== */

struct tasklet_head { struct tasklet_struct *head, **tail; };
struct tasklet_head tasklet_vec[NR_CPUS];

void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data)
{
	t->next = NULL;
	t->state = 0;
	t->count = 0;
	t->func = func;
	t->data = data;
}

void tasklet_schedule(struct tasklet_struct *t)
{
	struct tasklet_head *tv;
	u32 flags;

	if (test_and_set_bit(TASKLET_STATE_SCHED, &t->state))
		return;
	flags = local_irq_save();
	tv = &tasklet_vec[smp_processor_id()];
	t->next = NULL;
	*tv->tail = t;
	tv->tail = &t->next;
	raise_softirq_irqoff(TASKLET_SOFTIRQ);
	local_irq_restore(flags);
}

TRACED void tasklet_action(struct softirq_action *a)
{
	struct tasklet_head *tv = &tasklet_vec[smp_processor_id()];
	struct tasklet_struct *list;

	(void)a;
	local_irq_disable();
	list = tv->head;
	tv->head = NULL;
	tv->tail = &tv->head;
	local_irq_enable();

	while (list) {
		struct tasklet_struct *t = list;

		list = list->next;
		if (!test_and_set_bit(TASKLET_STATE_RUN, &t->state)) {	/* trylock */
			if (!t->count) {
				if (!test_and_clear_bit(TASKLET_STATE_SCHED, &t->state))
					panic("tasklet_action: tasklet not scheduled");
				t->func(t->data);
				test_and_clear_bit(TASKLET_STATE_RUN, &t->state);
				continue;
			}
			test_and_clear_bit(TASKLET_STATE_RUN, &t->state);
		}
		/* running elsewhere (or disabled): requeue for later */
		local_irq_disable();
		t->next = NULL;
		*tv->tail = t;
		tv->tail = &t->next;
		irq_stat[smp_processor_id()].__softirq_pending |= 1u << TASKLET_SOFTIRQ;
		local_irq_enable();
	}
}

/* ========================================================================
 * Timer wheel (well, a list): timer_list in jiffies of the local tick
 * ====================================================================== */

struct timer_base {
	spinlock_t lock;
	volatile u32 clk;
	struct timer_list *head;
} timer_bases[NR_CPUS];

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *))
{
	t->next = NULL;
	t->expires = 0;
	t->function = fn;
	t->pending = 0;
}

static void detach_timer(struct timer_base *b, struct timer_list *t)
{
	struct timer_list **pp = &b->head;

	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (*pp)
		*pp = t->next;
	t->pending = 0;
}

void mod_timer(struct timer_list *t, u32 expires)
{
	struct timer_base *b = &timer_bases[smp_processor_id()];
	u32 flags = spin_lock_irqsave(&b->lock);

	if (t->pending)
		detach_timer(b, t);
	t->expires = expires;
	t->next = b->head;
	b->head = t;
	t->pending = 1;
	spin_unlock_irqrestore(&b->lock, flags);
}

u32 timer_base_clk(void)
{
	return timer_bases[smp_processor_id()].clk;
}

static void run_local_timers(u32 cpu)
{
	struct timer_base *b = &timer_bases[cpu];
	struct timer_list *t;

	b->clk++;
	for (t = b->head; t; t = t->next)
		if ((s32)(b->clk - t->expires) >= 0) {
			raise_softirq_irqoff(TIMER_SOFTIRQ);
			break;
		}
}

TRACED void run_timer_softirq(struct softirq_action *a)
{
	struct timer_base *b = &timer_bases[smp_processor_id()];
	u32 flags;

	(void)a;
	flags = spin_lock_irqsave(&b->lock);
	for (;;) {
		struct timer_list *t;

		for (t = b->head; t; t = t->next)
			if ((s32)(b->clk - t->expires) >= 0)
				break;
		if (!t)
			break;
		detach_timer(b, t);
		spin_unlock_irqrestore(&b->lock, flags);
		t->function(t);
		flags = spin_lock_irqsave(&b->lock);
	}
	spin_unlock_irqrestore(&b->lock, flags);
}

/* ========================================================================
 * Threads and the cooperative scheduler
 * ====================================================================== */

#define MAX_THREADS 48
#define THREAD_STACK_SIZE 0x1000u
#define RQ_MAX 8

extern char __thread_stacks[];
void cpu_switch_to(struct thread *prev, struct thread *next);
void thread_trampoline(void);

struct rq {
	spinlock_t lock;
	struct thread *curr;
	struct thread idle;
	struct thread *threads[RQ_MAX];
	u32 nr;
	u32 last;
	volatile u32 need_resched;
	u32 nr_switches;
} runqueues[NR_CPUS];

static struct thread thread_pool[MAX_THREADS];
static u32 nr_threads;
spinlock_t threads_lock = SPIN_LOCK_UNLOCKED;

struct thread *get_current(void)
{
	return runqueues[smp_processor_id()].curr;
}

static int need_resched(void)
{
	return runqueues[smp_processor_id()].need_resched != 0;
}

struct thread *kthread_create_on_cpu(void (*fn)(void *), void *arg, const char *name, u32 cpu)
{
	struct rq *rq = &runqueues[cpu];
	struct thread *t;
	u32 *sp, i, flags;

	flags = spin_lock_irqsave(&threads_lock);
	i = nr_threads++;
	spin_unlock_irqrestore(&threads_lock, flags);
	if (i >= MAX_THREADS || rq->nr >= RQ_MAX)
		panic("kthread_create_on_cpu: out of threads");
	t = &thread_pool[i];
	sp = (u32 *)(__thread_stacks + (i + 1) * THREAD_STACK_SIZE) - 10;
	memset(sp, 0, 40);
	sp[1] = (u32)fn;			/* r4 */
	sp[2] = (u32)arg;			/* r5 */
	sp[9] = (u32)thread_trampoline;		/* lr */
	t->sp = (u32)sp;
	t->cpu = cpu;
	t->name = name;
	t->fn = fn;
	t->arg = arg;
	t->state = TASK_RUNNING;

	flags = spin_lock_irqsave(&rq->lock);
	rq->threads[rq->nr++] = t;
	rq->need_resched = 1;
	spin_unlock_irqrestore(&rq->lock, flags);
	if (cpu != smp_processor_id())
		gic_send_sgi(cpu, IPI_RESCHEDULE);
	return t;
}

void wake_up_thread(struct thread *t)
{
	struct rq *rq = &runqueues[t->cpu];
	u32 flags = spin_lock_irqsave(&rq->lock);
	int woke = 0;

	if (t->state == TASK_SLEEPING) {
		t->state = TASK_RUNNING;
		rq->need_resched = 1;
		woke = 1;
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	if (woke && t->cpu != smp_processor_id())
		gic_send_sgi(t->cpu, IPI_RESCHEDULE);
}

TRACED void schedule(void)
{
	u32 cpu = smp_processor_id();
	struct rq *rq = &runqueues[cpu];
	struct thread *prev, *next = NULL;
	u32 flags, i;

	if (preempt_count())
		printk("BUG: scheduling while atomic: %s/cpu%u/0x%08x\n",
		       rq->curr->name, cpu, preempt_count());
	flags = spin_lock_irqsave(&rq->lock);
	prev = rq->curr;
	for (i = 1; i <= rq->nr; i++) {
		u32 j = rq->last + i;

		while (j >= rq->nr)
			j -= rq->nr;
		if (rq->threads[j]->state == TASK_RUNNING) {
			next = rq->threads[j];
			rq->last = j;
			break;
		}
	}
	if (!next)
		next = &rq->idle;
	rq->need_resched = 0;
	rq->curr = next;
	spin_unlock(&rq->lock);
	if (next != prev) {
		rq->nr_switches++;
		cpu_switch_to(prev, next);
	}
	local_irq_restore(flags);
}

void thread_exit(void)
{
	local_irq_disable();
	current->state = TASK_DEAD;
	schedule();
	panic("dead thread scheduled");
}

struct sleeper { struct hrtimer timer; struct thread *task; };

static enum hrtimer_restart sleeper_wakeup(struct hrtimer *t)
{
	wake_up_thread(((struct sleeper *)t)->task);
	return HRTIMER_NORESTART;
}

void schedule_timeout_us(u32 us)
{
	struct sleeper s;

	hrtimer_init(&s.timer, sleeper_wakeup);
	s.task = current;
	set_current_state(TASK_SLEEPING);
	hrtimer_start(&s.timer, us);
	schedule();
	hrtimer_cancel(&s.timer);
}

static void cpu_idle_loop(u32 cpu)
{
	struct rq *rq = &runqueues[cpu];

	for (;;) {
		local_irq_disable();
		if (rq->need_resched) {
			local_irq_enable();
			schedule();
			continue;
		}
		wfi();
		local_irq_enable();
	}
}

/* ========================================================================
 * Workqueue: one worker thread (kworker/N) per CPU
 * ====================================================================== */

struct worker_pool {
	spinlock_t lock;
	u32 cpu;
	struct work_struct *head, *tail;
	struct thread *worker;
	u32 nr_done;
} worker_pools[NR_CPUS];

int queue_work_on(u32 cpu, struct work_struct *w)
{
	struct worker_pool *pool = &worker_pools[cpu];
	u32 flags;

	if (test_and_set_bit(0, &w->pending))
		return 0;
	flags = spin_lock_irqsave(&pool->lock);
	w->next = NULL;
	if (pool->tail)
		pool->tail->next = w;
	else
		pool->head = w;
	pool->tail = w;
	spin_unlock_irqrestore(&pool->lock, flags);
	if (pool->worker)
		wake_up_thread(pool->worker);
	return 1;
}

TRACED void process_one_work(void *pool, struct work_struct *w)
{
	struct worker_pool *p = pool;

	test_and_clear_bit(0, &w->pending);
	w->func(w);
	p->nr_done++;
}

static void worker_thread(void *arg)
{
	struct worker_pool *pool = arg;

	for (;;) {
		u32 flags = spin_lock_irqsave(&pool->lock);
		struct work_struct *w = pool->head;

		if (!w) {
			current->state = TASK_SLEEPING;
			spin_unlock_irqrestore(&pool->lock, flags);
			schedule();
			continue;
		}
		pool->head = w->next;
		if (!pool->head)
			pool->tail = NULL;
		spin_unlock_irqrestore(&pool->lock, flags);
		process_one_work(pool, w);
	}
}

/* ========================================================================
 * Boot and SMP bring-up
 * ====================================================================== */

#define PSCI_CPU_ON 0x84000003u

extern char secondary_entry[];

static const char *const ksoftirqd_names[NR_CPUS] = {
	"ksoftirqd/0", "ksoftirqd/1", "ksoftirqd/2", "ksoftirqd/3",
	"ksoftirqd/4", "ksoftirqd/5", "ksoftirqd/6", "ksoftirqd/7"
};
static const char *const kworker_names[NR_CPUS] = {
	"kworker/0", "kworker/1", "kworker/2", "kworker/3",
	"kworker/4", "kworker/5", "kworker/6", "kworker/7"
};

static enum irqreturn ipi_resched(u32 intid, void *dev)
{
	(void)intid;
	(void)dev;
	return IRQ_HANDLED;	/* the waker already set need_resched */
}

static void cpu_init(u32 cpu)
{
	struct rq *rq = &runqueues[cpu];
	struct worker_pool *pool = &worker_pools[cpu];

	rq->idle.name = "swapper";
	rq->idle.cpu = cpu;
	rq->idle.state = TASK_RUNNING;
	rq->curr = &rq->idle;
	tasklet_vec[cpu].head = NULL;
	tasklet_vec[cpu].tail = &tasklet_vec[cpu].head;

	gic_cpu_init();
	write_cntv_ctl(0);
	gic_enable_irq(TIMER_INTID);

	ksoftirqd[cpu] = kthread_create_on_cpu(ksoftirqd_thread, (void *)cpu,
					       ksoftirqd_names[cpu], cpu);
	pool->cpu = cpu;
	pool->worker = kthread_create_on_cpu(worker_thread, pool, kworker_names[cpu], cpu);
}

void secondary_start_kernel(u32 cpu)
{
	cpu_init(cpu);
	smp_mb();
	cpu_online_mask |= 1u << cpu;	/* only written by this CPU now */
	sev();
	cpu_idle_loop(cpu);
}

void start_kernel(void)
{
	u32 m;

	uart_init();
	cntfrq = read_cntfrq();
	if (!cntfrq)
		cntfrq = 62500000;
	printk("irqkit: %s, booting on cpu%u\n", demo_name, smp_processor_id());
	printk("irqkit: virtual timer CNTV (PPI 11, INTID %u), CNTFRQ %u Hz, "
	       "GICv2 at 0x%08x/0x%08x\n", TIMER_INTID, cntfrq, GICD_BASE, GICC_BASE);

	gic_dist_init();
	request_percpu_irq(TIMER_INTID, arch_timer_handler, NULL, "arch_timer");
	request_percpu_irq(IPI_RESCHEDULE, ipi_resched, NULL, "IPI_RESCHEDULE");
	open_softirq(TIMER_SOFTIRQ, run_timer_softirq);
	open_softirq(TASKLET_SOFTIRQ, tasklet_action);
	cpu_init(0);
	cpu_online_mask = 1;
	nr_cpus_online = 1;

	for (m = 1; m < NR_CPUS; m++) {
		s32 ret = (s32)psci_call(PSCI_CPU_ON, m, (u32)secondary_entry, m);

		if (ret != 0)
			break;
		while (!(READ_ONCE(cpu_online_mask) & (1u << m)))
			wfe();
		nr_cpus_online++;
	}
	printk("smp: brought up %u CPUs (PSCI CPU_ON over HVC)\n", nr_cpus_online);

	kthread_create_on_cpu(demo_main, NULL, "main", 0);
	cpu_idle_loop(0);
}
