package brassboard.boards.board;

import brassboard.arm.gic.Gic;
import brassboard.arm.gic.GicV2m;
import brassboard.arm.timer.GenericTimer;
import brassboard.boards.api.ConfigException;
import brassboard.boards.board.wiring.Psci;
import brassboard.bus.api.IrqLine;
import brassboard.firmware.fdt.FdtNode;
import java.util.List;

/**
 * Catalogue entries for the parts of the ARM system itself: the GICv2 and its v2m MSI frame, the
 * cores' generic timers, a fixed clock, and the firmware services the emulator provides (PSCI,
 * semihosting).
 */
final class SystemDevices {
    /** #address-cells of the GIC node (2, as QEMU's, for its v2m child's reg). */
    static final int GIC_ADDRESS_CELLS = 2;

    private SystemDevices() {
    }

    static List<DeviceType> types() {
        return List.of(psci(), semihosting(), timer(), fixedClock(), gicv2(), gicv2m(), irqOr());
    }

    /** PSCI 1.0 served by the emulator on HVC or SMC (DEN0022); its node as QEMU's virt writes it. */
    private static DeviceType psci() {
        return DeviceType.define("psci", "Power State Coordination Interface served by the emulator (CPU_ON/OFF, SYSTEM_OFF/RESET)")
                .on(DeviceType.Bus.NONE)
                .param(Param.choice("conduit", "hvc", List.of("hvc", "smc"), "the instruction that reaches PSCI"))
                .factory((ctx, spec) -> ctx.services().enablePsci(spec.text("conduit").equals("hvc") ? Psci.Conduit.HVC : Psci.Conduit.SMC))
                .node((dt, spec, parent) -> dt.node(spec, parent.child("psci"))
                        .prop("compatible", "arm,psci-1.0", "arm,psci-0.2", "arm,psci")
                        .prop("method", spec.text("conduit"))
                        .prop("cpu_suspend", Psci.CPU_SUSPEND)
                        .prop("cpu_off", Psci.CPU_OFF)
                        .prop("cpu_on", Psci.CPU_ON)
                        .prop("migrate", Psci.MIGRATE));
    }

    /** ARM semihosting (SVC 0x123456 / 0xAB): console output, the clock, exit. */
    private static DeviceType semihosting() {
        return DeviceType.define("semihosting", "ARM semihosting served by the emulator (SYS_WRITE0, SYS_CLOCK, SYS_EXIT ...)")
                .on(DeviceType.Bus.NONE)
                .factory((ctx, spec) -> ctx.services().enableSemihosting());
    }

    /**
     * The cores' generic timers (ARM ARM B8), one per core, their four outputs on the core's PPIs;
     * the node lists secure, non-secure physical, virtual and hyp PPIs in the order of the
     * arm,armv7-timer binding, as QEMU's fdt_add_timer_nodes.
     */
    private static DeviceType timer() {
        return DeviceType.define("armv7-timer", "ARM generic timer of each core (CNTP/CNTV/CNTHP/CNTPS), outputs on per-core PPIs")
                .on(DeviceType.Bus.NONE)
                .irqs("sec-phys", "phys", "virt", "hyp")
                .faults("timer.cpuN.phys", "timer.cpuN.virt", "irq.cpuN.timer.phys", "irq.cpuN.timer.virt", "irq.cpuN.timer.hyp", "irq.cpuN.timer.sec-phys")
                .perCore((ctx, spec, core, cpu) -> {
                    Gic gic = gicOrNull(ctx);
                    GenericTimer timer = new GenericTimer("cpu" + core + ".timer", ctx.scheduler(), ctx.tracer(), ctx.faults(), "cpu" + core);
                    cpu.attachGenericTimer(timer);
                    connectPpi(gic, spec, "phys", core, timer.physicalIrq());
                    connectPpi(gic, spec, "virt", core, timer.virtualIrq());
                    connectPpi(gic, spec, "hyp", core, timer.hypIrq());
                    connectPpi(gic, spec, "sec-phys", core, timer.securePhysicalIrq());
                    for (IrqLine line : List.of(timer.physicalIrq(), timer.virtualIrq(), timer.hypIrq(), timer.securePhysicalIrq())) {
                        line.declareFaultPoint(ctx.faults()); // irq.cpuN.timer.phys, ...
                    }
                })
                .node((dt, spec, parent) -> dt.node(spec, parent.child("timer"))
                        .propEmpty("always-on")
                        .propCells("interrupts", dt.interrupts(spec, "sec-phys", "phys", "virt", "hyp"))
                        .prop("compatible", "arm,armv7-timer"));
    }

    private static Gic gicOrNull(BuildContext ctx) {
        return ctx.gicOrNull();
    }

    private static void connectPpi(Gic gic, DeviceSpec spec, String output, int core, IrqLine line) {
        DeviceSpec.IrqTarget t = spec.irq(output);
        if (gic != null && t != null) {
            line.connect(gic.ppi(core, t.first()));
        }
    }

    /** A fixed-rate clock other nodes reference ({@code clock: NAME}): QEMU virt's 24 MHz apb-pclk. */
    private static DeviceType fixedClock() {
        return DeviceType.define("fixed-clock", "a fixed-rate clock for other devices' clock: parameter (device-tree only)")
                .on(DeviceType.Bus.NONE)
                .phandle()
                .param(Param.integer("frequency", 24_000_000, 1, 4_000_000_000L, "the rate in Hz"))
                .param(Param.text("output-name", "clk", "clock-output-names"))
                .node((dt, spec, parent) -> dt.node(spec, parent.child(spec.name()))
                        .prop("compatible", "fixed-clock")
                        .prop("#clock-cells", 0)
                        .prop("clock-frequency", (int) spec.number("frequency"))
                        .prop("clock-output-names", spec.text("output-name"))
                        .phandle(dt.phandle(spec.name())));
    }

