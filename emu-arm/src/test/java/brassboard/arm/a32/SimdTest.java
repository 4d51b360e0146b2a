package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.testing.Harness;
import brassboard.arm.vfp.Vfp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Advanced SIMD handlers (A7.4, A7.7): words in, D registers and memory out; values worked from the pseudocode. */
class SimdTest {
    private static final long D0 = 0x0807_0605_0403_0201L;
    private static final long D1 = 0x01FF_0680_7F03_0A01L;

    private static Harness exec(int word) {
        Harness h = ExtensionRegisterTransferTest.enabled(word);
        Vfp v = h.cpu.vfp();
        v.d[0] = D0;
        v.d[1] = D1;
        assertThat(h.run(1)).as("retired").isEqualTo(1);
        return h;
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        // word, asm, destination D register, expected value
        "F3007301, 'vcgt.u8 d7, d0, d1',        7,  0xFF00000000000000",
        "F2007811, 'vtst.8 d7, d0, d1',         7,  0x00FFFF00FFFFFFFF",
        "F2B08301, 'vext.8 d8, d0, d1, #3',     8,  0x030A010807060504",
        "F3B09000, 'vrev64.8 d9, d0',           9,  0x0102030405060708",
        "F200A011, 'vqadd.s8 d10, d0, d1',      10, 0x09060C857F060C02",
        "F3044A05, 'vpmax.u8 d4, d4, d5 (d4=d0 copy)', 4, 0x0000000000000000",
        "F3F0B280, 'vpaddl.u8 d27, d0',         27, 0x000F000B00070003",
        "F3F0C500, 'vcnt.8 d28, d0',            28, 0x0103020201020101",
        "F3F4D480, 'vclz.i16 d29, d0',          29, 0x0004000500050006",
        "F3B02903, 'vtbl.8 d2, {d0-d1}, d3 (d3 = 0)', 2, 0x0101010101010101",
        "F2C19032, 'vmvn.i32 d25, #18',         25, 0xFFFFFFEDFFFFFFED",
        "F2187B09, 'vqdmulh.s16 d7, d8, d9 (zeros)', 7, 0x0",
    })
    void operations(String hex, String asm, int dest, String expected) {
        Harness h = exec(Integer.parseUnsignedInt(hex, 16));
        assertThat(h.cpu.vfp().d[dest]).as(asm).isEqualTo(Long.parseUnsignedLong(expected.substring(2), 16));
    }

    @Test
    void saturationSetsQc() {
        Harness h = exec(0xF200A011); // vqadd.s8: 0x7F + 0x03 saturates
        assertThat(h.cpu.vfp().fpscr & Vfp.FPSCR_QC).isEqualTo(Vfp.FPSCR_QC);
        Harness quiet = exec(0xF2007811); // vtst: no saturation
        assertThat(quiet.cpu.vfp().fpscr & Vfp.FPSCR_QC).isZero();
    }

    @Test
    void glibcStyleSearchLoopOperations() {
        // vdup.8 q1, r2; vceq.i8 q2, q0, q1; vand q3, q2, q0; vshrn.i16 d6, q3, #4; vmov.i8 q5, #255
        Harness h = ExtensionRegisterTransferTest.enabled(0xEEE22B10, 0xF3004852, 0xF2046150, 0xF28C6816, 0xF387AE5F).reg(2, 0x80);
        Vfp v = h.cpu.vfp();
        v.d[0] = D0;
        v.d[1] = D1;
        assertThat(h.run(5)).isEqualTo(5);
        assertThat(v.d[2]).isEqualTo(0x8080_8080_8080_8080L);
        assertThat(v.d[4]).isZero();
        assertThat(v.d[5]).isEqualTo(0x0000_00FF_0000_0000L); // byte 4 of d1 is 0x80
        // q3 = q2 & q0: 0x0080 in halfword 2 of d7, shifted right by 4 and narrowed to byte 6 of d6
        assertThat(v.d[6]).isEqualTo(0x0008_0000_0000_0000L);
        assertThat(v.d[10]).isEqualTo(-1L);
        assertThat(v.d[11]).isEqualTo(-1L);
    }

    @Test
    void elementLoadsAndStores() {
        // vld1.8 {d0-d1}, [r0]!; vst1.32 {d2-d3}, [r1]; vld2.8 {d16-d17}, [r3]; vst1.8 {d18[3]}, [r4]; vld1.32 {d20[]}, [r5]
        Harness h = ExtensionRegisterTransferTest.enabled(0xF4200A0D, 0xF4012A8F, 0xF463080F, 0xF4C4206F, 0xF4E54C8F)
                .reg(0, 0x1000).reg(1, 0x1100).reg(3, 0x1000).reg(4, 0x1200).reg(5, 0x1004);
        h.at(0x1000, 0x03020100, 0x07060504, 0x0B0A0908, 0x0F0E0D0C);
        Vfp v = h.cpu.vfp();
        v.d[2] = 0x1111_1111_2222_2222L;
        v.d[3] = 0x3333_3333_4444_4444L;
        v.d[18] = 0x0000_0000_AB00_0000L;
        assertThat(h.run(5)).isEqualTo(5);
        assertThat(v.d[0]).isEqualTo(0x0706_0504_0302_0100L);
        assertThat(v.d[1]).isEqualTo(0x0F0E_0D0C_0B0A_0908L);
        assertThat(h.r(0)).isEqualTo(0x1010);
        assertThat(h.ram.word(0x1100)).isEqualTo(0x22222222);
        assertThat(h.ram.word(0x110C)).isEqualTo(0x33333333);
        assertThat(v.d[16]).isEqualTo(0x0E0C_0A08_0604_0200L); // even bytes
        assertThat(v.d[17]).isEqualTo(0x0F0D_0B09_0705_0301L); // odd bytes
        assertThat(h.ram.word(0x1200) & 0xFF).isEqualTo(0xAB);
        assertThat(v.d[20]).isEqualTo(0x0706_0504_0706_0504L);
    }

    @Test
    void anOddQRegisterAndDisabledSimdAreUndefined() {
        Harness h = ExtensionRegisterTransferTest.enabled(0xF3004852 | (1 << 12)); // vceq.i8 with Vd odd, Q set
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.pc()).isEqualTo(0x4);
        Harness off = new Harness().code(0xF3004852);
        off.cpu.vfp().writeCpacr(Vfp.CPACR_ASEDIS | 0x00F0_0000);
        off.cpu.vfp().writeFpexc(Vfp.FPEXC_EN);
        assertThat(off.run(1)).isZero();
        assertThat(off.cpu.pc()).isEqualTo(0x4);
    }

    @Test
    void floatingPointUsesTheStandardFpscrValue() {
        // vmul.f32 q6, q7, q8 with a denormal operand: flushed (standard FPSCR has FZ) even though FPSCR.FZ is clear
        Harness h = ExtensionRegisterTransferTest.enabled(0xF30ECD70);
        Vfp v = h.cpu.vfp();
        v.d[14] = 0x3F80_0000_0000_0001L; // 1.0 : denormal
        v.d[16] = 0x4000_0000_4000_0000L; // 2.0 : 2.0
        h.run(1);
        assertThat(v.d[12]).isEqualTo(0x4000_0000_0000_0000L);
        assertThat(v.fpscr & Vfp.IDC).isEqualTo(Vfp.IDC);
    }

    @Test
    void laneParallelAddSubtractCompareAndTestMatchElementByElement() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        int[] ops = {15, 16, 18, 17}; // ADD, SUB, CEQ, TST as SimdThreeRegisters numbers them
        for (int i = 0; i < 20_000; i++) {
            long a = rnd.nextLong();
            long b = rnd.nextInt(4) == 0 ? a ^ (0xFFL << (8 * rnd.nextInt(8))) : rnd.nextLong();
            for (int esize : new int[] {8, 16, 32, 64}) {
                for (int op : ops) {
                    long expected = 0;
                    for (int e = 0; e < 64 / esize; e++) {
                        long x = Simd.lane(a, e, esize);
                        long y = Simd.lane(b, e, esize);
                        long v = op == 15 ? x + y : op == 16 ? x - y : op == 18 ? (x == y ? -1 : 0) : ((x & y) != 0 ? -1 : 0);
                        expected = Simd.withLane(expected, e, esize, v);
                    }
                    assertThat(SimdThreeRegisters.lanewise(op, a, b, esize)).as("op %d esize %d", op, esize).isEqualTo(expected);
                }
            }
        }
    }
}
