package brassboard.boards.virt;

import java.util.List;
import java.util.Optional;

/**
 * The memory map and IRQ map of QEMU's {@code virt} machine (32-bit layout), as one table.
 *
 * <p>Facts from QEMU's {@code hw/arm/virt.c} ({@code base_memmap[]} and {@code a15irqmap[]}).
 * A row whose {@code model} is {@code null} is a window QEMU has and Brassboard does not model
 * yet: it stays unmapped, so firmware touching it gets a bus error (and the trace says so),
 * never silent success. {@code spi} is the GIC shared peripheral interrupt number (GIC INTID
 * = 32 + spi), or -1.
 */
public final class VirtMap {
    /** One row of the map. */
    public record Entry(String name, long base, long size, int spi, String model) {
        public boolean modelled() {
            return model != null;
        }

        public long last() {
            return base + size - 1;
        }
    }

    /** No interrupt. */
    public static final int NO_IRQ = -1;
    /** Where RAM starts; its size is the machine's {@code --ram}. */
    public static final long RAM_BASE = 0x4000_0000L;
    /**
     * Shared peripheral interrupts of the GIC on virt: QEMU's NUM_IRQS (hw/arm/virt.c gives the GIC
     * {@code num-irq} = NUM_IRQS + 32), so GICD_TYPER.ITLinesNumber = 8: INTIDs 0-287. The GICv2m
     * frame's SPIs 48-111 need more than the first 96.
     */
    public static final int GIC_SPIS = 256;
    /** SPIs the GICv2m frame serves from {@link #GIC_V2M}'s SPI on (QEMU's create_v2m: NUM_GICV2M_SPIS). */
    public static final int GIC_V2M_SPIS = 64;
    /** The generic timer's per-core PPIs (PPI n = INTID 16 + n), as QEMU's virt wires them. */
    public static final int TIMER_PPI_SEC_PHYS = 13;
    public static final int TIMER_PPI_NS_PHYS = 14;
    public static final int TIMER_PPI_VIRT = 11;
    public static final int TIMER_PPI_HYP = 10;

    /** Largest RAM this map allows below 4 GiB without LPAE's high memory (QEMU's legacy limit is 255 GiB with LPAE). */
    public static final long RAM_MAX_32BIT = 0xC000_0000L;

    //                name           base          size          SPI      model (null: not modelled yet)
    public static final Entry FLASH0 = new Entry("flash0", 0x0000_0000L, 0x0400_0000L, NO_IRQ, "CFI flash");
    public static final Entry FLASH1 = new Entry("flash1", 0x0400_0000L, 0x0400_0000L, NO_IRQ, "CFI flash");
    public static final Entry GIC_DIST = new Entry("gic-dist", 0x0800_0000L, 0x0001_0000L, NO_IRQ, "GICv2");
    public static final Entry GIC_CPU = new Entry("gic-cpu", 0x0801_0000L, 0x0001_0000L, NO_IRQ, "GICv2");
    public static final Entry GIC_V2M = new Entry("gic-v2m", 0x0802_0000L, 0x0000_1000L, 48, "GICv2m"); // SPIs 48-111
    public static final Entry GIC_HYP = new Entry("gic-hyp", 0x0803_0000L, 0x0001_0000L, NO_IRQ, null);
    public static final Entry GIC_VCPU = new Entry("gic-vcpu", 0x0804_0000L, 0x0001_0000L, NO_IRQ, null);
    public static final Entry UART0 = new Entry("uart0", 0x0900_0000L, 0x0000_1000L, 1, "PL011");
    public static final Entry RTC = new Entry("rtc", 0x0901_0000L, 0x0000_1000L, 2, "PL031");
    public static final Entry FW_CFG = new Entry("fw-cfg", 0x0902_0000L, 0x0000_0018L, NO_IRQ, null);
    public static final Entry GPIO = new Entry("gpio", 0x0903_0000L, 0x0000_1000L, 7, null);
    public static final Entry SECURE_UART = new Entry("secure-uart", 0x0904_0000L, 0x0000_1000L, 8, null);
    // Brassboard's addition to QEMU's map (docs/devices/spi.md): two PL022 SPI controllers in the
    // gap QEMU's virt leaves between its last fixed device window (0x090c0000) and virtio-mmio, on
    // SPIs 12 and 13, which QEMU's a15irqmap does not use. Mapped only with --spi-flash / --spi-eeprom.
    public static final Entry SPI0 = new Entry("spi0", 0x0910_0000L, 0x0000_1000L, 12, "PL022");
    public static final Entry SPI1 = new Entry("spi1", 0x0910_1000L, 0x0000_1000L, 13, "PL022");
    public static final Entry VIRTIO_MMIO = new Entry("virtio-mmio", 0x0A00_0000L, 0x0000_4000L, 16, null); // 32 x 0x200, SPIs 16-47
    public static final Entry PLATFORM_BUS = new Entry("platform-bus", 0x0C00_0000L, 0x0200_0000L, 112, null);
    public static final Entry PCIE_MMIO = new Entry("pcie-mmio", 0x1000_0000L, 0x2EFF_0000L, 3, "gpex"); // INTA-D on SPIs 3-6
    public static final Entry PCIE_PIO = new Entry("pcie-pio", 0x3EFF_0000L, 0x0001_0000L, NO_IRQ, "gpex");
    // The low ECAM window (VIRT_PCIE_ECAM): QEMU uses it for a 32-bit guest given firmware
    // (highmem_ecam &= !firmware_loaded || aarch64), so 16 MiB = buses 0-15.
    public static final Entry PCIE_ECAM = new Entry("pcie-ecam", 0x3F00_0000L, 0x0100_0000L, NO_IRQ, "gpex");

    /** Every fixed row, by address (RAM follows at {@link #RAM_BASE}). */
    public static final List<Entry> ENTRIES = List.of(FLASH0, FLASH1, GIC_DIST, GIC_CPU, GIC_V2M, GIC_HYP, GIC_VCPU,
            UART0, RTC, FW_CFG, GPIO, SECURE_UART, SPI0, SPI1, VIRTIO_MMIO, PLATFORM_BUS, PCIE_MMIO, PCIE_PIO, PCIE_ECAM);

    private VirtMap() {
    }

    /** The row with this name. */
    public static Optional<Entry> find(String name) {
        return ENTRIES.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
