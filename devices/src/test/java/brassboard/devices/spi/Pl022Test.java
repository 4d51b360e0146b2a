package brassboard.devices.spi;

import static brassboard.devices.spi.Pl022.*;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.spi.SpiBus;
import brassboard.bus.spi.SpiMode;
import brassboard.bus.spi.SpiSlave;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Register-level tests of the PL022 with virtual time stepped. */
class Pl022Test {
    /** CPSDVSR 12, SCR 1: 24 MHz / (12 × 2) = 1 MHz, so an 8-bit frame takes 8 us. */
    private static final int CPSDVSR_1MHZ = 12;
    private static final int CR0_8BIT_SCR1 = 7 | (1 << CR0_SCR_SHIFT);
    private static final long FRAME_NS = 8_000;

    private final Scheduler scheduler = new Scheduler();
    private final Tracer tracer = new Tracer(scheduler);
    private final List<String> warnings = new ArrayList<>();
    private final SpiBus bus = new SpiBus("spi0", tracer);
    private final List<String> seen = new ArrayList<>();
    private final Pl022 ssp;

    Pl022Test() {
        tracer.setWarningListener(warnings::add);
        bus.attach(0, new SpiSlave() {
            @Override
            public String name() {
                return "echo";
            }

            @Override
            public void select() {
                seen.add("select@" + scheduler.now());
            }

            @Override
            public int exchange(int mosi, int bits) {
                seen.add(Integer.toHexString(mosi) + "@" + scheduler.now());
                return (mosi + 1) & ((1 << bits) - 1);
            }

            @Override
            public void deselect() {
                seen.add("deselect@" + scheduler.now());
            }
        });
        ssp = new Pl022("spi0", scheduler, tracer, bus);
    }

    private long read(int offset) {
        return ssp.mmio().read(offset, 4);
    }

    private void write(int offset, long value) {
        ssp.mmio().write(offset, 4, value);
    }

    private void setUp1MHz() {
        write(SSPCR0, CR0_8BIT_SCR1);
        write(SSPCPSR, CPSDVSR_1MHZ);
    }

    @Test
    void identifiesAsAPl022() {
        int[] ids = new int[8];
        for (int i = 0; i < 8; i++) {
            ids[i] = (int) read(0xFE0 + 4 * i);
        }
        assertThat(ids).containsExactly(0x22, 0x10, 0x04, 0x00, 0x0D, 0xF0, 0x05, 0xB1);
    }

    @Test
    void resetValues() {
        assertThat(read(SSPSR)).isEqualTo(SR_TFE | SR_TNF);
        assertThat(read(SSPRIS)).isEqualTo(INT_TX);
        assertThat(read(SSPMIS)).isZero();
        assertThat(read(SSPCR0)).isZero();
        assertThat(read(SSPCR1)).isZero();
    }

    @Test
    void cpsdvsrBitZeroReadsAsZero() {
        write(SSPCPSR, 0xFF);
        assertThat(read(SSPCPSR)).isEqualTo(0xFE);
    }

    @Test
    void theBitRateFollowsThePrescalerAndSerialClockRate() {
        setUp1MHz();
        assertThat(ssp.bitRateHz()).isEqualTo(1_000_000);
        assertThat(ssp.frameNs()).isEqualTo(FRAME_NS);
        write(SSPCPSR, 2);
        write(SSPCR0, 15); // 16-bit frames, SCR 0: 12 MHz
        assertThat(ssp.bitRateHz()).isEqualTo(12_000_000);
        assertThat(ssp.frameNs()).isEqualTo(1_333); // 16 / 12 MHz
    }

    @Test
    void wordsWrittenBeforeEnablingWaitThenShiftOneFrameTimeApart() {
        setUp1MHz();
        for (int i = 0; i < 3; i++) {
            write(SSPDR, 0x10 + i);
        }
        scheduler.step(100_000);
        assertThat(seen).isEmpty();
        assertThat(read(SSPSR)).isEqualTo(SR_TNF); // not empty, not busy while disabled
        write(SSPCR1, CR1_SSE);
        assertThat(read(SSPSR) & SR_BSY).isEqualTo(SR_BSY);
        scheduler.step(FRAME_NS - 1);
        assertThat(seen).isEmpty();
        assertThat(read(SSPSR) & SR_RNE).isZero();
        scheduler.step(1);
        assertThat(seen).containsExactly("select@108000", "10@108000");
        assertThat(read(SSPSR) & SR_RNE).isEqualTo(SR_RNE);
        scheduler.step(2 * FRAME_NS);
        assertThat(seen).containsExactly("select@108000", "10@108000", "11@116000", "12@124000");
        assertThat(read(SSPSR)).isEqualTo(SR_TFE | SR_TNF | SR_RNE);
        assertThat(read(SSPDR)).isEqualTo(0x11);
        assertThat(read(SSPDR)).isEqualTo(0x12);
        assertThat(read(SSPDR)).isEqualTo(0x13);
        assertThat(read(SSPSR)).isEqualTo(SR_TFE | SR_TNF);
        assertThat(read(SSPDR)).isZero(); // an empty FIFO reads 0
    }

