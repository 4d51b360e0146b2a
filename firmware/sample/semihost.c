/* semihost.elf: semihosting console output, then exit with status 3. */
#include "arch.h"
#include "semihosting.h"

int main(u32 r0, u32 r1, u32 dtb)
{
	(void)r0;
	(void)r1;
	(void)dtb;
	sh_write0("Brassboard semihost: SYS_WRITE0 works\n");
	sh_writec('o');
	sh_writec('k');
	sh_writec('!');
	sh_writec('\n');
	sh_exit(3);
}
