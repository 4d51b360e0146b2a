package brassboard.arm.timer;

import brassboard.arm.core.Coprocessor;
import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.FaultSite;
import brassboard.bus.api.IrqLine;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;

/**
 * The Generic Timer of one core (ARM ARM ARMv7-A/R, chapter B8), as the CP15 c14 registers
 * (B4.1.21-B4.1.34) of a Cortex-A15 without the Security and Virtualization Extensions — the
 * configuration of QEMU's {@code virt} board, which is the behavioural oracle.
 *
 * <h2>Counter</h2>
 * The system counter runs at {@link #FREQUENCY_HZ} = 62.5 MHz from virtual time 0: one tick every
 * {@link #NS_PER_TICK} = 16 ns, so {@code CNTPCT = now / 16} exactly (QEMU: {@code gt_get_countervalue},
 * virtual ns divided by the 16 ns period). Time is {@link Scheduler#now()}, which includes the running
 * core's elapsed time within its quantum. CNTVOFF is 0 (no Hyp mode), so CNTVCT = CNTPCT. CNTFRQ is
 * only what software reads (B8.1.2): writing it does not change the rate.
 *
 * <h2>Timers and outputs</h2>
 * Two timers are programmable: the physical timer (CNTP_*) and the virtual timer (CNTV_*). Each has a
 * 64-bit CompareValue CVAL, a signed 32-bit TimerValue view TVAL and a control register CTL (ENABLE bit
 * 0, IMASK bit 1, ISTATUS bit 2 read-only) (B8.1.5). ISTATUS is {@code CNTxCT >= CVAL}, unsigned, while
 * enabled, and 0 while disabled (as QEMU {@code gt_recalc_timer}). Each output is level-sensitive:
 * {@code ENABLE && !IMASK && ISTATUS}. The change is scheduled as one {@link Scheduler} event at the
 * virtual time of tick CVAL ({@code CVAL * 16} ns) and moved or cancelled by every write that changes
 * it; nothing polls.
 *
 * <p>Which QEMU timer the CNTP_* registers reach, and where QEMU {@code virt} wires it: QEMU defines the
 * AArch32 CNTP_CTL / CNTP_TVAL / CNTP_CVAL twice, a Non-secure bank ({@code GTIMER_PHYS}) and a Secure
 * bank ({@code CNTP_*_S}, {@code GTIMER_SEC}) (target/arm/helper.c, {@code generic_timer_cp_reginfo}).
 * {@code virt} without {@code secure=on} creates its CPUs with {@code has_el3} false (hw/arm/virt.c,
 * {@code machvirt_init}), and without EL3 QEMU runs the core Non-secure ("If EL3 is not supported then
 * the secure state is implementation defined, in which case QEMU defaults to non-secure",
 * target/arm/cpu.h {@code arm_is_secure_below_el3} / helper.c {@code arm_security_space}). So CNTP_*
 * reach {@code GTIMER_PHYS}, which virt.c's {@code timer_irq[]} wires to {@code ARCH_TIMER_NS_EL1_IRQ},
 * PPI 14 = INTID 30 (include/hw/arm/bsa.h). The board wires:
 * <ul>
 *   <li>{@link #physicalIrq()} (CNTP_*, Non-secure physical) to PPI 14, INTID 30;</li>
 *   <li>{@link #virtualIrq()} (CNTV_*) to PPI 11, INTID 27;</li>
 *   <li>{@link #securePhysicalIrq()} to PPI 13, INTID 29, and {@link #hypIrq()} to PPI 10, INTID 26:
 *       these exist so that all four PPIs of the virt DTB's timer node are wired; this core has no
 *       Secure state or Hyp mode and never raises them.</li>
 * </ul>
 *
 * <h2>Access</h2>
 * {@link #registers()} answers MRC/MCR with CRn = c14 and MRRC/MCRR with CRm = c14 (attach it with
 * {@code ArmCpu.attachGenericTimer}). PL1 may access everything; PL0 only what CNTKCTL allows (B4.1.26):
 * CNTPCT with PL0PCTEN, CNTVCT with PL0VCTEN, CNTFRQ (read) with either, CNTP_* with PL0PTEN, CNTV_*
 * with PL0VTEN. Anything else — writes to the counters, CNTFRQ writes at PL0, the Hyp registers (CNTVOFF,
 * CNTHCTL, CNTHP_*) — is UNDEFINED. CNTFRQ is writable at PL1: QEMU lets it be written "only at the
 * highest implemented exception level" ({@code gt_cntfrq_access}), which without EL2 and EL3 is EL1.
 * CNTKCTL reads as written, as in QEMU; its event stream (EVNTEN) is not modelled.
 *
 * <h2>Extension points</h2>
 * All conversions between virtual time and counter ticks go through {@code ticksAt(ns)} and
 * {@code nsOfTick(tick)}, and every expiry goes through {@code expire(timer)}.
 *
 * <h2>Fault points</h2>
 * Built with a {@link FaultPoints} registry, each timer declares {@code timer.<core>.phys} /
 * {@code timer.<core>.virt} (actions drift, skip, delay). They act on the comparator, not on the
 * counter (CNTPCT/CNTVCT always read true time):
 * <ul>
 *   <li>each time an expiry is scheduled (CVAL/TVAL/CTL written), a {@code program} occurrence offers the
 *       time from now to the expiry, which a drift rule may scale;</li>
 *   <li>each expiry is an {@code expiry} occurrence, which a rule may skip or delay.</li>
 * </ul>
 * Once a fault has moved or skipped an expiry, ISTATUS (and so the output) stays 0 until the moved
 * expiry fires, then 1 — whatever the counter says — until software writes CVAL or TVAL or changes
 * ENABLE; a skipped expiry leaves ISTATUS 0 until then. Without a plan none of this costs anything.
 *
 * <p>Known limit: {@link Coprocessor#UNDEFINED} is {@code Long.MIN_VALUE}, so a CVAL of exactly
 * 0x8000000000000000 read back by MRRC looks UNDEFINED to the core (no event is ever due there).
 */
