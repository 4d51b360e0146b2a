/* Brassboard sample firmware: polled PL011 UART driver. */
#include "uart.h"

#define UART_BASE 0x09000000u

#define UARTDR   0x00u
#define UARTFR   0x18u
#define UARTLCR_H 0x2cu
#define UARTCR   0x30u
#define UARTIMSC 0x38u

#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)

#define LCR_H_FEN  (1u << 4)
#define LCR_H_WLEN8 (3u << 5)

#define CR_UARTEN (1u << 0)
#define CR_TXE    (1u << 8)
#define CR_RXE    (1u << 9)

static inline volatile u32 *reg(u32 off)
{
	return (volatile u32 *)(UART_BASE + off);
}

void uart_init(void)
{
	*reg(UARTCR) = 0;			/* disable while configuring */
	*reg(UARTIMSC) = 0;			/* polled: no interrupts */
	*reg(UARTLCR_H) = LCR_H_WLEN8 | LCR_H_FEN;	/* 8N1, FIFOs on */
	*reg(UARTCR) = CR_UARTEN | CR_TXE | CR_RXE;
}

static void uart_tx(u8 b)
{
	while (*reg(UARTFR) & FR_TXFF)
		;
	*reg(UARTDR) = b;
}

void uart_putc(char c)
{
	if (c == '\n')
		uart_tx('\r');
	uart_tx((u8)c);
}

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

void uart_puthex(u32 v)
{
	static const char digits[] = "0123456789abcdef";
	int shift;

	uart_putc('0');
	uart_putc('x');
	for (shift = 28; shift >= 0; shift -= 4)
		uart_putc(digits[(v >> shift) & 0xfu]);
}

u8 uart_getc(void)
{
	while (*reg(UARTFR) & FR_RXFE)
		;
	return (u8)(*reg(UARTDR) & 0xffu);
}

void uart_flush(void)
{
	while (*reg(UARTFR) & FR_BUSY)
		;
}
