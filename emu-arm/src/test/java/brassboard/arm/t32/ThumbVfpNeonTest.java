package brassboard.arm.t32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.core.Modes;
import brassboard.arm.testing.Harness;
import brassboard.arm.vfp.Vfp;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import org.junit.jupiter.api.Test;

/**
 * VFP and Advanced SIMD instructions in Thumb state: the T32 decoder rewrites the coprocessor and Advanced
 * SIMD space to A32 words (A6.3.18, A7.1) and runs them on the A32 VFP / NEON handlers, so the same program
 * gives the same registers, FPSCR, flags and memory in ARM and in Thumb state.
 */
class ThumbVfpNeonTest {
    private static final int DATA = 0x1000;
    private static final int OUT = 0x1100;

    // each row: the A32 word, the T32 instruction (hw1:hw2), what it is
    private static final int[][] PROGRAM = {
        {0xF4200A8F, 0xF9200A8F}, // vld1.32 {d0-d1}, [r0]                (Advanced SIMD element load)
        {0xF2002D40, 0xEF002D40}, // vadd.f32 q1, q0, q0                   (Advanced SIMD, U = 0)
        {0xF3007301, 0xFF007301}, // vcgt.u8 d7, d0, d1                    (Advanced SIMD, U = 1)
        {0xEE325B03, 0xEE325B03}, // vadd.f64 d5, d2, d3                   (VFP data processing)
        {0xEC532B12, 0xEC532B12}, // vmov r2, r3, d2                       (transfer to two core registers)
        {0xEEB42A62, 0xEEB42A62}, // vcmp.f32 s4, s5
        {0xEEF1FA10, 0xEEF1FA10}, // vmrs APSR_nzcv, fpscr
        {0xBEB06A62, 0xEEB06A62}, // vmovlt.f32 s12, s5 (Thumb: in an IT LT block)
        {0xED812B00, 0xED812B00}, // vstr d2, [r1]                         (extension register store)
        {0xEEF14A10, 0xEEF14A10}, // vmrs r4, fpscr
    };
    private static final int IT_LT = 0xBFB8;
    private static final int IT_BEFORE = 7;

    private static Harness arm() {
        int[] words = new int[PROGRAM.length];
        for (int i = 0; i < words.length; i++) {
            words[i] = PROGRAM[i][0];
        }
        return prepare(new Harness().code(words));
    }

    private static Harness thumb() {
        int[] insns = new int[PROGRAM.length + 1];
        for (int i = 0, j = 0; i < PROGRAM.length; i++) {
            if (i == IT_BEFORE) {
                insns[j++] = IT_LT;
            }
            insns[j++] = PROGRAM[i][1];
        }
        return prepare(new Harness().thumb(insns));
    }

    private static Harness prepare(Harness h) {
        h.cpu.vfp().enableForUserMode();
        // 1.0, 2.5, -3.0, 0.5 (single precision)
        h.at(DATA, 0x3F800000, 0x40200000, 0xC0400000, 0x3F000000);
        return h.reg(0, DATA).reg(1, OUT);
    }

    @Test
    void vfpAndNeonInThumbStateMatchArmState() {
        Harness a = arm();
        Harness t = thumb();
        assertThat(a.run(PROGRAM.length)).isEqualTo(PROGRAM.length);
        assertThat(t.run(PROGRAM.length + 1)).isEqualTo(PROGRAM.length + 1);
        assertThat(t.cpu.mode()).as("no Undefined Instruction exception").isEqualTo(a.cpu.mode()).isEqualTo(Modes.SVC);
        assertThat(a.cpu.pc()).isEqualTo(Harness.CODE + 4 * PROGRAM.length);
        assertThat(t.cpu.pc()).isEqualTo(Harness.CODE + 2 + 4 * PROGRAM.length);

        // the values, worked by hand: q1 = q0 + q0 = {2.0, 5.0, -6.0, 1.0}; s4 < s5 so N is set and s12 = s5
        Vfp v = t.cpu.vfp();
        assertThat(v.d[2]).isEqualTo(0x40A00000_40000000L);
        assertThat(v.d[3]).isEqualTo(0x3F800000_C0C00000L);
        // unsigned bytes of d0 (00 00 80 3f 00 00 20 40) above d1's (00 00 40 c0 00 00 00 3f): bytes 2, 6 and 7
        assertThat(v.d[7]).isEqualTo(0xFFFF_0000_00FF_0000L);
        assertThat(t.r(2)).isEqualTo(0x40000000);
        assertThat(t.r(3)).isEqualTo(0x40A00000);
        assertThat(t.nzcv()).isEqualTo(0b1000);
        assertThat(Float.intBitsToFloat((int) v.d[6])).isEqualTo(5.0f);
        assertThat(t.ram.word(OUT)).isEqualTo(0x40000000);
        assertThat(t.ram.word(OUT + 4)).isEqualTo(0x40A00000);
        assertThat(t.r(4) >>> 28).isEqualTo(0b1000);

        assertThat(v.d).isEqualTo(a.cpu.vfp().d);
        assertThat(v.fpscr).isEqualTo(a.cpu.vfp().fpscr);
        for (int r = 0; r <= 4; r++) {
            assertThat(t.r(r)).as("r%d", r).isEqualTo(a.r(r));
        }
        assertThat(t.nzcv()).isEqualTo(a.nzcv());
    }

