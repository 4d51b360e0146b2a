package brassboard.cli;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code brassboard bench --linux}: wall-clock time from start to the kernel's {@code Run /init as init
 * process}, then to the end of {@link #SCRIPT} typed at busybox's shell prompt, the last command
 * {@code poweroff -f}; for Brassboard and for {@code qemu-system-arm} alike: a new process fed through
 * a pipe, start-up included. A run whose guest never reaches the shell is timed to /init and to its
 * end, and marked as not finished.
 */
final class LinuxBench {
    /** The commands, each typed when the shell's prompt appears; the last ends the run. */
    static final List<String> SCRIPT = List.of("echo bench", "cat /proc/cpuinfo > /dev/null", "ls -l /bin > /dev/null", "poweroff -f");
    static final String INIT = "Run /init as init process";
    static final String PROMPT = "# ";
    static final String COMMAND_LINE = "console=ttyAMA0";

    /** Seconds to /init and to the end; {@code ok} false if the script did not finish. */
    record Timing(double initSeconds, double endSeconds, boolean ok, String note) {
    }

    /** Watches the console for the hand-over to /init, then for prompts, and hands out the next command after each. */
    static final class Typist {
        private final ArrayDeque<String> commands = new ArrayDeque<>(SCRIPT);
        private final StringBuilder tail = new StringBuilder();
        private final long start;
        long initNanos = -1;
        int typed;

        Typist(long start) {
            this.start = start;
        }

        /** Feeds one output byte; returns the line to type now, or null. */
        String output(int b) {
            tail.append((char) (b & 0xFF));
            if (tail.length() > 64) {
                tail.delete(0, tail.length() - 64);
            }
            if (initNanos < 0) {
                if (tail.indexOf(INIT) >= 0) {
                    initNanos = System.nanoTime() - start;
                    tail.setLength(0);
                }
                return null;
            }
            if (tail.length() >= PROMPT.length() && tail.substring(tail.length() - PROMPT.length()).equals(PROMPT)) {
                tail.setLength(0);
                String next = commands.poll();
                if (next != null) {
                    typed++;
                }
                return next;
            }
            return null;
        }

        boolean finished() {
            return commands.isEmpty();
        }
    }

    /** The Brassboard command line: a new JVM like this one running {@code run --kernel ... --input -}. */
    static List<String> brassboardCommand(Path kernel, Path initrd) {
        List<String> command = UbootBench.jvmCommand();
        command.addAll(List.of("run", "--kernel", kernel.toString(), "--initrd", initrd.toString(), "--append", COMMAND_LINE, "--input", "-"));
        return command;
    }

    /** The QEMU command line (the low memory map, as Brassboard's: see LinuxTest). */
    static List<String> qemuCommand(Path qemu, Path kernel, Path initrd) {
        return List.of(qemu.toString(), "-M", "virt,highmem=off", "-cpu", "cortex-a15", "-m", "128M", "-nographic", "-nic", "none",
                "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", COMMAND_LINE);
    }

    /**
     * Starts {@code command}, types each script line into its standard input when a prompt appears
     * after /init started, and times /init and the process's end. A guest that stops before the
     * shell ends the process itself (Brassboard's exit status 3 for an unsupported instruction); a
     * QEMU guest that panics keeps running, so the wait for output is bounded.
     */
    static Timing time(List<String> command, long limitSeconds) throws Exception {
        long start = System.nanoTime();
        Typist typist = new Typist(start);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread watchdog = new Thread(() -> {
            try {
                if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        boolean exited = UbootBench.type(p, typist::output, null);
        long end = System.nanoTime() - start;
        boolean ok = exited && p.exitValue() == 0 && typist.finished();
        String note = !exited ? "did not exit"
                : typist.initNanos < 0 ? "never reached /init (exit status " + p.exitValue() + ")"
                : !typist.finished() ? "stopped before the end of the shell script, " + typist.typed + " of " + SCRIPT.size()
                        + " commands typed (exit status " + p.exitValue() + ")"
                : "exit status " + p.exitValue();
        return new Timing(typist.initNanos / 1e9, end / 1e9, ok, note);
    }
}
