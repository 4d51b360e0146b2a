package brassboard.boards.board;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.gic.Gic;
import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.ConfigException;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.IrqLine;
import brassboard.bus.api.IrqSink;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Rom;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.firmware.api.ImageException;
import brassboard.firmware.api.Images;
import brassboard.firmware.api.LoadedImage;
import brassboard.firmware.api.MemoryWindow;
import brassboard.firmware.api.Segment;
import brassboard.firmware.fdt.FdtNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Machine} from a {@link BoardDescription}: memories, then each present device
 * by its catalogue entry in file order (interrupt controllers first, so others can wire to them),
 * the interrupt wiring the file describes, the cores with their per-core parts, the device tree,
 * and the firmware image.
 *
 * <p>Boot protocol, as QEMU's {@code hw/arm/boot.c}: an image whose entry lies outside RAM (in
 * flash or ROM) boots like {@code -bios}: registers zero, the DTB at the base of RAM. An image
 * whose entry lies in RAM boots like {@code -kernel}: r0 = 0, r1 = 0xffffffff (no machine number:
 * use the DTB), r2 = the DTB's address, placed at the base of RAM when the image leaves room
 * there, else on the first 4 KiB boundary after the image. (QEMU passes no DTB at all to a bare
 * non-Linux ELF; we always provide one, which firmware that ignores r2 cannot notice.) The CPU
 * starts in SVC mode with IRQ, FIQ and asynchronous aborts masked.
 */
public final class BoardBuilder {
    /** Smallest RAM that leaves room for a DTB and a program. */
    public static final long RAM_MIN = 1L << 20;
    /** Largest RAM one region can hold for now. */
    public static final long RAM_MAX = 2047L << 20;

    private BoardBuilder() {
    }

    /** The command-line options that bring in a board's {@code when} devices. */
    static Set<String> optionsGiven(BoardOptions options) {
        Set<String> s = new LinkedHashSet<>();
        if (!options.usb().isEmpty()) {
            s.add("usb");
        }
        options.wifi().ifPresent(w -> s.add("wifi"));
        options.spiFlash().ifPresent(f -> s.add("spi-flash"));
        options.spiEeprom().ifPresent(f -> s.add("spi-eeprom"));
        return s;
    }

    /** Checks that every command-line device has a place on the board. */
    private static void checkOptions(BoardDescription board, Set<String> given) throws ConfigException {
        for (String o : given) {
            if (board.allDevices().stream().noneMatch(d -> d.when().filter(o::equals).isPresent())) {
                throw new ConfigException("--" + o + ": board " + board.name() + " (" + board.source() + ") has no place for it;"
                        + " expected a device with 'when: " + o + "' in the board file");
            }
        }
    }

