package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;

/**
 * A straight run of A32 (or T32) instructions from one cached page, translated to JVM bytecode by
 * {@link BlockCompiler}. Running it has the same effect as stepping its instructions one by one
 * through the interpreter, except that IRQ and FIQ are sampled only before the block (an
 * implementation may take an interrupt at any later boundary; the block is at most
 * {@link BlockCompiler#MAX_LENGTH} instructions, an A32 translation that closes a loop at most
 * {@link A32Translator#LOOP_LENGTH}, and where it ends depends only on the code, so runs stay
 * deterministic).
 */
public abstract class CompiledBlock {
    /** Instructions in the block. */
    public final int length;
    /** Whether the block ends in a branch to its own start and loops by itself. */
    public boolean loops;
    /** Whether the block holds a loop (a jump back to one of its own instructions), its start or not. */
    public boolean cyclic;
    /** Bytes from the first instruction to the end of the last. */
    public int span;
    /**
     * The page's instructions the translation holds, as a bit set of their indices, when they are not
     * just {@link #length} from its start on (an A32 translation that follows branches); null otherwise.
     */
    public long[] covers;

    /** Whether the translation starting at page instruction {@code start} holds instruction {@code at} of that page. */
    public final boolean holds(int start, int at) {
        long[] bits = covers;
        return bits == null ? at >= start && at < start + length : (bits[at >> 6] & (1L << at)) != 0;
    }

    protected CompiledBlock(int length) {
        this.length = length;
    }

    /**
     * Runs the block from its first instruction; returns how many instructions it stepped through
     * (fewer than {@link #length} when one branched, took an exception, halted the core or
     * rewrote the page). A block that ends in a branch back to its own start (a loop) runs again
     * while {@code budget} allows another whole pass and no IRQ/FIQ line is high, so it may
     * return more than {@link #length}, never more than {@code budget}. The core's PC, retired
     * count and registers are up to date on return.
     */
    public abstract int run(ArmCore c, int budget);
}
