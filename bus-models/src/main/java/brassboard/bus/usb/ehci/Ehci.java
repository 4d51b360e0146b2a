package brassboard.bus.usb.ehci;

import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.FaultSite;
import brassboard.bus.api.IrqLine;
import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.api.regs.Access;
import brassboard.bus.api.regs.Field;
import brassboard.bus.api.regs.Register;
import brassboard.bus.api.regs.RegisterBank;
import brassboard.bus.usb.TransactionResult;
import brassboard.bus.usb.UsbDevice;

/**
 * An EHCI host controller (Enhanced Host Controller Interface 1.0, chapters 2-4) as QEMU's
 * {@code usb-ehci} presents it: capability registers at 0, operational registers at 0x20, six
 * root-hub ports with no companion controllers and no port power switches, a 1024-entry frame
 * list, no 64-bit addressing, no asynchronous park mode.
 *
 * <p><b>Time.</b> FRINDEX counts 125 µs micro-frames from when Run/Stop was set, computed from the
 * virtual clock when read, so a running controller with nothing to do costs nothing. While a
 * schedule is enabled an event at each micro-frame boundary walks the periodic frame list entry
 * for the micro-frame and then the asynchronous list (see {@link QueueEngine}); after eight
 * micro-frames in which neither schedule had anything active, the walk backs off to once a frame
 * and then doubles up to every {@value #MAX_IDLE_STEP} micro-frames, and any register write that
 * can start work brings it back to every micro-frame. With both schedules off, no event is
 * scheduled at all (except one per frame-list rollover when its interrupt is enabled).
 *
 * <p><b>Interrupts</b> (§4.15): USBINT and USBERRINT wait for the next interrupt threshold (a
 * micro-frame whose FRINDEX is a multiple of USBCMD.ITC); port change, frame list rollover, host
 * system error and async advance are set at once. {@link #irq()} is the OR of USBSTS & USBINTR.
 *
 * <p><b>DMA</b>: every schedule structure and data buffer is read and written through the
 * {@link MemoryBus} with this controller's master id, so fault rules and traces see it. A bus error
 * is a host system error (§4.15.2.4): USBSTS.HSE set, Run/Stop cleared, the controller halts.
 *
 * <p><b>Fault points</b> ({@link #declareFaultPoints}), per root port {@code n} (1-6):
 * <ul>
 *   <li>{@code usb.<n>.packet}: every SETUP, IN, OUT (and PING, as {@code out}) transaction the queue
 *       engine performs with the device on the port; filters {@code kind} ({@code setup}, {@code in},
 *       {@code out}) and {@code endpoint}. {@code drop} and {@code timeout}: the device never sees the
 *       token and the host waits out the turn-around timeout; {@code crc}: the packet is corrupted on
 *       the wire (the device discards it, or the host discards the device's data); both count down
 *       CERR and set XactErr, Halted at 0 (§4.10.3, §4.15.1.1). {@code stall}: the STALL handshake
 *       (Halted). {@code babble} (IN only): Babble Detected and Halted. {@code nak-storm}: from this
 *       packet on, the endpoint answers NAK to {@code count} IN/OUT/PING transactions or for
 *       {@code duration} (a SETUP is never NAKed, USB 2.0 §8.5.3), without the device seeing them.</li>
 *   <li>{@code usb.<n>.link}: {@code disconnect} (optionally back after {@code duration}) and
 *       {@code reconnect}, at a time (performed) or on a transaction that matches the rule (the
 *       device takes the packet, then drops off the bus). A disconnect is {@link Port#disconnect};
 *       a reconnect plugs the same device in again, as a re-plug: CCS and CSC set, a port change
 *       event, and the driver must reset the port before the device answers.</li>
 * </ul>
 */
