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
 * process fed through a pipe, start-up included. With {@code --usb} the script is {@link #USB_SCRIPT}
 * instead, on a USB stick holding a {@value #USB_FILE_BYTES}-byte file ({@link UsbStick}), and each
 * command's time (prompt to prompt) is reported too.
 */
final class UbootBench {
    /** The commands, each typed when a prompt appears; the last ends the run. */
    static final List<String> SCRIPT = List.of("version", "bdinfo", "crc32 0x40000000 0x100000", "poweroff");
    /** The file {@link #USB_SCRIPT} loads, and its size: 16 MiB. */
    static final String USB_FILE = "BIG.BIN";
    static final int USB_FILE_BYTES = 16 << 20;
    /** The script of {@code --usb}: enumerate, load the file, check it. */
    static final List<String> USB_SCRIPT = List.of("usb start", "fatload usb 0 ${loadaddr} " + USB_FILE,
            "crc32 ${loadaddr} ${filesize}", "poweroff");
    static final String PROMPT = "=> ";
    /** The end of U-Boot's autoboot countdown line as it shows the first number. */
    private static final java.util.regex.Pattern AUTOBOOT = java.util.regex.Pattern.compile("autoboot: +\\d+ $");

    /**
     * Seconds to the prompt and to the end of the script; {@code ok} false if the script did not
     * finish; each command's seconds, from the prompt it was typed at to the next; the console output.
     */
    record Timing(double promptSeconds, double scriptSeconds, boolean ok, String note, List<Double> commandSeconds,
                  String output) {
        Timing(double promptSeconds, double scriptSeconds, boolean ok, String note) {
            this(promptSeconds, scriptSeconds, ok, note, List.of(), "");
        }
    }

    /** Watches the console for prompts and hands out the next command after each. */
    static final class Typist {
        private final ArrayDeque<String> commands;
        private final StringBuilder tail = new StringBuilder();
        private final long start;
        long promptNanos = -1;
        /** When each prompt appeared (nanoseconds since start). */
        final List<Long> prompts = new ArrayList<>();

        Typist(long start) {
            this(start, SCRIPT);
        }

        Typist(long start, List<String> script) {
            this(start, script, false);
        }

        /**
         * With {@code stopAutoboot}, a key (an empty line) is typed at U-Boot's countdown: the USB
         * bench must find USB not yet started, and qemu_arm's autoboot would start it (its boot
         * targets include USB).
         */
        Typist(long start, List<String> script, boolean stopAutoboot) {
            this.start = start;
            this.commands = new ArrayDeque<>(script);
            this.stopAutoboot = stopAutoboot;
        }

        private boolean stopAutoboot;

        /** Feeds one output byte; returns the line to type now, or null. */
        String output(int b) {
            tail.append((char) (b & 0xFF));
            if (tail.length() > 16) {
                tail.delete(0, tail.length() - 16);
            }
            if (stopAutoboot && AUTOBOOT.matcher(tail).find()) {
                stopAutoboot = false;
                tail.setLength(0);
                return "";
            }
            if (tail.length() >= PROMPT.length() && tail.substring(tail.length() - PROMPT.length()).equals(PROMPT)) {
                long now = System.nanoTime() - start;
                if (promptNanos < 0) {
                    promptNanos = now;
                }
                prompts.add(now);
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
        return brassboardCommand(image, List.of());
    }

    /** As {@link #brassboardCommand(Path)}, with {@code extra} arguments to {@code run} (such as {@code --usb SPEC}). */
    static List<String> brassboardCommand(Path image, List<String> extra) {
        List<String> command = jvmCommand();
        command.addAll(List.of("run", "--bios", image.toString(), "--input", "-"));
        command.addAll(extra);
        return command;
    }

    /**
     * The start of every bench's Brassboard command line: a new JVM like this one (same java, same
     * class path, the -XX/-X/-D options it was started with, so the launcher's class-data archive
     * too, and the export of {@code jdk.internal.misc} when this JVM has it, {@link
     * brassboard.arm.a32.RawPageAccess}) running {@link Main}; the subcommand and its arguments follow.
     */
    static List<String> jvmCommand() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:") || arg.startsWith("-Xlog") || arg.startsWith("-Xm") || arg.startsWith("-Xss") || arg.startsWith("-D")) {
                command.add(arg);
            }
        }
        if (brassboard.arm.a32.RawPageAccess.available()) {
            command.add(brassboard.arm.a32.RawPageAccess.JVM_OPTION); // as this JVM has it (the launcher's option or the jar's manifest)
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
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

    /** Brassboard running {@link #USB_SCRIPT} with {@code stick} as QEMU's usb-storage on its EHCI. */
    static Timing brassboardUsb(Path image, Path stick) throws Exception {
        return timeProcess(brassboardCommand(image, List.of("--usb", "storage,disk=" + stick)), USB_SCRIPT);
    }

    /** The QEMU command line of the USB bench: QEMU's usb-ehci and usb-storage on {@code stick}. */
    static List<String> qemuUsbCommand(Path qemu, Path image, Path stick) {
        List<String> command = new ArrayList<>(qemuCommand(qemu, image));
        command.addAll(List.of("-device", "usb-ehci", "-drive", "if=none,id=d0,format=raw,readonly=on,file=" + stick,
                "-device", "usb-storage,drive=d0"));
        return command;
    }

    /** QEMU running {@link #USB_SCRIPT}. */
    static Timing qemuUsb(Path qemu, Path image, Path stick) throws Exception {
        return timeProcess(qemuUsbCommand(qemu, image, stick), USB_SCRIPT);
    }

    /**
     * Starts {@code command}, types each line of the script into its standard input when a prompt
     * appears on its output, and times the first prompt and its exit (status 0 expected).
     */
    private static Timing timeProcess(List<String> command) throws Exception {
        return timeProcess(command, SCRIPT);
    }

    private static Timing timeProcess(List<String> command, List<String> script) throws Exception {
        long start = System.nanoTime();
        Typist typist = new Typist(start, script, script == USB_SCRIPT);
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean exited = type(p, typist::output, console);
        long end = System.nanoTime() - start;
        boolean ok = exited && p.exitValue() == 0 && typist.promptNanos >= 0;
        List<Double> commands = new ArrayList<>();
        for (int i = 1; i < typist.prompts.size(); i++) {
            commands.add((typist.prompts.get(i) - typist.prompts.get(i - 1)) / 1e9);
        }
        return new Timing(typist.promptNanos / 1e9, end / 1e9, ok, exited ? "exit status " + p.exitValue() : "did not exit",
                commands, console.toString(StandardCharsets.ISO_8859_1));
    }

    /**
     * Reads {@code p}'s console byte by byte (copying it to {@code console} when given), hands each byte
     * to {@code typist}, types each line it returns (with a carriage return, as a person presses Enter)
     * and waits up to 30 s for the process to exit once its output ends; kills it if it does not.
     *
     * @return whether the process exited by itself
     */
    static boolean type(Process p, java.util.function.IntFunction<String> typist, java.io.OutputStream console)
            throws InterruptedException {
        OutputStream stdin = p.getOutputStream();
        try (InputStream stdout = p.getInputStream()) {
            int b;
            while ((b = stdout.read()) >= 0) {
                if (console != null) {
                    console.write(b);
                }
                String line = typist.apply(b);
                if (line != null) {
                    stdin.write((line + "\r").getBytes(StandardCharsets.US_ASCII));
                    stdin.flush();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        boolean exited = p.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        return exited;
    }
}
