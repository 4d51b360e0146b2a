package brassboard.arm.gic;

import static brassboard.arm.gic.Gic.*;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.api.IrqLine;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The acknowledge listener: which CPU took which interrupt, pending since when, acknowledged when. */
class GicAckListenerTest {
    private final Scheduler scheduler = new Scheduler();
    private final Tracer tracer = new Tracer(scheduler);
    private final Gic gic = new Gic("gic", 2, 96, scheduler, tracer);
    private final MmioDevice d0 = gic.distributor(0);
    private final MmioDevice c0 = gic.cpuInterface(0);
    private final MmioDevice c1 = gic.cpuInterface(1);
    private final List<String> acks = new ArrayList<>();

    GicAckListenerTest() {
        wr(d0, GICD_CTLR, GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
        for (MmioDevice c : List.of(c0, c1)) {
            wr(c, GICC_CTLR, GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_ENABLE_GRP1);
            wr(c, GICC_PMR, 0xFF);
        }
        gic.setAckListener((cpu, intid, since, at) -> acks.add("cpu" + cpu + " " + intid + " " + since + "->" + at));
    }

    private static void wr(MmioDevice m, int offset, int value) {
        assertThat(m.write(offset, 4, value & 0xFFFF_FFFFL)).isTrue();
    }

    @Test
    void reportsHowLongALevelInterruptWaitedFromItsRisingEdge() {
        IrqLine line = new IrqLine("dev", tracer);
        line.connect(gic.spi(1));
        wr(d0, GICD_ISENABLER + 4, 1 << 1); // INTID 33
        assertThat(d0.write(GICD_ITARGETSR + 33, 1, 1)).isTrue();
        scheduler.step(100);
        line.raise();
        scheduler.step(250);
        assertThat(c0.read(GICC_IAR, 4)).isEqualTo(33);
        assertThat(acks).containsExactly("cpu0 33 100->350");

        // still high after the handler: waiting again from the EOI, not from the first edge
        scheduler.step(50);
        wr(c0, GICC_EOIR, 33);
        scheduler.step(10);
        assertThat(c0.read(GICC_IAR, 4)).isEqualTo(33);
        assertThat(acks).containsExactly("cpu0 33 100->350", "cpu0 33 400->410");
    }

    @Test
    void reportsSgisPerTargetCpu() {
        scheduler.step(5);
        wr(d0, GICD_SGIR, (0b10 << 16) | 3); // SGI 3, target list filter, to cpu1
        scheduler.step(7);
        assertThat(c1.read(GICC_IAR, 4) & 0x3FF).isEqualTo(3);
        assertThat(acks).containsExactly("cpu1 3 5->12");
        assertThat(c0.read(GICC_IAR, 4)).isEqualTo(INTID_SPURIOUS);
        assertThat(acks).hasSize(1);
    }
}