    @Test
    void theChipSelectFramesTheEnablePeriod() {
        setUp1MHz();
        write(SSPCR1, CR1_SSE);
        write(SSPDR, 0x9F);
        scheduler.step(FRAME_NS);
        write(SSPDR, 0x00); // after the FIFO ran dry: still the same command
        scheduler.step(FRAME_NS);
        write(SSPCR1, 0);
        write(SSPCR1, CR1_SSE);
        write(SSPDR, 0x05);
        scheduler.step(FRAME_NS);
        assertThat(seen).containsExactly("select@8000", "9f@8000", "0@16000", "deselect@16000", "select@24000", "5@24000");
    }

    @Test
    void theFifosHoldEightWordsAndTheTransmitFifoDropsTheNinth() {
        setUp1MHz();
        for (int i = 0; i < 9; i++) {
            write(SSPDR, i);
        }
        assertThat(read(SSPSR) & (SR_TNF | SR_TFE)).isZero();
        assertThat(warnings).containsExactly("spi0: SSPDR written with the transmit FIFO full (SSPSR.TNF = 0); the word is lost");
        assertThat(ssp.txFifoLevel()).isEqualTo(8);
        write(SSPCR1, CR1_SSE);
        scheduler.step(8 * FRAME_NS);
        assertThat(ssp.rxFifoLevel()).isEqualTo(8);
        assertThat(read(SSPSR)).isEqualTo(SR_TFE | SR_TNF | SR_RNE | SR_RFF);
    }

    @Test
    void anOverrunLosesTheNewFrameAndRaisesRor() {
        setUp1MHz();
        write(SSPIMSC, INT_ROR);
        write(SSPCR1, CR1_SSE);
        for (int i = 0; i < 8; i++) {
            write(SSPDR, i);
        }
        scheduler.step(8 * FRAME_NS);
        assertThat(ssp.irq().level()).isFalse();
        write(SSPDR, 0x42);
        scheduler.step(FRAME_NS);
        assertThat(read(SSPRIS) & INT_ROR).isEqualTo(INT_ROR);
        assertThat(ssp.irq().level()).isTrue();
        assertThat(ssp.rorIrq().level()).isTrue();
        assertThat(read(SSPDR)).isEqualTo(1); // the FIFO kept its first word (0 + 1)
        write(SSPICR, INT_ROR);
        assertThat(ssp.irq().level()).isFalse();
    }

    @Test
    void transmitAndReceiveInterruptsFollowTheHalfwayMarks() {
        setUp1MHz();
        write(SSPIMSC, INT_TX | INT_RX);
        assertThat(ssp.txIrq().level()).isTrue(); // empty transmit FIFO: TXRIS, even with SSE clear
        for (int i = 0; i < 5; i++) {
            write(SSPDR, i);
        }
        assertThat(ssp.txIrq().level()).isFalse();
        write(SSPCR1, CR1_SSE);
        scheduler.step(FRAME_NS); // 4 left: half empty again
        assertThat(ssp.txIrq().level()).isTrue();
        assertThat(ssp.rxIrq().level()).isFalse();
        scheduler.step(3 * FRAME_NS);
        assertThat(ssp.rxIrq().level()).isTrue(); // 4 received
        assertThat(ssp.irq().level()).isTrue();
        read(SSPDR);
        assertThat(ssp.rxIrq().level()).isFalse();
        assertThat(read(SSPMIS)).isEqualTo(INT_TX);
    }

    @Test
    void aReceiveTimeoutFollows32IdleBitPeriods() {
        setUp1MHz();
        write(SSPIMSC, INT_RT);
        write(SSPCR1, CR1_SSE);
        write(SSPDR, 1);
        scheduler.step(FRAME_NS + 32_000 - 1);
        assertThat(ssp.rtIrq().level()).isFalse();
        scheduler.step(1);
        assertThat(ssp.rtIrq().level()).isTrue();
        write(SSPICR, INT_RT);
        assertThat(ssp.rtIrq().level()).isFalse();
        write(SSPDR, 2);
        scheduler.step(FRAME_NS + 32_000);
        assertThat(ssp.rtIrq().level()).isTrue();
        read(SSPDR);
        read(SSPDR); // emptying the FIFO withdraws it too
        assertThat(ssp.rtIrq().level()).isFalse();
    }

