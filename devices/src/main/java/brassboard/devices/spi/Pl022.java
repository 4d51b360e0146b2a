package brassboard.devices.spi;

import brassboard.bus.api.IrqLine;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.api.regs.Access;
import brassboard.bus.api.regs.Register;
import brassboard.bus.api.regs.RegisterBank;
import brassboard.bus.spi.SpiBus;
import brassboard.bus.spi.SpiMode;
import brassboard.devices.primecell.PrimeCellId;
import java.util.List;

/**
 * ARM's PrimeCell synchronous serial port (PL022, TRM ARM DDI 0194) as an SPI master on an
 * {@link SpiBus}.
 *
 * <p><b>Transfers take virtual time.</b> While SSPCR1.SSE is set in master mode, the port shifts
 * the transmit FIFO's words out one frame after another: a frame of DSS+1 bits takes DSS+1 periods
 * of SSPCLKOUT, whose rate is SSPCLK / (CPSDVSR × (1 + SCR)) (TRM §2.4.3, §3.3.1, §3.3.5). Each
 * frame is one event on the scheduler; at its end the word is exchanged with the selected slave
 * and the slave's reply enters the receive FIFO. SSPSR.BSY is set while a frame is on the wire or
 * the transmit FIFO holds data (§3.3.4).
 *
 * <p><b>FIFOs</b> are 8 entries of up to 16 bits each way (§2.4.1-2.4.2). Writing SSPDR with the
 * transmit FIFO full loses the word (a warning, once); a frame that arrives with the receive FIFO
 * full is lost and raises the overrun interrupt (§2.6.5, "SSPRORINTR").
 *
 * <p><b>Interrupts</b> (§2.6, §3.3.6-3.3.9): TXRIS while the transmit FIFO is half empty or less
 * (four entries or fewer; not qualified by SSE, as the TRM says), RXRIS while the receive FIFO is
 * half full or more, RTRIS when the receive FIFO is not empty and no frame has arrived for 32 bit
 * periods (cleared by RTIC or by emptying the FIFO), RORRIS on overrun (cleared by RORIC).
 * {@link #irq()} is SSPINTR, the OR of the masked bits; {@link #txIrq()}, {@link #rxIrq()},
 * {@link #rtIrq()} and {@link #rorIrq()} are the individual masked outputs.
 *
 * <p><b>DMA</b> (§2.7, §3.3.10): with SSPDMACR.TXDMAE set, {@link #txDmaSingle()} is high while the
 * transmit FIFO has at least one free entry and {@link #txDmaBurst()} while it holds four or fewer;
 * with RXDMAE, {@link #rxDmaSingle()} while the receive FIFO holds a word and {@link #rxDmaBurst()}
 * while it holds four or more. They are lines for a DMA controller to watch; {@code virt} has none.
 *
 * <p><b>Chip select.</b> The PL022 has one frame signal, SSPFSSOUT, which here drives chip select 0
 * of its bus (other chip selects need GPIOs, which Linux's {@code spi-pl022} drives through
 * {@code cs-gpios}). The TRM's SSPFSSOUT pulses between frames when SPH is 0 and is released
 * whenever the transmit FIFO runs dry (§2.4.4.5-2.4.4.8), so on real hardware a multi-word flash
 * command needs a GPIO chip select. Brassboard's SSPFSSOUT instead frames a whole enable period: it
 * asserts with the first frame after SSE is set and is released when SSE is cleared. That is exactly
 * where a driver holds a GPIO chip select: Linux's driver sets SSE at the start of a message and
 * clears it at the end (its {@code giveback}), so its messages reach the slave whole.
 *
 * <p><b>Loopback</b> (SSPCR1.LBM): the transmit shifter feeds the receive shifter; the bus and the
 * slaves see nothing. <b>Not modelled</b> (warned once when set): slave mode (SSPCR1.MS), the TI
 * synchronous serial and National Microwire frame formats (SSPCR0.FRF; their frames are timed and
 * exchanged as Motorola SPI frames), SSPCR1.SOD (a slave-mode output disable), and the test
 * registers. DSS values 0-2 are reserved (§3.3.1); they are treated as 4-bit frames with a warning.
 */
public final class Pl022 {

