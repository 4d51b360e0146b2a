package brassboard.devices.uart;

import brassboard.devices.api.CharSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A {@link CharSource} forwarding a host stream (stdin) read on a daemon thread into a queue.
 *
 * <p>This is the one non-deterministic input of a simulation: what the guest receives, and at
 * which virtual time, depends on when the host delivers the bytes. Runs that must be
 * reproducible use {@link ScriptInput}. The reader thread starts at the first {@link #poll()},
 * so a guest that never enables its receiver never reads the host's stdin; it is a host-side
 * helper, not part of the simulation, which stays single-threaded.
 */
public final class StreamInput implements CharSource {
    private final InputStream in;
    private final String threadName;
    private final ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
    private volatile boolean ended;
    private volatile IOException error;
    private Thread reader;

    /** Forwards {@code in}; {@code threadName} names the reader thread. */
    public StreamInput(InputStream in, String threadName) {
        this.in = in;
        this.threadName = threadName;
    }

    /** Forwards the host's standard input. */
    public static StreamInput stdin() {
        return new StreamInput(System.in, "brassboard-stdin");
    }

    @Override
    public int poll() {
        if (reader == null) {
            reader = new Thread(this::pump, threadName);
            reader.setDaemon(true);
            reader.start();
        }
        Integer b = queue.poll();
        return b == null ? -1 : b;
    }

    @Override
    public boolean exhausted() {
        return ended && queue.isEmpty();
    }

    /** The read error that ended the stream, if any. */
    public Optional<IOException> error() {
        return Optional.ofNullable(error);
    }

    private void pump() {
        try {
            int b;
            while ((b = in.read()) >= 0) {
                queue.add(b);
            }
        } catch (IOException e) {
            error = e;
        } finally {
            ended = true;
        }
    }
}
