package brassboard.cli;

import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.SpiAttachment;
import brassboard.boards.api.UsbAttachment;
import brassboard.boards.api.WifiAttachment;
import brassboard.boards.api.KernelBoot;
import brassboard.boards.api.ConfigException;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.faults.FaultPlan;
import brassboard.boards.faults.FaultPlanException;
import brassboard.boards.faults.FaultSession;
import brassboard.boards.trace.Observation;
import brassboard.boards.trace.SpanProfiles;
import brassboard.bus.api.TextTraceSink;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import brassboard.devices.uart.OutputStreamSink;
import brassboard.devices.uart.PromptPacedInput;
import brassboard.devices.uart.SerialPortBackend;
import brassboard.devices.uart.StdioBackend;
import brassboard.devices.uart.StreamInput;
import brassboard.firmware.api.ImageException;
import brassboard.firmware.api.SymbolTable;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import brassboard.boards.watch.LockupDetector;
import brassboard.boards.watch.WatchdogOptions;
import brassboard.firmware.api.SymbolTable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brassboard run}: boot an image on a board and run it to its end or a limit. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run a firmware image on an emulated board. The UART is the console: its output goes to stdout.",
            "An ELF image is loaded at its physical addresses; a raw binary needs --load-addr.",
            "An image whose entry is in flash boots like QEMU's -bios; one whose entry is in RAM boots like -kernel",
            "(r0=0, r1=0xffffffff, r2=the device tree's address)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:powered off (PSCI SYSTEM_OFF), the output matched --until, or Ctrl-A x ended an interactive run",
            "N:the firmware exited with status N (semihosting SYS_EXIT / SYS_EXIT_EXTENDED)",
            "1:internal error",
            "2:usage or input error",
            "3:the CPU stopped on something not supported yet",
            "4:a limit stopped the run: --max-time, --max-insns, an idle machine, or --until never matched"})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE",
            description = "Firmware image: an ELF32 ARM executable, or a raw binary with --load-addr (or use --bios).")
    Path image;

    @Option(names = "--bios", paramLabel = "FILE",
            description = "Load FILE as a raw image at flash address 0 and boot it from there, as QEMU's -bios (instead of IMAGE).")
    Path bios;

    @Option(names = "--kernel", paramLabel = "FILE",
            description = {"Boot FILE as a Linux kernel (zImage, uImage or uncompressed Image), as QEMU's -kernel: placed in RAM",
                "by the ARM boot protocol and entered with r0 = 0, r1 = ~0, r2 = the device tree (instead of IMAGE)."})
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE",
            description = "With --kernel: an initial ramdisk (cpio archive, compressed or not, or a uImage ramdisk), named in /chosen.")
    Path initrd;

    @Option(names = "--append", paramLabel = "ARGS",
            description = "With --kernel: the kernel command line (/chosen/bootargs), at most 1023 characters.")
    String append;

    @Option(names = "--dtb", paramLabel = "FILE",
            description = "With --kernel: hand the kernel this device tree blob instead of the board's (its /chosen and memory node updated).")
    Path dtb;

    @Option(names = "--flash1", paramLabel = "FILE",
            description = {"Back the second flash bank (64 MiB at 0x04000000; U-Boot keeps its environment there) with FILE:",
                "erases and programs are written to FILE as they happen; a missing FILE is created, erased."})
    Path flash1;

    @Option(names = "--spi-flash", paramLabel = "SPEC",
            description = {"Add an SPI NOR flash (a Winbond W25Q80BL, 1 MiB) on a PL022 SPI controller at 0x09100000 (SPI 12;",
                "Brassboard's addition to virt, see docs/devices/spi.md): FILE[,write-through][,endurance=N]. FILE must be",
                "1048576 bytes; it is copy-on-write unless told (never changed); endurance=N: erase cycles a sector survives."})
    String spiFlash;

    @Option(names = "--spi-eeprom", paramLabel = "SPEC",
            description = {"Add an SPI EEPROM (an Atmel AT25256, 32 KiB) on a second PL022 at 0x09101000 (SPI 13):",
                "FILE[,write-through]. FILE must be 32768 bytes; copy-on-write unless told."})
    String spiEeprom;

    @Option(names = "--usb", paramLabel = "SPEC",
            description = {"Plug a USB device into the board's EHCI controller (QEMU's -device usb-ehci at PCI 00:01.0; there only",
                "when --usb is given): KIND,disk=FILE[,write-through|,readonly][,port=N][,DISK OPTIONS]. KIND storage is QEMU's",
                "usb-storage stick; supertop the Super Top 14cd:6600 USB-IDE bridge, jmicron the JMicron JM20337 152d:2338, each",
                "with an ATA disk on the raw image FILE, copy-on-write unless told (FILE is never changed), on root port N (1-6;",
                "default: the lowest free). Disk options: bad=A-B (unreadable and unwritable LBAs), bad-read=A-B, bad-write=A-B",
                "(several ranges joined by +, or the key repeated), retry-time=DURATION (before a bad sector is reported; 7s).",
                "Super Top only: wedge-pattern=HEX[@OFFSET] (its firmware wedges and it drops off the bus when a WRITE carries",
                "these bytes, anywhere or at OFFSET in a sector), wedge-after=SIZE (after that much data written),",
                "return-after=DURATION (it comes back after that long). Bridges: descriptors=FILE.yaml answers with the identity",
                "'brassboard usb capture' read (docs/host.md). Repeatable, one device a port."})
    List<String> usb = new ArrayList<>();

    @Option(names = "--wifi", paramLabel = "SPEC",
            description = {"Put the WiFi pair on the board (docs/devices/wifi.md): the baseband at PCI 00:02.0 with its RF transceiver on",
                "the baseband's SPI master, in an air on a channel: channel=N[,rx=FILE.pcap|,rx-rate=R[,rx-size=B][,rx-seed=S][,rx-count=K]]",
                "[,rx-start=T][,tx=FILE.pcap]. rx= replays an 802.11 pcap (link type 105 or 127), rx-rate= generates R frames/s of",
                "B bytes (default 256) from seed S; tx= records transmitted frames. Default channel 6, a quiet air."})
    String wifi;

    @Option(names = "--fit-key", paramLabel = "KEY.pub[,name=NAME][,required=conf|image|none]",
            description = "Put an RSA public key into the device tree handed to firmware, where U-Boot's verified boot looks for it"
                    + " (/signature/key-NAME; NAME defaults to the file's name, required to conf). Repeatable.")
    List<String> fitKeys = new ArrayList<>();

    @Option(names = "--board", paramLabel = "NAME|FILE", defaultValue = "virt", description = "Board to emulate: virt, or a board file (docs/boards.md; default: ${DEFAULT-VALUE}).")
    String board;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "1",
            description = "Number of cores, 1 to 8 (default: ${DEFAULT-VALUE}); core 0 boots the image, the others wait for PSCI CPU_ON.")
    int cpus;

    @Option(names = "--ram", paramLabel = "SIZE", defaultValue = "128M", converter = Units.SizeConverter.class,
            description = "RAM size, like 128M or 1G (default: ${DEFAULT-VALUE}).")
    long ram;

    @Option(names = "--load-addr", paramLabel = "ADDR", converter = Units.AddressConverter.class,
            description = "Load a raw binary at ADDR (hex like 0x40000000); its entry point is ADDR.")
    Long loadAddr;

    @Option(names = "--input", paramLabel = "FILE|-",
            description = {"Feed FILE's bytes to the UART's receiver (deterministic), or '-' to forward stdin as it comes (for pipes).",
                "Without --input and with a terminal on stdin and stdout, the console is interactive (see --no-terminal)."})
    String input;

    @Option(names = "--input-after-prompt", paramLabel = "REGEX",
            description = "With --input FILE: send FILE one line at a time, each only once the console output since the previous line"
                    + " matches REGEX (Java syntax; $ is the end of the output), like '(=> |autoboot: +\\d+ )$' for U-Boot. Deterministic.")
    String inputAfterPrompt;

    @Option(names = "--no-terminal",
            description = {"Without --input, leave a terminal on stdin alone: no raw mode, no keys forwarded (default: with a terminal on",
                "stdin and stdout and no --input, the console is interactive: raw, keys go to the UART, Ctrl-A x exits, Ctrl-A h helps)."})
    boolean noTerminal;

    @Option(names = "--serial", paramLabel = "PORT",
            description = {"Connect the UART to the host serial port PORT (/dev/ttyUSB0, a pty) through jSSC instead of the console;",
                "the guest's baud rate and frame go to the port (docs/host.md). Not with --input or --output."})
    String serial;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write the console output to FILE instead of stdout.")
    Path output;

    @Option(names = "--until", paramLabel = "REGEX",
            description = "Stop, with exit status 0, when the console output matches REGEX (Java syntax; matched against the last 4096 characters).")
    String until;

    @Option(names = "--max-time", paramLabel = "DURATION", converter = Units.DurationConverter.class,
            description = "Stop after this much virtual time, like 10s, 250ms, 100us (exit status 4).")
    Long maxTime;

    @Option(names = "--max-insns", paramLabel = "N", converter = Units.CountConverter.class,
            description = "Stop after N instructions (exit status 4).")
    Long maxInsns;

    @Option(names = "--trace", paramLabel = "FILE",
            description = {"Write the run's trace events to FILE, one per line (virtual time, source, kind, detail);",
                "a FILE ending in .json gets Chrome/Perfetto trace JSON instead (CPU, irqs-off, IRQ-line and device tracks)."})
    Path trace;

    @Option(names = "--symbols", paramLabel = "FILE",
            description = "Name code from FILE's symbols: an ELF with a symbol table, or a Linux System.map (default: the image, if it is an ELF with symbols).")
    Path symbols;

    @Option(names = "--span", paramLabel = "NAME", split = ",",
            description = "Trace function NAME as spans on its CPU's track (repeatable, or a comma list).")
    List<String> spans = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Trace a built-in list of functions as spans: irqkit or linux.")
    String profile;

    @Option(names = "--report", description = "Print the IRQ report on stderr after the run: IRQ latency, top-half duration, longest irqs-off interval and bottom-half deferral, per CPU.")
    boolean report;

    @Option(names = "--faults", paramLabel = "FILE",
            description = "Apply the fault plan FILE (YAML; see docs/faults.md) and print a report of the injected faults on stderr after the run.")
    Path faults;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "The run's seed: everything random in a run (fault plans) draws from it (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--watchdog", paramLabel = "SETTING", split = ",",
            description = "Lockup detectors (on by default): hard=DURATION (IRQs masked or a pending IRQ not taken; default 10s),"
                    + " soft=DURATION (no pass through the scheduler; default 20s), spin=DURATION (spinning on a lock before the"
                    + " wait-for graph counts it; default 1s), sched=SYMBOL (the scheduler function; repeatable), or off.")
    List<String> watchdog = new ArrayList<>();

    @Option(names = "--stop-on-lockup", description = "End the run with exit status 3 at the first lockup or deadlock report.")
    boolean stopOnLockup;

    @Option(names = "--gdb", paramLabel = "tcp:[HOST]:PORT",
            description = {"Serve GDB's remote protocol on PORT (HOST: loopback by default; port 0 picks one and prints it):",
                "'target remote :PORT' in gdb-multiarch. Virtual time stops while GDB holds the machine; see docs/gdb.md."})
    String gdb;

    @Option(names = "--wait-gdb", description = "With --gdb: hold the machine before its first instruction until GDB connects and continues.")
    boolean waitGdb;

    @Option(names = {"-v", "--verbose"}, description = "Print the memory map before the run and how it ended after it, on stderr.")
    boolean verbose;

    @Override
    public Integer call() {
        if (kernel == null) {
            for (Object[] o : new Object[][] {{"--initrd", initrd}, {"--append", append}, {"--dtb", dtb}}) {
                if (o[1] != null) {
                    throw new Main.UsageError(o[0] + " applies to a Linux boot: it needs --kernel FILE");
                }
            }
        } else {
            if (image != null || bios != null) {
                throw new Main.UsageError("--kernel " + kernel + " and " + (bios != null ? "--bios " + bios : "IMAGE " + image)
                        + ": expected one firmware image, not both");
            }
            if (loadAddr != null) {
                throw new Main.UsageError("--load-addr does not apply to --kernel: the kernel goes where the ARM boot protocol puts it");
            }
            image = kernel;
        }
        if (bios != null) {
            if (image != null) {
                throw new Main.UsageError("--bios " + bios + " and IMAGE " + image + ": expected one firmware image, not both");
            }
            if (loadAddr != null) {
                throw new Main.UsageError("--bios loads at flash address 0; --load-addr does not apply to it");
            }
            image = bios;
            loadAddr = 0L;
        } else if (image == null) {
            throw new Main.UsageError("no firmware image: expected IMAGE, --bios FILE or --kernel FILE");
        }
        if (cpus < 1 || cpus > MachineConfig.MAX_CPUS) {
            throw new Main.UsageError("--cpus " + cpus + ": expected a number of cores from 1 to " + MachineConfig.MAX_CPUS);
        }
        fitKeys.forEach(FitKeyOption::parse); // a bad key is a usage error before anything is built
        GdbOption.parse(gdb, waitGdb);
        WatchdogOptions watchdogOptions = watchdogOptions();
        Pattern untilPattern = null;
        if (until != null) {
            try {
                untilPattern = Pattern.compile(until);
            } catch (PatternSyntaxException e) {
                throw new Main.UsageError("--until '" + until + "': not a valid regular expression: " + Main.oneLine(e.getDescription()));
            }
        }
        FaultPlan plan = null;
        if (faults != null) {
            try {
                plan = FaultPlan.load(faults);
            } catch (FaultPlanException e) {
                throw new Main.UsageError("--faults " + Main.oneLine(e.getMessage()));
            }
        }
        List<String> spanNames = new ArrayList<>(spans);
        if (profile != null) {
            spanNames.addAll(SpanProfiles.names(profile).orElseThrow(() -> new Main.UsageError("--profile '" + profile
                    + "': unknown profile; known profiles: " + String.join(", ", SpanProfiles.known()))));
        }
        SymbolTable symbolTable = null;
        if (symbols != null) {
            try {
                symbolTable = SymbolTable.load(symbols);
            } catch (ImageException e) {
                throw new Main.UsageError("--symbols " + Main.oneLine(e.getMessage()));
            }
        }
        boolean json = trace != null && trace.getFileName() != null && trace.getFileName().toString().endsWith(".json");
        Pattern promptPattern = null;
        if (inputAfterPrompt != null) {
            if (input == null || input.equals("-")) {
                throw new Main.UsageError("--input-after-prompt paces a script: it needs --input FILE");
            }
            try {
                promptPattern = Pattern.compile(inputAfterPrompt);
            } catch (PatternSyntaxException e) {
                throw new Main.UsageError("--input-after-prompt '" + inputAfterPrompt + "': not a valid regular expression: "
                        + Main.oneLine(e.getDescription()));
            }
        }
        if (serial != null && (input != null || output != null)) {
            throw new Main.UsageError("--serial " + serial + " replaces the console: " + (input != null ? "--input" : "--output")
                    + " does not apply to it");
        }
        CharSource source;
        try {
            source = input == null ? CharSource.none()
                    : promptPattern != null ? StdioBackend.pacedInput(input, promptPattern) : StdioBackend.input(input);
        } catch (IOException e) {
            // StdioBackend's message names the option, the file and what was expected.
            throw new Main.UsageError(Main.oneLine(e.getMessage()));
        }
        // No --input and a terminal on stdin: an interactive console, raw, with QEMU's Ctrl-A keys.
        java.util.concurrent.atomic.AtomicReference<Machine> stopTarget = new java.util.concurrent.atomic.AtomicReference<>();
        RawTerminal terminal = input == null && serial == null && !noTerminal ? RawTerminal.enterIfInteractive().orElse(null) : null;
        if (terminal != null) {
            source = StreamInput.interactiveStdin(new StreamInput.EscapeHandler() {
                @Override
                public void help(String text) {
                    System.err.print(text);
                    System.err.flush();
                }

                @Override
                public void exit() {
                    Machine m = stopTarget.get();
                    if (m != null) {
                        m.requestStop("terminated (Ctrl-A x)");
                    }
                }
            });
        }
        try {
            return runWith(source, terminal, stopTarget, watchdogOptions, untilPattern, plan, spanNames, symbolTable, json);
        } finally {
            if (terminal != null) {
                terminal.close();
            }
        }
    }

    private Integer runWith(CharSource source, RawTerminal terminal, java.util.concurrent.atomic.AtomicReference<Machine> stopTarget,
                            WatchdogOptions watchdogOptions, Pattern untilPattern, FaultPlan plan, List<String> spanNames,
                            SymbolTable symbolTable, boolean json) {
        OutputStreamSink sink;
        SerialPortBackend serialPort = null;
        if (serial != null) {
            sink = null;
            try {
                serialPort = SerialPortBackend.open(serial, w -> spec.commandLine().getErr().println("brassboard: warning: " + w));
            } catch (IOException e) {
                throw new Main.UsageError("--serial " + Main.oneLine(e.getMessage()));
            }
        } else if (output == null) {
            sink = OutputStreamSink.stdout();
        } else {
            try {
                sink = OutputStreamSink.toFile(output);
            } catch (IOException e) {
                source.close();
                throw new Main.UsageError("--output " + output + ": cannot create the file: " + Main.oneLine(e.getMessage()));
            }
        }
        CharBackend host = serialPort != null ? serialPort : CharBackend.of(sink, source);
        Console console = new Console(host);
        if (source instanceof PromptPacedInput paced) {
            console.addListener(paced);
        }
        MachineConfig config = new MachineConfig(board, ram, image,
                loadAddr == null ? OptionalLong.empty() : OptionalLong.of(loadAddr),
                seed, MachineConfig.DEFAULT_CPU_HZ, MachineConfig.DEFAULT_RTC_EPOCH, cpus);
        Machine machine;
        try {
            BoardOptions options = flash1 == null ? BoardOptions.none() : BoardOptions.none().withFlash1(flash1);
            for (String spec : usb) {
                options = options.withUsb(UsbAttachment.parse(spec));
            }
            if (spiFlash != null) {
                options = options.withSpiFlash(SpiAttachment.parse("--spi-flash", spiFlash, true));
            }
            if (spiEeprom != null) {
                options = options.withSpiEeprom(SpiAttachment.parse("--spi-eeprom", spiEeprom, false));
            }
            if (wifi != null) {
                options = options.withWifi(WifiAttachment.parse(wifi));
            }
            options = FitKeyOption.apply(options, fitKeys);
            if (kernel != null) {
                KernelBoot boot = KernelBoot.plain();
                boot = initrd == null ? boot : boot.withInitrd(initrd);
                boot = append == null ? boot : boot.withAppend(append);
                boot = dtb == null ? boot : boot.withDtb(dtb);
                options = options.withKernel(boot);
            }
            machine = Machine.create(config, options, console);
        } catch (ImageException | ConfigException e) {
            console.close();
            throw new Main.UsageError(Main.oneLine(e.getMessage()));
        }
        FaultSession session = null;
        if (plan != null) {
            try {
                session = plan.applyTo(machine);
            } catch (FaultPlanException e) {
                console.close();
                throw new Main.UsageError("--faults " + Main.oneLine(e.getMessage()));
            }
        }
        stopTarget.set(machine);
        if (source instanceof StreamInput interactive && terminal != null) {
            interactive.start(); // Ctrl-A x works even while the guest does not read its UART
        }
        machine.tracer().setWarningListener(w -> spec.commandLine().getErr().println("brassboard: warning: " + w));
        OutputStream jsonOut = null;
        if (trace != null) {
            try {
                if (json) {
                    jsonOut = new BufferedOutputStream(Files.newOutputStream(trace), 1 << 16);
                } else {
                    machine.tracer().addSink(new TextTraceSink(Files.newBufferedWriter(trace, StandardCharsets.UTF_8)));
                }
            } catch (IOException e) {
                console.close();
                throw new Main.UsageError("--trace " + trace + ": cannot create the file: " + Main.oneLine(e.getMessage()));
            }
        }
        if (symbolTable == null) {
            symbolTable = Observation.imageSymbols(image);
        }
        LockupDetector detector = null;
        if (watchdogOptions.enabled()) {
            SymbolTable symbols = symbolTable;
            java.io.PrintWriter err = spec.commandLine().getErr();
            detector = LockupDetector.attach(machine, watchdogOptions, symbols, text -> {
                err.println("brassboard: " + text);
                err.flush();
            });
        }
        Observation observation = null;
        if (jsonOut != null || report || !spanNames.isEmpty()) {
            observation = Observation.attach(machine, symbolTable, spanNames, jsonOut, report,
                    w -> spec.commandLine().getErr().println("brassboard: warning: " + w));
        }
        if (verbose) {
            spec.commandLine().getErr().print(machine.describe());
            spec.commandLine().getErr().flush();
        }
        RunLimits limits = RunLimits.none();
        if (maxTime != null) {
            limits = limits.withMaxTimeNs(maxTime);
        }
        if (maxInsns != null) {
            limits = limits.withMaxInsns(maxInsns);
        }
        if (untilPattern != null) {
            limits = limits.withUntil(untilPattern);
        }
        RunResult result = null;
        GdbOption debugger = null;
        if (gdb != null) {
            try {
                debugger = GdbOption.start(machine, GdbOption.parse(gdb, waitGdb), waitGdb, spec.commandLine().getErr());
            } catch (Main.UsageError e) {
                console.close();
                throw e;
            }
        }
        try {
            result = machine.run(limits);
        } finally {
            if (debugger != null) {
                debugger.finish(result);
            }
            if (observation != null) {
                observation.finish();
            }
            machine.tracer().close();
            console.close();
            if (terminal != null) {
                terminal.restore(); // before anything more is printed
            }
        }
        if (serialPort != null && serialPort.error().isPresent()) {
            spec.commandLine().getErr().println("brassboard: warning: serial port " + Main.oneLine(serialPort.error().get())
                    + "; later output was dropped");
        }
        if (sink != null && sink.error().isPresent()) {
            spec.commandLine().getErr().println("brassboard: warning: console output to " + sink.description()
                    + " failed: " + Main.oneLine(sink.error().get().getMessage()) + "; later output was dropped");
        }
        if (session != null) {
            spec.commandLine().getErr().print("brassboard: " + session.report());
            // What the detectors made of it, in one place with the faults (each was printed when made).
            if (detector == null) {
                spec.commandLine().getErr().println("brassboard: lockup detectors: off");
            } else if (detector.reports().isEmpty()) {
                spec.commandLine().getErr().println("brassboard: lockup detectors: nothing found");
            } else {
                spec.commandLine().getErr().println("brassboard: lockup detectors: " + detector.reports().size() + " finding(s):");
                for (var r : detector.reports()) {
                    spec.commandLine().getErr().println("  " + Machine.formatTime(r.timeNs()) + "  " + r.headline());
                }
            }
            spec.commandLine().getErr().flush();
        }
        if (observation != null && observation.report().isPresent()) {
            spec.commandLine().getErr().print("brassboard: " + observation.report().get().toText(symbolTable));
            spec.commandLine().getErr().flush();
        }
        if (machine.wifiAir().isPresent()) {
            var air = machine.wifiAir().get();
            spec.commandLine().getErr().println("brassboard: wifi0: " + air.framesOnAir() + " frame(s) on the air on channel " + air.channel()
                    + ", " + air.framesDelivered() + " delivered to the RX ring, " + air.framesTransmitted() + " transmitted");
            spec.commandLine().getErr().flush();
        }
        int status = result.exitCode();
        String message = result.message();
        if (untilPattern != null && result.outcome() != RunResult.Outcome.UNTIL_MATCHED
                && result.outcome() != RunResult.Outcome.LIMIT) {
            status = RunResult.EXIT_LIMIT;
            message = message + "; the output never matched --until '" + until + "'";
        }
        boolean abnormal = result.outcome() == RunResult.Outcome.LIMIT || result.outcome() == RunResult.Outcome.UNSUPPORTED
                || result.outcome() == RunResult.Outcome.LOCKUP
                || status == RunResult.EXIT_LIMIT && untilPattern != null;
        if (verbose || abnormal || result.outcome() == RunResult.Outcome.TERMINATED) {
            spec.commandLine().getErr().println("brassboard: " + message);
        }
        long[] warp = machine.pollWarpStats();
        if (verbose && warp[0] > 0) {
            spec.commandLine().getErr().println("brassboard: counter-polling loops fast-forwarded " + warp[0] + " times, "
                    + warp[1] + " instructions skipped (see PollWarp; -Dbrassboard.pollwarp=false turns it off)");
        }
        return status;
    }

    /** {@code --watchdog} settings over Linux's defaults. */
    private WatchdogOptions watchdogOptions() {
        WatchdogOptions o = WatchdogOptions.defaults().withStopOnLockup(stopOnLockup);
        List<String> sched = new ArrayList<>();
        for (String setting : watchdog) {
            String s = setting.strip();
            if (s.equals("off")) {
                o = o.withEnabled(false);
                continue;
            }
            int eq = s.indexOf('=');
            String key = eq < 0 ? s : s.substring(0, eq);
            String value = eq < 0 ? "" : s.substring(eq + 1);
            try {
                switch (key) {
                    case "hard" -> o = o.withHard(positive(Units.duration(value)));
                    case "soft" -> o = o.withSoft(positive(Units.duration(value)));
                    case "spin" -> o = o.withSpin(positive(Units.duration(value)));
                    case "sched" -> {
                        if (value.isEmpty()) {
                            throw new IllegalArgumentException("expected a symbol name after sched=");
                        }
                        sched.add(value);
                    }
                    default -> throw new IllegalArgumentException("unknown setting '" + key
                            + "'; expected hard=DURATION, soft=DURATION, spin=DURATION, sched=SYMBOL or off");
                }
            } catch (IllegalArgumentException e) {
                throw new Main.UsageError("--watchdog " + setting + ": " + Main.oneLine(e.getMessage()));
            }
        }
        if (stopOnLockup && !o.enabled()) {
            throw new Main.UsageError("--stop-on-lockup: the detectors are off (--watchdog off); expected one or the other");
        }
        if (sched.isEmpty() && profile != null) {
            sched.addAll(SpanProfiles.schedulers(profile)); // --profile names the scheduler for the soft-lockup detector
        }
        return o.withSchedulerSymbols(sched);
    }

    private static long positive(long ns) {
        if (ns <= 0) {
            throw new IllegalArgumentException("expected a duration above zero");
        }
        return ns;
    }
}
