package brassboard.boards.bench;

import brassboard.boards.api.ConfigException;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.devices.api.CharBackend;
import brassboard.firmware.api.ImageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Runs a loop on Brassboard's whole {@code virt} machine (CPU, bus, scheduler): the raw image in RAM at
 * {@link GuestLoop#LOAD_ADDRESS}, booted like {@code -kernel}, ending in PSCI SYSTEM_OFF. A fresh machine per
 * run, built before the clock starts; the instruction count is the CPU's {@code instructionsRetired()}, and it
 * must be exactly the loop's.
 */
public final class MachineLoopRunner implements LoopRunner {
    private final LongSupplier clock;

    /** Times with {@code clock}, in nanoseconds ({@code System::nanoTime}, or a fake in tests). */
    public MachineLoopRunner(LongSupplier clock) {
        this.clock = clock;
    }

    /** Times with {@link System#nanoTime()}. */
    public MachineLoopRunner() {
        this(System::nanoTime);
    }

    /** A new machine with {@code image} (a raw binary) loaded at {@link GuestLoop#LOAD_ADDRESS}, not started. */
    public static Machine machine(byte[] image) {
        Path file = null;
        try {
            file = Files.createTempFile("brassboard-bench", ".bin");
            Files.write(file, image);
            MachineConfig config = MachineConfig.of(file).withLoadAddress(OptionalLong.of(GuestLoop.LOAD_ADDRESS));
            return Machine.create(config, new Console(CharBackend.disconnected()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ConfigException | ImageException e) {
            throw new IllegalStateException("the benchmark image does not load: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    /** A new machine ready to run {@code loop} for {@code iterations}. */
    public static Machine machine(GuestLoop loop, long iterations) {
        return machine(loop.rawImage(iterations));
    }

    @Override
    public LoopRun run(GuestLoop loop, long iterations) throws BenchFailure {
        Machine m = machine(loop, iterations);
        long expected = loop.instructions(iterations, GuestLoop.Target.BARE_METAL);
        long start = clock.getAsLong();
        RunResult r = m.run(RunLimits.none().withMaxInsns(expected + 1));
        long nanos = clock.getAsLong() - start;
        return new LoopRun(iterations, check(loop, iterations, m, r), nanos, results(loop, m));
    }

    /** The instructions retired, after checking the run powered off after exactly the loop's count. */
    static long check(GuestLoop loop, long iterations, Machine m, RunResult r) throws BenchFailure {
        long expected = loop.instructions(iterations, GuestLoop.Target.BARE_METAL);
        long retired = m.cpu().instructionsRetired();
        if (r.outcome() != RunResult.Outcome.POWER_OFF || retired != expected) {
            throw new BenchFailure(loop.id() + " on Brassboard: expected a power-off after " + expected
                    + " instructions, got: " + r.message());
        }
        return retired;
    }

    /** The loop's result registers on a machine that ran it. */
    public static int[] results(GuestLoop loop, Machine m) {
        int[] regs = loop.resultRegisters();
        int[] values = new int[regs.length];
        for (int i = 0; i < regs.length; i++) {
            values[i] = m.cpu().reg(regs[i]);
        }
        return values;
    }
}
