package brassboard.cli;

import brassboard.arm.a32.RawPageAccess;
import brassboard.boards.bench.BenchFailure;
import brassboard.boards.bench.GuestLoop;
import brassboard.boards.bench.LoopBench;
import brassboard.boards.bench.LoopRun;
import brassboard.boards.bench.LoopRunner;
import brassboard.boards.bench.MachineLoopRunner;
import brassboard.boards.bench.QemuLoopRunner;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.conformance.QemuUser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brassboard bench}: the guest hot loops' speed in MIPS, optionally beside Debian's qemu-arm. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Time guest hot loops on Brassboard's virt machine (the whole machine: CPU, bus, scheduler) and print a "
                    + "table of MIPS, million guest instructions per wall-clock second, one row per loop.",
            "Each loop is warmed up (about 1 s), then timed for one run of about 2 s. With --vs-qemu the same loops also "
                    + "run as static ARM Linux executables under Debian's qemu-arm (-cpu cortex-a15), timed for at least "
                    + "1 s with its start-up subtracted, and the table shows both speeds and Brassboard's as a fraction of QEMU's.",
            "Loops: alu (data processing, shifted operands), mem (ldr/str/ldrb/strh), cond (conditional execution), "
                    + "branch (data-dependent branches), mul (mul/mla/umull/smull/umlal), memcpy (1 KiB ldm/stm copy), "
                    + "crc32 (bytewise CRC-32, lsrs/eorcs). The same loops are the JMH benchmarks in bench/."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every loop ran (--uboot: every run reached the prompt and powered off; --coremark: every run's CRCs were right)",
            "1:a loop did not run as it must (wrong instruction count, qemu-arm failed; --coremark: a wrong CRC, a failed build), or an internal error",
            "2:usage error, or qemu-arm is not installed (--vs-qemu; --coremark: not a CoreMark tree, no arm-none-eabi-gcc)"})
final class BenchCommand implements Callable<Integer> {
    /** Warm-up before each of Brassboard's measured runs. */
    static final long WARMUP_NANOS = 1_000_000_000L;
    /** Warm-up (only sizing: each qemu-arm run is a new process) before each of qemu-arm's measured runs. */
    static final long QEMU_WARMUP_NANOS = 300_000_000L;
    /** A measured run's length unless --seconds says otherwise. */
    static final double DEFAULT_SECONDS = 2.0;
    /** The shortest sized qemu-arm run: start-up is subtracted, so the run itself must dwarf its noise. */
    static final double QEMU_MIN_SECONDS = 1.0;

    @Spec
    CommandSpec spec;

    @Option(names = "--loops", paramLabel = "NAME,...", split = ",",
            description = "Only these loops, in this order (default: all: alu, mem, cond, branch, mul, memcpy, crc32).")
    List<String> loopNames;

    @Option(names = "--seconds", paramLabel = "N",
            description = "Time each measured run for about N seconds (default: " + DEFAULT_SECONDS + "; qemu-arm at least "
                    + QEMU_MIN_SECONDS + ").")
    Double seconds;

    @Option(names = "--iterations", paramLabel = "N", converter = Units.CountConverter.class,
            description = "Run each loop's body exactly N times in the measured run, on both sides (instead of --seconds); with --coremark,"
                    + " CoreMark's iterations (default " + COREMARK_ITERATIONS + ", at most " + CoremarkBuild.MAX_ITERATIONS + ").")
    Long iterations;

    @Option(names = "--vs-qemu", description = "Also run the loops under qemu-arm and compare.")
    boolean vsQemu;

    @Option(names = "--qemu", paramLabel = "FILE", description = "The qemu-arm executable, with --vs-qemu (default: qemu-arm on the PATH).")
    Path qemu;

    @Option(names = "--uboot", paramLabel = "FILE",
            description = {"Instead of the loops: boot FILE (Debian's U-Boot for qemu_arm, as --bios) and time, wall clock, the start to",
                "the first '=>' prompt (no input: the 2 s autoboot countdown runs out) and to the end of a fixed script typed after",
                "each prompt: " + "version; bdinfo; crc32 0x40000000 0x100000; poweroff. With --vs-qemu also under",
                "qemu-system-arm -M virt -cpu cortex-a15 -m 128M -bios FILE -nographic -nic none (--qemu names it)."})
    Path uboot;

