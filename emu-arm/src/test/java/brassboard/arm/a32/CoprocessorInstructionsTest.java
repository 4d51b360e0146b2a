package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.api.StopReason;
import brassboard.arm.core.Cp15;
import brassboard.arm.core.Modes;
import brassboard.arm.testing.Harness;
import brassboard.arm.testing.TestRam;
import org.junit.jupiter.api.Test;

class CoprocessorInstructionsTest {
    private static final int MRC_MIDR = 0xEE100F10; // mrc p15, 0, r0, c0, c0, 0
    private static final int MRC_MPIDR = 0xEE100FB0; // mrc p15, 0, r0, c0, c0, 5
    private static final int MRC_SCTLR = 0xEE110F10; // mrc p15, 0, r0, c1, c0, 0
    private static final int MCR_SCTLR = 0xEE012F10; // mcr p15, 0, r2, c1, c0, 0
    private static final int MCR_VBAR = 0xEE0C2F10; // mcr p15, 0, r2, c12, c0, 0
    private static final int UDF = 0xE7F000F0; // udf #0

    private static Harness exec(int word) {
        Harness h = new Harness().code(word);
        h.run(1);
        return h;
    }

    @Test
    void identification() {
        assertThat(exec(MRC_MIDR).r(0)).isEqualTo(0x414FC0F0);
        assertThat(exec(MRC_SCTLR).r(0)).isEqualTo(0x00C50078);
        assertThat(exec(0xEE100F31).r(0)).as("ID_PFR1 without Security, Virtualization, Generic Timer")
                .isEqualTo(0x00000001);
        assertThat(exec(0xEE100F12).r(0)).as("ID_ISAR0").isEqualTo(0x02101110);
        assertThat(exec(0xEE300F30).r(0)).as("CLIDR").isEqualTo(0x0A200023);
        assertThat(exec(0xEE110F50).r(0)).as("CPACR: no VFP").isZero();
    }

    @Test
    void mpidrCarriesTheCpuId() {
        TestRam ram = new TestRam(0, 0x10000);
        ram.putWords(0x1000, MRC_MPIDR);
        ArmCpu cpu = new ArmCpu(3, ram, CpuCallbacks.NONE);
        cpu.reset(0x1000);
        cpu.run(1);
        assertThat(cpu.reg(0)).isEqualTo(0x80000003);
        assertThat(ram.accesses).allMatch(a -> a.master() == 3);
    }

    @Test
    void mrcToApsrNzcv() {
        Harness h = exec(0xEE10FF10); // mrc p15, 0, APSR_nzcv, c0, c0, 0: MIDR's top nibble is 0x4
        assertThat(h.nzcv()).isEqualTo(0b0100);
    }

    @Test
    void vbarMovesTheVectors() {
        Harness h = new Harness().code(MCR_VBAR, UDF).reg(2, 0x2000);
        h.run(2);
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
        assertThat(h.cpu.pc()).isEqualTo(0x2004);
    }

    @Test
    void highVectors() {
        Harness h = new Harness().code(MCR_SCTLR, UDF).reg(2, Cp15.SCTLR_RESET | Cp15.SCTLR_V);
        h.run(2);
        assertThat(h.cpu.pc()).isEqualTo(0xFFFF0004);
        h.run(1); // nothing is mapped there
        assertThat(h.cpu.stopReason()).isEqualTo(StopReason.VECTOR_FETCH_ABORT);
    }

    @Test
    void settingSctlrMWithNoTablesFaultsOnTheNextFetch() {
        // TTBR0 = 0: the RAM at 0 holds no valid descriptor, so the next fetch takes a section
        // translation fault, and so does the fetch of the Prefetch Abort vector.
        Harness h = new Harness().code(MCR_SCTLR, 0xE320F000).reg(2, Cp15.SCTLR_RESET | Cp15.SCTLR_M);
        assertThat(h.run(10)).isEqualTo(1);
        assertThat(h.cpu.cp15().ifsr()).isEqualTo(0x005);
        assertThat(h.cpu.cp15().ifar()).isEqualTo(Harness.CODE + 4);
        assertThat(h.cpu.stopReason()).isEqualTo(StopReason.VECTOR_FETCH_ABORT);
    }

    @Test
    void sctlrReservedBitsKeepTheirValues() {
        Harness h = new Harness().code(MCR_SCTLR, MRC_SCTLR).reg(2, 0);
        h.run(2);
        assertThat(h.r(0)).isEqualTo(0x00C50058);
    }

    @Test
    void maintenanceOperationsAndBarriersAreAccepted() {
        Harness h = new Harness().code(0xEE070F15, 0xEE080F17, 0xEE070FBA); // ICIALLU; TLBIALL; CP15DMB
        assertThat(h.run(3)).isEqualTo(3);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
    }

    @Test
    void unknownRegistersAndCoprocessorsAreUndefined() {
        assertThat(exec(0xEE100E13).cpu.mode()).as("cp14 c0, c3, 0: no such debug register").isEqualTo(Modes.UND);
        assertThat(exec(0xEE100D10).cpu.mode()).as("cp13: no such coprocessor").isEqualTo(Modes.UND);
        assertThat(exec(0xEE190F1C).cpu.mode()).as("PMCR: no PMU").isEqualTo(Modes.UND);
        Harness h = exec(0xEE100D10);
        assertThat(h.r(14)).isEqualTo(Harness.CODE + 4);
    }

    @Test
    void userModeSeesOnlyTheUserRegisters() {
        Harness h = new Harness().mode(Modes.USR).code(MRC_MIDR);
        h.run(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);

        h = new Harness().code(0xEE0D2F70).reg(2, 0x77); // mcr TPIDRURO from SVC
        h.run(1);
        h.mode(Modes.USR).at(Harness.CODE + 4, 0xEE1D0F70, 0xEE0D2F70); // mrc TPIDRURO; mcr TPIDRURO
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0x77);
        h.run(1);
        assertThat(h.cpu.mode()).as("TPIDRURO is read-only in User mode").isEqualTo(Modes.UND);
    }

    @Test
    void sixtyFourBitTransfers() {
        Harness h = new Harness().code(0xEC432F02, 0xEC510F02).reg(2, 0x12345000).reg(3, 0x7F); // mcrr/mrrc TTBR0
        h.run(2);
        assertThat(h.r(0)).isEqualTo(0x12345000);
        assertThat(h.r(1)).isEqualTo(0x7F);
    }
}
