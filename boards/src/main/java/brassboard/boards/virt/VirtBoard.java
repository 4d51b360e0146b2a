package brassboard.boards.virt;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.gic.Gic;
import brassboard.arm.gic.GicV2m;
import brassboard.arm.timer.GenericTimer;
import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.ConfigException;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.IrqLine;
import brassboard.bus.api.MmioRegion;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.pcie.EcamHostBridge;
import brassboard.devices.flash.CfiFlash;
import brassboard.devices.rtc.Pl031;
import brassboard.devices.uart.Pl011;
import brassboard.firmware.api.ImageException;
import brassboard.firmware.api.Images;
import brassboard.firmware.api.LoadedImage;
import brassboard.firmware.fdt.FdtNode;
import brassboard.firmware.api.MemoryWindow;
import brassboard.firmware.api.Segment;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles QEMU's {@code virt} board from {@link VirtMap}: memory, devices, IRQ wiring, the
 * device tree, PSCI and semihosting, and the firmware image.
 *
 * <p>Boot protocol, as QEMU's {@code hw/arm/boot.c}: an image whose entry lies in flash boots
 * like {@code -bios}: registers zero, the DTB at the base of RAM. An image whose entry lies in
 * RAM boots like {@code -kernel}: r0 = 0, r1 = 0xffffffff (no machine number: use the DTB),
 * r2 = the DTB's address, placed at the base of RAM when the image leaves room there, else on
 * the first 4 KiB boundary after the image. (QEMU passes no DTB at all to a bare non-Linux ELF;
 * we always provide one, which firmware that ignores r2 cannot notice.) The CPU starts in SVC
 * mode with IRQ, FIQ and asynchronous aborts masked.
 */
public final class VirtBoard {
    /** The board's name on the command line. */
    public static final String NAME = "virt";
    /** Largest RAM one region can hold for now. */
    public static final long RAM_MAX = 2047L << 20;
    /** Smallest RAM that leaves room for a DTB and a program. */
    public static final long RAM_MIN = 1L << 20;

    private VirtBoard() {
    }

    /** Builds the board and loads the image. */
    public static Machine build(MachineConfig config, Console console) throws ConfigException, ImageException {
        return build(config, BoardOptions.none(), console);
    }

