package brassboard.devices.wifi;

import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.FaultSite;
import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.api.regs.Access;
import brassboard.bus.api.regs.Register;
import brassboard.bus.api.regs.RegisterBank;
import brassboard.bus.pcie.ConfigSpace;
import brassboard.bus.pcie.DmaPort;
import brassboard.bus.pcie.PciFunction;
import brassboard.bus.pcie.PciSlot;
import brassboard.bus.pcie.PcieEndpoint;
import java.util.SplittableRandom;

/**
 * The WiFi baseband {@code wifi0} of docs/devices/wifi.md, a PCIe endpoint: BAR0 holds e1000-style
 * registers (Intel 8254x SDM: CTRL, ICR/ICS/IMS/IMC, ITR, RCTL/TCTL, the RX and TX descriptor rings'
 * base/length/head/tail, statistics), invented ones (firmware-ready, error detail, the RF's status
 * pins) and the SPI master ({@link SpiMaster}) the RF transceiver ({@link RfTransceiver}) hangs on.
 *
 * <p>Frames from the air arrive through {@link #receive}; transmitted frames leave through a
 * {@link TxSink}. Interrupts go out as INTx or MSI through the {@link PcieEndpoint}, at most one
 * assertion per ITR interval. After power-up, CTRL.RST or a PCI reset the firmware boots for
 * {@link #BOOT_NS}, then sets STATUS.FWRDY and ICR.FWRDY.
 *
 * <p>Fault point {@code wifi.<name>.rx}: each frame about to be delivered: {@code corrupt} (bit flips at
 * positions drawn from the handler's seed {@link FaultSite#value}, {@link FaultSite#size} bits),
 * {@code fcs-error}, {@code ring-overflow}, {@code drop}.
 */
public final class WifiBaseband {
    /** Invented identity: 0xb5b0 is not assigned by the PCI-SIG (docs/devices/wifi.md). */
    public static final int VENDOR = 0xB5B0;
    public static final int DEVICE = 0x0211;
    public static final int REVISION = 0x01;
    /** Network controller, other. */
    public static final int CLASS_NETWORK_OTHER = 0x028000;
    public static final int BAR_SIZE = 0x1_0000;
    /** Firmware boot time after a reset. */
    public static final long BOOT_NS = 200_000;
    /** How far the RX synthesizer may be from the channel's frequency. */
    public static final long TUNE_TOLERANCE_HZ = 100_000;
    /** The largest frame the TX engine sends. */
    public static final int MAX_TX_FRAME = 4096;
    /** The MAC address, 02:00:b5:b0:00:01. */
    public static final int RAL_RESET = 0xB0B5_0002;
    public static final int RAH_RESET = 0x0100;

    // ---------------------------------------------------------------- BAR0 offsets ([e1000] 8254x SDM ch. 13; invented from 0x5800)
    public static final int CTRL = 0x0000;
    public static final int STATUS = 0x0008;
    public static final int ICR = 0x00C0;
    public static final int ITR = 0x00C4;
    public static final int ICS = 0x00C8;
    public static final int IMS = 0x00D0;
    public static final int IMC = 0x00D8;
    public static final int RCTL = 0x0100;
    public static final int TCTL = 0x0400;
    public static final int RDBAL = 0x2800;
    public static final int RDBAH = 0x2804;
    public static final int RDLEN = 0x2808;
    public static final int RDH = 0x2810;
    public static final int RDT = 0x2818;
    public static final int TDBAL = 0x3800;
    public static final int TDBAH = 0x3804;
    public static final int TDLEN = 0x3808;
    public static final int TDH = 0x3810;
    public static final int TDT = 0x3818;
    public static final int CRCERRS = 0x4000;
    public static final int RXERRC = 0x400C;
    public static final int MPC = 0x4010;
    public static final int GPRC = 0x4074;
    public static final int GPTC = 0x4080;
    public static final int ROC = 0x40B4;
    public static final int RAL0 = 0x5400;
    public static final int RAH0 = 0x5404;
    public static final int FWVER = 0x5800;
    public static final int ERRSTAT = 0x5804;
    public static final int RFEVT = 0x5808;
    public static final int RFSTAT = 0x580C;
    public static final int RFMISS = 0x5810;
    public static final int SPICTL = SpiMaster.SPICTL;
    public static final int SPIDATA = SpiMaster.SPIDATA;
    public static final int SPISTAT = SpiMaster.SPISTAT;

