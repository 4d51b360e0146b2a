package brassboard.arm.t32;

/**
 * One line of the T32 {@code encodings.txt}: an encoding, its handler group and its bit pattern.
 *
 * @param name    the encoding's name, which also selects its handler
 * @param group   the ARM ARM instruction class (handler class)
 * @param pattern 16 characters (a 16-bit encoding) or 32 (hw1 then hw2)
 * @param wide    whether this is a 32-bit encoding; its instruction is {@code hw1 << 16 | hw2}
 * @param mask    bits decoded (fixed 0 / 1 characters)
 * @param value   their values
 * @param line    line number in the file, for error messages
 */
public record T32Encoding(String name, String group, String pattern, boolean wide, int mask, int value, int line) {

    /** Whether {@code insn} (a halfword, or hw1:hw2) is an instance of this encoding. */
    public boolean matches(int insn) {
        return (insn & mask) == value;
    }

    /**
     * The sort key, most specific first: for a 32-bit encoding the fixed bits of hw1 count before
     * those of hw2, as in the ARM ARM's decode tables, where the first halfword (Rn == 1111: the
     * literal forms) selects before the second.
     */
    public int specificity() {
        return wide ? Integer.bitCount(mask >>> 16) * 32 + Integer.bitCount(mask & 0xFFFF) : Integer.bitCount(mask);
    }

    /** Whether some instruction matches both encodings. */
    public boolean overlaps(T32Encoding other) {
        return wide == other.wide && ((value ^ other.value) & mask & other.mask) == 0;
    }
}
