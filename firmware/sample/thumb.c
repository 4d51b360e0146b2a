/*
 * thumb.elf: C compiled to Thumb-2 (-mthumb), called from the A32 startup code
 * (interworking BLX both ways through the linker's veneers-free BLX). Its code
 * uses what a compiler makes of ordinary C in Thumb state: IT blocks,
 * CBZ/CBNZ, TBB/TBH switch tables, UDIV/SDIV, bit-field instructions, 64-bit
 * multiplies, LDRD/STRD, PUSH/POP with PC. Prints what it computed (the same on
 * QEMU) and powers off.
 */
#include "arch.h"
#include "uart.h"
#include "psci.h"

typedef unsigned long long u64;

static u32 crc32(const u8 *p, u32 n)
{
	u32 crc = 0xffffffffu;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

/* Divisors and the like come from here, so that the compiler cannot fold them. */
static volatile u32 knobs[4] = {13, 7, 10, 3};

static u32 step(u32 v, u32 acc)
{
	switch (v % knobs[0]) {	/* a dense switch of different operations: a TBB table */
	case 0: return acc + v;
	case 1: return acc ^ (v << 3);
	case 2: return acc - (v >> 1);
	case 3: return acc * 3 + 1;
	case 4: return (acc << 7) | (acc >> 25);
	case 5: return acc & ~v;
	case 6: return acc | (v * v);
	case 7: return acc / (v | 1);
	case 8: return acc + ((acc >> 4) & 0xfff);
	case 9: return ~acc;
	case 10: return acc - 0x1234567;
	case 11: return acc ^ 0x5a5a5a5a;
	default: return acc + 0xc0;
	}
}

static u32 collatz_steps(u32 n)
{
	u32 steps = 0;
	while (n != 1) {
		n = (n & 1) ? 3 * n + 1 : n / 2;
		steps++;
	}
	return steps;
}

static u32 digits(u32 v, u32 base)
{
	u32 n = 0;
	do {
		v /= base;	/* UDIV */
		n++;
	} while (v);
	return n;
}

struct pair {
	u32 lo;
	u32 hi;
};

static u64 mix(const struct pair *p, int n)
{
	u64 acc = 0x0123456789abcdefull;
	for (int i = 0; i < n; i++) {
		acc = acc * 0x100000001b3ull + (((u64)p[i].hi << 32) | p[i].lo);
		acc ^= acc >> 29;
	}
	return acc;
}

static const u8 text[] = "Thumb-2 on the virt board";

int main(u32 r0, u32 r1, u32 dtb)
{
	(void)r0;
	(void)r1;
	(void)dtb;
	uart_init();
	uart_puts("Brassboard thumb: ");
	uart_puts((const char *)text);
	uart_puts("\ncrc32 ");
	uart_puthex(crc32(text, sizeof text - 1));
	u32 table = 0;
	for (u32 i = 0; i < 40; i++)
		table = step(i * 7 + 3, table);
	uart_puts("\nswitch ");
	uart_puthex(table);
	u32 longest = 0, at = 0;
	for (u32 n = 1; n < 3000; n++) {
		u32 s = collatz_steps(n);
		if (s > longest) {
			longest = s;
			at = n;
		}
	}
	uart_puts("\ncollatz ");
	uart_puthex(at);
	uart_puts(" ");
	uart_puthex(longest);
	int q = -1000000007 / (int)knobs[0];
	uart_puts("\ndivide ");
	uart_puthex(digits(0xfffffffu, knobs[1]) << 24 | digits(123456789u, knobs[2]) << 16 | ((u32)q & 0xffff));
	struct pair p[4] = {{1, 2}, {0xdeadbeef, 0xfeedface}, {7, 0}, {0x80000000u, 0x7fffffffu}};
	u64 m = mix(p, 4);
	uart_puts("\nmix ");
	uart_puthex((u32)(m >> 32));
	uart_puts(" ");
	uart_puthex((u32)m);
	uart_puts("\npowering off via PSCI SYSTEM_OFF\n");
	uart_flush();
	psci_system_off();
}
