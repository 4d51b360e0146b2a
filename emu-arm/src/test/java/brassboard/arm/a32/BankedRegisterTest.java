package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.core.Modes;
import brassboard.arm.core.Psr;
import brassboard.arm.core.UnpredictablePolicy;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Banked-register MRS / MSR (ARM ARM B9.3.9, B9.3.10). qemu-arm runs only User mode, where these are
 * UNDEFINED, so the privileged cases are checked against the ARM ARM tables (B9.2.3) and QEMU's
 * msr_banked_access_decode / msr_mrs_banked_exc_checks by reading. Words from arm-none-eabi-as
 * -march=armv7ve.
 */
class BankedRegisterTest {
    private static final int MRS_SP_USR = 0xE1050200; // mrs r0, SP_usr
    private static final int MRS_SPSR_IRQ = 0xE1400300; // mrs r0, SPSR_irq
    private static final int MSR_R8_FIQ = 0xE128F201; // msr R8_fiq, r1
    private static final int MSR_SP_UND = 0xE127F301; // msr SP_und, r1
    private static final int MSR_SPSR_ABT = 0xE164F301; // msr SPSR_abt, r1
    private static final int MSR_R10_USR = 0xE122F201; // msr R10_usr, r1

    private static final int MSR_SPSR = 0xE16FF002; // msr spsr_fsxc, r2
    private static final int SCRATCH = 0x1000;

    /** A core in SVC mode whose other modes' banked registers hold recognisable values. */
    private static Harness banked(int... code) {
        Harness h = new Harness().code(code);
        int[] modes = {Modes.FIQ, Modes.IRQ, Modes.ABT, Modes.UND, Modes.SYS, Modes.SVC};
        for (int mode : modes) {
            h.mode(mode);
            for (int n = 8; n <= 14; n++) {
                h.reg(n, (mode << 16) | n);
            }
            if (mode != Modes.SYS) { // SPSR = a User-mode PSR tagged with the mode
                h.at(SCRATCH, MSR_SPSR).reg(2, 0x10 | (mode << 24)).reg(15, SCRATCH);
                h.run(1);
            }
        }
        return h.reg(15, Harness.CODE);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        // word, asm, current mode, r0 expected
        "E1080200, 'mrs r0, R8_fiq',   13, 00110008",
        "E10C0200, 'mrs r0, R12_fiq',  13, 0011000C",
        "E1010300, 'mrs r0, SP_irq',   13, 0012000D",
        "E1020300, 'mrs r0, LR_svc',   12, 0013000E",
        "E1050200, 'mrs r0, SP_usr',   13, 001F000D",
        "E1060200, 'mrs r0, LR_usr',   11, 001F000E",
        "E1000200, 'mrs r0, R8_usr',   11, 00130008",
        "E1050200, 'mrs r0, SP_usr',   11, 001F000D",
        "E1080200, 'mrs r0, R8_fiq',   1F, 00110008",
        "E1400300, 'mrs r0, SPSR_irq', 13, 12000010",
        "E14E0200, 'mrs r0, SPSR_fiq', 1F, 11000010",
        "E1420300, 'mrs r0, SPSR_svc', 17, 13000010",
    })
    void mrsReadsAnotherModesRegister(String word, String asm, String mode, String expected) {
        Harness h = banked(Integer.parseUnsignedInt(word, 16)).mode(Integer.parseInt(mode, 16));
        assertThat(h.run(1)).as(asm).isEqualTo(1);
        assertThat(h.r(0)).as(asm).isEqualTo(Integer.parseUnsignedInt(expected, 16));
    }

    @Test
    void msrWritesAnotherModesRegisterAndLeavesTheCurrentOnes() {
        Harness h = banked(MSR_R8_FIQ, MSR_SP_UND, MSR_SPSR_ABT).mode(Modes.SVC).reg(1, 0xCA000010);
        assertThat(h.run(3)).isEqualTo(3);
        assertThat(h.r(8)).as("SVC sees the User r8").isEqualTo((Modes.SVC << 16) | 8);
        assertThat(h.r(13)).isEqualTo((Modes.SVC << 16) | 13);
        h.mode(Modes.FIQ);
        assertThat(h.r(8)).isEqualTo(0xCA000010);
        h.mode(Modes.UND);
        assertThat(h.r(13)).isEqualTo(0xCA000010);
        h.mode(Modes.ABT);
        assertThat(h.cpu.spsr()).isEqualTo(0xCA000010);
    }

    @Test
    void msrFromFiqWritesTheUserHighRegisters() {
        Harness h = banked(MSR_R10_USR).mode(Modes.FIQ).reg(1, 0x1234);
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(h.r(10)).as("FIQ keeps its own r10").isEqualTo((Modes.FIQ << 16) | 10);
        h.mode(Modes.SVC);
        assertThat(h.r(10)).isEqualTo(0x1234);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        // UNPREDICTABLE (QEMU: UNDEFINED): User mode, own registers, registers reachable directly
        "E1080200, 'mrs r0, R8_fiq in User mode',   10",
        "E1080200, 'mrs r0, R8_fiq in FIQ mode',    11",
        "E1010300, 'mrs r0, SP_irq in IRQ mode',    12",
        "E1400300, 'mrs r0, SPSR_irq in IRQ mode',  12",
        "E1000200, 'mrs r0, R8_usr outside FIQ',    13",
        "E1050200, 'mrs r0, SP_usr in System mode', 1F",
        "E1060200, 'mrs r0, LR_usr in System mode', 1F",
        "E122F201, 'msr R10_usr, r1 outside FIQ',   13",
        "E10FF200, 'mrs pc, R8_fiq',                13",
        // No Monitor or Hyp mode in this core, unallocated SYSm: UNDEFINED
        "E10D0300, 'mrs r0, SP_mon',                13",
        "E10E0300, 'mrs r0, ELR_hyp',               13",
        "E1070200, 'mrs r0, <SYSm 00111>',          13",
    })
    void invalidAccessesAreUndefined(String word, String asm, String mode) {
        Harness h = banked(Integer.parseUnsignedInt(word, 16)).mode(Integer.parseInt(mode, 16)).reg(0, 0x5555);
        assertThat(h.run(1)).as(asm).isZero();
        assertThat(h.cpu.mode()).as(asm).isEqualTo(Modes.UND);
        assertThat(h.cpu.pc()).isEqualTo(0x4);
    }

    @Test
    void policyExecuteAccessesTheNamedRegister() {
        Harness h = banked(MRS_SP_USR, MRS_SPSR_IRQ).mode(Modes.SYS);
        h.cpu.unpredictablePolicy().setChoice(UnpredictablePolicy.Case.BANKED_REGISTER_ACCESS,
                UnpredictablePolicy.Choice.EXECUTE);
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(h.r(0)).as("SP_usr in System mode is the current SP").isEqualTo((Modes.SYS << 16) | 13);
        h.mode(Modes.IRQ);
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(h.r(0)).as("SPSR_irq in IRQ mode is the current SPSR").isEqualTo(0x10 | (Modes.IRQ << 24));
        assertThat(h.cpu.cpsr() & Psr.M).isEqualTo(Modes.IRQ);
    }
}