public final class Ehci {
    // ---- Register offsets (§2.2, §2.3); operational base = CAPLENGTH ----
    public static final int CAPLENGTH = 0x00;
    public static final int HCSPARAMS = 0x04;
    public static final int HCCPARAMS = 0x08;
    public static final int HCSP_PORTROUTE = 0x0C;
    public static final int OPERATIONAL_BASE = 0x20;
    public static final int USBCMD = OPERATIONAL_BASE;
    public static final int USBSTS = OPERATIONAL_BASE + 0x04;
    public static final int USBINTR = OPERATIONAL_BASE + 0x08;
    public static final int FRINDEX = OPERATIONAL_BASE + 0x0C;
    public static final int CTRLDSSEGMENT = OPERATIONAL_BASE + 0x10;
    public static final int PERIODICLISTBASE = OPERATIONAL_BASE + 0x14;
    public static final int ASYNCLISTADDR = OPERATIONAL_BASE + 0x18;
    public static final int CONFIGFLAG = OPERATIONAL_BASE + 0x40;
    public static final int PORTSC = OPERATIONAL_BASE + 0x44;
    /** Size of the register window (QEMU's MMIO_SIZE, BAR0). */
    public static final int MMIO_SIZE = 0x1000;
    /** Root-hub ports (QEMU's EHCI_PORTS). */
    public static final int PORTS = 6;
    /** HCIVERSION: EHCI 1.0. */
    public static final int HCIVERSION_1_0 = 0x0100;
    /** HCCPARAMS.EECP: the USBLEGSUP extended capability's offset in PCI configuration space. */
    public static final int EECP = 0x68;

    // ---- USBCMD bits (§2.3.1) ----
    public static final int CMD_RS = 1 << 0;
    public static final int CMD_HCRESET = 1 << 1;
    public static final int CMD_PSE = 1 << 4;
    public static final int CMD_ASE = 1 << 5;
    public static final int CMD_IAAD = 1 << 6;
    public static final int CMD_ITC_SHIFT = 16;
    /** ITC's reset value: 8 micro-frames (1 ms). */
    public static final int ITC_DEFAULT = 8;

    // ---- USBSTS / USBINTR bits (§2.3.2, §2.3.3) ----
    public static final int STS_USBINT = 1 << 0;
    public static final int STS_USBERRINT = 1 << 1;
    public static final int STS_PCD = 1 << 2;
    public static final int STS_FLR = 1 << 3;
    public static final int STS_HSE = 1 << 4;
    public static final int STS_IAA = 1 << 5;
    public static final int STS_HCHALTED = 1 << 12;
    public static final int STS_RECLAMATION = 1 << 13;
    public static final int STS_PSS = 1 << 14;
    public static final int STS_ASS = 1 << 15;
    private static final int INTERRUPT_BITS = 0x3F;

    // ---- PORTSC bits (§2.3.9) ----
    public static final int PORT_CCS = 1 << 0;
    public static final int PORT_CSC = 1 << 1;
    public static final int PORT_PED = 1 << 2;
    public static final int PORT_PEDC = 1 << 3;
    public static final int PORT_FPR = 1 << 6;
    public static final int PORT_SUSPEND = 1 << 7;
    public static final int PORT_PR = 1 << 8;
    public static final int PORT_PP = 1 << 12;
    public static final int PORT_OWNER = 1 << 13;

    /** One micro-frame of virtual time. */
    public static final long MICROFRAME_NS = 125_000;
    /** FRINDEX is 14 bits; with a 1024-entry frame list, bit 13 toggling is a rollover (§2.3.4). */
    private static final int FRINDEX_MASK = 0x3FFF;
    private static final int ROLLOVER_SHIFT = 13;
    /** Micro-frames without activity before the walk backs off. */
    private static final int IDLE_BEFORE_BACKOFF = 8;
    /** The longest gap between walks of an idle enabled schedule, in micro-frames (8 ms). */
    public static final int MAX_IDLE_STEP = 64;

    private final String name;
    private final Scheduler scheduler;
    private final Tracer tracer;
    private final MemoryBus dma;
    private final int master;
    private final IrqLine irq;
    private final RegisterBank regs;
    private final Register usbcmd;
    private final Register usbsts;
    private final Register usbintr;
    private final Register periodicListBase;
    private final Register asyncListAddr;
    private final Field itc;
    private final Port[] ports = new Port[PORTS];
    private final QueueEngine engine;

    // Micro-frame clock: FRINDEX = (countAtStart + elapsed micro-frames) while running.
    private boolean running;
    private long runStartNs;
    private long countAtStart;
    private long frozenCount;
    private long lastSeenCount;
    private long lastWalkedCount = -1;
    private Scheduler.Event tick;
    private Scheduler.Event rolloverEvent;
    private int idleMicroframes;
    private int idleStep = 1;
    /** USBINT/USBERRINT waiting for the interrupt threshold. */
    private int pendingStatus;
    private boolean doorbell;
    private long walks;

