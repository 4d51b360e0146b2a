package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.core.Modes;
import brassboard.arm.core.Psr;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaTest {
    private static Harness exec(int word, int r0, int r1, int r2) {
        Harness h = new Harness().code(word).reg(0, r0).reg(1, r1).reg(2, r2);
        assertThat(h.run(1)).isEqualTo(1);
        return h;
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        // word, asm, r0 in, r1, r2, r0 out
        "E16F0F11, 'clz r0, r1',              0,        00010000, 0,        0000000F",
        "E16F0F11, 'clz r0, r1 (zero)',       0,        00000000, 0,        00000020",
        "E6BF0F31, 'rev r0, r1',              0,        11223344, 0,        44332211",
        "E6BF0FB1, 'rev16 r0, r1',            0,        11223344, 0,        22114433",
        "E6FF0FB1, 'revsh r0, r1',            0,        000011F2, 0,        FFFFF211",
        "E6FF0F31, 'rbit r0, r1',             0,        00000001, 0,        80000000",
        "E6EF0471, 'uxtb r0, r1, ror #8',     0,        11223344, 0,        00000033",
        "E6FF0071, 'uxth r0, r1',             0,        1122F344, 0,        0000F344",
        "E6AF0071, 'sxtb r0, r1',             0,        11223380, 0,        FFFFFF80",
        "E6BF0871, 'sxth r0, r1, ror #16',    0,        80013344, 0,        FFFF8001",
        "E6E20071, 'uxtab r0, r2, r1',        0,        000001FF, 00000001, 00000100",
        "E6F20071, 'uxtah r0, r2, r1',        0,        0001FFFF, 00000001, 00010000",
        "E6A20071, 'sxtab r0, r2, r1',        0,        000000FF, 00000001, 00000000",
        "E6B20071, 'sxtah r0, r2, r1',        0,        0000FFFE, 00000005, 00000003",
        "E6CF0071, 'uxtb16 r0, r1',           0,        11223344, 0,        00220044",
        "E68F0071, 'sxtb16 r0, r1',           0,        11803380, 0,        FF80FF80",
        "E6C20071, 'uxtab16 r0, r2, r1',      0,        00FF00FF, 00010001, 01000100",
        "E6820071, 'sxtab16 r0, r2, r1',      0,        00FF00FF, 00020002, 00010001",
        "E7E70251, 'ubfx r0, r1, #4, #8',     0,        F0000AB0, 0,        000000AB",
        "E7A70251, 'sbfx r0, r1, #4, #8',     0,        00000AB0, 0,        FFFFFFAB",
        "E7CB0411, 'bfi r0, r1, #8, #4',      FFFFFFFF, 00000005, 0,        FFFFF5FF",
        "E7CF001F, 'bfc r0, #0, #16',         12345678, 0,        0,        12340000",
        "E6810812, 'pkhbt r0, r1, r2, lsl #16', 0,      11112222, 33334444, 44442222",
        "E6810852, 'pkhtb r0, r1, r2, asr #16', 0,      11112222, 33334444, 11113333",
        "E6A70011, 'ssat r0, #8, r1',         0,        00000100, 0,        0000007F",
        "E6A70011, 'ssat r0, #8, r1 (neg)',   0,        FFFFFF00, 0,        FFFFFF80",
        "E6AF0251, 'ssat r0, #16, r1, asr #4', 0,       00012340, 0,        00001234",
        "E6E80011, 'usat r0, #8, r1',         0,        FFFFFFFF, 0,        00000000",
        "E6E80011, 'usat r0, #8, r1 (big)',   0,        00001000, 0,        000000FF",
        "E1020051, 'qadd r0, r1, r2',         0,        00000005, 00000007, 0000000C",
        "E1220051, 'qsub r0, r1, r2',         0,        00000005, 00000007, FFFFFFFE",
    })
    void operations(String hex, String asm, String r0, String r1, String r2, String expected) {
        Harness h = exec(Integer.parseUnsignedInt(hex, 16), Integer.parseUnsignedInt(r0, 16),
                Integer.parseUnsignedInt(r1, 16), Integer.parseUnsignedInt(r2, 16));
        assertThat(h.r(0)).as(asm).isEqualTo(Integer.parseUnsignedInt(expected, 16));
    }

    @Test
    void saturationSetsQ() {
        Harness h = step(0xE1020051, 0, 0x7FFFFFFF, 1); // qadd r0, r1, r2
        assertThat(h.r(0)).isEqualTo(0x7FFFFFFF);
        assertThat(h.cpu.cpsr() & Psr.Q).isNotZero();
        h = step(0xE1420051, 0, 0, 0x40000000); // qdadd r0, r1, r2: 2 * r2 saturates
        assertThat(h.r(0)).isEqualTo(0x7FFFFFFF);
        assertThat(h.cpu.cpsr() & Psr.Q).isNotZero();
        h = step(0xE6A70011, 0, 5, 0); // ssat in range: Q untouched
        assertThat(h.cpu.cpsr() & Psr.Q).isZero();
    }

    @Test
    void selPicksBytesByGe() {
        Harness h = new Harness().code(0xE6810FB2).reg(1, 0x11223344).reg(2, 0xAABBCCDD); // sel r0, r1, r2
        h.cpu.setCpsr(h.cpu.cpsr() | (0b0101 << 16));
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0xAA22CC44);
    }

    @Test
    void bitfieldPastBit31IsUndefined() {
        Harness h = step(0xE7EF0AD1, 0, 0, 0); // ubfx r0, r1, #21, #16
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        // bits 11:8 are (1)(1)(1)(1); QEMU decodes them as fixed, so 0000 is UNDEFINED (qemu-arm: SIGILL)
        "E68100B2, 'sel r0, r1, r2 with bits 11:8 == 0000'",
        "E6110012, 'sadd16 r0, r1, r2 with bits 11:8 == 0000'",
        "E6A70031, 'ssat16 r0, #8, r1 with bits 11:8 == 0000'",
        "E6E70031, 'usat16 r0, #7, r1 with bits 11:8 == 0000'",
    })
    void shouldBeOneBitsQemuDecodesAreUndefined(String word, String asm) {
        Harness h = step(Integer.parseUnsignedInt(word, 16), 0, 0, 0);
        assertThat(h.cpu.mode()).as(asm).isEqualTo(Modes.UND);
    }

    /** Runs one instruction that may take an exception. */
    private static Harness step(int word, int r0, int r1, int r2) {
        Harness h = new Harness().code(word).reg(0, r0).reg(1, r1).reg(2, r2);
        h.run(1);
        return h;
    }
}
