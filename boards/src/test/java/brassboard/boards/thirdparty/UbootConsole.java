package brassboard.boards.thirdparty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import brassboard.boards.api.Machine;
import brassboard.boards.api.RunResult;
import brassboard.boards.testkit.TestMachine;
import brassboard.boards.testkit.TestMachineBuilder;
import brassboard.devices.uart.PromptPacedInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's U-Boot for {@code qemu_arm} driven through its console, on Brassboard (through the test
 * API: each line typed once the prompt shows) and under {@code qemu-system-arm} (the same script
 * paced by {@link PromptPacedInput}), and the two transcripts compared line by line: what
 * {@link UbootTest}, {@link UbootUsbTest}, {@link UbootPciTest} and {@link UbootFitTest} share.
 */
final class UbootConsole {
    /** U-Boot's prompt, or its autoboot countdown (stopped by the key the script sends there). */
    static final Pattern PROMPT = Pattern.compile("(=> |Hit any key to stop autoboot: +\\d+ )$");

    /**
     * Lines every comparison leaves out, on both sides, with why:
     * <ul>
     * <li>{@code Core: N devices, M uclasses}: QEMU's device tree has more nodes (32 virtio-mmio
     *     transports, fw-cfg, the PCIe host's interrupt map, …) than the one Brassboard generates for
     *     the devices it has, so U-Boot binds more devices (47 against 13).</li>
     * </ul>
     * (The autoboot countdown is compared without its trailing space: see {@link UbootTest#DIFFERING}.)
     */
    static final List<Pattern> ALWAYS_DIFFERING = List.of(
            Pattern.compile("^Core: +\\d+ devices, \\d+ uclasses, devicetree: board$"));

    private UbootConsole() {
    }

    /** A run's console output and how it ended. */
    record Session(String output, RunResult result) {
        List<String> lines() {
            return lines(output);
        }

        static List<String> lines(String text) {
            return Arrays.asList(text.replace("\r", "").split("\n", -1));
        }
    }