    /** Builds the board and loads the image. */
    public static Machine build(BoardDescription board, MachineConfig config, BoardOptions options, Console console)
            throws ConfigException, ImageException {
        int ncpus = config.cpus();
        if (ncpus < 1 || ncpus > board.maxCpus()) {
            throw new ConfigException("the " + board.name() + " board has 1 to " + board.maxCpus() + " CPUs, not " + ncpus);
        }
        BoardDescription.Memory ramSpec = board.ram();
        long ramMax = Math.min(RAM_MAX, ramSpec.max());
        if (config.ramBytes() < RAM_MIN || config.ramBytes() > ramMax || (config.ramBytes() & 0xFFF) != 0) {
            throw new ConfigException(String.format("RAM size %d bytes is not supported by the %s board; expected a multiple of 4 KiB between 1M and %s",
                    config.ramBytes(), board.name(), Param.human(ramMax)));
        }
        Set<String> given = optionsGiven(options);
        checkOptions(board, given);
        long ramBase = ramSpec.base();
        FdtNode tree = DeviceTreeWriter.tree(board, config.ramBytes(), ncpus, config.seed(), given);
        options.dtbEdits().forEach(edit -> edit.accept(tree));
        LoadedImage image;
        byte[] dtb;
        long dtbAddress;
        if (options.kernel().isPresent()) {
            if (config.loadAddress().isPresent()) {
                throw new ConfigException("--load-addr does not apply to --kernel: a kernel goes where the boot protocol puts it");
            }
            LinuxBoot linux = LinuxBoot.prepare(config.image(), options.kernel().get(), tree, ramBase, config.ramBytes());
            image = linux.image();
            dtb = linux.dtb();
            dtbAddress = linux.dtbAddress();
        } else {
            image = Images.load(config.image(), config.loadAddress());
            // A firmware image in flash (-bios) gets QEMU's roomy blob at RAM base; a program in RAM a small one.
            boolean inRam = image.entry() >= ramBase && image.entry() < ramBase + config.ramBytes();
            dtb = DeviceTreeWriter.blob(tree, inRam ? DeviceTreeWriter.SMALL_FDT_SIZE : DeviceTreeWriter.firmwareBlobSize(config.ramBytes()));
            dtbAddress = placeDtb(image, dtb.length, ramBase, config.ramBytes());
        }
        image.checkPlacement(windows(board, config.ramBytes()));

        Scheduler scheduler = new Scheduler();
        Tracer tracer = new Tracer(scheduler);
        FaultPoints faults = new FaultPoints();
        AddressSpace bus = new AddressSpace(tracer, faults);
        BuildContext ctx = new BuildContext(board, config, options, console, scheduler, tracer, faults, bus);

        List<DeviceSpec> present = board.allDevices().stream()
                .filter(d -> d.when().map(given::contains).orElse(true))
                .filter(d -> d.parent() == null || board.byName().get(d.parent()).when().map(given::contains).orElse(true))
                .toList();
        for (DeviceSpec d : present) {
            if (d.type().isInterruptController()) {
                create(ctx, d);
            }
        }
        for (BoardDescription.Memory m : board.memories()) {
            if (m.isRam()) {
                bus.map(m.base(), new Ram(m.name(), config.ramBytes()));
            } else {
                Rom rom = new Rom(m.name(), m.size(), tracer);
                if (m.file() != null) {
                    try {
                        rom.load(0, Files.readAllBytes(m.file()));
                    } catch (IOException e) {
                        throw new ConfigException(board.source() + ": line " + m.line() + ": memory[" + m.name() + "].file: cannot read "
                                + m.file() + " (" + e.getMessage() + ")");
                    }
                }
                bus.map(m.base(), rom);
            }
        }
        for (DeviceSpec d : present) {
            if (!d.type().isInterruptController()) {
                create(ctx, d);
            }
        }
        wire(ctx, present);

        FirmwareServices services = ctx.services();
        List<ArmCpu> cpus = new ArrayList<>();
        for (int i = 0; i < ncpus; i++) {
            ArmCpu cpu = new ArmCpu(i, bus, services);
            cpu.setObserver(new CpuTrace("cpu" + i, tracer));
            for (DeviceSpec d : present) {
                int core = i;
                d.type().perCore().ifPresent(p -> p.attach(ctx, d, core, cpu));
            }
            cpu.declareFaultPoint(faults); // cpuN.reg
            Gic gic = ctx.gicOrNull();
            if (gic != null) {
                gic.irqOut(i).connect((line, level) -> cpu.setIrqLine(level));
                gic.fiqOut(i).connect((line, level) -> cpu.setFiqLine(level));
            }
            cpus.add(cpu);
        }
        ArmCpu.shareInnerDomain(cpus); // TLBI...IS from one core reaches every core
        Machine machine = new Machine(config, scheduler, tracer, faults, bus, cpus, console);
        services.attach(machine, bus, console, tracer, scheduler, config.rtcEpochSeconds());
        ctx.machineHooks().forEach(h -> h.accept(machine));

        boolean kernelStyle = image.entry() >= ramBase && image.entry() < ramBase + config.ramBytes();
        List<Runnable> resets = List.copyOf(ctx.resets());
        LoadedImage loaded = image;
        Machine.Board b = new Machine.Board() {
            @Override
            public void reset() {
                for (Segment s : loaded.segments()) {
                    byte[] all = new byte[(int) s.memSize()];
                    System.arraycopy(s.data(), 0, all, 0, s.data().length);
                    bus.load(s.address(), all);
                }
                bus.load(dtbAddress, dtb);
                resets.forEach(Runnable::run);
                for (ArmCpu c : cpus) {
                    c.reset((int) loaded.entry()); // secondaries stay off until CPU_ON resets them again
                }
                ArmCpu boot = cpus.get(0);
                if (kernelStyle) {
                    boot.setReg(0, 0);
                    boot.setReg(1, 0xFFFF_FFFF);
                    boot.setReg(2, (int) dtbAddress);
                }
            }

            @Override
            public String describe() {
                return describeMap(board.name(), bus, config);
            }
        };
        machine.attachBoard(b);
        b.reset();
        return machine;
    }

