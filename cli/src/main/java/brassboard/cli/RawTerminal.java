package brassboard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The host terminal in raw mode for an interactive console, as QEMU's {@code -nographic} sets it up
 * ({@code chardev/char-stdio.c}, {@code qemu_chr_set_echo_stdio}): no line buffering, no echo, no
 * signals from the keyboard ({@code Ctrl-C} and {@code Ctrl-Z} are keys for the guest), output
 * post-processing kept on so a bare LF still starts a new line.
 *
 * <p>Done with {@code stty} on the inherited stdin (POSIX, on every Linux and macOS host) rather than
 * a terminal library: it is three calls, needs no native code or new dependency in the shaded jar,
 * and {@code stty -g} answers both questions at once: whether stdin is a terminal, and its settings to
 * restore. The saved settings are restored by {@link #restore()} (idempotent), which the caller runs in
 * a {@code finally}, and by a JVM shutdown hook, so every exit path — the run's end, a power-off,
 * {@code Ctrl-A x}, an exception, {@code System.exit}, SIGTERM or SIGHUP — gives the terminal back as it
 * was. (SIGKILL cannot be caught: {@code stty sane} or {@code reset} then repairs the terminal.)
 */
final class RawTerminal implements AutoCloseable {
    private final String saved;
    private final AtomicBoolean restored = new AtomicBoolean();
    private final Thread hook;

    private RawTerminal(String saved) {
        this.saved = saved;
        this.hook = new Thread(this::restore, "brassboard-terminal-restore");
    }

    /**
     * Puts the terminal on stdin in raw mode, if there is one: {@link System#console()} is not null
     * (stdin and stdout are terminals) and {@code stty -g} works on stdin. Empty otherwise (a pipe, a
     * file, no {@code stty}), and then nothing was changed.
     */
    static Optional<RawTerminal> enterIfInteractive() {
        if (System.console() == null) {
            return Optional.empty();
        }
        Optional<String> saved = stty("-g");
        if (saved.isEmpty() || saved.get().isBlank()) {
            return Optional.empty();
        }
        RawTerminal t = new RawTerminal(saved.get().strip());
        Runtime.getRuntime().addShutdownHook(t.hook);
        if (stty("raw", "-echo", "opost").isEmpty()) {
            t.close();
            return Optional.empty();
        }
        return Optional.of(t);
    }

    /** Gives the terminal its saved settings back; only the first call does anything. */
    void restore() {
        if (restored.compareAndSet(false, true)) {
            stty(saved);
        }
    }

    /** Restores the terminal and drops the shutdown hook. */
    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (and finds the terminal restored)
        }
    }

    /** Runs {@code stty ARGS} on the inherited stdin; its stdout, or empty if it failed. */
    private static Optional<String> stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroy();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