    // ---- Register offsets, TRM §3.2 Table 3-1 ----
    public static final int SSPCR0 = 0x000;
    public static final int SSPCR1 = 0x004;
    public static final int SSPDR = 0x008;
    public static final int SSPSR = 0x00C;
    public static final int SSPCPSR = 0x010;
    public static final int SSPIMSC = 0x014;
    public static final int SSPRIS = 0x018;
    public static final int SSPMIS = 0x01C;
    public static final int SSPICR = 0x020;
    public static final int SSPDMACR = 0x024;
    /** Size of the register window. */
    public static final int MMIO_SIZE = 0x1000;

    // ---- SSPCR0, §3.3.1 ----
    private static final int CR0_DSS_SHIFT = 0;
    private static final int CR0_DSS_BITS = 4;
    private static final int CR0_FRF_SHIFT = 4;
    private static final int CR0_FRF_BITS = 2;
    public static final int CR0_SPO = 1 << 6;
    public static final int CR0_SPH = 1 << 7;
    public static final int CR0_SCR_SHIFT = 8;
    private static final int CR0_SCR_BITS = 8;
    /** FRF: Motorola SPI frame format. */
    public static final int FRF_MOTOROLA = 0;
    private static final List<String> FRF_NAMES = List.of("Motorola SPI", "TI synchronous serial", "National Microwire", "reserved");
    /** Smallest DSS value that is not reserved (4-bit frames). */
    private static final int DSS_MIN = 3;

    // ---- SSPCR1, §3.3.2 ----
    public static final int CR1_LBM = 1 << 0;
    public static final int CR1_SSE = 1 << 1;
    public static final int CR1_MS = 1 << 2;
    public static final int CR1_SOD = 1 << 3;

    // ---- SSPSR, §3.3.4 ----
    public static final int SR_TFE = 1 << 0;
    public static final int SR_TNF = 1 << 1;
    public static final int SR_RNE = 1 << 2;
    public static final int SR_RFF = 1 << 3;
    public static final int SR_BSY = 1 << 4;

    // ---- SSPCPSR, §3.3.5: an even divisor 2-254; bit 0 reads as zero ----
    private static final int CPSDVSR_BITS = 8;
    private static final int CPSDVSR_MIN = 2;

    // ---- Interrupt bits of SSPIMSC/RIS/MIS/ICR, §3.3.6-3.3.9 ----
    public static final int INT_ROR = 1 << 0;
    public static final int INT_RT = 1 << 1;
    public static final int INT_RX = 1 << 2;
    public static final int INT_TX = 1 << 3;
    /** One interrupt source: its bit and its field names in SSPIMSC, SSPRIS, SSPMIS and SSPICR (null: not clearable there). */
    private record InterruptBit(int mask, String imsc, String ris, String mis, String icr) { }
    private static final List<InterruptBit> INTERRUPT_BITS = List.of(
            new InterruptBit(INT_ROR, "RORIM", "RORRIS", "RORMIS", "RORIC"),
            new InterruptBit(INT_RT, "RTIM", "RTRIS", "RTMIS", "RTIC"),
            new InterruptBit(INT_RX, "RXIM", "RXRIS", "RXMIS", null),
            new InterruptBit(INT_TX, "TXIM", "TXRIS", "TXMIS", null));
    /** The interrupts SSPICR clears: RORIC and RTIC; TX and RX follow the FIFO levels. */
    private static final int INT_CLEARABLE = INT_ROR | INT_RT;

    // ---- SSPDMACR, §3.3.10 ----
    public static final int DMACR_RXDMAE = 1 << 0;
    public static final int DMACR_TXDMAE = 1 << 1;

    // ---- Identification, §3.3.11-3.3.18: PeriphID 0x00041022, PCellID 0xB105F00D ----
    public static final int PART_NUMBER = 0x022;
    public static final int REVISION = 0;
    public static final int CONFIGURATION = 0x00;

    // ---- FIFOs and timing ----
    /** Depth of each FIFO (§2.4.1, §2.4.2). */
    public static final int FIFO_DEPTH = 8;
    /** The FIFO level the TX and RX interrupts and the DMA burst requests are about: half (§2.6.1-2.6.2). */
    private static final int HALF = FIFO_DEPTH / 2;
    /** Receive timeout: 32 periods of SSPCLKOUT without a frame (§2.6.3). */
    public static final int RECEIVE_TIMEOUT_BITS = 32;
    /** SSPCLK of the virt board's PrimeCells (its 24 MHz apb-pclk). */
    public static final long DEFAULT_SSPCLK_HZ = 24_000_000L;
    private static final long NS_PER_SECOND = 1_000_000_000L;
    private static final int DATA_BITS = 16;

