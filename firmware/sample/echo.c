/*
 * echo.elf: a line echo over the PL011 (polled RX).
 * Echoes each byte; CR or LF (a CR LF pair counts once) ends the line and
 * prints a new prompt; the line "exit" powers off via PSCI; Ctrl-D (0x04)
 * exits via semihosting with status 7.
 */
#include "arch.h"
#include "uart.h"
#include "psci.h"
#include "semihosting.h"

#define LINE_MAX 64

static char line[LINE_MAX];

static int line_is_exit(u32 len)
{
	return len == 4 && line[0] == 'e' && line[1] == 'x' &&
	       line[2] == 'i' && line[3] == 't';
}

int main(u32 r0, u32 r1, u32 dtb)
{
	u32 len = 0;
	int last_cr = 0;

	(void)r0;
	(void)r1;
	(void)dtb;
	uart_init();
	uart_puts("echo> ");
	for (;;) {
		u8 c = uart_getc();

		if (c == 0x04) {
			uart_puts("\n");
			uart_flush();
			sh_exit(7);
		}
		if (c == '\n' && last_cr) {
			last_cr = 0;	/* second half of CR LF */
			continue;
		}
		last_cr = (c == '\r');
		if (c == '\r' || c == '\n') {
			uart_puts("\n");
			if (line_is_exit(len)) {
				uart_flush();
				psci_system_off();
			}
			len = 0;
			uart_puts("echo> ");
			continue;
		}
		uart_putc((char)c);
		if (len < LINE_MAX)
			line[len] = (char)c;
		len++;
		if (len > LINE_MAX)
			len = LINE_MAX + 1;	/* too long: cannot be "exit" */
	}
}
