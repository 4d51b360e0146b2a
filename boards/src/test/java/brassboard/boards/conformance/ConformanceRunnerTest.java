package brassboard.boards.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Brassboard's side of the comparison on hand-written cases. */
class ConformanceRunnerTest {
    private static final int BASE_VALUE = Harness.WINDOW + 0x800;

    private final BrassboardRunner runner = new BrassboardRunner();

    private static TestCase testCase(int apsr, List<Insn> insns) {
        int[] regs = new int[14];
        regs[5] = BASE_VALUE;
        regs[13] = 0x1234_5678;
        return new TestCase(0, insns, new CpuState(regs, apsr, new byte[Harness.WINDOW_SIZE]));
    }

    @Test
    void runsASequenceInUserModeAndReadsBackRegistersFlagsAndWindow() {
        TestCase c = testCase(0x0008_0000, List.of(
                Insn.of(0xE30F_0FFF, "MOVW"),        // movw r0, #0xffff
                Insn.of(0xE347_0FFF, "MOVT"),        // movt r0, #0x7fff
                Insn.of(0xE090_1000, "ADD_reg"),     // adds r1, r0, r0
                Insn.of(0xE585_1004, "STR_imm"),     // str r1, [r5, #4]
                Insn.of(0xE10F_2000, "MRS")));       // mrs r2, APSR
        BrassboardRunner.Result r = runner.run(c, Harness.CODE);
        assertThat(r.ok()).as(r.problem()).isTrue();
        assertThat(r.state().reg(0)).isEqualTo(0x7FFF_FFFF);
        assertThat(r.state().reg(1)).isEqualTo(0xFFFF_FFFE);
        assertThat(r.state().reg(14)).isEqualTo(0x1234_5678);
        // N and V from the ADDS; GE[3] kept from the initial state
        assertThat(r.state().flags()).isEqualTo(0x9008_0000);
        assertThat(r.state().reg(2) & 0xF80F_001F).isEqualTo(0x9008_0010);
        assertThat(r.state().window()[0x804] & 0xFF).isEqualTo(0xFE);
        assertThat(r.state().window()[0x807] & 0xFF).isEqualTo(0xFF);
    }

    @Test
    void aForwardBlSetsLrAndSkips() {
        TestCase c = testCase(0, List.of(
                new Insn(0xEB00_0000, "BL", 2),      // bl over the next instruction
                Insn.of(0xE3A0_0001, "MOV_imm"),     // mov r0, #1 (skipped)
                Insn.of(0xE3A0_1002, "MOV_imm")));   // mov r1, #2
        BrassboardRunner.Result r = runner.run(c, Harness.CODE);
        assertThat(r.ok()).isTrue();
        assertThat(r.state().reg(0)).isZero();
        assertThat(r.state().reg(1)).isEqualTo(2);
        assertThat(r.state().reg(14)).isEqualTo(Harness.CODE + 4);
    }

    @Test
    void anUndefinedInstructionIsAProblemNotAResult() {
        TestCase c = testCase(0, List.of(Insn.of(0xE7F0_00F0, "UDF")));
        BrassboardRunner.Result r = runner.run(c, Harness.CODE);
        assertThat(r.problem()).isEqualTo(String.format("took an undefined exception at 0x%08x", Harness.CODE));
    }

    @Test
    void writingSpIsAProblem() {
        TestCase c = testCase(0, List.of(Insn.of(0xE3A0_D000, "MOV_imm")));    // mov sp, #0
        assertThat(runner.run(c, Harness.CODE).problem()).isEqualTo("wrote sp (0x00000000)");
    }

    @Test
    void theRunnerIsReusableAcrossCases() {
        TestCase store = testCase(0, List.of(Insn.of(0xE585_5000, "STR_imm")));  // str r5, [r5]
        assertThat(runner.run(store, Harness.CODE).state().window()[0]).isEqualTo((byte) 0);
        assertThat(runner.run(store, Harness.CODE + 0x100).state().window()[0x800]).isEqualTo((byte) BASE_VALUE);
        TestCase nop = testCase(0, List.of(Insn.of(0xE320_F000, "NOP")));
        assertThat(runner.run(nop, Harness.CODE).state().window()[0x800]).as("window reset from the case").isZero();
    }
}
