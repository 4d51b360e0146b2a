/*
 * Brassboard's CoreMark port: seeds, the timer, start-up checks.
 *
 * Timing: start_time() and stop_time() read the virtual count CNTVCT of the
 * ARM generic timer (ARM ARM B8.1) through CP15, and CNTFRQ gives its rate.
 * On QEMU the counter follows the host clock; on Brassboard it follows
 * virtual time, which advances 1 ns per retired instruction, so CoreMark's own
 * score there is the score of a 1 GHz one-instruction-per-cycle core, not a
 * measure of Brassboard's speed.
 *
 * The two marker lines (PORT_MARK_START before the timed part's first counter
 * read, PORT_MARK_STOP after its last one) let a host that watches the console
 * time the same part by its own wall clock, start-up and exit excluded.
 */
#include "coremark.h"

#define PORT_MARK_START "brassboard-coremark: timing starts\n"
#define PORT_MARK_STOP "brassboard-coremark: timing stops\n"

/* The 2K performance run's seeds (see core_portme.h); seed 4 is the
 * iteration count, seed 5 the algorithm mask (0: all three). */
volatile ee_s32 seed1_volatile = 0x0;
volatile ee_s32 seed2_volatile = 0x0;
volatile ee_s32 seed3_volatile = 0x66;
volatile ee_s32 seed4_volatile = ITERATIONS;
volatile ee_s32 seed5_volatile = 0;

ee_u32 default_num_contexts = 1;

static ee_u64 count_at_start;
static ee_u64 count_at_stop;
static ee_u32 counter_hz;

/* CNTVCT: MRRC p15, 1, <Rt>, <Rt2>, c14. The ISB keeps the read from being
 * taken early (ARM ARM B8.1.2: reads of the counter are not ordered). */
static ee_u64 read_cntvct(void)
{
	ee_u32 lo, hi;

	__asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) : : "memory");
	return ((ee_u64)hi << 32) | lo;
}

/* CNTFRQ: MRC p15, 0, <Rt>, c14, c0, 0 (set by firmware; QEMU and
 * Brassboard reset it to 62.5 MHz on virt). */
static ee_u32 read_cntfrq(void)
{
	ee_u32 hz;

	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(hz));
	return hz;
}

void start_time(void)
{
	port_puts(PORT_MARK_START);
	count_at_start = read_cntvct();
}

void stop_time(void)
{
	count_at_stop = read_cntvct();
	port_puts(PORT_MARK_STOP);
}

CORE_TICKS get_time(void)
{
	return (CORE_TICKS)(count_at_stop - count_at_start);
}

secs_ret time_in_secs(CORE_TICKS ticks)
{
	return (secs_ret)ticks / (secs_ret)counter_hz;
}

void portable_init(core_portable *p, int *argc, char *argv[])
{
	(void)argc;
	(void)argv;
	port_uart_init();
	counter_hz = read_cntfrq();
	ee_printf("brassboard-coremark: %d iterations, %s code, counter %u Hz\n", (int)ITERATIONS,
#ifdef __thumb__
		  "T32",
#else
		  "A32",
#endif
		  counter_hz);
	if (counter_hz == 0) {
		ee_printf("brassboard-coremark: CNTFRQ is 0: no rate for the generic timer's counter\n");
		port_exit(1);
	}
	if (sizeof(ee_ptr_int) != sizeof(void *) || sizeof(ee_u32) != 4 || sizeof(ee_u16) != 2) {
		ee_printf("brassboard-coremark: the port's integer types are wrong for this target\n");
		port_exit(1);
	}
	p->portable_id = 1;
}

void portable_fini(core_portable *p)
{
	p->portable_id = 0;
}

/*
 * The C library routines GCC may call for block copies and clears. Built
 * without loop-pattern recognition, so that their own loops do not turn into
 * calls to themselves.
 */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void port_exception(ee_u32 vector, ee_u32 address) __attribute__((noreturn));

/* Called from start.S's vectors: report the exception and end the run. */
void port_exception(ee_u32 vector, ee_u32 address)
{
	if (vector == 0x08) {
		/* An SVC: port_exit's semihosting call reached the vector, so
		 * nothing implements semihosting (QEMU needs -semihosting). */
		ee_printf("brassboard-coremark: no semihosting to exit through (qemu-system-arm needs -semihosting); stopped\n");
		for (;;)
			__asm__ volatile("wfi");
	}
	ee_printf("brassboard-coremark: unexpected exception, vector offset 0x%02x, return address 0x%08x\n", vector, address);
	port_exit(1);
}
