/*
 * Brassboard sample firmware: shared startup code (A32 only).
 *
 * Entry state (kernel-style boot on the virt board): SVC mode, IRQ/FIQ masked,
 * MMU and caches off, r0 = 0, r1 = 0xffffffff, r2 = device-tree blob address.
 * We set up an SVC stack plus small ABT/UND stacks, clear .bss and call
 * main(r0, r1, r2). If main returns, the machine is powered off via PSCI.
 */
	.syntax unified
	.arm

	.equ MODE_ABT, 0x17
	.equ MODE_UND, 0x1b
	.equ MODE_SVC, 0x13
	.equ PSR_I,    0x80
	.equ PSR_F,    0x40

	.section .text.start, "ax", %progbits
	.global _start
	.type _start, %function
_start:
	mov	r4, r0			@ keep the boot registers across setup
	mov	r5, r1
	mov	r6, r2

	msr	cpsr_c, #(MODE_ABT | PSR_I | PSR_F)
	ldr	sp, =__stack_abt_top
	msr	cpsr_c, #(MODE_UND | PSR_I | PSR_F)
	ldr	sp, =__stack_und_top
	msr	cpsr_c, #(MODE_SVC | PSR_I | PSR_F)
	ldr	sp, =__stack_svc_top

	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b

	mov	r0, r4
	mov	r1, r5
	mov	r2, r6
	bl	main
	bl	psci_system_off
2:	b	2b
	.size _start, . - _start
	.ltorg

/*
 * Exception vector table. Installed by images that need it via VBAR
 * (see set_vbar in arch.S); VBAR ignores bits [4:0], hence the alignment.
 * Each stub computes the address of the faulting/return instruction and
 * calls handle_exception(vector_offset, address), which must not return.
 */
	.section .text.vectors, "ax", %progbits
	.balign 32
	.global exception_vectors
exception_vectors:
	b	_start			@ 0x00 reset
	b	vec_undef		@ 0x04 undefined instruction
	b	vec_svc			@ 0x08 supervisor call
	b	vec_pabt		@ 0x0c prefetch abort
	b	vec_dabt		@ 0x10 data abort
	b	vec_unused		@ 0x14 not used
	b	vec_irq			@ 0x18 IRQ
	b	vec_fiq			@ 0x1c FIQ

vec_undef:
	sub	r1, lr, #4
	mov	r0, #0x04
	b	handle_exception
vec_svc:
	sub	r1, lr, #4
	mov	r0, #0x08
	b	handle_exception
vec_pabt:
	sub	r1, lr, #4
	mov	r0, #0x0c
	b	handle_exception
vec_dabt:
	sub	r1, lr, #8
	mov	r0, #0x10
	b	handle_exception
vec_unused:
	mov	r1, lr
	mov	r0, #0x14
	b	handle_exception
vec_irq:
	sub	r1, lr, #4
	mov	r0, #0x18
	b	handle_exception
vec_fiq:
	sub	r1, lr, #4
	mov	r0, #0x1c
	b	handle_exception

/* Default handler for images that install no handler of their own: park. */
	.weak handle_exception
	.type handle_exception, %function
handle_exception:
	b	handle_exception
	.size handle_exception, . - handle_exception
