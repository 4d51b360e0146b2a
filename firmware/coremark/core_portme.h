/*
 * Brassboard's own CoreMark port: QEMU's virt board, one Cortex-A15, bare metal,
 * MMU off, output on the PL011, time from the ARM generic timer.
 *
 * CoreMark itself (core_*.c, coremark.h) is EEMBC's and is not part of this
 * repository: `brassboard bench --coremark DIR` compiles these files against
 * the CoreMark tree at DIR. The build defines ITERATIONS (the iteration count)
 * and FLAGS_STR (the compiler flags, which CoreMark prints in its report).
 */
#ifndef CORE_PORTME_H
#define CORE_PORTME_H

#include <stddef.h>

/* The score line ("CoreMark 1.0 : N / ...") is printed only with floating
 * point; it is soft-float here and used only outside the timed part. */
#define HAS_FLOAT 1
#define HAS_TIME_H 0
#define USE_CLOCK 0
#define HAS_STDIO 0
#define HAS_PRINTF 0

#ifndef ITERATIONS
#error "build with -DITERATIONS=N (N > 0: the number of CoreMark iterations)"
#endif
#ifndef FLAGS_STR
#error "build with -DFLAGS_STR=\"...\" (the compiler flags CoreMark reports)"
#endif

#define COMPILER_VERSION "GCC" __VERSION__
#define COMPILER_FLAGS FLAGS_STR
#define MEM_LOCATION "STATIC"

typedef signed short ee_s16;
typedef unsigned short ee_u16;
typedef signed int ee_s32;
typedef double ee_f32;
typedef unsigned char ee_u8;
typedef unsigned int ee_u32;
typedef unsigned long long ee_u64;
typedef ee_u32 ee_ptr_int;	/* ILP32: a pointer fits a 32-bit integer */
typedef size_t ee_size_t;

/* Rounds an address up to the next multiple of 4 (the matrix data are 32-bit). */
#define align_mem(x) ((void *)((((ee_ptr_int)(x)) + 3u) & ~(ee_ptr_int)3u))

/* Ticks of the generic timer's counter (CNTVCT) between start_time() and
 * stop_time(): 62.5 MHz on virt, so 32 bits hold about 68 s. */
typedef ee_u32 CORE_TICKS;

/* Seeds 0, 0, 0x66 and 2000 bytes of data: CoreMark's "2K performance run",
 * the one whose CRCs CoreMark knows and whose score it prints. */
#define SEED_METHOD SEED_VOLATILE
#define PERFORMANCE_RUN 1
#define MEM_METHOD MEM_STATIC
#define MULTITHREAD 1
#define USE_PTHREAD 0
#define USE_FORK 0
#define USE_SOCKET 0
#define MAIN_HAS_NOARGC 1
#define MAIN_HAS_NORETURN 0

extern ee_u32 default_num_contexts;

typedef struct CORE_PORTABLE_S {
	ee_u8 portable_id;
} core_portable;

void portable_init(core_portable *p, int *argc, char *argv[]);
void portable_fini(core_portable *p);

/* Formatted output on the PL011 (ee_printf.c): %d %i %u %x %X %c %s %f %%
 * with flags '-' and '0', a width, a precision and the l/ll/h lengths. */
int ee_printf(const char *fmt, ...);

/* The port's console and exit (ee_printf.c, start.S). */
void port_uart_init(void);
void port_puts(const char *s);
void port_exit(int status) __attribute__((noreturn));

#endif /* CORE_PORTME_H */
