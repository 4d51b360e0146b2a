package brassboard.boards.testkit;

import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.KernelBoot;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.SpiAttachment;
import brassboard.boards.api.UsbAttachment;
import brassboard.boards.api.WifiAttachment;
import brassboard.boards.trace.Observation;
import brassboard.boards.watch.LockupDetector;
import brassboard.boards.watch.WatchdogOptions;
import brassboard.bus.api.TextTraceSink;
import brassboard.firmware.api.SymbolTable;
import brassboard.firmware.fdt.FdtNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * How to build a {@link TestMachine}: the board, its cores and RAM, the firmware (an image, a
 * {@code -bios} image in flash, or a Linux kernel with its initrd and command line), the devices
 * attached to it (USB, SPI memories, WiFi), the seed, a fault plan, the lockup detectors and a trace file. Every setter
 * returns the builder; {@link #build()} makes the machine, ready to run at power-on.
 *
 * <p>The defaults are QEMU {@code virt}'s: one Cortex-A15 core, 128 MiB of RAM, seed 0, the console's
 * input open (the UART is offered input every character time, so a test can {@linkplain
 * TestConsole#send send} at any point).
 */
public final class TestMachineBuilder {
    /** The default board. */
    public static final String VIRT = "virt";

    private String board = VIRT;
    private int cpus = 1;
    private long ramBytes = MachineConfig.DEFAULT_RAM;
    private Path image;
    private OptionalLong loadAddress = OptionalLong.empty();
    private boolean kernel;
    private KernelBoot boot = KernelBoot.plain();
    private BoardOptions options = BoardOptions.none();
    private long seed;
    private Path trace;
    private Path faultsFile;
    private String faultsYaml;
    private boolean consoleInput = true;
    private WatchdogOptions watchdog;
    private Path symbols;
    private final List<Path> extraImages = new ArrayList<>();
    private final List<OptionalLong> extraAddresses = new ArrayList<>();
    /** Set by the JUnit extension: sees every machine this builder builds. */
    private Consumer<TestMachine> onBuilt = m -> { };

    TestMachineBuilder() {
    }

    /**
     * The board: a built-in board's name ({@code virt}, the default) or a board file (YAML, see
     * docs/boards.md), as {@code --board} takes it.
     *
     * @throws TestkitException at {@link #build()}: an unknown name, a missing file, or what is wrong in it (one line)
     */
    public TestMachineBuilder board(String nameOrPath) {
        this.board = java.util.Objects.requireNonNull(nameOrPath, "board");
        return this;
    }

    /** A board file (YAML, see docs/boards.md); see {@link #board(String)}. */
    public TestMachineBuilder board(Path file) {
        return board(file.toString());
    }

    /** How many cores, 1 to {@value MachineConfig#MAX_CPUS}; core 0 starts the image, the others wait for PSCI {@code CPU_ON}. */
    public TestMachineBuilder cpus(int n) {
        this.cpus = n;
        return this;
    }

    /** RAM size in bytes (the board says what it supports: on {@code virt}, multiples of 4 KiB from 1 MiB to 2047 MiB). */
    public TestMachineBuilder ram(long bytes) {
        this.ramBytes = bytes;
        return this;
    }

    /** The firmware image: an ELF (loaded at its own addresses, started at its entry). */
    public TestMachineBuilder image(Path file) {
        this.image = file;
        this.loadAddress = OptionalLong.empty();
        this.kernel = false;
        return this;
    }

    /** The firmware image: a raw binary loaded and started at {@code address} (an ELF is refused: it loads at its own addresses). */
    public TestMachineBuilder image(Path file, long address) {
        this.image = file;
        this.loadAddress = OptionalLong.of(address);
        this.kernel = false;
        return this;
    }

    /** A firmware image in flash at address 0, where the core starts: QEMU's {@code -bios} (U-Boot's {@code u-boot.bin}). */
    public TestMachineBuilder bios(Path file) {
        return image(file, 0);
    }

    /** A Linux kernel ({@code zImage}) booted as QEMU's {@code -kernel} does; see {@link #initrd}, {@link #append}, {@link #dtb}. */
    public TestMachineBuilder kernel(Path zImage) {
        this.image = zImage;
        this.loadAddress = OptionalLong.empty();
        this.kernel = true;
        return this;
    }

    /** The kernel's initial ramdisk (QEMU's {@code -initrd}). */
    public TestMachineBuilder initrd(Path file) {
        this.boot = boot.withInitrd(file);
        return this;
    }

    /** The kernel command line (QEMU's {@code -append}). */
    public TestMachineBuilder append(String commandLine) {
        this.boot = boot.withAppend(commandLine);
        return this;
    }

    /** A device tree blob handed to the kernel instead of the board's own (QEMU's {@code -dtb}). */
    public TestMachineBuilder dtb(Path file) {
        this.boot = boot.withDtb(file);
        return this;
    }

    /** Another image loaded into memory after the machine is built (an ELF at its own addresses). */
    public TestMachineBuilder load(Path file) {
        extraImages.add(file);
        extraAddresses.add(OptionalLong.empty());
        return this;
    }

    /** Another image loaded into memory after the machine is built: a raw binary at {@code address}. */
    public TestMachineBuilder load(Path file, long address) {
        extraImages.add(file);
        extraAddresses.add(OptionalLong.of(address));
        return this;
    }

    /** The file backing the second flash bank (U-Boot's environment); a missing file is created erased. */
    public TestMachineBuilder flash1(Path file) {
        this.options = options.withFlash1(file);
        return this;
    }

    /** A USB device on the board's EHCI controller. */
    public TestMachineBuilder usb(UsbAttachment device) {
        this.options = options.withUsb(device);
        return this;
    }

    /** A USB device in {@code --usb} syntax: {@value UsbAttachment#SYNTAX}. */
    public TestMachineBuilder usb(String spec) {
        return usb(TestkitException.unchecked(() -> UsbAttachment.parse(spec)));
    }

    /** An SPI NOR flash on the first SPI controller. */
    public TestMachineBuilder spiFlash(SpiAttachment flash) {
        this.options = options.withSpiFlash(flash);
        return this;
    }

    /** An SPI NOR flash in {@code --spi-flash} syntax: {@value SpiAttachment#FLASH_SYNTAX}. */
    public TestMachineBuilder spiFlash(String spec) {
        return spiFlash(TestkitException.unchecked(() -> SpiAttachment.parse("spiFlash", spec, true)));
    }

    /** An SPI EEPROM on the second SPI controller. */
    public TestMachineBuilder spiEeprom(SpiAttachment eeprom) {
        this.options = options.withSpiEeprom(eeprom);
        return this;
    }

    /** An SPI EEPROM in {@code --spi-eeprom} syntax: {@value SpiAttachment#EEPROM_SYNTAX}. */
    public TestMachineBuilder spiEeprom(String spec) {
        return spiEeprom(TestkitException.unchecked(() -> SpiAttachment.parse("spiEeprom", spec, false)));
    }

    /** The WiFi baseband and RF pair, in this air. */
    public TestMachineBuilder wifi(WifiAttachment air) {
        this.options = options.withWifi(air);
        return this;
    }

    /** The WiFi pair in {@code --wifi} syntax: {@value WifiAttachment#SYNTAX}. */
    public TestMachineBuilder wifi(String spec) {
        return wifi(TestkitException.unchecked(() -> WifiAttachment.parse(spec)));
    }

    /** A change to the device tree the board builds, before the firmware gets it. */
    public TestMachineBuilder dtbEdit(Consumer<FdtNode> edit) {
        this.options = options.withDtbEdit(edit);
        return this;
    }

    /** The run's seed: fault-plan probabilities and anything else random draw from it. */
    public TestMachineBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Writes the run's trace events to {@code file}: one per line, or Chrome/Perfetto trace JSON when the
     * name ends in {@code .json} (as {@code brassboard run --trace}); complete once the machine is closed.
     */
    public TestMachineBuilder trace(Path file) {
        this.trace = file;
        return this;
    }

    /** Arms the fault plan in {@code file} when the machine is built (see {@link TestMachine#armFaults(Path)}). */
    public TestMachineBuilder faults(Path file) {
        this.faultsFile = file;
        this.faultsYaml = null;
        return this;
    }

    /** Arms the fault plan {@code yaml} when the machine is built. */
    public TestMachineBuilder faults(String yaml) {
        this.faultsYaml = yaml;
        this.faultsFile = null;
        return this;
    }

    /**
     * Whether the console takes input ({@code true}, the default). A closed console's UART is never
     * offered input — as {@code brassboard run} without {@code --input}, so a run is the same as there.
     */
    public TestMachineBuilder consoleInput(boolean open) {
        this.consoleInput = open;
        return this;
    }

    /**
     * Watches the run with the lockup detectors (hard and soft lockup, spinning and deadlock), as
     * {@code brassboard run --watchdog} does; their findings are {@link TestMachine#lockups()}. With
     * {@code stopOnLockup}, the first finding ends the run.
     */
    public TestMachineBuilder watchdog(WatchdogOptions options) {
        this.watchdog = options;
        return this;
    }

    /**
     * Where symbols come from instead of the image: an ELF, or a kernel's {@code System.map} (as
     * {@code brassboard run --symbols}); for {@link TestMachine#symbol}, the lockup detectors' reports and
     * a JSON trace.
     */
    public TestMachineBuilder symbols(Path elfOrSystemMap) {
        this.symbols = elfOrSystemMap;
        return this;
    }

    /** The trace file named so far, if any (the JUnit extension names one unless told not to). */
    public Optional<Path> traceFile() {
        return Optional.ofNullable(trace);
    }

    TestMachineBuilder onBuilt(Consumer<TestMachine> listener) {
        this.onBuilt = listener;
        return this;
    }

    /**
     * Builds the machine at power-on, with its image loaded, its fault plan armed and its trace file open.
     *
     * @throws TestkitException for an unknown board, no image, an image that cannot be loaded, an
     *                          impossible configuration, a fault plan that does not fit the machine, a
     *                          trace file that cannot be created
     */
    public TestMachine build() {
        if (image == null) {
            throw new TestkitException("no firmware: name an image (image, bios or kernel)");
        }
        if (cpus < 1 || cpus > MachineConfig.MAX_CPUS) {
            throw new TestkitException("cpus " + cpus + ": expected a number of cores from 1 to " + MachineConfig.MAX_CPUS);
        }
        if (!kernel && !boot.equals(KernelBoot.plain())) {
            throw new TestkitException("initrd, append and dtb go with a kernel: name it with kernel(...)");
        }
        SymbolTable table = symbols == null ? Observation.imageSymbols(image) : TestkitException.unchecked(() -> SymbolTable.load(symbols));
        MachineConfig config = new MachineConfig(board, ramBytes, image, loadAddress, seed,
                MachineConfig.DEFAULT_CPU_HZ, MachineConfig.DEFAULT_RTC_EPOCH, cpus);
        BoardOptions o = kernel ? options.withKernel(boot) : options;
        TestConsole console = new TestConsole(consoleInput);
        Machine machine = TestkitException.unchecked(() -> Machine.create(config, o, TestMachine.consoleFor(console)));
        Observation observation = null;
        if (trace != null) {
            observation = openTrace(machine, table);
        }
        TestMachine t = new TestMachine(machine, console, table, Optional.ofNullable(trace), observation);
        try {
            for (int i = 0; i < extraImages.size(); i++) {
                if (extraAddresses.get(i).isPresent()) {
                    t.loadImage(extraImages.get(i), extraAddresses.get(i).getAsLong());
                } else {
                    t.loadImage(extraImages.get(i));
                }
            }
            if (faultsFile != null) {
                t.armFaults(faultsFile);
            } else if (faultsYaml != null) {
                t.armFaults(faultsYaml);
            }
            if (watchdog != null && watchdog.enabled()) {
                t.watch(LockupDetector.attach(machine, watchdog, t.symbols(), text -> { }));
            }
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        onBuilt.accept(t);
        return t;
    }

    /** Opens the trace file: text lines, or Perfetto JSON for a {@code .json} name; null or the JSON writer's observation. */
    private Observation openTrace(Machine machine, SymbolTable table) {
        try {
            Path parent = trace.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (trace.getFileName().toString().endsWith(".json")) {
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(trace), 1 << 16);
                return Observation.attach(machine, table, List.of(), out, false, w -> { });
            }
            machine.tracer().addSink(new TextTraceSink(Files.newBufferedWriter(trace, StandardCharsets.UTF_8)));
            return null;
        } catch (IOException e) {
            machine.console().close();
            throw new TestkitException("trace " + trace + ": cannot create the file: " + e.getMessage(), e);
        }
    }
}
