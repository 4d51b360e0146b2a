package brassboard.bench;

import brassboard.boards.api.Machine;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.bench.GuestLoop;
import brassboard.boards.bench.MachineLoopRunner;
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
 * <p>Every invocation executes exactly {@link #INSTRUCTIONS} guest instructions: a fresh machine (built
 * untimed) runs the loop's image, set to more iterations than that needs, and the machine's instruction limit
 * stops it after exactly that many; the benchmark checks the count it retired.
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
    /** Guest instructions per invocation, the same for every loop. */
    static final int INSTRUCTIONS = 4_000_000;

    /** Which loop ({@link GuestLoop#id()}). */
    @Param({"alu", "mem", "cond", "branch", "mul", "memcpy", "crc32"})
    public String loop;

    private byte[] image;
    private Machine machine;

    @Setup(Level.Trial)
    public void buildImage() {
        GuestLoop l = GuestLoop.byName(loop).orElseThrow(() -> new IllegalArgumentException(
                "unknown loop " + loop + "; known: " + GuestLoop.names()));
        image = l.rawImage(l.iterationsCovering(INSTRUCTIONS));
    }

    @Setup(Level.Invocation)
    public void buildMachine() {
        machine = MachineLoopRunner.machine(image);
    }

    @Benchmark
    @OperationsPerInvocation(INSTRUCTIONS)
    public long run() {
        RunResult r = machine.run(RunLimits.none().withMaxInsns(INSTRUCTIONS));
        if (r.outcome() != RunResult.Outcome.LIMIT || r.instructions() != INSTRUCTIONS) {
            throw new IllegalStateException(loop + ": expected to stop after exactly " + INSTRUCTIONS
                    + " instructions, got: " + r.message());
        }
        return r.instructions();
    }
}