    /** Builds the board with host files backing its storage ({@code --flash1}) and loads the image. */
    public static Machine build(MachineConfig config, BoardOptions options, Console console) throws ConfigException, ImageException {
        if (config.cpus() < 1 || config.cpus() > MachineConfig.MAX_CPUS) {
            throw new ConfigException("the virt board has 1 to " + MachineConfig.MAX_CPUS + " CPUs, not " + config.cpus());
        }
        if (config.ramBytes() < RAM_MIN || config.ramBytes() > RAM_MAX || (config.ramBytes() & 0xFFF) != 0) {
            throw new ConfigException(String.format("RAM size %d bytes is not supported by the virt board; expected a multiple of 4 KiB between 1M and 2047M",
                    config.ramBytes()));
        }
        Psci.Conduit conduit = Psci.Conduit.HVC;
        int ncpus = config.cpus();
        FdtNode tree = VirtDeviceTree.build(config.ramBytes(), conduit, ncpus, config.seed());
        SpiWiring.addNodes(tree, options.spiFlash().isPresent(), options.spiEeprom().isPresent());
        options.dtbEdits().forEach(edit -> edit.accept(tree));
        LoadedImage image;
        byte[] dtb;
        long dtbAddress;
        if (options.kernel().isPresent()) {
            if (config.loadAddress().isPresent()) {
                throw new ConfigException("--load-addr does not apply to --kernel: a kernel goes where the boot protocol puts it");
            }
            LinuxBoot linux = LinuxBoot.prepare(config.image(), options.kernel().get(), tree, config.ramBytes());
            image = linux.image();
            dtb = linux.dtb();
            dtbAddress = linux.dtbAddress();
        } else {
            image = Images.load(config.image(), config.loadAddress());
            // A firmware image in flash (-bios) gets QEMU's roomy blob at RAM base; a program in RAM a small one.
            dtb = VirtDeviceTree.blob(tree, image.entry() < VirtMap.RAM_BASE
                    ? VirtDeviceTree.firmwareBlobSize(config.ramBytes()) : VirtDeviceTree.SMALL_FDT_SIZE);
            dtbAddress = placeDtb(image, dtb.length, config.ramBytes());
        }
        List<MemoryWindow> windows = List.of(
                new MemoryWindow("RAM", VirtMap.RAM_BASE, config.ramBytes()),
                new MemoryWindow("flash", VirtMap.FLASH0.base(), VirtMap.FLASH0.size() + VirtMap.FLASH1.size()));
        image.checkPlacement(windows);

        Scheduler scheduler = new Scheduler();
        Tracer tracer = new Tracer(scheduler);
        FaultPoints faults = new FaultPoints();
        AddressSpace bus = new AddressSpace(tracer, faults);

        // Two CFI flash banks as QEMU's virt_flash_create1 (pflash_cfi01): bank 0 holds an image
        // whose entry is in flash (-bios), bank 1 U-Boot's environment, backed by --flash1.
        CfiFlash flash0 = new CfiFlash(VirtMap.FLASH0.name(), CfiFlash.Geometry.virt(), tracer);
        CfiFlash flash1 = new CfiFlash(VirtMap.FLASH1.name(), CfiFlash.Geometry.virt(), tracer);
        if (options.flash1().isPresent()) {
            try {
                flash1.persistTo(options.flash1().get());
            } catch (java.io.IOException e) {
                throw new ConfigException("--flash1 " + e.getMessage());
            }
        }
        bus.map(VirtMap.FLASH0.base(), flash0);
        bus.map(VirtMap.FLASH1.base(), flash1);
        // PCIe host bridge (QEMU gpex): ECAM, I/O and 32-bit memory windows; endpoints plug in through Machine.pcieHost().
        EcamHostBridge pcie = new EcamHostBridge("pcie", (int) (VirtMap.PCIE_ECAM.size() / EcamHostBridge.ECAM_BUS_SIZE), tracer);
        bus.map(VirtMap.PCIE_ECAM.base(), new MmioRegion(VirtMap.PCIE_ECAM.name(), VirtMap.PCIE_ECAM.size(), pcie.ecam()));
        bus.map(VirtMap.PCIE_PIO.base(), new MmioRegion(VirtMap.PCIE_PIO.name(), VirtMap.PCIE_PIO.size(), pcie.pioWindow()));
        bus.map(VirtMap.PCIE_MMIO.base(), new MmioRegion(VirtMap.PCIE_MMIO.name(), VirtMap.PCIE_MMIO.size(),
                pcie.mmioWindow(VirtMap.PCIE_MMIO.base())));
        bus.map(VirtMap.RAM_BASE, new Ram("ram", config.ramBytes()));

        // GICv2 with a CPU interface per core (IHI 0048B); the distributor's registers fill the first
        // 4 KiB of its 64 KiB window and the CPU interface's the first 8 KiB of its own, as on QEMU's
        // virt. Both are banked per core: the view answering an access is the accessing core's.
        Gic gic = new Gic("gic", ncpus, VirtMap.GIC_SPIS, scheduler, tracer);
        java.util.function.IntSupplier accessingCpu = () -> {
            int m = bus.currentMaster();
            return m >= 0 && m < ncpus ? m : 0; // a debugger's or DMA master's access sees core 0's bank
        };
        bus.map(VirtMap.GIC_DIST.base(), new MmioRegion(VirtMap.GIC_DIST.name(), VirtMap.GIC_DIST.size(), gic.distributorFor(accessingCpu)));
        bus.map(VirtMap.GIC_CPU.base(), new MmioRegion(VirtMap.GIC_CPU.name(), VirtMap.GIC_CPU.size(), gic.cpuInterfaceFor(accessingCpu)));
        // GICv2m MSI frame (QEMU create_v2m): an endpoint's MSI write to MSI_SETSPI_NS is an edge on SPIs 48-111.
        GicV2m v2m = new GicV2m(VirtMap.GIC_V2M.name(), VirtMap.GIC_V2M.spi(), VirtMap.GIC_V2M_SPIS, tracer);
        bus.map(VirtMap.GIC_V2M.base(), new MmioRegion(VirtMap.GIC_V2M.name(), VirtMap.GIC_V2M.size(), v2m.mmio()));
        for (int i = 0; i < v2m.count(); i++) {
            v2m.output(i).connect(gic.spi(v2m.firstSpi() + i));
        }
        // PCIe INTA-INTD (after the bridge's swizzle) -> SPIs 3-6, as create_pcie_irq_map.
        for (int i = 0; i < EcamHostBridge.PINS; i++) {
            pcie.intx(i).connect(gic.spi(VirtMap.PCIE_MMIO.spi() + i));
        }
        // USB (--usb): an EHCI at PCI 00:01.0 with its devices, only when any are given.
        UsbWiring.attach(options.usb(), pcie, scheduler, tracer, bus, faults);
        // WiFi (--wifi): the baseband at PCI 00:02.0 with its RF on the baseband's SPI master, only when asked.
        WifiWiring wifi = WifiWiring.attach(options.wifi(), pcie, scheduler, tracer, bus, faults);

        Pl011 uart = new Pl011(VirtMap.UART0.name(), scheduler, tracer, console);
        bus.map(VirtMap.UART0.base(), new MmioRegion(VirtMap.UART0.name(), VirtMap.UART0.size(), uart.mmio()));
        Pl031 rtc = new Pl031(VirtMap.RTC.name(), scheduler, tracer, config.rtcEpochSeconds());
        bus.map(VirtMap.RTC.base(), new MmioRegion(VirtMap.RTC.name(), VirtMap.RTC.size(), rtc.mmio()));
        // IRQ map: uart0 -> SPI 1, rtc -> SPI 2 (VirtMap), into the GIC.
        uart.irq().connect(gic.spi(VirtMap.UART0.spi()));
        rtc.irq().connect(gic.spi(VirtMap.RTC.spi()));
        uart.irq().declareFaultPoint(faults);
        rtc.irq().declareFaultPoint(faults);
        // SPI (--spi-flash, --spi-eeprom): PL022s at Brassboard's addresses, only when asked for.
        SpiWiring spi = SpiWiring.attach(options.spiFlash(), options.spiEeprom(), bus, gic, scheduler, tracer, faults);
        for (int i = 0; i < EcamHostBridge.PINS; i++) {
            pcie.intx(i).declareFaultPoint(faults); // irq.pcie.inta .. irq.pcie.intd
        }

        boolean kernelStyle = image.entry() >= VirtMap.RAM_BASE;

        Services services = new Services(conduit);
        List<ArmCpu> cpus = new ArrayList<>();
        for (int i = 0; i < ncpus; i++) {
            ArmCpu cpu = new ArmCpu(i, bus, services);
            cpu.setObserver(new CpuTrace("cpu" + i, tracer));
            // The core's generic timer, its outputs on the core's PPIs as QEMU's virt wires them
            // (hw/arm/virt.c timer_irq[]; INTIDs from include/hw/arm/bsa.h): non-secure physical
            // (CNTP_*) PPI 14, virtual PPI 11, hyp PPI 10, secure physical PPI 13.
            GenericTimer timer = new GenericTimer("cpu" + i + ".timer", scheduler, tracer, faults, "cpu" + i);
            cpu.attachGenericTimer(timer);
            timer.physicalIrq().connect(gic.ppi(i, VirtMap.TIMER_PPI_NS_PHYS));
            timer.virtualIrq().connect(gic.ppi(i, VirtMap.TIMER_PPI_VIRT));
            timer.hypIrq().connect(gic.ppi(i, VirtMap.TIMER_PPI_HYP));
            timer.securePhysicalIrq().connect(gic.ppi(i, VirtMap.TIMER_PPI_SEC_PHYS));
            for (IrqLine line : List.of(timer.physicalIrq(), timer.virtualIrq(), timer.hypIrq(), timer.securePhysicalIrq())) {
                line.declareFaultPoint(faults); // irq.cpuN.timer.phys, ...
            }
            cpu.declareFaultPoint(faults); // cpuN.reg
            gic.irqOut(i).connect((line, level) -> cpu.setIrqLine(level));
            gic.fiqOut(i).connect((line, level) -> cpu.setFiqLine(level));
            cpus.add(cpu);
        }
        ArmCpu.shareInnerDomain(cpus); // TLBI...IS from one core reaches every core
        Machine machine = new Machine(config, scheduler, tracer, faults, bus, cpus, console);
        services.attach(machine, bus, console, tracer, scheduler, config.rtcEpochSeconds());
        machine.attachInterruptController(gic);
        machine.attachPcieHost(pcie);
        if (wifi != null) {
            machine.attachWifi(wifi.baseband(), wifi.air());
        }

        Machine.Board board = new Machine.Board() {
            @Override
            public void reset() {
                for (Segment s : image.segments()) {
                    byte[] all = new byte[(int) s.memSize()];
                    System.arraycopy(s.data(), 0, all, 0, s.data().length);
                    bus.load(s.address(), all);
                }
                bus.load(dtbAddress, dtb);
                flash0.reset();
                flash1.reset();
                pcie.reset();
                gic.reset();
                uart.reset();
                rtc.reset();
                spi.reset();
                for (ArmCpu c : cpus) {
                    c.reset((int) image.entry()); // secondaries stay off until CPU_ON resets them again
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
                return describeMap(bus, config);
            }
        };
        machine.attachBoard(board);
        board.reset();
        return machine;
    }

    /** RAM base if the image leaves room there, else the first page after the image's last RAM byte. */
    static long placeDtb(LoadedImage image, int dtbSize, long ramBytes) throws ImageException {
        long candidate = VirtMap.RAM_BASE;
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
        if (candidate + dtbSize > VirtMap.RAM_BASE + ramBytes) {
            throw new ImageException(image.source().getFileName() + ": the image leaves no room in RAM for the "
                    + dtbSize + "-byte device tree; give the machine more --ram");
        }
        return candidate;
    }

    static String describeMap(AddressSpace bus, MachineConfig config) {
        StringBuilder sb = new StringBuilder();
        List<String> rows = new ArrayList<>();
        for (AddressSpace.Mapping m : bus.mappings()) {
            rows.add(String.format("  0x%08x-0x%08x  %-5s %s", m.base(), m.last(), m.region().kind(), m.region().name()));
        }
        sb.append("virt board, ").append(config.ramBytes() >> 20).append(" MiB RAM:\n");
        for (String r : rows) {
            sb.append(r).append('\n');
        }
        return sb.toString();
    }

    /** The firmware services the emulator itself provides: PSCI and semihosting. */
    private static final class Services implements CpuCallbacks {
        private final Psci.Conduit conduit;
        private Psci psci;
        private Machine machine;
        private Semihosting semihosting;
        private Tracer tracer;

        Services(Psci.Conduit conduit) {
            this.conduit = conduit;
        }

        void attach(Machine machine, AddressSpace bus, Console console, Tracer t, Scheduler scheduler, long epoch) {
            this.tracer = t;
            Machine.PowerControl power = machine.power();
            this.machine = machine;
            this.psci = new Psci(new Psci.Power() {
                @Override
                public void systemOff() {
                    power.powerOff("PSCI SYSTEM_OFF");
                }

                @Override
                public void systemReset() {
                    power.reset("PSCI SYSTEM_RESET");
                }

                @Override
                public void cpuOff(ArmCpu cpu) {
                    machine.powerDown(cpu.cpuId());
                }

                @Override
                public int cpuCount() {
                    return machine.cpus().size();
                }

                @Override
                public boolean isOn(int cpu) {
                    return machine.isPowered(cpu);
                }

                @Override
                public void cpuOn(int cpu, int entry, int contextId) {
                    machine.powerOn(cpu, entry, contextId);
                }
            });
            this.semihosting = new Semihosting(bus, console::transmit, new Semihosting.Host() {
                @Override
                public void exit(int status, String how) {
                    power.exit(status, "semihosting " + how);
                }

                @Override
                public long virtualTimeNs() {
                    return scheduler.now();
                }

                @Override
                public long epochSeconds() {
                    return epoch;
                }

                @Override
                public void warnOnce(String key, String message) {
                    t.warnOnce(key, "semihosting", message);
                }
            });
        }

        @Override
        public boolean onSupervisorCall(ArmCpu cpu, int imm24) {
            boolean thumb = (cpu.cpsr() & brassboard.arm.core.Psr.T) != 0;
            if (imm24 != (thumb ? Semihosting.SVC_IMMEDIATE_THUMB : Semihosting.SVC_IMMEDIATE)) {
                return false;
            }
            String what = semihosting.call(cpu);
            tracer.emit("semihost", "semihosting.call", what);
            return true;
        }

        @Override
        public boolean onHypervisorCall(ArmCpu cpu, int imm16) {
            return conduit == Psci.Conduit.HVC && psci(cpu, "hvc");
        }

        @Override
        public boolean onSecureMonitorCall(ArmCpu cpu, int imm4) {
            return conduit == Psci.Conduit.SMC && psci(cpu, "smc");
        }

        @Override
        public void onSendEvent(ArmCpu cpu) {
            // SEV: an event for every other core (ARM ARM B1.8.13, "SEV": all processors in the system).
            for (ArmCpu other : machine.cpus()) {
                if (other != cpu) {
                    other.signalEvent();
                }
            }
        }

        private boolean psci(ArmCpu cpu, String via) {
            int fn = cpu.reg(0);
            String what = psci.call(cpu);
            tracer.emit("psci", "psci.call", String.format("%s via %s (function 0x%08x)", what, via, fn));
            return true;
        }
    }
}
