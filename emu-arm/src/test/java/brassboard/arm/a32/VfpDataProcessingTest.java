package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.testing.Harness;
import brassboard.arm.vfp.Vfp;
import org.junit.jupiter.api.Test;

/** VFP data-processing handlers (A7.5): words in, extension registers and FPSCR out. */
class VfpDataProcessingTest {
    private static Harness run(int... words) {
        return ExtensionRegisterTransferTest.enabled(words);
    }

    private static int f(float v) {
        return Float.floatToRawIntBits(v);
    }

    private static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    @Test
    void singlePrecisionArithmetic() {
        // vadd.f32 s0, s1, s2; vfma.f32 s4, s1, s2; vdiv.f32 s2, s1, s2
        Harness h = run(0xEE300A81, 0xEEA02A81, 0xEE801A81);
        Vfp v = h.cpu.vfp();
        v.setS(1, f(3.0f));
        v.setS(2, f(0.5f));
        v.setS(4, f(1.0f));
        assertThat(h.run(3)).isEqualTo(3);
        assertThat(Float.intBitsToFloat(v.s(0))).isEqualTo(3.5f);
        assertThat(Float.intBitsToFloat(v.s(4))).isEqualTo(2.5f); // s4 + s1 * s2
        assertThat(Float.intBitsToFloat(v.s(2))).isEqualTo(6.0f);
    }

    @Test
    void doublePrecisionMultiplyAccumulateRoundsTwiceAndNegatedForms() {
        Harness h = run(0xEE010B02, 0xEE243B45); // vmla.f64 d0, d1, d2; vnmul.f64 d3, d4, d5
        Vfp v = h.cpu.vfp();
        v.d[0] = d(1.0);
        v.d[1] = d(2.0);
        v.d[2] = d(3.0);
        v.d[4] = d(1.5);
        v.d[5] = d(2.0);
        h.run(2);
        assertThat(Double.longBitsToDouble(v.d[0])).isEqualTo(7.0);
        assertThat(Double.longBitsToDouble(v.d[3])).isEqualTo(-3.0);
        assertThat(v.fpscr & 0x9F).isZero();
    }

    @Test
    void immediatesAndMoves() {
        Harness h = run(0xEEB70A08, 0xEEF80B00, 0xEEF1FB6E, 0xEEF0FACF); // vmov.f32 s0, #1.5; vmov.f64 d16, #-2.0; vneg; vabs
        Vfp v = h.cpu.vfp();
        v.d[30] = d(4.0);
        v.setS(30, f(-0.25f));
        h.run(4);
        assertThat(v.s(0)).isEqualTo(f(1.5f));
        assertThat(v.d[16]).isEqualTo(d(-2.0));
        assertThat(v.d[31]).isEqualTo(v.d[30] ^ Long.MIN_VALUE); // VNEG flips the sign bit only
        assertThat(v.s(31)).isEqualTo(f(0.25f));
    }

    @Test
    void compareSetsFpscrFlagsAndVmrsCopiesThemToApsr() {
        // vcmpe.f64 d0, #0.0; vmrs APSR_nzcv, fpscr; vcmp.f32 s0, s1 with a quiet NaN
        Harness h = run(0xEEB50BC0, 0xEEF1FA10, 0xEEB40A60);
        Vfp v = h.cpu.vfp();
        v.d[0] = d(-1.0);
        h.run(2);
        assertThat(h.nzcv()).isEqualTo(0b1000);
        v.setS(0, 0x7FC0_0000);
        h.run(1);
        assertThat(v.fpscr >>> 28).isEqualTo(0b0011);
        assertThat(v.fpscr & Vfp.IOC).isZero(); // VCMP: a quiet NaN raises nothing
    }

    @Test
    void integerConversionsRoundTowardsZeroOrByFpscr() {
        // vcvt.s32.f64 s0, d1; vcvtr.s32.f32 s2 (word | Vd 1), s1; vcvt.f64.u32 d2, s3
        Harness h = run(0xEEBD0BC1, 0xEEBD0A60 | 0x1000, 0xEEB82B61);
        Vfp v = h.cpu.vfp();
        v.d[1] = d(-2.75);
        v.setS(1, f(2.5f));
        v.fpscr = 1 << 22; // round towards plus infinity
        h.run(2);
        assertThat(v.s(0)).isEqualTo(-2);
        assertThat(v.s(2)).isEqualTo(3);
        v.setS(3, 0xFFFF_FFFF);
        h.run(1);
        assertThat(v.d[2]).isEqualTo(d(4294967295.0));
        assertThat(v.fpscr & Vfp.IXC).isNotZero();
    }

    @Test
    void precisionHalfAndFixedPointConversions() {
        // vcvt.f32.f64 s4, d5; vcvtb.f16.f32 s6, s7; vcvtt.f32.f16 s6, s7 (s6 = top half of s7);
        // vcvt.s16.f32 s8, s8, #4; vcvt.f64.u32 d9, d9, #8
        Harness h = run(0xEEB72BC5, 0xEEB33A63, 0xEEB23AE3, 0xEEBE4A46, 0xEEBB9BCC);
        Vfp v = h.cpu.vfp();
        v.d[5] = d(0.5);
        v.setS(7, f(1.0f));
        v.setS(8, f(-2.5f));
        v.d[9] = 0x0000_0000_0000_0180L;
        h.run(2);
        assertThat(v.s(4)).isEqualTo(f(0.5f));
        assertThat(v.s(6) & 0xFFFF).isEqualTo(0x3C00);
        v.setS(7, 0xC000_0000); // top half 0xC000: -2.0 in half precision
        h.run(1);
        assertThat(v.s(6)).isEqualTo(f(-2.0f));
        h.run(2);
        assertThat(v.s(8)).isEqualTo(-40); // -2.5 * 16, sign-extended
        assertThat(v.d[9]).isEqualTo(d(1.5));
    }

    @Test
    void squareRootRaisesInvalidForNegativesUnderDefaultNaN() {
        Harness h = run(0xEEB11BC2); // vsqrt.f64 d1, d2
        Vfp v = h.cpu.vfp();
        v.d[2] = d(-4.0);
        v.fpscr = Vfp.FPSCR_DN;
        h.run(1);
        assertThat(v.d[1]).isEqualTo(0x7FF8_0000_0000_0000L);
        assertThat(v.fpscr & Vfp.IOC).isEqualTo(Vfp.IOC);
    }
}
