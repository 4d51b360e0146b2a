package brassboard.boards.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Parses what the harness writes to stdout: one state block per case (see {@link Harness}). */
public final class QemuDump {
    private QemuDump() {
    }

    /**
     * The final states of {@code cases} cases.
     *
     * @throws IllegalArgumentException when the dump is not exactly {@code cases} blocks long
     */
    public static List<CpuState> parse(byte[] dump, int cases) {
        if (dump.length != (long) cases * Harness.BLOCK) {
            throw new IllegalArgumentException("qemu-arm wrote " + dump.length + " bytes; expected " + cases + " state blocks of "
                    + Harness.BLOCK + " bytes = " + (long) cases * Harness.BLOCK);
        }
        ByteBuffer buf = ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN);
        List<CpuState> states = new ArrayList<>(cases);
        for (int i = 0; i < cases; i++) {
            int base = i * Harness.BLOCK;
            int[] regs = new int[14];
            for (int r = 0; r < 14; r++) {
                regs[r] = buf.getInt(base + 4 * r);
            }
            int psr = buf.getInt(base + Harness.PSR_OFFSET);
            byte[] window = Arrays.copyOfRange(dump, base + Harness.WINDOW_OFFSET, base + Harness.WINDOW_OFFSET + Harness.WINDOW_SIZE);
            long[] d = new long[32];
            for (int r = 0; r < 32; r++) {
                d[r] = buf.getLong(base + Harness.VFP_OFFSET + 8 * r);
            }
            states.add(new CpuState(regs, psr, window, d, buf.getInt(base + Harness.FPSCR_OFFSET)));
        }
        return states;
    }
}