public final class GenericTimer {
    /** CNTFRQ reset value and the counter's real rate: 62.5 MHz, as QEMU's {@code virt} (GTIMER_SCALE 16 ns). */
    public static final int FREQUENCY_HZ = 62_500_000;
    /** One counter tick every 16 ns. */
    public static final long NS_PER_TICK = 16;

    // ---- CNTx_CTL, B4.1.27 / B4.1.32 ----
    public static final int CTL_ENABLE = 1;
    public static final int CTL_IMASK = 1 << 1;
    public static final int CTL_ISTATUS = 1 << 2;
    private static final int CTL_WRITABLE = CTL_ENABLE | CTL_IMASK;

    // ---- CNTKCTL, B4.1.26 ----
    public static final int CNTKCTL_PL0PCTEN = 1;
    public static final int CNTKCTL_PL0VCTEN = 1 << 1;
    public static final int CNTKCTL_EVNTEN = 1 << 2;
    public static final int CNTKCTL_PL0VTEN = 1 << 8;
    public static final int CNTKCTL_PL0PTEN = 1 << 9;

    // ---- CP15 c14 encodings (B3.17.2, Table B3-42) ----
    private static final int CRN_TIMER = 14;
    private static final int CRM_CNTFRQ = 0;
    private static final int CRM_CNTKCTL = 1;
    private static final int CRM_PHYSICAL = 2;
    private static final int CRM_VIRTUAL = 3;
    private static final int OPC2_TVAL = 0;
    private static final int OPC2_CTL = 1;
    /** MRRC / MCRR p15, opc1, ..., c14. */
    private static final int CRM_64BIT = 14;
    private static final int OPC1_CNTPCT = 0;
    private static final int OPC1_CNTVCT = 1;
    private static final int OPC1_CNTP_CVAL = 2;
    private static final int OPC1_CNTV_CVAL = 3;

    /** One of the core's timers: CVAL, CTL, its output line and its pending expiry event. */
    public final class Timer {
        private final String name;
        private final IrqLine irq;
        private final int pl0Enable;
        private int ctl;
        private long cval;
        private Scheduler.Event expiry;
        private Runnable expiryAction;
        /** The fault point, or null without a registry. */
        private FaultPoint point;
        private final FaultSite site = new FaultSite();
        /** A fault owns the expiry (drifted, delayed or skipped): the counter no longer sets ISTATUS. */
        private boolean held;
        /** A fault-moved expiry has fired: ISTATUS is 1 until reprogrammed. */
        private boolean latched;

        private Timer(String name, int pl0Enable) {
            this.name = name;
            this.irq = new IrqLine(name, tracer);
            this.pl0Enable = pl0Enable;
        }

        private boolean faulty() {
            return point != null && point.armed();
        }

        /** The timer's name ({@code <timer name>.phys}), also its output line's. */
        public String name() {
            return name;
        }

