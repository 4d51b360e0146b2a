package brassboard.arm.timer;

import static brassboard.arm.timer.GenericTimer.*;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.core.Coprocessor;
import brassboard.arm.core.Modes;
import brassboard.arm.gic.Gic;
import brassboard.arm.testing.Harness;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.TraceEvent;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Generic Timer (ARM ARM B8, B4.1.21-34) at the CP15 c14 level with virtual time stepped, and on a running core. */
class GenericTimerTest {
    private final Scheduler scheduler = new Scheduler();
    private final Tracer tracer = new Tracer(scheduler);
    private final List<TraceEvent> events = new ArrayList<>();
    private final GenericTimer timer = new GenericTimer("cpu0.timer", scheduler, tracer);
    private final Coprocessor c14 = timer.registers();

    GenericTimerTest() {
        tracer.addSink(events::add);
    }

    // ---- c14 encodings: (crm, opc2) for MRC / MCR, opc1 for MRRC / MCRR ----
    private static final int FRQ = 0;
    private static final int KCTL = 1;
    private static final int PHYS = 2;
    private static final int VIRT = 3;
    private static final int TVAL = 0;
    private static final int CTL = 1;
    private static final int PCT = 0;
    private static final int VCT = 1;
    private static final int P_CVAL = 2;
    private static final int V_CVAL = 3;

    private int read(int crm, int opc2) {
        long v = c14.mrc(0, 14, crm, opc2, true);
        assertThat(v).as("MRC c14, c%d, %d at PL1", crm, opc2).isNotEqualTo(Coprocessor.UNDEFINED);
        return (int) v;
    }

    private void write(int crm, int opc2, int value) {
        assertThat(c14.mcr(0, 14, crm, opc2, value, true)).as("MCR c14, c%d, %d at PL1", crm, opc2).isTrue();
    }

    private long read64(int opc1) {
        long v = c14.mrrc(opc1, 14, true);
        assertThat(v).isNotEqualTo(Coprocessor.UNDEFINED);
        return v;
    }

    private void write64(int opc1, long value) {
        assertThat(c14.mcrr(opc1, 14, value, true)).isTrue();
    }

    private List<TraceEvent> fired() {
        return events.stream().filter(e -> e.kind().equals("timer.fire")).toList();
    }

    @Nested
    class Registers {
        @Test
        void resetValues() {
            assertThat(read(FRQ, 0)).isEqualTo(62_500_000);
            assertThat(read(KCTL, 0)).isZero();
            assertThat(read(PHYS, CTL)).isZero();
            assertThat(read(VIRT, CTL)).isZero();
            assertThat(read64(P_CVAL)).isZero();
            assertThat(read64(V_CVAL)).isZero();
            assertThat(read(PHYS, TVAL)).isZero();
            assertThat(scheduler.hasPendingEvents()).isFalse();
        }

        @Test
        void counterIsVirtualNanosecondsOverSixteen() {
            assertThat(read64(PCT)).isZero();
            scheduler.step(15);
            assertThat(read64(PCT)).isZero();
            scheduler.step(1);
            assertThat(read64(PCT)).isEqualTo(1);
            scheduler.advanceTo(1_000_000_000L);
            assertThat(read64(PCT)).as("one second is 62.5 M ticks").isEqualTo(62_500_000L);
            assertThat(read64(VCT)).as("CNTVOFF is 0").isEqualTo(read64(PCT));
            scheduler.advanceTo(1L << 40);
            assertThat(timer.count()).isEqualTo((1L << 40) / 16);
        }

        @Test
        void cntfrqIsReadAsWrittenAndDoesNotChangeTheRate() {
            write(FRQ, 0, 24_000_000);
            assertThat(read(FRQ, 0)).isEqualTo(24_000_000);
            scheduler.step(1600);
            assertThat(read64(PCT)).isEqualTo(100);
        }

        @Test
        void cntkctlReadsAsWritten() {
            write(KCTL, 0, 0x303);
            assertThat(read(KCTL, 0)).isEqualTo(0x303);
        }

        @Test
        void ctlKeepsEnableAndImaskOnly() {
            write(PHYS, CTL, 0xFFFF_FFFF);
            assertThat(read(PHYS, CTL)).as("CVAL 0 <= count: ISTATUS").isEqualTo(CTL_ENABLE | CTL_IMASK | CTL_ISTATUS);
            write(PHYS, CTL, CTL_IMASK);
            assertThat(read(PHYS, CTL)).as("disabled: ISTATUS reads 0").isEqualTo(CTL_IMASK);
        }

