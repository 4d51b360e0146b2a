/* Brassboard sample firmware: ARM semihosting (A32, SVC 0x123456). */
#ifndef BRASSBOARD_SEMIHOSTING_H
#define BRASSBOARD_SEMIHOSTING_H

#define SYS_WRITEC        0x03u
#define SYS_WRITE0        0x04u
#define SYS_EXIT          0x18u
#define SYS_EXIT_EXTENDED 0x20u

#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

void sh_writec(char c);
void sh_write0(const char *s);
/* Exits the simulation with the given exit status (SYS_EXIT_EXTENDED). */
void sh_exit(u32 code) __attribute__((noreturn));

#endif
