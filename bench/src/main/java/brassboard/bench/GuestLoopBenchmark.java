package brassboard.bench;

import brassboard.boards.api.Machine;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.bench.GuestLoop;
import brassboard.boards.bench.MachineLoopRunner;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The guest hot loops of {@link GuestLoop} (the same ones {@code brassboard bench} runs) through the whole
 * machine, reported as guest instructions per second: JMH's "ops" is one guest instruction.
 *
 * <p>Every invocation executes exactly {@link #INSTRUCTIONS} more guest instructions of the same machine:
 * it runs on from where the last one paused to the next pause point, a multiple of the machine's quantum
 * in virtual time (one nanosecond per instruction), and the benchmark checks the count it retired. Each
 * measurement iteration gets a new machine (the loop's image set to its most iterations, enough for an
 * iteration of any loop at any speed), first run untimed for {@link #WARM_UP} instructions so that its
 * translations are made and compiled by HotSpot: the loop's steady state, as {@code brassboard bench}
 * times it. (Until 2026-12-08 every invocation built a new machine, so that each one timed the
 * translation of the loop and HotSpot's compiles of the new classes again: about 85 M instructions per
 * second whatever the loop.)
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar GuestLoop} (one loop: {@code -p loop=crc32}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:-UseCompressedOops", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"}) // as the launcher runs Brassboard (docs/speed.md, rounds 9 and 10)
public class GuestLoopBenchmark {
    /** Guest instructions per invocation, the same for every loop: 400 of the machine's quanta. */
    static final int INSTRUCTIONS = 400 * Machine.QUANTUM;
    /** Instructions a new machine runs before it is timed. */
    static final long WARM_UP = 100L * INSTRUCTIONS;
    /** The most instructions one iteration may need: 2 s at 10,000 MIPS, with room. */
    static final long ITERATION_CAPACITY = 25_000_000_000L;

    /** Which loop ({@link GuestLoop#id()}). */
    @Param({"alu", "mem", "cond", "branch", "mul", "memcpy", "crc32"})
    public String loop;

    private byte[] image;
    private Machine machine;
    /** The virtual time (instructions retired) where the machine paused last. */
    private long pausedAt;

    @Setup(Level.Trial)
    public void buildImage() {
        GuestLoop l = GuestLoop.byName(loop).orElseThrow(() -> new IllegalArgumentException(
                "unknown loop " + loop + "; known: " + GuestLoop.names()));
        long capacity = l.instructions(GuestLoop.MAX_ITERATIONS, GuestLoop.Target.BARE_METAL);
        if (capacity < WARM_UP + ITERATION_CAPACITY) {
            throw new IllegalStateException(loop + ": its most iterations run " + capacity + " instructions, fewer than an iteration may need");
        }
        image = l.rawImage(GuestLoop.MAX_ITERATIONS);
    }

    @Setup(Level.Iteration)
    public void buildMachine() {
        newMachine();
        for (long done = 0; done < WARM_UP; done += INSTRUCTIONS) {
            runOn();
        }
    }

    /** A new machine with the loop's image, not yet run. */
    void newMachine() {
        machine = MachineLoopRunner.machine(image);
        pausedAt = 0;
    }

    /** Instructions the current machine has retired. */
    long retired() {
        return machine.cpu().instructionsRetired();
    }

    @Benchmark
    @OperationsPerInvocation(INSTRUCTIONS)
    public long run() {
        return runOn();
    }

    /** Runs the machine on for exactly {@link #INSTRUCTIONS} instructions, to its next pause point. */
    private long runOn() {
        long before = machine.cpu().instructionsRetired();
        pausedAt += INSTRUCTIONS;
        Optional<RunResult> ended = machine.runUntilPaused(RunLimits.none(), pausedAt);
        long ran = machine.cpu().instructionsRetired() - before;
        if (ended.isPresent() || ran != INSTRUCTIONS) {
            throw new IllegalStateException(loop + ": expected to pause after exactly " + INSTRUCTIONS + " more instructions, ran "
                    + ran + (ended.isPresent() ? " and ended: " + ended.get().message() : ""));
        }
        return ran;
    }
}