        /** The output line. */
        public IrqLine irq() {
            return irq;
        }

        /** CNTx_CTL as software reads it (ISTATUS computed now). */
        public int ctl() {
            return (ctl & CTL_WRITABLE) | (istatus(this) ? CTL_ISTATUS : 0);
        }

        /** CNTx_CVAL. */
        public long cval() {
            return cval;
        }

        /** The virtual time of the pending expiry event, or -1 when none is scheduled. */
        public long expiryTime() {
            return expiry == null ? -1 : expiry.time();
        }
    }

    private final String name;
    private final Scheduler scheduler;
    private final Tracer tracer;
    private final Timer physical;
    private final Timer virtual;
    private final IrqLine securePhysicalIrq;
    private final IrqLine hypIrq;
    private final Coprocessor registers = new C14();
    private int cntfrq;
    private int cntkctl;

    /** The generic timer named {@code name} (e.g. {@code cpu0.timer}; trace source and prefix of its line names). */
    public GenericTimer(String name, Scheduler scheduler, Tracer tracer) {
        this(name, scheduler, tracer, null, null);
    }

    /**
     * As {@link #GenericTimer(String, Scheduler, Tracer)}, declaring the fault points
     * {@code timer.<faultName>.phys} and {@code timer.<faultName>.virt} in {@code faults} (when not null).
     */
    public GenericTimer(String name, Scheduler scheduler, Tracer tracer, FaultPoints faults, String faultName) {
        this.name = name;
        this.scheduler = scheduler;
        this.tracer = tracer;
        this.physical = new Timer(name + ".phys", CNTKCTL_PL0PTEN);
        this.virtual = new Timer(name + ".virt", CNTKCTL_PL0VTEN);
        this.securePhysicalIrq = new IrqLine(name + ".sec-phys", tracer);
        this.hypIrq = new IrqLine(name + ".hyp", tracer);
        if (faults != null) {
            physical.point = faults.declare("timer." + faultName + ".phys", "the " + faultName + " generic timer's physical comparator (CNTP_*)",
                    "drift", "skip", "delay");
            virtual.point = faults.declare("timer." + faultName + ".virt", "the " + faultName + " generic timer's virtual comparator (CNTV_*)",
                    "drift", "skip", "delay");
        }
        reset();
    }

    // ================================================================ public API

    public String name() {
        return name;
    }

    /** The Non-secure physical timer's output (CNTP_*); QEMU virt: PPI 14, INTID 30. */
    public IrqLine physicalIrq() {
        return physical.irq;
    }

    /** The virtual timer's output (CNTV_*); QEMU virt: PPI 11, INTID 27. */
    public IrqLine virtualIrq() {
        return virtual.irq;
    }

    /** The Secure physical timer's output; QEMU virt: PPI 13, INTID 29. Never raised: this core has no Secure state. */
    public IrqLine securePhysicalIrq() {
        return securePhysicalIrq;
    }

    /** The Hyp timer's output; QEMU virt: PPI 10, INTID 26. Never raised: this core has no Hyp mode. */
    public IrqLine hypIrq() {
        return hypIrq;
    }

    /** The physical timer (CNTP_*), for inspection. */
    public Timer physical() {
        return physical;
    }

    /** The virtual timer (CNTV_*), for inspection. */
    public Timer virtual() {
        return virtual;
    }

    /** The CP15 c14 registers as a {@link Coprocessor}: MRC/MCR with CRn 14, MRRC/MCRR with CRm 14. */
    public Coprocessor registers() {
        return registers;
    }

    /** Told of every CNTPCT/CNTVCT read by MRRC (before the value is taken), or null. */
    private Runnable counterReadListener;

    /**
     * Calls {@code listener} on every read of CNTPCT or CNTVCT by MRRC, on the simulation thread, before the
     * value is taken (the core's PC is then the MRRC's); {@code null} removes it.
     */
    public void setCounterReadListener(Runnable listener) {
        this.counterReadListener = listener;
    }

    private long counterRead() {
        Runnable l = counterReadListener;
        if (l != null) {
            l.run();
        }
        return count();
    }

    /** CNTPCT now (= CNTVCT). */
    public long count() {
        return ticksAt(scheduler.now());
    }

