/*
 * Brassboard sample firmware: the few operations C cannot express.
 * PSCI calls (HVC conduit on virt), ARM semihosting (A32: SVC 0x123456)
 * and CP15 register accesses. All A32, AAPCS calling convention.
 */
	.syntax unified
	.arm
	.arch_extension virt

	.text

/* uint32_t psci_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3) */
	.global psci_call
	.type psci_call, %function
psci_call:
	hvc	#0
	bx	lr
	.size psci_call, . - psci_call

/* uint32_t semihost_call(uint32_t op, uint32_t param) */
	.global semihost_call
	.type semihost_call, %function
semihost_call:
	svc	#0x123456
	bx	lr
	.size semihost_call, . - semihost_call

/* uint32_t read_midr(void): Main ID Register */
	.global read_midr
	.type read_midr, %function
read_midr:
	mrc	p15, 0, r0, c0, c0, 0
	bx	lr
	.size read_midr, . - read_midr

/* uint32_t read_dfsr(void): Data Fault Status Register */
	.global read_dfsr
	.type read_dfsr, %function
read_dfsr:
	mrc	p15, 0, r0, c5, c0, 0
	bx	lr
	.size read_dfsr, . - read_dfsr

/* uint32_t read_dfar(void): Data Fault Address Register */
	.global read_dfar
	.type read_dfar, %function
read_dfar:
	mrc	p15, 0, r0, c6, c0, 0
	bx	lr
	.size read_dfar, . - read_dfar

/* void write_vbar(uint32_t base): Vector Base Address Register */
	.global write_vbar
	.type write_vbar, %function
write_vbar:
	mcr	p15, 0, r0, c12, c0, 0
	isb
	bx	lr
	.size write_vbar, . - write_vbar