    @Test
    void aFalseItConditionSkipsTheVfpInstruction() {
        Harness t = thumb();
        t.at(DATA, 0x40000000, 0x3F000000, 0, 0); // 2.0, 0.5: q1 = {4.0, 1.0, 0, 0}, so s4 > s5
        assertThat(t.run(PROGRAM.length + 1)).isEqualTo(PROGRAM.length + 1);
        assertThat(t.nzcv()).isEqualTo(0b0010); // greater than: C set
        assertThat(t.cpu.vfp().d[6]).isZero(); // vmovlt skipped
    }

    @Test
    void withFpexcEnClearTheFirstVfpInstructionIsUndefinedAtItsOwnAddress() {
        Harness t = new Harness().thumb(0xBF00, 0xEE325B03); // nop; vadd.f64 d5, d2, d3
        t.run(2);
        assertThat(t.cpu.mode()).isEqualTo(Modes.UND);
        assertThat(t.r(14)).isEqualTo(Harness.CODE + 2 + 2); // the Undefined Instruction's address + 2 in Thumb state
    }

    /** The b . after {@link #hotLoop}'s loop. */
    private static final int END = Harness.CODE + 10;

    /**
     * A Thumb loop: adds r3, #1; vadd.f32 q1, q1, q0; subs r2, #1; bne loop, run {@code n} times, then b .,
     * in calls of 7 steps until it gets there. On a bus with RAM (the Harness's test RAM has no code cache,
     * so nothing would be translated) and run to the b . (a budget ending with the loop would leave its
     * last pass to the interpreter).
     */
    private static ArmCpu hotLoop(boolean translate, int n) {
        AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        bus.map(0, new Ram("ram", Harness.RAM_SIZE));
        int[] halfwords = {0x3301, 0xEF02, 0x2D40, 0x3A01, 0xD1FA, 0xE7FE};
        for (int i = 0; i < halfwords.length; i++) {
            bus.write(Harness.CODE + 2L * i, 2, halfwords[i], Masters.DEBUG);
        }
        ArmCpu cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        cpu.setCompileBlocks(translate);
        cpu.setCompileThreshold(2);
        cpu.reset(Harness.CODE | 1);
        cpu.vfp().enableForUserMode();
        cpu.vfp().d[0] = 0x3F800000_3F800000L; // q0 = 1.0 x 4
        cpu.vfp().d[1] = 0x3F800000_3F800000L;
        cpu.setReg(2, n);
        cpu.setReg(3, 0);
        for (int calls = 0; cpu.pc() != END && calls < n; calls++) {
            cpu.run(7);
        }
        return cpu;
    }

    @Test
    void aHotThumbLoopWithNeonRunsTheSameTranslatedAndInterpreted() {
        ArmCpu t = hotLoop(true, 5000);
        ArmCpu i = hotLoop(false, 5000);
        assertThat(t.mode()).isEqualTo(Modes.SVC);
        assertThat(t.pc()).isEqualTo(i.pc()).isEqualTo(END);
        assertThat(t.reg(3)).isEqualTo(5000);
        assertThat(t.vfp().d[2]).isEqualTo(0x459C4000_459C4000L); // 5000.0 x 2
        assertThat(t.vfp().d[3]).isEqualTo(0x459C4000_459C4000L);
        assertThat(t.vfp().d).isEqualTo(i.vfp().d);
        assertThat(t.instructionsRetired()).isEqualTo(i.instructionsRetired());
        assertThat(t.blocksCompiled()).isPositive();
        assertThat(i.blocksCompiled()).isZero();
    }
}
