package brassboard.arm.disasm;

/**
 * Pieces of the unified assembler syntax as binutils prints them: condition suffixes, register names
 * (APCS names for r10-r15), shifts, immediates and the {@code @} comments.
 */
final class Syntax {
    static final String[] COND = {"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "", ""};
    static final String[] REG = {"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "sl", "fp", "ip", "sp", "lr", "pc"};
    static final String[] SHIFT = {"lsl", "lsr", "asr", "ror"};
    static final String UNPREDICTABLE = "\t@ <UNPREDICTABLE>";
    static final int PC = 15;
    static final int SP = 13;

    private Syntax() {
    }

    /** The condition suffix of a conditional instruction ("" for AL). */
    static String cond(int word) {
        return COND[word >>> 28];
    }

    static int bits(int word, int hi, int lo) {
        return (word >>> lo) & (int) ((1L << (hi - lo + 1)) - 1);
    }

    static boolean bit(int word, int n) {
        return ((word >>> n) & 1) != 0;
    }

    /** The register numbered by bits [lo+3:lo]. */
    static int regNo(int word, int lo) {
        return (word >>> lo) & 15;
    }

    static String r(int word, int lo) {
        return REG[regNo(word, lo)];
    }

    static boolean isPc(int word, int lo) {
        return regNo(word, lo) == PC;
    }

    /** {@code mnemonic TAB operands}, or just the mnemonic when there are no operands. */
    static String insn(String mnemonic, String operands) {
        return operands.isEmpty() ? mnemonic : mnemonic + "\t" + operands;
    }

    /** objdump's hexadecimal comment for an immediate operand, printed outside -16..32. */
    static String valueComment(int value) {
        return value > 32 || value < -16 ? "\t@ 0x" + Integer.toHexString(value) : "";
    }

    static String unpredictableIf(boolean unpredictable) {
        return unpredictable ? UNPREDICTABLE : "";
    }

    /** An immediate shift of a register operand ({@code DecodeImmShift}): ", lsl #2", ", rrx", "" for LSL #0. */
    static String immShift(int type, int imm5) {
        if (type == 0 && imm5 == 0) {
            return "";
        }
        if (type == 3 && imm5 == 0) {
            return ", rrx";
        }
        return ", " + SHIFT[type] + " #" + (imm5 == 0 ? 32 : imm5);
    }

    /** Rm with its immediate shift from bits [11:5] (the {@code iiiiitt} fields). */
    static String shiftedRegister(int word) {
        return r(word, 0) + immShift(bits(word, 6, 5), bits(word, 11, 7));
    }

    /** objdump's text for a word it does not decode. */
    static String undefined(int word) {
        return String.format("\t\t@ <UNDEFINED> instruction: 0x%08x", word);
    }

    /** The 0x-prefixed absolute address objdump prints for a branch target or a PC-relative literal. */
    static String address(int address) {
        return "0x" + Integer.toHexString(address);
    }

    /** A register list from a 16-bit mask: "{r0, r4, lr}". */
    static String registerList(int mask) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < 16; i++) {
            if ((mask & (1 << i)) != 0) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(REG[i]);
            }
        }
        return sb.append('}').toString();
    }
}
