package brassboard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code brassboard bench --uboot}: wall-clock time from start to U-Boot's first {@code =>} prompt (no
 * input: the autoboot countdown runs out), then to the end of {@link #SCRIPT}, each command typed after
 * a prompt, the last one {@code poweroff}; for Brassboard and for {@code qemu-system-arm} alike: a new
 * process fed through a pipe, start-up included.
 */
final class UbootBench {
    /** The commands, each typed when a prompt appears; the last ends the run. */
    static final List<String> SCRIPT = List.of("version", "bdinfo", "crc32 0x40000000 0x100000", "poweroff");
    static final String PROMPT = "=> ";

    /** Seconds to the prompt and to the end of the script; {@code ok} false if the script did not finish. */
    record Timing(double promptSeconds, double scriptSeconds, boolean ok, String note) {
    }

    /** Watches the console for prompts and hands out the next command after each. */
    static final class Typist {
        private final ArrayDeque<String> commands = new ArrayDeque<>(SCRIPT);
        private final StringBuilder tail = new StringBuilder();
        private final long start;
        long promptNanos = -1;

        Typist(long start) {
            this.start = start;
        }

        /** Feeds one output byte; returns the line to type now, or null. */
        String output(int b) {
            tail.append((char) (b & 0xFF));
            if (tail.length() > 16) {
                tail.delete(0, tail.length() - 16);
            }
            if (tail.length() >= PROMPT.length() && tail.substring(tail.length() - PROMPT.length()).equals(PROMPT)) {
                if (promptNanos < 0) {
                    promptNanos = System.nanoTime() - start;
                }
                tail.setLength(0);
                return commands.poll();
            }
            return null;
        }
    }

    /**
     * The Brassboard command line the bench runs: a new JVM like this one (same java, same class path,
     * the -XX/-X/-D options it was started with, so the launcher's class-data archive too), running
     * {@code run --bios IMAGE --input -}: keys typed into its standard input, as into QEMU's.
     */
    static List<String> brassboardCommand(Path image) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:") || arg.startsWith("-Xlog") || arg.startsWith("-Xm") || arg.startsWith("-Xss") || arg.startsWith("-D")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--bios", image.toString(), "--input", "-"));
        return command;
    }

    /** Brassboard: a new process, start-up included, fed through a pipe. */
    static Timing brassboard(Path image) throws Exception {
        return timeProcess(brassboardCommand(image));
    }

    /** The QEMU command line the bench runs. */
    static List<String> qemuCommand(Path qemu, Path image) {
        // -nic none: QEMU's virt has a virtio NIC by default and U-Boot would try DHCP/TFTP; Brassboard has none.
        return List.of(qemu.toString(), "-M", "virt", "-cpu", "cortex-a15", "-m", "128M", "-bios", image.toString(),
                "-nographic", "-nic", "none");
    }

    /** QEMU: a new qemu-system-arm process fed through a pipe. */
    static Timing qemu(Path qemu, Path image) throws Exception {
        return timeProcess(qemuCommand(qemu, image));
    }

    /**
     * Starts {@code command}, types each line of the script into its standard input when a prompt
     * appears on its output, and times the first prompt and its exit (status 0 expected).
     */
    private static Timing timeProcess(List<String> command) throws Exception {
        long start = System.nanoTime();
        Typist typist = new Typist(start);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        OutputStream stdin = p.getOutputStream();
        try (InputStream stdout = p.getInputStream()) {
            int b;
            while ((b = stdout.read()) >= 0) {
                String line = typist.output(b);
                if (line != null) {
                    stdin.write((line + "\r").getBytes(StandardCharsets.US_ASCII));
                    stdin.flush();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        boolean exited = p.waitFor(30, TimeUnit.SECONDS);
        long end = System.nanoTime() - start;
        if (!exited) {
            p.destroyForcibly();
        }
        boolean ok = exited && p.exitValue() == 0 && typist.promptNanos >= 0;
        return new Timing(typist.promptNanos / 1e9, end / 1e9, ok, exited ? "exit status " + p.exitValue() : "did not exit");
    }
}