    private final String name;
    private final Scheduler scheduler;
    private final Tracer tracer;
    private final SpiBus bus;
    private final long sspclkHz;
    private final RegisterBank regs;
    private final Register cr0;
    private final Register cr1;
    private final Register cpsr;
    private final Register imsc;
    private final Register dmacr;
    private final IrqLine irq;
    private final IrqLine txIrq;
    private final IrqLine rxIrq;
    private final IrqLine rtIrq;
    private final IrqLine rorIrq;
    private final IrqLine txDmaSingle;
    private final IrqLine txDmaBurst;
    private final IrqLine rxDmaSingle;
    private final IrqLine rxDmaBurst;

    private final int[] txFifo = new int[FIFO_DEPTH];
    private int txHead;
    private int txCount;
    private final int[] rxFifo = new int[FIFO_DEPTH];
    private int rxHead;
    private int rxCount;
    /** Raw interrupt bits that latch (ROR, RT); TX and RX are computed from the FIFO levels. */
    private int latched;
    /** A frame is on the wire (its completion event pending). */
    private boolean shifting;
    private int shiftingWord;
    private int shiftingBits;
    private Scheduler.Event frameEvent;
    private Scheduler.Event timeoutEvent;
    /** SSPFSSOUT asserted (chip select 0 of the bus). */
    private boolean fssAsserted;
    private final Runnable frameDone = this::frameDone;
    private final Runnable rxTimeout = this::rxTimeout;
    private long frames;

    /** A PL022 named {@code name} ({@code spi0}) driving {@code bus}, clocked by virt's 24 MHz SSPCLK. */
    public Pl022(String name, Scheduler scheduler, Tracer tracer, SpiBus bus) {
        this(name, scheduler, tracer, bus, DEFAULT_SSPCLK_HZ);
    }

