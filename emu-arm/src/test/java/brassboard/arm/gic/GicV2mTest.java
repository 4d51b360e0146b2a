package brassboard.arm.gic;

import static brassboard.arm.gic.Gic.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import org.junit.jupiter.api.Test;

/** The GICv2m frame as QEMU's virt has it (SPIs 48-111): its registers, and an MSI write ending as an SPI the CPU is signalled. */
class GicV2mTest {
    private final Scheduler scheduler = new Scheduler();
    private final Tracer tracer = new Tracer(scheduler);
    private final Gic gic = new Gic("gic", 1, 256, scheduler, tracer);
    private final GicV2m v2m = new GicV2m("gic-v2m", 48, 64, tracer);
    private final MmioDevice frame = v2m.mmio();
    private final MmioDevice dist = gic.distributor();
    private final MmioDevice cpu = gic.cpuInterface(0);
    private boolean irq;

    GicV2mTest() {
        for (int i = 0; i < v2m.count(); i++) {
            v2m.output(i).connect(gic.spi(v2m.firstSpi() + i));
        }
        gic.irqOut(0).connect((line, level) -> irq = level);
    }

    @Test
    void registersReadAsQemus() {
        assertThat(frame.read(GicV2m.MSI_TYPER, 4)).isEqualTo(0x0050_0040L); // INTID 80, 64 SPIs
        assertThat(frame.read(GicV2m.MSI_IIDR, 4)).isEqualTo(0x0510_0000L);
        assertThat(frame.read(0xFE8, 4)).isZero(); // MSI_PIDR2
        assertThat(frame.read(GicV2m.MSI_SETSPI_NS, 4)).isZero(); // write-only
        frame.write(GicV2m.MSI_TYPER, 4, 0);
        assertThat(frame.read(GicV2m.MSI_TYPER, 4)).isEqualTo(0x0050_0040L);
    }

    /** Linux's irq-gic-v2m: SPIs edge-triggered, enabled; the endpoint's MSI writes the INTID to MSI_SETSPI_NS. */
    @Test
    void anMsiWriteRaisesItsSpiAndTheCpuIsSignalled() {
        int intid = 80 + 5;
        dist.write(GICD_CTLR, 4, GICD_CTLR_ENABLE_GRP0);
        cpu.write(GICC_CTLR, 4, GICC_CTLR_ENABLE_GRP0);
        cpu.write(GICC_PMR, 4, 0xFF);
        dist.write(GICD_ICFGR + intid / 16 * 4, 4, 2L << (intid % 16 * 2)); // edge-triggered
        dist.write(GICD_ISENABLER + intid / 32 * 4, 4, 1L << (intid % 32));
        assertThat(irq).isFalse();
        frame.write(GicV2m.MSI_SETSPI_NS, 4, intid);
        assertThat(irq).isTrue();
        assertThat(cpu.read(GICC_IAR, 4)).isEqualTo(intid);
        cpu.write(GICC_EOIR, 4, intid);
        assertThat(irq).isFalse(); // an edge: nothing left pending
        assertThat(cpu.read(GICC_IAR, 4)).isEqualTo(INTID_SPURIOUS);
        // a 16-bit write (QEMU accepts 2 and 4 bytes) works too
        frame.write(GicV2m.MSI_SETSPI_NS, 2, intid);
        assertThat(irq).isTrue();
    }

    @Test
    void anIntidOutsideTheFrameIsIgnored() {
        dist.write(GICD_CTLR, 4, GICD_CTLR_ENABLE_GRP0);
        cpu.write(GICC_CTLR, 4, GICC_CTLR_ENABLE_GRP0);
        cpu.write(GICC_PMR, 4, 0xFF);
        dist.write(GICD_ISENABLER + 4, 4, 0xFFFF_FFFFL); // INTIDs 32-63
        dist.write(GICD_ISENABLER + 8, 4, 0xFFFF_FFFFL);
        frame.write(GicV2m.MSI_SETSPI_NS, 4, 79);
        frame.write(GicV2m.MSI_SETSPI_NS, 4, 144);
        assertThat(irq).isFalse();
        assertThat(dist.read(GICD_ISPENDR + 8, 4)).isZero();
    }

    @Test
    void rangesBeyondTheGicAreRefused() {
        assertThatThrownBy(() -> new GicV2m("v2m", 960, 64, tracer)).hasMessageContaining("below INTID 1020");
        assertThatThrownBy(() -> new GicV2m("v2m", 0, 129, tracer)).hasMessageContaining("1 to 128 SPIs");
    }
}
