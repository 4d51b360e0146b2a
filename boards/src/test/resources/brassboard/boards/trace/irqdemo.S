@ irqdemo: a test firmware for Brassboard's trace and report (boards/src/test/.../trace).
@ Takes one UART receive interrupt per input byte, with Linux-like function names for
@ spans: the IRQ vector calls gic_handle_irq, which calls irq_enter, acknowledges the GIC,
@ reads the byte, ends the interrupt, and calls irq_exit; irq_exit runs __do_softirq, which
@ runs tasklet_action, which queues work; the main loop runs process_one_work (echoing the
@ byte + 1) with IRQs masked around a short critical section, and powers off after 3 bytes.
@
@ Built (deterministically) with Debian's binutils-arm-none-eabi:
@   arm-none-eabi-as -mcpu=cortex-a15 -o irqdemo.o irqdemo.S
@   arm-none-eabi-ld -Ttext=0x40010000 --build-id=none -o irqdemo.elf irqdemo.o
@ IrqDemoImageTest rebuilds it and compares when the tools are installed.

        .arm
        .syntax unified
        .equ GICD, 0x08000000
        .equ GICC, 0x08010000
        .equ UART, 0x09000000

        .text
        .global _start
_start:
        ldr     sp, =svc_stack_top
        cps     #0x12                   @ IRQ mode: its own stack
        ldr     sp, =irq_stack_top
        cps     #0x13
        ldr     r0, =vectors
        mcr     p15, 0, r0, c12, c0, 0  @ VBAR
        bl      gic_init
        bl      uart_init
        cpsie   i
main_loop:
        wfi
        cpsid   i                       @ a short critical section
        mov     r0, #40
1:      subs    r0, r0, #1
        bne     1b
        cpsie   i
        ldr     r0, =work_pending
        ldr     r1, [r0]
        cmp     r1, #0
        blne    process_one_work
        ldr     r0, =done
        ldr     r1, [r0]
        cmp     r1, #3
        blt     main_loop
        ldr     r0, =0x84000008         @ PSCI SYSTEM_OFF
        hvc     #0
        b       .

        .global gic_init
        .type gic_init, %function
gic_init:
        ldr     r0, =GICD
        mov     r1, #1
        str     r1, [r0]                @ GICD_CTLR: enable
        mov     r1, #2
        str     r1, [r0, #0x104]        @ GICD_ISENABLER1: INTID 33 (UART, SPI 1)
        ldr     r0, =GICC
        mov     r1, #0xf0
        str     r1, [r0, #4]            @ GICC_PMR
        mov     r1, #1
        str     r1, [r0]                @ GICC_CTLR: enable
        bx      lr
        .size gic_init, . - gic_init

        .global uart_init
        .type uart_init, %function
uart_init:
        ldr     r0, =UART
        mov     r1, #0x10
        str     r1, [r0, #0x38]         @ UARTIMSC: RXIM
        ldr     r1, =0x301
        str     r1, [r0, #0x30]         @ UARTCR: UARTEN, TXE, RXE
        bx      lr
        .size uart_init, . - uart_init

        .global gic_handle_irq
        .type gic_handle_irq, %function
gic_handle_irq:
        push    {r4, lr}
        bl      irq_enter
        ldr     r0, =GICC
        ldr     r4, [r0, #0x0c]         @ GICC_IAR
        cmp     r4, #33
        bleq    uart_rx
        ldr     r0, =GICC
        str     r4, [r0, #0x10]         @ GICC_EOIR
        bl      irq_exit
        pop     {r4, pc}
        .size gic_handle_irq, . - gic_handle_irq

        .global irq_enter
        .type irq_enter, %function
irq_enter:
        ldr     r0, =irq_count
        ldr     r1, [r0]
        add     r1, r1, #1
        str     r1, [r0]
        bx      lr
        .size irq_enter, . - irq_enter

        .global uart_rx
        .type uart_rx, %function
uart_rx:
        ldr     r0, =UART
        ldr     r1, [r0]                @ UARTDR: clears the receive interrupt
        ldr     r0, =rx_byte
        str     r1, [r0]
        ldr     r0, =softirq_pending
        mov     r1, #1
        str     r1, [r0]
        bx      lr
        .size uart_rx, . - uart_rx

        .global irq_exit
        .type irq_exit, %function
irq_exit:
        push    {r4, lr}
        ldr     r0, =softirq_pending
        ldr     r1, [r0]
        cmp     r1, #0
        blne    __do_softirq
        pop     {r4, pc}
        .size irq_exit, . - irq_exit

        .global __do_softirq
        .type __do_softirq, %function
__do_softirq:
        push    {r4, lr}
        ldr     r0, =softirq_pending
        mov     r1, #0
        str     r1, [r0]
        bl      tasklet_action
        pop     {r4, pc}
        .size __do_softirq, . - __do_softirq

        .global tasklet_action
        .type tasklet_action, %function
tasklet_action:
        ldr     r0, =work_pending
        mov     r1, #1
        str     r1, [r0]
        bx      lr
        .size tasklet_action, . - tasklet_action

        .global process_one_work
        .type process_one_work, %function
process_one_work:
        push    {r4, lr}
        ldr     r0, =work_pending
        mov     r1, #0
        str     r1, [r0]
        ldr     r0, =rx_byte
        ldr     r1, [r0]
        add     r1, r1, #1
        ldr     r0, =UART
        str     r1, [r0]                @ UARTDR: echo the byte + 1
        ldr     r0, =done
        ldr     r1, [r0]
        add     r1, r1, #1
        str     r1, [r0]
        pop     {r4, pc}
        .size process_one_work, . - process_one_work

        .ltorg

        .balign 32
vectors:
        b       .                       @ reset
        b       .                       @ undefined
        b       .                       @ svc
        b       .                       @ prefetch abort
        b       .                       @ data abort
        b       .
        b       vec_irq
        b       .                       @ fiq
vec_irq:
        sub     lr, lr, #4
        push    {r0-r3, r12, lr}
        bl      gic_handle_irq
        ldm     sp!, {r0-r3, r12, pc}^  @ exception return

        .data
        .balign 4
irq_count:       .word 0
softirq_pending: .word 0
work_pending:    .word 0
rx_byte:         .word 0
done:            .word 0
        .balign 8
        .space 1024
irq_stack_top:
        .space 2048
svc_stack_top:
