package brassboard.devices.rtc;

import static brassboard.devices.rtc.Pl031.*;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Register-level tests of the PL031 with virtual time stepped. */
class Pl031Test {
    private static final long EPOCH = 1_767_225_600L; // 2026-01-01T00:00:00Z
    private static final long SECOND = 1_000_000_000L;

    private final Scheduler scheduler = new Scheduler();
    private final Tracer tracer = new Tracer(scheduler);
    private final List<String> warnings = new ArrayList<>();
    private final Pl031 rtc;

    Pl031Test() {
        tracer.setWarningListener(warnings::add);
        rtc = new Pl031("rtc", scheduler, tracer, EPOCH);
    }

    private long read(int offset) {
        return rtc.mmio().read(offset, 4);
    }

    private void write(int offset, long value) {
        rtc.mmio().write(offset, 4, value);
    }

    @Test
    void resetValuesAndIdentification() {
        assertThat(read(RTCDR)).isEqualTo(EPOCH);
        assertThat(read(RTCMR)).isZero();
        assertThat(read(RTCLR)).isZero();
        assertThat(read(RTCCR)).isEqualTo(CR_START);
        assertThat(read(RTCIMSC)).isZero();
        assertThat(read(RTCRIS)).isZero();
        assertThat(read(RTCMIS)).isZero();
        assertThat(read(RTCICR)).isZero();
        long[] ids = {0x31, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
        for (int i = 0; i < ids.length; i++) {
            assertThat(read(0xFE0 + 4 * i)).as("ID register at 0x%03x", 0xFE0 + 4 * i).isEqualTo(ids[i]);
        }
        assertThat(rtc.irq().name()).isEqualTo("rtc");
        assertThat(scheduler.hasPendingEvents()).as("no alarm before RTCMR is written").isFalse();
        assertThat(warnings).isEmpty();
    }

    @Test
    void counterAdvancesWithVirtualTime() {
        scheduler.step(SECOND - 1);
        assertThat(read(RTCDR)).isEqualTo(EPOCH);
        scheduler.step(1);
        assertThat(read(RTCDR)).isEqualTo(EPOCH + 1);
        scheduler.step(3600 * SECOND);
        assertThat(read(RTCDR)).isEqualTo(EPOCH + 3601);
        write(RTCDR, 0); // read-only
        assertThat(read(RTCDR)).isEqualTo(EPOCH + 3601);
    }

    @Test
    void loadSetsTheCounterWithoutRestartingTheSecondTick() {
        scheduler.step(SECOND / 2);
        write(RTCLR, 1000);
        assertThat(read(RTCDR)).isEqualTo(1000);
        assertThat(read(RTCLR)).isEqualTo(1000);
        scheduler.step(SECOND / 2);
        assertThat(read(RTCDR)).isEqualTo(1001);
    }

    @Test
    void matchInterruptFiresAtTheRightSecondAndClearsViaIcr() {
        write(RTCIMSC, INT_RTC);
        scheduler.step(SECOND / 4);
        write(RTCMR, EPOCH + 5);
        scheduler.advanceTo(5 * SECOND - 1);
        assertThat(read(RTCRIS)).isZero();
        assertThat(rtc.irq().level()).isFalse();
        scheduler.step(1);
        assertThat(read(RTCDR)).isEqualTo(EPOCH + 5);
        assertThat(read(RTCRIS)).isEqualTo(INT_RTC);
        assertThat(read(RTCMIS)).isEqualTo(INT_RTC);
        assertThat(rtc.irq().level()).isTrue();
        write(RTCICR, INT_RTC);
        assertThat(read(RTCRIS)).isZero();
        assertThat(read(RTCMIS)).isZero();
        assertThat(rtc.irq().level()).isFalse();
    }

    @Test
    void maskedMatchSetsOnlyTheRawStatus() {
        write(RTCMR, EPOCH + 2);
        scheduler.step(2 * SECOND);
        assertThat(read(RTCRIS)).isEqualTo(INT_RTC);
        assertThat(read(RTCMIS)).isZero();
        assertThat(rtc.irq().level()).isFalse();
        write(RTCIMSC, INT_RTC);
        assertThat(rtc.irq().level()).isTrue();
    }

    @Test
    void matchingTheCurrentValueFiresAtOnceAndLoadRearms() {
        write(RTCMR, EPOCH);
        assertThat(read(RTCRIS)).isEqualTo(INT_RTC);
        write(RTCICR, INT_RTC);
        write(RTCMR, 500);
        write(RTCLR, 498);
        scheduler.step(2 * SECOND - 1);
        assertThat(read(RTCRIS)).isZero();
        scheduler.step(1);
        assertThat(read(RTCRIS)).isEqualTo(INT_RTC);
    }

    @Test
    void controlWritesAreIgnoredAndResetKeepsTheCount() {
        write(RTCCR, 0);
        assertThat(read(RTCCR)).isEqualTo(CR_START);
        write(RTCIMSC, INT_RTC);
        write(RTCMR, EPOCH + 10);
        scheduler.step(3 * SECOND);
        rtc.reset();
        assertThat(read(RTCDR)).isEqualTo(EPOCH + 3);
        assertThat(read(RTCMR)).isZero();
        assertThat(read(RTCIMSC)).isZero();
        assertThat(scheduler.hasPendingEvents()).isFalse();
    }
}
