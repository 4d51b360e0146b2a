package brassboard.devices.wifi;

import static brassboard.devices.wifi.RfTransceiver.*;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.FaultSite;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RF transceiver at its pins: the AD9361-style SPI protocol, synthesizer lock timing, calibration, reset and faults. */
class RfTransceiverTest {
    private final Scheduler scheduler = new Scheduler();
    private final FaultPoints faults = new FaultPoints();
    private final RfTransceiver rf = new RfTransceiver("rf0", scheduler, new Tracer(scheduler), faults);
    private final List<String> pins = new ArrayList<>();

    RfTransceiverTest() {
        rf.connect(new RfTransceiver.Pins() {
            @Override
            public void lockChanged(boolean rx, boolean locked) {
                pins.add((rx ? "rx" : "tx") + (locked ? " lock" : " unlock") + " @" + scheduler.now());
            }

            @Override
            public void calibrationFinished(boolean failed) {
                pins.add((failed ? "cal fail" : "cal done") + " @" + scheduler.now());
            }
        });
    }

    /** One transaction in 8-bit words; returns what came back on MISO. */
    private int[] transaction(int... words) {
        rf.select();
        int[] miso = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            miso[i] = rf.exchange(words[i], 8);
        }
        rf.deselect();
        return miso;
    }

    private int read(int reg) {
        return transaction(reg >>> 8, reg & 0xFF, 0)[2];
    }

    private void write(int reg, int... data) {
        int instr = 0x8000 | (data.length - 1) << 12 | reg;
        int[] words = new int[data.length + 2];
        words[0] = instr >>> 8;
        words[1] = instr & 0xFF;
        for (int i = 0; i < data.length; i++) {
            words[i + 2] = data[i];
        }
        transaction(words);
    }

    private void program(boolean rx, int channel) {
        int[] w = WifiChannels.synthesizerWord(channel);
        write((rx ? RX_INTEGER_BYTE_0 : TX_INTEGER_BYTE_0) + 4, w[5], w[4], w[3], w[2], w[1]);
    }

    @Test
    void productIdReadsBackAndMisoIsHighDuringTheInstruction() {
        int[] miso = transaction(0x00, PRODUCT_ID, 0x00);
        assertThat(miso).containsExactly(0xFF, 0xFF, PRODUCT_ID_VALUE);
    }

    @Test
    void multiByteWritesDecrementTheAddressAndAnyWordSizeCarriesTheSameBits() {
        write(0x235, 0x11, 0x22, 0x33, 0x44, 0x55);
        assertThat(rf.peek(0x235)).isEqualTo(0x11 & 0x7F);
        assertThat(rf.peek(0x234)).isEqualTo(0x22);
        assertThat(rf.peek(0x231)).isEqualTo(0x55);
        // one 24-bit word: write 0x109 = 0x2a
        rf.select();
        rf.exchange(0x8109 << 8 | 0x2A, 24);
        rf.deselect();
        assertThat(rf.peek(RX1_MANUAL_LMT_FULL_GAIN)).isEqualTo(0x2A);
        // a multi-byte read: 0x235 then 0x234 in one 32-bit word after a 16-bit instruction
        rf.select();
        rf.exchange(0x1235, 16);
        int two = rf.exchange(0, 16);
        rf.deselect();
        assertThat(two).isEqualTo((0x11 & 0x7F) << 8 | 0x22);
    }

    @Test
    void readOnlyAndUndeclaredRegistersIgnoreWrites() {
        write(PRODUCT_ID, 0x00);
        write(0x123, 0x77);
        assertThat(read(PRODUCT_ID)).isEqualTo(PRODUCT_ID_VALUE);
        assertThat(read(0x123)).isZero();
    }

    @Test
    void synthesizerLocks40usAfterTheProgrammingTransactionOnTheChannelFrequency() {
        program(true, 6);
        assertThat(read(RX_CP_OVERRANGE_VCO_LOCK) & VCO_LOCK).isZero();
        scheduler.step(LOCK_TIME_NS - 1);
        assertThat(rf.rxLocked()).isFalse();
        scheduler.step(1);
        assertThat(read(RX_CP_OVERRANGE_VCO_LOCK)).isEqualTo(VCO_LOCK);
        assertThat(rf.rxTunedTo(2_437_000_000L, 10)).isTrue();
        assertThat(rf.rxTunedTo(2_442_000_000L, 100_000)).isFalse();
        assertThat(rf.txLocked()).isFalse();
        assertThat(pins).containsExactly("rx lock @40000");
    }

    @Test
    void everyChannelTunesWithinAFewHertz() {
        for (int ch : new int[] {1, 2, 6, 11, 13, 14, 36, 64, 100, 144, 149, 165}) {
            rf.reset();
            int[] w = WifiChannels.synthesizerWord(ch);
            write(RFPLL_DIVIDERS, w[0] << 4 | w[0]);
            program(true, ch);
            scheduler.step(LOCK_TIME_NS);
            assertThat(rf.rxTunedTo(WifiChannels.frequencyHz(ch), 10)).as("channel %d: LO %d", ch, rf.rxFrequencyHz()).isTrue();
        }
    }

    @Test
    void aVcoOutsideSixToTwelveGigahertzNeverLocks() {
        write(RX_INTEGER_BYTE_0 + 4, 0, 0, 0, 0, 100); // N = 100: 4 GHz
        scheduler.step(1_000_000);
        assertThat(read(RX_CP_OVERRANGE_VCO_LOCK)).isEqualTo(CP_OVRG_LOW);
        write(RX_INTEGER_BYTE_0 + 4, 0, 0, 0, 1, 0x2C); // N = 300: 12 GHz + ...
        write(RX_INTEGER_BYTE_0 + 2, 1);
        scheduler.step(1_000_000);
        assertThat(read(RX_CP_OVERRANGE_VCO_LOCK)).isEqualTo(CP_OVRG_HIGH);
        assertThat(pins).isEmpty();
    }

    @Test
    void reprogrammingLosesLockAtOnceAndLocksAgain() {
        program(true, 1);
        scheduler.step(LOCK_TIME_NS);
        program(true, 11);
        assertThat(rf.rxLocked()).isFalse();
        scheduler.step(LOCK_TIME_NS);
        assertThat(rf.rxTunedTo(2_462_000_000L, 10)).isTrue();
        assertThat(pins).containsExactly("rx lock @40000", "rx unlock @40000", "rx lock @80000");
    }

    @Test
    void calibrationBitsClearOneAfterAnotherAndRxQuadMarksTheReceiverCalibrated() {
        program(true, 6);
        program(false, 6);
        scheduler.step(LOCK_TIME_NS);
        write(CALIBRATION_CTRL, RX_QUAD | TX_QUAD);
        assertThat(rf.calibrating()).isTrue();
        scheduler.step(CALIBRATION_TIME_NS);
        assertThat(read(CALIBRATION_CTRL)).isEqualTo(RX_QUAD); // TX_QUAD (bit 4) first
        assertThat(rf.rxCalibrated()).isFalse();
        scheduler.step(CALIBRATION_TIME_NS);
        assertThat(read(CALIBRATION_CTRL)).isZero();
        assertThat(rf.rxCalibrated()).isTrue();
        assertThat(read(CAL_FAILED)).isZero();
        assertThat(pins).contains("cal done @240000");
        program(true, 6); // a relock needs a new calibration
        scheduler.step(LOCK_TIME_NS);
        assertThat(rf.rxLocked()).isTrue();
        assertThat(rf.rxCalibrated()).isFalse();
    }

    @Test
    void aCalibrationWithoutLockFails() {
        write(CALIBRATION_CTRL, RX_QUAD);
        scheduler.step(CALIBRATION_TIME_NS);
        assertThat(read(CAL_FAILED)).isEqualTo(RX_QUAD);
        assertThat(pins).containsExactly("cal fail @100000");
    }

    @Test
    void softResetRestoresEveryRegisterAndDropsLock() {
        program(true, 6);
        scheduler.step(LOCK_TIME_NS);
        write(RX1_MANUAL_LMT_FULL_GAIN, 0x30);
        write(SPI_CONF, SOFT_RESET);
        write(RX1_MANUAL_LMT_FULL_GAIN, 0x31); // held in reset
        write(SPI_CONF, 0);
        assertThat(read(RX1_MANUAL_LMT_FULL_GAIN)).isZero();
        assertThat(read(RFPLL_DIVIDERS)).isEqualTo(0x11);
        assertThat(rf.rxLocked()).isFalse();
        assertThat(pins).endsWith("rx unlock @40000");
    }

    @Test
    void pllUnlockFaultLosesLockUntilTheSynthesizerIsProgrammedAgain() {
        program(true, 6);
        program(false, 6);
        scheduler.step(LOCK_TIME_NS);
        FaultSite s = new FaultSite();
        s.access(-1, 0, -1, false, 0).action = PLL_UNLOCK;
        faults.find("rf.rf0").orElseThrow().perform(s);
        assertThat(s.previous).isEqualTo(3);
        assertThat(rf.rxLocked()).isFalse();
        assertThat(rf.txLocked()).isFalse();
        scheduler.step(10 * LOCK_TIME_NS);
        assertThat(rf.rxLocked()).isFalse();
        program(true, 6);
        scheduler.step(LOCK_TIME_NS);
        assertThat(rf.rxLocked()).isTrue();
        assertThat(rf.txLocked()).isFalse();
    }

    @Test
    void garbageAndCalibrationFailFaultsActOnTheirKindOfOccurrence() {
        var point = faults.find("rf.rf0").orElseThrow();
        List<String> seen = new ArrayList<>();
        faults.arm(point, (p, site) -> {
            seen.add(site.kind + " 0x" + Long.toHexString(site.address));
            if (site.kind.equals("read") && site.address == PRODUCT_ID) {
                site.value = 0xA5;
                site.action = GARBAGE;
            }
            if (site.kind.equals("calibrate")) {
                site.action = CALIBRATION_FAIL;
            }
        });
        assertThat(read(PRODUCT_ID)).isEqualTo(0xA5);
        assertThat(read(RFPLL_DIVIDERS)).isEqualTo(0x11);
        program(true, 6);
        scheduler.step(LOCK_TIME_NS);
        write(CALIBRATION_CTRL, RX_QUAD);
        scheduler.step(CALIBRATION_TIME_NS);
        assertThat(rf.peek(CAL_FAILED)).isEqualTo(RX_QUAD);
        assertThat(rf.rxCalibrated()).isFalse();
        assertThat(seen).containsExactly("read 0x37", "read 0x5", "calibrate 0x20");
    }
}