    /** A PL022 clocked by an SSPCLK of {@code sspclkHz}. */
    public Pl022(String name, Scheduler scheduler, Tracer tracer, SpiBus bus, long sspclkHz) {
        if (sspclkHz <= 0) {
            throw new IllegalArgumentException(name + ": SSPCLK must be positive, got " + sspclkHz + " Hz");
        }
        this.name = name;
        this.scheduler = scheduler;
        this.tracer = tracer;
        this.bus = bus;
        this.sspclkHz = sspclkHz;
        this.irq = new IrqLine(name, tracer);
        this.txIrq = new IrqLine(name + ".tx", tracer);
        this.rxIrq = new IrqLine(name + ".rx", tracer);
        this.rtIrq = new IrqLine(name + ".rt", tracer);
        this.rorIrq = new IrqLine(name + ".ror", tracer);
        this.txDmaSingle = new IrqLine(name + ".txdmasreq", tracer);
        this.txDmaBurst = new IrqLine(name + ".txdmabreq", tracer);
        this.rxDmaSingle = new IrqLine(name + ".rxdmasreq", tracer);
        this.rxDmaBurst = new IrqLine(name + ".rxdmabreq", tracer);
        this.regs = new RegisterBank(name, tracer);

        // §3.3.1 SSPCR0.
        cr0 = regs.define("SSPCR0", SSPCR0)
                .field("DSS", CR0_DSS_SHIFT, CR0_DSS_BITS, Access.RW)
                .field("FRF", CR0_FRF_SHIFT, CR0_FRF_BITS, Access.RW)
                .field("SPO", Integer.numberOfTrailingZeros(CR0_SPO), 1, Access.RW)
                .field("SPH", Integer.numberOfTrailingZeros(CR0_SPH), 1, Access.RW)
                .field("SCR", CR0_SCR_SHIFT, CR0_SCR_BITS, Access.RW)
                .onWrite((old, now, written) -> formatWritten(now));
        // §3.3.2 SSPCR1.
        cr1 = regs.define("SSPCR1", SSPCR1)
                .field("LBM", 0, 1, Access.RW)
                .field("SSE", 1, 1, Access.RW)
                .field("MS", 2, 1, Access.RW)
                .unimplemented("SOD", 3, 1)
                .onWrite((old, now, written) -> controlWritten(old, now));
        // §3.3.3 SSPDR: reads pop the receive FIFO, writes push the transmit FIFO.
        regs.define("SSPDR", SSPDR)
                .field("DATA", 0, DATA_BITS, Access.RW)
                .onRead(() -> rxCount > 0 ? rxFifo[rxHead] : 0)
                .afterRead(this::popRx)
                .onWrite((old, now, written) -> pushTx(written));
        // §3.3.4 SSPSR, computed.
        regs.define("SSPSR", SSPSR)
                .field("TFE", 0, 1, Access.RO)
                .field("TNF", 1, 1, Access.RO)
                .field("RNE", 2, 1, Access.RO)
                .field("RFF", 3, 1, Access.RO)
                .field("BSY", 4, 1, Access.RO)
                .onRead(this::status);
        // §3.3.5 SSPCPSR: bit 0 always reads zero.
        cpsr = regs.define("SSPCPSR", SSPCPSR)
                .field("CPSDVSR", 1, CPSDVSR_BITS - 1, Access.RW);
        // §3.3.6-3.3.9 interrupt mask, raw and masked status, clear.
        imsc = regs.define("SSPIMSC", SSPIMSC).onWrite((old, now, written) -> update());
        Register ris = regs.define("SSPRIS", SSPRIS).onRead(this::rawInterrupts);
        Register mis = regs.define("SSPMIS", SSPMIS).onRead(() -> rawInterrupts() & imsc.value());
        Register icr = regs.define("SSPICR", SSPICR).onWrite((old, now, written) -> {
            latched &= ~(written & INT_CLEARABLE);
            update();
        });
        for (InterruptBit bit : INTERRUPT_BITS) {
            int lsb = Integer.numberOfTrailingZeros(bit.mask());
            imsc.field(bit.imsc(), lsb, 1, Access.RW);
            ris.field(bit.ris(), lsb, 1, Access.RO, bit.mask() == INT_TX ? 1 : 0);
            mis.field(bit.mis(), lsb, 1, Access.RO);
            if (bit.icr() != null) {
                icr.field(bit.icr(), lsb, 1, Access.WO);
            }
        }
        // §3.3.10 SSPDMACR.
        dmacr = regs.define("SSPDMACR", SSPDMACR)
                .field("RXDMAE", 0, 1, Access.RW)
                .field("TXDMAE", 1, 1, Access.RW)
                .onWrite((old, now, written) -> update());

        PrimeCellId.declare(regs, "SSP", PART_NUMBER, PrimeCellId.DESIGNER_ARM, REVISION, CONFIGURATION);
        update();
    }

    /** The 4 KiB register window ({@link #MMIO_SIZE}). */
    public MmioDevice mmio() {
        return regs;
    }

    /** The registers, for inspection; accesses through it have their bus side effects. */
    public RegisterBank registers() {
        return regs;
    }

    /** The device's name. */
    public String name() {
        return name;
    }

    /** The bus this port masters. */
    public SpiBus bus() {
        return bus;
    }

    /** SSPINTR: the OR of the masked interrupts; the line the board wires to its interrupt controller. */
    public IrqLine irq() {
        return irq;
    }

    /** SSPTXINTR (masked). */
    public IrqLine txIrq() {
        return txIrq;
    }

    /** SSPRXINTR (masked). */
    public IrqLine rxIrq() {
        return rxIrq;
    }

    /** SSPRTINTR (masked). */
    public IrqLine rtIrq() {
        return rtIrq;
    }

    /** SSPRORINTR (masked). */
    public IrqLine rorIrq() {
        return rorIrq;
    }

    /** SSPTXDMASREQ: transmit FIFO has room, with TXDMAE. */
    public IrqLine txDmaSingle() {
        return txDmaSingle;
    }

    /** SSPTXDMABREQ: transmit FIFO half empty or more, with TXDMAE. */
    public IrqLine txDmaBurst() {
        return txDmaBurst;
    }

    /** SSPRXDMASREQ: receive FIFO holds a word, with RXDMAE. */
    public IrqLine rxDmaSingle() {
        return rxDmaSingle;
    }

    /** SSPRXDMABREQ: receive FIFO half full or more, with RXDMAE. */
    public IrqLine rxDmaBurst() {
        return rxDmaBurst;
    }

