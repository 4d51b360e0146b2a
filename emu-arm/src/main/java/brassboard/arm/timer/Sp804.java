package brassboard.arm.timer;

import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.FaultSite;
import brassboard.bus.api.IrqLine;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.api.regs.Access;
import brassboard.bus.api.regs.Register;
import brassboard.bus.api.regs.RegisterBank;

/**
 * The ARM Dual-Timer Module (SP804), after its TRM (ARM DDI 0271) with QEMU's {@code sp804}
 * (hw/timer/arm_timer.c) for the identification values and the default 1 MHz clock.
 *
 * <h2>Counting</h2>
 * Each of the two timers is a down-counter clocked at {@code clockHz} divided by the prescaler
 * (TimerXControl.TimerPre: /1, /16, /256; the reserved 0b11 counts /1 as in QEMU). Its value is
 * computed from virtual time; the only scheduled event is the next time it reaches zero (TRM §2.2):
 * <ul>
 *   <li>free-running (TimerMode 0): after zero the counter wraps to 0xFFFFFFFF (0xFFFF in 16-bit
 *       mode) and goes on, so it reaches zero every 2^32 (2^16) ticks;</li>
 *   <li>periodic (TimerMode 1): after zero it reloads TimerXLoad and goes on: a period of Load + 1 ticks;</li>
 *   <li>one-shot (OneShot 1, whatever TimerMode says): it stops at zero until Load is written.</li>
 * </ul>
 * Reaching zero sets the raw interrupt (TimerXRIS); TIMINTx = RIS &amp;&amp; IntEnable, TIMINTC =
 * TIMINT1 || TIMINT2; writing TimerXIntClr clears RIS. Writing TimerXLoad loads the counter at once;
 * writing TimerXBGLoad changes only the reload value (both read back the reload value). Control writes
 * keep the current count. A zero reached inside a CPU quantum, before its event has run, is accounted
 * for at the next register access, so software never sees the counter past zero without RIS.
 *
 * <p>Where this differs from QEMU's model, it follows the TRM: QEMU ignores TimerXLoad in
 * free-running mode and reloads the counter on every Control write while enabled, and its periodic
 * period is Load ticks rather than Load + 1. TimerXValue resets to 0xFFFFFFFF (TRM §3.2.2) although
 * the reset mode is 16-bit: in 16-bit mode only the low half counts and the high half holds what was
 * loaded (the TRM does not say what the high half reads; this choice keeps its reset value). The
 * integration test registers (TimerITCR, TimerITOP) are stored but not modelled.
 *
 * <h2>Extension points</h2>
 * Conversions between virtual time and ticks are in {@code Counter.ticks} and {@code Counter.nsAfter};
 * every zero crossing goes through {@code Counter.expire()}.
 *
 * <h2>Fault points</h2>
 * Built with a {@link FaultPoints} registry, the timers declare {@code timer.<name>.timer1} and
 * {@code .timer2} with the actions skip and delay, offered each zero crossing as an {@code expiry}
 * occurrence: a skipped zero sets no raw interrupt, a delayed one sets it that much later; the counter
 * itself (its value, reloads and the next zero) is not affected. (No drift here yet.)
 */
public final class Sp804 {

    // ---- Register map, TRM §3.1 Table 3-1: per timer at 0x00 (Timer1) and 0x20 (Timer2) ----
    public static final int TIMER1_BASE = 0x00;
    public static final int TIMER2_BASE = 0x20;
    public static final int LOAD = 0x00;
    public static final int VALUE = 0x04;
    public static final int CONTROL = 0x08;
    public static final int INTCLR = 0x0C;
    public static final int RIS = 0x10;
    public static final int MIS = 0x14;
    public static final int BGLOAD = 0x18;
    public static final int TIMER_ITCR = 0xF00;
    public static final int TIMER_ITOP = 0xF04;
    public static final int PERIPH_ID0 = 0xFE0;
    public static final int PCELL_ID0 = 0xFF0;
    /** Size of the register window. */
    public static final int MMIO_SIZE = 0x1000;

    // ---- TimerXControl, TRM §3.2.3 ----
    public static final int CTRL_ONESHOT = 1;
    public static final int CTRL_SIZE_32 = 1 << 1;
    public static final int CTRL_PRESCALE_SHIFT = 2;
    public static final int CTRL_PRESCALE_16 = 1 << CTRL_PRESCALE_SHIFT;
    public static final int CTRL_PRESCALE_256 = 2 << CTRL_PRESCALE_SHIFT;
    private static final int PRESCALE_RESERVED = 3;
    public static final int CTRL_INT_ENABLE = 1 << 5;
    public static final int CTRL_PERIODIC = 1 << 6;
    public static final int CTRL_ENABLE = 1 << 7;
    /** TimerXControl reset value: interrupt enabled, free-running, 16-bit, /1, disabled. */
    public static final int CONTROL_RESET = CTRL_INT_ENABLE;

