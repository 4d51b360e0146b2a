package brassboard.arm.t32;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Decodes T32 instructions to an index into {@link #encodings()}, built once from the T32
 * {@code encodings.txt}. A 16-bit instruction's encoding is looked up by the halfword itself; a
 * 32-bit one's among the candidates of its first halfword, most specific first. Both tables are
 * filled lazily, the first time a halfword is seen, and shared by every core in the JVM.
 */
public final class T32Decoder {
    /** Returned by the decode methods for an instruction no encoding matches (UNDEFINED). */
    public static final int UNDEFINED = -1;

    private static final T32EncodingTable TABLE = T32EncodingTable.load();
    private static final T32Encoding[] ENCODINGS = TABLE.encodings().toArray(new T32Encoding[0]);
    private static final int[] MASKS = new int[ENCODINGS.length];
    private static final int[] VALUES = new int[ENCODINGS.length];
    /** Per 16-bit instruction: encoding index + 2 (0: not decoded yet, 1: UNDEFINED). */
    private static final AtomicIntegerArray NARROW = new AtomicIntegerArray(1 << 16);
    /** Per first halfword of a 32-bit instruction: the candidate encodings. */
    private static final AtomicReferenceArray<int[]> WIDE = new AtomicReferenceArray<>(1 << 16);

    static {
        for (int i = 0; i < ENCODINGS.length; i++) {
            MASKS[i] = ENCODINGS[i].mask();
            VALUES[i] = ENCODINGS[i].value();
        }
    }

    private T32Decoder() {
    }

    /** Whether {@code hw1} is the first halfword of a 32-bit instruction (A6.1). */
    public static boolean isWide(int hw1) {
        return (hw1 & 0xE000) == 0xE000 && (hw1 & 0x1800) != 0;
    }

    /** The index of the 16-bit encoding {@code hw} is an instance of, or {@link #UNDEFINED}. */
    public static int decodeNarrow(int hw) {
        int known = NARROW.get(hw & 0xFFFF);
        if (known != 0) {
            return known - 2;
        }
        int found = UNDEFINED;
        for (int i = 0; i < ENCODINGS.length; i++) {
            if (!ENCODINGS[i].wide() && (hw & MASKS[i]) == VALUES[i]) {
                found = i;
                break;
            }
        }
        NARROW.set(hw & 0xFFFF, found + 2);
        return found;
    }

    /** The index of the 32-bit encoding {@code insn} (hw1 in bits 31:16) is an instance of, or {@link #UNDEFINED}. */
    public static int decodeWide(int insn) {
        int[] candidates = candidates(insn >>> 16);
        for (int e : candidates) {
            if ((insn & MASKS[e]) == VALUES[e]) {
                return e;
            }
        }
        return UNDEFINED;
    }

    private static int[] candidates(int hw1) {
        int[] known = WIDE.get(hw1);
        if (known != null) {
            return known;
        }
        int[] found = new int[ENCODINGS.length];
        int n = 0;
        for (int i = 0; i < ENCODINGS.length; i++) {
            if (ENCODINGS[i].wide() && ((hw1 << 16) & MASKS[i] & 0xFFFF0000) == (VALUES[i] & MASKS[i] & 0xFFFF0000)) {
                found[n++] = i;
            }
        }
        int[] candidates = Arrays.copyOf(found, n);
        WIDE.set(hw1, candidates);
        return candidates;
    }

    /** The encodings, indexed as the decode methods return them. */
    public static T32Encoding[] encodings() {
        return ENCODINGS.clone();
    }

    static T32Encoding encoding(int index) {
        return ENCODINGS[index];
    }

    public static int count() {
        return ENCODINGS.length;
    }

    /** The table the decoder was built from. */
    public static T32EncodingTable table() {
        return TABLE;
    }
}
