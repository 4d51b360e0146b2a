package brassboard.boards.thirdparty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.Console;
import brassboard.boards.api.KernelBoot;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.testkit.BrassboardTest;
import brassboard.boards.testkit.TestMachine;
import brassboard.boards.testkit.TestMachineBuilder;
import brassboard.boards.watch.LockupReport;
import brassboard.boards.watch.WatchdogOptions;
import brassboard.bus.api.TraceEvent;
import brassboard.bus.api.TraceSink;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import brassboard.devices.uart.CaptureSink;
import brassboard.firmware.linux.Initramfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's own armmp kernel (fetched by {@code firmware/third-party/fetch-linux.sh}, never committed)
 * booted with {@code --kernel/--initrd/--append} on the {@code virt} board, its console compared line
 * by line with {@code qemu-system-arm} booting the same kernel, initramfs and command line, on 1, 2
 * and 4 cores: the kernel's log, then Debian's busybox (Thumb-2 code, hard-float VFPv3, NEON in
 * glibc's string functions) as /init and its shell running a script typed at its prompt, to
 * {@code poweroff -f}.
 *
 * <p>QEMU runs as {@code -M virt,highmem=off}: with its default high memory map a kernel boot puts
 * the ECAM window above 4 GiB, where a 32-bit kernel without LPAE page tables cannot map it
 * ({@code pci-host-generic: probe ... failed with error -16}); Brassboard's map is the low one.
 *
 * <p>In the {@code thirdparty} group ({@code mvn -B verify -Pthirdparty}, as {@code .ci/run} runs it
 * after fetching); without the kernel or QEMU it is skipped, unless {@code CI} is set: then it fails.
 */
@Tag("thirdparty")
@BrassboardTest
class LinuxTest {
    static final String COMMAND_LINE = "console=ttyAMA0";
    static final String INIT = "Run /init as init process";
    /**
     * Busybox ash's prompt as root in /: "/ # ", then (line editing) ESC [ 6 n, its cursor-position
     * query, which no terminal answers here.
     */
    static final Pattern PROMPT = Pattern.compile("# (\u001b\\[6n)?$");
    /**
     * Typed at the shell, each after a prompt. sha256sum runs busybox's own SHA-256 (and glibc's
     * NEON string functions) over the 1.2 MB binary: a wrong Thumb, VFP or NEON instruction on the
     * way would show as a wrong hash.
     */
    static final String SCRIPT = String.join("\n",
            "echo hello from busybox",
            "uname -a",
            "cat /proc/cpuinfo",
            "ls /",
            "mount",
            "sha256sum /bin/busybox",
            "seq 1 100 | awk '{ s += $1 } END { print s }'",
            "grep -c processor /proc/cpuinfo",
            "poweroff -f",
            "");
    /** What the kernel prints when busybox's poweroff -f reaches it. */
    static final String POWER_DOWN = "reboot: Power down";
    /** The kernel timestamp in front of each printk line. */
    static final Pattern STAMP = Pattern.compile("^\\[ *\\d+\\.\\d+\\] ");

    /**
     * Lines that differ from QEMU's, and why. Each is left out of both sides of the comparison.
     */
    static final TreeMap<String, Pattern> DIFFERING = new TreeMap<>();

    static {
        // The unflattened device tree is allocated from memblock before this line: QEMU's tree has
        // nodes for devices Brassboard does not model (32 virtio-mmio transports, fw-cfg, PL061, gpio-keys, PMU).
        DIFFERING.put("memory reserved for the unflattened tree", Pattern.compile("^Memory: \\d+K/\\d+K available .*"));
        // The initramfs's tmpfs is sized at half the memory free when it is mounted: 8 KiB more here,
        // for the same reason (QEMU's bigger tree).
        DIFFERING.put("rootfs size", Pattern.compile("^rootfs on / type rootfs \\(rw,size=\\d+k,nr_inodes=\\d+\\)$"));
        // QEMU's PL061 GPIO controller and the power key on it: not modelled.
        DIFFERING.put("PL061", Pattern.compile("^(pl061_gpio 9030000\\.pl061: .*|input: gpio-keys as .*)"));
        // QEMU's RTC starts at the host's time; Brassboard's at a fixed epoch (2026-01-01), for determinism.
        DIFFERING.put("RTC", Pattern.compile("^rtc-pl031 9010000\\.pl031: setting system clock to .*"));
        // Printed when one hrtimer interrupt took long in the guest's clock: under QEMU that clock is the host's, so a
        // loaded host makes QEMU print it now and then (seen once in CI with -smp 4); in virtual time it does not happen.
        DIFFERING.put("slow hrtimer interrupt on a loaded host", Pattern.compile("^hrtimer: interrupt took \\d+ ns$"));
    }

    /**
     * Lines printed from other threads (kauditd, the initramfs unpacking work) whose place among the
     * others depends on scheduling, which on QEMU follows host time: compared as a set, not in order.
     */
    static final Pattern UNORDERED = Pattern.compile("^(audit: type=2000 audit\\(\\d+\\.\\d+:\\d+\\): .*|Freeing initrd memory: \\d+K|Trying to unpack rootfs image as initramfs\\.\\.\\.)$");

    static Path kernel;
    static Path initrd;

    @BeforeAll
    static void images(@TempDir Path dir) throws Exception {
        kernel = fetchedOrSkip("vmlinuz-armmp", "busybox-armhf");
        initrd = Files.write(dir.resolve("initrd.cpio"), Initramfs.build(Path.of("..", "firmware", "third-party", "linux", "initramfs.list")));
    }

    /**
     * The first of {@code files} in fetch-linux.sh's cache, when all of them are there; when one is
     * missing the test is skipped, or fails if {@code CI} is set.
     */
    static Path fetchedOrSkip(String... files) {
        Path cache = Path.of("..", "firmware", "third-party", "cache");
        for (String f : files) {
            if (!Files.isRegularFile(cache.resolve(f))) {
                String message = "Debian's kernel, modules and busybox are not fetched (no " + f + "): run firmware/third-party/fetch-linux.sh";
                if (System.getenv("CI") != null) {
                    fail(message);
                }
                Assumptions.abort(message);
            }
        }
        return cache.resolve(files[0]);
    }

    /** qemu-system-arm from PATH; when it is not there the test is skipped, or fails if {@code CI} is set. */
    static Path qemuOrSkip() {
        Path qemu = null;
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "qemu-system-arm"))) {
                qemu = Path.of(d, "qemu-system-arm");
            }
        }
        if (qemu == null) {
            if (System.getenv("CI") != null) {
                fail("qemu-system-arm is not installed: .ci/run must install it");
            }
            Assumptions.abort("qemu-system-arm is not installed");
        }
        return qemu;
    }

    /** A Brassboard boot through the shell script to power-off: its console, and a digest of its whole trace. */
    record Boot(String console, String traceDigest, long instructions) {
    }

    static Boot brassboard(int cpus) throws Exception {
        MachineConfig config = MachineConfig.of(kernel).withCpus(cpus);
        CaptureSink out = new CaptureSink();
        brassboard.devices.uart.PromptPacedInput input = brassboard.devices.uart.PromptPacedInput.of(SCRIPT, PROMPT);
        Console console = new Console(CharBackend.of(out, input));
        console.addListener(input);
        Machine m = Machine.create(config, BoardOptions.none().withKernel(KernelBoot.plain().withInitrd(initrd).withAppend(COMMAND_LINE)),
                console);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        m.tracer().addSink(new TraceSink() {
            @Override
            public void accept(TraceEvent e) {
                sha.update(e.toTextLine().getBytes(StandardCharsets.UTF_8));
            }
        });
        var result = m.run(new RunLimits(60_000_000_000L, Long.MAX_VALUE, Optional.empty()));
        assertThat(out.text()).as("the shell ran the script and powered off; the run ended: %s", result.message()).contains(POWER_DOWN);
        assertThat(result.message()).contains("SYSTEM_OFF");
        assertThat(input.linesLeft()).isZero();
        return new Boot(out.text(), HexFormat.of().formatHex(sha.digest()), result.instructions());
    }

    /**
     * QEMU's console for the same boot and script. QEMU runs in host time, so each script line goes a
     * character at a time once the previous one has been echoed (as UbootTest types), each line
     * after a prompt; the run ends when the guest powers off and QEMU exits.
     */
    static String qemu(int cpus) throws Exception {
        Path qemu = qemuOrSkip();
        Process p = new ProcessBuilder(qemu.toString(), "-M", "virt,highmem=off", "-cpu", "cortex-a15", "-m", "128M", "-smp", Integer.toString(cpus),
                "-nographic", "-nic", "none", "-kernel", kernel.toAbsolutePath().toString(), "-initrd", initrd.toAbsolutePath().toString(),
                "-append", COMMAND_LINE).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.util.concurrent.BlockingQueue<Integer> bytes = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                for (int b; (b = in.read()) >= 0; ) {
                    bytes.add(b);
                }
            } catch (IOException e) {
                // QEMU went away
            }
            bytes.add(-1);
        });
        reader.setDaemon(true);
        reader.start();
        brassboard.devices.uart.PromptPacedInput input = brassboard.devices.uart.PromptPacedInput.of(SCRIPT, PROMPT);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        try (java.io.OutputStream to = p.getOutputStream()) {
            boolean ended = false;
            while (!ended) {
                Integer b = bytes.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (b == null || b < 0) {
                    break;
                }
                log.write(b);
                input.accept(b);
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                for (int c; (c = input.poll()) >= 0; ) {
                    line.write(c);
                }
                for (byte c : line.toByteArray()) {
                    to.write(c);
                    to.flush();
                    boolean echoed = false;
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!echoed) {
                        Integer e = bytes.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                        if (e == null || e < 0) {
                            ended = e != null;
                            break;
                        }
                        log.write(e);
                        input.accept(e);
                        echoed = e == (c == '\n' ? '\r' : c & 0xFF) || (c == '\n' && e == '\n');
                    }
                }
            }
        } catch (IOException e) {
            // QEMU exited while we typed (poweroff)
        }
        boolean exited = p.waitFor(20, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        String text = log.toString(StandardCharsets.ISO_8859_1);
        assertThat(text).as("QEMU ran the script to power-off").contains(POWER_DOWN);
        return text;
    }

    /**
     * The console from the kernel's banner to the power-down, without timestamps and without the
     * shell's cursor-position queries; {@code \r} dropped.
     */
    static List<String> lines(String console) {
        List<String> out = new ArrayList<>();
        boolean started = false;
        for (String raw : console.replace("\u001b[6n", "").split("\r?\n")) {
            String l = STAMP.matcher(raw.replace("\r", "")).replaceFirst("");
            started |= l.startsWith("Booting Linux on physical CPU");
            if (started) {
                out.add(l);
            }
            if (l.equals(POWER_DOWN)) {
                break;
            }
        }
        return out;
    }

    /** The lines up to the kernel's hand-over to /init. */
    static List<String> kernelPart(List<String> lines) {
        int i = lines.indexOf(INIT);
        assertThat(i).as("the console has '%s'", INIT).isNotNegative();
        return lines.subList(0, i + 1);
    }

    /** The lines after the hand-over to /init: busybox's, the shell's and the commands'. */
    static List<String> shellPart(List<String> lines) {
        return lines.subList(lines.indexOf(INIT) + 1, lines.size());
    }

    static List<String> ordered(List<String> lines) {
        return lines.stream().filter(l -> DIFFERING.values().stream().noneMatch(p -> p.matcher(l).matches()))
                .filter(l -> !UNORDERED.matcher(l).matches()).toList();
    }

    static List<String> unordered(List<String> lines) {
        return lines.stream().filter(l -> UNORDERED.matcher(l).matches())
                .map(l -> l.replaceAll("audit\\(\\d+\\.\\d+:", "audit(T:")).sorted().toList();
    }

    @ParameterizedTest(name = "{0} core(s)")
    @ValueSource(ints = {1, 2, 4})
    void bootsToABusyboxShellPrintingWhatQemuPrints(int cpus) throws Exception {
        List<String> ours = lines(brassboard(cpus).console());
        List<String> theirs = lines(qemu(cpus));
        assertThat(ordered(kernelPart(ours))).as("kernel log to /init, in order, without the lines listed in DIFFERING")
                .isEqualTo(ordered(kernelPart(theirs)));
        assertThat(unordered(kernelPart(ours))).as("lines printed from other threads").isEqualTo(unordered(kernelPart(theirs)));
        assertThat(ordered(shellPart(ours))).as("busybox's shell and the script's output").isEqualTo(ordered(shellPart(theirs)));
        assertThat(ours).contains("hw-breakpoint: found 5 (+1 reserved) breakpoint and 4 watchpoint registers.")
                .contains("VFP support v0.3: implementor 41 architecture 4 part 30 variant f rev 0")
                .contains("hello from busybox", "5050", Integer.toString(cpus))
                .anyMatch(l -> l.startsWith("Features\t: half thumb fastmult vfp edsp thumbee neon vfpv3 tls vfpv4 idiva idivt vfpd32 lpae"))
                .anyMatch(l -> l.matches("[0-9a-f]{64}  /bin/busybox"));
    }

    /**
     * The toolkit on a real kernel: with Debian's System.map and the {@code linux} profile, the boot's
     * Perfetto trace has the bottom halves and the IRQ entry/exit as spans, the report names the arch
     * timer's latency, and the lockup detectors stay silent on a healthy boot.
     */
    @Test
    void spansTheReportAndSilentDetectorsOnAHealthyBoot() throws Exception {
        Path map = Path.of("..", "firmware", "third-party", "cache", "System.map-armmp");
        brassboard.firmware.api.SymbolTable symbols = brassboard.firmware.api.SymbolTable.load(map);
        MachineConfig config = MachineConfig.of(kernel);
        CaptureSink out = new CaptureSink();
        Machine m = Machine.create(config, BoardOptions.none().withKernel(KernelBoot.plain().withInitrd(initrd).withAppend(COMMAND_LINE)),
                new Console(CharBackend.of(out, CharSource.none())));
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        List<String> warnings = new ArrayList<>();
        var observation = brassboard.boards.trace.Observation.attach(m, symbols,
                brassboard.boards.trace.SpanProfiles.names("linux").orElseThrow(), json, true, warnings::add);
        List<String> lockups = new ArrayList<>();
        brassboard.boards.watch.LockupDetector.attach(m, brassboard.boards.watch.WatchdogOptions.defaults()
                .withSchedulerSymbols(brassboard.boards.trace.SpanProfiles.schedulers("linux")), symbols, lockups::add);
        m.run(new RunLimits(20_000_000_000L, Long.MAX_VALUE, Optional.of(Pattern.compile(Pattern.quote(INIT) + "\\r?\\n"))));
        observation.finish();
        assertThat(out.text()).contains(INIT);
        assertThat(warnings).as("every function of the linux profile is in Debian's System.map").isEmpty();
        String trace = json.toString(StandardCharsets.UTF_8);
        for (String span : List.of("handle_softirqs", "tasklet_action", "process_one_work", "irq_enter", "irq_exit",
                "gic_handle_irq", "run_timer_softirq", "hrtimer_interrupt", "__schedule")) {
            assertThat(trace).as("a %s span", span).contains("\"name\":\"" + span + "\"");
        }
        String report = observation.report().orElseThrow().toText(symbols);
        assertThat(report).contains("INTID 27 cpu0.timer.virt:").contains("bottom-half deferral (irq entry to process_one_work)");
        assertThat(lockups).as("lockup reports on a healthy boot").isEmpty();
    }

    /**
     * A fault plan holds cpu0's virtual-timer line high from 2.5 s, in the middle of the kernel's
     * initcalls: the timer's interrupt storms, cpu0 never leaves the IRQ path, and the hard-lockup
     * detector (threshold 200 ms here) names the CPU, how long, and the code it is stuck in.
     */
    @Test
    void aStuckTimerLineIsReportedAsAHardLockup(TestMachineBuilder board) {
        TestMachine m = board.kernel(kernel).initrd(initrd).append(COMMAND_LINE).consoleInput(false)
                .symbols(Path.of("..", "firmware", "third-party", "cache", "System.map-armmp"))
                .faults("""
                        rules:
                          - point: irq.cpu0.timer.virt
                            when: { after: 2500ms }
                            action: stuck-high
                        """)
                .watchdog(WatchdogOptions.defaults().withHard(200_000_000L).withStopOnLockup(true)).build();
        RunResult result = m.runToEnd(Duration.ofSeconds(4));
        assertThat(m.lockups()).as("console:\n%s", m.console().transcript()).isNotEmpty();
        LockupReport first = m.lockups().get(0);
        assertThat(first.kind()).isEqualTo(LockupReport.Kind.HARD_LOCKUP);
        assertThat(first.cpus()).containsExactly(0);
        assertThat(first.timeNs()).isEqualTo(2_700_000_000L);
        assertThat(first.text()).contains("hard lockup: cpu0 has had IRQs masked for 200.000000 ms (since 2.500000000 s)")
                .containsPattern("now at pc 0x[0-9a-f]{8} <[a-z_]+irq[a-z_]*\\+0x[0-9a-f]+>");
        assertThat(result.message()).contains("lockup");
    }

    @Test
    void twoBootsGiveTheSameConsoleAndTrace() throws Exception {
        Boot a = brassboard(2);
        Boot b = brassboard(2);
        assertThat(b.console()).isEqualTo(a.console());
        assertThat(b.instructions()).isEqualTo(a.instructions());
        assertThat(b.traceDigest()).isEqualTo(a.traceDigest());
    }
}