    /** TimerPeriphID0-3 (part 0x804, designer ARM 0x41, revision 1) and TimerPCellID0-3, as QEMU's {@code sp804_ids}. */
    private static final int[] PERIPH_ID = {0x04, 0x18, 0x14, 0x00};
    private static final int[] PCELL_ID = {0x0D, 0xF0, 0x05, 0xB1};

    private static final long NS_PER_SECOND = 1_000_000_000L;
    private static final long MASK_32 = 0xFFFF_FFFFL;
    private static final long MASK_16 = 0xFFFFL;
    /** TimerXValue after reset, TRM §3.2.2. */
    private static final long VALUE_RESET = MASK_32;

    private final String name;
    private final Scheduler scheduler;
    private final Tracer tracer;
    private final long clockHz;
    private final RegisterBank regs;
    private final Counter[] counters = new Counter[2];
    private final IrqLine combined;

    /**
     * An SP804 named {@code name} (trace source; its combined line TIMINTC carries the same name)
     * whose timers are clocked at {@code clockHz} (1 Hz .. 1 GHz; QEMU's default is 1 MHz).
     */
    public Sp804(String name, Scheduler scheduler, Tracer tracer, long clockHz) {
        this(name, scheduler, tracer, clockHz, null);
    }

    /** As {@link #Sp804(String, Scheduler, Tracer, long)}, declaring its {@code timer.<name>.timerN} fault points in {@code faults} (when not null). */
    public Sp804(String name, Scheduler scheduler, Tracer tracer, long clockHz, FaultPoints faults) {
        if (clockHz < 1 || clockHz > NS_PER_SECOND) {
            throw new IllegalArgumentException(name + ": the timer clock must be 1 Hz to 1 GHz, not " + clockHz + " Hz");
        }
        this.name = name;
        this.scheduler = scheduler;
        this.tracer = tracer;
        this.clockHz = clockHz;
        this.regs = new RegisterBank(name, tracer);
        this.combined = new IrqLine(name, tracer);
        counters[0] = new Counter(1, TIMER1_BASE);
        counters[1] = new Counter(2, TIMER2_BASE);
        if (faults != null) {
            for (Counter c : counters) {
                c.point = faults.declare("timer." + c.timerName, "zero crossings of " + c.timerName, "skip", "delay");
            }
        }

        // §3.2.8-3.2.9 integration test registers: stored, not modelled (QEMU: RAZ/WI).
        regs.define("TimerITCR", TIMER_ITCR).unimplemented("ITEN", 0, 1);
        regs.define("TimerITOP", TIMER_ITOP)
                .field("TIMINT1", 0, 1, Access.WO)
                .field("TIMINT2", 1, 1, Access.WO)
                .onWrite((old, now, written) -> tracer.warnOnce(name + ".TimerITOP", name,
                        "TimerITOP written: the integration test outputs are not modelled"));
        // §3.2.10-3.2.11 identification.
        for (int i = 0; i < PERIPH_ID.length; i++) {
            regs.define("TimerPeriphID" + i, PERIPH_ID0 + 4 * i).field("PeriphID" + i, 0, 8, Access.RO, PERIPH_ID[i]);
            regs.define("TimerPCellID" + i, PCELL_ID0 + 4 * i).field("PCellID" + i, 0, 8, Access.RO, PCELL_ID[i]);
        }
        reset();
    }

    /** The 4 KiB register window ({@link #MMIO_SIZE}). */
    public MmioDevice mmio() {
        return regs;
    }

    /** The registers, for inspection; accesses through it have their bus side effects. */
    public RegisterBank registers() {
        return regs;
    }

    /** TIMINT1 or TIMINT2 ({@code timer} = 1 or 2), named {@code <name>.timint1} / {@code .timint2}. */
    public IrqLine irq(int timer) {
        return counter(timer).irq;
    }

    /** TIMINTC, the OR of both timers' interrupts (what QEMU's {@code sp804} exposes as its one IRQ). */
    public IrqLine combinedIrq() {
        return combined;
    }

    /** TimerXValue of {@code timer} (1 or 2) now, without access side effects. */
    public int value(int timer) {
        return (int) counter(timer).value();
    }

    /** Reset (PRESETn): registers to their reset values, counters at 0xFFFFFFFF and stopped, interrupts clear. */
    public void reset() {
        regs.reset();
        for (Counter c : counters) {
            c.reset();
        }
        updateCombined();
    }

    private Counter counter(int timer) {
        if (timer != 1 && timer != 2) {
            throw new IllegalArgumentException(name + " has timers 1 and 2, not " + timer);
        }
        return counters[timer - 1];
    }

