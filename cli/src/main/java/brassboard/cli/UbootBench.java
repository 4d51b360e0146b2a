package brassboard.cli;

import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSink;
import brassboard.devices.api.CharSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * {@code brassboard bench --uboot}: wall-clock time from start to U-Boot's first {@code =>} prompt (no
 * input: the autoboot countdown runs out), then to the end of {@link #SCRIPT}, each command typed after
 * a prompt, the last one {@code poweroff}; for Brassboard (in this JVM, start-up included: building the
 * machine and loading the image) and for {@code qemu-system-arm} (a new process, start-up included).
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

    /** Brassboard: the virt machine in this JVM, the image at flash address 0 as --bios. */
    static Timing brassboard(Path image) throws Exception {
        long start = System.nanoTime();
        Typist typist = new Typist(start);
        ArrayDeque<Integer> keys = new ArrayDeque<>();
        CharSource in = new CharSource() {
            @Override
            public int poll() {
                Integer b = keys.poll();
                return b == null ? -1 : b;
            }

            @Override
            public boolean exhausted() {
                return false;
            }
        };
        CharSink out = b -> {
            String line = typist.output(b);
            if (line != null) {
                for (byte c : (line + "\r").getBytes(StandardCharsets.US_ASCII)) {
                    keys.add(c & 0xFF);
                }
            }
        };
        MachineConfig config = new MachineConfig("virt", MachineConfig.DEFAULT_RAM, image, OptionalLong.of(0), 0,
                MachineConfig.DEFAULT_CPU_HZ, MachineConfig.DEFAULT_RTC_EPOCH, 1);
        Machine machine = Machine.create(config, new Console(CharBackend.of(out, in)));
        RunResult r = machine.run(RunLimits.none().withMaxTimeNs(600_000_000_000L));
        long end = System.nanoTime() - start;
        boolean ok = r.outcome() == RunResult.Outcome.POWER_OFF && typist.promptNanos >= 0;
        return new Timing(typist.promptNanos / 1e9, end / 1e9, ok, r.message());
    }

    /** The QEMU command line the bench runs. */
    static List<String> qemuCommand(Path qemu, Path image) {
        // -nic none: QEMU's virt has a virtio NIC by default and U-Boot would try DHCP/TFTP; Brassboard has none.
        return List.of(qemu.toString(), "-M", "virt", "-cpu", "cortex-a15", "-m", "128M", "-bios", image.toString(),
                "-nographic", "-nic", "none");
    }

    /** QEMU: a new qemu-system-arm process fed through a pipe. */
    static Timing qemu(Path qemu, Path image) throws Exception {
        long start = System.nanoTime();
        Typist typist = new Typist(start);
        Process p = new ProcessBuilder(qemuCommand(qemu, image)).redirectErrorStream(true).start();
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