        @Test
        void cvalIsSixtyFourBits() {
            write64(P_CVAL, 0x1234_5678_9ABC_DEF0L);
            write64(V_CVAL, 0x0FED_CBA9_8765_4321L);
            assertThat(read64(P_CVAL)).isEqualTo(0x1234_5678_9ABC_DEF0L);
            assertThat(read64(V_CVAL)).isEqualTo(0x0FED_CBA9_8765_4321L);
        }

        @Test
        void tvalIsASigned32BitViewOfCvalMinusCount() {
            scheduler.advanceTo(160); // count 10
            write(PHYS, TVAL, -5);
            assertThat(read64(P_CVAL)).as("CVAL = count + sign-extended TVAL").isEqualTo(5);
            assertThat(read(PHYS, TVAL)).isEqualTo(-5);
            scheduler.step(3 * 16);
            assertThat(read(PHYS, TVAL)).as("TVAL counts down").isEqualTo(-8);

            write(PHYS, TVAL, 0x7FFF_FFFF);
            assertThat(read64(P_CVAL)).isEqualTo(13 + 0x7FFF_FFFFL);
            write(PHYS, TVAL, 0x8000_0000);
            assertThat(read64(P_CVAL)).isEqualTo(13 - 0x8000_0000L);

            write64(P_CVAL, 13 + (1L << 32) + 7);
            assertThat(read(PHYS, TVAL)).as("truncated to 32 bits").isEqualTo(7);
        }
    }

    @Nested
    class Firing {
        @Test
        void firesAtTheExactTimeOfTickCval() {
            write(PHYS, TVAL, 100);
            write(PHYS, CTL, CTL_ENABLE);
            assertThat(timer.physical().expiryTime()).isEqualTo(1600);
            scheduler.step(1599);
            assertThat(timer.physicalIrq().level()).isFalse();
            assertThat(read(PHYS, CTL)).isEqualTo(CTL_ENABLE);
            assertThat(read(PHYS, TVAL)).isEqualTo(1);
            scheduler.step(1);
            assertThat(timer.physicalIrq().level()).isTrue();
            assertThat(read(PHYS, CTL)).isEqualTo(CTL_ENABLE | CTL_ISTATUS);
            assertThat(read(PHYS, TVAL)).isZero();
            assertThat(fired()).extracting(TraceEvent::timeNs).containsExactly(1600L);
            assertThat(fired().get(0).detail()).isEqualTo("cpu0.timer.phys cval=100");
            assertThat(scheduler.hasPendingEvents()).as("no event while ISTATUS stays 1").isFalse();
        }

        @Test
        void outputStaysHighUntilSoftwareMovesCvalOrDisables() {
            write(PHYS, TVAL, 10);
            write(PHYS, CTL, CTL_ENABLE);
            scheduler.step(10_000);
            assertThat(timer.physicalIrq().level()).isTrue();
            write(PHYS, TVAL, 10); // the handler re-arms
            assertThat(timer.physicalIrq().level()).isFalse();
            scheduler.step(160);
            assertThat(timer.physicalIrq().level()).isTrue();
            assertThat(fired()).extracting(TraceEvent::timeNs).containsExactly(160L, 10_160L);
        }

        @Test
        void imaskHidesTheOutputButNotIstatus() {
            write(PHYS, TVAL, 10);
            write(PHYS, CTL, CTL_ENABLE | CTL_IMASK);
            scheduler.step(160);
            assertThat(read(PHYS, CTL)).isEqualTo(CTL_ENABLE | CTL_IMASK | CTL_ISTATUS);
            assertThat(timer.physicalIrq().level()).isFalse();
            write(PHYS, CTL, CTL_ENABLE);
            assertThat(timer.physicalIrq().level()).as("unmasked: rises at once").isTrue();
            write(PHYS, CTL, CTL_ENABLE | CTL_IMASK);
            assertThat(timer.physicalIrq().level()).isFalse();
        }

        @Test
        void disablingLowersTheOutputClearsIstatusAndCancelsTheEvent() {
            write(PHYS, TVAL, 10);
            write(PHYS, CTL, CTL_ENABLE);
            write(PHYS, CTL, 0);
            assertThat(scheduler.hasPendingEvents()).isFalse();
            scheduler.step(1000);
            assertThat(fired()).isEmpty();
            write(PHYS, CTL, CTL_ENABLE);
            assertThat(timer.physicalIrq().level()).as("enabled with count past CVAL: at once").isTrue();
            write(PHYS, CTL, 0);
            assertThat(timer.physicalIrq().level()).isFalse();
            assertThat(read(PHYS, CTL)).isZero();
        }

