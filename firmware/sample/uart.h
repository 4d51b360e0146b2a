/* Brassboard sample firmware: polled PL011 UART driver (virt: 0x09000000). */
#ifndef BRASSBOARD_UART_H
#define BRASSBOARD_UART_H

#include "arch.h"

void uart_init(void);
void uart_putc(char c);		/* '\n' is sent as "\r\n" */
void uart_puts(const char *s);
void uart_puthex(u32 v);	/* "0x" and exactly 8 lowercase hex digits */
u8 uart_getc(void);		/* blocks until a byte is received */
void uart_flush(void);		/* waits until the transmitter is idle */

#endif