    private void updateCombined() {
        combined.set(counters[0].irq.level() || counters[1].irq.level());
    }

    /** One of the two timers. */
    private final class Counter {
        private final String timerName;
        private final IrqLine irq;
        private final Register control;
        /** The reload value (TimerXLoad / TimerXBGLoad, 32 bits as written). */
        private long reload;
        /** The control value the counter runs with (the register's, kept here across a write). */
        private int ctrl;
        /**
         * The counter's value at {@link #anchorNs} (32 bits as loaded; a 16-bit timer uses the low half);
         * while enabled it counts down from there.
         */
        private long anchorValue;
        private long anchorNs;
        /** Ticks after the anchor at which the counter next reaches zero, or -1 if it does not. */
        private long nextZero;
        private boolean ris;
        private Scheduler.Event expiry;
        private FaultPoint point;
        private final FaultSite site = new FaultSite();

        Counter(int number, int base) {
            String p = "Timer" + number;
            this.timerName = name + ".timer" + number;
            this.irq = new IrqLine(name + ".timint" + number, tracer);
            // §3.2.1 TimerXLoad.
            regs.define(p + "Load", base + LOAD).field("Load", 0, 32, Access.RW)
                    .onRead(() -> (int) reload)
                    .onWrite((old, now, written) -> writeLoad(now, true));
            // §3.2.2 TimerXValue.
            regs.define(p + "Value", base + VALUE).field("Value", 0, 32, Access.RO)
                    .onRead(() -> (int) value());
            // §3.2.3 TimerXControl.
            control = regs.define(p + "Control", base + CONTROL)
                    .field("OneShot", 0, 1, Access.RW)
                    .field("TimerSize", 1, 1, Access.RW)
                    .field("TimerPre", CTRL_PRESCALE_SHIFT, 2, Access.RW)
                    .field("IntEnable", 5, 1, Access.RW, 1)
                    .field("TimerMode", 6, 1, Access.RW)
                    .field("TimerEn", 7, 1, Access.RW)
                    .onWrite((old, now, written) -> writeControl(now));
            // §3.2.4 TimerXIntClr.
            regs.define(p + "IntClr", base + INTCLR).field("IntClr", 0, 32, Access.WO)
                    .onWrite((old, now, written) -> clearInterrupt());
            // §3.2.5-3.2.6 raw and masked interrupt status.
            regs.define(p + "RIS", base + RIS).field("RawTimerInt", 0, 1, Access.RO)
                    .onRead(() -> {
                        catchUp();
                        return ris ? 1 : 0;
                    });
            regs.define(p + "MIS", base + MIS).field("TimerInt", 0, 1, Access.RO)
                    .onRead(() -> {
                        catchUp();
                        return ris && (ctrl & CTRL_INT_ENABLE) != 0 ? 1 : 0;
                    });
            // §3.2.7 TimerXBGLoad.
            regs.define(p + "BGLoad", base + BGLOAD).field("BGLoad", 0, 32, Access.RW)
                    .onRead(() -> (int) reload)
                    .onWrite((old, now, written) -> writeLoad(now, false));
        }

        void reset() {
            scheduler.cancel(expiry);
            expiry = null;
            ctrl = control.value();
            reload = 0;
            anchorValue = VALUE_RESET;
            anchorNs = scheduler.now();
            nextZero = -1;
            ris = false;
            irq.set(false);
        }

        // ---- mode, from a control value ----

        private boolean enabled() {
            return (ctrl & CTRL_ENABLE) != 0;
        }

        private long mask() {
            return (ctrl & CTRL_SIZE_32) != 0 ? MASK_32 : MASK_16;
        }

        private int divisor() {
            int pre = (ctrl >>> CTRL_PRESCALE_SHIFT) & 3;
            if (pre == PRESCALE_RESERVED) {
                tracer.warnOnce(timerName + ".TimerPre", name, "TimerPre = 0b11 is reserved (TRM 3.2.3); counting with divisor 1 as QEMU");
            }
            return pre == 1 ? 16 : pre == 2 ? 256 : 1;
        }

        // ---- time: integer math, exact for any clock up to 1 GHz ----

        /** Whole ticks of the prescaled clock in {@code dtNs}: floor(dt * hz / (1e9 * div)). */
        private long ticks(long dtNs) {
            long q = dtNs / NS_PER_SECOND;
            long r = dtNs % NS_PER_SECOND;
            return (q * clockHz + r * clockHz / NS_PER_SECOND) / divisor();
        }