        @Test
        void reprogrammingMovesTheOneEvent() {
            write(PHYS, CTL, CTL_ENABLE);
            write(PHYS, TVAL, 100);
            write(PHYS, TVAL, 200);
            assertThat(timer.physical().expiryTime()).isEqualTo(3200);
            scheduler.step(1600);
            assertThat(timer.physicalIrq().level()).isFalse();
            write64(P_CVAL, 150);
            assertThat(timer.physical().expiryTime()).isEqualTo(2400);
            scheduler.step(800);
            assertThat(timer.physicalIrq().level()).isTrue();
            scheduler.step(10_000);
            assertThat(fired()).extracting(TraceEvent::timeNs).containsExactly(2400L);
        }

        @Test
        void cvalInThePastRaisesAtOnce() {
            scheduler.advanceTo(16_000);
            write(PHYS, CTL, CTL_ENABLE);
            write64(P_CVAL, 999);
            assertThat(timer.physicalIrq().level()).isTrue();
            write64(P_CVAL, 1000);
            assertThat(timer.physicalIrq().level()).as("count == CVAL").isTrue();
            write64(P_CVAL, 1001);
            assertThat(timer.physicalIrq().level()).isFalse();
        }

        @Test
        void anExpiryInsideACpuQuantumIsTracedBeforeTheTimerIsReprogrammed() {
            write(PHYS, TVAL, 100);
            write(PHYS, CTL, CTL_ENABLE);
            scheduler.beginQuantum(() -> 2000); // the CPU ran past 1600 ns
            try {
                assertThat(read(PHYS, CTL)).isEqualTo(CTL_ENABLE | CTL_ISTATUS);
                write(PHYS, TVAL, 100);
            } finally {
                scheduler.endQuantum();
            }
            assertThat(fired()).extracting(TraceEvent::timeNs).containsExactly(2000L);
            assertThat(timer.physicalIrq().level()).isFalse();
            assertThat(timer.physical().expiryTime()).isEqualTo(2000 / 16 * 16 + 1600);
        }

        @Test
        void cvalBeyondTheEndOfTimeNeverFires() {
            write64(P_CVAL, -1L);
            write(PHYS, CTL, CTL_ENABLE);
            assertThat(scheduler.hasPendingEvents()).isFalse();
            assertThat(read(PHYS, CTL)).as("unsigned compare").isEqualTo(CTL_ENABLE);
        }

        @Test
        void virtualTimerHasItsOwnLine() {
            write(VIRT, TVAL, 5);
            write(VIRT, CTL, CTL_ENABLE);
            write(PHYS, TVAL, 50);
            write(PHYS, CTL, CTL_ENABLE);
            scheduler.step(80);
            assertThat(timer.virtualIrq().level()).isTrue();
            assertThat(timer.physicalIrq().level()).isFalse();
            assertThat(read(VIRT, CTL)).isEqualTo(CTL_ENABLE | CTL_ISTATUS);
            scheduler.step(800);
            assertThat(timer.physicalIrq().level()).isTrue();
            assertThat(timer.securePhysicalIrq().level()).isFalse();
            assertThat(timer.hypIrq().level()).isFalse();
            assertThat(List.of(timer.physicalIrq().name(), timer.virtualIrq().name(), timer.securePhysicalIrq().name(),
                    timer.hypIrq().name())).containsExactly("cpu0.timer.phys", "cpu0.timer.virt", "cpu0.timer.sec-phys", "cpu0.timer.hyp");
        }

        @Test
        void resetDisablesBothTimers() {
            write(PHYS, TVAL, 1);
            write(PHYS, CTL, CTL_ENABLE);
            write(VIRT, TVAL, 100);
            write(VIRT, CTL, CTL_ENABLE);
            write(FRQ, 0, 1);
            scheduler.step(16);
            assertThat(timer.physicalIrq().level()).isTrue();
            timer.reset();
            assertThat(timer.physicalIrq().level()).isFalse();
            assertThat(scheduler.hasPendingEvents()).isFalse();
            assertThat(read(FRQ, 0)).isEqualTo(FREQUENCY_HZ);
            assertThat(read64(P_CVAL)).isZero();
            assertThat(read64(PCT)).as("the counter keeps counting").isEqualTo(1);
        }
    }