    // ---------------------------------------------------------------- interrupt causes (ICR, ICS, IMS, IMC)
    public static final int TXDW = 1;
    public static final int TXQE = 1 << 1;
    public static final int RXO = 1 << 6;
    public static final int RXT0 = 1 << 7;
    public static final int FWRDY = 1 << 16;
    public static final int RFEV = 1 << 17;
    public static final int ERR = 1 << 18;
    public static final int INT_ASSERTED = 1 << 31;
    static final int CAUSES = TXDW | TXQE | RXO | RXT0 | FWRDY | RFEV | ERR;

    /** CTRL.RST ([e1000] §13.4.1). */
    public static final int CTRL_RST = 1 << 26;
    public static final int STATUS_FWRDY = 1;
    public static final int STATUS_RXHALT = 2;
    public static final int STATUS_TXHALT = 4;
    public static final int RCTL_EN = 2;
    public static final int RCTL_SBP = 4;
    public static final int TCTL_EN = 2;
    /** ERRSTAT bits. */
    public static final int ERR_RXDMA = 1;
    public static final int ERR_TXDMA = 2;
    public static final int ERR_POISON = 4;
    public static final int ERR_RXRING = 8;
    public static final int ERR_TXRING = 16;
    /** RFEVT bits. */
    public static final int EV_RXLOCK = 1;
    public static final int EV_RXUNLOCK = 2;
    public static final int EV_TXLOCK = 4;
    public static final int EV_TXUNLOCK = 8;
    public static final int EV_CALDONE = 16;
    public static final int EV_CALFAIL = 32;

    /** Descriptor status / error bits ([e1000] §3.2.3, §3.3.3). */
    public static final int DESC_DD = 1;
    public static final int RDESC_EOP = 2;
    public static final int RDESC_CE = 1;
    public static final int TDESC_NTX = 2;
    public static final int TDESC_CMD_EOP = 1;
    public static final int TDESC_CMD_RS = 8;
    public static final int DESC_SIZE = 16;

    /** Fault actions of {@code wifi.<name>.rx}. */
    public static final String CORRUPT = "corrupt";
    public static final String FCS_ERROR = "fcs-error";
    public static final String RING_OVERFLOW = "ring-overflow";
    public static final String DROP = "drop";

    /** Where transmitted frames go (the air). */
    @FunctionalInterface
    public interface TxSink {
        /** A frame left the antenna at virtual time {@code timeNs} (the end of its airtime). */
        void transmitted(long timeNs, byte[] frame);
    }

    /** Registers a booting firmware still takes writes to (the interrupt block and CTRL). */
    private static final int[] WRITABLE_WHILE_BOOTING = {CTRL, ICR, ICS, IMS, IMC, ITR};

    private final String name;
    private final Scheduler scheduler;
    private final Tracer tracer;
    private final PcieEndpoint endpoint;
    private final RegisterBank regs;
    private final RfTransceiver rf;
    private final SpiMaster spi;
    private final WifiTx tx;
    private final FaultPoint rxPoint;
    private final FaultSite rxSite = new FaultSite();
    private final byte[] descriptor = new byte[DESC_SIZE];
    private final Register status;
    private final Register rctl;
    private final Register errstat;
    private final Register rfevt;
    private final Register crcerrs;
    private final Register rxerrc;
    private final Register mpc;
    private final Register gprc;
    private final Register roc;
    private final Register rfmiss;
    private final Register itr;
    private final Register[] rxRing;
    private int icr;
    private int ims;
    private boolean asserted;
    /** When the interrupt was last asserted (the ITR interval counts from here). */
    private long lastAssert = Long.MIN_VALUE / 2;
    private Scheduler.Event throttle;
    private Scheduler.Event boot;
    private boolean ready;

