/*
 * irqkit: boot, per-CPU stacks, exception vectors, IRQ entry/exit and the
 * context switch. A32 only.
 *
 * Per CPU n (n = MPIDR.Aff0):
 *   SVC stack  __svc_stacks + n*8K .. +8K   (boot stack = idle thread's stack)
 *   IRQ stack  __irq_stacks + n*8K .. +8K   (hard IRQ handlers and softirqs)
 *   ABT/UND    __exc_stacks + n*2K          (1K each; FIQ shares ABT's)
 *   IRQ mode   sp_irq = &irq_scratch[n]     (8 words: r0-r3, pc, spsr,
 *                                            IRQ stack top, IRQ stack base)
 *
 * IRQ entry (vec_irq): the IRQ-mode stub parks r0-r3, the return address and
 * SPSR in irq_scratch, switches to SVC mode (IRQs stay masked) and builds a
 * struct pt_regs on the per-CPU IRQ stack -- at its top if the interrupted
 * code was not on it yet, or below the current sp if it was (an IRQ nested in
 * a softirq, which runs with IRQs enabled on the IRQ stack). It then calls
 * gic_handle_irq(regs) and returns through IRQ mode with MOVS pc, lr.
 */
	.syntax unified
	.arm

	.equ MODE_FIQ, 0x11
	.equ MODE_IRQ, 0x12
	.equ MODE_SVC, 0x13
	.equ MODE_ABT, 0x17
	.equ MODE_UND, 0x1b
	.equ PSR_I,    0x80
	.equ PSR_F,    0x40

	.equ STACK_SHIFT, 13		@ 8 KiB SVC and IRQ stacks per CPU
	.equ STACK_SIZE, (1 << STACK_SHIFT)
	.equ EXC_SHIFT, 11		@ 2 KiB: ABT 1K + UND 1K per CPU

	.section .text.start, "ax", %progbits
	.global _start
	.type _start, %function
_start:
	cpsid	if
	mrc	p15, 0, r0, c0, c0, 5	@ MPIDR
	ands	r0, r0, #0xff
	bne	park			@ only CPU0 boots here
	ldr	r1, =__bss_start
	ldr	r2, =__bss_end
	mov	r3, #0
1:	cmp	r1, r2
	strlo	r3, [r1], #4
	blo	1b
	bl	setup_cpu
	bl	start_kernel
park:
	cpsid	if
	wfi
	b	park
	.size _start, . - _start

/* PSCI CPU_ON entry point for secondary CPUs (context id in r0, unused). */
	.global secondary_entry
	.type secondary_entry, %function
secondary_entry:
	cpsid	if
	mrc	p15, 0, r0, c0, c0, 5
	and	r0, r0, #0xff
	bl	setup_cpu
	mrc	p15, 0, r0, c0, c0, 5
	and	r0, r0, #0xff
	bl	secondary_start_kernel
	b	park
	.size secondary_entry, . - secondary_entry

/* setup_cpu(r0 = cpu): banked stack pointers and VBAR. Uses r1-r3 only. */
	.type setup_cpu, %function
