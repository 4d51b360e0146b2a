package brassboard.arm.timer;

import static brassboard.arm.timer.Sp804.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.TraceEvent;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** SP804 dual timer (ARM DDI 0271) at the register level, virtual time stepped; 1 MHz clock: one tick per microsecond. */
class Sp804Test {
    private static final long US = 1000;
    private static final int RUN32 = CTRL_ENABLE | CTRL_SIZE_32 | CTRL_INT_ENABLE;
    private static final int PERIODIC = RUN32 | CTRL_PERIODIC;
    private static final int ONESHOT = RUN32 | CTRL_ONESHOT;

    private final Scheduler scheduler = new Scheduler();
    private final Tracer tracer = new Tracer(scheduler);
    private final List<TraceEvent> events = new ArrayList<>();
    private final Sp804 sp804 = new Sp804("timer01", scheduler, tracer, 1_000_000);
    private final MmioDevice mmio = sp804.mmio();

    Sp804Test() {
        tracer.addSink(events::add);
    }

    private int rd(int offset) {
        return (int) mmio.read(offset, 4);
    }

    private void wr(int offset, int value) {
        assertThat(mmio.write(offset, 4, value & 0xFFFF_FFFFL)).isTrue();
    }

    private List<Long> fireTimes() {
        return events.stream().filter(e -> e.kind().equals("timer.fire")).map(TraceEvent::timeNs).toList();
    }

    @Nested
    class Registers {
        @Test
        void resetValues() {
            for (int base : new int[] {TIMER1_BASE, TIMER2_BASE}) {
                assertThat(rd(base + LOAD)).isZero();
                assertThat(rd(base + VALUE)).isEqualTo(0xFFFF_FFFF);
                assertThat(rd(base + CONTROL)).isEqualTo(0x20);
                assertThat(rd(base + RIS)).isZero();
                assertThat(rd(base + MIS)).isZero();
                assertThat(rd(base + BGLOAD)).isZero();
                assertThat(rd(base + INTCLR)).as("write-only").isZero();
            }
            assertThat(rd(TIMER_ITCR)).isZero();
            assertThat(scheduler.hasPendingEvents()).isFalse();
        }

        @Test
        void primeCellIdentification() {
            int[] ids = new int[8];
            for (int i = 0; i < 8; i++) {
                ids[i] = rd(PERIPH_ID0 + 4 * i);
            }
            assertThat(ids).containsExactly(0x04, 0x18, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1);
            int part = ids[0] | (ids[1] & 0xF) << 8;
            assertThat(part).isEqualTo(0x804);
        }

        @Test
        void controlKeepsItsFieldsOnly() {
            wr(CONTROL, 0xFFFF_FFFF);
            assertThat(rd(CONTROL)).as("bit 4 and 31:8 reserved").isEqualTo(0xEF);
        }

        @Test
        void valueIsReadOnly() {
            wr(LOAD, 1234);
            wr(VALUE, 99);
            assertThat(rd(VALUE)).isEqualTo(1234);
        }

        @Test
        void loadWhileDisabledSetsTheValueWhichStays() {
            wr(LOAD, 500);
            scheduler.step(1_000 * US);
            assertThat(rd(VALUE)).isEqualTo(500);
            assertThat(rd(LOAD)).isEqualTo(500);
            assertThat(rd(BGLOAD)).isEqualTo(500);
        }

        @Test
        void timersAreIndependent() {
            wr(TIMER2_BASE + LOAD, 7);
            assertThat(rd(TIMER1_BASE + LOAD)).isZero();
            assertThat(sp804.value(2)).isEqualTo(7);
            assertThat(sp804.value(1)).isEqualTo(0xFFFF_FFFF);
        }
    }

    @Nested
    class Modes {
        @Test
        void periodicReloadsLoadPlusOneTicksApart() {
            wr(LOAD, 100);
            wr(CONTROL, PERIODIC);
            scheduler.step(50 * US);
            assertThat(rd(VALUE)).isEqualTo(50);
            scheduler.step(50 * US - 1);
            assertThat(rd(RIS)).isZero();
            scheduler.step(1);
            assertThat(rd(VALUE)).isZero();
            assertThat(rd(RIS)).isEqualTo(1);
            assertThat(rd(MIS)).isEqualTo(1);
            assertThat(sp804.irq(1).level()).isTrue();
            assertThat(sp804.combinedIrq().level()).isTrue();
            scheduler.step(US);
            assertThat(rd(VALUE)).as("reloaded").isEqualTo(100);
            wr(INTCLR, 0);
            assertThat(sp804.irq(1).level()).isFalse();
            assertThat(rd(RIS)).isZero();
            scheduler.advanceTo(1000 * US);
            assertThat(fireTimes()).containsExactly(100 * US, 201 * US, 302 * US, 403 * US, 504 * US, 605 * US,
                    706 * US, 807 * US, 908 * US);
            assertThat(scheduler.nextEventTime()).as("one event per expiry").isEqualTo(1009 * US);
        }

