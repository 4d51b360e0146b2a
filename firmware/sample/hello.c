/* hello.elf: prints a banner over the PL011 and powers off via PSCI. */
#include "arch.h"
#include "uart.h"
#include "psci.h"

int main(u32 r0, u32 r1, u32 dtb)
{
	(void)r0;
	(void)r1;
	(void)dtb;	/* not printed: QEMU passes r2 = 0 and no DTB to a bare ELF */
	uart_init();
	uart_puts("Brassboard hello: ARMv7-A on the virt board\n");
	uart_puts("MIDR ");
	uart_puthex(read_midr());
	uart_puts("\n");
	uart_puts("powering off via PSCI SYSTEM_OFF\n");
	uart_flush();
	psci_system_off();
}
