/*
 * ticker.elf: prints "tick 0", "tick 1", ... one line every 100000 busy-loop
 * iterations, forever. The decimal counter is kept as a digit string so the
 * image needs no division.
 */
#include "arch.h"
#include "uart.h"

#define TICK_LOOPS 100000u
#define DIGITS 10

static char counter[DIGITS + 1];	/* right-aligned decimal, NUL-terminated */

static void counter_init(void)
{
	int i;

	for (i = 0; i < DIGITS - 1; i++)
		counter[i] = ' ';
	counter[DIGITS - 1] = '0';
	counter[DIGITS] = '\0';
}

static void counter_inc(void)
{
	int i = DIGITS - 1;

	for (;;) {
		if (counter[i] == ' ')
			counter[i] = '0';
		if (counter[i] != '9') {
			counter[i]++;
			return;
		}
		counter[i] = '0';
		if (i == 0)
			return;	/* wraps after 9999999999 */
		i--;
	}
}

static const char *counter_str(void)
{
	const char *p = counter;

	while (*p == ' ')
		p++;
	return p;
}

int main(u32 r0, u32 r1, u32 dtb)
{
	(void)r0;
	(void)r1;
	(void)dtb;
	uart_init();
	counter_init();
	for (;;) {
		u32 i;

		uart_puts("tick ");
		uart_puts(counter_str());
		uart_puts("\n");
		counter_inc();
		for (i = 0; i < TICK_LOOPS; i++)
			__asm__ volatile("" ::: "memory");
	}
}
