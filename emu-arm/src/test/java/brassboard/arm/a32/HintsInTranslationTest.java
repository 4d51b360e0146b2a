package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import org.junit.jupiter.api.Test;

/**
 * The hints and barriers that do nothing here (PLD, DMB, DSB, ISB, NOP, YIELD, a conditional NOP) do not end a
 * translation: a loop holding them all (the kernel's memcpy has a PLD, its atomics DMBs) is one translation
 * that loops by itself, and counts each of them as an instruction retired.
 */
class HintsInTranslationTest {
    private static final int CODE = 0x8000;
    private static final int PASSES = 300;

    @Test
    void aLoopThroughHintsAndBarriersIsOneTranslation() {
        AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        bus.map(0, new Ram("ram", 0x10000));
        int[] code = {
            0xE300312C,          // movw r3, #300: the passes
            0xE3A00000,          // mov r0, #0
            0xE3A01A01,          // mov r1, #0x1000
            0xF5D1F000,          // loop: pld [r1]
            0xE2800001,          // add r0, r0, #1
            0xF57FF05B,          // dmb ish
            0xE320F000,          // nop
            0xF57FF04F,          // dsb sy
            0x1320F000,          // nopne
            0xE320F001,          // yield
            0xF57FF06F,          // isb sy
            0xE2533001,          // subs r3, r3, #1
            0x1AFFFFF5,          // bne loop
            0xEAFFFFFE,          // b .
        };
        for (int i = 0; i < code.length; i++) {
            bus.write(CODE + 4L * i, 4, code[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
        ArmCpu cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        cpu.setCompileThreshold(50);
        cpu.reset(CODE);
        int steps = 3 + PASSES * 10;
        // on into the final b . (fewer steps of it than the threshold): a budget ending with the loop would
        // leave its last pass, and the way out of it, to the interpreter
        int budget = steps + 20;
        assertThat(cpu.run(budget)).isEqualTo(budget);
        assertThat(cpu.reg(0)).isEqualTo(PASSES);
        assertThat(cpu.reg(3)).isZero();
        assertThat(cpu.pc()).isEqualTo(CODE + 4 * 13);
        assertThat(cpu.instructionsRetired()).isEqualTo(budget);
        if (A32Translator.ENABLED) {
            // one translation, at the loop's head (after 50 interpreted passes), which then loops by itself
            assertThat(cpu.blocksCompiled()).isEqualTo(1);
        }
    }
}
