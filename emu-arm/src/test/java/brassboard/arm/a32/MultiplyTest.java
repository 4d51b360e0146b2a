package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.core.Psr;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;

class MultiplyTest {
    private static Harness exec(int word, int r0, int r1, int r2, int r3) {
        Harness h = new Harness().code(word).reg(0, r0).reg(1, r1).reg(2, r2).reg(3, r3);
        assertThat(h.run(1)).isEqualTo(1);
        return h;
    }

    @Test
    void thirtyTwoBitMultiplies() {
        assertThat(exec(0xE0000291, 0, 7, -3, 0).r(0)).isEqualTo(-21); // mul r0, r1, r2
        assertThat(exec(0xE0203291, 0, 7, 3, 100).r(0)).isEqualTo(121); // mla r0, r1, r2, r3
        assertThat(exec(0xE0603291, 0, 7, 3, 100).r(0)).isEqualTo(79); // mls r0, r1, r2, r3
    }

    @Test
    void mulsSetsNAndZOnly() {
        Harness h = new Harness().code(0xE0100291).reg(1, 0x10000).reg(2, 0x10000).flags(0b0011); // muls r0, r1, r2
        h.run(1);
        assertThat(h.r(0)).isZero();
        assertThat(h.nzcv()).isEqualTo(0b0111);
    }

    @Test
    void longMultiplies() {
        Harness h = exec(0xE0810392, 0, 0, 0xFFFFFFFF, 0xFFFFFFFF); // umull r0, r1, r2, r3
        assertThat(h.r(0)).isEqualTo(1);
        assertThat(h.r(1)).isEqualTo(0xFFFFFFFE);

        h = exec(0xE0A10392, 0xFFFFFFFF, 0, 1, 1); // umlal r0, r1, r2, r3
        assertThat(h.r(0)).isZero();
        assertThat(h.r(1)).isEqualTo(1);

        h = exec(0xE0C10392, 0, 0, -2, 3); // smull r0, r1, r2, r3
        assertThat(h.r(0)).isEqualTo(-6);
        assertThat(h.r(1)).isEqualTo(-1);

        h = exec(0xE0E10392, 1, 0, -1, 1); // smlal r0, r1, r2, r3
        assertThat(h.r(0)).isZero();
        assertThat(h.r(1)).isZero();

        h = exec(0xE0410392, -1, -1, -1, -1); // umaal r0, r1, r2, r3: (2^32-1)^2 + 2(2^32-1) = 2^64 - 1
        assertThat(h.r(0)).isEqualTo(-1);
        assertThat(h.r(1)).isEqualTo(-1);
    }

    @Test
    void umullsSetsZFromAllSixtyFourBits() {
        Harness h = new Harness().code(0xE0910392).reg(2, 0x80000000).reg(3, 2); // umulls r0, r1, r2, r3
        h.run(1);
        assertThat(h.r(0)).isZero();
        assertThat(h.r(1)).isEqualTo(1);
        assertThat(h.nzcv()).isEqualTo(0b0000);
        h = new Harness().code(0xE0910392).reg(2, 0).reg(3, 2);
        h.run(1);
        assertThat(h.nzcv()).isEqualTo(0b0100);
    }

    @Test
    void divides() {
        assertThat(exec(0xE710F211, 0, -7, 2, 0).r(0)).isEqualTo(-3); // sdiv r0, r1, r2: rounds toward zero
        assertThat(exec(0xE710F211, 9, 5, 0, 0).r(0)).isZero(); // divide by zero gives 0
        assertThat(exec(0xE710F211, 0, Integer.MIN_VALUE, -1, 0).r(0)).isEqualTo(Integer.MIN_VALUE);
        assertThat(exec(0xE730F211, 0, 0xFFFFFFFF, 2, 0).r(0)).isEqualTo(0x7FFFFFFF); // udiv r0, r1, r2
        assertThat(exec(0xE730F211, 9, 5, 0, 0).r(0)).isZero();
    }

    @Test
    void halfwordMultiplies() {
        assertThat(exec(0xE1600281, 0, 0x0003FFFE, 0x00050007, 0).r(0)).isEqualTo(-14); // smulbb r0, r1, r2
        assertThat(exec(0xE16002A1, 0, 0x0003FFFE, 0x00050007, 0).r(0)).isEqualTo(21); // smultb r0, r1, r2
        assertThat(exec(0xE10032C1, 0, 0x0003FFFE, 0x00050007, 100).r(0)).isEqualTo(90); // smlabt r0, r1, r2, r3
        assertThat(exec(0xE12002A1, 0, 0x10000, 7, 0).r(0)).isEqualTo(7); // smulwb r0, r1, r2
        Harness h = exec(0xE1410382, 5, 0, 0xFFFF, 3); // smlalbb r0, r1, r2, r3: -1 * 3 + 5
        assertThat(h.r(0)).isEqualTo(2);
        assertThat(h.r(1)).isZero();
    }

    @Test
    void smlaOverflowSetsQ() {
        Harness h = exec(0xE10032C1, 0, 0x8000, 0x80000000, 0x40000000); // smlabt: 0x40000000 + 0x40000000
        assertThat(h.r(0)).isEqualTo(0x80000000);
        assertThat(h.cpu.cpsr() & Psr.Q).isNotZero();
    }
}