    /**
     * A controller named {@code name} (trace source), reaching memory through {@code dma} as
     * master {@code master}, driving {@code irq}.
     */
    public Ehci(String name, Scheduler scheduler, Tracer tracer, MemoryBus dma, int master, IrqLine irq) {
        this.name = name;
        this.scheduler = scheduler;
        this.tracer = tracer;
        this.dma = dma;
        this.master = master;
        this.irq = irq;
        this.regs = new RegisterBank(name, tracer);
        this.engine = new QueueEngine(this);
        regs.define("CAPLENGTH", CAPLENGTH)
                .field("CAPLENGTH", 0, 8, Access.RO, OPERATIONAL_BASE)
                .field("HCIVERSION", 16, 16, Access.RO, HCIVERSION_1_0);
        regs.define("HCSPARAMS", HCSPARAMS)
                .field("N_PORTS", 0, 4, Access.RO, PORTS)
                .field("PPC", 4, 1, Access.RO, 0)
                .field("PRR", 7, 1, Access.RO, 0)
                .field("N_PCC", 8, 4, Access.RO, 0)
                .field("N_CC", 12, 4, Access.RO, 0)
                .field("P_INDICATOR", 16, 1, Access.RO, 0)
                .field("DEBUG_PORT", 20, 4, Access.RO, 0);
        regs.define("HCCPARAMS", HCCPARAMS)
                .field("ADDRESSING_64", 0, 1, Access.RO, 0)
                .field("PROGRAMMABLE_FRAME_LIST", 1, 1, Access.RO, 0)
                .field("ASYNC_PARK", 2, 1, Access.RO, 0)
                .field("IST", 4, 4, Access.RO, 8)
                .field("EECP", 8, 8, Access.RO, EECP);
        regs.define("HCSP_PORTROUTE", HCSP_PORTROUTE).field("PORTROUTE", 0, 32, Access.RO, 0);
        usbcmd = regs.define("USBCMD", USBCMD)
                .field("RS", 0, 1, Access.RW)
                .field("HCRESET", 1, 1, Access.RW)
                .field("FLS", 2, 2, Access.RO, 0)
                .field("PSE", 4, 1, Access.RW)
                .field("ASE", 5, 1, Access.RW)
                .field("IAAD", 6, 1, Access.RW)
                .field("LHCR", 7, 1, Access.RO, 0)
                .field("ASPMC", 8, 2, Access.RO, 0)
                .field("ASPME", 11, 1, Access.RO, 0)
                .field("ITC", 16, 8, Access.RW, ITC_DEFAULT)
                .onWrite(this::usbcmdWritten);
        itc = usbcmd.f("ITC");
        usbsts = regs.define("USBSTS", USBSTS)
                .field("USBINT", 0, 1, Access.W1C)
                .field("USBERRINT", 1, 1, Access.W1C)
                .field("PCD", 2, 1, Access.W1C)
                .field("FLR", 3, 1, Access.W1C)
                .field("HSE", 4, 1, Access.W1C)
                .field("IAA", 5, 1, Access.W1C)
                .field("HCHALTED", 12, 1, Access.RO, 1)
                .field("RECLAMATION", 13, 1, Access.RO)
                .field("PSS", 14, 1, Access.RO)
                .field("ASS", 15, 1, Access.RO)
                .onRead(this::readUsbsts)
                .onWrite((o, n, w) -> updateIrq());
        usbintr = regs.define("USBINTR", USBINTR)
                .field("USBINTE", 0, 1, Access.RW)
                .field("USBERRINTE", 1, 1, Access.RW)
                .field("PCIE", 2, 1, Access.RW)
                .field("FLRE", 3, 1, Access.RW)
                .field("HSEE", 4, 1, Access.RW)
                .field("IAAE", 5, 1, Access.RW)
                .onWrite((o, n, w) -> {
                    updateIrq();
                    planRollover();
                });
        regs.define("FRINDEX", FRINDEX)
                .field("FRINDEX", 0, 14, Access.RW)
                .onRead(() -> (int) (count() & FRINDEX_MASK))
                .onWrite((o, n, w) -> frindexWritten(n & FRINDEX_MASK));
        regs.define("CTRLDSSEGMENT", CTRLDSSEGMENT).field("SEGMENT", 0, 32, Access.RO, 0);
        periodicListBase = regs.define("PERIODICLISTBASE", PERIODICLISTBASE)
                .field("BASE", 12, 20, Access.RW)
                .onWrite((o, n, w) -> {
                    if (running && (usbcmd.value() & CMD_PSE) != 0 && o != n) {
                        tracer.warnOnce(name + ".plb-moved", name, "PERIODICLISTBASE changed while the periodic schedule runs"
                                + " (EHCI 1.0 §2.3.7: only while it is disabled); the walk follows the new list");
                    }
                    wake();
                });
        asyncListAddr = regs.define("ASYNCLISTADDR", ASYNCLISTADDR)
                .field("LPL", 5, 27, Access.RW)
                .onWrite((o, n, w) -> {
                    if (running && (usbcmd.value() & CMD_ASE) != 0 && o != n) {
                        tracer.warnOnce(name + ".ala-moved", name, "ASYNCLISTADDR changed while the asynchronous schedule runs"
                                + " (EHCI 1.0 §2.3.8: only while it is disabled); the walk starts over at the new address");
                    }
                    engine.restartAsync();
                    wake();
                });
        regs.define("CONFIGFLAG", CONFIGFLAG).field("CF", 0, 1, Access.RW);
        for (int i = 0; i < PORTS; i++) {
            ports[i] = new Port(i);
        }
    }

