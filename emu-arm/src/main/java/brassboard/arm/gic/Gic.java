package brassboard.arm.gic;

import brassboard.bus.api.IrqLine;
import brassboard.bus.api.IrqSink;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.api.regs.Access;
import brassboard.bus.api.regs.Register;
import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * A GICv2 interrupt controller — distributor and CPU interfaces, without the Security or
 * Virtualization Extensions — after the ARM GIC Architecture Specification v2 (ARM IHI 0048B),
 * with QEMU's {@code arm_gic} (revision 2, {@code security_extn} off) as the behavioural oracle.
 *
 * <h2>Inputs and outputs</h2>
 * <ul>
 *   <li>{@link #spi(int) spi(n)}: SPI n, INTID 32+n. {@link #ppi(int, int) ppi(cpu, n)}: PPI n of that
 *       CPU, INTID 16+n (n = 0..15; QEMU virt's numbering, e.g. the EL1 physical timer is PPI 14,
 *       INTID 30). SGIs (INTID 0..15) have no input: software raises them through GICD_SGIR.</li>
 *   <li>Inputs are edge- or level-sensitive per GICD_ICFGR (§4.3.13): an edge-sensitive input
 *       becomes pending on a rising edge or a {@link IrqLine#pulse() pulse}; a level-sensitive one is
 *       pending while it is high (§1.4.2, §3.2.4), so it is pending again after EOI if still high.</li>
 *   <li>{@link #irqOut(int)} and {@link #fiqOut(int)}: per CPU. The highest-priority pending interrupt
 *       that may preempt is signalled as FIQ when it is Group 0 and GICC_CTLR.FIQEn is set, else as
 *       IRQ (§3.6). Outputs are recomputed after every state change.</li>
 * </ul>
 *
 * <h2>Banking: which CPU is accessing</h2>
 * The SGI/PPI registers of the distributor (GICD_IGROUPR0, ISENABLER0, IPRIORITYR0-7, ITARGETSR0-7,
 * ICFGR1, C/SPENDSGIRn, …) and the whole CPU interface are banked per CPU (§4.1.4). The bus has no
 * notion of the accessing CPU, so the board chooses: {@link #distributor(int)} and
 * {@link #cpuInterface(int)} are fixed per-CPU views (map each in that CPU's address space), and
 * {@link #distributorFor(IntSupplier)} / {@link #cpuInterfaceFor(IntSupplier)} are views that ask the
 * supplier which CPU is running at each access (one mapping shared by all CPUs). With one CPU,
 * {@link #distributor()} is the only view needed.
 *
 * <h2>Choices where the spec leaves room</h2>
 * <ul>
 *   <li>8 priority bits, 128 preemption levels (minimum BPR 0, minimum ABPR 1), as QEMU.</li>
 *   <li>SGIs are always enabled (ISENABLER0[15:0] RAO/WI, ICENABLER0[15:0] WI) and edge-triggered;
 *       PPI configuration is programmable (QEMU); PPIs reset level-sensitive.</li>
 *   <li>With one CPU, GICD_ITARGETSRn are RAZ/WI and every SPI goes to CPU 0 (§4.3.12).</li>
 *   <li>An SPI has one pending and one active state (1-N model, §1.4.3): whichever targeted CPU
 *       acknowledges it first takes it.</li>
 *   <li>Interrupts of a group that GICD_CTLR or GICC_CTLR disables are not forwarded and do not
 *       take part in prioritization (§4.3.1, §4.4.1).</li>
 *   <li>Without the Security Extensions, accesses behave as Secure ones (§4.4.4): a Group 1
 *       interrupt is acknowledged only with GICC_CTLR.AckCtl set, else GICC_IAR reads 1022.</li>
 *   <li>GICD_SGIR.TargetListFilter = 0b11 (reserved) sends nothing, with a warning.</li>
 *   <li>Not modelled: GICC_AIAR/AEOIR/AHPPIR (RAZ/WI), the interrupt bypass bits of GICC_CTLR
 *       (RAZ/WI, as QEMU), power management (GICC_CTLR bits 5-8).</li>
 * </ul>
 */
public final class Gic {

    // ---- Distributor register map, IHI 0048B §4.1.2 Table 4-1 ----
    public static final int GICD_CTLR = 0x000;
    public static final int GICD_TYPER = 0x004;
    public static final int GICD_IIDR = 0x008;
    public static final int GICD_IGROUPR = 0x080;
    public static final int GICD_ISENABLER = 0x100;
    public static final int GICD_ICENABLER = 0x180;
    public static final int GICD_ISPENDR = 0x200;
    public static final int GICD_ICPENDR = 0x280;
    public static final int GICD_ISACTIVER = 0x300;
    public static final int GICD_ICACTIVER = 0x380;
    public static final int GICD_IPRIORITYR = 0x400;
    public static final int GICD_ITARGETSR = 0x800;
    public static final int GICD_ICFGR = 0xC00;
    public static final int GICD_SGIR = 0xF00;
    public static final int GICD_CPENDSGIR = 0xF10;
    public static final int GICD_SPENDSGIR = 0xF20;
    /** Identification registers ICPIDR4-7, ICPIDR0-3, ICCIDR0-3 (§4.3.18 and Table 4-1, 0xFD0-0xFFC). */
    public static final int GICD_ID_BASE = 0xFD0;
    /** The distributor's register window. */
    public static final int DISTRIBUTOR_SIZE = 0x1000;

    // ---- CPU interface register map, §4.1.3 Table 4-2 ----
    public static final int GICC_CTLR = 0x000;
    public static final int GICC_PMR = 0x004;
    public static final int GICC_BPR = 0x008;
    public static final int GICC_IAR = 0x00C;
    public static final int GICC_EOIR = 0x010;
    public static final int GICC_RPR = 0x014;
    public static final int GICC_HPPIR = 0x018;
    public static final int GICC_ABPR = 0x01C;
    public static final int GICC_APR = 0x0D0;
    public static final int GICC_NSAPR = 0x0E0;
    public static final int GICC_IIDR = 0x0FC;
    public static final int GICC_DIR = 0x1000;
    /** The CPU interface's register window (GICC_DIR is at 0x1000). */
    public static final int CPU_INTERFACE_SIZE = 0x2000;

    // ---- Interrupt IDs, §2.2.1 ----
    public static final int SGI_COUNT = 16;
    public static final int PPI_COUNT = 16;
    public static final int PRIVATE_COUNT = SGI_COUNT + PPI_COUNT;
    public static final int SPI_BASE = PRIVATE_COUNT;
    /** The largest number of interrupt IDs (0..1019), §2.2.1. */
    public static final int MAX_INTERRUPTS = 1020;
    public static final int MAX_CPUS = 8;
    /** GICC_IAR/HPPIR: a Group 1 interrupt is pending but GICC_CTLR.AckCtl hides it, §3.2.5. */
    public static final int INTID_GROUP1_HIDDEN = 1022;
    /** GICC_IAR/HPPIR: no pending interrupt (spurious), §3.2.5. */
    public static final int INTID_SPURIOUS = 1023;

    // ---- GICD_CTLR, §4.3.1 ----
    public static final int GICD_CTLR_ENABLE_GRP0 = 1 << 0;
    public static final int GICD_CTLR_ENABLE_GRP1 = 1 << 1;

    // ---- GICC_CTLR without Security Extensions, §4.4.1 Table 4-32 ----
    public static final int GICC_CTLR_ENABLE_GRP0 = 1 << 0;
    public static final int GICC_CTLR_ENABLE_GRP1 = 1 << 1;
    public static final int GICC_CTLR_ACK_CTL = 1 << 2;
    public static final int GICC_CTLR_FIQ_EN = 1 << 3;
    public static final int GICC_CTLR_CBPR = 1 << 4;
    public static final int GICC_CTLR_EOI_MODE = 1 << 9;

    // ---- GICD_SGIR, §4.3.15 ----
    private static final int SGIR_INTID_BITS = 4;
    private static final int SGIR_TARGET_LIST_SHIFT = 16;
    private static final int SGIR_FILTER_SHIFT = 24;
    public static final int SGIR_FILTER_LIST = 0;
    public static final int SGIR_FILTER_ALL_BUT_SELF = 1;
    public static final int SGIR_FILTER_SELF = 2;

    // ---- Fields shared by GICC_IAR, EOIR, HPPIR, DIR: interrupt ID [9:0] and source CPU [12:10] ----
    private static final int INTID_BITS = 10;
    private static final int INTID_MASK = (1 << INTID_BITS) - 1;
    private static final int CPUID_SHIFT = 10;
    private static final int CPUID_BITS = 3;

    /** Arm's JEP106 code as the implementer in GICD_IIDR and GICC_IIDR (§4.3.3, §4.4.14), as QEMU. */
    private static final int IMPLEMENTER_ARM = 0x43B;
    /** GICC_IIDR.ArchitectureVersion: GICv2. */
    private static final int ARCH_VERSION = 2;
    /** ICPIDR4-7, ICPIDR0-3, ICCIDR0-3 as QEMU's GICv2 (ICPIDR2 = 0x2B: ArchRev 2). */
    private static final int[] ID_REGISTER_VALUES = {0x04, 0x00, 0x00, 0x00, 0x90, 0xB4, 0x2B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
    private static final String[] ID_REGISTER_NAMES = {"ICPIDR4", "ICPIDR5", "ICPIDR6", "ICPIDR7", "ICPIDR0", "ICPIDR1",
        "ICPIDR2", "ICPIDR3", "ICCIDR0", "ICCIDR1", "ICCIDR2", "ICCIDR3"};

    // ---- Priorities, §3.3 ----
    private static final int PRIORITY_BITS = 8;
    private static final int PRIORITY_MASK = (1 << PRIORITY_BITS) - 1;
    /** Running priority when no interrupt is active (reads 0xFF in GICC_RPR, §4.4.6). */
    private static final int IDLE_PRIORITY = 0x100;
    private static final int BPR_BITS = 3;
    private static final int MIN_ABPR = 1;
    /** 128 preemption levels (minimum BPR 0) in 4 active priority registers, §4.4.12. */
    private static final int APR_COUNT = 4;
    private static final int WORD_BITS = 32;
    private static final int BYTES_PER_WORD = 4;
    private static final int BYTE_BITS = 8;
    private static final int BYTE_MASK = 0xFF;
    /** GICD_ICFGRn hold 16 two-bit fields; bit 1 of each is the edge-triggered flag, §4.3.13. */
    private static final int CFG_PER_WORD = 16;
    private static final int SGI_BITS = (1 << SGI_COUNT) - 1;

    private final String name;
    /** The names of the lines driving each PPI (per CPU) and SPI, recorded when they first move (for reports). */
    private final String[][] ppiNames;
    private final String[] spiNames;
    private final int cpus;
    private final int interrupts;
    private final int words;
    private final int allCpus;
    private final Tracer tracer;

    // ---- Interrupt state. Word 0 (SGIs and PPIs) is banked per CPU, the SPI words are shared. ----
    private final BitState enabled;
    private final BitState pendingLatch;
    private final BitState active;
    private final BitState group1;
    private final BitState edge;
    private final BitState level;
    private final int[][] privatePriority;
    private final int[] spiPriority;
    private final int[] spiTargets;
    /** Per target CPU and SGI: the set of source CPUs it is pending from (§4.3.15, §4.3.17). */
    private final int[][] sgiSources;
    /** Active priority bits per CPU, Group 0 (GICC_APRn) and Group 1 (GICC_NSAPRn), §4.4.12-4.4.13. */
    private final int[][] apr;
    private final int[][] nsapr;

    private final ComputedRegisters distributorRegs;
    private final Register gicdCtlr;
    private final ComputedRegisters[] cpuRegs;
    private final Register[] gicc;
    private final Register[] pmr;
    private final Register[] bpr;
    private final Register[] abpr;
    private final MmioDevice[] distributorViews;
    private final IrqSink[] spiSinks;
    private final IrqSink[][] ppiSinks;
    private final IrqLine[] irqLines;
    private final IrqLine[] fiqLines;
    /** The CPU whose view of the distributor the current access uses. */
    private int accessCpu;
    private final Scheduler scheduler;
    private AckListener ackListener;
    /** With a listener: since when each interrupt has been pending and not active, per CPU for IDs 0-31 (else row 0); -1: not. */
    private long[][] waitingSince;

    /** Told of every interrupt a CPU acknowledges (GICC_IAR); see {@link #setAckListener}. */
    @FunctionalInterface
    public interface AckListener {
        /**
         * CPU {@code cpu} read GICC_IAR at {@code ackNs} and took {@code intid}, which had been
         * pending and not active since {@code pendingSinceNs} (virtual time).
         */
        void onAcknowledge(int cpu, int intid, long pendingSinceNs, long ackNs);
    }

    /**
     * A GIC named {@code name} (trace source, line names) for {@code cpus} CPUs (1..8) and
     * {@code spis} shared peripheral interrupts (a multiple of 32; QEMU virt uses 96, giving
     * GICD_TYPER.ITLinesNumber = 3 and 128 interrupt IDs). The GIC keeps no time of its own; it
     * reads the scheduler's clock only to tell an {@link AckListener} how long interrupts waited.
     */
    public Gic(String name, int cpus, int spis, Scheduler scheduler, Tracer tracer) {
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException(name + ": a GICv2 serves 1 to " + MAX_CPUS + " CPUs, not " + cpus);
        }
        if (spis < 0 || spis % WORD_BITS != 0 || SPI_BASE + spis > MAX_INTERRUPTS) {
            throw new IllegalArgumentException(name + ": the SPI count must be a multiple of 32 from 0 to "
                    + (MAX_INTERRUPTS - SPI_BASE) / WORD_BITS * WORD_BITS + ", not " + spis);
        }
        this.name = name;
        this.cpus = cpus;
        this.interrupts = SPI_BASE + spis;
        this.words = interrupts / WORD_BITS;
        this.allCpus = (1 << cpus) - 1;
        this.tracer = tracer;
        this.scheduler = scheduler;
        this.enabled = new BitState(cpus, words);
        this.pendingLatch = new BitState(cpus, words);
        this.active = new BitState(cpus, words);
        this.group1 = new BitState(cpus, words);
        this.edge = new BitState(cpus, words);
        this.level = new BitState(cpus, words);
        this.privatePriority = new int[cpus][PRIVATE_COUNT];
        this.spiPriority = new int[interrupts];
        this.spiTargets = new int[interrupts];
        this.sgiSources = new int[cpus][SGI_COUNT];
        this.apr = new int[cpus][APR_COUNT];
        this.nsapr = new int[cpus][APR_COUNT];

        distributorRegs = new ComputedRegisters(name + ".gicd", tracer);
        gicdCtlr = declareDistributor();
        cpuRegs = new ComputedRegisters[cpus];
        gicc = new Register[cpus];
        pmr = new Register[cpus];
        bpr = new Register[cpus];
        abpr = new Register[cpus];
        distributorViews = new MmioDevice[cpus];
        irqLines = new IrqLine[cpus];
        fiqLines = new IrqLine[cpus];
        ppiSinks = new IrqSink[cpus][PPI_COUNT];
        ppiNames = new String[cpus][PPI_COUNT];
        spiNames = new String[spis];
        for (int cpu = 0; cpu < cpus; cpu++) {
            declareCpuInterface(cpu);
            int c = cpu;
            distributorViews[cpu] = distributorFor(() -> c);
            irqLines[cpu] = new IrqLine(name + ".cpu" + cpu + ".irq", tracer);
            fiqLines[cpu] = new IrqLine(name + ".cpu" + cpu + ".fiq", tracer);
            for (int n = 0; n < PPI_COUNT; n++) {
                int intid = SGI_COUNT + n;
                ppiSinks[cpu][n] = (line, high) -> {
                    if (ppiNames[c][intid - SGI_COUNT] == null) {
                        ppiNames[c][intid - SGI_COUNT] = line.name();
                    }
                    input(c, intid, high);
                };
            }
        }
        spiSinks = new IrqSink[spis];
        for (int n = 0; n < spis; n++) {
            int intid = SPI_BASE + n;
            spiSinks[n] = (line, high) -> {
                if (spiNames[intid - SPI_BASE] == null) {
                    spiNames[intid - SPI_BASE] = line.name();
                }
                input(0, intid, high);
            };
        }
        reset();
    }

    // ================================================================ public API

    /** The device's name. */
    public String name() {
        return name;
    }

    /** Number of CPU interfaces. */
    public int cpus() {
        return cpus;
    }

    /** Number of interrupt IDs (32 + SPIs). */
    public int interruptCount() {
        return interrupts;
    }

    /** The distributor of a single-CPU GIC; with several CPUs use {@link #distributor(int)} or {@link #distributorFor}. */
    public MmioDevice distributor() {
        if (cpus != 1) {
            throw new IllegalStateException(name + ": with " + cpus + " CPUs the distributor is banked per CPU;"
                    + " map distributor(cpu) for each CPU or distributorFor(currentCpu)");
        }
        return distributorViews[0];
    }

    /** The distributor as CPU {@code cpu} sees it (its banked SGI/PPI registers, its SGIR source ID). */
    public MmioDevice distributor(int cpu) {
        return distributorViews[checkCpu(cpu)];
    }

    /** The distributor as seen by whichever CPU {@code currentCpu} names at each access. */
    public MmioDevice distributorFor(IntSupplier currentCpu) {
        return new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                accessCpu = checkCpu(currentCpu.getAsInt());
                return distributorRegs.read(offset, size);
            }

            @Override
            public boolean write(long offset, int size, long value) {
                accessCpu = checkCpu(currentCpu.getAsInt());
                return distributorRegs.write(offset, size, value);
            }
        };
    }

    /** CPU {@code cpu}'s CPU interface. */
    public MmioDevice cpuInterface(int cpu) {
        return cpuRegs[checkCpu(cpu)];
    }

    /** The CPU interface of whichever CPU {@code currentCpu} names at each access. */
    public MmioDevice cpuInterfaceFor(IntSupplier currentCpu) {
        return new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                return cpuRegs[checkCpu(currentCpu.getAsInt())].read(offset, size);
            }

            @Override
            public boolean write(long offset, int size, long value) {
                return cpuRegs[checkCpu(currentCpu.getAsInt())].write(offset, size, value);
            }
        };
    }

    /**
     * The name of the line that drives INTID {@code intid} at CPU {@code cpu} (its PPI, or the SPI),
     * as that line first changed level; {@code "SGI"} for 0-15 and {@code ""} for an input that never moved.
     */
    public String inputName(int cpu, int intid) {
        if (intid < SGI_COUNT) {
            return "SGI";
        }
        String n = intid < SPI_BASE ? ppiNames[checkCpu(cpu)][intid - SGI_COUNT]
                : intid - SPI_BASE < spiNames.length ? spiNames[intid - SPI_BASE] : null;
        return n == null ? "" : n;
    }

    /** The input of SPI {@code n} (INTID 32+n). */
    public IrqSink spi(int n) {
        if (n < 0 || n >= spiSinks.length) {
            throw new IllegalArgumentException(name + ": no SPI " + n + " (this GIC has " + spiSinks.length + ")");
        }
        return spiSinks[n];
    }

    /** The input of PPI {@code n} (0..15, INTID 16+n) of CPU {@code cpu}. */
    public IrqSink ppi(int cpu, int n) {
        if (n < 0 || n >= PPI_COUNT) {
            throw new IllegalArgumentException(name + ": no PPI " + n + " (PPIs are 0..15, INTID 16..31)");
        }
        return ppiSinks[checkCpu(cpu)][n];
    }

    /** CPU {@code cpu}'s IRQ request, to connect to the CPU's IRQ input. */
    public IrqLine irqOut(int cpu) {
        return irqLines[checkCpu(cpu)];
    }

    /** CPU {@code cpu}'s FIQ request, to connect to the CPU's FIQ input. */
    public IrqLine fiqOut(int cpu) {
        return fiqLines[checkCpu(cpu)];
    }

    /**
     * Reports each acknowledged interrupt with how long it waited ({@code null}: none). Tracking
     * costs a scan of the interrupt state at each change, only while a listener is set.
     */
    public void setAckListener(AckListener listener) {
        this.ackListener = listener;
        if (listener != null && waitingSince == null) {
            waitingSince = new long[cpus][interrupts];
            for (long[] row : waitingSince) {
                Arrays.fill(row, -1);
            }
            trackWaiting();
        }
    }

    /** Stamps interrupts that became pending-and-inactive since the last change, and clears the others. */
    private void trackWaiting() {
        long now = scheduler.now();
        for (int cpu = 0; cpu < cpus; cpu++) {
            for (int irq = 0; irq < (cpu == 0 ? interrupts : PRIVATE_COUNT); irq++) {
                boolean waiting = pending(cpu, irq) && !active.get(cpu, irq);
                long[] row = waitingSince[cpu];
                if (!waiting) {
                    row[irq] = -1;
                } else if (row[irq] < 0) {
                    row[irq] = now;
                }
            }
        }
    }

    /** Power-on reset: registers and interrupt state to their reset values; input levels are kept. */
    public void reset() {
        distributorRegs.reset();
        for (ComputedRegisters regs : cpuRegs) {
            regs.reset();
        }
        enabled.clear();
        pendingLatch.clear();
        active.clear();
        group1.clear();
        edge.clear();
        for (int cpu = 0; cpu < cpus; cpu++) {
            enabled.setWord(cpu, 0, SGI_BITS);
            edge.setWord(cpu, 0, SGI_BITS);
            Arrays.fill(privatePriority[cpu], 0);
            Arrays.fill(sgiSources[cpu], 0);
            Arrays.fill(apr[cpu], 0);
            Arrays.fill(nsapr[cpu], 0);
        }
        Arrays.fill(spiPriority, 0);
        Arrays.fill(spiTargets, 0);
        update();
    }

    // ================================================================ register declarations

    private Register declareDistributor() {
        ComputedRegisters d = distributorRegs;
        // §4.3.1 GICD_CTLR: the stored value is the state.
        Register ctlr = d.define("GICD_CTLR", GICD_CTLR)
                .field("EnableGrp0", 0, 1, Access.RW)
                .field("EnableGrp1", 1, 1, Access.RW)
                .onWrite((old, now, written) -> update());
        // §4.3.2 GICD_TYPER.
        d.define("GICD_TYPER", GICD_TYPER)
                .field("ITLinesNumber", 0, 5, Access.RO, words - 1)
                .field("CPUNumber", 5, 3, Access.RO, cpus - 1)
                .field("SecurityExtn", 10, 1, Access.RO, 0)
                .field("LSPI", 11, 5, Access.RO, 0);
        // §4.3.3 GICD_IIDR: as QEMU, Arm's JEP106 code and nothing else.
        d.define("GICD_IIDR", GICD_IIDR)
                .field("Implementer", 0, 12, Access.RO, IMPLEMENTER_ARM)
                .field("Revision", 12, 4, Access.RO, 0)
                .field("Variant", 16, 4, Access.RO, 0)
                .field("ProductID", 24, 8, Access.RO, 0);
        for (int w = 0; w < words; w++) {
            int word = w;
            // §4.3.4 GICD_IGROUPRn: 1 = Group 1.
            d.state("GICD_IGROUPR" + w, GICD_IGROUPR + w * 4, () -> group1.word(accessCpu, word),
                    v -> { group1.setWord(accessCpu, word, v); update(); })
                    .field("Group_status_bits", 0, WORD_BITS, Access.RW);
            // §4.3.5-4.3.6 GICD_ISENABLERn / ICENABLERn. SGIs are always enabled (as QEMU).
            d.command("GICD_ISENABLER" + w, GICD_ISENABLER + w * 4, () -> enabled.word(accessCpu, word),
                    v -> setBits(enabled, word, v, true))
                    .field("Set_enable_bits", 0, WORD_BITS, Access.RW);
            d.command("GICD_ICENABLER" + w, GICD_ICENABLER + w * 4, () -> enabled.word(accessCpu, word),
                    v -> setBits(enabled, word, word == 0 ? v & ~SGI_BITS : v, false))
                    .field("Clear_enable_bits", 0, WORD_BITS, Access.RW);
            // §4.3.7-4.3.8 GICD_ISPENDRn / ICPENDRn. SGI bits: use GICD_S/CPENDSGIRn (WI here).
            d.command("GICD_ISPENDR" + w, GICD_ISPENDR + w * 4, () -> pendingWord(accessCpu, word),
                    v -> setBits(pendingLatch, word, word == 0 ? v & ~SGI_BITS : v, true))
                    .field("Set_pending_bits", 0, WORD_BITS, Access.RW);
            d.command("GICD_ICPENDR" + w, GICD_ICPENDR + w * 4, () -> pendingWord(accessCpu, word),
                    v -> setBits(pendingLatch, word, word == 0 ? v & ~SGI_BITS : v, false))
                    .field("Clear_pending_bits", 0, WORD_BITS, Access.RW);
            // §4.3.9-4.3.10 GICD_ISACTIVERn / ICACTIVERn.
            d.command("GICD_ISACTIVER" + w, GICD_ISACTIVER + w * 4, () -> active.word(accessCpu, word),
                    v -> setBits(active, word, v, true))
                    .field("Set_active_bits", 0, WORD_BITS, Access.RW);
            d.command("GICD_ICACTIVER" + w, GICD_ICACTIVER + w * 4, () -> active.word(accessCpu, word),
                    v -> setBits(active, word, v, false))
                    .field("Clear_active_bits", 0, WORD_BITS, Access.RW);
        }
        for (int n = 0; n < interrupts / BYTES_PER_WORD; n++) {
            int first = n * BYTES_PER_WORD;
            // §4.3.11 GICD_IPRIORITYRn: one byte per interrupt, byte-accessible, 8 bits implemented.
            Register prio = d.state("GICD_IPRIORITYR" + n, GICD_IPRIORITYR + n * 4, () -> priorityWord(accessCpu, first),
                    v -> setPriorityWord(accessCpu, first, v));
            // §4.3.12 GICD_ITARGETSRn: byte-accessible. SGI/PPI bytes read as the reading CPU;
            // with one CPU all RAZ/WI.
            Register targets;
            if (cpus == 1) {
                targets = d.define("GICD_ITARGETSR" + n, GICD_ITARGETSR + n * 4);
            } else if (first < PRIVATE_COUNT) {
                targets = d.state("GICD_ITARGETSR" + n, GICD_ITARGETSR + n * 4,
                        () -> (1 << accessCpu) * 0x0101_0101, v -> { });
            } else {
                targets = d.state("GICD_ITARGETSR" + n, GICD_ITARGETSR + n * 4, () -> targetsWord(first),
                        v -> setTargetsWord(first, v));
            }
            Access targetAccess = cpus == 1 || first < PRIVATE_COUNT ? Access.RO : Access.RW;
            for (int b = 0; b < BYTES_PER_WORD; b++) {
                prio.field("Priority_byte_offset_" + b, b * BYTE_BITS, BYTE_BITS, Access.RW);
                targets.field("CPU_targets_byte_offset_" + b, b * BYTE_BITS, BYTE_BITS, targetAccess);
            }
        }
        for (int n = 0; n < interrupts / CFG_PER_WORD; n++) {
            int first = n * CFG_PER_WORD;
            // §4.3.13 GICD_ICFGRn: bit 2F+1 of each field, 1 = edge-triggered. SGIs: edge, read-only.
            Register cfg = n == 0
                    ? d.define("GICD_ICFGR0", GICD_ICFGR)
                    : d.state("GICD_ICFGR" + n, GICD_ICFGR + n * 4, () -> configWord(accessCpu, first),
                            v -> setConfigWord(accessCpu, first, v));
            for (int f = 0; f < CFG_PER_WORD; f++) {
                cfg.field("Int_config" + f, 2 * f + 1, 1, n == 0 ? Access.RO : Access.RW, n == 0 ? 1 : 0);
            }
        }
        // §4.3.15 GICD_SGIR.
        d.command("GICD_SGIR", GICD_SGIR, () -> 0, this::sendSgi)
                .field("SGIINTID", 0, SGIR_INTID_BITS, Access.WO)
                .field("CPUTargetList", SGIR_TARGET_LIST_SHIFT, MAX_CPUS, Access.WO)
                .field("TargetListFilter", SGIR_FILTER_SHIFT, 2, Access.WO);
        // §4.3.16-4.3.17 GICD_CPENDSGIRn / SPENDSGIRn: one byte per SGI, one bit per source CPU.
        for (int n = 0; n < SGI_COUNT / BYTES_PER_WORD; n++) {
            int first = n * BYTES_PER_WORD;
            Register clear = d.command("GICD_CPENDSGIR" + n, GICD_CPENDSGIR + n * 4, () -> sgiSourcesWord(accessCpu, first),
                    v -> setSgiSources(accessCpu, first, v, false));
            Register set = d.command("GICD_SPENDSGIR" + n, GICD_SPENDSGIR + n * 4, () -> sgiSourcesWord(accessCpu, first),
                    v -> setSgiSources(accessCpu, first, v, true));
            for (int b = 0; b < BYTES_PER_WORD; b++) {
                clear.field("SGI_clear_pending_bits_" + b, b * BYTE_BITS, BYTE_BITS, Access.RW);
                set.field("SGI_set_pending_bits_" + b, b * BYTE_BITS, BYTE_BITS, Access.RW);
            }
        }
        for (int i = 0; i < ID_REGISTER_VALUES.length; i++) {
            d.define(ID_REGISTER_NAMES[i], GICD_ID_BASE + i * 4).field("ID", 0, BYTE_BITS, Access.RO, ID_REGISTER_VALUES[i]);
        }
        return ctlr;
    }

    private void declareCpuInterface(int cpu) {
        ComputedRegisters c = new ComputedRegisters(name + ".gicc" + cpu, tracer);
        cpuRegs[cpu] = c;
        // §4.4.1 GICC_CTLR, the layout without Security Extensions (Table 4-32).
        gicc[cpu] = c.define("GICC_CTLR", GICC_CTLR)
                .field("EnableGrp0", 0, 1, Access.RW)
                .field("EnableGrp1", 1, 1, Access.RW)
                .field("AckCtl", 2, 1, Access.RW)
                .field("FIQEn", 3, 1, Access.RW)
                .field("CBPR", 4, 1, Access.RW)
                .field("EOImode", 9, 1, Access.RW)
                .onWrite((old, now, written) -> update());
        // §4.4.2 GICC_PMR: 8 priority bits implemented.
        pmr[cpu] = c.define("GICC_PMR", GICC_PMR)
                .field("Priority", 0, PRIORITY_BITS, Access.RW)
                .onWrite((old, now, written) -> update());
        // §4.4.3 GICC_BPR (minimum 0) and §4.4.8 GICC_ABPR (minimum 1, reset 1), as QEMU.
        bpr[cpu] = c.define("GICC_BPR", GICC_BPR)
                .field("Binary_Point", 0, BPR_BITS, Access.RW)
                .onWrite((old, now, written) -> update());
        Register aliased = c.define("GICC_ABPR", GICC_ABPR)
                .field("Binary_Point", 0, BPR_BITS, Access.RW, MIN_ABPR);
        aliased.onWrite((old, now, written) -> {
            if (aliased.f("Binary_Point").get() < MIN_ABPR) {
                aliased.f("Binary_Point").set(MIN_ABPR);
            }
            update();
        });
        abpr[cpu] = aliased;
        // §4.4.4 GICC_IAR: reading acknowledges.
        c.define("GICC_IAR", GICC_IAR)
                .field("InterruptID", 0, INTID_BITS, Access.RO)
                .field("CPUID", CPUID_SHIFT, CPUID_BITS, Access.RO)
                .onRead(() -> acknowledge(cpu));
        // §4.4.5 GICC_EOIR.
        c.command("GICC_EOIR", GICC_EOIR, () -> 0, v -> endOfInterrupt(cpu, v & INTID_MASK))
                .field("EOIINTID", 0, INTID_BITS, Access.WO)
                .field("CPUID", CPUID_SHIFT, CPUID_BITS, Access.WO);
        // §4.4.6 GICC_RPR.
        c.define("GICC_RPR", GICC_RPR)
                .field("Priority", 0, PRIORITY_BITS, Access.RO)
                .onRead(() -> Math.min(runningPriority(cpu), PRIORITY_MASK));
        // §4.4.7 GICC_HPPIR.
        c.define("GICC_HPPIR", GICC_HPPIR)
                .field("PENDINTID", 0, INTID_BITS, Access.RO)
                .field("CPUID", CPUID_SHIFT, CPUID_BITS, Access.RO)
                .onRead(() -> highestPendingId(cpu));
        // §4.4.12-4.4.13 GICC_APRn / GICC_NSAPRn: one bit per preemption level.
        for (int n = 0; n < APR_COUNT; n++) {
            int reg = n;
            c.state("GICC_APR" + n, GICC_APR + n * 4, () -> apr[cpu][reg], v -> { apr[cpu][reg] = v; update(); })
                    .field("Active_priority_bits", 0, WORD_BITS, Access.RW);
            c.state("GICC_NSAPR" + n, GICC_NSAPR + n * 4, () -> nsapr[cpu][reg], v -> { nsapr[cpu][reg] = v; update(); })
                    .field("Active_priority_bits", 0, WORD_BITS, Access.RW);
        }
        // §4.4.14 GICC_IIDR: as QEMU, (architecture version << 16) | Arm.
        c.define("GICC_IIDR", GICC_IIDR)
                .field("Implementer", 0, 12, Access.RO, IMPLEMENTER_ARM)
                .field("Revision", 12, 4, Access.RO, 0)
                .field("ArchitectureVersion", 16, 4, Access.RO, ARCH_VERSION)
                .field("ProductID", 20, 12, Access.RO, 0);
        // §4.4.15 GICC_DIR.
        c.command("GICC_DIR", GICC_DIR, () -> 0, v -> deactivate(cpu, v & INTID_MASK))
                .field("InterruptID", 0, INTID_BITS, Access.WO)
                .field("CPUID", CPUID_SHIFT, CPUID_BITS, Access.WO);
    }

    // ================================================================ distributor state access

    private void setBits(BitState state, int word, int bits, boolean set) {
        int current = state.word(accessCpu, word);
        state.setWord(accessCpu, word, set ? current | bits : current & ~bits);
        if (state == enabled && word == 0) {
            enabled.setWord(accessCpu, 0, enabled.word(accessCpu, 0) | SGI_BITS);
        }
        update();
    }

    private int pendingWord(int cpu, int word) {
        int v = 0;
        for (int i = 0; i < WORD_BITS; i++) {
            if (pending(cpu, word * WORD_BITS + i)) {
                v |= 1 << i;
            }
        }
        return v;
    }

    private int priorityWord(int cpu, int first) {
        int v = 0;
        for (int b = 0; b < BYTES_PER_WORD; b++) {
            v |= priority(cpu, first + b) << (b * BYTE_BITS);
        }
        return v;
    }

    private void setPriorityWord(int cpu, int first, int v) {
        for (int b = 0; b < BYTES_PER_WORD; b++) {
            int p = (v >>> (b * BYTE_BITS)) & PRIORITY_MASK;
            int irq = first + b;
            if (irq < PRIVATE_COUNT) {
                privatePriority[cpu][irq] = p;
            } else {
                spiPriority[irq] = p;
            }
        }
        update();
    }

    private int targetsWord(int first) {
        int v = 0;
        for (int b = 0; b < BYTES_PER_WORD; b++) {
            v |= spiTargets[first + b] << (b * BYTE_BITS);
        }
        return v;
    }

    private void setTargetsWord(int first, int v) {
        for (int b = 0; b < BYTES_PER_WORD; b++) {
            spiTargets[first + b] = (v >>> (b * BYTE_BITS)) & allCpus;
        }
        update();
    }

    private int configWord(int cpu, int first) {
        int v = 0;
        for (int f = 0; f < CFG_PER_WORD; f++) {
            if (edge.get(cpu, first + f)) {
                v |= 2 << (2 * f);
            }
        }
        return v;
    }

    private void setConfigWord(int cpu, int first, int v) {
        for (int f = 0; f < CFG_PER_WORD; f++) {
            edge.set(cpu, first + f, (v & (2 << (2 * f))) != 0);
        }
        update();
    }

    private int sgiSourcesWord(int cpu, int first) {
        int v = 0;
        for (int b = 0; b < BYTES_PER_WORD; b++) {
            v |= sgiSources[cpu][first + b] << (b * BYTE_BITS);
        }
        return v;
    }

    private void setSgiSources(int cpu, int first, int v, boolean set) {
        for (int b = 0; b < BYTES_PER_WORD; b++) {
            int bits = (v >>> (b * BYTE_BITS)) & allCpus;
            int[] sources = sgiSources[cpu];
            sources[first + b] = set ? sources[first + b] | bits : sources[first + b] & ~bits;
        }
        update();
    }

    /** §4.3.15: a GICD_SGIR write makes SGI {@code SGIINTID} pending on the targets, from the writing CPU. */
    private void sendSgi(int value) {
        int sgi = value & (SGI_COUNT - 1);
        int filter = (value >>> SGIR_FILTER_SHIFT) & 3;
        int source = accessCpu;
        int targets;
        switch (filter) {
            case SGIR_FILTER_LIST -> targets = (value >>> SGIR_TARGET_LIST_SHIFT) & allCpus;
            case SGIR_FILTER_ALL_BUT_SELF -> targets = allCpus & ~(1 << source);
            case SGIR_FILTER_SELF -> targets = 1 << source;
            default -> {
                tracer.warnOnce(name + ".sgir.filter", name,
                        "GICD_SGIR written with the reserved TargetListFilter 0b11; no SGI sent");
                return;
            }
        }
        for (int cpu = 0; cpu < cpus; cpu++) {
            if ((targets & (1 << cpu)) != 0) {
                sgiSources[cpu][sgi] |= 1 << source;
            }
        }
        if (tracer.enabled()) {
            tracer.emit(name, "gic.sgi", "SGI " + sgi + " from cpu" + source + " to cpus 0x" + Integer.toHexString(targets));
        }
        update();
    }

    private void input(int cpu, int irq, boolean high) {
        if (level.get(cpu, irq) == high) {
            return;
        }
        level.set(cpu, irq, high);
        if (high && edge.get(cpu, irq)) {
            pendingLatch.set(cpu, irq, true); // §1.4.2: an edge-triggered interrupt pends on the rising edge
        }
        update();
    }

    // ================================================================ interrupt state

    private int priority(int cpu, int irq) {
        return irq < PRIVATE_COUNT ? privatePriority[cpu][irq] : spiPriority[irq];
    }

    /** §3.2.4: level-sensitive interrupts are pending while asserted, or when set pending by software. */
    private boolean pending(int cpu, int irq) {
        if (irq < SGI_COUNT) {
            return sgiSources[cpu][irq] != 0;
        }
        return pendingLatch.get(cpu, irq) || (!edge.get(cpu, irq) && level.get(cpu, irq));
    }

    private boolean targets(int cpu, int irq) {
        return irq < PRIVATE_COUNT || cpus == 1 || (spiTargets[irq] & (1 << cpu)) != 0;
    }

    private boolean groupEnabled(int cpu, boolean isGroup1) {
        int d = gicdCtlr.value();
        int c = gicc[cpu].value();
        return isGroup1
                ? (d & GICD_CTLR_ENABLE_GRP1) != 0 && (c & GICC_CTLR_ENABLE_GRP1) != 0
                : (d & GICD_CTLR_ENABLE_GRP0) != 0 && (c & GICC_CTLR_ENABLE_GRP0) != 0;
    }

    /** §3.3: the highest-priority pending, enabled, inactive interrupt forwarded to {@code cpu}, lowest ID on ties; -1 if none. */
    private int bestInterrupt(int cpu) {
        int best = -1;
        int bestPriority = IDLE_PRIORITY;
        for (int w = 0; w < words; w++) {
            // Candidates a word at a time (enabled, inactive, pending), then the per-interrupt tests on those
            // only: with QEMU's 256 SPIs most words are empty. SGIs (word 0, bits 0-15) pend per source.
            int candidates = enabled.word(cpu, w) & ~active.word(cpu, w)
                    & (pendingLatch.word(cpu, w) | (~edge.word(cpu, w) & level.word(cpu, w)));
            if (w == 0) {
                candidates = (candidates & ~SGI_BITS) | (enabled.word(cpu, 0) & ~active.word(cpu, 0) & sgiPendingBits(cpu));
            }
            while (candidates != 0) {
                int bit = Integer.numberOfTrailingZeros(candidates);
                candidates &= candidates - 1;
                int irq = w * WORD_BITS + bit;
                if (irq < interrupts && targets(cpu, irq) && groupEnabled(cpu, group1.get(cpu, irq))) {
                    int p = priority(cpu, irq);
                    if (p < bestPriority) {
                        bestPriority = p;
                        best = irq;
                    }
                }
            }
        }
        return best;
    }

    /** Bits 0-15: the SGIs pending on {@code cpu} from any source. */
    private int sgiPendingBits(int cpu) {
        int bits = 0;
        for (int sgi = 0; sgi < SGI_COUNT; sgi++) {
            if (sgiSources[cpu][sgi] != 0) {
                bits |= 1 << sgi;
            }
        }
        return bits;
    }

    /** §3.3.2, §4.4.2: the best interrupt if its priority is above the priority mask, else -1. */
    private int highestPending(int cpu) {
        int irq = bestInterrupt(cpu);
        return irq >= 0 && priority(cpu, irq) < pmr[cpu].value() ? irq : -1;
    }

    /** §3.3.3: the group priority — the priority with the subpriority bits (per BPR or ABPR) cleared. */
    private int groupPriority(int cpu, int irq) {
        int point = group1.get(cpu, irq) && (gicc[cpu].value() & GICC_CTLR_CBPR) == 0
                ? abpr[cpu].value() - 1
                : bpr[cpu].value();
        return priority(cpu, irq) & (PRIORITY_MASK << (point + 1)) & PRIORITY_MASK;
    }

    /** §4.4.6: the group priority of the highest-priority active interrupt, from the active priority bits. */
    private int runningPriority(int cpu) {
        for (int n = 0; n < APR_COUNT; n++) {
            int bits = apr[cpu][n] | nsapr[cpu][n];
            if (bits != 0) {
                return (n * WORD_BITS + Integer.numberOfTrailingZeros(bits)) << 1;
            }
        }
        return IDLE_PRIORITY;
    }

    private int lowestSource(int cpu, int sgi) {
        return Integer.numberOfTrailingZeros(sgiSources[cpu][sgi]);
    }

    /** §4.4.7 GICC_HPPIR. */
    private int highestPendingId(int cpu) {
        int irq = highestPending(cpu);
        if (irq < 0) {
            return INTID_SPURIOUS;
        }
        if (group1.get(cpu, irq) && (gicc[cpu].value() & GICC_CTLR_ACK_CTL) == 0) {
            return INTID_GROUP1_HIDDEN;
        }
        return irq < SGI_COUNT ? irq | lowestSource(cpu, irq) << CPUID_SHIFT : irq;
    }

    /** §3.2.2, §4.4.4: GICC_IAR read — activate the highest-priority pending interrupt, if it may preempt. */
    private int acknowledge(int cpu) {
        int irq = highestPending(cpu);
        if (irq < 0) {
            return INTID_SPURIOUS;
        }
        boolean isGroup1 = group1.get(cpu, irq);
        if (isGroup1 && (gicc[cpu].value() & GICC_CTLR_ACK_CTL) == 0) {
            return INTID_GROUP1_HIDDEN;
        }
        int groupPrio = groupPriority(cpu, irq);
        if (groupPrio >= runningPriority(cpu)) {
            return INTID_SPURIOUS;
        }
        int preemptionLevel = groupPrio >>> 1;
        int[] bits = isGroup1 ? nsapr[cpu] : apr[cpu];
        bits[preemptionLevel / WORD_BITS] |= 1 << (preemptionLevel % WORD_BITS);
        active.set(cpu, irq, true);
        int result = irq;
        if (irq < SGI_COUNT) {
            int source = lowestSource(cpu, irq);
            sgiSources[cpu][irq] &= ~(1 << source);
            result |= source << CPUID_SHIFT;
        } else {
            pendingLatch.set(cpu, irq, false);
        }
        if (tracer.enabled()) {
            tracer.emit(name, "gic.ack", "cpu" + cpu + " INTID " + irq + " priority 0x" + Integer.toHexString(priority(cpu, irq)));
        }
        if (ackListener != null) {
            long[] row = waitingSince[irq < PRIVATE_COUNT ? cpu : 0];
            long now = scheduler.now();
            ackListener.onAcknowledge(cpu, irq, row[irq] < 0 ? now : row[irq], now);
        }
        update();
        return result;
    }

    /** §3.2.3, §4.4.5: GICC_EOIR write — priority drop, and deactivation unless EOImode splits it off. */
    private void endOfInterrupt(int cpu, int irq) {
        if (irq >= interrupts || runningPriority(cpu) == IDLE_PRIORITY) {
            return; // spurious IDs, nonexistent IDs and EOIs with nothing active are ignored (as QEMU)
        }
        int[] bits = group1.get(cpu, irq) ? nsapr[cpu] : apr[cpu];
        for (int n = 0; n < APR_COUNT; n++) {
            if (bits[n] != 0) {
                bits[n] &= bits[n] - 1; // the highest active priority is the lowest set bit
                break;
            }
        }
        if (tracer.enabled()) {
            tracer.emit(name, "gic.eoi", "cpu" + cpu + " INTID " + irq);
        }
        if ((gicc[cpu].value() & GICC_CTLR_EOI_MODE) == 0) {
            active.set(cpu, irq, false);
        }
        update();
    }

    /** §4.4.15: GICC_DIR write — deactivation; ignored unless EOImode is set (UNPREDICTABLE; QEMU ignores it). */
    private void deactivate(int cpu, int irq) {
        if (irq >= interrupts) {
            return;
        }
        if ((gicc[cpu].value() & GICC_CTLR_EOI_MODE) == 0) {
            tracer.warnOnce(name + ".dir.eoimode", name, "GICC_DIR written while GICC_CTLR.EOImode is 0; ignored");
            return;
        }
        active.set(cpu, irq, false);
        update();
    }

    /** Recomputes every CPU's IRQ and FIQ request (§3.6). */
    private void update() {
        if (ackListener != null) {
            trackWaiting();
        }
        for (int cpu = 0; cpu < cpus; cpu++) {
            int irq = highestPending(cpu);
            boolean signal = irq >= 0 && groupPriority(cpu, irq) < runningPriority(cpu);
            boolean fiq = signal && !group1.get(cpu, irq) && (gicc[cpu].value() & GICC_CTLR_FIQ_EN) != 0;
            irqLines[cpu].set(signal && !fiq);
            fiqLines[cpu].set(fiq);
        }
    }

    private int checkCpu(int cpu) {
        if (cpu < 0 || cpu >= cpus) {
            throw new IllegalArgumentException(name + ": no CPU interface " + cpu + " (this GIC has " + cpus + ")");
        }
        return cpu;
    }

    /** One bit per interrupt ID; word 0 (IDs 0-31) banked per CPU, the others shared. */
    private static final class BitState {
        private final int[] banked;
        private final int[] shared;

        BitState(int cpus, int words) {
            banked = new int[cpus];
            shared = new int[words];
        }

        boolean get(int cpu, int irq) {
            return (word(cpu, irq / WORD_BITS) & (1 << (irq % WORD_BITS))) != 0;
        }

        void set(int cpu, int irq, boolean value) {
            int w = irq / WORD_BITS;
            int bit = 1 << (irq % WORD_BITS);
            setWord(cpu, w, value ? word(cpu, w) | bit : word(cpu, w) & ~bit);
        }

        int word(int cpu, int w) {
            return w == 0 ? banked[cpu] : shared[w];
        }

        void setWord(int cpu, int w, int value) {
            if (w == 0) {
                banked[cpu] = value;
            } else {
                shared[w] = value;
            }
        }

        void clear() {
            Arrays.fill(banked, 0);
            Arrays.fill(shared, 0);
        }
    }
}
