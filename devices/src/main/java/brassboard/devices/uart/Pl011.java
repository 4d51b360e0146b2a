package brassboard.devices.uart;

import brassboard.bus.api.IrqLine;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.api.regs.Access;
import brassboard.bus.api.regs.Register;
import brassboard.bus.api.regs.RegisterBank;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.LineSettings;
import brassboard.devices.primecell.PrimeCellId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The ARM PrimeCell UART (PL011), after the TRM (ARM DDI 0183) with QEMU's {@code pl011} model as
 * the behavioural oracle where the two part ways.
 *
 * <p><b>Transmit</b> is instantaneous: a write to UARTDR goes straight to the backend, so the
 * transmit FIFO is always empty (UARTFR.TXFE set, BUSY clear) and, as in QEMU, every write raises
 * TXRIS (the FIFO passed through its trigger level on its way back to empty); only UARTICR clears
 * it. Writing while UARTEN or TXE is clear still transmits, as QEMU does, with a warning once.
 *
 * <p><b>Receive</b> is pulled: while the receiver is enabled (UARTEN and RXE) and the receive FIFO
 * has room, an event one character time (10 bit periods at the programmed baud rate) apart takes
 * the backend's next byte. Input is never lost and arrives at the same virtual times every run;
 * a full FIFO simply holds the sender off until the guest reads. {@link #receive(int)} models a
 * character arriving regardless (fault injection, tests): that one can overrun.
 *
 * <p>Interrupts: RXRIS at the UARTIFLS trigger level (TRM §2.8.2; QEMU instead raises it for any
 * non-empty FIFO), RTRIS after 32 bit periods without new data while the FIFO is not empty
 * (TRM §2.8.4; QEMU does not model it), FE/PE/BE/OE error interrupts (§2.8.5), TXRIS as above.
 * {@link #irq()} is UARTINTR, the OR of the masked status (§2.8.6). Modem-status inputs (CTS, DSR,
 * DCD, RI) are not connected and read 0, as in QEMU.
 *
 * <p>Not modelled: DMA (UARTDMACR, warned once), IrDA (SIREN, SIRLP, UARTILPR), loopback (LBE),
 * hardware flow control (RTSEn, CTSEn), sending breaks (LCR_H.BRK): declared unimplemented, they
 * warn once when set. The frame format (WLEN, PEN, EPS, STP2, SPS) changes nothing here, since
 * bytes travel whole and a character always takes 10 bit periods; with the latched baud rate it is
 * handed to the backend ({@link CharBackend#lineSettings}) at each UARTLCR_H write that changes
 * them, so a host serial port can run the line the guest asked for.
 */
public final class Pl011 {

    // ---- Register offsets, TRM §3.2 Table 3-1 ----
    public static final int UARTDR = 0x000;
    public static final int UARTRSR = 0x004;
    public static final int UARTFR = 0x018;
    public static final int UARTILPR = 0x020;
    public static final int UARTIBRD = 0x024;
    public static final int UARTFBRD = 0x028;
    public static final int UARTLCR_H = 0x02C;
    public static final int UARTCR = 0x030;
    public static final int UARTIFLS = 0x034;
    public static final int UARTIMSC = 0x038;
    public static final int UARTRIS = 0x03C;
    public static final int UARTMIS = 0x040;
    public static final int UARTICR = 0x044;
    public static final int UARTDMACR = 0x048;
    /** Size of the register window. */
    public static final int MMIO_SIZE = 0x1000;

    // ---- UARTDR, TRM §3.3.1 ----
    public static final int DR_DATA_MASK = 0xFF;
    public static final int DR_FE = 1 << 8;
    public static final int DR_PE = 1 << 9;
    public static final int DR_BE = 1 << 10;
    public static final int DR_OE = 1 << 11;
    private static final int DR_DATA_BITS = 8;
    private static final int DR_ERROR_SHIFT = 8;

    // ---- UARTRSR/UARTECR, TRM §3.3.2 ----
    public static final int RSR_FE = 1 << 0;
    public static final int RSR_PE = 1 << 1;
    public static final int RSR_BE = 1 << 2;
    public static final int RSR_OE = 1 << 3;

    // ---- UARTFR, TRM §3.3.3 ----
    public static final int FR_CTS = 1 << 0;
    public static final int FR_DSR = 1 << 1;
    public static final int FR_DCD = 1 << 2;
    public static final int FR_BUSY = 1 << 3;
    public static final int FR_RXFE = 1 << 4;
    public static final int FR_TXFF = 1 << 5;
    public static final int FR_RXFF = 1 << 6;
    public static final int FR_TXFE = 1 << 7;
    public static final int FR_RI = 1 << 8;

    // ---- UARTILPR §3.3.4, UARTIBRD §3.3.5, UARTFBRD §3.3.6 ----
    private static final int ILPDVSR_BITS = 8;
    private static final int BAUD_DIVINT_BITS = 16;
    private static final int BAUD_DIVFRAC_BITS = 6;

    // ---- UARTLCR_H, TRM §3.3.7 ----
    public static final int LCRH_BRK = 1 << 0;
    public static final int LCRH_PEN = 1 << 1;
    public static final int LCRH_EPS = 1 << 2;
    public static final int LCRH_STP2 = 1 << 3;
    public static final int LCRH_FEN = 1 << 4;
    public static final int LCRH_WLEN_SHIFT = 5;
    private static final int LCRH_WLEN_BITS = 2;
    public static final int LCRH_SPS = 1 << 7;

    // ---- UARTCR, TRM §3.3.8 ----
    public static final int CR_UARTEN = 1 << 0;
    public static final int CR_SIREN = 1 << 1;
    public static final int CR_SIRLP = 1 << 2;
    public static final int CR_LBE = 1 << 7;
    public static final int CR_TXE = 1 << 8;
    public static final int CR_RXE = 1 << 9;
    public static final int CR_DTR = 1 << 10;
    public static final int CR_RTS = 1 << 11;
    public static final int CR_OUT1 = 1 << 12;
    public static final int CR_OUT2 = 1 << 13;
    public static final int CR_RTSEN = 1 << 14;
    public static final int CR_CTSEN = 1 << 15;

    // ---- UARTIFLS, TRM §3.3.9: level selects, b000 = 1/8 … b100 = 7/8 ----
    public static final int IFLS_TXIFLSEL_SHIFT = 0;
    public static final int IFLS_RXIFLSEL_SHIFT = 3;
    private static final int IFLSEL_BITS = 3;
    /** Reset value: both trigger levels at 1/2. */
    public static final int IFLS_RESET = 0x12;
    /** Trigger level per IFLSEL value, in eighths of the FIFO. */
    private static final int[] IFLSEL_EIGHTHS = {1, 2, 4, 6, 7};
    private static final int EIGHTHS = 8;

    // ---- Interrupt bits of UARTIMSC/RIS/MIS/ICR, TRM §3.3.10-3.3.13 ----
    public static final int INT_RI = 1 << 0;
    public static final int INT_CTS = 1 << 1;
    public static final int INT_DCD = 1 << 2;
    public static final int INT_DSR = 1 << 3;
    public static final int INT_RX = 1 << 4;
    public static final int INT_TX = 1 << 5;
    public static final int INT_RT = 1 << 6;
    public static final int INT_FE = 1 << 7;
    public static final int INT_PE = 1 << 8;
    public static final int INT_BE = 1 << 9;
    public static final int INT_OE = 1 << 10;
    /** One interrupt source: its bit and its field names in UARTIMSC, UARTRIS, UARTMIS and UARTICR. */
    private record InterruptBit(int mask, String imsc, String ris, String mis, String icr) { }
    private static final List<InterruptBit> INTERRUPT_BITS = List.of(
            new InterruptBit(INT_RI, "RIMIM", "RIRMIS", "RIMMIS", "RIMIC"),
            new InterruptBit(INT_CTS, "CTSMIM", "CTSRMIS", "CTSMMIS", "CTSMIC"),
            new InterruptBit(INT_DCD, "DCDMIM", "DCDRMIS", "DCDMMIS", "DCDMIC"),
            new InterruptBit(INT_DSR, "DSRMIM", "DSRRMIS", "DSRMMIS", "DSRMIC"),
            new InterruptBit(INT_RX, "RXIM", "RXRIS", "RXMIS", "RXIC"),
            new InterruptBit(INT_TX, "TXIM", "TXRIS", "TXMIS", "TXIC"),
            new InterruptBit(INT_RT, "RTIM", "RTRIS", "RTMIS", "RTIC"),
            new InterruptBit(INT_FE, "FEIM", "FERIS", "FEMIS", "FEIC"),
            new InterruptBit(INT_PE, "PEIM", "PERIS", "PEMIS", "PEIC"),
            new InterruptBit(INT_BE, "BEIM", "BERIS", "BEMIS", "BEIC"),
            new InterruptBit(INT_OE, "OEIM", "OERIS", "OEMIS", "OEIC"));
    private static final int INT_ALL = (INT_OE << 1) - 1;

    // ---- UARTDMACR, TRM §3.3.14 ----
    public static final int DMACR_RXDMAE = 1 << 0;
    public static final int DMACR_TXDMAE = 1 << 1;
    public static final int DMACR_DMAONERR = 1 << 2;

    // ---- Identification, TRM §3.3.15-3.3.16; the values of QEMU's "arm,pl011" (0x11, 0x10, 0x14, 0x00) ----
    public static final int PART_NUMBER = 0x011;
    public static final int REVISION = 1;
    public static final int CONFIGURATION = 0x00;

    // ---- Timing ----
    /** UARTCLK of QEMU's virt board (its "apb-pclk" fixed clock, 24 MHz). */
    public static final long DEFAULT_UARTCLK_HZ = 24_000_000L;
    /** Baud rate assumed while the divisor is 0 (not programmed yet; TRM §3.3.6 calls 0 invalid). */
    public static final long DEFAULT_BAUD = 115_200L;
    /**
     * Receive FIFO depth. The TRM gives 16 entries up to r1p4 and 32 from r1p5; the PeriphID
     * revision we report (QEMU's) is an earlier one, and QEMU's FIFO is 16 deep.
     */
    public static final int FIFO_DEPTH = 16;
    /** A character on the wire: start bit, 8 data bits, stop bit. */
    public static final int BITS_PER_CHARACTER = 10;
    /** Receive timeout: no new data for 32 bit periods (TRM §2.8.4). */
    public static final int RECEIVE_TIMEOUT_BITS = 32;
    /** BAUDDIV = UARTCLK / (16 × baud), kept by the hardware in 1/64ths (TRM §2.4.3, §3.3.6). */
    private static final long OVERSAMPLING = 16;
    private static final long DIVISOR_FRACTION = 64;
    private static final long NS_PER_SECOND = 1_000_000_000L;
    private static final int NEWLINE = '\n';
    private static final int CARRIAGE_RETURN = '\r';
    private static final int PRINTABLE_FIRST = ' ';
    private static final int PRINTABLE_LAST = '~';
    private static final int BACKSLASH = '\\';
    private static final int TRACE_LINE_LIMIT = 200;

    /** A removable hook; closing it removes it. */
    @FunctionalInterface
    public interface Hook extends AutoCloseable {
        @Override
        void close();
    }

    private final String name;
    private final Scheduler scheduler;
    /** Empty pulls in a row (a live source waits longer after each; see {@link #armRxPull}). */
    private int idlePulls;
    private final Tracer tracer;
    private final CharBackend backend;
    private final long uartclkHz;
    private final IrqLine irq;
    private final RegisterBank regs;
    private final Register dr;
    private final Register ibrd;
    private final Register fbrd;
    private final Register lcrh;
    private final Register cr;
    private final Register ifls;
    private final Register imsc;
    private final List<IntConsumer> txListeners = new ArrayList<>();
    private final StringBuilder txLine = new StringBuilder();

    // Receive FIFO: entries are DR values (data and error bits).
    private final int[] rxFifo = new int[FIFO_DEPTH];
    private int rxHead;
    private int rxCount;
    private int rsr;
    private int ris;
    /** 64 × IBRD + FBRD as last latched by a UARTLCR_H write (TRM §3.3.7); 0 = not programmed. */
    private long latchedDivisor;
    private Scheduler.Event rxPullEvent;
    private Scheduler.Event rxTimeoutEvent;
    /** What the backend was last told by {@link CharBackend#lineSettings}; null: nothing yet. */
    private LineSettings lineSettings;

    /** A PL011 named {@code name} ({@code uart0}) with QEMU virt's 24 MHz UARTCLK. */
    public Pl011(String name, Scheduler scheduler, Tracer tracer, CharBackend backend) {
        this(name, scheduler, tracer, backend, DEFAULT_UARTCLK_HZ);
    }

    /** A PL011 clocked by a UARTCLK of {@code uartclkHz}. */
    public Pl011(String name, Scheduler scheduler, Tracer tracer, CharBackend backend, long uartclkHz) {
        if (uartclkHz <= 0) {
            throw new IllegalArgumentException(name + ": UARTCLK must be positive, got " + uartclkHz + " Hz");
        }
        this.name = name;
        this.scheduler = scheduler;
        this.tracer = tracer;
        this.backend = backend;
        this.uartclkHz = uartclkHz;
        this.irq = new IrqLine(name, tracer);
        this.regs = new RegisterBank(name, tracer);
        backend.onInput(() -> scheduler.postFromHost(this::inputArrived));

        // §3.3.1 UARTDR: reads pop the receive FIFO, writes transmit.
        dr = regs.define("UARTDR", UARTDR)
                .field("DATA", 0, DR_DATA_BITS, Access.RW)
                .onRead(this::rxHeadValue)
                .afterRead(this::popRx)
                .onWrite((old, now, written) -> transmit(written & DR_DATA_MASK));
        flag(dr, "FE", DR_FE, Access.RO);
        flag(dr, "PE", DR_PE, Access.RO);
        flag(dr, "BE", DR_BE, Access.RO);
        flag(dr, "OE", DR_OE, Access.RO);

        // §3.3.2 UARTRSR (read) / UARTECR (write: any value clears the errors).
        Register rsrReg = regs.define("UARTRSR", UARTRSR).onRead(() -> rsr).onWrite((old, now, written) -> rsr = 0);
        flag(rsrReg, "FE", RSR_FE, Access.RO);
        flag(rsrReg, "PE", RSR_PE, Access.RO);
        flag(rsrReg, "BE", RSR_BE, Access.RO);
        flag(rsrReg, "OE", RSR_OE, Access.RO);

        // §3.3.3 UARTFR, computed.
        Register fr = regs.define("UARTFR", UARTFR).onRead(this::flags);
        flag(fr, "CTS", FR_CTS, Access.RO);
        flag(fr, "DSR", FR_DSR, Access.RO);
        flag(fr, "DCD", FR_DCD, Access.RO);
        flag(fr, "BUSY", FR_BUSY, Access.RO);
        flag(fr, "RXFE", FR_RXFE, Access.RO);
        flag(fr, "TXFF", FR_TXFF, Access.RO);
        flag(fr, "RXFF", FR_RXFF, Access.RO);
        flag(fr, "TXFE", FR_TXFE, Access.RO);
        flag(fr, "RI", FR_RI, Access.RO);

        // §3.3.4 UARTILPR: IrDA low-power divisor.
        regs.define("UARTILPR", UARTILPR).unimplemented("ILPDVSR", 0, ILPDVSR_BITS);

        // §3.3.5-3.3.6 baud rate divisor; takes effect at the next UARTLCR_H write (§3.3.7).
        ibrd = regs.define("UARTIBRD", UARTIBRD).field("BAUD_DIVINT", 0, BAUD_DIVINT_BITS, Access.RW);
        fbrd = regs.define("UARTFBRD", UARTFBRD).field("BAUD_DIVFRAC", 0, BAUD_DIVFRAC_BITS, Access.RW);

        // §3.3.7 UARTLCR_H.
        lcrh = regs.define("UARTLCR_H", UARTLCR_H).onWrite(this::lineControlWritten);
        unimplementedFlag(lcrh, "BRK", LCRH_BRK);
        flag(lcrh, "PEN", LCRH_PEN, Access.RW);
        flag(lcrh, "EPS", LCRH_EPS, Access.RW);
        flag(lcrh, "STP2", LCRH_STP2, Access.RW);
        flag(lcrh, "FEN", LCRH_FEN, Access.RW);
        lcrh.field("WLEN", LCRH_WLEN_SHIFT, LCRH_WLEN_BITS, Access.RW);
        flag(lcrh, "SPS", LCRH_SPS, Access.RW);

        // §3.3.8 UARTCR, reset 0x0300 (TXE | RXE). DTR/RTS/Out1/Out2 drive modem outputs nothing listens to.
        cr = regs.define("UARTCR", UARTCR).onWrite((old, now, written) -> controlWritten(old, now));
        flag(cr, "UARTEN", CR_UARTEN, Access.RW);
        unimplementedFlag(cr, "SIREN", CR_SIREN);
        unimplementedFlag(cr, "SIRLP", CR_SIRLP);
        unimplementedFlag(cr, "LBE", CR_LBE);
        cr.field("TXE", Integer.numberOfTrailingZeros(CR_TXE), 1, Access.RW, 1);
        cr.field("RXE", Integer.numberOfTrailingZeros(CR_RXE), 1, Access.RW, 1);
        flag(cr, "DTR", CR_DTR, Access.RW);
        flag(cr, "RTS", CR_RTS, Access.RW);
        flag(cr, "Out1", CR_OUT1, Access.RW);
        flag(cr, "Out2", CR_OUT2, Access.RW);
        unimplementedFlag(cr, "RTSEn", CR_RTSEN);
        unimplementedFlag(cr, "CTSEn", CR_CTSEN);

        // §3.3.9 UARTIFLS, reset 0x12. TXIFLSEL is stored; the TX interrupt follows QEMU's rule.
        ifls = regs.define("UARTIFLS", UARTIFLS)
                .field("TXIFLSEL", IFLS_TXIFLSEL_SHIFT, IFLSEL_BITS, Access.RW, (IFLS_RESET >>> IFLS_TXIFLSEL_SHIFT) & ((1 << IFLSEL_BITS) - 1))
                .field("RXIFLSEL", IFLS_RXIFLSEL_SHIFT, IFLSEL_BITS, Access.RW, (IFLS_RESET >>> IFLS_RXIFLSEL_SHIFT) & ((1 << IFLSEL_BITS) - 1))
                .onWrite((old, now, written) -> rxLevelChanged());

        // §3.3.10-3.3.13 interrupt mask, raw and masked status, clear.
        imsc = regs.define("UARTIMSC", UARTIMSC).onWrite((old, now, written) -> updateIrq());
        Register risReg = regs.define("UARTRIS", UARTRIS).onRead(() -> ris);
        Register misReg = regs.define("UARTMIS", UARTMIS).onRead(() -> ris & imsc.value());
        Register icr = regs.define("UARTICR", UARTICR).onWrite((old, now, written) -> clearInterrupts(written));
        for (InterruptBit bit : INTERRUPT_BITS) {
            flag(imsc, bit.imsc(), bit.mask(), Access.RW);
            flag(risReg, bit.ris(), bit.mask(), Access.RO);
            flag(misReg, bit.mis(), bit.mask(), Access.RO);
            flag(icr, bit.icr(), bit.mask(), Access.WO);
        }

        // §3.3.14 UARTDMACR: no DMA.
        Register dmacr = regs.define("UARTDMACR", UARTDMACR);
        unimplementedFlag(dmacr, "RXDMAE", DMACR_RXDMAE);
        unimplementedFlag(dmacr, "TXDMAE", DMACR_TXDMAE);
        unimplementedFlag(dmacr, "DMAONERR", DMACR_DMAONERR);

        PrimeCellId.declare(regs, "UART", PART_NUMBER, PrimeCellId.DESIGNER_ARM, REVISION, CONFIGURATION);
    }

    /** The 4 KiB register window ({@link #MMIO_SIZE}). */
    public MmioDevice mmio() {
        return regs;
    }

    /** The registers, for inspection (debuggers, tests); accesses through it have their bus side effects. */
    public RegisterBank registers() {
        return regs;
    }

    /** UARTINTR: high while any enabled interrupt is pending; named after the device. */
    public IrqLine irq() {
        return irq;
    }

    /** The device's name. */
    public String name() {
        return name;
    }

    /**
     * Calls {@code listener} with every byte the guest transmits (after the backend got it), e.g. to
     * watch the console for {@code --until REGEX}. Close the returned hook to remove it.
     */
    public Hook addTxListener(IntConsumer listener) {
        txListeners.add(listener);
        return () -> txListeners.remove(listener);
    }

    /** Power-on reset: registers to their reset values, FIFO emptied, pending events cancelled. */
    public void reset() {
        regs.reset();
        idlePulls = 0;
        rxHead = 0;
        rxCount = 0;
        rsr = 0;
        ris = 0;
        latchedDivisor = 0;
        lineSettings = null;
        txLine.setLength(0);
        scheduler.cancel(rxPullEvent);
        rxPullEvent = null;
        scheduler.cancel(rxTimeoutEvent);
        rxTimeoutEvent = null;
        updateIrq();
    }

    /**
     * A character arrives on UARTRXD now: bits 7:0 the data, plus {@link #DR_FE}, {@link #DR_PE} or
     * {@link #DR_BE} for one received with a framing or parity error or as a break. With the FIFO
     * full it is lost and the FIFO overruns (TRM §3.3.2: the FIFO contents stay valid). Ignored
     * when the receiver is disabled. Backend input does not come this way but is paced so that
     * it never overruns; this is for fault injection and tests.
     */
    public void receive(int value) {
        if (!receiverEnabled()) {
            if (tracer.enabled()) {
                tracer.emit(name, "uart.rx.dropped", String.format("0x%03x: receiver disabled", value));
            }
            return;
        }
        pushRx(value & (DR_DATA_MASK | DR_FE | DR_PE | DR_BE));
    }

    /** Characters waiting in the receive FIFO. */
    public int rxFifoLevel() {
        return rxCount;
    }

    /** The duration of one bit at the current (latched) baud rate, in ns. */
    public long bitTimeNs() {
        return periodNs(1);
    }

    /** The duration of one character (10 bits) at the current baud rate, in ns. */
    public long characterTimeNs() {
        return periodNs(BITS_PER_CHARACTER);
    }

    // ---------------------------------------------------------------- transmit

    private void transmit(int data) {
        int control = cr.value();
        if ((control & CR_UARTEN) == 0) {
            tracer.warnOnce(name + ".tx.uarten", name,
                    "data written to UARTDR while UARTCR.UARTEN is clear; transmitted anyway, as QEMU does");
        }
        if ((control & CR_TXE) == 0) {
            tracer.warnOnce(name + ".tx.txe", name,
                    "data written to UARTDR while UARTCR.TXE is clear; transmitted anyway, as QEMU does");
        }
        backend.transmit(data);
        for (int i = 0; i < txListeners.size(); i++) {
            txListeners.get(i).accept(data);
        }
        traceTx(data);
        // The FIFO drained at once, passing its trigger level: QEMU raises TXRIS on every write.
        ris |= INT_TX;
        updateIrq();
    }

    /** Traces transmitted output a line at a time ({@code uart.tx}), so traces stay readable. */
    private void traceTx(int data) {
        if (!tracer.enabled()) {
            return;
        }
        if (data == NEWLINE || txLine.length() >= TRACE_LINE_LIMIT) {
            tracer.emit(name, "uart.tx", txLine.toString());
            txLine.setLength(0);
            if (data == NEWLINE) {
                return;
            }
        }
        if (data == CARRIAGE_RETURN) {
            return;
        }
        if (data >= PRINTABLE_FIRST && data <= PRINTABLE_LAST && data != BACKSLASH) {
            txLine.append((char) data);
        } else {
            txLine.append(String.format("\\x%02x", data));
        }
    }

    // ---------------------------------------------------------------- receive

    private boolean receiverEnabled() {
        int control = cr.value();
        return (control & CR_UARTEN) != 0 && (control & CR_RXE) != 0;
    }

    private boolean fifoEnabled() {
        return (lcrh.value() & LCRH_FEN) != 0;
    }

    /** FEN = 0 makes the FIFO a one-character holding register (§3.3.7). */
    private int fifoDepth() {
        return fifoEnabled() ? FIFO_DEPTH : 1;
    }

    /** Characters in the FIFO at which RXRIS rises (§3.3.9; one when the FIFO is disabled, §2.8.2). */
    private int rxTriggerLevel() {
        if (!fifoEnabled()) {
            return 1;
        }
        int select = ifls.f("RXIFLSEL").get();
        if (select >= IFLSEL_EIGHTHS.length) {
            tracer.warnOnce(name + ".ifls.reserved", name,
                    "UARTIFLS.RXIFLSEL = " + select + " is reserved; using the 7/8 trigger level");
            select = IFLSEL_EIGHTHS.length - 1;
        }
        return FIFO_DEPTH * IFLSEL_EIGHTHS[select] / EIGHTHS;
    }

    private void pushRx(int value) {
        int depth = fifoDepth();
        if (rxCount >= depth) {
            overrun();
            return;
        }
        rxFifo[(rxHead + rxCount) % FIFO_DEPTH] = value;
        rxCount++;
        if (tracer.enabled()) {
            tracer.emit(name, "uart.rx", String.format("0x%03x level %d", value, rxCount));
        }
        ris |= errorInterrupts(value);
        if (rxCount >= rxTriggerLevel()) {
            ris |= INT_RX;
        }
        restartRxTimeout();
        updateIrq();
    }

    /**
     * A character arrived with the FIFO full: it is lost, RSR.OE and OERIS are set (§3.3.2), and
     * the newest character in the FIFO carries OE, marking where the stream broke (§3.3.1).
     */
    private void overrun() {
        rsr |= RSR_OE;
        ris |= INT_OE;
        rxFifo[(rxHead + rxCount - 1) % FIFO_DEPTH] |= DR_OE;
        if (tracer.enabled()) {
            tracer.emit(name, "uart.overrun", "receive FIFO full (" + rxCount + "), character lost");
        }
        updateIrq();
    }

    private static int errorInterrupts(int value) {
        int bits = 0;
        if ((value & DR_FE) != 0) {
            bits |= INT_FE;
        }
        if ((value & DR_PE) != 0) {
            bits |= INT_PE;
        }
        if ((value & DR_BE) != 0) {
            bits |= INT_BE;
        }
        return bits;
    }

    private int rxHeadValue() {
        return rxCount > 0 ? rxFifo[rxHead] : 0;
    }

    /** After a UARTDR read: pop, latch the character's errors into UARTRSR, re-evaluate RX/RT. */
    private void popRx() {
        if (rxCount == 0) {
            return;
        }
        int value = rxFifo[rxHead];
        rxHead = (rxHead + 1) % FIFO_DEPTH;
        rxCount--;
        rsr = (rsr & RSR_OE) | ((value >>> DR_ERROR_SHIFT) & (RSR_FE | RSR_PE | RSR_BE | RSR_OE));
        if (rxCount < rxTriggerLevel()) {
            ris &= ~INT_RX; // §2.8.2: cleared once the FIFO drops below the trigger level
        }
        if (rxCount == 0) {
            ris &= ~INT_RT; // §2.8.4: cleared when the FIFO becomes empty
            scheduler.cancel(rxTimeoutEvent);
            rxTimeoutEvent = null;
        }
        updateIrq();
        armRxPull();
    }

    private void restartRxTimeout() {
        scheduler.cancel(rxTimeoutEvent);
        rxTimeoutEvent = scheduler.schedule(periodNs(RECEIVE_TIMEOUT_BITS), name + ".rx-timeout", this::rxTimeout);
    }

    private void rxTimeout() {
        rxTimeoutEvent = null;
        if (rxCount > 0) {
            ris |= INT_RT;
            updateIrq();
        }
    }

    /**
     * Schedules the next backend pull one character time from now, if one may happen. A live source
     * (a terminal, a pipe) that had nothing for a while is pulled less often: the wait doubles with
     * each empty pull up to {@link #LIVE_IDLE_PULL_NS}, and the first byte that comes restores the
     * character pace. Typing then reaches the guest at most a millisecond of virtual time late, and a
     * guest that busy-waits for a key between timer polls (U-Boot's autoboot countdown) is not
     * interrupted 11,500 times a second, which would keep its waits from being fast-forwarded.
     * Sources fixed in advance (scripts, files) are pulled every character time, as ever.
     */
    private void armRxPull() {
        if (rxPullEvent != null || !receiverEnabled() || rxCount >= fifoDepth() || backend.inputExhausted()) {
            return;
        }
        long wait = characterTimeNs();
        if (idlePulls > 0 && backend.inputLive()) {
            wait = Math.max(wait, Math.min(LIVE_IDLE_PULL_NS, wait << Math.min(idlePulls, 20)));
        }
        rxPullEvent = scheduler.schedule(wait, name + ".rx", this::pullRx);
    }

    /**
     * The live source has a byte (the host's input thread posted this, {@link CharBackend#onInput}):
     * a pull waiting out the idle pace comes one character time from now instead. Typing reached a
     * guest that busy-waits for it up to {@link #LIVE_IDLE_PULL_NS} of virtual time late, which at a
     * polling loop's pace was 30–50 ms of the host's: each command typed at U-Boot's prompt.
     */
    private void inputArrived() {
        if (rxPullEvent != null && idlePulls > 0) {
            scheduler.cancel(rxPullEvent);
            rxPullEvent = null;
            idlePulls = 0;
            armRxPull();
        }
    }

    /** The longest wait between pulls of a live source that has had nothing to give. */
    static final long LIVE_IDLE_PULL_NS = 1_000_000;

    private void pullRx() {
        rxPullEvent = null;
        if (!receiverEnabled() || rxCount >= fifoDepth()) {
            return; // re-armed when the receiver is enabled or the guest makes room
        }
        int b = backend.poll();
        if (b >= 0) {
            idlePulls = 0;
            pushRx(b & DR_DATA_MASK);
        } else {
            idlePulls++;
        }
        armRxPull();
    }

    // ---------------------------------------------------------------- control

    private int flags() {
        int f = FR_TXFE; // transmit is instantaneous: never BUSY, never full
        if (rxCount == 0) {
            f |= FR_RXFE;
        }
        if (rxCount >= fifoDepth()) {
            f |= FR_RXFF;
        }
        return f;
    }

    private void lineControlWritten(int old, int now, int written) {
        // §3.3.7: IBRD, FBRD and LCR_H are one internal register, updated by the LCR_H write.
        latchedDivisor = (long) ibrd.value() * DIVISOR_FRACTION + fbrd.value();
        LineSettings line = lineSettings(now);
        if (!line.equals(lineSettings)) {
            lineSettings = line;
            backend.lineSettings(line);
        }
        if (((old ^ now) & LCRH_FEN) != 0) {
            // As QEMU: enabling or disabling the FIFOs empties them.
            rxHead = 0;
            rxCount = 0;
            ris &= ~INT_RT;
            scheduler.cancel(rxTimeoutEvent);
            rxTimeoutEvent = null;
        }
        rxLevelChanged();
        armRxPull();
    }

    /**
     * The line as programmed: baud rate = UARTCLK / (16 × BAUDDIV) from the latched divisor (§2.4.3),
     * WLEN 5 to 8 data bits, PEN/EPS/SPS parity (Table 3-12: stick parity sends 1 when EPS is clear,
     * 0 when set), STP2 two stop bits.
     */
    private LineSettings lineSettings(int lineControl) {
        long baud = ibrdLatchedIsZero() ? 0
                : (uartclkHz * (DIVISOR_FRACTION / OVERSAMPLING) + latchedDivisor / 2) / latchedDivisor;
        int dataBits = 5 + ((lineControl >>> LCRH_WLEN_SHIFT) & ((1 << LCRH_WLEN_BITS) - 1));
        boolean even = (lineControl & LCRH_EPS) != 0;
        LineSettings.Parity parity = (lineControl & LCRH_PEN) == 0 ? LineSettings.Parity.NONE
                : (lineControl & LCRH_SPS) != 0 ? (even ? LineSettings.Parity.SPACE : LineSettings.Parity.MARK)
                : even ? LineSettings.Parity.EVEN : LineSettings.Parity.ODD;
        return new LineSettings(baud, dataBits, parity, (lineControl & LCRH_STP2) != 0 ? 2 : 1);
    }

    private void controlWritten(int old, int now) {
        if (((old ^ now) & (CR_UARTEN | CR_RXE)) != 0) {
            if (receiverEnabled()) {
                armRxPull();
            } else {
                scheduler.cancel(rxPullEvent);
                rxPullEvent = null;
            }
        }
    }

    /** The trigger level or FIFO mode changed: RXRIS follows the FIFO level against the new one. */
    private void rxLevelChanged() {
        if (rxCount >= rxTriggerLevel() && rxCount > 0) {
            ris |= INT_RX;
        } else {
            ris &= ~INT_RX;
        }
        updateIrq();
    }

    private void clearInterrupts(int written) {
        ris &= ~(written & INT_ALL);
        updateIrq();
    }

    private void updateIrq() {
        irq.set((ris & imsc.value()) != 0);
    }

    /** Duration of {@code bits} bit periods: 16 × BAUDDIV / UARTCLK each (§2.4.3), rounded to the ns. */
    private long periodNs(int bits) {
        if (ibrdLatchedIsZero()) {
            return (bits * NS_PER_SECOND + DEFAULT_BAUD / 2) / DEFAULT_BAUD;
        }
        // bit = 16 × (divisor / 64) / UARTCLK = divisor / (4 × UARTCLK)
        long denominator = uartclkHz * (DIVISOR_FRACTION / OVERSAMPLING);
        return (bits * latchedDivisor * NS_PER_SECOND + denominator / 2) / denominator;
    }

    private boolean ibrdLatchedIsZero() {
        return latchedDivisor < DIVISOR_FRACTION;
    }

    private static void flag(Register r, String field, int mask, Access access) {
        r.field(field, Integer.numberOfTrailingZeros(mask), 1, access);
    }

    private static void unimplementedFlag(Register r, String field, int mask) {
        r.unimplemented(field, Integer.numberOfTrailingZeros(mask), 1);
    }
}
