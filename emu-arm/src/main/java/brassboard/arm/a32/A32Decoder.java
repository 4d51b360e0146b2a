package brassboard.arm.a32;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Decodes A32 words to an index into {@link #encodings()}, built once from {@code encodings.txt}.
 *
 * <p>A table indexed by bits [27:20], [11:8] and [7:4] of the word (and whether the condition is 1111) holds,
 * for each slot, the candidate encodings in most-specific-first order; decoding tests the few
 * candidates of one slot and allocates nothing.
 */
public final class A32Decoder {
    /** Returned by {@link #decode} for a word no encoding matches (UNDEFINED). */
    public static final int UNDEFINED = -1;

    /** Bits 11:8 are in the key because the VFP and Advanced SIMD encodings select their operation there. */
    private static final int SLOT_BITS = 0x0FF00FF0;
    private static final int UNCONDITIONAL = 1 << 16;
    private static final EncodingTable TABLE = EncodingTable.load();
    private static final Encoding[] ENCODINGS = TABLE.encodings().toArray(new Encoding[0]);
    private static final int[] MASKS = new int[ENCODINGS.length];
    private static final int[] VALUES = new int[ENCODINGS.length];
    /**
     * Candidates per slot, each computed the first time a word of that slot is decoded: a program
     * uses a few hundred of the 131,072 slots, and filling them all cost about a quarter of a second of
     * every start-up (the JVM interprets class initialisers). Slots are shared by every core and every
     * machine in the JVM (campaign jobs run on several threads), hence the atomic array: a slot is
     * computed from constants, so two threads computing one at once store equal arrays.
     */
    private static final AtomicReferenceArray<int[]> SLOTS = new AtomicReferenceArray<>(2 * UNCONDITIONAL);

    static {
        for (int i = 0; i < ENCODINGS.length; i++) {
            MASKS[i] = ENCODINGS[i].mask();
            VALUES[i] = ENCODINGS[i].value();
        }
    }

    /** The encodings a word of {@code slot} may be an instance of, most specific first. */
    private static int[] candidates(int slot) {
        int[] known = SLOTS.get(slot);
        if (known != null) {
            return known;
        }
        boolean unconditional = slot >= UNCONDITIONAL;
        int representative = ((slot & 0xFF00) << 12) | ((slot & 0xFF) << 4);
        int[] found = new int[ENCODINGS.length];
        int n = 0;
        for (int i = 0; i < ENCODINGS.length; i++) {
            Encoding e = ENCODINGS[i];
            if (e.conditional() == unconditional) {
                continue;
            }
            int m = MASKS[i] & SLOT_BITS;
            if ((representative & m) == (VALUES[i] & m)) {
                found[n++] = i;
            }
        }
        int[] candidates = Arrays.copyOf(found, n);
        SLOTS.set(slot, candidates);
        return candidates;
    }

    private A32Decoder() {
    }

    private static int slot(int word) {
        int slot = ((word >>> 12) & 0xFF00) | ((word >>> 4) & 0xFF);
        return (word >>> 28) == 0xF ? slot | UNCONDITIONAL : slot;
    }

    /** The index of the encoding {@code word} is an instance of, or {@link #UNDEFINED}. */
    public static int decode(int word) {
        int[] candidates = candidates(slot(word));
        for (int i = 0; i < candidates.length; i++) {
            int e = candidates[i];
            if ((word & MASKS[e]) == VALUES[e]) {
                return e;
            }
        }
        return UNDEFINED;
    }

    /** The encodings, indexed as {@link #decode} returns them. */
    public static Encoding[] encodings() {
        return ENCODINGS.clone();
    }

    static Encoding encoding(int index) {
        return ENCODINGS[index];
    }

    static int count() {
        return ENCODINGS.length;
    }

    /** The table the decoder was built from. */
    public static EncodingTable table() {
        return TABLE;
    }

    /** The longest candidate list of any slot (a test keeps decoding cheap). */
    static int maxCandidates() {
        int max = 0;
        for (int slot = 0; slot < SLOTS.length(); slot++) {
            max = Math.max(max, candidates(slot).length);
        }
        return max;
    }
}
