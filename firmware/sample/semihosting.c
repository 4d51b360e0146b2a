/* Brassboard sample firmware: ARM semihosting calls. */
#include "arch.h"
#include "semihosting.h"

void sh_writec(char c)
{
	volatile char ch = c;	/* SYS_WRITEC takes the address of the char */

	semihost_call(SYS_WRITEC, (u32)&ch);
}

void sh_write0(const char *s)
{
	semihost_call(SYS_WRITE0, (u32)s);
}

void sh_exit(u32 code)
{
	volatile u32 block[2];

	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = code;
	semihost_call(SYS_EXIT_EXTENDED, (u32)block);
	for (;;)
		;	/* no semihosting host: park */
}