    @Nested
    class Access {
        private boolean pl0Reads(int crm, int opc2) {
            return c14.mrc(0, 14, crm, opc2, false) != Coprocessor.UNDEFINED;
        }

        private boolean pl0Writes(int crm, int opc2) {
            return c14.mcr(0, 14, crm, opc2, 0, false);
        }

        private boolean pl0Reads64(int opc1) {
            return c14.mrrc(opc1, 14, false) != Coprocessor.UNDEFINED;
        }

        @Test
        void pl0SeesNothingByDefault() {
            assertThat(pl0Reads(FRQ, 0)).isFalse();
            assertThat(pl0Reads(KCTL, 0)).isFalse();
            assertThat(pl0Reads(PHYS, TVAL)).isFalse();
            assertThat(pl0Reads(PHYS, CTL)).isFalse();
            assertThat(pl0Reads(VIRT, TVAL)).isFalse();
            assertThat(pl0Reads(VIRT, CTL)).isFalse();
            assertThat(pl0Reads64(PCT)).isFalse();
            assertThat(pl0Reads64(VCT)).isFalse();
            assertThat(pl0Reads64(P_CVAL)).isFalse();
            assertThat(pl0Reads64(V_CVAL)).isFalse();
            assertThat(c14.mcrr(P_CVAL, 14, 0, false)).isFalse();
        }

        @Test
        void cntkctlOpensEachGroup() {
            write(KCTL, 0, CNTKCTL_PL0PCTEN);
            assertThat(pl0Reads64(PCT)).isTrue();
            assertThat(pl0Reads64(VCT)).isFalse();
            assertThat(pl0Reads(FRQ, 0)).as("CNTFRQ with PL0PCTEN").isTrue();

            write(KCTL, 0, CNTKCTL_PL0VCTEN);
            assertThat(pl0Reads64(VCT)).isTrue();
            assertThat(pl0Reads64(PCT)).isFalse();
            assertThat(pl0Reads(FRQ, 0)).as("CNTFRQ with PL0VCTEN").isTrue();
            assertThat(c14.mcr(0, 14, FRQ, 0, 1, false)).as("CNTFRQ is never writable at PL0").isFalse();
            assertThat(pl0Writes(KCTL, 0)).isFalse();

            write(KCTL, 0, CNTKCTL_PL0PTEN);
            assertThat(pl0Reads(PHYS, TVAL) && pl0Reads(PHYS, CTL) && pl0Writes(PHYS, TVAL) && pl0Writes(PHYS, CTL)).isTrue();
            assertThat(pl0Reads64(P_CVAL) && c14.mcrr(P_CVAL, 14, 5, false)).isTrue();
            assertThat(pl0Reads(VIRT, CTL) || pl0Reads64(V_CVAL) || pl0Reads64(PCT)).isFalse();

            write(KCTL, 0, CNTKCTL_PL0VTEN);
            assertThat(pl0Reads(VIRT, TVAL) && pl0Reads(VIRT, CTL) && pl0Writes(VIRT, TVAL) && pl0Writes(VIRT, CTL)).isTrue();
            assertThat(pl0Reads64(V_CVAL) && c14.mcrr(V_CVAL, 14, 5, false)).isTrue();
            assertThat(pl0Reads(PHYS, CTL) || pl0Reads64(P_CVAL)).isFalse();
        }

        @Test
        void countersAreReadOnlyAndHypRegistersUndefined() {
            assertThat(c14.mcrr(PCT, 14, 1, true)).isFalse();
            assertThat(c14.mcrr(VCT, 14, 1, true)).isFalse();
            assertThat(c14.mrrc(4, 14, true)).as("CNTVOFF").isEqualTo(Coprocessor.UNDEFINED);
            assertThat(c14.mrc(4, 14, 1, 0, true)).as("CNTHCTL").isEqualTo(Coprocessor.UNDEFINED);
            assertThat(c14.mrc(4, 14, 2, 1, true)).as("CNTHP_CTL").isEqualTo(Coprocessor.UNDEFINED);
            assertThat(c14.mrrc(6, 14, true)).as("CNTHP_CVAL").isEqualTo(Coprocessor.UNDEFINED);
            assertThat(c14.mrc(0, 14, PHYS, 2, true)).isEqualTo(Coprocessor.UNDEFINED);
            assertThat(c14.mrc(0, 14, 4, 0, true)).isEqualTo(Coprocessor.UNDEFINED);
        }
    }

    // ================================================================ on a core