    /** Frames shifted since power-on. */
    public long frames() {
        return frames;
    }

    /** Words waiting in the transmit FIFO. */
    public int txFifoLevel() {
        return txCount;
    }

    /** Words waiting in the receive FIFO. */
    public int rxFifoLevel() {
        return rxCount;
    }

    /** The SSPCLKOUT bit rate now: SSPCLK / (CPSDVSR × (1 + SCR)), in Hz (§2.4.3). */
    public long bitRateHz() {
        return sspclkHz / ((long) divisor() * (1 + scr()));
    }

    /** The time one frame of the current size takes on the wire, in ns. */
    public long frameNs() {
        return periodNs(frameBits());
    }

    /** Power-on reset: registers to reset values, FIFOs emptied, chip select released, events cancelled. */
    public void reset() {
        regs.reset();
        scheduler.cancel(frameEvent);
        frameEvent = null;
        scheduler.cancel(timeoutEvent);
        timeoutEvent = null;
        txHead = 0;
        txCount = 0;
        rxHead = 0;
        rxCount = 0;
        latched = 0;
        shifting = false;
        releaseFss();
        update();
    }

    // ---------------------------------------------------------------- registers

    private void formatWritten(int now) {
        int frf = (now >>> CR0_FRF_SHIFT) & ((1 << CR0_FRF_BITS) - 1);
        if (frf != FRF_MOTOROLA) {
            tracer.warnOnce(name + ".frf", name, "SSPCR0.FRF = " + frf + " selects the " + FRF_NAMES.get(frf)
                    + " frame format, which is not modelled; frames are shifted as Motorola SPI frames");
        }
        if (((now >>> CR0_DSS_SHIFT) & ((1 << CR0_DSS_BITS) - 1)) < DSS_MIN) {
            tracer.warnOnce(name + ".dss", name, "SSPCR0.DSS = " + (now & ((1 << CR0_DSS_BITS) - 1))
                    + " is reserved (TRM 3.3.1); using 4-bit frames");
        }
        bus.configure(SpiMode.of((now & CR0_SPO) != 0, (now & CR0_SPH) != 0), bitRateHz());
    }

    private void controlWritten(int old, int now) {
        if ((now & CR1_MS) != 0) {
            tracer.warnOnce(name + ".ms", name, "SSPCR1.MS = 1 (slave mode) is not modelled; the port stays idle");
        }
        if ((old & CR1_SSE) != 0 && (now & CR1_SSE) == 0) {
            releaseFss();
        }
        bus.configure(SpiMode.of((cr0.value() & CR0_SPO) != 0, (cr0.value() & CR0_SPH) != 0), bitRateHz());
        startFrame();
        update();
    }

    private int status() {
        int s = 0;
        if (txCount == 0) {
            s |= SR_TFE;
        }
        if (txCount < FIFO_DEPTH) {
            s |= SR_TNF;
        }
        if (rxCount > 0) {
            s |= SR_RNE;
        }
        if (rxCount == FIFO_DEPTH) {
            s |= SR_RFF;
        }
        if (shifting || (txCount > 0 && running())) {
            s |= SR_BSY;
        }
        return s;
    }

    private int rawInterrupts() {
        int r = latched;
        if (txCount <= HALF) {
            r |= INT_TX;
        }
        if (rxCount >= HALF) {
            r |= INT_RX;
        }
        return r;
    }

    // ---------------------------------------------------------------- FIFOs and frames

    private void pushTx(int written) {
        if (txCount == FIFO_DEPTH) {
            tracer.warnOnce(name + ".tx.full", name, "SSPDR written with the transmit FIFO full (SSPSR.TNF = 0); the word is lost");
            return;
        }
        int bits = frameBits();
        txFifo[(txHead + txCount) % FIFO_DEPTH] = written & ((1 << bits) - 1);
        txCount++;
        startFrame();
        update();
    }

    private void popRx() {
        if (rxCount == 0) {
            return;
        }
        rxHead = (rxHead + 1) % FIFO_DEPTH;
        rxCount--;
        if (rxCount == 0) {
            latched &= ~INT_RT;
            scheduler.cancel(timeoutEvent);
            timeoutEvent = null;
        }
        update();
    }

    /** Master mode, enabled. */
    private boolean running() {
        int c = cr1.value();
        return (c & CR1_SSE) != 0 && (c & CR1_MS) == 0;
    }

