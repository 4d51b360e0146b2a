package brassboard.arm.gic;

import static brassboard.arm.gic.Gic.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.bus.api.IrqLine;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.TraceEvent;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Register-level tests of the GICv2 model (IHI 0048B ch. 3-4), two CPUs, 96 SPIs as on QEMU virt. */
class GicTest {
    private final Scheduler scheduler = new Scheduler();
    private final Tracer tracer = new Tracer(scheduler);
    private final List<TraceEvent> events = new ArrayList<>();
    private final Gic gic = new Gic("gic", 2, 96, scheduler, tracer);
    private final MmioDevice d0 = gic.distributor(0);
    private final MmioDevice d1 = gic.distributor(1);
    private final MmioDevice c0 = gic.cpuInterface(0);
    private final MmioDevice c1 = gic.cpuInterface(1);

    GicTest() {
        tracer.addSink(events::add);
    }

    private static int rd(MmioDevice m, int offset) {
        return (int) m.read(offset, 4);
    }

    private static void wr(MmioDevice m, int offset, int value) {
        assertThat(m.write(offset, 4, value & 0xFFFF_FFFFL)).isTrue();
    }

    /** Distributor and both CPU interfaces enabled for both groups, priority mask fully open. */
    private void enableAll() {
        wr(d0, GICD_CTLR, GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
        for (MmioDevice c : List.of(c0, c1)) {
            wr(c, GICC_CTLR, GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_ENABLE_GRP1);
            wr(c, GICC_PMR, 0xFF);
        }
    }

    private void enable(MmioDevice d, int irq) {
        wr(d, GICD_ISENABLER + irq / 32 * 4, 1 << (irq % 32));
    }

    private void priority(MmioDevice d, int irq, int prio) {
        assertThat(d.write(GICD_IPRIORITYR + irq, 1, prio)).isTrue();
    }

    private void target(int irq, int cpuMask) {
        assertThat(d0.write(GICD_ITARGETSR + irq, 1, cpuMask)).isTrue();
    }

    private void setPending(int irq) {
        wr(d0, GICD_ISPENDR + irq / 32 * 4, 1 << (irq % 32));
    }

    /** SPI {@code irq} enabled, with a priority, routed to CPU 0. */
    private void spiReady(int irq, int prio) {
        enable(d0, irq);
        priority(d0, irq, prio);
        target(irq, 1);
    }

    private boolean bit(MmioDevice d, int base, int irq) {
        return (rd(d, base + irq / 32 * 4) & (1 << (irq % 32))) != 0;
    }

    private IrqLine spiLine(int n) {
        IrqLine line = new IrqLine("dev" + n, tracer);
        line.connect(gic.spi(n));
        return line;
    }

    @Nested
    class Identification {
        @Test
        void distributorResetValues() {
            assertThat(rd(d0, GICD_CTLR)).isZero();
            assertThat(rd(d0, GICD_IIDR)).isEqualTo(0x0000_043B);
            assertThat(rd(d0, GICD_ISENABLER)).as("SGIs always enabled").isEqualTo(0xFFFF);
            assertThat(rd(d0, GICD_ISENABLER + 4)).isZero();
            assertThat(rd(d0, GICD_ISPENDR + 4)).isZero();
            assertThat(rd(d0, GICD_ISACTIVER + 4)).isZero();
            assertThat(rd(d0, GICD_IGROUPR)).isZero();
            assertThat(rd(d0, GICD_IPRIORITYR + 40)).isZero();
            assertThat(rd(d0, GICD_ITARGETSR + 40)).isZero();
            assertThat(rd(d0, GICD_ICFGR)).as("SGIs edge-triggered").isEqualTo(0xAAAA_AAAA);
            assertThat(rd(d0, GICD_ICFGR + 4)).as("PPIs level-sensitive").isZero();
            assertThat(rd(d0, GICD_ICFGR + 8)).isZero();
        }

        @Test
        void typerReportsLinesAndCpus() {
            assertThat(rd(d0, GICD_TYPER)).isEqualTo(3 | (1 << 5)); // ITLinesNumber 3 = 128 IDs, CPUNumber 1 = 2 CPUs
            Gic big = new Gic("big", 8, 960, scheduler, tracer);
            assertThat(rd(big.distributor(0), GICD_TYPER)).isEqualTo(30 | (7 << 5));
            Gic small = new Gic("small", 1, 0, scheduler, tracer);
            assertThat(rd(small.distributor(), GICD_TYPER)).isZero();
        }

        @Test
        void idRegistersAsQemuGicV2() {
            int[] expected = {0x04, 0, 0, 0, 0x90, 0xB4, 0x2B, 0, 0x0D, 0xF0, 0x05, 0xB1};
            for (int i = 0; i < expected.length; i++) {
                assertThat(rd(d0, GICD_ID_BASE + 4 * i)).as("0x%03x", GICD_ID_BASE + 4 * i).isEqualTo(expected[i]);
            }
            assertThat(rd(d0, 0xFE8) >>> 4 & 0xF).as("ICPIDR2.ArchRev").isEqualTo(2);
        }

        @Test
        void cpuInterfaceResetValues() {
            assertThat(rd(c0, GICC_CTLR)).isZero();
            assertThat(rd(c0, GICC_PMR)).isZero();
            assertThat(rd(c0, GICC_BPR)).isZero();
            assertThat(rd(c0, GICC_ABPR)).isEqualTo(1);
            assertThat(rd(c0, GICC_RPR)).isEqualTo(0xFF);
            assertThat(rd(c0, GICC_HPPIR)).isEqualTo(INTID_SPURIOUS);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(INTID_SPURIOUS);
            assertThat(rd(c0, GICC_IIDR)).isEqualTo(0x0002_043B);
            assertThat(gic.irqOut(0).level()).isFalse();
            assertThat(gic.fiqOut(0).level()).isFalse();
        }

        @Test
        void badConfigurationsAreRejectedWithAReason() {
            assertThatThrownBy(() -> new Gic("g", 0, 96, scheduler, tracer)).hasMessageContaining("1 to 8 CPUs");
            assertThatThrownBy(() -> new Gic("g", 9, 96, scheduler, tracer)).hasMessageContaining("1 to 8 CPUs");
            assertThatThrownBy(() -> new Gic("g", 1, 100, scheduler, tracer)).hasMessageContaining("multiple of 32");
            assertThatThrownBy(() -> new Gic("g", 1, 992, scheduler, tracer)).hasMessageContaining("960");
            assertThatThrownBy(gic::distributor).hasMessageContaining("banked per CPU");
            assertThatThrownBy(() -> gic.spi(96)).hasMessageContaining("no SPI 96");
            assertThatThrownBy(() -> gic.ppi(2, 0)).hasMessageContaining("no CPU interface 2");
        }

        @Test
        void unknownOffsetsReadZeroAndIgnoreWrites() {
            assertThat(rd(d0, 0x00C)).isZero();
            assertThat(rd(d0, 0xF04)).isZero();
            assertThat(rd(d0, GICD_ISENABLER + 4 * 4)).as("IDs 128+ do not exist").isZero();
            wr(d0, GICD_ISENABLER + 4 * 4, -1);
            assertThat(rd(d0, GICD_ISENABLER + 4 * 4)).isZero();
            assertThat(rd(d0, GICD_IPRIORITYR + 128)).isZero();
            assertThat(rd(c0, 0x020)).as("GICC_AIAR not modelled").isZero();
            assertThat(rd(c0, 0x800)).isZero();
        }
    }

    @Nested
    class SetAndClearRegisters {
        @Test
        void enableSetAndClear() {
            wr(d0, GICD_ISENABLER + 4, (1 << 5) | (1 << 9));
            assertThat(rd(d0, GICD_ISENABLER + 4)).isEqualTo((1 << 5) | (1 << 9));
            assertThat(rd(d0, GICD_ICENABLER + 4)).isEqualTo((1 << 5) | (1 << 9));
            wr(d0, GICD_ICENABLER + 4, 1 << 5);
            assertThat(rd(d0, GICD_ISENABLER + 4)).isEqualTo(1 << 9);
            wr(d0, GICD_ICENABLER, 0xFFFF_FFFF);
            assertThat(rd(d0, GICD_ISENABLER)).as("SGI enables are RAO/WI").isEqualTo(0xFFFF);
        }

        @Test
        void pendingSetAndClear() {
            setPending(40);
            assertThat(bit(d0, GICD_ISPENDR, 40)).isTrue();
            assertThat(bit(d0, GICD_ICPENDR, 40)).isTrue();
            wr(d0, GICD_ICPENDR + 4, 1 << 8);
            assertThat(bit(d0, GICD_ISPENDR, 40)).isFalse();
            wr(d0, GICD_ISPENDR, 0xFFFF);
            assertThat(rd(d0, GICD_ISPENDR)).as("SGI bits: use GICD_SPENDSGIRn").isZero();
        }

        @Test
        void activeSetAndClear() {
            wr(d0, GICD_ISACTIVER + 8, 1 << 3);
            assertThat(bit(d0, GICD_ISACTIVER, 67)).isTrue();
            assertThat(bit(d0, GICD_ICACTIVER, 67)).isTrue();
            wr(d0, GICD_ICACTIVER + 8, 1 << 3);
            assertThat(bit(d0, GICD_ISACTIVER, 67)).isFalse();
        }

        @Test
        void activeInterruptIsNotSignalledAgainUntilDeactivated() {
            enableAll();
            spiReady(40, 0x80);
            wr(d0, GICD_ISACTIVER + 4, 1 << 8);
            setPending(40);
            assertThat(gic.irqOut(0).level()).isFalse();
            wr(d0, GICD_ICACTIVER + 4, 1 << 8);
            assertThat(gic.irqOut(0).level()).isTrue();
        }

        @Test
        void groupRegisterReadsBack() {
            wr(d0, GICD_IGROUPR + 4, 0x1234_5678);
            assertThat(rd(d0, GICD_IGROUPR + 4)).isEqualTo(0x1234_5678);
            assertThat(rd(d1, GICD_IGROUPR + 4)).as("SPI groups are shared").isEqualTo(0x1234_5678);
            wr(d0, GICD_IGROUPR, 0xFFFF_0000);
            assertThat(rd(d1, GICD_IGROUPR)).as("IGROUPR0 is banked").isZero();
        }

        @Test
        void byteAccessToPriorityAndTargets() {
            assertThat(d0.write(GICD_IPRIORITYR + 41, 1, 0x80)).isTrue();
            assertThat(d0.write(GICD_IPRIORITYR + 43, 1, 0xF0)).isTrue();
            assertThat(rd(d0, GICD_IPRIORITYR + 40)).isEqualTo(0xF000_8000);
            assertThat(d0.read(GICD_IPRIORITYR + 41, 1)).isEqualTo(0x80);
            assertThat(d0.write(GICD_IPRIORITYR + 40, 2, 0x1122)).isTrue();
            assertThat(rd(d0, GICD_IPRIORITYR + 40)).isEqualTo(0xF000_1122);
            assertThat(d0.write(GICD_ITARGETSR + 42, 1, 0xFF)).isTrue();
            assertThat(rd(d0, GICD_ITARGETSR + 40)).as("only implemented CPUs").isEqualTo(0x0003_0000);
            assertThat(d0.read(GICD_ITARGETSR + 42, 1)).isEqualTo(3);
        }

        @Test
        void privateTargetsReadAsTheReadingCpu() {
            assertThat(rd(d0, GICD_ITARGETSR)).isEqualTo(0x0101_0101);
            assertThat(rd(d1, GICD_ITARGETSR + 28)).isEqualTo(0x0202_0202);
            wr(d1, GICD_ITARGETSR + 28, 0x0101_0101);
            assertThat(rd(d1, GICD_ITARGETSR + 28)).isEqualTo(0x0202_0202);
        }

        @Test
        void uniprocessorTargetsAreRazWiAndEverySpiGoesToCpu0() {
            Gic one = new Gic("one", 1, 32, scheduler, tracer);
            MmioDevice d = one.distributor();
            MmioDevice c = one.cpuInterface(0);
            wr(d, GICD_ITARGETSR + 32, 0x0101_0101);
            assertThat(rd(d, GICD_ITARGETSR + 32)).isZero();
            wr(d, GICD_CTLR, 1);
            wr(c, GICC_CTLR, 1);
            wr(c, GICC_PMR, 0xFF);
            wr(d, GICD_ISENABLER + 4, 1);
            wr(d, GICD_ISPENDR + 4, 1);
            assertThat(one.irqOut(0).level()).isTrue();
            assertThat(rd(c, GICC_IAR)).isEqualTo(32);
        }

        @Test
        void spiConfigurationIsProgrammable() {
            wr(d0, GICD_ICFGR + 8, 0xFFFF_FFFF);
            assertThat(rd(d0, GICD_ICFGR + 8)).as("only the edge bits").isEqualTo(0xAAAA_AAAA);
            wr(d0, GICD_ICFGR, 0);
            assertThat(rd(d0, GICD_ICFGR)).as("SGI configuration is read-only").isEqualTo(0xAAAA_AAAA);
        }
    }

    @Nested
    class Prioritization {
        @Test
        void priorityMaskHidesLowerPriorities() {
            enableAll();
            spiReady(40, 0x80);
            setPending(40);
            wr(c0, GICC_PMR, 0x80);
            assertThat(gic.irqOut(0).level()).as("priority must be strictly above the mask").isFalse();
            assertThat(rd(c0, GICC_HPPIR)).isEqualTo(INTID_SPURIOUS);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(INTID_SPURIOUS);
            wr(c0, GICC_PMR, 0x81);
            assertThat(gic.irqOut(0).level()).isTrue();
            assertThat(rd(c0, GICC_HPPIR)).isEqualTo(40);
        }

        @Test
        void iarReturnsHighestPriorityFirstThenSpurious() {
            enableAll();
            spiReady(33, 0xA0);
            spiReady(34, 0x40);
            spiReady(35, 0x40);
            setPending(33);
            setPending(35);
            setPending(34);
            assertThat(rd(c0, GICC_IAR)).as("highest priority, lowest ID on a tie").isEqualTo(34);
            assertThat(rd(c0, GICC_RPR)).isEqualTo(0x40);
            assertThat(gic.irqOut(0).level()).as("equal priority does not preempt").isFalse();
            assertThat(rd(c0, GICC_IAR)).isEqualTo(INTID_SPURIOUS);
            wr(c0, GICC_EOIR, 34);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(35);
            wr(c0, GICC_EOIR, 35);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(33);
            wr(c0, GICC_EOIR, 33);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(INTID_SPURIOUS);
            assertThat(rd(c0, GICC_RPR)).isEqualTo(0xFF);
            assertThat(gic.irqOut(0).level()).isFalse();
            assertThat(events).extracting(TraceEvent::kind).contains("gic.ack", "gic.eoi", "irq.raise", "irq.lower");
        }

        @Test
        void nestedPreemptionAndRunningPriority() {
            enableAll();
            spiReady(40, 0x80);
            spiReady(41, 0x20);
            setPending(40);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
            assertThat(gic.irqOut(0).level()).isFalse();
            setPending(41);
            assertThat(gic.irqOut(0).level()).as("higher priority preempts").isTrue();
            assertThat(rd(c0, GICC_IAR)).isEqualTo(41);
            assertThat(rd(c0, GICC_RPR)).isEqualTo(0x20);
            // One bit per preemption level (priority >> 1): 0x20 → APR0 bit 16, 0x80 → APR2 bit 0.
            assertThat(rd(c0, GICC_APR)).isEqualTo(1 << 16);
            assertThat(rd(c0, GICC_APR + 8)).isEqualTo(1);
            wr(c0, GICC_EOIR, 41);
            assertThat(rd(c0, GICC_RPR)).isEqualTo(0x80);
            wr(c0, GICC_EOIR, 40);
            assertThat(rd(c0, GICC_RPR)).isEqualTo(0xFF);
        }

        @Test
        void preemptionComparesGroupPriorityPerBpr() {
            enableAll();
            wr(c0, GICC_BPR, 3); // group priority bits [7:4]
            spiReady(40, 0x40);
            spiReady(41, 0x38);
            spiReady(42, 0x2F);
            setPending(40);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
            assertThat(rd(c0, GICC_RPR)).isEqualTo(0x40);
            setPending(41);
            assertThat(gic.irqOut(0).level()).as("0x38 has group priority 0x30 < 0x40").isTrue();
            assertThat(rd(c0, GICC_IAR)).isEqualTo(41);
            assertThat(rd(c0, GICC_RPR)).isEqualTo(0x30);
            setPending(42);
            assertThat(gic.irqOut(0).level()).as("0x2F has group priority 0x20 < 0x30").isTrue();
        }

        @Test
        void samePriorityGroupDoesNotPreempt() {
            enableAll();
            wr(c0, GICC_BPR, 3);
            spiReady(40, 0x40);
            spiReady(41, 0x41);
            spiReady(42, 0x3F);
            setPending(40);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
            setPending(41);
            assertThat(gic.irqOut(0).level()).isFalse();
            assertThat(rd(c0, GICC_HPPIR)).isEqualTo(41);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(INTID_SPURIOUS);
            wr(c0, GICC_BPR, 0);
            setPending(42);
            assertThat(gic.irqOut(0).level()).as("0x3F < 0x40 with BPR 0").isTrue();
        }

        @Test
        void group1UsesAbprUnlessCbpr() {
            enableAll();
            wr(c0, GICC_CTLR, GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_ENABLE_GRP1 | GICC_CTLR_ACK_CTL);
            wr(d0, GICD_IGROUPR + 4, 1 << 8);
            spiReady(40, 0x47);
            wr(c0, GICC_BPR, 0);  // group 0: bits [7:1]
            wr(c0, GICC_ABPR, 4); // group 1: ABPR - 1 = 3, bits [7:4]
            setPending(40);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
            assertThat(rd(c0, GICC_RPR)).as("group priority per ABPR").isEqualTo(0x40);
            wr(c0, GICC_EOIR, 40);
            wr(c0, GICC_CTLR, GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_ENABLE_GRP1 | GICC_CTLR_ACK_CTL | GICC_CTLR_CBPR);
            setPending(40);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
            assertThat(rd(c0, GICC_RPR)).as("CBPR: group priority per BPR").isEqualTo(0x46);
            wr(c0, GICC_ABPR, 0);
            assertThat(rd(c0, GICC_ABPR)).as("ABPR minimum is 1").isEqualTo(1);
        }

        @Test
        void disabledGroupsAreNotForwarded() {
            spiReady(40, 0x80);
            setPending(40);
            wr(c0, GICC_PMR, 0xFF);
            wr(c0, GICC_CTLR, GICC_CTLR_ENABLE_GRP0);
            assertThat(gic.irqOut(0).level()).as("distributor disabled").isFalse();
            wr(d0, GICD_CTLR, GICD_CTLR_ENABLE_GRP1);
            assertThat(gic.irqOut(0).level()).as("group 0 disabled in the distributor").isFalse();
            wr(d0, GICD_CTLR, GICD_CTLR_ENABLE_GRP0);
            assertThat(gic.irqOut(0).level()).isTrue();
            wr(c0, GICC_CTLR, 0);
            assertThat(gic.irqOut(0).level()).as("CPU interface disabled").isFalse();
        }
    }

    @Nested
    class Triggering {
        @Test
        void levelSensitiveStaysPendingWhileHighAndRependsAfterEoi() {
            enableAll();
            spiReady(40, 0x80);
            IrqLine line = spiLine(8);
            scheduler.schedule(1_000, "device-irq", line::raise);
            scheduler.step(999);
            assertThat(gic.irqOut(0).level()).isFalse();
            scheduler.step(1);
            assertThat(gic.irqOut(0).level()).isTrue();
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
            assertThat(bit(d0, GICD_ISPENDR, 40)).as("active and pending while still high").isTrue();
            assertThat(bit(d0, GICD_ISACTIVER, 40)).isTrue();
            assertThat(gic.irqOut(0).level()).isFalse();
            wr(c0, GICC_EOIR, 40);
            assertThat(gic.irqOut(0).level()).as("pending again after EOI").isTrue();
            line.lower();
            assertThat(gic.irqOut(0).level()).isFalse();
            assertThat(bit(d0, GICD_ISPENDR, 40)).isFalse();
            assertThat(rd(c0, GICC_IAR)).isEqualTo(INTID_SPURIOUS);
        }

        @Test
        void levelSensitivePulseIsLost() {
            enableAll();
            spiReady(40, 0x80);
            spiLine(8).pulse();
            assertThat(bit(d0, GICD_ISPENDR, 40)).isFalse();
        }

        @Test
        void softwarePendingOfLevelInterruptSurvivesTheLine() {
            enableAll();
            spiReady(40, 0x80);
            IrqLine line = spiLine(8);
            setPending(40);
            line.raise();
            line.lower();
            assertThat(bit(d0, GICD_ISPENDR, 40)).isTrue();
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
            assertThat(bit(d0, GICD_ISPENDR, 40)).as("acknowledge clears it").isFalse();
        }

        @Test
        void edgeTriggeredPendsOnRisingEdgeOrPulse() {
            enableAll();
            spiReady(40, 0x80);
            wr(d0, GICD_ICFGR + 8, 2 << (2 * 8)); // INTID 40 = field 8 of ICFGR2
            IrqLine line = spiLine(8);
            line.pulse();
            assertThat(bit(d0, GICD_ISPENDR, 40)).isTrue();
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
            assertThat(bit(d0, GICD_ISPENDR, 40)).isFalse();
            wr(c0, GICC_EOIR, 40);
            assertThat(gic.irqOut(0).level()).as("an edge pends once").isFalse();
            line.raise();
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
            wr(c0, GICC_EOIR, 40);
            assertThat(gic.irqOut(0).level()).as("staying high is not a new edge").isFalse();
            line.lower();
            line.raise();
            assertThat(gic.irqOut(0).level()).isTrue();
        }

        @Test
        void edgeWhileActiveBecomesActiveAndPending() {
            enableAll();
            spiReady(40, 0x80);
            wr(d0, GICD_ICFGR + 8, 2 << (2 * 8));
            IrqLine line = spiLine(8);
            line.pulse();
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
            line.pulse();
            assertThat(bit(d0, GICD_ISPENDR, 40)).isTrue();
            assertThat(gic.irqOut(0).level()).isFalse();
            wr(c0, GICC_EOIR, 40);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
        }
    }

    @Nested
    class SoftwareGeneratedInterrupts {
        @Test
        void targetListFilterZeroSendsToTheList() {
            enableAll();
            wr(d0, GICD_SGIR, (SGIR_FILTER_LIST << 24) | (0b10 << 16) | 5);
            assertThat(gic.irqOut(1).level()).isTrue();
            assertThat(gic.irqOut(0).level()).isFalse();
            assertThat(rd(c1, GICC_HPPIR)).isEqualTo(5);
            assertThat(rd(c1, GICC_IAR)).as("source CPU 0").isEqualTo(5);
            wr(c1, GICC_EOIR, 5);
            assertThat(rd(c1, GICC_IAR)).isEqualTo(INTID_SPURIOUS);
        }

        @Test
        void allButSelfRecordsTheSourceCpu() {
            enableAll();
            wr(d1, GICD_SGIR, (SGIR_FILTER_ALL_BUT_SELF << 24) | 7);
            assertThat(gic.irqOut(1).level()).isFalse();
            assertThat(rd(c0, GICC_HPPIR)).isEqualTo(7 | 1 << 10);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(7 | 1 << 10);
            wr(c0, GICC_EOIR, 7 | 1 << 10);
            assertThat(rd(c0, GICC_RPR)).isEqualTo(0xFF);
        }

        @Test
        void selfOnlyTargetsTheWriter() {
            enableAll();
            wr(d1, GICD_SGIR, (SGIR_FILTER_SELF << 24) | (0b01 << 16) | 2);
            assertThat(gic.irqOut(0).level()).as("list ignored").isFalse();
            assertThat(rd(c1, GICC_IAR)).isEqualTo(2 | 1 << 10);
        }

        @Test
        void reservedFilterSendsNothing() {
            enableAll();
            wr(d0, GICD_SGIR, (3 << 24) | (0b11 << 16) | 2);
            assertThat(gic.irqOut(0).level()).isFalse();
            assertThat(gic.irqOut(1).level()).isFalse();
            assertThat(events).extracting(TraceEvent::kind).contains("warn");
        }

        @Test
        void sgisFromSeveralSourcesAreTakenOneAtATime() {
            enableAll();
            wr(d0, GICD_SGIR, (0b10 << 16) | 3);
            wr(d1, GICD_SGIR, (SGIR_FILTER_SELF << 24) | 3);
            assertThat(d1.read(GICD_SPENDSGIR + 3, 1)).isEqualTo(0b11);
            assertThat(rd(c1, GICC_IAR)).isEqualTo(3);
            assertThat(d1.read(GICD_SPENDSGIR + 3, 1)).isEqualTo(0b10);
            assertThat(rd(c1, GICC_IAR)).as("active: the other source waits").isEqualTo(INTID_SPURIOUS);
            wr(c1, GICC_EOIR, 3);
            assertThat(rd(c1, GICC_IAR)).isEqualTo(3 | 1 << 10);
            wr(c1, GICC_EOIR, 3 | 1 << 10);
            assertThat(rd(d1, GICD_ISPENDR)).isZero();
        }

        @Test
        void setAndClearPendingSgiRegisters() {
            enableAll();
            assertThat(d0.write(GICD_SPENDSGIR + 9, 1, 0b10)).isTrue();
            assertThat(rd(d0, GICD_SPENDSGIR + 8)).isEqualTo(0b10 << 8);
            assertThat(rd(d0, GICD_CPENDSGIR + 8)).isEqualTo(0b10 << 8);
            assertThat(rd(d1, GICD_SPENDSGIR + 8)).as("banked per target CPU").isZero();
            assertThat(bit(d0, GICD_ISPENDR, 9)).isTrue();
            assertThat(rd(c0, GICC_HPPIR)).isEqualTo(9 | 1 << 10);
            assertThat(d0.write(GICD_CPENDSGIR + 9, 1, 0b10)).isTrue();
            assertThat(bit(d0, GICD_ISPENDR, 9)).isFalse();
            assertThat(gic.irqOut(0).level()).isFalse();
        }
    }

    @Nested
    class Banking {
        @Test
        void ppisAreBankedPerCpu() {
            enableAll();
            enable(d0, 30);
            priority(d0, 30, 0x10);
            priority(d1, 30, 0x20);
            assertThat(d0.read(GICD_IPRIORITYR + 30, 1)).isEqualTo(0x10);
            assertThat(d1.read(GICD_IPRIORITYR + 30, 1)).isEqualTo(0x20);
            assertThat(bit(d1, GICD_ISENABLER, 30)).as("enable is banked").isFalse();
            IrqLine timer0 = new IrqLine("timer0", tracer);
            timer0.connect(gic.ppi(0, 14));
            timer0.raise();
            assertThat(gic.irqOut(0).level()).isTrue();
            assertThat(gic.irqOut(1).level()).isFalse();
            assertThat(bit(d0, GICD_ISPENDR, 30)).isTrue();
            assertThat(bit(d1, GICD_ISPENDR, 30)).isFalse();
            assertThat(rd(c0, GICC_IAR)).isEqualTo(30);
            gic.ppi(1, 14).levelChanged(timer0, true);
            enable(d1, 30);
            assertThat(gic.irqOut(1).level()).isTrue();
            assertThat(rd(c1, GICC_IAR)).isEqualTo(30);
        }

        @Test
        void ppiConfigurationIsBanked() {
            wr(d0, GICD_ICFGR + 4, 0xFFFF_FFFF);
            assertThat(rd(d0, GICD_ICFGR + 4)).isEqualTo(0xAAAA_AAAA);
            assertThat(rd(d1, GICD_ICFGR + 4)).isZero();
        }

        @Test
        void targetsRouteSpisToCpus() {
            enableAll();
            enable(d0, 40);
            priority(d0, 40, 0x80);
            target(40, 0b10);
            setPending(40);
            assertThat(gic.irqOut(1).level()).isTrue();
            assertThat(gic.irqOut(0).level()).isFalse();
            target(40, 0b01);
            assertThat(gic.irqOut(0).level()).isTrue();
            assertThat(gic.irqOut(1).level()).isFalse();
            target(40, 0b11);
            assertThat(gic.irqOut(0).level()).isTrue();
            assertThat(gic.irqOut(1).level()).isTrue();
            assertThat(rd(c1, GICC_IAR)).isEqualTo(40);
            assertThat(gic.irqOut(0).level()).as("1-N: taken by CPU 1").isFalse();
            assertThat(rd(c0, GICC_IAR)).isEqualTo(INTID_SPURIOUS);
            target(40, 0);
            wr(c1, GICC_EOIR, 40);
            setPending(40);
            assertThat(gic.irqOut(0).level() || gic.irqOut(1).level()).as("no target").isFalse();
        }

        @Test
        void currentCpuViews() {
            int[] current = {0};
            MmioDevice dist = gic.distributorFor(() -> current[0]);
            MmioDevice cpu = gic.cpuInterfaceFor(() -> current[0]);
            enableAll();
            current[0] = 1;
            wr(dist, GICD_SGIR, (SGIR_FILTER_SELF << 24) | 1);
            assertThat(rd(cpu, GICC_IAR)).isEqualTo(1 | 1 << 10);
            current[0] = 0;
            assertThat(rd(cpu, GICC_IAR)).isEqualTo(INTID_SPURIOUS);
            assertThat(rd(dist, GICD_ITARGETSR)).isEqualTo(0x0101_0101);
        }
    }

    @Nested
    class CpuInterface {
        @Test
        void group0SignalsFiqWhenFiqEn() {
            enableAll();
            spiReady(40, 0x80);
            setPending(40);
            assertThat(gic.irqOut(0).level()).isTrue();
            wr(c0, GICC_CTLR, GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_ENABLE_GRP1 | GICC_CTLR_FIQ_EN);
            assertThat(gic.fiqOut(0).level()).isTrue();
            assertThat(gic.irqOut(0).level()).isFalse();
            wr(d0, GICD_IGROUPR + 4, 1 << 8);
            assertThat(gic.fiqOut(0).level()).as("group 1 is always IRQ").isFalse();
            assertThat(gic.irqOut(0).level()).isTrue();
            assertThat(events).extracting(TraceEvent::detail).contains("gic.cpu0.fiq", "gic.cpu0.irq");
        }

        @Test
        void group1NeedsAckCtlToBeAcknowledged() {
            enableAll();
            wr(d0, GICD_IGROUPR + 4, 1 << 8);
            spiReady(40, 0x80);
            setPending(40);
            assertThat(rd(c0, GICC_HPPIR)).isEqualTo(INTID_GROUP1_HIDDEN);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(INTID_GROUP1_HIDDEN);
            wr(c0, GICC_CTLR, GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_ENABLE_GRP1 | GICC_CTLR_ACK_CTL);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
            assertThat(rd(c0, GICC_NSAPR + 8)).as("group 1 active priority 0x80: NSAPR2 bit 0").isEqualTo(1);
            assertThat(rd(c0, GICC_APR + 8)).isZero();
        }

        @Test
        void splitEoiAndDeactivate() {
            enableAll();
            wr(c0, GICC_CTLR, GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_ENABLE_GRP1 | GICC_CTLR_EOI_MODE);
            spiReady(40, 0x80);
            setPending(40);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
            wr(c0, GICC_EOIR, 40);
            assertThat(rd(c0, GICC_RPR)).as("priority dropped").isEqualTo(0xFF);
            assertThat(bit(d0, GICD_ISACTIVER, 40)).as("still active").isTrue();
            setPending(40);
            assertThat(gic.irqOut(0).level()).isFalse();
            wr(c0, GICC_DIR, 40);
            assertThat(bit(d0, GICD_ISACTIVER, 40)).isFalse();
            assertThat(gic.irqOut(0).level()).isTrue();
        }

        @Test
        void dirIsIgnoredWithoutEoiMode() {
            enableAll();
            spiReady(40, 0x80);
            setPending(40);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
            wr(c0, GICC_DIR, 40);
            assertThat(bit(d0, GICD_ISACTIVER, 40)).isTrue();
            wr(c0, GICC_EOIR, 40);
            assertThat(bit(d0, GICD_ISACTIVER, 40)).isFalse();
        }

        @Test
        void spuriousAndUnmatchedEoisAreIgnored() {
            enableAll();
            wr(c0, GICC_EOIR, INTID_SPURIOUS);
            wr(c0, GICC_EOIR, 40);
            assertThat(rd(c0, GICC_RPR)).isEqualTo(0xFF);
        }

        @Test
        void controlRegistersKeepOnlyImplementedBits() {
            wr(c0, GICC_CTLR, 0xFFFF_FFFF);
            assertThat(rd(c0, GICC_CTLR)).isEqualTo(0x21F);
            wr(c0, GICC_BPR, 0xFF);
            assertThat(rd(c0, GICC_BPR)).isEqualTo(7);
            wr(c0, GICC_PMR, 0x1AB);
            assertThat(rd(c0, GICC_PMR)).isEqualTo(0xAB);
            wr(d0, GICD_CTLR, 0xFFFF_FFFF);
            assertThat(rd(d0, GICD_CTLR)).isEqualTo(3);
        }

        @Test
        void resetRestoresEverything() {
            enableAll();
            spiReady(40, 0x80);
            setPending(40);
            assertThat(rd(c0, GICC_IAR)).isEqualTo(40);
            gic.reset();
            assertThat(rd(c0, GICC_RPR)).isEqualTo(0xFF);
            assertThat(rd(d0, GICD_ISACTIVER + 4)).isZero();
            assertThat(rd(d0, GICD_IPRIORITYR + 40)).isZero();
            assertThat(rd(c0, GICC_CTLR)).isZero();
        }
    }
}