    /**
     * Reset with the core (QEMU resets these with the CPU's coprocessor registers): CNTFRQ = 62.5 MHz,
     * CNTKCTL = 0, both timers disabled with CVAL = 0, outputs low, no event pending. The system counter
     * is not reset: it belongs to the system, not the core.
     */
    public void reset() {
        cntfrq = FREQUENCY_HZ;
        cntkctl = 0;
        for (Timer t : new Timer[] {physical, virtual}) {
            t.ctl = 0;
            t.cval = 0;
            t.held = false;
            t.latched = false;
            update(t);
        }
    }

    // ================================================================ time

    /** The counter value at virtual time {@code ns}: whole 16 ns ticks since power-on. */
    /** The counter value (CNTPCT) at virtual time {@code ns}. */
    public long countAt(long ns) {
        return ticksAt(ns);
    }

    private long ticksAt(long ns) {
        return ns / NS_PER_TICK;
    }

    /**
     * The virtual time at which the counter reaches {@code tick} (unsigned), or -1 if that is beyond the
     * end of virtual time ({@code Long.MAX_VALUE} ns).
     */
    private long nsOfTick(long tick) {
        if (Long.compareUnsigned(tick, Long.MAX_VALUE / NS_PER_TICK) > 0) {
            return -1;
        }
        return tick * NS_PER_TICK;
    }

    // ================================================================ timer behaviour (B8.1.5)

    private boolean istatus(Timer t) {
        if ((t.ctl & CTL_ENABLE) == 0) {
            return false;
        }
        if (t.held || t.latched) {
            return t.latched;
        }
        return Long.compareUnsigned(count(), t.cval) >= 0;
    }

    /** Recomputes the output and (re)schedules the expiry, after any change of CTL, CVAL or time. */
    private void update(Timer t) {
        boolean status = istatus(t);
        t.irq.set(status && (t.ctl & CTL_IMASK) == 0);
        if (t.held || t.latched) {
            return; // a fault owns the expiry until software reprograms the timer
        }
        long at = (t.ctl & CTL_ENABLE) != 0 && !status ? nsOfTick(t.cval) : -1;
        if (t.expiry != null && t.expiry.time() == at) {
            return;
        }
        scheduler.cancel(t.expiry);
        t.expiry = null;
        if (at >= 0 && t.faulty()) {
            long now = scheduler.now();
            t.point.fire(t.site.access(-1, 0, -1, true, at - now).kind("program"));
            if (t.site.value != at - now) {
                t.held = true;
                at = now + Math.max(0, t.site.value);
            }
        }
        if (at >= 0) {
            schedule(t, at, () -> expire(t));
        }
    }

    private void schedule(Timer t, long at, Runnable action) {
        t.expiryAction = action;
        t.expiry = scheduler.scheduleAt(at, t.name + ".expiry", () -> {
            t.expiry = null;
            action.run();
        });
    }

    /** The counter has reached CVAL of an enabled timer: ISTATUS becomes 1 and the output rises unless masked. */
    private void expire(Timer t) {
        if (t.faulty()) {
            t.point.fire(t.site.access(-1, 0, -1, false, t.cval).kind("expiry"));
            if (t.site.dropped) {
                t.held = true; // skipped: ISTATUS stays 0 until software reprograms the timer
                t.irq.set(false);
                return;
            }
            if (t.site.delayNs > 0) {
                t.held = true;
                t.irq.set(false);
                schedule(t, scheduler.now() + t.site.delayNs, () -> fire(t));
                return;
            }
        }
        fire(t);
    }

    private void fire(Timer t) {
        if (t.held) {
            t.held = false;
            t.latched = true; // a fault-moved expiry: the comparator fires now, whatever the counter says
        }
        if (tracer.enabled()) {
            tracer.emit(name, "timer.fire", t.name + " cval=" + Long.toUnsignedString(t.cval));
        }
        update(t);
    }

    /**
     * Runs an expiry that is due but whose event has not run yet (the CPU writing inside a quantum that
     * ran past it), so that every expiry goes through {@link #expire} before the timer is reprogrammed.
     */
    private void catchUp(Timer t) {
        if (t.expiry != null && t.expiry.time() <= scheduler.now()) {
            scheduler.cancel(t.expiry);
            t.expiry = null;
            t.expiryAction.run();
        }
    }

    /** Software reprogrammed the comparator: a fault's hold on the expiry ends; the counter decides again. */
    private void unhold(Timer t) {
        if (t.held || t.latched) {
            t.held = false;
            t.latched = false;
            scheduler.cancel(t.expiry);
            t.expiry = null;
        }
    }

    private void writeCtl(Timer t, int value) {
        catchUp(t);
        if (((t.ctl ^ value) & CTL_ENABLE) != 0) {
            unhold(t);
        }
        t.ctl = value & CTL_WRITABLE;
        update(t);
    }