    /** MRC p15, 0, Rt, c14, CRm, opc2. */
    private static int mrc(int rt, int crm, int opc2) {
        return 0xEE1E0F10 | rt << 12 | opc2 << 5 | crm;
    }

    /** MCR p15, 0, Rt, c14, CRm, opc2. */
    private static int mcr(int rt, int crm, int opc2) {
        return 0xEE0E0F10 | rt << 12 | opc2 << 5 | crm;
    }

    /** MRRC p15, opc1, Rt, Rt2, c14. */
    private static int mrrc(int opc1, int rt, int rt2) {
        return 0xEC500F0E | rt2 << 16 | rt << 12 | opc1 << 4;
    }

    /** MCRR p15, opc1, Rt, Rt2, c14. */
    private static int mcrr(int opc1, int rt, int rt2) {
        return 0xEC400F0E | rt2 << 16 | rt << 12 | opc1 << 4;
    }

    /** MOVW Rd, #imm16. */
    private static int movw(int rd, int imm16) {
        return 0xE3000000 | (imm16 >>> 12) << 16 | rd << 12 | (imm16 & 0xFFF);
    }

    private static final int MRC_ID_PFR1 = 0xEE100F31; // mrc p15, 0, r0, c0, c1, 1
    private static final int CPSIE_I = 0xF1080080;
    private static final int WFI = 0xE320F003;
    private static final int B_SELF = 0xEAFFFFFE;
    private static final int IRQ_VECTOR = 0x18;

    @Nested
    class OnACore {
        @Test
        void withoutATimerC14IsUndefinedAndIdPfr1SaysSo() {
            Harness h = new Harness().code(MRC_ID_PFR1, mrrc(PCT, 0, 1));
            h.run(1);
            assertThat(h.r(0)).as("ID_PFR1: no Generic Timer").isEqualTo(0x0000_0001);
            h.run(1);
            assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
            assertThat(h.cpu.genericTimer()).isNull();
        }

        @Test
        void attachedTimerIsReachedByA32Instructions() {
            Harness h = new Harness();
            h.cpu.attachGenericTimer(timer);
            assertThat(h.cpu.genericTimer()).isSameAs(timer);
            scheduler.advanceTo(0x10_0000_0000L); // count 0x1_0000_0000
            h.code(MRC_ID_PFR1,
                    mcrr(P_CVAL, 2, 3),   // CNTP_CVAL = r3:r2
                    mrrc(P_CVAL, 4, 5),   // r5:r4 = CNTP_CVAL
                    mrrc(PCT, 6, 7),      // r7:r6 = CNTPCT
                    mrrc(VCT, 8, 9),      // r9:r8 = CNTVCT
                    mrc(10, FRQ, 0),      // r10 = CNTFRQ
                    mrc(11, PHYS, TVAL)); // r11 = CNTP_TVAL
            h.reg(2, 0x89AB_CDEF).reg(3, 0x0000_0001);
            assertThat(h.run(7)).isEqualTo(7);
            assertThat(h.r(0)).as("ID_PFR1.GenTimer = 1, as the Cortex-A15").isEqualTo(0x0001_0001);
            assertThat(h.r(4)).isEqualTo(0x89AB_CDEF);
            assertThat(h.r(5)).isEqualTo(1);
            assertThat(timer.physical().cval()).isEqualTo(0x1_89AB_CDEFL);
            assertThat(h.r(6)).isZero();
            assertThat(h.r(7)).isEqualTo(1);
            assertThat(h.r(8)).isZero();
            assertThat(h.r(9)).isEqualTo(1);
            assertThat(h.r(10)).isEqualTo(62_500_000);
            assertThat(h.r(11)).isEqualTo(0x89AB_CDEF);
        }

        @Test
        void userModeNeedsCntkctl() {
            Harness h = new Harness();
            h.cpu.attachGenericTimer(timer);
            h.code(movw(0, CNTKCTL_PL0VCTEN), mcr(0, KCTL, 0), 0xE3A0_0010 /* mov r0, #0x10 */,
                    0xE129_F000 /* msr cpsr_fc, r0: User mode */, mrrc(VCT, 2, 3), mrrc(PCT, 2, 3));
            assertThat(h.run(5)).isEqualTo(5);
            assertThat(h.cpu.mode()).isEqualTo(Modes.USR);
            h.run(1);
            assertThat(h.cpu.mode()).as("CNTPCT without PL0PCTEN").isEqualTo(Modes.UND);
        }

