/* Brassboard sample firmware: low-level helpers implemented in arch.S. */
#ifndef BRASSBOARD_ARCH_H
#define BRASSBOARD_ARCH_H

typedef unsigned int u32;
typedef unsigned char u8;

u32 psci_call(u32 fn, u32 a1, u32 a2, u32 a3);
u32 semihost_call(u32 op, u32 param);
u32 read_midr(void);
u32 read_dfsr(void);
u32 read_dfar(void);
void write_vbar(u32 base);

/* Provided by start.S. */
extern char exception_vectors[];

/* Called from the vector stubs in start.S; vector is the offset (0x04..0x1c),
 * addr the address of the instruction that caused the exception. */
void handle_exception(u32 vector, u32 addr);

/* The C entry point of every image: r0..r2 as passed at boot. */
int main(u32 r0, u32 r1, u32 dtb);

#endif
