/*
 * Example SoC firmware (docs/examples/soc/soc.yaml): startup code.
 *
 * Entry as the board builder starts an image in RAM: SVC mode, IRQ/FIQ masked,
 * MMU off, r0 = 0, r1 = 0xffffffff, r2 = the device-tree blob's address. Sets
 * a stack, clears .bss, calls main(dtb) and powers off through PSCI (HVC).
 */
	.syntax unified
	.arm
	.arch_extension virt

	.equ PSCI_SYSTEM_OFF, 0x84000008

	.section .text.start, "ax", %progbits
	.global _start
	.type _start, %function
_start:
	mov	r4, r2			@ the DTB, for main
	ldr	sp, =__stack_top
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	mov	r0, r4
	bl	main
	ldr	r0, =PSCI_SYSTEM_OFF
	hvc	#0
2:	wfi
	b	2b
	.size _start, . - _start
	.ltorg
