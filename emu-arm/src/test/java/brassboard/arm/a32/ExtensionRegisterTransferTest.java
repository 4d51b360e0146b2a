package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.core.Modes;
import brassboard.arm.testing.Harness;
import brassboard.arm.vfp.Vfp;
import org.junit.jupiter.api.Test;

/** VMOV / VDUP / VMRS / VMSR (A7.8, A7.9), and the CPACR / FPEXC gating of every VFP instruction (B1.11.1). */
class ExtensionRegisterTransferTest {
    /** A core in SVC mode with VFP enabled (CPACR cp10 / cp11 full access, FPEXC.EN). */
    static Harness enabled(int... words) {
        Harness h = new Harness().code(words);
        h.cpu.vfp().enableForUserMode();
        return h;
    }

    private static boolean undefined(Harness h) {
        return h.cpu.pc() == 0x4; // the Undefined Instruction vector (low vectors)
    }

    @Test
    void vmovBetweenCoreAndSingleRegistersUsesTheHalvesOfTheDRegisters() {
        Harness h = enabled(0xEE002A90, 0xEE103A90).reg(2, 0x12345678); // vmov s1, r2; vmov r3, s1
        assertThat(h.run(2)).isEqualTo(2);
        assertThat(h.r(3)).isEqualTo(0x12345678);
        assertThat(h.cpu.vfp().d[0]).isEqualTo(0x12345678_00000000L);
    }

    @Test
    void vmovOfTwoCoreRegisters() {
        // vmov d17, r0, r1; vmov s3, s4, r0, r1
        Harness h = enabled(0xEC410B31, 0xEC410A31).reg(0, 0x11111111).reg(1, 0x22222222);
        assertThat(h.run(2)).isEqualTo(2);
        Vfp v = h.cpu.vfp();
        assertThat(v.d[17]).isEqualTo(0x22222222_11111111L);
        assertThat(v.s(3)).isEqualTo(0x11111111);
        assertThat(v.s(4)).isEqualTo(0x22222222);
        Harness back = enabled(0xEC510B31); // vmov r0, r1, d17
        back.cpu.vfp().d[17] = 0xAAAABBBB_CCCCDDDDL;
        back.run(1);
        assertThat(back.r(0)).isEqualTo(0xCCCCDDDD);
        assertThat(back.r(1)).isEqualTo(0xAAAABBBB);
    }

    @Test
    void scalarMovesInsertAndExtractWithSignOrZeroExtension() {
        Harness h = enabled(0xEE410B70, 0xEE110B70, 0xEEF10B70, 0xEE2F4B90).reg(0, 0xFFFFFF85).reg(4, 0xCAFEF00D);
        Vfp v = h.cpu.vfp();
        v.d[1] = 0x0807_0605_8403_0201L;
        h.run(1); // vmov.8 d1[3], r0
        assertThat(v.d[1]).isEqualTo(0x0807_0605_8503_0201L);
        h.run(1); // vmov.s16 r0, d1[1]
        assertThat(h.r(0)).isEqualTo(0xFFFF8503);
        h.run(1); // vmov.u8 r0, d1[7]
        assertThat(h.r(0)).isEqualTo(0x08);
        h.run(1); // vmov.32 d31[1], r4
        assertThat(v.d[31]).isEqualTo(0xCAFEF00D_00000000L);
    }

    @Test
    void vdupReplicatesACoreRegister() {
        Harness h = enabled(0xEEA20B30).reg(0, 0x1234ABCD); // vdup.16 q1, r0
        h.run(1);
        assertThat(h.cpu.vfp().d[2]).isEqualTo(0xABCD_ABCD_ABCD_ABCDL);
        assertThat(h.cpu.vfp().d[3]).isEqualTo(0xABCD_ABCD_ABCD_ABCDL);
    }