    @Option(names = "--usb",
            description = {"With --uboot: the script is instead usb start; fatload usb 0 ${loadaddr} BIG.BIN; crc32 ${loadaddr} ${filesize};",
                "poweroff, with a USB stick (QEMU's usb-ehci + usb-storage; Brassboard's --usb storage,disk=) holding a 16 MiB",
                "file on FAT16, made with Debian's mkfs.vfat and mcopy; the autoboot countdown is stopped by a key (autoboot would",
                "start USB itself), and each command's time is printed too."})
    boolean usb;

    @Option(names = "--linux", paramLabel = "KERNEL",
            description = {"Instead of the loops: boot KERNEL (Debian's armmp zImage) with --initrd and time, wall clock, the start to",
                "'Run /init as init process' and to the end of a fixed script typed at busybox's prompt: "
                        + "echo bench; cat /proc/cpuinfo > /dev/null; ls -l /bin > /dev/null; poweroff -f.",
                "With --vs-qemu also under qemu-system-arm -M virt,highmem=off -cpu cortex-a15 -m 128M -nic none -kernel ... (--qemu names it)."})
    Path linux;

    @Option(names = "--initrd", paramLabel = "FILE", description = "With --linux: the initramfs (busybox as /init's shell; see firmware/third-party/linux).")
    Path initrd;

    @Option(names = "--coremark", paramLabel = "DIR",
            description = {"Instead of the loops: build Brassboard's own CoreMark port (firmware/coremark/) against EEMBC's CoreMark",
                "sources in DIR (e.g. ../shared/third-party/coremark) with arm-none-eabi-gcc, run it on Brassboard and, with --vs-qemu,",
                "on qemu-system-arm -M virt -cpu cortex-a15 -semihosting -kernel, each a new process, and time, wall clock, the part",
                "CoreMark times (start-up and exit left out). CoreMark's CRCs must be right, or the bench fails. --iterations N",
                "(default " + COREMARK_ITERATIONS + "), --runs N, --thumb (T32 code), --build-dir DIR (default: "
                        + "$XDG_CACHE_HOME or ~/.cache, brassboard/coremark)."})
    Path coremark;

    @Option(names = "--thumb", description = "With --coremark: compile CoreMark as Thumb-2 (T32) instead of A32.")
    boolean thumb;

    @Option(names = "--build-dir", paramLabel = "DIR", description = "With --coremark: where built images are kept, one directory per build.")
    Path buildDir;

