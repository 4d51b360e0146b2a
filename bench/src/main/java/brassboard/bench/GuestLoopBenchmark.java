package brassboard.bench;

import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.devices.api.CharBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Guest hot loops through the whole machine, reported as guest instructions per second
 * (JMH "ops" = one guest instruction). Each loop runs {@link #ITERATIONS} times and then powers
 * off through PSCI; a fresh machine is built (untimed) for every invocation.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar GuestLoop}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GuestLoopBenchmark {
    static final int ITERATIONS = 1_000_000;
    static final long RAM_LOAD = 0x4010_0000L;
    /** Instructions per loop iteration, the same in every loop. */
    static final int LOOP_LENGTH = 4;

    /** Which loop. */
    @Param({"alu", "loadstore", "conditional"})
    public String loop;

    private Path image;
    private Machine machine;
    private long expectedInstructions;

    @Setup(Level.Trial)
    public void writeImage() throws IOException {
        int[] words = switch (loop) {
            case "alu" -> aluLoop();
            case "loadstore" -> loadStoreLoop();
            default -> conditionalLoop();
        };
        ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        image = Files.createTempFile("brassboard-bench-" + loop, ".bin");
        Files.write(image, b.array());
        expectedInstructions = 4 + (long) ITERATIONS * LOOP_LENGTH + 3;
    }

    @Setup(Level.Invocation)
    public void buildMachine() throws Exception {
        MachineConfig config = MachineConfig.of(image).withLoadAddress(OptionalLong.of(RAM_LOAD));
        machine = Machine.create(config, new Console(CharBackend.disconnected()));
    }

    @TearDown(Level.Trial)
    public void deleteImage() throws IOException {
        Files.deleteIfExists(image);
    }

    @Benchmark
    @OperationsPerInvocation(ITERATIONS * LOOP_LENGTH)
    public long run() {
        RunResult r = machine.run(RunLimits.none().withMaxInsns(expectedInstructions + 10));
        if (r.outcome() != RunResult.Outcome.POWER_OFF) {
            throw new IllegalStateException("benchmark loop did not power off: " + r.message());
        }
        return r.instructions();
    }

    // Prologue (4 words): r1 = ITERATIONS, r0 = 0, r4 = scratch address in RAM.
    private static int[] prologue() {
        return new int[] {
            movw(1, ITERATIONS & 0xFFFF),     // movw r1, #lo
            movt(1, ITERATIONS >>> 16),       // movt r1, #hi
            0xE3A00000,                       // mov r0, #0
            0xE3A04441,                       // mov r4, #0x41000000  (scratch in RAM)
        };
    }

    // Epilogue (3 words): PSCI SYSTEM_OFF.
    private static final int[] EPILOGUE = {
        0xE3A00321,                           // mov r0, #0x84000000
        0xE3800008,                           // orr r0, r0, #8
        0xE1400070,                           // hvc #0
    };

    static int[] aluLoop() {
        return concat(prologue(), new int[] {
            0xE0800001,                       // loop: add r0, r0, r1
            0xE0202181,                       // eor r2, r0, r1, lsl #3
            0xE2511001,                       // subs r1, r1, #1
            0x1AFFFFFB,                       // bne loop
        }, EPILOGUE);
    }

    static int[] loadStoreLoop() {
        return concat(prologue(), new int[] {
            0xE5841000,                       // loop: str r1, [r4]
            0xE5940000,                       // ldr r0, [r4]
            0xE2511001,                       // subs r1, r1, #1
            0x1AFFFFFB,                       // bne loop
        }, EPILOGUE);
    }

    static int[] conditionalLoop() {
        return concat(prologue(), new int[] {
            0xE3110001,                       // loop: tst r1, #1
            0x12800001,                       // addne r0, r0, #1
            0xE2511001,                       // subs r1, r1, #1
            0x1AFFFFFB,                       // bne loop
        }, EPILOGUE);
    }

    private static int movw(int rd, int imm16) {
        return 0xE3000000 | ((imm16 >>> 12) << 16) | (rd << 12) | (imm16 & 0xFFF);
    }

    private static int movt(int rd, int imm16) {
        return 0xE3400000 | ((imm16 >>> 12) << 16) | (rd << 12) | (imm16 & 0xFFF);
    }

    private static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] all = new int[n];
        int i = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, all, i, p.length);
            i += p.length;
        }
        return all;
    }
}
