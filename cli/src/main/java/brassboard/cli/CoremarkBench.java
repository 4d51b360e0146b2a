package brassboard.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code brassboard bench --coremark}: runs a CoreMark image on Brassboard and on
 * {@code qemu-system-arm}, each as a new process, and times by the host's clock the part CoreMark
 * times itself: from the port's "timing starts" line to its "timing stops" line as they reach the
 * console pipe. Process start-up (a JVM or QEMU starting, loading the image, CoreMark's data set-up)
 * and the report and exit afterwards are left out; what the emulator does to warm up (Brassboard's
 * translator, HotSpot's compilers) while CoreMark runs is in.
 */
final class CoremarkBench {
    /** Brassboard's end-of-run line with {@code -v}: "... at T virtual, N instructions". */
    private static final Pattern RETIRED = Pattern.compile("virtual, (\\d+) instructions");

    private CoremarkBench() {
    }

    /**
     * One run: the process's exit status (-1 if it was killed), host seconds from the start to the
     * first marker and between the markers (-1 without them), to the end, and the console.
     */
    record Run(int status, boolean timedOut, double secondsToStart, double timedSeconds, double totalSeconds, String console) {
        CoremarkOutput output() {
            return CoremarkOutput.parse(console);
        }

        /** Brassboard's instructions retired in the whole run ({@code run -v}'s last line), or -1. */
        long retired() {
            Matcher m = RETIRED.matcher(console);
            long n = -1;
            while (m.find()) {
                n = Long.parseLong(m.group(1));
            }
            return n;
        }

        /** The first thing wrong with the process itself (not CoreMark's output), or null. */
        String processProblem() {
            if (timedOut) {
                return "did not finish in time (killed)";
            }
            if (status != 0) {
                return "exit status " + status;
            }
            if (timedSeconds < 0) {
                return "no timing lines on the console";
            }
            return null;
        }
    }

    /** The Brassboard command line: a new JVM like this one running {@code run -v IMAGE}. */
    static List<String> brassboardCommand(Path image) {
        List<String> command = new ArrayList<>(UbootBench.jvmCommand());
        command.addAll(List.of("run", "-v", image.toString()));
        return command;
    }

    /** The QEMU command line: virt, Cortex-A15, the image as -kernel, semihosting on for its exit. */
    static List<String> qemuCommand(Path qemu, Path image) {
        return List.of(qemu.toString(), "-M", "virt", "-cpu", "cortex-a15", "-m", "128M", "-nographic", "-monitor", "none",
                "-nic", "none", "-semihosting", "-kernel", image.toString());
    }

    /** A time limit for a run of {@code iterations}: generous, the bench is not a speed test of the limit. */
    static long timeoutSeconds(long iterations) {
        return 120 + iterations / 10;
    }

    /** Starts {@code command} and times its console's timing markers; kills it after {@code timeoutSeconds}. */
    static Run time(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        AtomicBoolean killed = new AtomicBoolean();
        Thread watchdog = new Thread(() -> {
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    killed.set(true);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // the run ended first
            }
        }, "coremark-bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StringBuilder line = new StringBuilder();
        long marked = -1;
        long stopped = -1;
        try (InputStream out = p.getInputStream()) {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = out.read(buffer)) >= 0) {
                long now = System.nanoTime();
                console.write(buffer, 0, n);
                for (int i = 0; i < n; i++) {
                    char c = (char) (buffer[i] & 0xFF);
                    if (c != '\n') {
                        line.append(c);
                        continue;
                    }
                    String text = line.toString().strip();
                    line.setLength(0);
                    if (text.equals(CoremarkOutput.MARK_START) && marked < 0) {
                        marked = now;
                    } else if (text.equals(CoremarkOutput.MARK_STOP) && marked >= 0 && stopped < 0) {
                        stopped = now;
                    }
                }
            }
        }
        boolean exited = p.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            killed.set(true);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        long end = System.nanoTime();
        watchdog.interrupt();
        return new Run(killed.get() ? -1 : p.exitValue(), killed.get(), marked < 0 ? -1 : (marked - start) / 1e9,
                marked < 0 || stopped < 0 ? -1 : (stopped - marked) / 1e9, (end - start) / 1e9,
                console.toString(StandardCharsets.ISO_8859_1));
    }
}
