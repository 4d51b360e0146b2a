package brassboard.devices.rtc;

import brassboard.bus.api.IrqLine;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.api.regs.Access;
import brassboard.bus.api.regs.Register;
import brassboard.bus.api.regs.RegisterBank;
import brassboard.devices.primecell.PrimeCellId;

/**
 * The ARM PrimeCell real-time clock (PL031), after the TRM (ARM DDI 0224) with QEMU's
 * {@code pl031} model as the behavioural oracle.
 *
 * <p>The counter is a 32-bit count of seconds driven by the machine's virtual clock: it reads
 * {@code epochSeconds} at virtual time 0 and goes up by one at every whole virtual second (the
 * 1 Hz clock runs free; loading the counter does not restart it). Nothing reads the host clock.
 * As in QEMU the RTC is always running, so RTCCR reads 1 and ignores writes.
 *
 * <p>The match interrupt (RTCINTR, {@link #irq()}) rises at the virtual second at which the
 * counter reaches RTCMR, scheduled on the {@link Scheduler}; it is armed by the first RTCMR write
 * and re-armed by every RTCMR or RTCLR write (QEMU arms it from power-on with RTCMR = 0, which
 * would leave an event 136 years ahead in an otherwise idle machine).
 */
public final class Pl031 {

    // ---- Register offsets, TRM §3.2 ----
    public static final int RTCDR = 0x000;
    public static final int RTCMR = 0x004;
    public static final int RTCLR = 0x008;
    public static final int RTCCR = 0x00C;
    public static final int RTCIMSC = 0x010;
    public static final int RTCRIS = 0x014;
    public static final int RTCMIS = 0x018;
    public static final int RTCICR = 0x01C;
    /** Size of the register window. */
    public static final int MMIO_SIZE = 0x1000;

    /** RTCCR.RTCStart (§3.3.4), and the one interrupt bit of RTCIMSC/RIS/MIS/ICR (§3.3.5-3.3.8). */
    public static final int CR_START = 1 << 0;
    public static final int INT_RTC = 1 << 0;
    private static final int COUNTER_BITS = 32;

    // ---- Identification, TRM §3.3.9-3.3.10; QEMU's values 0x31, 0x10, 0x14, 0x00 ----
    public static final int PART_NUMBER = 0x031;
    public static final int REVISION = 1;
    public static final int CONFIGURATION = 0x00;

    private static final long NS_PER_SECOND = 1_000_000_000L;
    private static final long COUNTER_MODULUS = 1L << COUNTER_BITS;
    private static final long COUNTER_MASK = COUNTER_MODULUS - 1;

    private final String name;
    private final Scheduler scheduler;
    private final Tracer tracer;
    private final IrqLine irq;
    private final RegisterBank regs;
    private final Register mr;
    private final Register imsc;
    /** Counter value minus whole virtual seconds since power-on, modulo 2^32. */
    private long tickOffset;
    private int ris;
    private boolean matchArmed;
    private Scheduler.Event matchEvent;

    /** A PL031 named {@code name} ({@code rtc}) whose counter reads {@code epochSeconds} at virtual time 0. */
    public Pl031(String name, Scheduler scheduler, Tracer tracer, long epochSeconds) {
        this.name = name;
        this.scheduler = scheduler;
        this.tracer = tracer;
        this.irq = new IrqLine(name, tracer);
        this.regs = new RegisterBank(name, tracer);
        this.tickOffset = (epochSeconds - seconds()) & COUNTER_MASK;

        // §3.3.1 RTCDR: the counter.
        regs.define("RTCDR", RTCDR).field("RTCDR", 0, COUNTER_BITS, Access.RO).onRead(this::counter);
        // §3.3.2 RTCMR: match value.
        mr = regs.define("RTCMR", RTCMR).field("RTCMR", 0, COUNTER_BITS, Access.RW)
                .onWrite((old, now, written) -> {
                    matchArmed = true;
                    armMatch();
                });
        // §3.3.3 RTCLR: writing loads the counter; reads give the last value loaded.
        regs.define("RTCLR", RTCLR).field("RTCLR", 0, COUNTER_BITS, Access.RW)
                .onWrite((old, now, written) -> load(now));
        // §3.3.4 RTCCR: always started, as in QEMU.
        regs.define("RTCCR", RTCCR).field("RTCStart", Integer.numberOfTrailingZeros(CR_START), 1, Access.RO, 1);
        // §3.3.5-3.3.8 interrupt mask, raw and masked status, clear.
        imsc = regs.define("RTCIMSC", RTCIMSC).field("RTCIMSC", 0, 1, Access.RW)
                .onWrite((old, now, written) -> updateIrq());
        regs.define("RTCRIS", RTCRIS).field("RTCRIS", 0, 1, Access.RO).onRead(() -> ris);
        regs.define("RTCMIS", RTCMIS).field("RTCMIS", 0, 1, Access.RO).onRead(() -> ris & imsc.value());
        regs.define("RTCICR", RTCICR).field("RTCICR", 0, 1, Access.WO)
                .onWrite((old, now, written) -> {
                    ris &= ~(written & INT_RTC);
                    updateIrq();
                });

        PrimeCellId.declare(regs, "RTC", PART_NUMBER, PrimeCellId.DESIGNER_ARM, REVISION, CONFIGURATION);
    }

    /** The 4 KiB register window ({@link #MMIO_SIZE}). */
    public MmioDevice mmio() {
        return regs;
    }

    /** The registers, for inspection; accesses through it have their bus side effects. */
    public RegisterBank registers() {
        return regs;
    }

    /** RTCINTR: high while the match interrupt is pending and enabled; named after the device. */
    public IrqLine irq() {
        return irq;
    }

    /** The counter's current value (RTCDR, unsigned 32-bit, in an int). */
    public int counter() {
        return (int) (tickOffset + seconds());
    }

    /**
     * Reset of the bus interface (PRESETn): RTCMR, RTCLR, RTCIMSC and the interrupt cleared, the
     * match disarmed. The counter keeps counting: it lives in the RTC's own domain (nRTCRST).
     */
    public void reset() {
        regs.reset();
        ris = 0;
        matchArmed = false;
        scheduler.cancel(matchEvent);
        matchEvent = null;
        updateIrq();
    }

    private void load(int value) {
        tickOffset = ((value & COUNTER_MASK) - seconds()) & COUNTER_MASK;
        if (tracer.enabled()) {
            tracer.emit(name, "rtc.load", Integer.toUnsignedString(value));
        }
        armMatch();
    }

    /** Schedules the match at the virtual second the counter reaches RTCMR (now, if it already reads it). */
    private void armMatch() {
        scheduler.cancel(matchEvent);
        matchEvent = null;
        if (!matchArmed) {
            return;
        }
        long ticks = (mr.value() - (long) counter()) & COUNTER_MASK;
        if (ticks == 0) {
            match();
            return;
        }
        if (ticks > Long.MAX_VALUE / NS_PER_SECOND - seconds()) {
            return; // beyond the end of virtual time
        }
        long at = (seconds() + ticks) * NS_PER_SECOND;
        matchEvent = scheduler.scheduleAt(at, name + ".match", () -> {
            matchEvent = null;
            match();
        });
    }

    private void match() {
        ris |= INT_RTC;
        if (tracer.enabled()) {
            tracer.emit(name, "rtc.match", Integer.toUnsignedString(mr.value()));
        }
        updateIrq();
    }

    private void updateIrq() {
        irq.set((ris & imsc.value()) != 0);
    }

    /** Whole virtual seconds since power-on. */
    private long seconds() {
        return scheduler.now() / NS_PER_SECOND;
    }
}