    @Test
    void loopbackReturnsTheTransmittedWordsAndLeavesTheBusAlone() {
        write(SSPCR0, 15); // 16-bit frames
        write(SSPCPSR, 2);
        write(SSPCR1, CR1_SSE | CR1_LBM);
        write(SSPDR, 0xBEEF);
        write(SSPDR, 0x12345); // bits above the frame are ignored
        scheduler.step(2 * ssp.frameNs());
        assertThat(read(SSPDR)).isEqualTo(0xBEEF);
        assertThat(read(SSPDR)).isEqualTo(0x2345);
        assertThat(seen).isEmpty();
    }

    @Test
    void dmaRequestsFollowTheFifosWhenEnabled() {
        setUp1MHz();
        assertThat(ssp.txDmaSingle().level()).isFalse();
        write(SSPDMACR, DMACR_TXDMAE | DMACR_RXDMAE);
        assertThat(ssp.txDmaSingle().level()).isTrue();
        assertThat(ssp.txDmaBurst().level()).isTrue();
        for (int i = 0; i < 8; i++) {
            write(SSPDR, i);
        }
        assertThat(ssp.txDmaSingle().level()).isFalse();
        assertThat(ssp.txDmaBurst().level()).isFalse();
        write(SSPCR1, CR1_SSE);
        scheduler.step(FRAME_NS);
        assertThat(ssp.rxDmaSingle().level()).isTrue();
        assertThat(ssp.rxDmaBurst().level()).isFalse();
        assertThat(ssp.txDmaSingle().level()).isTrue();
        scheduler.step(3 * FRAME_NS);
        assertThat(ssp.rxDmaBurst().level()).isTrue();
        assertThat(ssp.txDmaBurst().level()).isTrue();
    }

    @Test
    void theBusTakesTheClockModeFromSpoAndSph() {
        write(SSPCR0, 7 | CR0_SPO | CR0_SPH);
        assertThat(bus.mode()).isEqualTo(SpiMode.MODE3);
        write(SSPCR0, 7 | CR0_SPH);
        assertThat(bus.mode()).isEqualTo(SpiMode.MODE1);
    }

    @Test
    void unmodelledSettingsWarnOnce() {
        write(SSPCR0, 7 | (1 << 4));
        write(SSPCR0, 7 | (1 << 4));
        write(SSPCR1, CR1_MS | CR1_SSE);
        write(SSPDR, 1);
        scheduler.step(100_000);
        assertThat(seen).isEmpty();
        assertThat(warnings).containsExactly(
                "spi0: SSPCR0.FRF = 1 selects the TI synchronous serial frame format, which is not modelled; frames are shifted as Motorola SPI frames",
                "spi0: SSPCR1.MS = 1 (slave mode) is not modelled; the port stays idle");
    }

    @Test
    void aLateResponseDelaysTheFrameAndAMissingOneReadsAllOnes() {
        FaultPoints faults = new FaultPoints();
        FaultPoint point = bus.declareFaultPoint(faults);
        faults.arm(point, (p, site) -> {
            if (site.kind.equals("miso")) {
                site.delayNs += 2_000;
            }
        });
        setUp1MHz();
        write(SSPCR1, CR1_SSE);
        write(SSPDR, 1);
        scheduler.step(FRAME_NS);
        assertThat(read(SSPSR) & SR_RNE).isZero();
        assertThat(read(SSPSR) & SR_BSY).isEqualTo(SR_BSY);
        scheduler.step(2_000);
        assertThat(read(SSPDR)).isEqualTo(2);
        faults.arm(point, (p, site) -> site.dropped = site.kind.equals("miso"));
        write(SSPDR, 1);
        scheduler.step(FRAME_NS);
        assertThat(read(SSPDR)).isEqualTo(0xFF);
    }

    @Test
    void resetEmptiesTheFifosAndReleasesTheChipSelect() {
        setUp1MHz();
        write(SSPCR1, CR1_SSE);
        write(SSPDR, 1);
        write(SSPDR, 2);
        scheduler.step(FRAME_NS);
        ssp.reset();
        scheduler.step(10 * FRAME_NS);
        assertThat(seen).containsExactly("select@8000", "1@8000", "deselect@8000");
        assertThat(read(SSPSR)).isEqualTo(SR_TFE | SR_TNF);
    }
}
