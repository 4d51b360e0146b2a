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
    /** The escape keys of an interactive console, or null: every byte goes to the guest. */
    private final ConsoleEscape escape;
    private final EscapeHandler handler;

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
        this.in = in;
        this.threadName = threadName;
        this.handler = handler;
        this.escape = handler == null ? null : new ConsoleEscape();
    }

    /** The host's stdin as an interactive console: QEMU's {@code Ctrl-A} escapes, handled by {@code handler}. */
    public static StreamInput interactiveStdin(EscapeHandler handler) {
        return new StreamInput(System.in, "brassboard-console", handler);
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
        return new StreamInput(System.in, "brassboard-stdin");
    }

    @Override
    public int poll() {
        if (reader == null) {
            start();
        }
        Integer b = queue.poll();
        return b == null ? -1 : b;
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
                    continue;
                }
                switch (escape.feed(b)) {
                    case SEND -> queue.add(escape.byteToSend());
                    case HELP -> handler.help(ConsoleEscape.HELP);
                    case EXIT -> {
                        handler.exit();
                        return;
                    }
                    case NONE -> { }
                }
            }
        } catch (IOException e) {
            error = e;
        } finally {
            ended = true;
        }
    }
}
