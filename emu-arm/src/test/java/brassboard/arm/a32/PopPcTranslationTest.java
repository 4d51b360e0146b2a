package brassboard.arm.a32;

import static brassboard.arm.a32.SmallProgram.RAM;
import static brassboard.arm.a32.SmallProgram.STACK;
import static brassboard.arm.a32.SmallProgram.bus;
import static brassboard.arm.a32.SmallProgram.cpu;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.Masters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code LDR PC, [SP], #4} (POP {PC}, the return of a function that saved only LR) runs in a translation
 * as {@code LDMIA SP!, {PC}}: the word at SP becomes the PC through LoadWritePC (bit 0 set: Thumb), SP
 * goes up by 4, and the translation ends there. Translated, the results are the interpreter's.
 */
class PopPcTranslationTest {
    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void aFunctionThatSavesOnlyLrReturnsWithPopPc(boolean translate) {
        AddressSpace bus = bus(
                0xE3A07032,   // mov r7, #50
                0xE3A00000,   // mov r0, #0
                0xEB000003,   // loop: bl f
                0xE2577001,   // subs r7, r7, #1
                0x1AFFFFFC,   // bne loop
                0xEAFFFFFE,   // b .
                0x00000000,
                0xE52DE004,   // f: push {lr}
                0xE2800001,   // add r0, r0, #1
                0xE49DF004);  // pop {pc}
        ArmCpu cpu = cpu(bus, translate);
        cpu.run(10_000);
        assertThat(cpu.pc()).isEqualTo((int) RAM + 0x14);
        assertThat(cpu.reg(0)).isEqualTo(50);
        assertThat(cpu.reg(13)).isEqualTo(STACK);
        assertThat(cpu.reg(14)).isEqualTo((int) RAM + 0xC);
        if (translate) {
            assertThat(cpu.blocksCompiled()).isPositive();
        } else {
            assertThat(cpu.blocksCompiled()).isZero();
        }
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void popPcToAnOddAddressGoesToThumb(boolean translate) {
        int thumb = (int) RAM + 0x100;
        AddressSpace bus = bus(
                0xE59D1000,   // ldr r1, [sp]        (the stack's page into the data TLB)
                0xE49DF004);  // pop {pc}             (the word there: thumb | 1)
        bus.write(RAM + 0x100, 2, 0xE7FE, Masters.DEBUG); // b . (T1)
        bus.write(STACK, 4, (thumb | 1) & 0xFFFF_FFFFL, Masters.DEBUG);
        ArmCpu cpu = cpu(bus, translate);
        cpu.run(2);
        assertThat(cpu.pc()).isEqualTo(thumb);
        assertThat(cpu.cpsr() & (1 << 5)).as("CPSR.T").isNotZero();
        assertThat(cpu.reg(13)).isEqualTo(STACK + 4);
        assertThat(cpu.reg(1)).isEqualTo(thumb | 1);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void aConditionalPopPcThatFailsGoesOn(boolean translate) {
        AddressSpace bus = bus(
                0xE3A07003,   // mov r7, #3
                0xE59D1000,   // loop: ldr r1, [sp]
                0xE3570000,   // cmp r7, #0
                0x049DF004,   // popeq {pc}     (not taken while r7 > 0)
                0xE2477001,   // sub r7, r7, #1
                0xEAFFFFFA);  // b loop
        bus.write(STACK, 4, RAM + 0x200, Masters.DEBUG);
        bus.write(RAM + 0x200, 4, 0xEAFFFFFE, Masters.DEBUG); // b .
        ArmCpu cpu = cpu(bus, translate);
        cpu.run(1_000);
        assertThat(cpu.pc()).isEqualTo((int) RAM + 0x200);
        assertThat(cpu.reg(7)).isZero();
        assertThat(cpu.reg(13)).isEqualTo(STACK + 4);
    }
}