        @Test
        void cpuResetResetsTheTimerRegisters() {
            Harness h = new Harness();
            h.cpu.attachGenericTimer(timer);
            write(PHYS, CTL, CTL_ENABLE);
            assertThat(timer.physicalIrq().level()).isTrue();
            h.cpu.reset(Harness.CODE);
            assertThat(timer.physicalIrq().level()).isFalse();
            assertThat(read(PHYS, CTL)).isZero();
        }

        /**
         * Firmware programs CNTP_TVAL, enables the timer, unmasks IRQs and waits in WFI; the timer's
         * PPI 14 goes through the GIC to the core's IRQ input and the core takes the IRQ. The loop
         * interleaves the core and the scheduler as {@code Machine.run} does.
         */
        @Test
        void wfiWakesUpThroughTheGic() {
            Harness h = new Harness();
            ArmCpu cpu = h.cpu;
            cpu.attachGenericTimer(timer);
            Gic gic = new Gic("gic", 1, 32, scheduler, tracer);
            timer.physicalIrq().connect(gic.ppi(0, 14));
            gic.irqOut(0).connect((line, level) -> cpu.setIrqLine(level));
            MmioDevice d = gic.distributor();
            MmioDevice c = gic.cpuInterface(0);
            d.write(Gic.GICD_CTLR, 4, Gic.GICD_CTLR_ENABLE_GRP0);
            d.write(Gic.GICD_ISENABLER, 4, 1L << 30);
            c.write(Gic.GICC_CTLR, 4, Gic.GICC_CTLR_ENABLE_GRP0);
            c.write(Gic.GICC_PMR, 4, 0xFF);

            h.code(movw(0, 1000),        // TVAL = 1000 ticks = 16 us
                    mcr(0, PHYS, TVAL),
                    movw(1, CTL_ENABLE),
                    mcr(1, PHYS, CTL),
                    CPSIE_I,
                    WFI,
                    B_SELF);
            h.at(IRQ_VECTOR,
                    mrrc(PCT, 4, 5),      // r5:r4 = CNTPCT in the handler
                    movw(2, CTL_ENABLE | CTL_IMASK),
                    mcr(2, PHYS, CTL),    // mask: the level-sensitive PPI drops
                    B_SELF);

            long nsPerInstruction = 10;
            long wokeAt = -1;
            for (int quanta = 0; quanta < 100 && cpu.pc() != IRQ_VECTOR + 12; quanta++) {
                long now = scheduler.now();
                long next = scheduler.nextEventTime();
                if (next <= now) {
                    scheduler.runDue();
                    continue;
                }
                if (cpu.isWaitingForInterrupt()) {
                    assertThat(next).as("something is left to wake the core").isNotEqualTo(Long.MAX_VALUE);
                    scheduler.advanceTo(next);
                    cpu.run(0);
                    if (!cpu.isWaitingForInterrupt()) {
                        wokeAt = scheduler.now();
                    }
                    continue;
                }
                long budget = next == Long.MAX_VALUE ? 1000 : Math.max(1, Math.min(1000, (next - now) / nsPerInstruction));
                long start = cpu.instructionsRetired();
                scheduler.beginQuantum(() -> (cpu.instructionsRetired() - start) * nsPerInstruction);
                int done;
                try {
                    done = cpu.run((int) budget);
                } finally {
                    scheduler.endQuantum();
                }
                scheduler.advanceTo(now + Math.max(1, done) * nsPerInstruction);
            }

            // The MCR of TVAL executed after one instruction (10 ns): count 0, so CVAL = 1000, due at 16 000 ns.
            assertThat(timer.physical().cval()).isEqualTo(1000);
            assertThat(wokeAt).isEqualTo(16_000);
            assertThat(fired()).extracting(TraceEvent::timeNs).containsExactly(16_000L);
            assertThat(cpu.mode()).isEqualTo(Modes.IRQ);
            assertThat(cpu.pc()).isEqualTo(IRQ_VECTOR + 12);
            assertThat(h.r(4)).as("CNTPCT in the handler").isBetween(1000, 1002);
            assertThat(h.r(5)).isZero();
            assertThat(timer.physicalIrq().level()).as("masked by the handler").isFalse();
            assertThat(events).extracting(TraceEvent::kind, TraceEvent::detail)
                    .contains(org.assertj.core.groups.Tuple.tuple("irq.raise", "cpu0.timer.phys"),
                            org.assertj.core.groups.Tuple.tuple("irq.raise", "gic.cpu0.irq"));
        }
    }
}
