package brassboard.boards.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Warm-up and sizing, against a fake runner whose speed is fixed: no real time involved. */
class LoopBenchTest {
    /** A runner at exactly {@code mips} million instructions per second, recording the iteration counts. */
    static final class FakeRunner implements LoopRunner {
        final double mips;
        final List<Long> iterations = new ArrayList<>();

        FakeRunner(double mips) {
            this.mips = mips;
        }

        @Override
        public LoopRun run(GuestLoop loop, long n) {
            iterations.add(n);
            long insns = loop.instructions(n, GuestLoop.Target.BARE_METAL);
            return new LoopRun(n, insns, Math.round(insns * 1e3 / mips), new int[0]);
        }
    }

    @Test
    void warmUpGrowsUntilItHasTakenItsTimeThenTheRunIsSizedToTheTarget() throws BenchFailure {
        FakeRunner r = new FakeRunner(50);
        LoopRun run = LoopBench.measure(r, GuestLoop.ALU, LoopBench.Plan.timed(2_000_000_000L, 1_000_000_000L));
        List<Long> warm = List.copyOf(r.iterations.subList(0, r.iterations.size() - 1));
        assertThat(warm.get(0)).isEqualTo(LoopBench.FIRST_RUN_INSTRUCTIONS / 9);
        assertThat(warm).isSorted();
        long warmNanos = warm.stream().mapToLong(n -> new FakeRunner(50).run(GuestLoop.ALU, n).nanos()).sum();
        assertThat(warmNanos).isGreaterThanOrEqualTo(1_000_000_000L);
        // 2 s at 50 MIPS is 100 M instructions: 11.1 M iterations of 9
        assertThat(run.iterations()).isBetween(11_000_000L, 11_200_000L);
        assertThat(run.nanos()).isBetween(1_990_000_000L, 2_010_000_000L);
        assertThat(run.mips()).isCloseTo(50, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aFixedPlanRunsExactlyItsIterationsAfterTheWarmUp() throws BenchFailure {
        FakeRunner r = new FakeRunner(1000);
        LoopRun run = LoopBench.measure(r, GuestLoop.MEMCPY, LoopBench.Plan.fixed(12_345, 100_000_000L));
        assertThat(run.iterations()).isEqualTo(12_345);
        assertThat(r.iterations.get(r.iterations.size() - 1)).isEqualTo(12_345);
        assertThat(r.iterations.size()).isGreaterThan(1);
    }

    @Test
    void aRunnerThatNeverTakesTimeStillEnds() throws BenchFailure {
        List<Long> seen = new ArrayList<>();
        LoopRun run = LoopBench.measure((loop, n) -> {
            seen.add(n);
            return new LoopRun(n, n, 0, new int[0]);
        }, GuestLoop.CRC32, LoopBench.Plan.timed(1_000_000_000L, 1_000_000_000L));
        assertThat(seen.size()).isLessThanOrEqualTo(LoopBench.MAX_WARMUP_RUNS + 1);
        assertThat(seen).contains(GuestLoop.MAX_ITERATIONS);
        assertThat(run.mips()).isNaN();
    }
}
