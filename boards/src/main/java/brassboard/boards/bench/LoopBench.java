package brassboard.boards.bench;

/**
 * One measurement of a loop: warm up (which also sizes the run), then time one run. Warm-up runs grow
 * geometrically from about {@link #FIRST_RUN_INSTRUCTIONS} instructions until they have taken the plan's
 * warm-up time in all and the last took at least a quarter of it; the measured run's iteration count then
 * comes from the last warm-up run's speed, to last the plan's target time, unless the plan fixes it.
 */
public final class LoopBench {
    /** Instructions of the first warm-up run. */
    public static final long FIRST_RUN_INSTRUCTIONS = 100_000;
    /** A bound on warm-up runs, so a runner whose time never grows still ends. */
    public static final int MAX_WARMUP_RUNS = 64;

    private LoopBench() {
    }

    /**
     * How to measure.
     *
     * @param iterations  iterations of the measured run, or 0 to size it to {@code targetNanos}
     * @param targetNanos how long the measured run should take, when it is sized
     * @param warmupNanos wall-clock time to spend warming up before it
     */
    public record Plan(long iterations, long targetNanos, long warmupNanos) {
        public Plan {
            if (iterations < 0 || iterations > GuestLoop.MAX_ITERATIONS) {
                throw new IllegalArgumentException("iterations " + iterations + ": expected 0 (sized) to " + GuestLoop.MAX_ITERATIONS);
            }
            if (iterations == 0 && targetNanos <= 0) {
                throw new IllegalArgumentException("a sized measurement needs a positive target time");
            }
        }

        /** A measured run sized to last {@code targetNanos}. */
        public static Plan timed(long targetNanos, long warmupNanos) {
            return new Plan(0, targetNanos, warmupNanos);
        }

        /** A measured run of exactly {@code iterations}. */
        public static Plan fixed(long iterations, long warmupNanos) {
            return new Plan(iterations, 0, warmupNanos);
        }
    }

    /** Warms up {@code loop} on {@code runner}, then returns the measured run. */
    public static LoopRun measure(LoopRunner runner, GuestLoop loop, Plan plan) throws BenchFailure {
        int per = loop.instructionsPerIteration();
        long iterations = Math.max(2, FIRST_RUN_INSTRUCTIONS / per);
        long spent = 0;
        LoopRun last;
        for (int runs = 1; ; runs++) {
            last = runner.run(loop, iterations);
            spent += Math.max(0, last.nanos());
            boolean longEnough = last.nanos() >= plan.warmupNanos() / 4;
            if (spent >= plan.warmupNanos() && longEnough
                    || iterations == GuestLoop.MAX_ITERATIONS || runs == MAX_WARMUP_RUNS) {
                break;
            }
            if (!longEnough) {
                iterations = grow(iterations, last.nanos(), plan.warmupNanos() / 2);
            }
        }
        long measured = plan.iterations() > 0 ? plan.iterations() : sized(last, per, plan.targetNanos());
        return runner.run(loop, measured);
    }

    private static long grow(long iterations, long nanos, long goalNanos) {
        double factor = nanos <= 0 ? 16 : Math.max(2, Math.min(16, (double) goalNanos / nanos));
        return (long) Math.min(GuestLoop.MAX_ITERATIONS, iterations * factor);
    }

    /** Iterations that take {@code targetNanos} at the speed of {@code run}. */
    static long sized(LoopRun run, int perIteration, long targetNanos) {
        if (run.nanos() <= 0 || run.instructions() <= 0) {
            return Math.max(2, run.iterations());
        }
        double iterationsPerNano = (double) run.instructions() / perIteration / run.nanos();
        return (long) Math.max(2, Math.min(GuestLoop.MAX_ITERATIONS, Math.ceil(targetNanos * iterationsPerNano)));
    }
}
