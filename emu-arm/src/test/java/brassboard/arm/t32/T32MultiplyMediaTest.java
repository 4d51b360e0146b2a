package brassboard.arm.t32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.core.Modes;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;

/** T32 multiplies, divides, media instructions, hints and exception-generating instructions. */
class T32MultiplyMediaTest {
    private static Harness exec(int insn, int r1, int r2, int r3) {
        Harness h = new Harness().thumb(insn).reg(1, r1).reg(2, r2).reg(3, r3);
        assertThat(h.run(1)).isEqualTo(1);
        return h;
    }

    @Test
    void multipliesAndDivides() {
        Harness h = exec(0xFB820103, 0, -3, 0x4000_0000); // smull r0, r1, r2, r3
        assertThat(((long) h.r(1) << 32) | (h.r(0) & 0xFFFF_FFFFL)).isEqualTo(-3L * 0x4000_0000L);
        assertThat(exec(0xFB91F0F2, -7, 2, 0).r(0)).isEqualTo(-3);            // sdiv r0, r1, r2
        assertThat(exec(0xFBB1F0F2, -7, 2, 0).r(0)).isEqualTo(0x7FFF_FFFC);   // udiv r0, r1, r2
        assertThat(exec(0xFB91F0F2, 5, 0, 0).r(0)).isZero();                  // division by zero gives 0
        assertThat(exec(0xFB013012, 3, 4, 100).r(0)).isEqualTo(100 - 12);      // mls r0, r1, r2, r3
        assertThat(exec(0xFB113012, 0x0000_FFFE, 0x0003_0000, 10).r(0)).isEqualTo(-2 * 3 + 10); // smlabt
        h = new Harness().thumb(0xFBC201C3).reg(0, 1).reg(1, 0).reg(2, 0x0002_0003).reg(3, 0x0004_0005); // smlald
        h.run(1);
        assertThat(h.r(0)).isEqualTo(1 + 2 * 4 + 3 * 5);
    }

    @Test
    void miscellaneousDataProcessing() {
        assertThat(exec(0xBA08, 0x1122_3344, 0, 0).r(0)).isEqualTo(0x4433_2211);     // rev r0, r1
        assertThat(exec(0xFA91F0A1, 1, 0, 0).r(0)).isEqualTo(0x8000_0000);          // rbit r0, r1
        assertThat(exec(0xF3C11007, 0x0000_0AB0, 0, 0).r(0)).isEqualTo(0xAB);       // ubfx r0, r1, #4, #8
        assertThat(exec(0xF3010087, 100, 0, 0).r(0)).isEqualTo(127);                // ssat r0, #8, r1, lsl #2
        assertThat(exec(0xFA41F092, 10, 0x0000_0500, 0).r(0)).isEqualTo(15);        // sxtab r0, r1, r2, ror #8
        assertThat(exec(0xB288, 0x1234_5678, 0, 0).r(0)).isEqualTo(0x5678);         // uxth r0, r1
        assertThat(exec(0xFAB1F081, 0x0001_0000, 0, 0).r(0)).isEqualTo(15);         // clz r0, r1
        assertThat(exec(0xFA82F081, 0x7FFF_FFFF, 1, 0).r(0)).isEqualTo(0x7FFF_FFFF); // qadd r0, r1, r2
        assertThat(exec(0xEAC14022, 0x1111_2222, 0x3333_4444, 0).r(0)).isEqualTo(0x1111_3333); // pkhtb
        assertThat(exec(0xFB713002, 0x0102_0304, 0x0403_0201, 7).r(0)).isEqualTo(7 + 3 + 1 + 1 + 3); // usada8
        Harness h = new Harness().thumb(0xF361200B).reg(0, 0xFFFF_FFFF).reg(1, 0); // bfi r0, r1, #8, #4
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0xFFFF_F0FF);
        // uadd8 r0, r1, r2 sets GE per byte; sel r3, r1, r2 then picks r1's bytes where GE is set
        h = new Harness().thumb(0xFA81F042, 0xFAA1F382).reg(1, 0xFF01_FF01).reg(2, 0x0100_0100);
        h.run(2);
        assertThat(h.r(0)).isEqualTo(0x0001_0001);
        assertThat(h.r(3)).isEqualTo(0xFF00_FF00);
    }

    @Test
    void movwMovt() {
        Harness h = new Harness().thumb(0xF64A30CD, 0xF2C12034);
        h.run(2);
        assertThat(h.r(0)).isEqualTo(0x1234_ABCD);
    }

    @Test
    void hintsBarriersAndBreakpoint() {
        Harness h = new Harness().thumb(0xF3BF8F5B, 0xBF00, 0xBE05); // dmb ish ; nop ; bkpt #5
        h.run(2);
        assertThat(h.cpu.pc()).isEqualTo(Harness.CODE + 6);
        h.run(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.ABT); // a Breakpoint debug event: Prefetch Abort
        assertThat(h.r(14)).isEqualTo(Harness.CODE + 6 + 4);
    }

    @Test
    void advancedSimdAndVfpSpaceReachesTheA32Decoder() {
        // vadd.i32 d0, d1, d2 (T32 EF21 0802 = A32 F221 0802) and a VFP load: UNDEFINED until VFP / NEON
        // handlers exist in the A32 decoder, and then executed by them
        assertThat(Coprocessor.bind("SIMD_dp").toA32().applyAsInt(0xEF210802)).isEqualTo(0xF2210802);
        assertThat(Coprocessor.bind("SIMD_dp_u").toA32().applyAsInt(0xFF210802)).isEqualTo(0xF3210802);
        assertThat(Coprocessor.bind("SIMD_ldst").toA32().applyAsInt(0xF921078F)).isEqualTo(0xF421078F); // vld1.32 {d0}, [r1]
        assertThat(Coprocessor.bind("COPROC_ldst").toA32().applyAsInt(0xED9F0B02)).isEqualTo(0xED9F0B02); // vldr d0, [pc, #8]
        assertThat(Coprocessor.bind("COPROC2_reg").toA32().applyAsInt(0xFE0D0F50)).isEqualTo(0xFE0D0F50); // mcr2
        assertThat(Coprocessor.bind("COPROC_reg").kind()).isEqualTo(Binding.Kind.A32_ALIGNED_PC);
        Harness h = new Harness().thumb(0xEF210802);
        h.run(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
        assertThat(h.r(14)).isEqualTo(Harness.CODE + 2);
    }
}
