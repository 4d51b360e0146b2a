package brassboard.boards.bench;

import brassboard.boards.conformance.QemuUser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Runs a loop as a static ARM Linux executable ({@link GuestLoop#elf}) under Debian's {@code qemu-arm}
 * ({@code -cpu cortex-a15}) and times the process wall-clock. Process start-up (and QEMU's translation of the
 * few blocks) is subtracted: the fastest of {@link #CALIBRATION_RUNS} runs of the same executable with one
 * iteration, measured once per loop. The instructions a run accounts for are therefore those of
 * {@code iterations - 1} iterations, known exactly from the loop's definition.
 */
public final class QemuLoopRunner implements LoopRunner {
    /** Runs of the one-iteration executable whose fastest is the start-up time. */
    public static final int CALIBRATION_RUNS = 3;

    private final QemuUser qemu;
    private final LongSupplier clock;
    private final Map<GuestLoop, Long> startup = new EnumMap<>(GuestLoop.class);

    public QemuLoopRunner(QemuUser qemu, LongSupplier clock) {
        this.qemu = qemu;
        this.clock = clock;
    }

    public QemuLoopRunner(QemuUser qemu) {
        this(qemu, System::nanoTime);
    }

    @Override
    public LoopRun run(GuestLoop loop, long iterations) throws BenchFailure {
        long overhead = startupNanos(loop);
        long start = clock.getAsLong();
        int[] results = results(loop, iterations);
        long nanos = clock.getAsLong() - start - overhead;
        long instructions = loop.instructions(iterations, GuestLoop.Target.LINUX) - loop.instructions(1, GuestLoop.Target.LINUX);
        return new LoopRun(iterations, instructions, nanos, results);
    }

    /** The wall-clock time of a one-iteration run: start-up, translation, exit. */
    public long startupNanos(GuestLoop loop) throws BenchFailure {
        Long known = startup.get(loop);
        if (known != null) {
            return known;
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < CALIBRATION_RUNS; i++) {
            long start = clock.getAsLong();
            results(loop, 1);
            best = Math.min(best, clock.getAsLong() - start);
        }
        startup.put(loop, best);
        return best;
    }

    /** Runs {@code loop} under qemu-arm, untimed, and returns its result registers. */
    public int[] results(GuestLoop loop, long iterations) throws BenchFailure {
        byte[] out;
        try {
            out = qemu.run(loop.elf(iterations));
        } catch (QemuUser.QemuFailure e) {
            throw new BenchFailure(loop.id() + " under qemu-arm: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BenchFailure(loop.id() + " under qemu-arm: " + e, e);
        }
        int block = GuestLoop.RESULT_BLOCK.size() * 4;
        if (out.length != block) {
            throw new BenchFailure(loop.id() + " under qemu-arm: wrote " + out.length + " bytes, expected the " + block
                    + "-byte result block");
        }
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        int[] regs = loop.resultRegisters();
        int[] values = new int[regs.length];
        for (int i = 0; i < regs.length; i++) {
            values[i] = b.getInt(GuestLoop.RESULT_BLOCK.indexOf(regs[i]) * 4);
        }
        return values;
    }
}
