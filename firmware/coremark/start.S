/*
 * Brassboard's CoreMark port: start-up and exit (A32; the C may be T32).
 *
 * Entry as QEMU's -kernel and Brassboard's `run` enter an ELF on virt: SVC
 * mode, IRQ and FIQ masked, MMU and caches off. Sets a stack for each mode an
 * exception can enter, points VBAR at a table that reports and stops, clears
 * .bss, calls main() and exits with its status through semihosting.
 */
	.syntax unified
	.arm

	.equ MODE_FIQ, 0x11
	.equ MODE_IRQ, 0x12
	.equ MODE_SVC, 0x13
	.equ MODE_ABT, 0x17
	.equ MODE_UND, 0x1b
	.equ MASK_IF, 0xc0		@ CPSR.I and CPSR.F

	/* ARM semihosting: SYS_EXIT_EXTENDED takes a block {reason, status}. */
	.equ SYS_EXIT_EXTENDED, 0x20
	.equ ADP_STOPPED_APPLICATION_EXIT, 0x20026

	.section .text.boot, "ax", %progbits
	.global _start
	.type _start, %function
_start:
	msr	cpsr_c, #(MODE_FIQ | MASK_IF)
	ldr	sp, =__fiq_stack_top
	msr	cpsr_c, #(MODE_IRQ | MASK_IF)
	ldr	sp, =__irq_stack_top
	msr	cpsr_c, #(MODE_ABT | MASK_IF)
	ldr	sp, =__abt_stack_top
	msr	cpsr_c, #(MODE_UND | MASK_IF)
	ldr	sp, =__und_stack_top
	msr	cpsr_c, #(MODE_SVC | MASK_IF)
	ldr	sp, =__svc_stack_top

	ldr	r0, =port_vectors
	mcr	p15, 0, r0, c12, c0, 0	@ VBAR (ARM ARM B4.1.156)
	isb

	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b

	bl	main
	b	port_exit
	.size _start, . - _start

/* void port_exit(int status): semihosting exit; without a host, stop here. */
	.global port_exit
	.type port_exit, %function
port_exit:
	ldr	r2, =ADP_STOPPED_APPLICATION_EXIT
	push	{r0}
	push	{r2}
	mov	r1, sp
	mov	r0, #SYS_EXIT_EXTENDED
	svc	#0x123456
2:	wfi
	b	2b
	.size port_exit, . - port_exit
	.ltorg

/*
 * Exceptions: nothing in CoreMark takes one, so any is a fault of the port or
 * of the emulator. Each entry passes its vector offset and the return address
 * to port_exception(), which says so on the console and exits with status 1.
 */
	.section .text.vectors, "ax", %progbits
	.balign 32
port_vectors:
	b	vector_reset
	b	vector_undef
	b	vector_svc
	b	vector_pabt
	b	vector_dabt
	b	vector_reset
	b	vector_irq
	b	vector_fiq

vector_reset:
	mov	r0, #0x00
	mov	r1, pc
	b	to_c
vector_undef:
	mov	r0, #0x04
	mov	r1, lr
	b	to_c
vector_svc:
	mov	r0, #0x08
	mov	r1, lr
	b	to_c
vector_pabt:
	mov	r0, #0x0c
	mov	r1, lr
	b	to_c
vector_dabt:
	mov	r0, #0x10
	mov	r1, lr
	b	to_c
vector_irq:
	mov	r0, #0x18
	mov	r1, lr
	b	to_c
vector_fiq:
	mov	r0, #0x1c
	mov	r1, lr
	b	to_c

/* port_exception() may be T32: BX interworks, a plain B would not. */
to_c:
	ldr	r2, =port_exception
	bx	r2
	.ltorg