    /** Builds one device; a model's refusal of its parameters becomes a one-line error naming the entry. */
    private static void create(BuildContext ctx, DeviceSpec d) throws ConfigException {
        try {
            d.type().factory().build(ctx, d);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ctx.board().source() + ": line " + d.line() + ": devices[" + d.name() + "]: the " + d.type().name()
                    + " refuses this configuration: " + e.getMessage());
        }
    }

    /** Connects every declared interrupt output to the input its file entry names. */
    private static void wire(BuildContext ctx, List<DeviceSpec> present) throws ConfigException {
        BoardDescription board = ctx.board();
        String controller = board.allDevices().stream().filter(d -> d.type().isInterruptController()).map(DeviceSpec::name)
                .findFirst().orElse(null);
        for (DeviceSpec d : present) {
            for (Map.Entry<String, DeviceSpec.IrqTarget> e : d.irqs().entrySet()) {
                IrqLine line = ctx.output(d.name(), e.getKey());
                if (line == null) {
                    continue; // the device wires this output itself (per-core PPIs, MSI SPIs)
                }
                DeviceSpec.IrqTarget t = e.getValue();
                String target = t.device() == null ? controller : t.device();
                var resolver = ctx.inputs(target);
                IrqSink sink = resolver == null ? null : resolver.apply(t);
                if (sink == null) {
                    throw new ConfigException(board.source() + ": line " + t.line() + ": devices[" + d.name() + "].irqs." + e.getKey()
                            + ": '" + t.text() + "' is not an input of " + target + " in this run");
                }
                line.connect(sink);
            }
        }
    }

    /** The windows an image may be loaded into: RAM, ROMs and flash. */
    static List<MemoryWindow> windows(BoardDescription board, long ramBytes) {
        List<MemoryWindow> w = new ArrayList<>();
        for (BoardDescription.Memory m : board.memories()) {
            w.add(new MemoryWindow(m.isRam() ? "RAM" : m.name(), m.base(), m.isRam() ? ramBytes : m.size()));
        }
        for (DeviceSpec d : board.allDevices()) {
            if (d.type().name().equals("cfi-flash")) {
                w.add(new MemoryWindow(d.name(), d.window().base(), d.window().size()));
            }
        }
        return w;
    }

    /** RAM base if the image leaves room there, else the first page after the image's last RAM byte. */
    public static long placeDtb(LoadedImage image, int dtbSize, long ramBase, long ramBytes) throws ImageException {
        long candidate = ramBase;
        boolean clash;
        do {
            clash = false;
            for (Segment s : image.segments()) {
                long end = s.address() + s.memSize();
                if (s.address() < candidate + dtbSize && candidate < end) {
                    candidate = (end + 0xFFF) & ~0xFFFL;
                    clash = true;
                }
            }
        } while (clash);
        if (candidate + dtbSize > ramBase + ramBytes) {
            throw new ImageException(image.source().getFileName() + ": the image leaves no room in RAM for the "
                    + dtbSize + "-byte device tree; give the machine more --ram");
        }
        return candidate;
    }

    static String describeMap(String name, AddressSpace bus, MachineConfig config) {
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(" board, ").append(config.ramBytes() >> 20).append(" MiB RAM:\n");
        for (AddressSpace.Mapping m : bus.mappings()) {
            sb.append(String.format("  0x%08x-0x%08x  %-5s %s", m.base(), m.last(), m.region().kind(), m.region().name())).append('\n');
        }
        return sb.toString();
    }
}