    /** The register window, {@link #MMIO_SIZE} bytes (BAR0 of the PCI function). */
    public MmioDevice mmio() {
        return regs;
    }

    /** The registers, by spec name. */
    public RegisterBank registers() {
        return regs;
    }

    /** Root-hub port {@code n}, 0-5 (PORTSC at {@code 0x64 + 4n}). */
    public Port port(int n) {
        return ports[n];
    }

    /** The interrupt output. */
    public IrqLine irq() {
        return irq;
    }

    public String name() {
        return name;
    }

    /** Schedule walks done so far (one per micro-frame event): how much host work the controller caused. */
    public long walks() {
        return walks;
    }

    /** Power-on reset: as USBCMD.HCRESET. */
    public void reset() {
        hostControllerReset();
    }

    // ---- USBCMD / USBSTS / FRINDEX ----

    private void usbcmdWritten(int old, int now, int written) {
        if ((now & CMD_HCRESET) != 0) {
            if ((old & CMD_RS) != 0) {
                tracer.warnOnce(name + ".hcreset-running", name,
                        "USBCMD.HCRESET written while Run/Stop is set (EHCI 1.0 §2.3.1 says halt first); resetting anyway");
            }
            hostControllerReset();
            return;
        }
        boolean wasRunning = (old & CMD_RS) != 0;
        boolean run = (now & CMD_RS) != 0;
        if (run && !wasRunning) {
            if (usbsts.f("HSE").isSet()) {
                tracer.warnOnce(name + ".run-after-hse", name,
                        "Run/Stop set after a host system error without a host controller reset (EHCI 1.0 §4.15.2.4)");
            }
            startRunning();
        } else if (!run && wasRunning) {
            stopRunning();
        }
        if ((now & CMD_ASE) != 0 && (old & CMD_ASE) == 0) {
            engine.restartAsync();
        }
        if ((now & CMD_IAAD) != 0 && (old & CMD_IAAD) == 0) {
            doorbell = true;
            trace("usb.doorbell", "interrupt on async advance doorbell rung");
        }
        if ((old & CMD_IAAD) != 0 && (now & CMD_IAAD) == 0 && doorbell) {
            usbcmd.f("IAAD").set(true); // software cannot clear the doorbell (§2.3.1)
        }
        updateScheduleStatus();
        wake();
    }

    private void startRunning() {
        running = true;
        runStartNs = scheduler.now();
        countAtStart = frozenCount;
        lastSeenCount = frozenCount;
        lastWalkedCount = -1;
        usbsts.f("HCHALTED").set(false);
        planRollover();
        trace("usb.run", "running");
    }

    private void stopRunning() {
        frozenCount = count();
        running = false;
        usbcmd.f("RS").set(false);
        usbsts.f("HCHALTED").set(true);
        usbsts.f("RECLAMATION").set(false);
        scheduler.cancel(tick);
        tick = null;
        scheduler.cancel(rolloverEvent);
        rolloverEvent = null;
        updateScheduleStatus();
        trace("usb.run", "halted");
    }