        /** The nanoseconds after the anchor at which tick {@code k} happens: ceil(k * div * 1e9 / hz). */
        private long nsAfter(long k) {
            long cycles = k * divisor();
            long a = cycles / clockHz;
            long b = cycles % clockHz;
            return a * NS_PER_SECOND + (b * NS_PER_SECOND + clockHz - 1) / clockHz;
        }

        // ---- the counter ----

        /** The value {@code k} ticks after the anchor. */
        private long valueAfter(long k) {
            long v = anchorValue & mask();
            if (k <= v) {
                return v - k;
            }
            if ((ctrl & CTRL_ONESHOT) != 0) {
                return 0;
            }
            if ((ctrl & CTRL_PERIODIC) != 0) {
                long r = reload & mask();
                return r - (k - v - 1) % (r + 1);
            }
            return (v - k) & mask();
        }

        /** The first tick after the anchor at which the counter reaches zero, or -1. */
        private long firstZero() {
            if (!enabled()) {
                return -1;
            }
            long v = anchorValue & mask();
            return v > 0 ? v : following(0);
        }

        /** The zero after the one at tick {@code k}, or -1 (one-shot). */
        private long following(long k) {
            if ((ctrl & CTRL_ONESHOT) != 0) {
                return -1;
            }
            return k + ((ctrl & CTRL_PERIODIC) != 0 ? (reload & mask()) + 1 : mask() + 1);
        }

        /** TimerXValue; in 16-bit mode the upper half holds what was loaded (0xFFFF after reset). */
        long value() {
            long low = enabled() ? valueAfter(ticks(scheduler.now() - anchorNs)) : anchorValue & mask();
            return (anchorValue & ~mask() & MASK_32) | low;
        }

        /**
         * Moves the anchor to now (to the last tick, keeping the tick phase, when {@code keepPhase}),
         * with the value the counter has there under the current control value.
         */
        private void rebase(boolean keepPhase) {
            long now = scheduler.now();
            if (enabled()) {
                long k = ticks(now - anchorNs);
                anchorValue = (anchorValue & ~mask() & MASK_32) | valueAfter(k);
                anchorNs = keepPhase ? anchorNs + nsAfter(k) : now;
            } else {
                anchorNs = now;
            }
        }

        /** Runs the zero crossings that are due but whose event has not run yet (a CPU quantum overshoots). */
        private void catchUp() {
            long now = scheduler.now();
            while (nextZero >= 0 && anchorNs + nsAfter(nextZero) <= now) {
                scheduler.cancel(expiry);
                expiry = null;
                expire();
            }
        }

        /** The counter reached zero: raw interrupt set, next zero found. */
        private void expire() {
            if (point != null && point.armed()) {
                point.fire(site.access(-1, 0, -1, false, 0).kind("expiry"));
                if (site.dropped || site.delayNs > 0) {
                    nextZero = following(nextZero);
                    arm();
                    if (!site.dropped) {
                        scheduler.schedule(site.delayNs, timerName + ".delayed", () -> {
                            ris = true;
                            updateIrq();
                        });
                    }
                    return;
                }
            }
            ris = true;
            if (tracer.enabled()) {
                tracer.emit(name, "timer.fire", timerName);
            }
            nextZero = following(nextZero);
            arm();
            updateIrq();
        }

        /** Schedules the event for {@link #nextZero} (keeping the pending one if it is already there). */
        private void arm() {
            long at = nextZero < 0 ? -1 : anchorNs + nsAfter(nextZero);
            if (expiry != null && expiry.time() == at) {
                return;
            }
            scheduler.cancel(expiry);
            expiry = null;
            if (at >= scheduler.now()) {
                expiry = scheduler.scheduleAt(at, timerName + ".zero", () -> {
                    expiry = null;
                    catchUp();
                });
            }
        }

        private void updateIrq() {
            irq.set(ris && (ctrl & CTRL_INT_ENABLE) != 0);
            updateCombined();
        }

        // ---- register writes ----

        /** TimerXLoad ({@code loadCounter}) loads the counter at once; TimerXBGLoad only the reload value. */
        private void writeLoad(int value, boolean loadCounter) {
            catchUp();
            rebase(!loadCounter);
            reload = value & MASK_32;
            if (loadCounter) {
                anchorValue = reload;
            }
            nextZero = firstZero();
            arm();
        }

        private void writeControl(int newCtrl) {
            catchUp();
            int oldCtrl = ctrl;
            boolean sameClock = enabled() && (newCtrl & CTRL_ENABLE) != 0
                    && ((oldCtrl ^ newCtrl) >>> CTRL_PRESCALE_SHIFT & 3) == 0;
            rebase(sameClock);
            ctrl = newCtrl;
            nextZero = firstZero();
            arm();
            updateIrq();
        }

        private void clearInterrupt() {
            catchUp();
            ris = false;
            updateIrq();
        }
    }
}
