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
 * A loop stepped by the interpreter until it is hot is translated once, as the block starting at its
 * head: the instructions of its body, each stepped as often as the head, are not translated as the
 * starts of blocks of their own (which would never run: the loop runs as the first block). A32 and T32.
 */
class TranslationThresholdTest {
    private static final int CODE = 0x8000;

    private static ArmCpu cpu(AddressSpace bus, int threshold, int resetPc) {
        ArmCpu cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        cpu.setCompileThreshold(threshold);
        cpu.reset(resetPc);
        return cpu;
    }

    @Test
    void aHotA32LoopIsTranslatedAtItsHeadOnly() {
        AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        bus.map(0, new Ram("ram", 0x10000));
        int[] program = {
            0xE3A03C01,   // mov r3, #256
            0xE2800001,   // loop: add r0, r0, #1
            0xE2811002,   // add r1, r1, #2
            0xE0822000,   // add r2, r2, r0
            0xE2533001,   // subs r3, r3, #1
            0x1AFFFFFA,   // bne loop
            0xEAFFFFFE,   // b .
        };
        for (int i = 0; i < program.length; i++) {
            bus.write(CODE + 4L * i, 4, program[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
        ArmCpu cpu = cpu(bus, 100, CODE);
        cpu.run(1 + 5 * 256 + 200);
        assertThat(cpu.reg(0)).isEqualTo(256);
        assertThat(cpu.reg(2)).isEqualTo(256 * 257 / 2);
        assertThat(cpu.reg(3)).isZero();
        // the loop at its head; A32Translator's region runs on past the loop's conditional branch into
        // "b ." (the template translator, -Dbrassboard.jit.direct=false, translates "b ." after its 100th step)
        assertThat(cpu.blocksCompiled()).isEqualTo(A32Translator.ENABLED ? 1 : 2);
    }

    @Test
    void aHotT32LoopIsTranslatedAtItsHeadOnly() {
        AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        bus.map(0, new Ram("ram", 0x10000));
        int[] halfwords = {
            0xF44F, 0x7380, // mov.w r3, #256
            0x3001,         // loop: adds r0, #1
            0x3102,         // adds r1, #2
            0x1812,         // adds r2, r2, r0
            0x3B01,         // subs r3, #1
            0xD1FA,         // bne loop
            0xE7FE,         // b .
        };
        for (int i = 0; i < halfwords.length; i++) {
            bus.write(CODE + 2L * i, 2, halfwords[i], Masters.DEBUG);
        }
        ArmCpu cpu = cpu(bus, 100, CODE | 1);
        cpu.run(1 + 5 * 256 + 200);
        assertThat(cpu.reg(0)).isEqualTo(256);
        assertThat(cpu.reg(2)).isEqualTo(256 * 257 / 2);
        assertThat(cpu.reg(3)).isZero();
        assertThat(cpu.blocksCompiled()).isEqualTo(2);
    }
}
