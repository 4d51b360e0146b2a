package brassboard.boards.thirdparty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.Console;
import brassboard.boards.api.KernelBoot;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
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
 * and 4 cores: up to {@code Run /init as init process}, the point where the kernel hands over to
 * Debian's busybox (Thumb-2 with hard-float VFP: the next step of the Linux issue).
 *
 * <p>QEMU runs as {@code -M virt,highmem=off}: with its default high memory map a kernel boot puts
 * the ECAM window above 4 GiB, where a 32-bit kernel without LPAE page tables cannot map it
 * ({@code pci-host-generic: probe ... failed with error -16}); Brassboard's map is the low one.
 *
 * <p>In the {@code thirdparty} group ({@code mvn -B verify -Pthirdparty}, as {@code .ci/run} runs it
 * after fetching); without the kernel or QEMU it is skipped, unless {@code CI} is set: then it fails.
 */
@Tag("thirdparty")
class LinuxTest {
    static final String COMMAND_LINE = "console=ttyAMA0";
    static final String INIT = "Run /init as init process";
    /** The kernel timestamp in front of each printk line. */
    private static final Pattern STAMP = Pattern.compile("^\\[ *\\d+\\.\\d+\\] ");

    /**
     * Lines that differ from QEMU's, and why. Each is left out of both sides of the comparison.
     */
    static final TreeMap<String, Pattern> DIFFERING = new TreeMap<>();

