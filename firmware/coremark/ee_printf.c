/*
 * Brassboard's CoreMark port: the console (the PL011 UART at 0x09000000 on
 * virt, polled) and a small printf for CoreMark's report.
 */
#include <stdarg.h>
#include "coremark.h"

/* PL011 registers (PrimeCell UART PL011 TRM, section 3.2). */
#define PL011_BASE 0x09000000u
#define UARTDR 0x00u
#define UARTFR 0x18u
#define UARTLCR_H 0x2cu
#define UARTCR 0x30u
#define UARTIMSC 0x38u
#define UARTFR_TXFF (1u << 5)
#define UARTLCR_H_FEN (1u << 4)
#define UARTLCR_H_WLEN_8 (3u << 5)
#define UARTCR_UARTEN (1u << 0)
#define UARTCR_TXE (1u << 8)

static volatile ee_u32 *pl011(ee_u32 offset)
{
	return (volatile ee_u32 *)(PL011_BASE + offset);
}

void port_uart_init(void)
{
	*pl011(UARTCR) = 0;
	*pl011(UARTIMSC) = 0;
	*pl011(UARTLCR_H) = UARTLCR_H_WLEN_8 | UARTLCR_H_FEN;
	*pl011(UARTCR) = UARTCR_UARTEN | UARTCR_TXE;
}

static void uart_tx(char c)
{
	while (*pl011(UARTFR) & UARTFR_TXFF)
		;
	*pl011(UARTDR) = (ee_u8)c;
}

/* Lines end in CR LF, as on a serial console. */
static void put_char(char c)
{
	if (c == '\n')
		uart_tx('\r');
	uart_tx(c);
}

void port_puts(const char *s)
{
	while (*s)
		put_char(*s++);
}

/* One converted field: its text (not NUL-terminated), sign and padding. */
struct field {
	const char *text;
	int length;
	char sign;	/* '-', or 0 */
	int width;
	int left;	/* '-' flag: pad on the right */
	int zero;	/* '0' flag: pad with zeros after the sign */
};

static int emit(const struct field *f)
{
	int body = f->length + (f->sign ? 1 : 0);
	int pad = f->width > body ? f->width - body : 0;
	int i;

	if (!f->left && !f->zero)
		for (i = 0; i < pad; i++)
			put_char(' ');
	if (f->sign)
		put_char(f->sign);
	if (!f->left && f->zero)
		for (i = 0; i < pad; i++)
			put_char('0');
	for (i = 0; i < f->length; i++)
		put_char(f->text[i]);
	if (f->left)
		for (i = 0; i < pad; i++)
			put_char(' ');
	return body + pad;
}

/* Writes v in base 10 or 16 backwards from end; returns the first digit. */
static char *digits(ee_u64 v, unsigned base, int upper, char *end)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;

	do {
		*--p = set[v % base];
		v /= base;
	} while (v);
	return p;
}

/* %f: fixed point with `precision` decimals, rounded half up. */
static int format_double(char *buf, int size, double v, int precision, char *sign)
{
	ee_u64 whole;
	char tmp[24];
	char *p;
	int n = 0;
	double scale = 0.5;
	int i;

	*sign = 0;
	if (v != v) {
		buf[0] = 'n', buf[1] = 'a', buf[2] = 'n';
		return 3;
	}
	if (v < 0) {
		*sign = '-';
		v = -v;
	}
	if (v >= 1.8e19) {
		buf[0] = 'i', buf[1] = 'n', buf[2] = 'f';
		return 3;
	}
	for (i = 0; i < precision; i++)
		scale /= 10;
	v += scale;
	whole = (ee_u64)v;
	v -= (double)whole;
	for (p = digits(whole, 10, 0, tmp + sizeof tmp); p < tmp + sizeof tmp && n < size; p++)
		buf[n++] = *p;
	if (precision > 0 && n < size)
		buf[n++] = '.';
	for (i = 0; i < precision && n < size; i++) {
		int d;

		v *= 10;
		d = (int)v;
		v -= d;
		buf[n++] = (char)('0' + d);
	}
	return n;
}

int ee_printf(const char *fmt, ...)
{
	va_list ap;
	int written = 0;
	char buf[48];

	va_start(ap, fmt);
	while (*fmt) {
		struct field f = { 0 };
		int precision = -1;
		int longs = 0;
		char conv;

		if (*fmt != '%') {
			put_char(*fmt++);
			written++;
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				f.left = 1;
			else if (*fmt == '0')
				f.zero = 1;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			f.width = f.width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			precision = 0;
			for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
				precision = precision * 10 + (*fmt - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				longs++;
			else if (*fmt != 'h' && *fmt != 'z')
				break;
		}
		conv = *fmt;
		if (conv == '\0')
			break;
		fmt++;
		switch (conv) {
		case 'd':
		case 'i': {
			long long v = longs >= 2 ? va_arg(ap, long long) : (long long)(longs ? va_arg(ap, long) : va_arg(ap, int));
			ee_u64 mag = v < 0 ? 0 - (ee_u64)v : (ee_u64)v;

			f.sign = v < 0 ? '-' : 0;
			f.text = digits(mag, 10, 0, buf + sizeof buf);
			f.length = (int)(buf + sizeof buf - f.text);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			ee_u64 v = longs >= 2 ? va_arg(ap, unsigned long long)
					      : (ee_u64)(longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int));

			f.text = digits(v, conv == 'u' ? 10 : 16, conv == 'X', buf + sizeof buf);
			f.length = (int)(buf + sizeof buf - f.text);
			break;
		}
		case 'c':
			buf[0] = (char)va_arg(ap, int);
			f.text = buf;
			f.length = 1;
			f.zero = 0;
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			f.text = s;
			while (s[f.length] && (precision < 0 || f.length < precision))
				f.length++;
			f.zero = 0;
			break;
		}
		case 'f':
			f.length = format_double(buf, (int)sizeof buf, va_arg(ap, double), precision < 0 ? 6 : precision, &f.sign);
			f.text = buf;
			break;
		default:	/* "%%", and anything unknown printed as it stands */
			buf[0] = conv;
			f.text = buf;
			f.length = 1;
			f.zero = 0;
			break;
		}
		written += emit(&f);
	}
	va_end(ap);
	return written;
}