        @Test
        void freeRunningWrapsToTheTopOf32Bits() {
            wr(LOAD, 10);
            wr(CONTROL, RUN32);
            scheduler.step(10 * US);
            assertThat(rd(RIS)).isEqualTo(1);
            scheduler.step(US);
            assertThat(rd(VALUE)).isEqualTo(0xFFFF_FFFF);
            wr(INTCLR, 1);
            long nextZero = (10 + (1L << 32)) * US;
            assertThat(scheduler.nextEventTime()).isEqualTo(nextZero);
            scheduler.advanceTo(nextZero - 1);
            assertThat(rd(RIS)).isZero();
            assertThat(rd(VALUE)).isEqualTo(1);
            scheduler.advanceTo(nextZero);
            assertThat(rd(RIS)).isEqualTo(1);
        }

        @Test
        void freeRunning16BitWrapsTo0xFFFF() {
            wr(LOAD, 0x12_0005);
            wr(CONTROL, CTRL_ENABLE | CTRL_INT_ENABLE);
            assertThat(rd(VALUE)).as("the low 16 bits count, the high half holds").isEqualTo(0x12_0005);
            scheduler.step(6 * US);
            assertThat(rd(VALUE)).isEqualTo(0x12_FFFF);
            assertThat(fireTimes()).containsExactly(5 * US);
            assertThat(scheduler.nextEventTime()).isEqualTo((5 + 0x10000) * US);
        }

        @Test
        void loadBeforeSwitchingTo32BitsKeepsAll32Bits() {
            // Linux's sp804 clocksource: Control 0, Load 0xFFFFFFFF, then Control 32-bit | periodic | enable.
            wr(CONTROL, 0);
            wr(LOAD, 0xFFFF_FFFF);
            wr(CONTROL, CTRL_SIZE_32 | CTRL_PERIODIC | CTRL_ENABLE);
            scheduler.step(10 * US);
            assertThat(rd(VALUE)).isEqualTo(0xFFFF_FFF5);
        }

        @Test
        void periodic16BitUsesTheLow16BitsOfLoad() {
            wr(LOAD, 0x1_0003);
            wr(CONTROL, CTRL_ENABLE | CTRL_PERIODIC);
            scheduler.step(20 * US);
            assertThat(fireTimes()).containsExactly(3 * US, 7 * US, 11 * US, 15 * US, 19 * US);
            assertThat(rd(LOAD)).as("Load reads as written").isEqualTo(0x1_0003);
        }

        @Test
        void oneShotStopsAtZero() {
            wr(LOAD, 5);
            wr(CONTROL, ONESHOT | CTRL_PERIODIC);
            scheduler.step(5 * US);
            assertThat(rd(RIS)).isEqualTo(1);
            scheduler.step(1000 * US);
            assertThat(rd(VALUE)).isZero();
            assertThat(scheduler.hasPendingEvents()).isFalse();
            assertThat(rd(CONTROL) & CTRL_ENABLE).as("stays enabled").isNotZero();
            wr(INTCLR, 0);
            wr(LOAD, 3); // re-arms
            scheduler.step(3 * US);
            assertThat(rd(RIS)).isEqualTo(1);
            assertThat(fireTimes()).containsExactly(5 * US, 1008 * US);
        }

        @Test
        void prescalerDividesBy16And256() {
            wr(LOAD, 10);
            wr(CONTROL, RUN32 | CTRL_ONESHOT | CTRL_PRESCALE_16);
            scheduler.step(16 * US);
            assertThat(rd(VALUE)).isEqualTo(9);
            scheduler.step(144 * US);
            assertThat(fireTimes()).containsExactly(160 * US);

            wr(TIMER2_BASE + LOAD, 2);
            wr(TIMER2_BASE + CONTROL, RUN32 | CTRL_ONESHOT | CTRL_PRESCALE_256);
            scheduler.step(512 * US);
            assertThat(sp804.irq(2).level()).isTrue();
            assertThat(fireTimes()).containsExactly(160 * US, 672 * US);
        }

        @Test
        void nonIntegralTickLengthsStayExact() {
            Sp804 three = new Sp804("t3", scheduler, tracer, 3_000_000); // 333.3 ns per tick
            three.mmio().write(LOAD, 4, 3);
            three.mmio().write(CONTROL, 4, PERIODIC);
            scheduler.step(999);
            assertThat(three.value(1)).isEqualTo(1);
            scheduler.advanceTo(3_000_000); // 9000 ticks: zeros at ticks 3, 7, 11, ...: 2250 of them
            assertThat(fireTimes()).hasSize(2250).startsWith(1000L, 2334L, 3667L, 5000L);
            assertThat(fireTimes().get(2249)).as("tick 8999 = 2999666.67 ns").isEqualTo(2_999_667L);
        }
    }

    @Nested
    class Programming {
        @Test
        void bgLoadChangesOnlyTheReloadValue() {
            wr(LOAD, 100);
            wr(CONTROL, PERIODIC);
            scheduler.step(30 * US);
            wr(BGLOAD, 10);
            assertThat(rd(VALUE)).isEqualTo(70);
            assertThat(rd(LOAD)).isEqualTo(10);
            scheduler.step(70 * US);
            assertThat(rd(RIS)).isEqualTo(1);
            scheduler.step(US);
            assertThat(rd(VALUE)).isEqualTo(10);
            scheduler.advanceTo(150 * US);
            assertThat(fireTimes()).containsExactly(100 * US, 111 * US, 122 * US, 133 * US, 144 * US);
        }