    static {
        // The unflattened device tree is allocated from memblock before this line: QEMU's tree has
        // nodes for devices Brassboard does not model (32 virtio-mmio transports, fw-cfg, PL061, gpio-keys, PMU).
        DIFFERING.put("memory reserved for the unflattened tree", Pattern.compile("^Memory: \\d+K/\\d+K available .*"));
        // No VFP yet (the Linux issue adds VFPv4 and NEON).
        DIFFERING.put("VFP", Pattern.compile("^VFP support v0\\.3: .*"));
        // QEMU's PL061 GPIO controller and the power key on it: not modelled.
        DIFFERING.put("PL061", Pattern.compile("^(pl061_gpio 9030000\\.pl061: .*|input: gpio-keys as .*)"));
        // QEMU's RTC starts at the host's time; Brassboard's at a fixed epoch (2026-01-01), for determinism.
        DIFFERING.put("RTC", Pattern.compile("^rtc-pl031 9010000\\.pl031: setting system clock to .*"));
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
        Path cache = Path.of("..", "firmware", "third-party", "cache");
        kernel = cache.resolve("vmlinuz-armmp");
        Path busybox = cache.resolve("busybox-armhf");
        if (!Files.isRegularFile(kernel) || !Files.isRegularFile(busybox)) {
            String message = "Debian's kernel and busybox are not fetched: run firmware/third-party/fetch-linux.sh";
            if (System.getenv("CI") != null) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        initrd = Files.write(dir.resolve("initrd.cpio"), Initramfs.build(Path.of("..", "firmware", "third-party", "linux", "initramfs.list")));
    }

    /** A Brassboard boot to the hand-over to /init: its console, and a digest of its whole trace. */
    record Boot(String console, String traceDigest, long instructions) {
    }

    static Boot brassboard(int cpus) throws Exception {
        MachineConfig config = MachineConfig.of(kernel).withCpus(cpus);
        CaptureSink out = new CaptureSink();
        Machine m = Machine.create(config, BoardOptions.none().withKernel(KernelBoot.plain().withInitrd(initrd).withAppend(COMMAND_LINE)),
                new Console(CharBackend.of(out, CharSource.none())));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        m.tracer().addSink(new TraceSink() {
            @Override
            public void accept(TraceEvent e) {
                sha.update(e.toTextLine().getBytes(StandardCharsets.UTF_8));
            }
        });
        var result = m.run(new RunLimits(20_000_000_000L, Long.MAX_VALUE, Optional.of(Pattern.compile(Pattern.quote(INIT) + "\\r?\\n"))));
        assertThat(out.text()).as("the kernel reached /init; the run ended: %s", result.message()).contains(INIT);
        return new Boot(out.text(), HexFormat.of().formatHex(sha.digest()), result.instructions());
    }

    /** QEMU's console for the same boot, up to the hand-over to /init (QEMU is stopped there). */
    static String qemu(int cpus) throws Exception {
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
        Process p = new ProcessBuilder(qemu.toString(), "-M", "virt,highmem=off", "-cpu", "cortex-a15", "-m", "128M", "-smp", Integer.toString(cpus),
                "-nographic", "-nic", "none", "-kernel", kernel.toAbsolutePath().toString(), "-initrd", initrd.toAbsolutePath().toString(),
                "-append", COMMAND_LINE).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] buf = new byte[4096];
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (log) {
                        log.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // QEMU went away
            }
        });
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        String text = "";
        while (System.nanoTime() < deadline) {
            synchronized (log) {
                text = log.toString(StandardCharsets.ISO_8859_1);
            }
            if (text.contains(INIT + "\r\n") || text.contains(INIT + "\n")) {
                break;
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        assertThat(text).as("QEMU reached /init within 240 s").contains(INIT);
        return text;
    }

    /** The kernel's lines without timestamps, from the banner to the hand-over to /init. */
    static List<String> lines(String console) {
        List<String> out = new ArrayList<>();
        boolean started = false;
        for (String raw : console.split("\r?\n")) {
            String l = STAMP.matcher(raw.replace("\r", "")).replaceFirst("");
            started |= l.startsWith("Booting Linux on physical CPU");
            if (started) {
                out.add(l);
            }
            if (l.equals(INIT)) {
                break;
            }
        }
        return out;
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
    void bootsToInitPrintingWhatQemuPrints(int cpus) throws Exception {
        List<String> ours = lines(brassboard(cpus).console());
        List<String> theirs = lines(qemu(cpus));
        assertThat(ours).as("our console").isNotEmpty().endsWith(INIT);
        assertThat(ordered(ours)).as("kernel log, in order, without the lines listed in DIFFERING").isEqualTo(ordered(theirs));
        assertThat(unordered(ours)).as("lines printed from other threads").isEqualTo(unordered(theirs));
        assertThat(ours).as("hw-breakpoint found CP14's debug registers")
                .contains("hw-breakpoint: found 5 (+1 reserved) breakpoint and 4 watchpoint registers.");
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
    void aStuckTimerLineIsReportedAsAHardLockup() throws Exception {
        Path map = Path.of("..", "firmware", "third-party", "cache", "System.map-armmp");
        brassboard.firmware.api.SymbolTable symbols = brassboard.firmware.api.SymbolTable.load(map);
        CaptureSink out = new CaptureSink();
        Machine m = Machine.create(MachineConfig.of(kernel),
                BoardOptions.none().withKernel(KernelBoot.plain().withInitrd(initrd).withAppend(COMMAND_LINE)),
                new Console(CharBackend.of(out, CharSource.none())));
        brassboard.boards.faults.FaultPlan.parse("""
                rules:
                  - point: irq.cpu0.timer.virt
                    when: { after: 2500ms }
                    action: stuck-high
                """, "stuck-timer.yaml").applyTo(m);
        List<String> lockups = new ArrayList<>();
        var detector = brassboard.boards.watch.LockupDetector.attach(m, brassboard.boards.watch.WatchdogOptions.defaults()
                .withHard(200_000_000L).withStopOnLockup(true), symbols, lockups::add);
        var result = m.run(new RunLimits(4_000_000_000L, Long.MAX_VALUE, Optional.empty()));
        assertThat(detector.reports()).as("console:\n%s", out.text()).isNotEmpty();
        var first = detector.reports().get(0);
        assertThat(first.kind()).isEqualTo(brassboard.boards.watch.LockupReport.Kind.HARD_LOCKUP);
        assertThat(first.cpus()).containsExactly(0);
        assertThat(first.timeNs()).isEqualTo(2_700_000_000L);
        assertThat(String.join("\n", lockups)).contains("hard lockup: cpu0 has had IRQs masked for 200.000000 ms (since 2.500000000 s)")
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