    /**
     * A baseband named {@code name} ({@code pcie.<name>.*}, {@code wifi.<name>.rx}) whose DMA reaches {@code bus} as
     * master {@code master}, driving {@code rf} over its SPI master, sending frames to {@code sink}. It starts booting now.
     */
    public WifiBaseband(String name, Scheduler scheduler, Tracer tracer, FaultPoints faults, MemoryBus bus, int master,
                        RfTransceiver rf, TxSink sink) {
        this.name = name;
        this.scheduler = scheduler;
        this.tracer = tracer;
        this.rf = rf;
        ConfigSpace config = new ConfigSpace(4096, VENDOR, DEVICE, REVISION, CLASS_NETWORK_OTHER)
                .set(ConfigSpace.SUBSYSTEM_VENDOR_ID, 2, VENDOR)
                .set(ConfigSpace.SUBSYSTEM_ID, 2, DEVICE)
                .bar(new ConfigSpace.Bar(0, BAR_SIZE, ConfigSpace.BarKind.MEMORY32, false))
                .interruptPin(1)
                .msi(1, true, false)
                .pciExpressEndpoint()
                .powerManagement();
        this.endpoint = new PcieEndpoint(name, config, bus, master, tracer, faults);
        this.rxPoint = faults.declare("wifi." + name + ".rx", "frames the WiFi baseband " + name + " is about to deliver to its RX ring",
                CORRUPT, FCS_ERROR, RING_OVERFLOW, DROP);
        this.regs = new RegisterBank(name, tracer);
        regs.define("CTRL", CTRL).field("RST", 26, 1, Access.RW).onWrite((old, now, written) -> {
            if ((now & CTRL_RST) != 0) {
                reset("CTRL.RST");
            }
        });
        status = regs.define("STATUS", STATUS)
                .field("FWRDY", 0, 1, Access.RO).field("RXHALT", 1, 1, Access.RO).field("TXHALT", 2, 1, Access.RO);
        causes(regs.define("ICR", ICR), Access.RO).field("INT_ASSERTED", 31, 1, Access.RO)
                .onRead(() -> icr | ((icr & ims) != 0 ? INT_ASSERTED : 0))
                .afterRead(() -> {
                    icr = 0;
                    updateInterrupt();
                })
                .onWrite((old, now, written) -> {
                    icr &= ~written;
                    updateInterrupt();
                });
        itr = regs.define("ITR", ITR).field("INTERVAL", 0, 16, Access.RW).onWrite((old, now, written) -> updateInterrupt());
        causes(regs.define("ICS", ICS), Access.WO).onWrite((old, now, written) -> raise(written & CAUSES));
        causes(regs.define("IMS", IMS), Access.RO).onRead(() -> ims).onWrite((old, now, written) -> {
            ims |= written & CAUSES;
            updateInterrupt();
        });
        causes(regs.define("IMC", IMC), Access.WO).onWrite((old, now, written) -> {
            ims &= ~written;
            updateInterrupt();
        });
        rctl = regs.define("RCTL", RCTL)
                .field("EN", 1, 1, Access.RW).field("SBP", 2, 1, Access.RW)
                .field("BSIZE", 16, 2, Access.RW).field("BSEX", 25, 1, Access.RW)
                .onWrite((old, now, written) -> {
                    if ((written & RCTL_EN) != 0) {
                        status.f("RXHALT").set(false);
                    }
                });
        Register tctl = regs.define("TCTL", TCTL).field("EN", 1, 1, Access.RW);
        Register[] txRing = ring("T", TDBAL);
        Register[] rxRing = ring("R", RDBAL);
        crcerrs = counter("CRCERRS", CRCERRS);
        rxerrc = counter("RXERRC", RXERRC);
        mpc = counter("MPC", MPC);
        gprc = counter("GPRC", GPRC);
        Register gptc = counter("GPTC", GPTC);
        roc = counter("ROC", ROC);
        regs.define("RAL0", RAL0).reset(RAL_RESET);
        regs.define("RAH0", RAH0).field("RAH", 0, 16, Access.RW, RAH_RESET).field("AV", 31, 1, Access.RO, 1);
        regs.define("FWVER", FWVER).field("VERSION", 0, 32, Access.RO, 0x0001_0000);
        errstat = regs.define("ERRSTAT", ERRSTAT).field("RXDMA", 0, 1, Access.W1C).field("TXDMA", 1, 1, Access.W1C)
                .field("POISON", 2, 1, Access.W1C).field("RXRING", 3, 1, Access.W1C).field("TXRING", 4, 1, Access.W1C);
        rfevt = regs.define("RFEVT", RFEVT).field("RXLOCK", 0, 1, Access.W1C).field("RXUNLOCK", 1, 1, Access.W1C)
                .field("TXLOCK", 2, 1, Access.W1C).field("TXUNLOCK", 3, 1, Access.W1C)
                .field("CALDONE", 4, 1, Access.W1C).field("CALFAIL", 5, 1, Access.W1C);
        regs.define("RFSTAT", RFSTAT).field("RXLOCKED", 0, 1, Access.RO).field("TXLOCKED", 2, 1, Access.RO)
                .field("CALBUSY", 4, 1, Access.RO)
                .onRead(() -> (rf.rxLocked() ? 1 : 0) | (rf.txLocked() ? 4 : 0) | (rf.calibrating() ? 16 : 0));
        rfmiss = counter("RFMISS", RFMISS);
        this.spi = new SpiMaster(name, regs, scheduler, tracer, rf);
        this.tx = new WifiTx(this, tctl, txRing, gptc, sink);
        this.rxRing = rxRing;
        tctl.onWrite((old, now, written) -> {
            if ((written & TCTL_EN) != 0) {
                status.f("TXHALT").set(false);
            }
            tx.kick();
        });
        txRing[4].onWrite((old, now, written) -> tx.kick());
        endpoint.mapBar(0, new Bar0());
        rf.connect(new RfPins());
        beginBoot();
    }

