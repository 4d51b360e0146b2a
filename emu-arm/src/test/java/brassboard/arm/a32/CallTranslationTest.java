package brassboard.arm.a32;

import static brassboard.arm.a32.SmallProgram.RAM;
import static brassboard.arm.a32.SmallProgram.STACK;
import static brassboard.arm.a32.SmallProgram.bus;
import static brassboard.arm.a32.SmallProgram.cpu;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.Masters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A translation goes into a short function it calls in its page (BL) and, where the function returns
 * (BX LR, POP {PC}) to the instruction after one of its calls, on from there without leaving. Any other
 * return address leaves as before. Translated, every result is the interpreter's, at every budget.
 */
class CallTranslationTest {
    /** A loop calling leaf f (bx lr) twice and leaf g (push {lr} / pop {pc}) once per pass, 40 passes. */
    private static final int[] CALLS = {
        0xE3A07028,   // 0x00 mov r7, #40
        0xE3A00000,   // 0x04 mov r0, #0
        0xE3A01000,   // 0x08 mov r1, #0
        0xEB000006,   // 0x0C loop: bl f
        0xE2811003,   // 0x10 add r1, r1, #3
        0xEB000004,   // 0x14 bl f
        0xEB000005,   // 0x18 bl g
        0xE2577001,   // 0x1C subs r7, r7, #1
        0x1AFFFFF9,   // 0x20 bne loop
        0xEAFFFFFE,   // 0x24 b .
        0x00000000,   // 0x28
        0xE2800001,   // 0x2C f: add r0, r0, #1
        0xE12FFF1E,   // 0x30 bx lr
        0xE52DE004,   // 0x34 g: push {lr}
        0xE0800001,   // 0x38 add r0, r0, r1
        0xE49DF004,   // 0x3C pop {pc}
    };

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void callsOfShortFunctionsReturnIntoTheTranslation(boolean translate) {
        long calling = A32Translator.CALLING.get();
        ArmCpu cpu = cpu(bus(CALLS), translate);
        cpu.run(10_000);
        assertThat(cpu.pc()).isEqualTo((int) RAM + 0x24);
        // each pass: r0 += 1 (f), r1 += 3, r0 += 1 (f), r0 += r1 (g): r0 = 80 + 3 * (1 + ... + 40)
        assertThat(cpu.reg(0)).isEqualTo(80 + 3 * 40 * 41 / 2);
        assertThat(cpu.reg(1)).isEqualTo(120);
        assertThat(cpu.reg(13)).isEqualTo(STACK);
        assertThat(cpu.reg(14)).isEqualTo((int) RAM + 0x1C);
        if (translate && A32Translator.ENABLED && A32Translator.CALLS) {
            assertThat(A32Translator.CALLING.get()).as("translations going into their calls").isGreaterThan(calling);
        }
    }

    @Test
    void everyBudgetStopsWhereTheInterpreterStops() {
        // the return jumps keep the count of instructions exact: a run of any budget ends at the same
        // instruction, with the same registers, translated or not (interrupts are taken at those bounds)
        for (int budget = 1; budget <= 90; budget++) {
            ArmCpu interpreted = cpu(bus(CALLS), false);
            ArmCpu translated = cpu(bus(CALLS), true);
            for (int round = 0; round < 12; round++) {
                int a = interpreted.run(budget);
                int b = translated.run(budget);
                assertThat(b).as("budget %d round %d retired", budget, round).isEqualTo(a);
                assertThat(translated.pc()).as("budget %d round %d pc", budget, round).isEqualTo(interpreted.pc());
                for (int r = 0; r < 15; r++) {
                    assertThat(translated.reg(r)).as("budget %d round %d r%d", budget, round, r).isEqualTo(interpreted.reg(r));
                }
                assertThat(translated.cpsr()).isEqualTo(interpreted.cpsr());
            }
        }
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void aReturnElsewhereLeavesTheTranslation(boolean translate) {
        // f returns past the instruction after its call (lr + 4): not a return site, so the translation
        // leaves with that PC, which skips the mov r2
        ArmCpu cpu = cpu(bus(
                0xE3A07014,   // mov r7, #20
                0xE3A02000,   // mov r2, #0
                0xEB000003,   // loop: bl f
                0xE3A02063,   // mov r2, #99   (skipped)
                0xE2577001,   // subs r7, r7, #1
                0x1AFFFFFB,   // bne loop
                0xEAFFFFFE,   // b .
                0xE28EE004,   // f: add lr, lr, #4
                0xE12FFF1E),  // bx lr
                translate);
        cpu.run(10_000);
        assertThat(cpu.pc()).isEqualTo((int) RAM + 0x18);
        assertThat(cpu.reg(2)).isZero();
        assertThat(cpu.reg(7)).isZero();
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void aReturnToThumbLeavesInThumbState(boolean translate) {
        // f sets bit 0 of LR: BX goes to Thumb at the return site's address, where a T1 b . waits
        int[] program = {
            0xE3A07003,   // 0x00 mov r7, #3
            0xEB000002,   // 0x04 loop: bl f
            0xE2577001,   // 0x08 subs r7, r7, #1      (never reached in ARM state)
            0x1AFFFFFC,   // 0x0C bne loop
            0xEAFFFFFE,   // 0x10 b .
            0xE38EE001,   // 0x14 f: orr lr, lr, #1
            0xE12FFF1E,   // 0x18 bx lr
        };
        AddressSpace bus = bus(program);
        bus.write(RAM + 0x08, 2, 0xE7FE, Masters.DEBUG); // at the return site, in Thumb: b . (T1)
        ArmCpu cpu = cpu(bus, translate);
        cpu.run(1_000);
        assertThat(cpu.pc()).isEqualTo((int) RAM + 0x08);
        assertThat(cpu.cpsr() & (1 << 5)).as("CPSR.T").isNotZero();
        assertThat(cpu.reg(7)).isEqualTo(3);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void aConditionalReturnThatFailsRunsOnInTheFunction(boolean translate) {
        // f: returns early when r0 is even (bxeq lr), else adds 10 first
        ArmCpu cpu = cpu(bus(
                0xE3A07010,   // mov r7, #16
                0xE3A00000,   // mov r0, #0
                0xE3A01000,   // mov r1, #0
                0xEB000003,   // loop: bl f
                0xE2800001,   // add r0, r0, #1
                0xE2577001,   // subs r7, r7, #1
                0x1AFFFFFB,   // bne loop
                0xEAFFFFFE,   // b .
                0xE3100001,   // f: tst r0, #1
                0x012FFF1E,   // bxeq lr
                0xE281100A,   // add r1, r1, #10
                0xE12FFF1E),  // bx lr
                translate);
        cpu.run(10_000);
        assertThat(cpu.pc()).isEqualTo((int) RAM + 0x1C);
        assertThat(cpu.reg(0)).isEqualTo(16);
        assertThat(cpu.reg(1)).isEqualTo(80);
    }
}