    /**
     * The GICv2 (IHI 0048B): a distributor and a CPU interface per core, both banked per core (the
     * view answering an access is the accessing core's). Targets {@code spi N} and {@code ppi N}
     * in the board file name its inputs.
     */
    private static DeviceType gicv2() {
        return DeviceType.define("gicv2", "ARM Generic Interrupt Controller v2 (distributor + per-core CPU interfaces)")
                .window("dist", 0x1000, 0x10000, true, "the distributor's window (4 KiB of registers)")
                .window("cpu", 0x2000, 0x10000, true, "the CPU interfaces' window (8 KiB of registers)")
                .interruptController()
                .param(Param.integer("spis", 256, 32, 988, "shared peripheral interrupts (a multiple of 32; GICD_TYPER.ITLinesNumber)"))
                .check(spec -> spec.number("spis") % 32 == 0 ? null : "spis: " + spec.number("spis") + " is not a multiple of 32")
                .factory((ctx, spec) -> {
                    int ncpus = ctx.config().cpus();
                    Gic gic = new Gic(spec.name(), ncpus, (int) spec.number("spis"), ctx.scheduler(), ctx.tracer());
                    java.util.function.IntSupplier accessingCpu = () -> {
                        int m = ctx.bus().currentMaster();
                        return m >= 0 && m < ncpus ? m : 0; // a debugger's or DMA master's access sees core 0's bank
                    };
                    ctx.map(spec, "dist", gic.distributorFor(accessingCpu));
                    ctx.map(spec, "cpu", gic.cpuInterfaceFor(accessingCpu));
                    ctx.gic(gic);
                    ctx.publish(spec.name(), gic);
                    ctx.inputs(spec, t -> t.isSpi() ? gic.spi(t.first()) : null);
                    ctx.onReset(gic::reset);
                    ctx.onMachine(m -> m.attachInterruptController(gic));
                })
                .node((dt, spec, parent) -> {
                    FdtNode intc = dt.node(spec, parent.child(DeviceTreeWriter.nodeName("intc", spec.window("dist").base())))
                            .prop("compatible", "arm,cortex-a15-gic")
                            .prop("#interrupt-cells", 3)
                            .propEmpty("interrupt-controller")
                            .prop("#address-cells", GIC_ADDRESS_CELLS)
                            .propCells("reg", DeviceTreeWriter.Context.reg(spec.window("dist"), spec.window("cpu")))
                            .phandle(dt.phandle(spec.name()));
                    intc.prop("#size-cells", 2).propEmpty("ranges"); // for a v2m child, as QEMU's create_v2m
                });
    }

    /**
     * A wired-OR of interrupt lines (a shared, level-sensitive interrupt line on a board): its
     * output is high while any input is. Devices wire an output to {@code NAME.inN}; the device
     * tree gives each of them the input the combiner's own output reaches.
     */
    private static DeviceType irqOr() {
        return DeviceType.define("irq-or", "wired-OR of interrupt lines: a shared interrupt line (no registers)")
                .on(DeviceType.Bus.NONE)
                .param(Param.integer("inputs", 2, 2, 32, "how many inputs (in0, in1, ...)"))
                .irqs("out")
                .inputs("in0 .. inN-1", (spec, name) -> name.matches("in\\d+") && Integer.parseInt(name.substring(2)) < spec.number("inputs"))
                .faults("irq.{name}")
                .factory((ctx, spec) -> {
                    IrqLine out = new IrqLine(spec.name(), ctx.tracer());
                    out.declareFaultPoint(ctx.faults());
                    int n = (int) spec.number("inputs");
                    boolean[] levels = new boolean[n];
                    ctx.output(spec, "out", out);
                    ctx.inputs(spec, t -> {
                        int i = Integer.parseInt(t.input().substring(2));
                        return (line, level) -> {
                            levels[i] = level;
                            boolean any = false;
                            for (boolean l : levels) {
                                any |= l;
                            }
                            out.set(any);
                        };
                    });
                });
    }

    /** The GICv2m MSI frame: an endpoint's write to MSI_SETSPI_NS is an edge on one of its SPIs. */
    private static DeviceType gicv2m() {
        return DeviceType.define("gicv2m", "GICv2m MSI frame: MSI writes become edges on a range of GIC SPIs")
                .window("regs", 0x1000, 0x1000, true, "the frame's 4 KiB window")
                .phandle()
                .irqs("msi")
                .factory((ctx, spec) -> {
                    DeviceSpec.IrqTarget t = spec.irq("msi");
                    if (t == null || !t.isSpi()) {
                        throw new ConfigException(ctx.board().source() + ": line " + spec.line() + ": devices[" + spec.name()
                                + "].irqs.msi: missing; a gicv2m needs a range of SPIs (msi: spi 48-111)");
                    }
                    GicV2m v2m = new GicV2m(spec.name(), t.first(), t.count(), ctx.tracer());
                    ctx.map(spec, "regs", v2m.mmio());
                    ctx.publish(spec.name(), v2m);
                    Gic gic = ctx.gic();
                    for (int i = 0; i < v2m.count(); i++) {
                        v2m.output(i).connect(gic.spi(v2m.firstSpi() + i));
                    }
                })
                .node((dt, spec, parent) -> dt.node(spec, parent.child(DeviceTreeWriter.nodeName("v2m", spec.window().base())))
                        .prop("compatible", "arm,gic-v2m-frame")
                        .propEmpty("msi-controller")
                        .propCells("reg", DeviceTreeWriter.Context.reg(spec.window()))
                        .phandle(dt.phandle(spec.name())));
    }
}