    /** Declares the cause bits on an ICR-layout register. */
    private static Register causes(Register r, Access access) {
        return r.field("TXDW", 0, 1, access).field("TXQE", 1, 1, access).field("RXO", 6, 1, access)
                .field("RXT0", 7, 1, access).field("FWRDY", 16, 1, access).field("RFEV", 17, 1, access)
                .field("ERR", 18, 1, access);
    }

    /** A ring's five registers from {@code base}: xDBAL, xDBAH, xDLEN, xDH, xDT ([e1000] §13.4.25-29 / .36-40). */
    private Register[] ring(String x, int base) {
        return new Register[] {
            regs.define(x + "DBAL", base).field(x + "DBAL", 4, 28, Access.RW),
            regs.define(x + "DBAH", base + 4),
            regs.define(x + "DLEN", base + 8).field("LEN", 7, 13, Access.RW),
            regs.define(x + "DH", base + 0x10).field(x + "DH", 0, 16, Access.RW),
            regs.define(x + "DT", base + 0x18).field(x + "DT", 0, 16, Access.RW),
        };
    }

    /** A statistics counter, cleared when read ([e1000] §13.7). */
    private Register counter(String reg, int offset) {
        return regs.define(reg, offset).field("COUNT", 0, 32, Access.RC);
    }

    static void count(Register counter) {
        int v = counter.value();
        if (v != -1) {
            counter.set(v + 1);
        }
    }

    // ================================================================ accessors

    public String name() {
        return name;
    }

    /** The PCIe function to plug into the host bridge: the endpoint, whose PCI reset also resets the device. */
    public PciFunction function() {
        return function;
    }

    /** The PCIe endpoint (configuration space, DMA port, interrupts). */
    public PcieEndpoint endpoint() {
        return endpoint;
    }

    /** BAR0's registers (the device side: tests and traces). */
    public RegisterBank registers() {
        return regs;
    }

    public RfTransceiver rf() {
        return rf;
    }

