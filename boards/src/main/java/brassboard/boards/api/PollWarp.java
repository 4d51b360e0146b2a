package brassboard.boards.api;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.timer.GenericTimer;
import brassboard.bus.api.AddressSpace;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Fast-forwards a core that busy-polls the generic timer's counter (U-Boot's {@code udelay}, any
 * "wait until CNTPCT passes X" loop): virtual time jumps over iterations that could not have changed
 * anything the guest can see. Single-core machines only; {@code -Dbrassboard.pollwarp=false} turns
 * it off.
 *
 * <h2>The rule</h2>
 * <ol>
 *   <li><b>Spotting.</b> The same MRRC (CNTPCT or CNTVCT) reads the counter {@link #REPEATS} times in a
 *       row, each time the same number P of instructions after the last (P at most {@link #MAX_PERIOD}).
 *       The machine then stops the core just before that MRRC runs again.</li>
 *   <li><b>Proving.</b> {@link LoopProbe} runs the iteration on the side (copies of the registers and flags,
 *       an overlay over RAM) and requires: P instructions back to the MRRC along one fixed path; nothing
 *       touched but RAM; one counter read; no address or branch target that depends on the counter; every
 *       location both read and written left as it was. Then every iteration starts from the same inputs
 *       and overwrites the same locations, so the state after k+1 iterations equals the state after the
 *       last one alone, whatever the k before it read.</li>
 *   <li><b>Choosing k.</b> The largest k such that the iteration that reads the counter k·P ns later still
 *       comes back along the same path, found by doubling then bisecting, and checked at
 *       {@link #SAMPLES} evenly spaced k below it. Skipping is exact when the loop's exit test is
 *       monotone in the counter (once it would leave, it would leave at every later value) — true of
 *       every "until the counter reaches X" loop, and the one assumption here. k never takes time past
 *       the next scheduled event, a lockup detector's deadline, an instruction-count action, or the
 *       run's limits, and nothing is skipped while an interrupt is pending or code is hooked (spans,
 *       traces of PCs).</li>
 *   <li><b>Skipping.</b> The core's clock moves k·P ns ahead and k·P instructions count as retired (one
 *       instruction per nanosecond still holds); the MRRC then runs for real and reads the counter as it
 *       would have after k more iterations.</li>
 * </ol>
 * What the guest can observe is what it would have observed had it run the k iterations: the counter
 * values it reads are values it would have read, the memory and registers after the loop are the same,
 * and no interrupt or device event falls in the skipped time. The decision depends only on guest state
 * and counts, never on the host, so runs stay deterministic.
 */
final class PollWarp {
    static final int REPEATS = 3;
    static final int MAX_PERIOD = 64;
    static final int SAMPLES = 8;
    private static final boolean DEBUG = Boolean.getBoolean("brassboard.pollwarp.debug");

    private final ArmCpu cpu;
    private final AddressSpace bus;
    private final GenericTimer timer;
    private final Set<Integer> unfit = new HashSet<>();
    private int lastPc = -1;
    private long lastRetired = -1;
    private long period = -1;
    private int repeats;
    /** The retired count at which the core is next at the loop's MRRC, or -1. */
    private long armedAt = -1;
    private int armedPc;
    /**
     * The loop's period when it was armed. {@link #period} cannot stand in for it: a skip moves the
     * retired count on, so the next counter read measures the skip as its "period".
     */
    private long armedPeriod;
    private long warps;
    private long skipped;
    /** The armed loop's path, as its reference probe ran it: {@link #refLength} PCs. */
    private final int[] refPath = new int[MAX_PERIOD + 1];
    private int refLength;
    /** The armed loop's probe, kept while the same loop is armed again (it holds nothing between runs). */
    private LoopProbe probe;
    /** The counter values tried in this {@link #iterationsToSkip}, and their verdicts. */
    private final long[] triedCounter = new long[256];
    private final int[] triedVerdict = new int[256];
    private int tried;

    PollWarp(ArmCpu cpu, AddressSpace bus, GenericTimer timer) {
        this.cpu = cpu;
        this.bus = bus;
        this.timer = timer;
    }

    static boolean enabled() {
        return !"false".equals(System.getProperty("brassboard.pollwarp"));
    }

    /** The counter read listener: spots the loop. Returns the retired count to stop at, or -1. */
    long onCounterRead() {
        int pc = cpu.pc();
        long retired = cpu.instructionsRetired();
        if (pc == lastPc) {
            long p = retired - lastRetired;
            if (p == period) {
                repeats++;
            } else {
                period = p;
                repeats = 1;
            }
        } else {
            lastPc = pc;
            period = -1;
            repeats = 0;
        }
        lastRetired = retired;
        if (armedAt < 0 && repeats >= REPEATS && period > 0 && period <= MAX_PERIOD && !unfit.contains(pc)) {
            armedAt = retired + period;
            armedPc = pc;
            armedPeriod = period;
            return armedAt;
        }
        return -1;
    }

    /**
     * At the armed count: how many instructions to skip (a multiple of the period), at most
     * {@code maxInstructions}, with the core's MRRC about to read the counter at {@code coreTimeNs}.
     */
    long iterationsToSkip(long coreTimeNs, long maxInstructions, long nsPerInstruction) {
        long at = armedAt;
        armedAt = -1;
        rearm = -1;
        if (DEBUG) {
            System.err.printf("pollwarp: armed at %d, now %d, pc 0x%08x vs 0x%08x, hooks %s%n", at, cpu.instructionsRetired(), cpu.pc(), armedPc, cpu.pcHooks());
        }
        if (at != cpu.instructionsRetired() || cpu.pc() != armedPc || cpu.hasPcHooks()) {
            return 0;
        }
        long p = armedPeriod;
        long maxK = maxInstructions / p - 1; // keep one real iteration inside the limit
        if (maxK < 1) {
            // an event (a UART poll, a timer) is due first: let it happen, look again next iteration
            rearm = at + p;
            return 0;
        }
        if (probe == null || probe.start() != armedPc) {
            probe = new LoopProbe(cpu, bus, armedPc, MAX_PERIOD);
        }
        tried = 0;
        int refOutcome = probe.run(timer.countAt(coreTimeNs));
        if (DEBUG) {
            System.err.printf("pollwarp: pc 0x%08x period %d max %d: fit %s looped %s len %d %s%n", armedPc, p, maxInstructions,
                    refOutcome != LoopProbe.UNFIT, refOutcome == LoopProbe.LOOPED,
                    refOutcome == LoopProbe.UNFIT ? -1 : probe.pathLength(), probe.why());
        }
        if (refOutcome == LoopProbe.UNFIT) {
            // The loop may simply be ending now, into code the probe does not model (a function's
            // epilogue, LDM). If the counter the previous iteration read still comes back along p
            // instructions, the loop itself is fit: skip nothing now, but do not bar this counter read,
            // which other loops (every caller of one get_ticks) share.
            if (!(probe.run(timer.countAt(coreTimeNs - p * nsPerInstruction)) == LoopProbe.LOOPED && probe.pathLength() == p)) {
                unfit.add(armedPc);
            }
            return 0;
        }
        if (refOutcome != LoopProbe.LOOPED || probe.pathLength() != p) {
            return 0;
        }
        refLength = probe.pathLength();
        System.arraycopy(probe.path(), 0, refPath, 0, refLength);
        long stepNs = p * nsPerInstruction;
        // doubling, then bisection, for the largest k whose iteration still comes back
        long good = 0;
        long bad = -1;
        // Cut short by an event (a UART poll) far more often than by the loop's end: try the whole window first.
        int whole = verdict(timer.countAt(coreTimeNs + maxK * stepNs));
        if (whole < 0) {
            unfit.add(armedPc);
            return 0;
        }
        for (long k = whole > 0 ? maxK : 1; k <= maxK; k = Math.min(maxK + 1, k * 2)) {
            int verdict = verdict(timer.countAt(coreTimeNs + k * stepNs));
            if (verdict < 0) {
                unfit.add(armedPc);
                return 0;
            }
            if (verdict == 0) {
                bad = k;
                break;
            }
            good = k;
            if (k == maxK) {
                break;
            }
        }
        if (bad > 0) {
            while (bad - good > 1) {
                long mid = good + (bad - good) / 2;
                int verdict = verdict(timer.countAt(coreTimeNs + mid * stepNs));
                if (verdict < 0) {
                    unfit.add(armedPc);
                    return 0;
                }
                if (verdict > 0) {
                    good = mid;
                } else {
                    bad = mid;
                }
            }
        }
        for (int i = 1; i < SAMPLES && good > 0; i++) {
            long k = good * i / SAMPLES;
            if (k > 0 && verdict(timer.countAt(coreTimeNs + k * stepNs)) <= 0) {
                return 0; // not monotone: do not skip
            }
        }
        if (DEBUG) {
            System.err.printf("pollwarp: skip %d iterations%n", good);
        }
        if (good > 0) {
            warps++;
            skipped += good * p;
            if (good == maxK) {
                // stopped by a limit or an event, not by the loop's end: carry on after it
                rearm = at + good * p + p;
            }
        }
        return good * p;
    }

    /**
     * After {@link #iterationsToSkip}: the retired count at which the loop, still proven and cut short
     * only by a limit or an event, should be looked at again (without spotting it anew); -1 if not.
     */
    long rearmAt() {
        if (rearm >= 0) {
            armedAt = rearm;
        }
        return rearm;
    }

    private long rearm = -1;

    /** Forgets the armed loop (the machine cannot skip now); it is spotted again by its reads. */
    void disarm() {
        armedAt = -1;
        rearm = -1;
    }

    /**
     * 1: comes back along the reference path; 0: leaves (or takes another path); -1: unfit. Within one
     * {@link #iterationsToSkip} nothing in the machine changes, so the verdict depends on the counter
     * value alone: a value already tried (the whole window, tried first, again as the doubling's first
     * k; several k whose counter reads the same tick) is answered from {@link #triedCounter}.
     */
    private int verdict(long counter) {
        for (int i = 0; i < tried; i++) {
            if (triedCounter[i] == counter) {
                return triedVerdict[i];
            }
        }
        int verdict = probeVerdict(counter);
        if (tried < triedCounter.length) {
            triedCounter[tried] = counter;
            triedVerdict[tried] = verdict;
            tried++;
        }
        return verdict;
    }

    private int probeVerdict(long counter) {
        int outcome = probe.run(counter, refPath, refLength);
        // following the reference, a path that loops is a prefix of it: the same path when as long
        boolean same = outcome != LoopProbe.UNFIT && Arrays.equals(probe.path(), 0, probe.pathLength(), refPath, 0, refLength);
        if (DEBUG) {
            System.err.printf("pollwarp:   counter %d: fit %s looped %s same path %s %s%n", counter, outcome != LoopProbe.UNFIT,
                    outcome == LoopProbe.LOOPED, same, probe.why());
        }
        if (outcome == LoopProbe.UNFIT) {
            return -1;
        }
        return outcome == LoopProbe.LOOPED && same ? 1 : 0;
    }

    long warps() {
        return warps;
    }

    long skippedInstructions() {
        return skipped;
    }
}
