package brassboard.boards.bench;

import java.util.Arrays;

/**
 * One timed run of a loop.
 *
 * @param iterations   how many times the body ran
 * @param instructions guest instructions the timed interval accounts for
 * @param nanos        wall-clock nanoseconds of the timed interval (for qemu-arm: start-up subtracted, so it
 *                     can come out zero or negative when the run is too short to measure)
 * @param results      the loop's {@link GuestLoop#resultRegisters() result registers}, in that order
 */
public record LoopRun(long iterations, long instructions, long nanos, int[] results) {
    public LoopRun {
        results = results.clone();
    }

    /** Millions of guest instructions per second, or NaN when the time is not positive. */
    public double mips() {
        return nanos > 0 ? instructions * 1e3 / nanos : Double.NaN;
    }

    @Override
    public int[] results() {
        return results.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoopRun r && r.iterations == iterations && r.instructions == instructions
                && r.nanos == nanos && Arrays.equals(r.results, results);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(iterations) * 31 + Arrays.hashCode(results);
    }

    @Override
    public String toString() {
        return "LoopRun[iterations=" + iterations + ", instructions=" + instructions + ", nanos=" + nanos
                + ", results=" + Arrays.toString(results) + "]";
    }
}
