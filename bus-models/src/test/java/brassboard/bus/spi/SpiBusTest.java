package brassboard.bus.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpiBusTest {
    /** A slave that records what it sees and answers each word with its complement. */
    static final class Recorder implements SpiSlave {
        final List<String> log = new ArrayList<>();
        boolean mode3Only;

        @Override
        public String name() {
            return "rec";
        }

        @Override
        public boolean supports(SpiMode mode) {
            return mode3Only ? mode == SpiMode.MODE3 : SpiSlave.super.supports(mode);
        }

        @Override
        public void select() {
            log.add("select");
        }

        @Override
        public int exchange(int mosi, int bits) {
            log.add(Integer.toHexString(mosi));
            return ~mosi;
        }

        @Override
        public void deselect() {
            log.add("deselect");
        }
    }

    private final Recorder rec = new Recorder();
    private final FaultPoints faults = new FaultPoints();
    private SpiBus bus;
    private FaultPoint point;

    @BeforeEach
    void setUp() {
        bus = new SpiBus("spi0", Tracer.none());
        bus.attach(1, rec);
        point = bus.declareFaultPoint(faults);
    }

    @Test
    void wordsGoBothWaysOnTheSelectedChipSelect() {
        bus.select(1);
        assertThat(bus.transfer(0x9F, 8)).isEqualTo(0x60);
        assertThat(bus.transfer(0x1234, 16)).isEqualTo(0xEDCB);
        bus.deselect();
        assertThat(rec.log).containsExactly("select", "9f", "1234", "deselect");
    }

    @Test
    void anEmptyChipSelectOrNoneFloatsHigh() {
        bus.select(0);
        assertThat(bus.transfer(0x00, 8)).isEqualTo(0xFF);
        bus.deselect();
        assertThat(bus.transfer(0x00, 12)).isEqualTo(0xFFF);
        assertThat(rec.log).isEmpty();
    }

    @Test
    void selectingAnotherChipSelectReleasesTheFirst() {
        bus.select(1);
        bus.select(2);
        assertThat(rec.log).containsExactly("select", "deselect");
        assertThat(bus.selected()).isEqualTo(2);
    }

    @Test
    void aSlaveInAModeItDoesNotSupportSeesGarbledWords() {
        rec.mode3Only = true;
        bus.configure(SpiMode.MODE0, 1_000_000);
        bus.select(1);
        assertThat(bus.transfer(0x03, 8)).isNotEqualTo(0xFC);
        bus.transfer(0x80, 8);
        bus.deselect();
        // one edge late: 0x03 arrives as 0x01 (the first bit lost), 0x80 as 0xC0 (0x03's last bit in front)
        assertThat(rec.log).containsExactly("select", "1", "c0", "deselect");
    }

    @Test
    void chipSelectsAreCheckedWhenAttached() {
        assertThatThrownBy(() -> bus.attach(1, rec)).hasMessage("spi0: chip select 1 already has rec");
        assertThatThrownBy(() -> bus.attach(32, rec)).hasMessage("spi0: chip select 32 is out of range 0-31");
    }

    @Test
    void thePointIsDeclaredWithItsActionsFiltersAndKinds() {
        assertThat(point.name()).isEqualTo("spi.spi0.transfer");
        assertThat(point.actions()).containsExactly("flip", "set", "clear", "replace", "drop", "delay");
        assertThat(point.filters()).containsExactly("address", "data", "kind");
        assertThat(point.kinds()).containsExactly("mosi", "miso", "select");
    }

    @Test
    void aMisoBitFlipReachesOnlyTheController() {
        faults.arm(point, (p, site) -> {
            if (site.kind.equals("miso")) {
                site.value ^= 0x01;
            }
        });
        bus.select(1);
        assertThat(bus.transfer(0xF0, 8)).isEqualTo(0x0E);
        assertThat(rec.log).contains("f0");
    }

    @Test
    void aMosiBitFlipReachesTheSlave() {
        faults.arm(point, (p, site) -> {
            if (site.kind.equals("mosi")) {
                assertThat(site.address).isEqualTo(1);
                assertThat(site.size).isEqualTo(1);
                site.value ^= 0x80;
            }
        });
        bus.select(1);
        bus.transfer(0x03, 8);
        assertThat(rec.log).containsExactly("select", "83");
    }

    @Test
    void aStuckMisoLineReadsAllZerosOrAllOnes() {
        faults.arm(point, (p, site) -> {
            if (site.kind.equals("miso")) {
                site.value = 0;
            }
        });
        bus.select(1);
        assertThat(bus.transfer(0x00, 8)).isZero();
        faults.arm(point, (p, site) -> {
            if (site.kind.equals("miso")) {
                site.value |= 0xFFFF;
            }
        });
        assertThat(bus.transfer(0xFF, 8)).isEqualTo(0xFF);
    }

    @Test
    void aChipSelectThatDoesNotAssertLeavesTheSlaveUntouchedAndMisoHigh() {
        faults.arm(point, (p, site) -> site.dropped = site.kind.equals("select"));
        bus.select(1);
        assertThat(bus.transfer(0x9F, 8)).isEqualTo(0xFF);
        bus.deselect();
        assertThat(rec.log).isEmpty();
    }

    @Test
    void aMissingResponseFloatsHighButTheSlaveGotTheWord() {
        faults.arm(point, (p, site) -> site.dropped = site.kind.equals("miso"));
        bus.select(1);
        assertThat(bus.transfer(0x05, 8)).isEqualTo(0xFF);
        assertThat(rec.log).containsExactly("select", "5");
    }

    @Test
    void aDroppedMosiWordNeverClocksTheSlave() {
        faults.arm(point, (p, site) -> site.dropped = site.kind.equals("mosi"));
        bus.select(1);
        assertThat(bus.transfer(0x05, 8)).isEqualTo(0xFF);
        assertThat(rec.log).containsExactly("select");
    }

    @Test
    void aLateResponseIsReportedToTheController() {
        faults.arm(point, (p, site) -> {
            if (site.kind.equals("miso")) {
                site.delayNs += 5_000;
            }
        });
        bus.select(1);
        bus.transfer(0x05, 8);
        assertThat(bus.lastDelayNs()).isEqualTo(5_000);
        faults.arm(point, null);
        bus.transfer(0x05, 8);
        assertThat(bus.lastDelayNs()).isZero();
    }
}