    /** Whether the firmware has booted (STATUS.FWRDY). */
    public boolean ready() {
        return ready;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    Tracer tracer() {
        return tracer;
    }

    DmaPort dma() {
        return endpoint.dma();
    }

    // ================================================================ interrupts

    /** Sets causes in ICR and updates the interrupt. */
    void raise(int causes) {
        icr |= causes;
        updateInterrupt();
    }

    /**
     * Asserts the interrupt when it is pending and the ITR interval since the last assertion has passed
     * ([e1000] §13.4.18), deasserts it when nothing is pending.
     */
    private void updateInterrupt() {
        boolean pending = (icr & ims) != 0;
        if (pending && !asserted) {
            long now = scheduler.now();
            long allowed = lastAssert + 256L * itr.f("INTERVAL").get();
            if (now < allowed) {
                if (throttle == null) {
                    throttle = scheduler.scheduleAt(allowed, name + ".itr", () -> {
                        throttle = null;
                        updateInterrupt();
                    });
                }
                return;
            }
            asserted = true;
            lastAssert = now;
            if (tracer.enabled()) {
                tracer.emit(name, "wifi.irq", String.format("assert: ICR 0x%08x IMS 0x%08x", icr, ims));
            }
            endpoint.intx(true);
            if (endpoint.msiEnabled()) {
                endpoint.msi(0);
            }
        } else if (!pending && asserted) {
            asserted = false;
            endpoint.intx(false);
        }
    }

    // ================================================================ reset and boot

    /** CTRL.RST, a PCI reset or power-up: registers to reset values, the RF reset, the firmware boots again. */
    void reset(String why) {
        if (tracer.enabled()) {
            tracer.emit(name, "wifi.reset", why);
        }
        ims = 0; // first: the RF's reset below reports lock lost on its pins, which must not interrupt
        tx.reset();
        spi.reset();
        rf.reset();
        regs.reset();
        if (throttle != null) {
            scheduler.cancel(throttle);
            throttle = null;
        }
        icr = 0;
        lastAssert = Long.MIN_VALUE / 2;
        updateInterrupt();
        beginBoot();
    }

    private void beginBoot() {
        ready = false;
        if (boot != null) {
            scheduler.cancel(boot);
        }
        boot = scheduler.schedule(BOOT_NS, name + ".boot", () -> {
            boot = null;
            ready = true;
            status.f("FWRDY").set(true);
            if (tracer.enabled()) {
                tracer.emit(name, "wifi.ready", "firmware ready");
            }
            raise(FWRDY);
        });
    }

    // ================================================================ errors

    /** A DMA of the RX path failed: the receiver stops. */
    private void rxDmaError(DmaPort.Result r, String what) {
        errstat.f("RXDMA").set(true);
        haltRx(what + ": " + r);
    }

    private void haltRx(String why) {
        rctl.f("EN").set(false);
        status.f("RXHALT").set(true);
        count(rxerrc);
        tracer.emit(name, "wifi.rx.halt", why);
        raise(ERR);
    }

    void poisoned() {
        errstat.f("POISON").set(true);
        raise(ERR);
    }

    /** The TX path stopped (WifiTx): ERRSTAT bit, TCTL.EN cleared, STATUS.TXHALT. */
    void haltTx(int errBit, String why) {
        errstat.set(errstat.value() | errBit);
        status.f("TXHALT").set(true);
        tracer.emit(name, "wifi.tx.halt", why);
        raise(ERR);
    }

    // ================================================================ receive

    /**
     * A frame arrives from the air on {@code channel}, now (docs/devices/wifi.md "Receive, step by step").
     *
     * @return whether it was delivered to the RX ring
     */
    public boolean receive(byte[] frame, int channel) {
        if (!ready || !rctl.f("EN").isSet()) {
            count(rfmiss);
            return false;
        }
        long hz = WifiChannels.frequencyHz(channel);
        if (!rf.rxTunedTo(hz, TUNE_TOLERANCE_HZ) || !rf.rxCalibrated()) {
            count(rfmiss);
            return false;
        }
        byte[] data = frame;
        boolean fcsError = false;
        boolean overflow = false;
        if (rxPoint.armed()) {
            rxPoint.fire(rxSite.access(-1, 0, -1, false, frame.length));
            if (rxSite.dropped) {
                count(rfmiss);
                return false;
            }
            if (CORRUPT.equals(rxSite.action)) {
                data = corrupt(frame, rxSite.value, Math.max(1, rxSite.size));
            } else if (FCS_ERROR.equals(rxSite.action)) {
                fcsError = true;
            } else if (RING_OVERFLOW.equals(rxSite.action)) {
                overflow = true;
            }
        }
        if (fcsError) {
            count(crcerrs);
            if (!rctl.f("SBP").isSet()) {
                return false;
            }
        }
        int n = rxRing[2].value() / DESC_SIZE;
        int head = rxRing[3].value();
        int tail = rxRing[4].value();
        if (n == 0 || head >= n || tail >= n || rxRing[1].value() != 0) {
            errstat.f("RXRING").set(true);
            haltRx(String.format("RX ring registers make no sense: RDLEN %d, RDH %d, RDT %d, RDBAH 0x%x",
                    rxRing[2].value(), head, tail, rxRing[1].value()));
            return false;
        }
        if (overflow || head == tail) {
            count(mpc);
            if (tracer.enabled()) {
                tracer.emit(name, "wifi.rx.overrun", overflow ? "ring overflow (fault)" : "no free RX descriptor (RDH == RDT == " + head + ")");
            }
            raise(RXO);
            return false;
        }
        if (data.length > bufferSize()) {
            count(roc);
            return false;
        }
        long desc = (rxRing[0].value() & 0xFFFF_FFF0L) + (long) head * DESC_SIZE;
        DmaPort dma = endpoint.dma();
        DmaPort.Result r = dma.read(desc, descriptor, 0, 8);
        if (!dmaUsable(r)) {
            rxDmaError(r, String.format("RX descriptor %d read at 0x%08x", head, desc));
            return false;
        }
        long buffer = le32(descriptor, 0);
        r = dma.write(buffer, data, 0, data.length);
        if (!dmaUsable(r)) {
            rxDmaError(r, String.format("RX frame write at 0x%08x", buffer));
            return false;
        }
        putLe16(descriptor, 8, data.length);
        putLe16(descriptor, 10, 0);
        descriptor[12] = (byte) (DESC_DD | RDESC_EOP);
        descriptor[13] = (byte) (fcsError ? RDESC_CE : 0);
        putLe16(descriptor, 14, channel);
        r = dma.write(desc + 8, descriptor, 8, 8);
        if (!dmaUsable(r)) {
            rxDmaError(r, String.format("RX descriptor %d write-back at 0x%08x", head, desc + 8));
            return false;
        }
        rxRing[3].set((head + 1) % n);
        count(gprc);
        if (tracer.enabled()) {
            tracer.emit(name, "wifi.rx", String.format("%d bytes into descriptor %d%s", data.length, head, fcsError ? " (FCS error)" : ""));
        }
        raise(RXT0);
        return true;
    }

    /** Whether a DMA's data may be used; a poisoned one may, and is recorded. */
    boolean dmaUsable(DmaPort.Result r) {
        if (r == DmaPort.Result.POISONED) {
            poisoned();
            return true;
        }
        return r.ok();
    }

    /** RCTL.BSIZE/BSEX as bytes ([e1000] RCTL). */
    int bufferSize() {
        int bsize = rctl.f("BSIZE").get();
        if (rctl.f("BSEX").isSet()) {
            return switch (bsize) {
                case 1 -> 16384;
                case 2 -> 8192;
                case 3 -> 4096;
                default -> 2048;
            };
        }
        return 2048 >> bsize;
    }

    /** {@code bits} bit flips at positions drawn from {@code seed}. */
    static byte[] corrupt(byte[] frame, long seed, int bits) {
        byte[] out = frame.clone();
        if (out.length == 0) {
            return out;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < bits; i++) {
            int bit = random.nextInt(out.length * 8);
            out[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
        return out;
    }

    static long le32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    static int le16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    static void putLe16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    // ================================================================ the RF's pins

    private final class RfPins implements RfTransceiver.Pins {
        @Override
        public void lockChanged(boolean rx, boolean locked) {
            event(rx ? (locked ? EV_RXLOCK : EV_RXUNLOCK) : (locked ? EV_TXLOCK : EV_TXUNLOCK));
        }

        @Override
        public void calibrationFinished(boolean failed) {
            event(failed ? EV_CALFAIL : EV_CALDONE);
        }

        private void event(int bit) {
            rfevt.set(rfevt.value() | bit);
            raise(RFEV);
        }
    }

    // ================================================================ BAR0 and the PCI function

    /** BAR0: the register bank, with writes a booting firmware ignores. */
    private final class Bar0 implements MmioDevice {
        @Override
        public long read(long offset, int size) {
            return regs.read(offset, size);
        }

        @Override
        public boolean write(long offset, int size, long value) {
            if (!ready) {
                long reg = offset & ~3L;
                boolean allowed = false;
                for (int r : WRITABLE_WHILE_BOOTING) {
                    allowed |= reg == r;
                }
                if (!allowed) {
                    tracer.warnOnce(name + ".booting@" + reg, name, String.format(
                            "write to offset 0x%04x while the firmware is booting (STATUS.FWRDY = 0): ignored", reg));
                    return true;
                }
            }
            return regs.write(offset, size, value);
        }
    }

    private final PciFunction function = new PciFunction() {
        @Override
        public int configSize() {
            return endpoint.configSize();
        }

        @Override
        public long configRead(int offset, int size) {
            return endpoint.configRead(offset, size);
        }

        @Override
        public void configWrite(int offset, int size, long value) {
            endpoint.configWrite(offset, size, value);
        }

        @Override
        public MmioDevice barDevice(int index) {
            return endpoint.barDevice(index);
        }

        @Override
        public ConfigSpace.Bar bar(int index) {
            return endpoint.bar(index);
        }

        @Override
        public long barBase(int index) {
            return endpoint.barBase(index);
        }

        @Override
        public void reset() {
            endpoint.reset();
            WifiBaseband.this.reset("PCI reset");
        }

        @Override
        public void plugged(PciSlot slot) {
            endpoint.plugged(slot);
        }
    };
}