    /** §4.1, QEMU's ehci_reset: registers to their defaults, ports re-announce attached devices. */
    private void hostControllerReset() {
        if (running) {
            stopRunning();
        }
        regs.reset();
        frozenCount = 0;
        lastSeenCount = 0;
        pendingStatus = 0;
        doorbell = false;
        idleMicroframes = 0;
        idleStep = 1;
        engine.restartAsync();
        for (Port p : ports) {
            p.controllerReset();
        }
        updateIrq();
        trace("usb.reset", "host controller reset");
    }

    private int readUsbsts() {
        catchUp();
        return usbsts.value();
    }

    private void frindexWritten(int value) {
        if (running) {
            tracer.warnOnce(name + ".frindex-running", name,
                    "FRINDEX written while running (EHCI 1.0 §2.3.4 allows it only when halted); taking it anyway");
            runStartNs = scheduler.now() - (scheduler.now() - runStartNs) % MICROFRAME_NS;
            countAtStart = value;
            lastSeenCount = value;
            lastWalkedCount = -1;
            planRollover();
        } else {
            frozenCount = value;
            lastSeenCount = value;
        }
    }

    /** Micro-frames counted so far (not wrapped); FRINDEX is its low 14 bits. */
    long count() {
        if (!running) {
            return frozenCount;
        }
        return countAtStart + (scheduler.now() - runStartNs) / MICROFRAME_NS;
    }

    /** Brings lazily computed state up to now: a frame-list rollover since the last look sets FLR. */
    private void catchUp() {
        long c = count();
        if ((c >>> ROLLOVER_SHIFT) != (lastSeenCount >>> ROLLOVER_SHIFT)) {
            usbsts.f("FLR").set(true);
            updateIrq();
        }
        lastSeenCount = c;
    }

    /** With FLR's interrupt enabled, one event at the next rollover (so the interrupt comes on time). */
    private void planRollover() {
        scheduler.cancel(rolloverEvent);
        rolloverEvent = null;
        if (!running || !usbintr.f("FLRE").isSet()) {
            return;
        }
        long c = count();
        long next = ((c >>> ROLLOVER_SHIFT) + 1) << ROLLOVER_SHIFT;
        rolloverEvent = scheduler.scheduleAt(runStartNs + (next - countAtStart) * MICROFRAME_NS, name + ".rollover", () -> {
            rolloverEvent = null;
            catchUp();
            planRollover();
        });
    }

    private void updateScheduleStatus() {
        int cmd = usbcmd.value();
        usbsts.f("PSS").set(running && (cmd & CMD_PSE) != 0);
        usbsts.f("ASS").set(running && (cmd & CMD_ASE) != 0);
    }

    // ---- Interrupts ----

    /** Sets USBSTS bits that do not wait for the threshold (PCD, FLR, HSE, IAA). */
    void raise(int bits) {
        usbsts.set(usbsts.value() | bits);
        updateIrq();
    }

    /** USBINT/USBERRINT: set at the next interrupt threshold (§4.15.1). */
    void pend(int bits) {
        pendingStatus |= bits;
    }

    private void updateIrq() {
        irq.set((usbsts.value() & usbintr.value() & INTERRUPT_BITS) != 0);
    }

    /** A bus error on DMA (§4.15.2.4): HSE, Run/Stop cleared, halted. */
    void hostSystemError(String what, long address) {
        trace("usb.hse", String.format("host system error: bus error %s at 0x%08x; controller halted", what, address));
        tracer.warn(name, String.format("host system error: bus error %s at 0x%08x (EHCI halts; the driver must reset it)", what, address));
        if (running) {
            stopRunning();
        }
        raise(STS_HSE);
    }

    // ---- The micro-frame walk ----

    /** Something that may start work happened: walk at the next micro-frame boundary. */
    void wake() {
        idleMicroframes = 0;
        idleStep = 1;
        if (!running || !needsWalk()) {
            return;
        }
        long at = boundaryAtOrAfter(scheduler.now());
        if (tick != null && tick.time() <= at) {
            return;
        }
        scheduler.cancel(tick);
        tick = scheduler.scheduleAt(at, name + ".uframe", this::microframe);
    }

    private boolean needsWalk() {
        return (usbcmd.value() & (CMD_PSE | CMD_ASE)) != 0 || pendingStatus != 0 || doorbell;
    }

    private long boundaryAtOrAfter(long t) {
        long k = (t - runStartNs + MICROFRAME_NS - 1) / MICROFRAME_NS;
        return runStartNs + k * MICROFRAME_NS;
    }

