package brassboard.boards.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * Shrinks a failing test case: drops one instruction at a time while the case still fails, re-running
 * both sides on every candidate (all candidates of a round in one batch), until no single instruction
 * can go.
 */
public final class Minimiser {
    /** Runs candidate cases on both sides and says, per candidate, whether it still fails. */
    public interface Oracle {
        List<Boolean> stillFails(List<TestCase> candidates);
    }

    private Minimiser() {
    }

    /** The shortest failing case reached from {@code failing} by dropping instructions (1-minimal). */
    public static TestCase minimise(TestCase failing, Oracle oracle) {
        TestCase current = failing;
        while (current.insns().size() > 1) {
            List<TestCase> candidates = new ArrayList<>();
            for (int i = 0; i < current.insns().size(); i++) {
                candidates.add(current.without(i));
            }
            List<Boolean> fails = oracle.stillFails(candidates);
            int pick = fails.indexOf(Boolean.TRUE);
            if (pick < 0) {
                break;
            }
            current = candidates.get(pick);
        }
        return current;
    }
}
