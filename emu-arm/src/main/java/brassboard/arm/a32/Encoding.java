package brassboard.arm.a32;

/**
 * One line of {@code encodings.txt}: an A32 encoding, its handler group and its bit pattern.
 *
 * @param name       the encoding's name, which also selects its handler method
 * @param group      the ARM ARM instruction class (handler class)
 * @param pattern    32 characters, bit 31 first
 * @param mask       bits decoded (fixed 0 / 1 characters)
 * @param value      their values
 * @param conditional whether bits 31:28 are the condition field (never matches cond == 1111)
 * @param line       line number in the file, for error messages
 */
public record Encoding(String name, String group, String pattern, int mask, int value, boolean conditional, int line) {

    /** Whether {@code word} is an instance of this encoding. */
    public boolean matches(int word) {
        return (word & mask) == value && (!conditional || (word >>> 28) != 0xF);
    }

    /** How many bits the decoder checks: the sort key, most specific first. */
    public int specificity() {
        return Integer.bitCount(mask) + (conditional ? 1 : 0);
    }

    /** Whether some word matches both encodings. */
    public boolean overlaps(Encoding other) {
        int common = mask & other.mask;
        if (((value ^ other.value) & common) != 0) {
            return false;
        }
        if (conditional && (other.mask >>> 28) == 0xF && (other.value >>> 28) == 0xF) {
            return false;
        }
        return !(other.conditional && (mask >>> 28) == 0xF && (value >>> 28) == 0xF);
    }
}