    @Option(names = "--cc", paramLabel = "FILE", description = "With --coremark: the compiler (default: arm-none-eabi-gcc on the PATH).")
    Path cc;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "1",
            description = "With --uboot, --linux or --coremark: time N runs of each and print each (default: ${DEFAULT-VALUE}).")
    int runs;

    /** Brassboard's timing source (tests put a fake here). */
    LoopRunner brassboard = new MachineLoopRunner();
    /** qemu-arm's timing source for an executable (tests put a fake here). */
    Function<QemuUser, LoopRunner> qemuRunner = QemuLoopRunner::new;

    /** CoreMark's iterations unless --iterations says otherwise. */
    static final long COREMARK_ITERATIONS = 2000;

    @Override
    public Integer call() {
        if (coremark != null) {
            return coremarkBench();
        }
        if (thumb || buildDir != null || cc != null) {
            throw new Main.UsageError((thumb ? "--thumb" : buildDir != null ? "--build-dir" : "--cc") + ": only used with --coremark DIR");
        }
        if (uboot != null) {
            return usb ? ubootUsbBench() : ubootBench();
        }
        if (usb) {
            throw new Main.UsageError("--usb applies to --uboot FILE: it times U-Boot loading a file from a USB stick");
        }
        if (linux != null) {
            return linuxBench();
        }
        if (initrd != null) {
            throw new Main.UsageError("--initrd " + initrd + ": only used with --linux");
        }
        List<GuestLoop> loops = loops();
        if (seconds != null && iterations != null) {
            throw new Main.UsageError("--seconds and --iterations cannot be used together: pick one");
        }
        if (seconds != null && !(seconds > 0 && seconds <= 3600)) {
            throw new Main.UsageError("--seconds " + seconds + ": expected a number of seconds above 0, at most 3600");
        }
        if (iterations != null && (iterations < 1 || iterations > GuestLoop.MAX_ITERATIONS)) {
            throw new Main.UsageError("--iterations " + iterations + ": expected 1 to " + GuestLoop.MAX_ITERATIONS);
        }
        if (qemu != null && !vsQemu) {
            throw new Main.UsageError("--qemu " + qemu + ": only used with --vs-qemu");
        }
        Optional<Path> exe = Optional.empty();
        if (vsQemu) {
            exe = qemu == null ? QemuUser.findOnPath() : Optional.of(qemu).filter(p -> Files.isRegularFile(p) && Files.isExecutable(p));
            if (exe.isEmpty()) {
                throw new Main.UsageError(QemuUser.NOT_FOUND + (qemu == null ? "" : " (--qemu " + qemu + " is not an executable file)"));
            }
        }
        double target = seconds == null ? DEFAULT_SECONDS : seconds;
        LoopBench.Plan ours = iterations != null ? LoopBench.Plan.fixed(iterations, WARMUP_NANOS)
                : LoopBench.Plan.timed(nanos(target), WARMUP_NANOS);
        LoopBench.Plan theirs = iterations != null ? LoopBench.Plan.fixed(iterations, QEMU_WARMUP_NANOS)
                : LoopBench.Plan.timed(nanos(Math.max(QEMU_MIN_SECONDS, target)), QEMU_WARMUP_NANOS);
        LoopRunner qemuSide = exe.map(p -> qemuRunner.apply(new QemuUser(p, 600_000))).orElse(null);

        PrintWriter out = spec.commandLine().getOut();
        out.println(header(exe));
        out.println(vsQemu ? String.format(Locale.ROOT, "%-8s %16s %14s %16s", "loop", "brassboard MIPS", "qemu-arm MIPS", "brassboard/qemu")
                : String.format(Locale.ROOT, "%-8s %16s", "loop", "brassboard MIPS"));
        out.flush();
        try {
            for (GuestLoop loop : loops) {
                LoopRun mine = LoopBench.measure(brassboard, loop, ours);
                if (qemuSide == null) {
                    out.println(row(loop, mine.mips()));
                } else {
                    LoopRun qemuRun = LoopBench.measure(qemuSide, loop, theirs);
                    out.println(row(loop, mine.mips(), qemuRun.mips()));
                }
                out.flush();
            }
        } catch (BenchFailure e) {
            spec.commandLine().getErr().println("brassboard: " + Main.oneLine(e.getMessage()));
            return Main.EXIT_INTERNAL;
        }
        out.println("MIPS: million guest instructions per wall-clock second, one run per loop after " + WARMUP_NANOS / 1_000_000_000
                + " s of warm-up, " + (iterations != null ? iterations + " iterations" : "about " + fmtSeconds(target) + " s")
                + (vsQemu ? "; qemu-arm: start-up (a 1-iteration run) subtracted" : ""));
        out.flush();
        return 0;
    }

    /** {@code --coremark DIR}: build, then time CoreMark on Brassboard and optionally QEMU, checking its CRCs. */
    private int coremarkBench() {
        if (uboot != null || linux != null || usb || initrd != null || loopNames != null || seconds != null) {
            throw new Main.UsageError("--coremark cannot be combined with --uboot, --linux, --usb, --initrd, --loops or --seconds");
        }
        CoremarkBuild.notATree(coremark).ifPresent(why -> {
            throw new Main.UsageError("--coremark " + why);
        });
        long n = iterations == null ? COREMARK_ITERATIONS : iterations;
        if (n < 1 || n > CoremarkBuild.MAX_ITERATIONS) {
            throw new Main.UsageError("--iterations " + n + ": expected 1 to " + CoremarkBuild.MAX_ITERATIONS + " with --coremark");
        }
        if (runs < 1 || runs > 100) {
            throw new Main.UsageError("--runs " + runs + ": expected 1 to 100");
        }
        Path compiler = CoremarkBuild.compiler(cc).orElseThrow(() -> new Main.UsageError("--coremark: "
                + (cc == null ? CoremarkBuild.COMPILER_MISSING : "--cc " + cc + " is not an executable file")));
        Optional<Path> exe = qemuSystemArm();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path image;
        try {
            image = CoremarkBuild.build(coremark, n, thumb, compiler, buildDir == null ? CoremarkBuild.defaultCache() : buildDir);
        } catch (CoremarkBuild.Failure e) {
            err.println("brassboard: --coremark " + coremark + ": " + Main.oneLine(e.getMessage()));
            return Main.EXIT_INTERNAL;
        } catch (IOException e) {
            throw new Main.UsageError("--coremark: cannot build in " + (buildDir == null ? CoremarkBuild.defaultCache() : buildDir) + ": "
                    + Main.oneLine(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.EXIT_INTERNAL;
        }
        out.println(header(exe));
        out.println("CoreMark from " + coremark + ", " + n + " iterations, " + (thumb ? "T32" : "A32") + ", "
                + String.join(" ", CoremarkBuild.flags(thumb)) + ": " + image);
        out.println(CoremarkTable.HEADER);
        out.flush();
        CoremarkTable table = new CoremarkTable(n, MachineConfig.DEFAULT_CPU_HZ);
        try {
            for (int i = 1; i <= runs; i++) {
                CoremarkBench.Run b = CoremarkBench.time(CoremarkBench.brassboardCommand(image), CoremarkBench.timeoutSeconds(n));
                CoremarkBench.Run q = exe.isEmpty() ? null
                        : CoremarkBench.time(CoremarkBench.qemuCommand(exe.get(), image), CoremarkBench.timeoutSeconds(n));
                for (String row : table.add(i, b, q)) {
                    out.println(row);
                }
                out.flush();
            }
        } catch (IOException e) {
            err.println("brassboard: --coremark: " + Main.oneLine(String.valueOf(e.getMessage())));
            return Main.EXIT_INTERNAL;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.EXIT_INTERNAL;
        }
        for (String line : table.footer()) {
            out.println(line);
        }
        out.flush();
        table.failure().ifPresent(f -> err.println("brassboard: --coremark: " + f));
        return table.failure().isPresent() ? Main.EXIT_INTERNAL : 0;
    }

    /** {@code --uboot FILE}: time to the prompt and to the end of the script, Brassboard and optionally QEMU. */
    private int ubootBench() {
        Optional<Path> exe = checkUboot();
        PrintWriter out = spec.commandLine().getOut();
        out.println(header(exe));
        out.println("script after each '=>': " + String.join("; ", UbootBench.SCRIPT));
        out.println(String.format(Locale.ROOT, "%-12s %4s %14s %14s  %s", "emulator", "run", "to prompt (s)", "to end (s)", "ended"));
        out.flush();
        boolean allOk = true;
        try {
            for (int i = 1; i <= runs; i++) {
                UbootBench.Timing b = UbootBench.brassboard(uboot);
                allOk &= b.ok();
                out.println(ubootRow("brassboard", i, b));
                out.flush();
                if (exe.isPresent()) {
                    UbootBench.Timing q = UbootBench.qemu(exe.get(), uboot);
                    allOk &= q.ok();
                    out.println(ubootRow("qemu", i, q));
                    out.flush();
                }
            }
        } catch (Exception e) {
            spec.commandLine().getErr().println("brassboard: --uboot " + uboot + ": " + Main.oneLine(String.valueOf(e.getMessage())));
            return Main.EXIT_INTERNAL;
        }
        out.println("wall-clock seconds from starting the process (a new JVM for Brassboard, a new qemu-system-arm) to the first prompt and to the end of the script, keys typed through a pipe");
        out.flush();
        return allOk ? 0 : Main.EXIT_INTERNAL;
    }

    /** {@code --uboot FILE --usb}: the USB script, each command timed, Brassboard and optionally QEMU. */
    private int ubootUsbBench() {
        Optional<Path> exe = checkUboot();
        PrintWriter out = spec.commandLine().getOut();
        Path dir;
        Path stick;
        try {
            dir = Files.createTempDirectory("brassboard-usb-bench");
            stick = UsbStick.make(dir);
        } catch (IOException | InterruptedException e) {
            throw new Main.UsageError("--usb: " + Main.oneLine(String.valueOf(e.getMessage())));
        }
        String crc = UsbStick.crcLine();
        out.println(header(exe));
        out.println("script after each '=>': " + String.join("; ", UbootBench.USB_SCRIPT) + " (" + UbootBench.USB_FILE + ": "
                + (UbootBench.USB_FILE_BYTES >> 20) + " MiB)");
        out.println(String.format(Locale.ROOT, "%-12s %4s %10s %10s %10s %10s  %-22s %s", "emulator", "run", "prompt (s)",
                "usb start", "fatload", "to end (s)", "U-Boot's own timing", "ended"));
        out.flush();
        boolean allOk = true;
        try {
            for (int i = 1; i <= runs; i++) {
                UbootBench.Timing b = UbootBench.brassboardUsb(uboot, stick);
                allOk &= usbOk(b, crc);
                out.println(usbRow("brassboard", i, b, crc));
                out.flush();
                if (exe.isPresent()) {
                    UbootBench.Timing q = UbootBench.qemuUsb(exe.get(), uboot, stick);
                    allOk &= usbOk(q, crc);
                    out.println(usbRow("qemu", i, q, crc));
                    out.flush();
                }
            }
        } catch (Exception e) {
            spec.commandLine().getErr().println("brassboard: --uboot " + uboot + " --usb: " + Main.oneLine(String.valueOf(e.getMessage())));
            return Main.EXIT_INTERNAL;
        } finally {
            try {
                Files.deleteIfExists(stick);
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // a temporary file left behind
            }
        }
        out.println("wall-clock seconds: from starting the process to the first prompt (autoboot stopped), each command from its prompt to the next, "
                + "and to the end; U-Boot's own timing is its 'bytes read in N ms' (virtual time on Brassboard, host time under QEMU)");
        out.flush();
        return allOk ? 0 : Main.EXIT_INTERNAL;
    }

    private static boolean usbOk(UbootBench.Timing t, String crc) {
        return t.ok() && t.output().replace("\r", "").contains(crc + "\n") && t.commandSeconds().size() >= 3;
    }

    private static String usbRow(String who, int run, UbootBench.Timing t, String crc) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+ bytes read in \\d+ ms \\([^)]*\\))").matcher(t.output());
        List<Double> c = t.commandSeconds();
        String ended = usbOk(t, crc) ? "ok" : "FAILED: " + (t.ok() ? "the file's crc32 is not " + crc.substring(crc.indexOf("==>") + 4) : t.note());
        return String.format(Locale.ROOT, "%-12s %4d %10s %10s %10s %10.2f  %-22s %s", who, run,
                t.promptSeconds() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", t.promptSeconds()),
                c.size() > 0 ? String.format(Locale.ROOT, "%.2f", c.get(0)) : "n/a",
                c.size() > 1 ? String.format(Locale.ROOT, "%.2f", c.get(1)) : "n/a",
                t.scriptSeconds(), m.find() ? m.group(1).replaceFirst("^\\d+ bytes read in ", "") : "n/a", ended);
    }

    private Optional<Path> checkUboot() {
        if (!Files.isRegularFile(uboot)) {
            throw new Main.UsageError("--uboot " + uboot + ": no such file (run firmware/third-party/fetch.sh to get Debian's U-Boot)");
        }
        if (runs < 1 || runs > 100) {
            throw new Main.UsageError("--runs " + runs + ": expected 1 to 100");
        }
        return qemuSystemArm();
    }

    /** With --vs-qemu: qemu-system-arm (--qemu, or on the PATH), else a usage error; without it, empty. */
    private Optional<Path> qemuSystemArm() {
        Optional<Path> exe = Optional.empty();
        if (vsQemu) {
            exe = qemu != null ? Optional.of(qemu).filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                    : findOnPath("qemu-system-arm");
            if (exe.isEmpty()) {
                throw new Main.UsageError("--vs-qemu: qemu-system-arm not found" + (qemu == null ? " on the PATH (Debian: apt-get install qemu-system-arm)"
                        : " (--qemu " + qemu + " is not an executable file)"));
            }
        }
        return exe;
    }

    /** {@code --linux KERNEL --initrd FILE}: time to /init and to the end of the shell script, Brassboard and optionally QEMU. */
    private int linuxBench() {
        if (!Files.isRegularFile(linux)) {
            throw new Main.UsageError("--linux " + linux + ": no such file (run firmware/third-party/fetch-linux.sh to get Debian's kernel)");
        }
        if (initrd == null || !Files.isRegularFile(initrd)) {
            throw new Main.UsageError("--linux needs --initrd FILE, an initramfs whose /init starts a shell"
                    + (initrd == null ? "" : "; " + initrd + " is not a file") + " (brassboard image initramfs firmware/third-party/linux/initramfs.list -o FILE)");
        }
        if (runs < 1 || runs > 100) {
            throw new Main.UsageError("--runs " + runs + ": expected 1 to 100");
        }
        Optional<Path> exe = qemuSystemArm();
        PrintWriter out = spec.commandLine().getOut();
        out.println(header(exe));
        out.println("script at busybox's prompt: " + String.join("; ", LinuxBench.SCRIPT));
        out.println(String.format(Locale.ROOT, "%-12s %4s %14s %14s  %s", "emulator", "run", "to /init (s)", "to end (s)", "ended"));
        out.flush();
        boolean allOk = true;
        try {
            for (int i = 1; i <= runs; i++) {
                LinuxBench.Timing b = LinuxBench.time(LinuxBench.brassboardCommand(linux, initrd), 900);
                allOk &= b.ok();
                out.println(linuxRow("brassboard", i, b));
                out.flush();
                if (exe.isPresent()) {
                    LinuxBench.Timing q = LinuxBench.time(LinuxBench.qemuCommand(exe.get(), linux, initrd), 300);
                    allOk &= q.ok();
                    out.println(linuxRow("qemu", i, q));
                    out.flush();
                }
            }
        } catch (Exception e) {
            spec.commandLine().getErr().println("brassboard: --linux " + linux + ": " + Main.oneLine(String.valueOf(e.getMessage())));
            return Main.EXIT_INTERNAL;
        }
        out.println("wall-clock seconds from starting the process (a new JVM for Brassboard, a new qemu-system-arm) to the kernel's"
                + " 'Run /init' and to the process's end, commands typed through a pipe at each prompt");
        out.flush();
        return allOk ? 0 : Main.EXIT_INTERNAL;
    }

    private static String linuxRow(String who, int run, LinuxBench.Timing t) {
        return String.format(Locale.ROOT, "%-12s %4d %14s %14.2f  %s", who, run,
                t.initSeconds() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", t.initSeconds()), t.endSeconds(),
                t.ok() ? "ok" : "not finished: " + t.note());
    }

    private static String ubootRow(String who, int run, UbootBench.Timing t) {
        return String.format(Locale.ROOT, "%-12s %4d %14s %14.2f  %s", who, run,
                t.promptSeconds() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", t.promptSeconds()), t.scriptSeconds(),
                t.ok() ? "ok" : "FAILED: " + t.note());
    }

    /** {@code name} in a directory of PATH, then in /usr/sbin and /sbin (where Debian puts mkfs.vfat). */
    static Optional<Path> findOnPath(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)));
        dirs.add("/usr/sbin");
        dirs.add("/sbin");
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The loops --loops names, in its order without repeats, or all of them. */
    private List<GuestLoop> loops() {
        if (loopNames == null || loopNames.isEmpty()) {
            return List.of(GuestLoop.values());
        }
        Set<GuestLoop> chosen = new LinkedHashSet<>();
        for (String name : loopNames) {
            Optional<GuestLoop> loop = GuestLoop.byName(name);
            if (loop.isEmpty()) {
                throw new Main.UsageError("--loops: unknown loop '" + name + "'; known loops: " + String.join(", ", GuestLoop.names()));
            }
            chosen.add(loop.get());
        }
        return new ArrayList<>(chosen);
    }

    /** A table row: the loop's name, Brassboard's MIPS. */
    static String row(GuestLoop loop, double mips) {
        return String.format(Locale.ROOT, "%-8s %16s", loop.id(), fmtMips(mips));
    }

    /** A table row: the loop's name, Brassboard's MIPS, QEMU's MIPS, Brassboard's as a fraction of QEMU's. */
    static String row(GuestLoop loop, double mips, double qemuMips) {
        double fraction = mips / qemuMips;
        return String.format(Locale.ROOT, "%-8s %16s %14s %16s", loop.id(), fmtMips(mips), fmtMips(qemuMips),
                Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.3f", fraction) : "n/a");
    }

    private static String fmtMips(double mips) {
        return Double.isFinite(mips) ? String.format(Locale.ROOT, "%.1f", mips) : "n/a";
    }

    private static String fmtSeconds(double s) {
        return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    /** The first line: the JDK (version, vendor), HotSpot's compilers, the host, and qemu-arm's version with --vs-qemu. */
    static String header(Optional<Path> qemu) {
        Runtime.Version v = Runtime.version();
        String line = String.format(Locale.ROOT, "brassboard bench: JDK %s (%s), %s, %s, %s, %s %s, %d CPUs", v,
                System.getProperty("java.vendor"),
                compilers(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()),
                references(compressedOops()), pageAccesses(RawPageAccess.available()),
                System.getProperty("os.name"), System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
        return qemu.map(p -> line + "; " + qemuVersion(p)).orElse(line);
    }

    /**
     * Which of HotSpot's compilers the JVM options {@code jvmArgs} leave on, as the header says it: the last
     * {@code -XX:TieredStopAtLevel} below 4 means C1 alone (the launcher's {@code BRASSBOARD_JIT=quick}).
     */
    static String compilers(List<String> jvmArgs) {
        boolean tiered = true;
        String stopAt = "4";
        for (String arg : jvmArgs) {
            if (arg.startsWith("-XX:TieredStopAtLevel=")) {
                stopAt = arg.substring("-XX:TieredStopAtLevel=".length());
            } else if (arg.equals("-XX:-TieredCompilation") || arg.equals("-XX:+TieredCompilation")) {
                tiered = arg.charAt(4) == '+';
            }
        }
        if (!tiered) {
            return "C2 alone";
        }
        if (stopAt.equals("0")) {
            return "HotSpot's interpreter alone (TieredStopAtLevel=0)";
        }
        return stopAt.equals("4") ? "C1 and C2" : "C1 alone (TieredStopAtLevel=" + stopAt + ")";
    }

    /** HotSpot's UseCompressedOops as this JVM runs ("true" or "false"; null when it cannot say). */
    private static String compressedOops() {
        try {
            return java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("UseCompressedOops").getValue();
        } catch (RuntimeException | LinkageError e) { // a runtime without jdk.management
            return null;
        }
    }

    /**
     * How the header names the JVM's object references, from the value of HotSpot's UseCompressedOops: the
     * launcher turns them off (a translated load or store reads a RAM chunk's reference; docs/speed.md, round 9).
     */
    static String references(String useCompressedOops) {
        if (useCompressedOops == null) {
            return "references: unknown";
        }
        return Boolean.parseBoolean(useCompressedOops) ? "compressed references" : "uncompressed references";
    }

    /**
     * How the header names translated code's RAM page accesses: unchecked when the JVM exports
     * {@code jdk.internal.misc} to Brassboard (the launcher and the jar's manifest do; docs/speed.md, round 10).
     */
    static String pageAccesses(boolean raw) {
        return raw ? "unchecked page accesses" : "bounds-checked page accesses";
    }

    /** {@code qemu-arm --version}'s first line, or the executable's path if that fails. */
    static String qemuVersion(Path exe) {
        try {
            Process p = new ProcessBuilder(exe.toString(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] text = p.getInputStream().readNBytes(4096);
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                String first = new String(text, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
                if (!first.isEmpty()) {
                    return first;
                }
            }
            p.destroyForcibly();
        } catch (IOException e) {
            // fall through: the path is enough
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exe + " (version unknown)";
    }
}
