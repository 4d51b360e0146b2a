package brassboard.boards.bench;

/** Runs a guest loop a given number of iterations and times it: on Brassboard, under qemu-arm, or a fake in tests. */
@FunctionalInterface
public interface LoopRunner {
    /** Runs {@code loop} for {@code iterations} (1 to {@link GuestLoop#MAX_ITERATIONS}) and times it. */
    LoopRun run(GuestLoop loop, long iterations) throws BenchFailure;
}
