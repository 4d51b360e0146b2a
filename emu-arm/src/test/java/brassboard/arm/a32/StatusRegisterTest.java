package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.core.Modes;
import brassboard.arm.core.Psr;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;

class StatusRegisterTest {
    private static final int MRS_CPSR = 0xE10F0000; // mrs r0, cpsr
    private static final int MRS_SPSR = 0xE14F0000; // mrs r0, spsr
    private static final int MSR_SPSR = 0xE16FF002; // msr spsr_fsxc, r2
    private static final int MSR_CPSR_C = 0xE121F002; // msr cpsr_c, r2
    private static final int MSR_CPSR_ALL = 0xE12FF002; // msr cpsr_fsxc, r2

    @Test
    void mrsAfterReset() {
        Harness h = new Harness().code(MRS_CPSR);
        h.run(1);
        assertThat(h.r(0)).isEqualTo(Modes.SVC | Psr.A | Psr.I | Psr.F);
    }

    @Test
    void msrImmediateWritesTheFlags() {
        Harness h = new Harness().code(0xE328F20F); // msr cpsr_f, #0xf0000000
        h.run(1);
        assertThat(h.nzcv()).isEqualTo(0b1111);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
    }

    @Test
    void msrChangesModeAndBanksInPrivilegedModes() {
        Harness h = new Harness().code(MSR_CPSR_C).reg(13, 0x5000).reg(2, Modes.SYS);
        h.run(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SYS);
        assertThat(h.cpu.cpsr() & (Psr.I | Psr.F)).isZero();
        assertThat(h.r(13)).as("System mode has the User SP").isNotEqualTo(0x5000);
    }

    @Test
    void msrCannotLeaveUserModeOrUnmask() {
        Harness h = new Harness().mode(Modes.USR).code(MSR_CPSR_ALL).reg(2, 0xF0000013);
        h.run(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.USR);
        assertThat(h.cpu.cpsr() & Psr.I).isNotZero();
        assertThat(h.nzcv()).isEqualTo(0b1111);
    }

    @Test
    void msrToAnUnimplementedModeLeavesTheModeUnchanged() {
        Harness h = new Harness().code(MSR_CPSR_ALL).reg(2, 0x8000001A | Psr.I); // Hyp
        h.run(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
        assertThat(h.nzcv()).isEqualTo(0b1000);
    }

    @Test
    void spsrAccess() {
        Harness h = new Harness().code(MSR_SPSR, MRS_SPSR).reg(2, 0x20000010);
        h.run(2);
        assertThat(h.r(0)).isEqualTo(0x20000010);
        assertThat(h.cpu.spsr()).isEqualTo(0x20000010);
    }

    @Test
    void spsrAccessInUserModeIsUndefined() {
        Harness h = new Harness().mode(Modes.USR).code(MRS_SPSR);
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
    }

    @Test
    void cps() {
        Harness h = new Harness().code(0xF10800C0, 0xF10C0080, 0xF1020012); // cpsie if; cpsid i; cps #0x12
        h.run(1);
        assertThat(h.cpu.cpsr() & (Psr.I | Psr.F)).isZero();
        assertThat(h.cpu.cpsr() & Psr.A).isNotZero();
        h.run(1);
        assertThat(h.cpu.cpsr() & Psr.I).isNotZero();
        h.run(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.IRQ);
        h = new Harness().mode(Modes.USR).code(0xF10800C0); // cpsie if in User mode: a NOP
        h.run(1);
        assertThat(h.cpu.cpsr() & Psr.I).isNotZero();
        h = new Harness().code(0xF10E01DF); // cpsid aif, #0x1f
        h.run(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SYS);
    }

    @Test
    void rfeLoadsPcAndCpsr() {
        Harness h = new Harness().code(0xF8B00A00).reg(0, 0x3000); // rfeia r0!
        h.at(0x3000, 0x9000, 0x40000010);
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(0x9000);
        assertThat(h.cpu.mode()).isEqualTo(Modes.USR);
        assertThat(h.nzcv()).isEqualTo(0b0100);
        assertThat(h.r(0)).isEqualTo(0x3008);
    }

    @Test
    void srsStoresLrAndSpsrOnAnotherModesStack() {
        Harness h = new Harness().reg(13, 0x4000); // SVC stack
        h.mode(Modes.IRQ).code(MSR_SPSR, 0xF96D0513).reg(2, 0x60000010).reg(14, 0x8888); // srsdb sp!, #0x13
        h.run(2);
        assertThat(h.ram.word(0x3FF8)).isEqualTo(0x8888);
        assertThat(h.ram.word(0x3FFC)).isEqualTo(0x60000010);
        h.mode(Modes.SVC);
        assertThat(h.r(13)).isEqualTo(0x3FF8);
    }

    @Test
    void eretOutsideHypIsSubsPcLr() {
        Harness h = new Harness().code(MSR_SPSR, 0xE160006E).reg(2, 0x1F).reg(14, 0x9000); // eret
        h.run(2);
        assertThat(h.cpu.pc()).isEqualTo(0x9000);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SYS);
    }
}