    /** Starts shifting the next word out, if the port is enabled, idle and has one. */
    private void startFrame() {
        if (shifting || txCount == 0 || !running()) {
            return;
        }
        shiftingWord = txFifo[txHead];
        txHead = (txHead + 1) % FIFO_DEPTH;
        txCount--;
        shiftingBits = frameBits();
        shifting = true;
        frameEvent = scheduler.schedule(periodNs(shiftingBits), name + ".frame", frameDone);
    }

    /** The last bit of a frame is clocked: exchange the word, queue the reply, start the next frame. */
    private void frameDone() {
        frameEvent = null;
        int reply;
        long late = 0;
        if ((cr1.value() & CR1_LBM) != 0) {
            reply = shiftingWord;
        } else {
            if (!fssAsserted) {
                fssAsserted = true;
                bus.select(0);
            }
            reply = bus.transfer(shiftingWord, shiftingBits);
            late = bus.lastDelayNs();
        }
        frames++;
        if (late > 0) {
            // A late response: the frame ends (and the reply arrives) that much later.
            int r = reply;
            frameEvent = scheduler.schedule(late, name + ".frame-late", () -> {
                frameEvent = null;
                finishFrame(r);
            });
            return;
        }
        finishFrame(reply);
    }

    private void finishFrame(int reply) {
        shifting = false;
        if (rxCount == FIFO_DEPTH) {
            latched |= INT_ROR; // §2.6.5: the FIFO keeps its contents, the new frame is lost
            if (tracer.enabled()) {
                tracer.emit(name, "spi.overrun", "receive FIFO full, frame lost");
            }
        } else {
            rxFifo[(rxHead + rxCount) % FIFO_DEPTH] = reply;
            rxCount++;
        }
        scheduler.cancel(timeoutEvent);
        timeoutEvent = scheduler.schedule(periodNs(RECEIVE_TIMEOUT_BITS), name + ".rx-timeout", rxTimeout);
        startFrame();
        update();
    }

    private void rxTimeout() {
        timeoutEvent = null;
        if (rxCount > 0) {
            latched |= INT_RT;
            update();
        }
    }

    private void releaseFss() {
        if (fssAsserted) {
            fssAsserted = false;
            bus.deselect();
        }
    }

    private void update() {
        int masked = rawInterrupts() & imsc.value();
        txIrq.set((masked & INT_TX) != 0);
        rxIrq.set((masked & INT_RX) != 0);
        rtIrq.set((masked & INT_RT) != 0);
        rorIrq.set((masked & INT_ROR) != 0);
        irq.set(masked != 0);
        int dma = dmacr.value();
        boolean tx = (dma & DMACR_TXDMAE) != 0;
        boolean rx = (dma & DMACR_RXDMAE) != 0;
        txDmaSingle.set(tx && txCount < FIFO_DEPTH);
        txDmaBurst.set(tx && txCount <= HALF);
        rxDmaSingle.set(rx && rxCount > 0);
        rxDmaBurst.set(rx && rxCount >= HALF);
    }

    // ---------------------------------------------------------------- timing

    private int frameBits() {
        return Math.max(DSS_MIN, (cr0.value() >>> CR0_DSS_SHIFT) & ((1 << CR0_DSS_BITS) - 1)) + 1;
    }

    private int scr() {
        return (cr0.value() >>> CR0_SCR_SHIFT) & ((1 << CR0_SCR_BITS) - 1);
    }

    /** CPSDVSR, or 2 while it is not programmed (0 is not a valid divisor, §3.3.5). */
    private int divisor() {
        int d = cpsr.value() & ((1 << CPSDVSR_BITS) - 2);
        if (d < CPSDVSR_MIN) {
            if (running()) {
                tracer.warnOnce(name + ".cpsdvsr", name, "SSPCPSR.CPSDVSR = " + d
                        + " is not a valid prescaler (an even number 2-254, TRM 3.3.5); using 2");
            }
            return CPSDVSR_MIN;
        }
        return d;
    }

    /** {@code bits} periods of SSPCLKOUT, in ns (rounded to nearest, at least 1). */
    private long periodNs(int bits) {
        long clocks = (long) bits * divisor() * (1 + scr());
        return Math.max(1, (clocks * NS_PER_SECOND + sspclkHz / 2) / sspclkHz);
    }
}