    static Path uboot() {
        Path p = Path.of("..", "firmware", "third-party", "cache", "u-boot.bin");
        if (!Files.isRegularFile(p)) {
            String message = p.toAbsolutePath().normalize() + " is missing: run `bash firmware/third-party/fetch.sh` first";
            if (System.getenv("CI") != null) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        return p;
    }

    /** The most virtual time a script may take on Brassboard, from power-on to the end of the run. */
    static final Duration BUDGET = Duration.ofSeconds(10);

    /** Runs U-Boot on Brassboard, on the board {@code board} finishes, typing {@code script} at its prompts ({@link #type}). */
    static Session brassboard(String script, Consumer<TestMachineBuilder> board) {
        return brassboard(script, board, m -> { });
    }

    /** The same, with {@code plug} adding devices to the built machine (PCIe endpoints) before the run. */
    static Session brassboard(String script, Consumer<TestMachineBuilder> board, Consumer<Machine> plug) {
        TestMachineBuilder b = TestMachine.builder().bios(uboot());
        board.accept(b);
        try (TestMachine m = b.build()) {
            plug.accept(m.machine());
            RunResult r = type(m, script);
            return new Session(m.console().transcript(), r);
        }
    }

    /**
     * Types {@code script} a line at a time, each once U-Boot shows its prompt or autoboot countdown
     * ({@link #PROMPT}), as a person who waits for it; then ends the input and runs to the end. A few
     * seconds of virtual time are plenty: a script stuck longer than {@link #BUDGET} fails, quoting the
     * console.
     */
    static RunResult type(TestMachine m, String script) {
        long end = m.now() + BUDGET.toNanos();
        for (String line : script.split("(?<=\n)")) {
            if (!line.isEmpty()) {
                m.console().expect(PROMPT, Duration.ofNanos(Math.max(0, end - m.now())));
                m.console().send(line);
            }
        }
        m.console().endInput();
        return m.runToEnd(Duration.ofNanos(Math.max(0, end - m.now())));
    }

    static Path qemuOrSkip() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "qemu-system-arm");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message = "qemu-system-arm is not installed (Debian: apt-get install qemu-system-arm)";
        if (System.getenv("CI") != null) {
            fail(message);
        }
        Assumptions.abort(message);
        return null;
    }

    /**
     * Runs the same U-Boot under QEMU ({@code -M virt -cpu cortex-a15 -m 128M -bios u-boot.bin
     * -nographic -nic none}, then {@code extraArgs}) with its serial console on a pipe, paced by the
     * same {@link PromptPacedInput}. QEMU runs in host time, so a line goes a character at a time, each
     * once the previous one has been echoed, as a typist who watches the screen: U-Boot on QEMU
     * sometimes polls for Ctrl-C right after printing its prompt (after a failed {@code saveenv}, say)
     * and eats a character that is waiting; one not echoed within three seconds is typed again (one
     * second was too short on a loaded machine: a slow echo got a character typed twice).
     */
    static String qemu(Path qemu, String script, List<String> extraArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(qemu.toString(), "-M", "virt", "-cpu", "cortex-a15", "-m", "128M",
                "-smp", "1", "-bios", uboot().toAbsolutePath().toString(), "-nographic", "-nic", "none"));
        command.addAll(extraArgs);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BlockingQueue<Integer> bytes = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (InputStream from = p.getInputStream()) {
                for (int b; (b = from.read()) >= 0; ) {
                    bytes.add(b);
                }
            } catch (IOException e) {
                // the process went away: end of output
            }
            bytes.add(-1);
        });
        reader.setDaemon(true);
        reader.start();
        PromptPacedInput input = PromptPacedInput.of(script, PROMPT);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (OutputStream to = p.getOutputStream()) {
            boolean ended = false;
            while (!ended) {
                Integer b = bytes.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (b == null || b < 0) {
                    ended = true;
                    break;
                }
                log.write(b);
                input.accept(b);
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                for (int c; (c = input.poll()) >= 0; ) {
                    line.write(c);
                }
                for (byte c : line.toByteArray()) {
                    boolean echoed = false;
                    for (int attempt = 0; attempt < 5 && !echoed && !ended; attempt++) {
                        to.write(c);
                        to.flush();
                        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                        while (!echoed) {
                            Integer e = bytes.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
                            if (e == null) {
                                break; // eaten: type it again
                            }
                            if (e < 0) {
                                ended = true;
                                break;
                            }
                            log.write(e);
                            input.accept(e);
                            echoed = e == (c & 0xFF);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // QEMU exited while we typed (poweroff): what it printed is in the log
        }
        boolean exited = p.waitFor(10, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        String text = log.toString(StandardCharsets.ISO_8859_1);
        assertThat(exited).as("QEMU did not exit; output:\n%s", text).isTrue();
        assertThat(input.linesLeft()).as("QEMU: script lines never sent; output:\n%s", text).isZero();
        assertThat(p.exitValue()).as("QEMU's exit status; output:\n%s", text).isZero();
        return text;
    }

    /** The lines of {@code lines} before the first that equals {@code marker}. */
    static List<String> upTo(List<String> lines, String marker) {
        int i = lines.indexOf(marker);
        assertThat(i).as("no line '%s' in:\n%s", marker, String.join("\n", lines)).isNotNegative();
        return lines.subList(0, i);
    }

    /** Brassboard's lines against QEMU's, each side without the lines {@code differing} matches. */
    static void assertSameLines(List<String> ours, List<String> theirs, List<Pattern> differing, String what) {
        List<String> a = comparable(ours, differing);
        List<String> b = comparable(theirs, differing);
        assertThat(String.join("\n", a)).as("%s: Brassboard (actual) against QEMU (expected)", what)
                .isEqualTo(String.join("\n", b));
    }

    /** The lines from U-Boot's banner on, without those {@code differing} lists. */
    static List<String> comparable(List<String> lines, List<Pattern> differing) {
        List<String> out = new ArrayList<>();
        boolean started = false;
        for (String l : lines) {
            started |= l.startsWith("U-Boot ");
            if (started && differing.stream().noneMatch(p -> p.matcher(l).matches())) {
                out.add(l.startsWith("Hit any key to stop autoboot:") ? l.stripTrailing() : l);
            }
        }
        // Trailing blank lines (what QEMU prints as it exits) do not count.
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }
}