    private void microframe() {
        tick = null;
        if (!running) {
            return;
        }
        catchUp();
        long c = count();
        if (c == lastWalkedCount) {
            scheduleNext(c, false);
            return;
        }
        lastWalkedCount = c;
        walks++;
        int threshold = Math.max(1, itc.get());
        if (pendingStatus != 0 && (c & FRINDEX_MASK) % threshold == 0) {
            raise(pendingStatus);
            pendingStatus = 0;
        }
        boolean ring = doorbell;
        boolean busy = false;
        int cmd = usbcmd.value();
        engine.startMicroframe();
        if ((cmd & CMD_PSE) != 0) {
            busy |= engine.walkPeriodic(periodicListBase.value() & 0xFFFF_F000L, (int) (c >>> 3) & 1023, (int) (c & 7));
        }
        if (running && (cmd & CMD_ASE) != 0) {
            busy |= engine.walkAsync(asyncListAddr.value() & 0xFFFF_FFE0L);
            usbsts.f("RECLAMATION").set(engine.reclamation());
        }
        if (!running) {
            return; // host system error during the walk
        }
        if (ring) {
            // §4.8.2: the schedule has advanced past every QH cached when the doorbell rang.
            doorbell = false;
            usbcmd.f("IAAD").set(false);
            raise(STS_IAA);
            trace("usb.doorbell", "async advance: IAA set");
        }
        scheduleNext(c, busy);
    }

    private void scheduleNext(long c, boolean busy) {
        if (!needsWalk()) {
            return;
        }
        long step;
        if (busy || pendingStatus != 0 || doorbell) {
            idleMicroframes = 0;
            idleStep = 1;
            step = 1;
        } else if (++idleMicroframes < IDLE_BEFORE_BACKOFF) {
            step = 1;
        } else {
            idleStep = Math.min(MAX_IDLE_STEP, idleStep < 8 ? 8 : idleStep * 2);
            step = idleStep;
        }
        tick = scheduler.scheduleAt(runStartNs + (c + step - countAtStart) * MICROFRAME_NS, name + ".uframe", this::microframe);
    }

    // ---- DMA and devices, for the queue engine ----

    /** A 32-bit DMA read; {@link MemoryBus#BUS_ERROR} on a bus error. */
    long read32(long address) {
        return dma.read(address, 4, master);
    }

    boolean write32(long address, int value) {
        return dma.write(address, 4, value & 0xFFFF_FFFFL, master);
    }

    long read8(long address) {
        return dma.read(address, 1, master);
    }

    boolean write8(long address, int value) {
        return dma.write(address, 1, value & 0xFFL, master);
    }

    boolean running() {
        return running;
    }

