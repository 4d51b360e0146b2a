package brassboard.boards.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The minimiser, on a synthetic mismatch, and instruction dropping with branches. */
class ConformanceMinimiserTest {
    private static final int X = 0xE080_1002;   // add r1, r0, r2
    private static final int Y = 0xE0D3_4005;   // sbcs r4, r3, r5

    private static TestCase testCase(int... words) {
        List<Insn> insns = new ArrayList<>();
        for (int w : words) {
            insns.add(Insn.of(w, "ADD_reg"));
        }
        return new TestCase(3, insns, new CpuState(new int[14], 0, new byte[Harness.WINDOW_SIZE]));
    }

    @Test
    void shrinksToTheInstructionsTheMismatchNeeds() {
        // "fails" while both X and Y are present, X before Y
        Minimiser.Oracle oracle = candidates -> candidates.stream().map(c -> {
            List<Integer> w = new ArrayList<>();
            for (int x : c.words()) {
                w.add(x);
            }
            return w.contains(X) && w.contains(Y) && w.indexOf(X) < w.indexOf(Y);
        }).toList();
        TestCase failing = testCase(0xE320_F000, X, 0xE1A0_0000, 0xE1A0_1001, Y, 0xE1A0_2002);
        TestCase min = Minimiser.minimise(failing, oracle);
        assertThat(min.words()).containsExactly(X, Y);
        assertThat(min.id()).isEqualTo(3);
        assertThat(min.initial()).isEqualTo(failing.initial());
    }

    @Test
    void aCaseThatNoLongerFailsWithoutAnyInstructionIsKept() {
        TestCase failing = testCase(X, Y);
        assertThat(Minimiser.minimise(failing, c -> c.stream().map(x -> false).toList())).isEqualTo(failing);
    }

    @Test
    void droppingAnInstructionKeepsBranchTargets() {
        List<Insn> insns = new ArrayList<>(List.of(
                new Insn(0xEA00_0001, "B", 3),       // b to index 3
                Insn.of(X, "ADD_reg"),
                Insn.of(Y, "SBC_reg"),
                Insn.of(X, "ADD_reg")));
        TestCase c = new TestCase(0, insns, new CpuState(new int[14], 0, new byte[Harness.WINDOW_SIZE]));
        TestCase shorter = c.without(1);
        assertThat(shorter.insns().get(0).branchTarget()).isEqualTo(2);
        assertThat(shorter.insns().get(0).word()).isEqualTo(0xEA00_0000);
        TestCase noTarget = c.without(3);
        assertThat(noTarget.insns().get(0).branchTarget()).as("the end of the sequence").isEqualTo(3);
        assertThat(noTarget.insns().get(0).word()).isEqualTo(0xEA00_0001);
        assertThat(c.without(0).insns()).extracting(Insn::word).containsExactly(X, Y, X);
    }
}
