/*
 * Example SoC firmware (docs/examples/soc/soc.yaml): greets on both UARTs, then
 * reports what it finds on the board's buses, on UART0:
 *   - the device-tree blob the board handed over (r2) and its /model,
 *   - the SPI NOR flash's JEDEC ID on SPI0 chip select 0 (PL022, polled),
 *   - the first byte of the SPI EEPROM on SPI1 chip select 0,
 *   - the PCIe functions on bus 0 (vendor:device through ECAM).
 * Addresses are the example board's, not virt's.
 */
typedef unsigned int u32;
typedef unsigned char u8;

#define UART0_BASE 0x1c090000u
#define UART1_BASE 0x1c0a0000u
#define SPI0_BASE  0x1c0b0000u
#define SPI1_BASE  0x1c0c0000u
#define ECAM_BASE  0x30000000u

/* PL011 (ARM DDI 0183) */
#define UARTDR    0x00u
#define UARTFR    0x18u
#define UARTLCR_H 0x2cu
#define UARTCR    0x30u
#define FR_TXFF   (1u << 5)
#define LCR_H_WLEN8 (3u << 5)
#define LCR_H_FEN (1u << 4)
#define CR_UARTEN (1u << 0)
#define CR_TXE    (1u << 8)

/* PL022 (ARM DDI 0194) */
#define SSPCR0    0x00u
#define SSPCR1    0x04u
#define SSPDR     0x08u
#define SSPSR     0x0cu
#define SSPCPSR   0x10u
#define CR0_DSS_8BIT 7u
#define CR1_SSE   (1u << 1)
#define SR_TNF    (1u << 1)
#define SR_RNE    (1u << 2)

/* SPI NOR / EEPROM commands */
#define CMD_JEDEC_ID 0x9fu
#define CMD_READ     0x03u

static inline volatile u32 *reg(u32 base, u32 off)
{
	return (volatile u32 *)(base + off);
}

static void uart_init(u32 base)
{
	*reg(base, UARTCR) = 0;
	*reg(base, UARTLCR_H) = LCR_H_WLEN8 | LCR_H_FEN;
	*reg(base, UARTCR) = CR_UARTEN | CR_TXE;
}

static void uart_putc(u32 base, char c)
{
	if (c == '\n')
		uart_putc(base, '\r');
	while (*reg(base, UARTFR) & FR_TXFF)
		;
	*reg(base, UARTDR) = (u8)c;
}

static void puts_on(u32 base, const char *s)
{
	while (*s)
		uart_putc(base, *s++);
}

static void hex_on(u32 base, u32 v, int digits)
{
	static const char hex[] = "0123456789abcdef";
	for (int i = digits - 1; i >= 0; i--)
		uart_putc(base, hex[(v >> (4 * i)) & 0xf]);
}

/* One SPI exchange with chip select 0 held for all of it (SSE frames the chip select). */
static void spi_xfer(u32 base, const u8 *tx, u8 *rx, int n)
{
	*reg(base, SSPCR1) = 0;
	*reg(base, SSPCR0) = CR0_DSS_8BIT;	/* Motorola SPI mode 0, 8-bit frames */
	*reg(base, SSPCPSR) = 2;
	*reg(base, SSPCR1) = CR1_SSE;
	for (int i = 0; i < n; i++) {
		while (!(*reg(base, SSPSR) & SR_TNF))
			;
		*reg(base, SSPDR) = tx[i];
		while (!(*reg(base, SSPSR) & SR_RNE))
			;
		rx[i] = (u8)*reg(base, SSPDR);
	}
	*reg(base, SSPCR1) = 0;
}

static u32 be32(const u8 *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3];
}

/* The string value of /model, or 0: walks the root node's properties (DTSpec 5.4). */
static const char *dtb_model(const u8 *dtb)
{
	const u8 *structs = dtb + be32(dtb + 8);
	const char *strings = (const char *)(dtb + be32(dtb + 12));
	const u8 *p = structs;
	if (be32(p) != 1)	/* FDT_BEGIN_NODE of the root */
		return 0;
	p += 8;			/* the token and the root's empty name, padded */
	while (be32(p) == 3) {	/* FDT_PROP: len, nameoff, value */
		u32 len = be32(p + 4);
		const char *name = strings + be32(p + 8);
		const char *m = "model";
		int same = 1;
		for (int i = 0; i < 6; i++)
			if (name[i] != m[i])
				same = 0;
		if (same)
			return (const char *)(p + 12);
		p += 12 + ((len + 3) & ~3u);
	}
	return 0;
}

int main(const u8 *dtb)
{
	uart_init(UART0_BASE);
	uart_init(UART1_BASE);
	puts_on(UART0_BASE, "example-soc: hello on uart0 at 0x1c090000\n");
	puts_on(UART1_BASE, "example-soc: hello on uart1 at 0x1c0a0000\n");

	if (be32(dtb) == 0xd00dfeedu) {
		const char *model = dtb_model(dtb);
		puts_on(UART0_BASE, "dtb at 0x");
		hex_on(UART0_BASE, (u32)dtb, 8);
		puts_on(UART0_BASE, ", model ");
		puts_on(UART0_BASE, model ? model : "(none)");
		puts_on(UART0_BASE, "\n");
	} else {
		puts_on(UART0_BASE, "no device tree in r2\n");
	}

	u8 tx[4] = {CMD_JEDEC_ID, 0, 0, 0}, rx[4];
	spi_xfer(SPI0_BASE, tx, rx, 4);
	puts_on(UART0_BASE, "spi0 cs0: JEDEC ID ");
	hex_on(UART0_BASE, ((u32)rx[1] << 16) | ((u32)rx[2] << 8) | rx[3], 6);
	puts_on(UART0_BASE, "\n");

	u8 rd[4] = {CMD_READ, 0, 0, 0};
	spi_xfer(SPI1_BASE, rd, rx, 4);
	puts_on(UART0_BASE, "spi1 cs0: EEPROM byte 0 = ");
	hex_on(UART0_BASE, rx[3], 2);
	puts_on(UART0_BASE, "\n");

	for (u32 dev = 0; dev < 32; dev++) {
		u32 id = *(volatile u32 *)(ECAM_BASE + (dev << 15));
		if ((id & 0xffff) == 0xffff)
			continue;
		puts_on(UART0_BASE, "pci 00:");
		hex_on(UART0_BASE, dev, 2);
		puts_on(UART0_BASE, ".0 ");
		hex_on(UART0_BASE, id & 0xffff, 4);
		puts_on(UART0_BASE, ":");
		hex_on(UART0_BASE, id >> 16, 4);
		puts_on(UART0_BASE, "\n");
	}
	puts_on(UART1_BASE, "example-soc: done\n");
	return 0;
}