setup_cpu:
	ldr	r1, =irq_scratch
	add	r1, r1, r0, lsl #5
	ldr	r2, =__irq_stacks
	add	r3, r2, r0, lsl #STACK_SHIFT	@ base
	add	r2, r3, #STACK_SIZE		@ top
	str	r2, [r1, #24]
	str	r3, [r1, #28]
	msr	cpsr_c, #(MODE_IRQ | PSR_I | PSR_F)
	mov	sp, r1
	ldr	r1, =__exc_stacks
	add	r1, r1, r0, lsl #EXC_SHIFT
	msr	cpsr_c, #(MODE_ABT | PSR_I | PSR_F)
	add	sp, r1, #0x400
	msr	cpsr_c, #(MODE_FIQ | PSR_I | PSR_F)
	add	sp, r1, #0x400
	msr	cpsr_c, #(MODE_UND | PSR_I | PSR_F)
	add	sp, r1, #0x800
	msr	cpsr_c, #(MODE_SVC | PSR_I | PSR_F)
	ldr	r1, =__svc_stacks
	add	r1, r1, r0, lsl #STACK_SHIFT
	add	sp, r1, #STACK_SIZE
	ldr	r1, =irqkit_vectors
	mcr	p15, 0, r1, c12, c0, 0		@ VBAR
	isb
	bx	lr
	.size setup_cpu, . - setup_cpu
	.ltorg

/* ---- exception vectors ------------------------------------------------- */
	.section .text.vectors, "ax", %progbits
	.balign 32
	.global irqkit_vectors
irqkit_vectors:
	b	vec_reset		@ 0x00
	b	vec_undef		@ 0x04
	b	vec_svc			@ 0x08
	b	vec_pabt		@ 0x0c
	b	vec_dabt		@ 0x10
	b	vec_unused		@ 0x14
	b	vec_irq			@ 0x18
	b	vec_fiq			@ 0x1c

vec_reset:
	mov	r1, #0
	mov	r0, #0x00
	b	bad_exception
vec_undef:
	sub	r1, lr, #4
	mov	r0, #0x04
	b	bad_exception
vec_svc:
	sub	r1, lr, #4
	mov	r0, #0x08
	b	bad_exception
vec_pabt:
	sub	r1, lr, #4
	mov	r0, #0x0c
	b	bad_exception
vec_dabt:
	sub	r1, lr, #8
	mov	r0, #0x10
	b	bad_exception
vec_unused:
	mov	r1, lr
	mov	r0, #0x14
	b	bad_exception
vec_fiq:
	sub	r1, lr, #4
	mov	r0, #0x1c
bad_exception:
	bic	sp, sp, #7
	bl	handle_bad_exception	@ prints and parks
	b	.

	.global vec_irq
	.type vec_irq, %function
vec_irq:
	sub	lr, lr, #4
	stmia	sp, {r0-r3}		@ irq_scratch: r0-r3
	str	lr, [sp, #16]		@ return address
	mrs	lr, spsr
	str	lr, [sp, #20]		@ interrupted CPSR
	mov	r0, sp
	msr	cpsr_c, #(MODE_SVC | PSR_I | PSR_F)
	mov	r1, sp			@ interrupted sp_svc
	ldr	r2, [r0, #24]		@ IRQ stack top
	ldr	r3, [r0, #28]		@ IRQ stack base
	cmp	r1, r3
	blo	1f
	cmp	r1, r2
	bls	2f			@ already on the IRQ stack: nest below
1:	mov	sp, r2
2:	bic	sp, sp, #7
	sub	sp, sp, #72		@ struct pt_regs
	add	r2, sp, #16
	stmia	r2, {r4-r12}
	str	r1, [sp, #52]		@ sp
	str	lr, [sp, #56]		@ lr
	ldmia	r0, {r2-r5}
	stmia	sp, {r2-r5}		@ r0-r3
	ldr	r2, [r0, #16]
	ldr	r3, [r0, #20]
	str	r2, [sp, #60]		@ pc
	str	r3, [sp, #64]		@ cpsr
	mov	r0, sp
	bl	gic_handle_irq
	cpsid	i
	mov	r0, sp
	add	r1, r0, #16
	ldmia	r1, {r4-r12}
	ldr	lr, [r0, #56]
	ldr	sp, [r0, #52]
	msr	cpsr_c, #(MODE_IRQ | PSR_I | PSR_F)
	ldr	lr, [r0, #64]
	msr	spsr_cxsf, lr
	ldr	lr, [r0, #60]
	ldmia	r0, {r0-r3}
	movs	pc, lr
	.size vec_irq, . - vec_irq

/* ---- context switch ------------------------------------------------------ */
	.text
/* void cpu_switch_to(struct thread *prev, struct thread *next) */
	.global cpu_switch_to
	.type cpu_switch_to, %function
cpu_switch_to:
	push	{r3-r11, lr}
	str	sp, [r0]
	ldr	sp, [r1]
	pop	{r3-r11, pc}
	.size cpu_switch_to, . - cpu_switch_to

/* First code of a new thread: r4 = fn, r5 = arg (set up by kthread_create). */
	.global thread_trampoline
	.type thread_trampoline, %function
thread_trampoline:
	cpsie	i
	mov	r0, r5
	blx	r4
	bl	thread_exit
	b	.
	.size thread_trampoline, . - thread_trampoline
