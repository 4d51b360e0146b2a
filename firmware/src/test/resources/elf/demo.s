@ A tiny bare-metal program for the ELF loader tests (ElfRealToolchainTest).
@ Rebuild demo.elf from this file and demo.ld with Debian's gcc-arm-none-eabi:
@   arm-none-eabi-as -mcpu=cortex-a15 -o demo.o demo.s
@   arm-none-eabi-ld -T demo.ld -o demo.elf demo.o
        .syntax unified
        .arm
        .section .text.start, "ax"
        .global _start
        .type   _start, %function
_start:
        ldr     sp, =stack_top
        blx     main
1:      wfi
        b       1b

        .thumb
        .text
        .global main
        .type   main, %function
        .thumb_func
main:
        ldr     r0, =counter
        ldr     r1, [r0]
        adds    r1, r1, #1
        str     r1, [r0]
        bx      lr

        .data
        .global counter
        .type   counter, %object
        .size   counter, 4
counter:
        .word   41

        .bss
        .global buffer
        .type   buffer, %object
        .size   buffer, 256
buffer:
        .space  256
