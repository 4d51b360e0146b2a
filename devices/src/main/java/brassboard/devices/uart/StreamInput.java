package brassboard.devices.uart;

import brassboard.devices.api.CharSource;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
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
    /** The escape keys of an interactive console, or null: every byte goes to the guest. */
    private final ConsoleEscape escape;
    private final EscapeHandler handler;
    /** Whether {@link #close} closes the stream (not the terminal's stdin). */
    private final boolean closeable;

    /** What an interactive console does on its escape commands; called on the reader thread. */
    public interface EscapeHandler {
        /** {@code Ctrl-A h}: show the help text (CR LF line ends). */
        void help(String text);

        /** {@code Ctrl-A x}: end the run. */
        void exit();
    }

    /** Forwards {@code in}; {@code threadName} names the reader thread. */
    public StreamInput(InputStream in, String threadName) {
        this(in, threadName, null);
    }

    /**
     * Forwards {@code in} through the escape keys of {@link ConsoleEscape} (QEMU's {@code Ctrl-A}
     * commands), which {@code handler} acts on; {@code null} forwards every byte.
     */
    public StreamInput(InputStream in, String threadName, EscapeHandler handler) {
        this(in, threadName, handler, true);
    }

    private StreamInput(InputStream in, String threadName, EscapeHandler handler, boolean closeable) {
        this.in = in;
        this.closeable = closeable;
        this.threadName = threadName;
        this.handler = handler;
        this.escape = handler == null ? null : new ConsoleEscape();
    }

    /** The host's stdin as an interactive console: QEMU's {@code Ctrl-A} escapes, handled by {@code handler}. */
    public static StreamInput interactiveStdin(EscapeHandler handler) {
        // System.in, never closed: the terminal is restored through this same file descriptor (stty).
        return new StreamInput(System.in, "brassboard-console", handler, false);
    }

    /**
     * The process's standard input (file descriptor 0) as a stream whose blocking read
     * {@link #close} can end. A thread blocked in a plain {@code System.in} read sits in native code,
     * and HotSpot's exit waits up to 300 ms for such threads: every run with {@code --input -} or an
     * interactive console took that long to exit. A {@link java.nio.channels.FileChannel} read is
     * interruptible: closing the channel wakes the reader.
     */
    static InputStream hostStdin() {
        return Channels.newInputStream(new FileInputStream(FileDescriptor.in).getChannel());
    }

    /**
     * Starts the reader thread now rather than at the first {@link #poll()}: an interactive console
     * must see {@code Ctrl-A x} even while the guest does not read its UART.
     */
    public synchronized void start() {
        if (reader == null) {
            reader = new Thread(this::pump, threadName);
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** Forwards the host's standard input. */
    public static StreamInput stdin() {
        return new StreamInput(hostStdin(), "brassboard-stdin");
    }

    /**
     * Stops forwarding: closes the stream, which ends a read the reader thread is blocked in (for the
     * host's stdin; see {@link #hostStdin}), so the process can exit at once.
     */
    @Override
    public void close() {
        if (!closeable) {
            return;
        }
        try {
            in.close();
        } catch (IOException e) {
            // nothing more will be read either way
        }
    }

    @Override
    public int poll() {
        if (reader == null) {
            start();
        }
        Integer b = queue.poll();
        return b == null ? -1 : b;
    }

    /** Told when a byte has been queued ({@link #onArrival}); null: nobody asked. */
    private volatile Runnable arrival;

    @Override
    public void onArrival(Runnable arrived) {
        this.arrival = arrived;
    }

    private void arrived() {
        Runnable r = arrival;
        if (r != null) {
            r.run();
        }
    }

    /** Host input: bytes come when the user types or the pipe delivers them. */
    @Override
    public boolean live() {
        return true;
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
                if (escape == null) {
                    queue.add(b);
                    arrived();
                    continue;
                }
                switch (escape.feed(b)) {
                    case SEND -> {
                        queue.add(escape.byteToSend());
                        arrived();
                    }
                    case HELP -> handler.help(ConsoleEscape.HELP);
                    case EXIT -> {
                        handler.exit();
                        return;
                    }
                    case NONE -> { }
                }
            }
        } catch (java.nio.channels.ClosedChannelException e) {
            // closed by close(): the run is over
        } catch (IOException e) {
            error = e;
        } finally {
            ended = true;
        }
    }
}
