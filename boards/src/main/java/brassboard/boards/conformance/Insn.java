package brassboard.boards.conformance;

/**
 * One generated instruction.
 *
 * @param word         the A32 instruction word; for T32 a halfword, or hw1:hw2 (hw1 in bits 31:16)
 * @param encoding     the name of its line in {@code encodings.txt}
 * @param branchTarget for a generated forward B / BL: the index in its sequence it branches to (the
 *                     sequence's length means "the end"); {@code -1} for every other instruction
 */
public record Insn(int word, String encoding, int branchTarget) {
    public static Insn of(int word, String encoding) {
        return new Insn(word, encoding, -1);
    }

    /** Bytes the instruction takes: 4 in A32; in T32 2 or 4 (a 32-bit T32 instruction has hw1 >= 0xE800). */
    public int size(boolean thumb) {
        return !thumb || (word >>> 16) != 0 ? 4 : 2;
    }

    public boolean isBranch() {
        return branchTarget >= 0;
    }

    /** This branch, at index {@code index}, re-encoded to reach {@code target} (B / BL: imm24 counts words from PC + 8). */
    public Insn retargeted(int index, int target) {
        int imm24 = (target - index - 2) & 0x00FF_FFFF;
        return new Insn((word & 0xFF00_0000) | imm24, encoding, target);
    }
}
