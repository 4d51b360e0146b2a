package brassboard.boards.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * One test case: an initial state and a short instruction sequence run from it, in User mode, on
 * both sides. The sequence ends when the PC reaches the instruction after its last one.
 *
 * @param id      the case's number in its run (0-based), for the report
 * @param insns   the sequence
 * @param initial r0-r12, r14, the APSR flags and the scratch window's contents before the sequence
 * @param thumb   whether the sequence is T32 (run in Thumb state) rather than A32
 */
public record TestCase(int id, List<Insn> insns, CpuState initial, boolean thumb) {
    public TestCase {
        insns = List.copyOf(insns);
    }

    /** An A32 case. */
    public TestCase(int id, List<Insn> insns, CpuState initial) {
        this(id, insns, initial, false);
    }

    /**
     * The same case without instruction {@code index}; forward branches over it are re-encoded to keep their
     * targets, and in T32 an IT block that covered it covers one instruction fewer.
     */
    public TestCase without(int index) {
        if (thumb) {
            return new TestCase(id, T32Generator.without(insns, index), initial, true);
        }
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

    /** The sequence's size in bytes. */
    public int bytes() {
        int n = 0;
        for (Insn i : insns) {
            n += i.size(thumb);
        }
        return n;
    }

    /** The sequence as it lies in memory, little-endian; T32 halfwords in order (hw1 first). */
    public byte[] code() {
        byte[] out = new byte[bytes()];
        int at = 0;
        for (Insn i : insns) {
            int w = i.word();
            if (thumb && i.size(true) == 4) {
                at = putHalf(out, at, w >>> 16);
                at = putHalf(out, at, w);
            } else if (thumb) {
                at = putHalf(out, at, w);
            } else {
                at = putHalf(out, at, w);
                at = putHalf(out, at, w >>> 16);
            }
        }
        return out;
    }

    private static int putHalf(byte[] out, int at, int v) {
        out[at] = (byte) v;
        out[at + 1] = (byte) (v >>> 8);
        return at + 2;
    }
}
