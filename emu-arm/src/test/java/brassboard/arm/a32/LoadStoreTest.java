package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.core.Cp15;
import brassboard.arm.core.Modes;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;

class LoadStoreTest {
    private static final int DATA = 0x1000;
    private static final int MCR_SCTLR_R2 = 0xEE012F10; // mcr p15, 0, r2, c1, c0, 0

    private static Harness withData() {
        Harness h = new Harness();
        h.at(DATA, 0x11223344, 0x55667788, 0x99AABBCC, 0xDDEEFF00);
        return h;
    }

    @Test
    void loadWithImmediateOffsetPreIndexAndPostIndex() {
        Harness h = withData().code(0xE5910004).reg(1, DATA); // ldr r0, [r1, #4]
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0x55667788);
        assertThat(h.r(1)).isEqualTo(DATA);

        h = withData().code(0xE5B10004).reg(1, DATA); // ldr r0, [r1, #4]!
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0x55667788);
        assertThat(h.r(1)).isEqualTo(DATA + 4);

        h = withData().code(0xE4110004).reg(1, DATA + 8); // ldr r0, [r1], #-4
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0x99AABBCC);
        assertThat(h.r(1)).isEqualTo(DATA + 4);
    }

    @Test
    void storeWithScaledRegisterOffset() {
        Harness h = withData().code(0xE7810102).reg(0, 0xCAFEF00D).reg(1, DATA).reg(2, 3); // str r0, [r1, r2, lsl #2]
        h.run(1);
        assertThat(h.ram.word(DATA + 12)).isEqualTo(0xCAFEF00D);
    }

    @Test
    void bytesAndHalfwords() {
        Harness h = withData().code(0xE5D10001, 0xE1D100B0).reg(1, DATA); // ldrb r0, [r1, #1]; ldrh r0, [r1]
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0x33);
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0x3344);

        h = withData().code(0xE5C10000).reg(0, 0x1FF).reg(1, DATA); // strb r0, [r1]
        h.run(1);
        assertThat(h.ram.word(DATA)).isEqualTo(0x112233FF);

        h = withData().code(0xE1E100B2).reg(0, 0xABCD).reg(1, DATA); // strh r0, [r1, #2]!
        h.run(1);
        assertThat(h.ram.word(DATA)).isEqualTo(0xABCD3344);
        assertThat(h.r(1)).isEqualTo(DATA + 2);
    }

    @Test
    void signedLoadsSignExtend() {
        Harness h = withData().code(0xE1D100D0).reg(1, DATA + 8); // ldrsb r0, [r1]  (0xCC)
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0xFFFFFFCC);
        h = withData().code(0xE19100F2).reg(1, DATA).reg(2, 4); // ldrsh r0, [r1, r2]  (0x7788)
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0x7788);
        h = withData().code(0xE19100F2).reg(1, DATA).reg(2, 10); // (0x99AA)
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0xFFFF99AA);
    }

    @Test
    void doublewords() {
        Harness h = withData().code(0xE1C120D8).reg(1, DATA); // ldrd r2, r3, [r1, #8]
        h.run(1);
        assertThat(h.r(2)).isEqualTo(0x99AABBCC);
        assertThat(h.r(3)).isEqualTo(0xDDEEFF00);

        h = withData().code(0xE16120F8).reg(1, DATA + 8).reg(2, 1).reg(3, 2); // strd r2, r3, [r1, #-8]!
        h.run(1);
        assertThat(h.ram.word(DATA)).isEqualTo(1);
        assertThat(h.ram.word(DATA + 4)).isEqualTo(2);
        assertThat(h.r(1)).isEqualTo(DATA);
    }

    @Test
    void ldrdWithAnOddRegisterIsUndefined() {
        Harness h = withData().code(0xE1C010D0).reg(0, DATA); // ldrd r1, r2, [r0]
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
    }

    @Test
    void literalLoadUsesPcPlusEight() {
        Harness h = new Harness().code(0xE59F0004, 0, 0, 0x12345678); // ldr r0, [pc, #4]
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0x12345678);
    }

    @Test
    void loadToPcInterworks() {
        Harness h = withData().code(0xE591F000).reg(1, DATA).at(DATA, 0x9000); // ldr pc, [r1]
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(0x9000);
    }

    @Test
    void storeOfPcStoresTheAddressPlusEight() {
        Harness h = withData().code(0xE581F000).reg(1, DATA); // str pc, [r1]
        h.run(1);
        assertThat(h.ram.word(DATA)).isEqualTo(Harness.CODE + 8);
    }

    @Test
    void unprivilegedFormsArePostIndexed() {
        Harness h = withData().code(0xE4B10004, 0xE4E10001).reg(1, DATA).reg(0, 0x42); // ldrt; strbt
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0x11223344);
        assertThat(h.r(1)).isEqualTo(DATA + 4);
        h.run(1);
        assertThat(h.ram.byteAt(DATA + 4)).isEqualTo(0x44);
        assertThat(h.r(1)).isEqualTo(DATA + 5);
    }

    @Test
    void unalignedLoadAndStoreAreAllowedWhenSctlrAIsClear() {
        Harness h = withData().code(0xE5910000, 0xE5810000).reg(1, DATA + 1); // ldr r0, [r1]; str r0, [r1]
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0x88112233);
        h.reg(0, 0xA1B2C3D4);
        h.run(1);
        assertThat(h.ram.word(DATA)).isEqualTo(0xB2C3D444);
        assertThat(h.ram.byteAt(DATA + 4)).isEqualTo(0xA1);
        h = withData().code(0xE1D100B0).reg(1, DATA + 3); // ldrh r0, [r1]
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0x8811);
    }

    @Test
    void unalignedAccessTakesAnAlignmentFaultWhenSctlrAIsSet() {
        Harness h = withData().code(MCR_SCTLR_R2, 0xE5B10004).reg(2, Cp15.SCTLR_RESET | Cp15.SCTLR_A)
                .reg(1, DATA + 2).reg(0, 0x77); // ldr r0, [r1, #4]!
        assertThat(h.run(2)).isEqualTo(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(h.cpu.pc()).isEqualTo(0x10);
        assertThat(h.cpu.cp15().dfsr()).isEqualTo(0b00001);
        assertThat(h.cpu.cp15().dfar()).isEqualTo(DATA + 6);
        assertThat(h.r(14)).isEqualTo(Harness.CODE + 4 + 8);
        assertThat(h.r(0)).as("Rt unchanged").isEqualTo(0x77);
        assertThat(h.cpu.reg(1)).isEqualTo(DATA + 2); // r1 is not banked: writeback did not happen
    }

    @Test
    void ldrdNeedsWordAlignmentEvenWhenSctlrAIsClear() {
        Harness h = withData().code(0xE1C120D8).reg(1, DATA + 2); // ldrd r2, r3, [r1, #8]
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(h.cpu.cp15().dfsr()).isEqualTo(0b00001);
        assertThat(h.cpu.cp15().dfar()).isEqualTo(DATA + 10);
    }

    @Test
    void busErrorBecomesAPreciseDataAbort() {
        Harness h = new Harness().code(0xE5B10004).reg(1, Harness.NOWHERE).reg(0, 5); // ldr r0, [r1, #4]!
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(h.cpu.pc()).isEqualTo(0x10);
        assertThat(h.r(14)).isEqualTo(Harness.CODE + 8);
        assertThat(h.cpu.spsr() & 0x1F).isEqualTo(Modes.SVC);
        assertThat(h.cpu.cp15().dfsr()).isEqualTo(0b01000);
        assertThat(h.cpu.cp15().dfar()).isEqualTo(Harness.NOWHERE + 4);
        assertThat(h.r(0)).isEqualTo(5);
        assertThat(h.r(1)).isEqualTo(Harness.NOWHERE);
    }

    @Test
    void busErrorOnAStoreSetsWnR() {
        Harness h = new Harness().code(0xE5810000).reg(1, Harness.NOWHERE); // str r0, [r1]
        h.run(1);
        assertThat(h.cpu.cp15().dfsr()).isEqualTo((1 << 11) | 0b01000);
        assertThat(h.cpu.cp15().dfar()).isEqualTo(Harness.NOWHERE);
    }

    @Test
    void setendBigEndianSwapsDataButNotInstructions() {
        // setend be; ldr r0, [r1]; ldrh r2, [r1]... via ldrh r0 -> use two loads
        Harness h = withData().code(0xF1010200, 0xE5910000, 0xE5D10001, 0xF1010000, 0xE5910000).reg(1, DATA);
        h.run(2); // setend be; ldr r0, [r1]
        assertThat(h.r(0)).isEqualTo(0x44332211);
        h.run(1); // ldrb r0, [r1, #1]: bytes are not swapped
        assertThat(h.r(0)).isEqualTo(0x33);
        h.run(2); // setend le; ldr r0, [r1]
        assertThat(h.r(0)).isEqualTo(0x11223344);
    }

    @Test
    void bigEndianStoreAndHalfword() {
        Harness h = withData().code(0xF1010200, 0xE5810000, 0xE1D100B0).reg(1, DATA).reg(0, 0x01020304);
        h.run(2); // setend be; str r0, [r1]
        assertThat(h.ram.byteAt(DATA)).isEqualTo(0x01);
        assertThat(h.ram.byteAt(DATA + 3)).isEqualTo(0x04);
        h.run(1); // ldrh r0, [r1]
        assertThat(h.r(0)).isEqualTo(0x0102);
    }
}