    /** The port whose device answers at {@code address}, enabled and not suspended, or null (§4.2). */
    Port portAt(int address) {
        for (Port p : ports) {
            int sc = p.portsc.value();
            if ((sc & PORT_PED) != 0 && (sc & PORT_SUSPEND) == 0 && p.device != null && p.device.answers(address)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Declares every root port's fault points, {@code usb.<n>.packet} and {@code usb.<n>.link} for
     * {@code n} 1 to {@value #PORTS}, in {@code faults} (see the class comment).
     */
    public void declareFaultPoints(FaultPoints faults) {
        declareFaultPoints(faults, "usb");
    }

    /**
     * As {@link #declareFaultPoints(FaultPoints)}, the points named {@code <prefix>.<n>.packet} and
     * {@code <prefix>.<n>.link}: a machine with several controllers gives each its own prefix.
     */
    public void declareFaultPoints(FaultPoints faults, String prefix) {
        for (Port p : ports) {
            p.declareFaultPoints(faults, prefix);
        }
    }

    Tracer tracer() {
        return tracer;
    }

    void trace(String kind, String detail) {
        if (tracer.enabled()) {
            tracer.emit(name, kind, detail);
        }
    }

    /**
     * A root-hub port (§2.3.9, §4.2): connect and disconnect a device at any time; the driver resets
     * it (PR set, then cleared) to enable a high-speed device. Port power is always on (HCSPARAMS.PPC
     * is 0, as in QEMU); there are no companion controllers, so Port Owner stays 0.
     */
    public final class Port {
        private final int index;
        private final Register portsc;
        private UsbDevice device;
        /** The device a {@code disconnect} fault took off the port, for {@code reconnect}. */
        private UsbDevice unplugged;
        private FaultPoint packetPoint;
        private FaultPoint linkPoint;
        private final FaultSite site = new FaultSite();
        /** A NAK storm in progress: on this endpoint (-1: none), for this many more packets or until this time. */
        private int stormEndpoint = -1;
        private long stormLeft;
        private long stormUntilNs;

        Port(int index) {
            this.index = index;
            this.portsc = regs.define("PORTSC" + (index + 1), PORTSC + 4 * index)
                    .field("CCS", 0, 1, Access.RO)
                    .field("CSC", 1, 1, Access.W1C)
                    .field("PED", 2, 1, Access.RW)
                    .field("PEDC", 3, 1, Access.W1C)
                    .field("OCA", 4, 1, Access.RO)
                    .field("OCC", 5, 1, Access.W1C)
                    .field("FPR", 6, 1, Access.RW)
                    .field("SUSPEND", 7, 1, Access.RW)
                    .field("PR", 8, 1, Access.RW)
                    .field("LS", 10, 2, Access.RO)
                    .field("PP", 12, 1, Access.RO, 1)
                    .field("PO", 13, 1, Access.RO)
                    .field("PIC", 14, 2, Access.RO)
                    .unimplemented("PTC", 16, 4)
                    .field("WKCNNT_E", 20, 1, Access.RW)
                    .field("WKDSCNNT_E", 21, 1, Access.RW)
                    .field("WKOC_E", 22, 1, Access.RW)
                    .onWrite(this::written);
        }

        void declareFaultPoints(FaultPoints faults, String pointPrefix) {
            String prefix = pointPrefix + "." + (index + 1);
            packetPoint = faults.declare(prefix + ".packet", "USB transactions with the device on " + name + " root port " + (index + 1),
                    "drop", "timeout", "crc", "stall", "babble", "nak-storm").filters("kind", "endpoint").kinds("setup", "in", "out");
            linkPoint = faults.declare(prefix + ".link", "the device's connection to " + name + " root port " + (index + 1),
                    "disconnect", "reconnect").filters("kind", "endpoint").kinds("setup", "in", "out")
                    .performer((p, s) -> performLink(s));
        }

        private static String kindOf(int pid) {
            return pid == QueueEngine.PID_SETUP ? "setup" : pid == QueueEngine.PID_IN ? "in" : "out";
        }

        /**
         * What a fault does to the transaction of {@code pid} on {@code endpoint} about to be sent to
         * this port's device: null when nothing (the device handles it), else the result the host sees.
         */
        TransactionResult packetFault(int pid, int endpoint) {
            if (stormEndpoint == endpoint && pid != QueueEngine.PID_SETUP) {
                boolean more = stormLeft > 0 ? stormLeft-- > 0 : scheduler.now() < stormUntilNs;
                if (more) {
                    return TransactionResult.nak();
                }
                stormEndpoint = -1;
            }
            if (packetPoint == null || !packetPoint.armed()) {
                return null;
            }
            FaultSite s = site.occurrence(kindOf(pid));
            s.endpoint = endpoint;
            packetPoint.fire(s);
            if (s.dropped) {
                return TransactionResult.error(TransactionResult.Error.TIMEOUT);
            }
            if (s.action == null) {
                return null;
            }
            return switch (s.action) {
                case "timeout" -> TransactionResult.error(TransactionResult.Error.TIMEOUT);
                case "crc" -> TransactionResult.error(TransactionResult.Error.CRC);
                case "stall" -> TransactionResult.stall();
                case "babble" -> TransactionResult.error(TransactionResult.Error.BABBLE);
                case "nak-storm" -> {
                    stormEndpoint = endpoint;
                    stormLeft = s.arg > 0 ? s.arg : 0;
                    stormUntilNs = scheduler.now() + s.duration;
                    if (pid == QueueEngine.PID_SETUP) {
                        yield null;
                    }
                    if (stormLeft > 0) {
                        stormLeft--;
                    }
                    yield TransactionResult.nak();
                }
                default -> null;
            };
        }

        /** A transaction of {@code pid} on {@code endpoint} reached the device: a link rule may take it off the bus now. */
        void afterTransaction(int pid, int endpoint) {
            if (linkPoint == null || !linkPoint.armed()) {
                return;
            }
            FaultSite s = site.occurrence(kindOf(pid));
            s.endpoint = endpoint;
            linkPoint.fire(s);
            if ("disconnect".equals(s.action)) {
                long back = s.duration;
                unplug();
                if (back > 0) {
                    scheduler.schedule(back, "usb." + (index + 1) + ".reconnect", this::replug);
                }
            }
        }

        /** The {@code usb.<n>.link} primitives: {@code disconnect}, {@code reconnect} ({@code previous}/{@code value}: connected 1 or 0). */
        private void performLink(FaultSite s) {
            s.previous = device != null ? 1 : 0;
            switch (s.action) {
                case "disconnect" -> unplug();
                case "reconnect" -> replug();
                case "check" -> { }
                default -> throw new IllegalArgumentException(linkPoint.name() + " cannot " + s.action);
            }
            s.value = device != null ? 1 : 0;
        }

        private void unplug() {
            if (device != null) {
                unplugged = device;
                disconnect();
            }
        }

        private void replug() {
            if (device == null && unplugged != null) {
                UsbDevice d = unplugged;
                unplugged = null;
                connect(d);
            }
        }

        /** The port's PORTSC value (the device's view: no side effects). */
        public int portsc() {
            return portsc.value();
        }

        /** The device plugged in here, or null. */
        public UsbDevice device() {
            return device;
        }

        /**
         * Plugs {@code d} in: Current Connect Status and Connect Status Change set, a port change
         * event (§4.2.2). It is in the Powered state until the driver resets the port.
         *
         * @throws IllegalStateException if a device is already plugged in here
         */
        public void connect(UsbDevice d) {
            if (device != null) {
                throw new IllegalStateException(name + " port " + (index + 1) + " already has " + device.name() + " plugged in");
            }
            device = d;
            d.attach();
            portsc.set(portsc.value() | PORT_CCS | PORT_CSC);
            trace("usb.port", "port " + (index + 1) + ": " + d.name() + " connected");
            raise(STS_PCD);
        }

        /**
         * Unplugs the device (or it drops off the bus): connect status and enable cleared, Connect
         * Status Change set, a port change event. Transactions still addressed to it time out.
         */
        public void disconnect() {
            if (device == null) {
                return;
            }
            UsbDevice d = device;
            device = null;
            d.detach();
            portsc.set(portsc.value() & ~(PORT_CCS | PORT_PED | PORT_SUSPEND | PORT_PR) | PORT_CSC);
            trace("usb.port", "port " + (index + 1) + ": " + d.name() + " disconnected");
            raise(STS_PCD);
        }

        private void controllerReset() {
            if (device != null) {
                device.attach();
                portsc.set(portsc.value() | PORT_CCS | PORT_CSC);
                usbsts.set(usbsts.value() | STS_PCD);
            }
        }

        private void written(int old, int now, int written) {
            int v = now;
            if ((v & PORT_PED) != 0 && (old & PORT_PED) == 0) {
                v &= ~PORT_PED; // only a port reset enables a port (§2.3.9)
            }
            if ((v & PORT_PR) != 0 && (old & PORT_PR) == 0) {
                v &= ~PORT_PED;
                trace("usb.port", "port " + (index + 1) + ": reset started");
            } else if ((v & PORT_PR) == 0 && (old & PORT_PR) != 0) {
                // Software ends the reset; the port completes it at once and enables a high-speed device.
                if (device != null && (v & PORT_CCS) != 0) {
                    device.busReset();
                    v |= PORT_PED;
                    trace("usb.port", "port " + (index + 1) + ": reset done, high-speed device enabled");
                } else {
                    trace("usb.port", "port " + (index + 1) + ": reset done, nothing connected");
                }
            }
            if ((v & PORT_SUSPEND) != 0 && (old & PORT_SUSPEND) == 0) {
                if ((v & PORT_PED) == 0) {
                    v &= ~PORT_SUSPEND; // suspending a disabled port is undefined; ignored
                } else {
                    trace("usb.port", "port " + (index + 1) + ": suspended");
                }
            }
            if ((v & PORT_FPR) == 0 && (old & PORT_FPR) != 0) {
                v &= ~PORT_SUSPEND; // resume signalling ends: the port runs again (§4.3.1)
                trace("usb.port", "port " + (index + 1) + ": resumed");
            }
            portsc.set(v);
        }
    }
}