        @Test
        void bgLoadMidTickKeepsTheTickPhase() {
            wr(LOAD, 100);
            wr(CONTROL, PERIODIC);
            scheduler.step(30 * US + 500);
            wr(BGLOAD, 10);
            assertThat(scheduler.nextEventTime()).isEqualTo(100 * US);
        }

        @Test
        void loadReloadsTheCounterAtOnce() {
            wr(LOAD, 100);
            wr(CONTROL, PERIODIC);
            scheduler.step(30 * US);
            wr(LOAD, 40);
            assertThat(rd(VALUE)).isEqualTo(40);
            scheduler.step(39 * US);
            assertThat(rd(RIS)).isZero();
            scheduler.step(US);
            assertThat(rd(RIS)).isEqualTo(1);
            assertThat(fireTimes()).containsExactly(70 * US);
        }

        @Test
        void controlWritesKeepTheCount() {
            wr(LOAD, 100);
            wr(CONTROL, PERIODIC);
            scheduler.step(30 * US);
            wr(CONTROL, PERIODIC & ~CTRL_INT_ENABLE);
            assertThat(rd(VALUE)).isEqualTo(70);
            scheduler.step(70 * US);
            assertThat(rd(RIS)).isEqualTo(1);
            assertThat(rd(MIS)).as("IntEnable off").isZero();
            assertThat(sp804.irq(1).level()).isFalse();
            wr(CONTROL, PERIODIC);
            assertThat(sp804.irq(1).level()).as("IntEnable on: pending RIS shows").isTrue();
        }

        @Test
        void disablingPausesTheCounter() {
            wr(LOAD, 100);
            wr(CONTROL, PERIODIC);
            scheduler.step(30 * US);
            wr(CONTROL, PERIODIC & ~CTRL_ENABLE);
            assertThat(scheduler.hasPendingEvents()).isFalse();
            scheduler.step(1000 * US);
            assertThat(rd(VALUE)).isEqualTo(70);
            wr(CONTROL, PERIODIC);
            scheduler.step(70 * US);
            assertThat(fireTimes()).containsExactly(1100 * US);
        }

        @Test
        void combinedLineIsTheOrOfBothTimers() {
            wr(TIMER1_BASE + LOAD, 10);
            wr(TIMER1_BASE + CONTROL, ONESHOT);
            wr(TIMER2_BASE + LOAD, 20);
            wr(TIMER2_BASE + CONTROL, ONESHOT);
            scheduler.step(10 * US);
            assertThat(sp804.irq(1).level()).isTrue();
            assertThat(sp804.irq(2).level()).isFalse();
            assertThat(sp804.combinedIrq().level()).isTrue();
            scheduler.step(10 * US);
            wr(TIMER1_BASE + INTCLR, 0);
            assertThat(sp804.combinedIrq().level()).as("timer 2 still pending").isTrue();
            wr(TIMER2_BASE + INTCLR, 0);
            assertThat(sp804.combinedIrq().level()).isFalse();
            assertThat(List.of(sp804.irq(1).name(), sp804.irq(2).name(), sp804.combinedIrq().name()))
                    .containsExactly("timer01.timint1", "timer01.timint2", "timer01");
        }

        @Test
        void aZeroInsideACpuQuantumIsSeenAtTheNextAccess() {
            wr(LOAD, 100);
            wr(CONTROL, PERIODIC);
            scheduler.beginQuantum(() -> 150 * US); // the CPU ran past the zero at 100 us
            try {
                assertThat(rd(RIS)).as("noticed at the access, at 150 us").isEqualTo(1);
                assertThat(rd(VALUE)).isEqualTo(51);
                wr(INTCLR, 0);
            } finally {
                scheduler.endQuantum();
            }
            scheduler.advanceTo(150 * US);
            assertThat(rd(RIS)).as("the overdue event does not set RIS again").isZero();
            assertThat(fireTimes()).containsExactly(150 * US);
            assertThat(scheduler.nextEventTime()).as("the next zero keeps the tick grid").isEqualTo(201 * US);
        }

        @Test
        void resetStopsEverything() {
            wr(LOAD, 10);
            wr(CONTROL, PERIODIC);
            scheduler.step(10 * US);
            assertThat(sp804.combinedIrq().level()).isTrue();
            sp804.reset();
            assertThat(sp804.combinedIrq().level()).isFalse();
            assertThat(scheduler.hasPendingEvents()).isFalse();
            assertThat(rd(VALUE)).isEqualTo(0xFFFF_FFFF);
            assertThat(rd(CONTROL)).isEqualTo(CONTROL_RESET);
        }

        @Test
        void clockMustBeSane() {
            assertThatThrownBy(() -> new Sp804("bad", scheduler, tracer, 0)).hasMessageContaining("1 Hz to 1 GHz");
            assertThatThrownBy(() -> sp804.irq(3)).hasMessageContaining("timers 1 and 2");
        }
    }
}
