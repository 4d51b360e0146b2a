package brassboard.arm.gic;

import brassboard.bus.api.IrqLine;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Tracer;
import brassboard.bus.api.regs.Access;
import brassboard.bus.api.regs.RegisterBank;

/**
 * A GICv2m MSI frame (ARM Server Base System Architecture, ARM-DEN-0029 v2.x, "GICv2m"): a 4 KiB
 * page whose MSI_SETSPI_NS register turns a PCIe endpoint's MSI memory write into an edge on one of a
 * range of GIC SPIs, with QEMU's {@code arm-gicv2m} as the behavioural oracle:
 *
 * <ul>
 *   <li>MSI_TYPER (0x008): the first INTID of the range in bits 25:16, the number of SPIs in 9:0.</li>
 *   <li>MSI_SETSPI_NS (0x040, write-only): a write of INTID {@code n} (bits 9:0) inside the range pulses
 *       that SPI's input ({@link IrqLine#pulse()}: Linux configures these SPIs edge-triggered); a value
 *       outside the range is ignored, with a warning.</li>
 *   <li>MSI_IIDR (0xFCC): product ID 0x51 ('Q', QEMU's) in bits 31:20, no implementer, revision 0.</li>
 *   <li>The optional identification registers 0xFD0-0xFFC read 0, as on QEMU (MSI_PIDR2 included).</li>
 * </ul>
 *
 * <p>The frame's outputs are {@link IrqLine}s, one per SPI of the range; the board connects output
 * {@code i} to GIC SPI {@code firstSpi + i}.
 */
public final class GicV2m {
    public static final int MSI_TYPER = 0x008;
    public static final int MSI_SETSPI_NS = 0x040;
    public static final int MSI_IIDR = 0xFCC;
    public static final int ID_FIRST = 0xFD0;
    public static final int ID_LAST = 0xFFC;
    /** Size of the frame. */
    public static final int FRAME_SIZE = 0x1000;
    /** MSI_IIDR.ProductID as QEMU reports it. */
    public static final int PRODUCT_ID_QEMU = 0x51;
    /** Most SPIs one frame can serve (QEMU's limit, GICV2M_NUM_SPI_MAX). */
    public static final int MAX_SPIS = 128;

    private final String name;
    private final Tracer tracer;
    private final int firstSpi;
    private final IrqLine[] outputs;
    private final RegisterBank regs;

    /**
     * A frame serving SPIs {@code firstSpi} .. {@code firstSpi + count - 1} (SPI numbers, INTID = 32 + SPI).
     *
     * @throws IllegalArgumentException when the range is empty, larger than {@link #MAX_SPIS} or beyond INTID 1019
     */
    public GicV2m(String name, int firstSpi, int count, Tracer tracer) {
        if (count < 1 || count > MAX_SPIS || firstSpi < 0 || Gic.SPI_BASE + firstSpi + count > Gic.MAX_INTERRUPTS) {
            throw new IllegalArgumentException(String.format("%s: SPIs %d..%d; a GICv2m frame serves 1 to %d SPIs below INTID %d",
                    name, firstSpi, firstSpi + count - 1, MAX_SPIS, Gic.MAX_INTERRUPTS));
        }
        this.name = name;
        this.tracer = tracer;
        this.firstSpi = firstSpi;
        this.outputs = new IrqLine[count];
        for (int i = 0; i < count; i++) {
            outputs[i] = new IrqLine(name + ".spi" + (firstSpi + i), tracer);
        }
        this.regs = new RegisterBank(name, tracer);
        regs.define("MSI_TYPER", MSI_TYPER)
                .field("Number", 0, 10, Access.RO, count)
                .field("Base", 16, 10, Access.RO, Gic.SPI_BASE + firstSpi);
        regs.define("MSI_SETSPI_NS", MSI_SETSPI_NS)
                .field("INTID", 0, 10, Access.WO)
                .onWrite((old, now, written) -> setSpi(now & 0x3FF));
        regs.define("MSI_IIDR", MSI_IIDR)
                .field("Implementer", 0, 12, Access.RO, 0)
                .field("Revision", 12, 4, Access.RO, 0)
                .field("ArchRev", 16, 4, Access.RO, 0)
                .field("ProductID", 20, 12, Access.RO, PRODUCT_ID_QEMU);
        for (int i = 0; i < ID_NAMES.length; i++) {
            regs.define(ID_NAMES[i], ID_FIRST + 4 * i).field("ID", 0, 32, Access.RO, 0);
        }
    }

    /** The ID registers' names (MSI_ID_0xFD0 ...), made once per JVM rather than formatted per frame. */
    private static final String[] ID_NAMES = java.util.stream.IntStream.iterate(ID_FIRST, off -> off <= ID_LAST, off -> off + 4)
            .mapToObj(off -> String.format("MSI_ID_0x%03X", off)).toArray(String[]::new);

    /** The 4 KiB frame. */
    public MmioDevice mmio() {
        return regs;
    }

    /** The first SPI of the range. */
    public int firstSpi() {
        return firstSpi;
    }

    /** How many SPIs the frame serves. */
    public int count() {
        return outputs.length;
    }

    /** Output {@code i}: an edge on it is SPI {@code firstSpi() + i}. */
    public IrqLine output(int i) {
        return outputs[i];
    }

    private void setSpi(int intid) {
        int i = intid - Gic.SPI_BASE - firstSpi;
        if (i < 0 || i >= outputs.length) {
            tracer.warnOnce(name + ".setspi." + intid, name, String.format("MSI_SETSPI_NS write of INTID %d ignored: this frame serves INTIDs %d-%d",
                    intid, Gic.SPI_BASE + firstSpi, Gic.SPI_BASE + firstSpi + outputs.length - 1));
            return;
        }
        outputs[i].pulse();
    }
}