    @Test
    void vmrsAndVmsrOfTheSystemRegisters() {
        // vmrs r0, fpsid; vmrs r1, mvfr0; vmrs r2, mvfr1; vmrs r3, fpexc; vmsr fpscr, r5; vmrs APSR_nzcv, fpscr
        Harness h = enabled(0xEEF00A10, 0xEEF71A10, 0xEEF62A10, 0xEEF83A10, 0xEEE15A10, 0xEEF1FA10)
                .reg(5, 0xA3C0_009F | 0x0037_9F60);
        assertThat(h.run(6)).isEqualTo(6);
        assertThat(h.r(0)).isEqualTo(0x410430F0);
        assertThat(h.r(1)).isEqualTo(0x10110222);
        assertThat(h.r(2)).isEqualTo(0x11111111);
        assertThat(h.r(3)).isEqualTo(Vfp.FPEXC_EN);
        // trap enables, bit 19 and bits 6:5 read as zero; Len and Stride hold
        assertThat(h.cpu.vfp().fpscr).isEqualTo(0xA3F7_009F);
        assertThat(h.nzcv()).isEqualTo(0b1010);
    }

    @Test
    void withFpexcEnClearOnlyTheIdRegistersAndFpexcAreAccessibleAtPl1() {
        // vmrs r0, fpexc; vmsr fpexc, r1 (EN); vadd.f32 s0, s1, s2 now works
        Harness h = new Harness().code(0xEEF80A10, 0xEEE81A10, 0xEE300A81).reg(1, Vfp.FPEXC_EN);
        h.cpu.vfp().writeCpacr(0x00F0_0000);
        assertThat(h.run(3)).isEqualTo(3);
        assertThat(h.r(0)).isZero();
        assertThat(h.cpu.vfp().fpexc()).isEqualTo(Vfp.FPEXC_EN);

        Harness off = new Harness().code(0xEE300A81); // vadd.f32 with EN clear
        off.cpu.vfp().writeCpacr(0x00F0_0000);
        assertThat(off.run(1)).isZero();
        assertThat(undefined(off)).isTrue();

        Harness fpscr = new Harness().code(0xEEF10A10); // vmrs r0, fpscr: checks FPEXC.EN
        fpscr.cpu.vfp().writeCpacr(0x00F0_0000);
        fpscr.run(1);
        assertThat(undefined(fpscr)).isTrue();
    }

    @Test
    void cpacrDecidesWhoMayUseVfp() {
        // CPACR cleared: even FPEXC is UNDEFINED
        Harness none = new Harness().code(0xEEF80A10);
        none.run(1);
        assertThat(undefined(none)).isTrue();
        // cp10 = 01 (PL1 only): a User-mode VADD is UNDEFINED, an SVC-mode one is not
        Harness user = new Harness().code(0xEE300A81).mode(Modes.USR);
        user.cpu.vfp().writeCpacr(0x0050_0000);
        user.cpu.vfp().writeFpexc(Vfp.FPEXC_EN);
        user.run(1);
        assertThat(undefined(user)).isTrue();
        Harness svc = new Harness().code(0xEE300A81);
        svc.cpu.vfp().writeCpacr(0x0050_0000);
        svc.cpu.vfp().writeFpexc(Vfp.FPEXC_EN);
        assertThat(svc.run(1)).isEqualTo(1);
        // the ID registers are PL1 only even with full access
        Harness id = enabled(0xEEF00A10).mode(Modes.USR);
        id.run(1);
        assertThat(undefined(id)).isTrue();
    }

    @Test
    void cpacrHoldsTheVfpFieldsThroughMcrAndMrc() {
        // mcr p15, 0, r0, c1, c0, 2; mrc p15, 0, r1, c1, c0, 2
        Harness h = new Harness().code(0xEE010F50, 0xEE111F50).reg(0, 0xFFFF_FFFF);
        h.run(2);
        assertThat(h.r(1)).isEqualTo(0xC0F0_0000);
    }

    @Test
    void asedisMakesAdvancedSimdUndefinedButNotVfp() {
        Harness h = enabled(0xEE300A81, 0xEEA20B30); // vadd.f32 works, vdup.16 does not
        h.cpu.vfp().writeCpacr(Vfp.CPACR_ASEDIS | 0x00F0_0000);
        assertThat(h.run(2)).isEqualTo(1);
        assertThat(undefined(h)).isTrue();
    }

    @Test
    void shortVectorLengthMakesArithmeticUndefined() {
        Harness h = enabled(0xEE300A81); // vadd.f32 s0, s1, s2 with FPSCR.LEN = 1
        h.cpu.vfp().fpscr = 1 << 16;
        h.run(1);
        assertThat(undefined(h)).isTrue();
    }
}
