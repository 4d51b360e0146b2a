/*
 * abort.elf: installs the vector table via VBAR, reads from an address where
 * the virt board maps nothing, and reports the resulting data abort
 * (DFSR/DFAR) before exiting via semihosting with status 0.
 */
#include "arch.h"
#include "uart.h"
#include "semihosting.h"

#ifndef UNMAPPED_ADDR
#define UNMAPPED_ADDR 0x09100000u
#endif

void handle_exception(u32 vector, u32 addr)
{
	if (vector == 0x10) {
		u32 dfsr = read_dfsr();
		u32 dfar = read_dfar();

		uart_puts("data abort: DFSR=");
		uart_puthex(dfsr);
		uart_puts(" DFAR=");
		uart_puthex(dfar);
		uart_puts("\n");
		uart_flush();
		sh_exit(0);
	}
	uart_puts("unexpected exception: vector ");
	uart_puthex(vector);
	uart_puts(" at ");
	uart_puthex(addr);
	uart_puts("\n");
	uart_flush();
	sh_exit(1);
}

int main(u32 r0, u32 r1, u32 dtb)
{
	volatile u32 *p = (volatile u32 *)UNMAPPED_ADDR;
	u32 v;

	(void)r0;
	(void)r1;
	(void)dtb;
	uart_init();
	write_vbar((u32)exception_vectors);
	uart_puts("reading ");
	uart_puthex(UNMAPPED_ADDR);
	uart_puts("\n");
	v = *p;
	uart_puts("no abort: read ");
	uart_puthex(v);
	uart_puts("\n");
	uart_flush();
	sh_exit(1);
}
