package brassboard.boards.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * One test case: an initial state and a short instruction sequence run from it, in User mode, on
 * both sides. The sequence ends when the PC reaches the word after its last instruction.
 *
 * @param id      the case's number in its run (0-based), for the report
 * @param insns   the sequence
 * @param initial r0-r12, r14, the APSR flags and the scratch window's contents before the sequence
 */
public record TestCase(int id, List<Insn> insns, CpuState initial) {
    public TestCase {
        insns = List.copyOf(insns);
    }

    /** The same case without instruction {@code index}; forward branches over it are re-encoded to keep their targets. */
    public TestCase without(int index) {
        List<Insn> out = new ArrayList<>(insns.size() - 1);
        for (int i = 0; i < insns.size(); i++) {
            if (i == index) {
                continue;
            }
            Insn insn = insns.get(i);
            int newIndex = out.size();
            if (insn.isBranch()) {
                int target = insn.branchTarget() > index ? insn.branchTarget() - 1 : insn.branchTarget();
                insn = insn.retargeted(newIndex, target);
            }
            out.add(insn);
        }
        return new TestCase(id, out, initial);
    }

    public int[] words() {
        return insns.stream().mapToInt(Insn::word).toArray();
    }
}