    private void writeCval(Timer t, long value) {
        catchUp(t);
        unhold(t);
        t.cval = value;
        update(t);
    }

    /** TVAL: CVAL - count, truncated to 32 bits (B8.1.5). */
    private int readTval(Timer t) {
        return (int) (t.cval - count());
    }

    /** TVAL write: CVAL = count + the value sign-extended (B8.1.5). */
    private void writeTval(Timer t, int value) {
        writeCval(t, count() + value);
    }

    private void writeCntkctl(int value) {
        cntkctl = value;
        if ((value & CNTKCTL_EVNTEN) != 0) {
            tracer.warnOnce(name + ".EVNTEN", name, "CNTKCTL.EVNTEN set: the event stream is not modelled, no WFE wake-up events are generated");
        }
    }

    // ================================================================ CP15 c14

    private boolean pl0May(int cntkctlBits) {
        return (cntkctl & cntkctlBits) != 0;
    }

    private Timer timer(int crm) {
        return crm == CRM_PHYSICAL ? physical : crm == CRM_VIRTUAL ? virtual : null;
    }

    /** The c14 slice of CP15: everything not listed in the class comment is UNDEFINED. */
    private final class C14 implements Coprocessor {
        @Override
        public long mrc(int opc1, int crn, int crm, int opc2, boolean privileged) {
            if (opc1 != 0 || crn != CRN_TIMER) {
                return UNDEFINED;
            }
            if (crm == CRM_CNTFRQ && opc2 == 0) {
                return privileged || pl0May(CNTKCTL_PL0PCTEN | CNTKCTL_PL0VCTEN) ? cntfrq & 0xFFFF_FFFFL : UNDEFINED;
            }
            if (crm == CRM_CNTKCTL && opc2 == 0) {
                return privileged ? cntkctl & 0xFFFF_FFFFL : UNDEFINED;
            }
            Timer t = timer(crm);
            if (t == null || !(privileged || pl0May(t.pl0Enable))) {
                return UNDEFINED;
            }
            return switch (opc2) {
                case OPC2_TVAL -> readTval(t) & 0xFFFF_FFFFL;
                case OPC2_CTL -> t.ctl() & 0xFFFF_FFFFL;
                default -> UNDEFINED;
            };
        }

        @Override
        public boolean mcr(int opc1, int crn, int crm, int opc2, int value, boolean privileged) {
            if (opc1 != 0 || crn != CRN_TIMER) {
                return false;
            }
            if ((crm == CRM_CNTFRQ || crm == CRM_CNTKCTL) && opc2 == 0) {
                if (!privileged) {
                    return false;
                }
                if (crm == CRM_CNTFRQ) {
                    cntfrq = value;
                } else {
                    writeCntkctl(value);
                }
                return true;
            }
            Timer t = timer(crm);
            if (t == null || !(privileged || pl0May(t.pl0Enable))) {
                return false;
            }
            switch (opc2) {
                case OPC2_TVAL -> writeTval(t, value);
                case OPC2_CTL -> writeCtl(t, value);
                default -> {
                    return false;
                }
            }
            return true;
        }

        @Override
        public long mrrc(int opc1, int crm, boolean privileged) {
            if (crm != CRM_64BIT) {
                return UNDEFINED;
            }
            return switch (opc1) {
                case OPC1_CNTPCT -> privileged || pl0May(CNTKCTL_PL0PCTEN) ? counterRead() : UNDEFINED;
                case OPC1_CNTVCT -> privileged || pl0May(CNTKCTL_PL0VCTEN) ? counterRead() : UNDEFINED;
                case OPC1_CNTP_CVAL -> privileged || pl0May(CNTKCTL_PL0PTEN) ? physical.cval : UNDEFINED;
                case OPC1_CNTV_CVAL -> privileged || pl0May(CNTKCTL_PL0VTEN) ? virtual.cval : UNDEFINED;
                default -> UNDEFINED;
            };
        }

        @Override
        public boolean mcrr(int opc1, int crm, long value, boolean privileged) {
            if (crm != CRM_64BIT) {
                return false;
            }
            Timer t = opc1 == OPC1_CNTP_CVAL ? physical : opc1 == OPC1_CNTV_CVAL ? virtual : null;
            if (t == null || !(privileged || pl0May(t.pl0Enable))) {
                return false;
            }
            writeCval(t, value);
            return true;
        }
    }
}
