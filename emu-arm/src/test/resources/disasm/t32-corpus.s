@ The T32 disassembler corpus: every T32 encoding Brassboard disassembles, in valid forms, and IT blocks.
@ T32DisassemblerTest assembles it with arm-none-eabi-as (after .syntax unified, .thumb, .arch armv7-a and the
@ idiv, sec, virt and mp extensions), disassembles it with arm-none-eabi-objdump -d and compares every line.
@ Edit this file, then regenerate t32-corpus.txt (see T32DisassemblerCorpus).
	lsls r0, r1, #3
	lsrs r2, r3, #32
	asrs r4, r5, #1
	movs r6, r7
	adds r0, r1, r2
	subs r3, r4, r5
	adds r0, r1, #7
	subs r2, r3, #1
	movs r4, #200
	cmp r5, #17
	adds r6, #255
	subs r7, #1
	ands r0, r1
	eors r2, r3
	lsls r4, r5
	lsrs r6, r7
	asrs r0, r1
	adcs r2, r3
	sbcs r4, r5
	rors r6, r7
	tst r0, r1
	negs r2, r3
	cmp r4, r5
	cmn r6, r7
	orrs r0, r1
	muls r2, r3, r2
	bics r4, r5
	mvns r6, r7
	add r8, r1
	add sp, r2
	cmp r9, r1
	cmp r1, ip
	mov r10, r2
	mov r3, lr
	bx lr
	blx r3
	ldr r0, [r1, r2]
	str r3, [r4, r5]
	strh r6, [r7, r0]
	strb r1, [r2, r3]
	ldrsb r4, [r5, r6]
	ldrh r7, [r0, r1]
	ldrb r2, [r3, r4]
	ldrsh r5, [r6, r7]
	str r0, [r1, #4]
	ldr r2, [r3, #124]
	ldr r2, [r3]
	strb r4, [r5, #31]
	ldrb r6, [r7, #1]
	strh r0, [r1, #62]
	ldrh r2, [r3, #2]
	str r4, [sp, #1020]
	ldr r5, [sp, #8]
	add r6, sp, #16
	add sp, #508
	sub sp, #8
	sxth r0, r1
	sxtb r2, r3
	uxth r4, r5
	uxtb r6, r7
	push {r4, r5, lr}
	pop {r0, r7, pc}
	cpsid i
	cpsie af
	rev r0, r1
	rev16 r2, r3
	revsh r4, r5
	bkpt 0x00ab
	nop
	yield
	wfe
	wfi
	sev
	stmia r0!, {r1, r2}
	ldmia r3!, {r4, r5}
	ldmia r3, {r3, r5}
	svc #17
	udf #254
	and.w r0, r1, #0xff00ff00
	ands r2, r3, #255
	tst.w r4, #0x10000
	bic r5, r6, #0xc0000000
	orr r7, r8, #1
	mov.w r9, #0xab00ab00
	movs.w r10, #0x3fc
	orn r11, r12, #7
	mvn lr, #0x80
	eor r0, r1, #4
	teq r2, #0x55555555
	add.w r3, r4, #0x1100
	cmn.w r5, #1
	adc r6, r7, #2
	sbc r8, r9, #3
	sub.w r10, r11, #0x400
	cmp.w r12, #0x800
	rsb r0, r1, #0
	addw r2, r3, #0xfff
	subw r4, r5, #1
	movw r6, #0xbeef
	movt r7, #0xdead
	ssat r0, #8, r1
	ssat r2, #16, r3, lsl #4
	ssat r2, #16, r3, asr #4
	ssat16 r4, #8, r5
	sbfx r6, r7, #3, #9
	bfi r8, r9, #4, #8
	bfc r10, #0, #16
	usat r0, #5, r1, lsl #1
	usat16 r2, #4, r3
	ubfx r4, r5, #8, #8
	and.w r0, r1, r2, lsl #3
	ands.w r3, r4, r5
	tst.w r6, r7, ror #7
	bic.w r8, r9, r10, asr #2
	orr.w r0, r1, r2, lsr #31
	mov.w r3, r4
	movs.w r5, r6
	lsl.w r7, r8, #4
	lsr.w r9, r10, #32
	asrs.w r11, r12, #1
	ror.w r0, r1, #3
	rrx r2, r3
	orn r4, r5, r6
	mvn.w r7, r8, lsl #2
	eor.w r9, r10, r11
	teq.w r0, r1
	pkhbt r2, r3, r4, lsl #8
	pkhtb r5, r6, r7, asr #16
	add.w r8, r9, r10
	cmn.w r0, r1, lsl #1
	adc.w r2, r3, r4
	sbc.w r5, r6, r7
	sub.w r8, r9, r10, lsl #2
	cmp.w r11, r12
	rsb r0, r1, r2
	lsl.w r0, r1, r2
	lsrs.w r3, r4, r5
	asr.w r6, r7, r8
	ror.w r9, r10, r11
	sxtah r0, r1, r2
	sxth.w r3, r4, ror #8
	uxtah r5, r6, r7
	sxtab16 r8, r9, r10
	sxtb16 r11, r12
	uxtab16 r0, r1, r2
	uxtb16 r3, r4
	sxtab r5, r6, r7, ror #16
	sxtb.w r8, r9
	uxtab r10, r11, r12
	uxtb.w r0, r1
	uxth.w r2, r3
	sadd16 r0, r1, r2
	qasx r3, r4, r5
	shsax r6, r7, r8
	usub8 r9, r10, r11
	uqadd8 r0, r1, r2
	uhsub16 r3, r4, r5
	qadd r0, r1, r2
	qdadd r3, r4, r5
	qsub r6, r7, r8
	qdsub r9, r10, r11
	rev.w r0, r1
	rev16.w r2, r3
	rbit r4, r5
	revsh.w r6, r7
	sel r8, r9, r10
	clz r11, r12
	mla r0, r1, r2, r3
	mul r4, r5, r6
	mls r7, r8, r9, r10
	smlabb r0, r1, r2, r3
	smlatb r0, r1, r2, r3
	smulbt r4, r5, r6
	smlad r7, r8, r9, r10
	smladx r7, r8, r9, r10
	smuad r0, r1, r2
	smlawb r3, r4, r5, r6
	smulwt r7, r8, r9
	smlsd r0, r1, r2, r3
	smusdx r4, r5, r6
	smmla r7, r8, r9, r10
	smmulr r0, r1, r2
	smmls r3, r4, r5, r6
	usada8 r7, r8, r9, r10
	usad8 r0, r1, r2
	smull r0, r1, r2, r3
	sdiv r4, r5, r6
	umull r7, r8, r9, r10
	udiv r0, r1, r2
	smlal r3, r4, r5, r6
	smlalbt r7, r8, r9, r10
	smlald r0, r1, r2, r3
	smlsldx r4, r5, r6, r7
	umlal r8, r9, r10, r11
	umaal r0, r1, r2, r3
	msr CPSR_fc, r0
	msr APSR_nzcvq, r1
	msr SPSR_fsxc, r2
	mrs r3, CPSR
	mrs r4, SPSR
	msr SP_usr, r5
	mrs r6, LR_irq
	cpsid.w if, #19
	cps #16
	nop.w
	yield.w
	wfe.w
	wfi.w
	sev.w
	dbg #5
	clrex
	dsb sy
	dmb ish
	isb sy
	bxj r3
	subs pc, lr, #4
	eret
	hvc #0x1234
	smc #3
	udf.w #0x1234
	srsdb sp!, #19
	srsia sp, #18
	rfedb r0
	rfeia r1!
	stmia.w r0!, {r1, r2, r3}
	ldmia.w r4, {r5, r6}
	stmdb r7!, {r0, r1}
	ldmdb r8, {r9, r10, pc}
	push.w {r4, r5, r6, r7, r8, lr}
	pop.w {r4, r5, r6, r7, r8, pc}
	strex r0, r1, [r2]
	strex r0, r1, [r2, #1020]
	ldrex r3, [r4, #8]
	strd r0, r1, [r2, #8]
	strd r0, r1, [r2, #-8]!
	strd r0, r1, [r2], #16
	ldrd r3, r4, [r5]
	ldrd r3, r4, [r5, #-1020]!
	ldrd r3, r4, [r5], #-4
	strexb r0, r1, [r2]
	strexh r3, r4, [r5]
	strexd r6, r7, r8, [r9]
	tbb [r0, r1]
	tbh [r2, r3, lsl #1]
	ldrexb r4, [r5]
	ldrexh r6, [r7]
	ldrexd r8, r9, [r10]
	strb.w r0, [r1, #4095]
	strb r2, [r3, #-255]
	strb r4, [r5], #1
	strb r6, [r7, #4]!
	strbt r8, [r9, #3]
	strb.w r10, [r11, r12, lsl #3]
	strh.w r0, [r1, #100]
	strh r2, [r3, #-1]
	strht r4, [r5]
	strh.w r6, [r7, r8]
	str.w r0, [r1, #4]
	str r2, [r3, #-4]!
	str r4, [r5], #-8
	strt r6, [r7, #255]
	str.w r8, [r9, r10, lsl #2]
	ldrb.w r0, [r1, #4095]
	ldrb r2, [r3, #-2]
	ldrbt r4, [r5, #8]
	ldrb.w r6, [r7, r8, lsl #1]
	ldrsb.w r0, [r1, #1]
	ldrsb r2, [r3], #-1
	ldrsbt r4, [r5]
	ldrsb.w r6, [r7, r8]
	ldrh.w r0, [r1, #2048]
	ldrh r2, [r3, #2]!
	ldrht r4, [r5, #6]
	ldrh.w r6, [r7, r8, lsl #2]
	ldrsh.w r0, [r1, #6]
	ldrsh r2, [r3, #-6]
	ldrsht r4, [r5, #1]
	ldrsh.w r6, [r7, r8]
	ldr.w r0, [r1, #4092]
	ldr r2, [r3, #-255]
	ldr r4, [r5], #4
	ldrt r6, [r7, #16]
	ldr.w r8, [r9, r10, lsl #3]
	ldr.w pc, [r0, #4]
	pld [r0, #8]
	pld [r1, #-8]
	pld [r2, r3, lsl #2]
	pldw [r4, #16]
	pli [r5, #32]
	pli [r6, #-4]
	pli [r7, r8]
	mrc p15, 0, r0, c1, c0, 0
	mcr p15, 0, r1, c7, c5, 4
	mrrc p15, 1, r2, r3, c2
	mcrr p15, 0, r4, r5, c2
	mcr2 p14, 1, r6, c2, c3, 4
	ite eq
	moveq r0, #1
	movne r0, #2
	itete ne
	addne r0, #1
	addeq r0, #2
	addne.w r0, r0, #4
	ldreq r1, [r2]
	itt gt
	lslgt r0, r1, #2
	blgt 1f
	it ls
	ldmials r0!, {r1, r2}
	itt cc
	addcc r0, r1, r2
	mulcc r3, r4, r3
1:	nop
0:	nop
	adr r0, 2f
	adr.w r1, 2f
	adr.w r2, 0b
	b.n 1f
	b.w 1f
	beq.n 1f
	bne.w 1f
	cbz r0, 1f
	cbnz r7, 1f
	.inst.w 0xf000e880
	.inst.n 0xbf50
	.inst.w 0xf3af803c
	ldr r0, 2f
	ldr.w r1, 2f
	ldrb r2, [pc, #8]
	ldrh r3, [pc, #-8]
	ldrsb r4, [pc, #16]
	ldrsh r5, [pc, #4]
	ldrd r6, r7, [pc, #8]
	pld [pc, #8]
	pli [pc, #-8]
	.inst.w 0xf83ff008
	pldw [r0, #-4]
	pldw [r1, r2, lsl #1]
	setend be
	setend le
1:	nop
	.align 2
2:	nop
	nop
	.inst.n 0xbf50
	.inst.w 0xf3af8005
	.inst.w 0xf3af800f
	.inst.w 0xf3af8010
	.inst.w 0xf3af8014
	.inst.n 0xbf60
