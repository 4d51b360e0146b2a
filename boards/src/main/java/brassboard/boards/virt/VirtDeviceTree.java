package brassboard.boards.virt;

import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtNode;
import java.util.List;

/**
 * The device tree of the {@code virt} board, generated from what the board actually contains —
 * laid out as QEMU's {@code create_fdt()} and friends lay it out for a Cortex-A15, so firmware
 * that reads QEMU's tree reads ours. Only modelled devices get a node: a node for a device that
 * is not there would send drivers probing into bus errors.
 */
final class VirtDeviceTree {
    /** phandle of the GIC, every node's interrupt parent. */
    static final int PHANDLE_GIC = 0x8001;
    /** phandle of the GICv2m frame, the PCIe host's MSI controller. */
    static final int PHANDLE_V2M = 0x8002;
    /** Interrupt specifier: type SPI (GIC binding, first cell 0). */
    private static final int GIC_SPI = 0;
    private static final int GIC_PPI = 1;
    /** Interrupt specifier: level-sensitive, active high (GIC binding, third cell). */
    private static final int IRQ_TYPE_LEVEL_HIGH = 4;
    /** phandle of the 24 MHz APB clock every PrimeCell references. */
    static final int PHANDLE_APB_PCLK = 0x8000;
    /** The PL011's and PL031's clock, as on QEMU's virt. */
    static final int APB_PCLK_HZ = 24_000_000;

    private VirtDeviceTree() {
    }

    /** PCI address space codes of the first cell of a PCI address (IEEE 1275 PCI binding: ss = 01 I/O, 10 32-bit memory). */
    private static final int PCI_SPACE_IO = 0x0100_0000;
    private static final int PCI_SPACE_MEM32 = 0x0200_0000;
    /**
     * #address-cells of the GIC node (2, as QEMU's, for its v2m child's reg): a parent unit address in
     * interrupt-map has this many cells.
     */
    private static final int GIC_ADDRESS_CELLS = 2;
    /** Requester IDs msi-map passes to the MSI controller unchanged: all 65536 (QEMU's create_pcie). */
    private static final int PCI_RID_COUNT = 0x10000;

    /**
     * QEMU's FDT_MAX_SIZE: the blob QEMU hands firmware is this big, mostly free space that firmware
     * (U-Boot's {@code bootz}, {@code fdt resize}) grows the tree into in place.
     */
    static final int QEMU_FDT_SIZE = 1 << 20;
    /**
     * The blob's size for an image that runs from RAM (a bare-metal program, which QEMU hands no tree
     * at all) and on boards with under 16 MiB of RAM: 64 KiB, the room below an image linked at
     * RAM base + 0x10000, where QEMU puts a kernel.
     */
    static final int SMALL_FDT_SIZE = 64 << 10;

    /** The tree as a node structure (with the randomness of run seed 0). */
    static FdtNode build(long ramBytes, Psci.Conduit conduit, int ncpus) {
        return build(ramBytes, conduit, ncpus, 0);
    }

    /**
     * The tree as a node structure. {@code /chosen} carries QEMU's {@code kaslr-seed} (8 bytes) and
     * {@code rng-seed} (32 bytes) — random on QEMU, here derived from the run's {@code seed} with
     * SHA-256, so a run stays a pure function of its inputs and different seeds seed the guest's
     * entropy pool differently.
     */
    static FdtNode build(long ramBytes, Psci.Conduit conduit, int ncpus, long seed) {
        FdtNode root = FdtNode.root()
                .prop("#address-cells", 2)
                .prop("#size-cells", 2)
                .prop("compatible", "linux,dummy-virt")
                .prop("model", "linux,dummy-virt")
                .prop("interrupt-parent", PHANDLE_GIC);

        root.child("chosen")
                .prop("stdout-path", "/" + nodeName("pl011", VirtMap.UART0.base()))
                .prop("kaslr-seed", seedBytes("kaslr-seed", seed, 8))
                .prop("rng-seed", seedBytes("rng-seed", seed, 32));

        root.child("memory@" + Long.toHexString(VirtMap.RAM_BASE))
                .prop("device_type", "memory")
                .propCells("reg", hi(VirtMap.RAM_BASE), lo(VirtMap.RAM_BASE), hi(ramBytes), lo(ramBytes));

        FdtNode cpus = root.child("cpus").prop("#address-cells", 1).prop("#size-cells", 0);
        for (int i = 0; i < ncpus; i++) {
            FdtNode cpu = cpus.child("cpu@" + i)
                    .prop("device_type", "cpu")
                    .prop("compatible", "arm,cortex-a15")
                    .propCells("reg", i);
            if (ncpus > 1) {
                cpu.prop("enable-method", "psci"); // as QEMU's fdt_add_cpu_nodes for an SMP virt
            }
        }

        root.child("psci")
                .prop("compatible", "arm,psci-1.0", "arm,psci-0.2", "arm,psci")
                .prop("method", conduit == Psci.Conduit.HVC ? "hvc" : "smc")
                .prop("cpu_suspend", Psci.CPU_SUSPEND)
                .prop("cpu_off", Psci.CPU_OFF)
                .prop("cpu_on", Psci.CPU_ON)
                .prop("migrate", Psci.MIGRATE);

        // The generic timer: secure, non-secure physical, virtual and hyp PPIs in the order of the
        // arm,armv7-timer binding; flags: level-high plus the mask of cores the PPI goes to (the
        // GICv2 binding's bits 15:8), as QEMU's fdt_add_timer_nodes writes them.
        int ppiFlags = (((1 << ncpus) - 1) << 8) | IRQ_TYPE_LEVEL_HIGH;
        root.child("timer")
                .propEmpty("always-on")
                .propCells("interrupts",
                        GIC_PPI, VirtMap.TIMER_PPI_SEC_PHYS, ppiFlags,
                        GIC_PPI, VirtMap.TIMER_PPI_NS_PHYS, ppiFlags,
                        GIC_PPI, VirtMap.TIMER_PPI_VIRT, ppiFlags,
                        GIC_PPI, VirtMap.TIMER_PPI_HYP, ppiFlags)
                .prop("compatible", "arm,armv7-timer");

        root.child("apb-pclk")
                .prop("compatible", "fixed-clock")
                .prop("#clock-cells", 0)
                .prop("clock-frequency", APB_PCLK_HZ)
                .prop("clock-output-names", "clk24mhz")
                .phandle(PHANDLE_APB_PCLK);

        FdtNode intc = root.child("intc@" + Long.toHexString(VirtMap.GIC_DIST.base()))
                .prop("compatible", "arm,cortex-a15-gic")
                .prop("#interrupt-cells", 3)
                .propEmpty("interrupt-controller")
                .prop("#address-cells", GIC_ADDRESS_CELLS)
                .propCells("reg", hi(VirtMap.GIC_DIST.base()), lo(VirtMap.GIC_DIST.base()), hi(VirtMap.GIC_DIST.size()), lo(VirtMap.GIC_DIST.size()),
                        hi(VirtMap.GIC_CPU.base()), lo(VirtMap.GIC_CPU.base()), hi(VirtMap.GIC_CPU.size()), lo(VirtMap.GIC_CPU.size()))
                .phandle(PHANDLE_GIC);
        // The GICv2m frame as a child of the GIC, as QEMU's create_v2m writes it.
        intc.prop("#size-cells", 2).propEmpty("ranges");
        intc.child(nodeName("v2m", VirtMap.GIC_V2M.base()))
                .prop("compatible", "arm,gic-v2m-frame")
                .propEmpty("msi-controller")
                .propCells("reg", hi(VirtMap.GIC_V2M.base()), lo(VirtMap.GIC_V2M.base()), hi(VirtMap.GIC_V2M.size()), lo(VirtMap.GIC_V2M.size()))
                .phandle(PHANDLE_V2M);

        primeCell(root, "pl011", VirtMap.UART0, "arm,pl011")
                .propCells("interrupts", GIC_SPI, VirtMap.UART0.spi(), IRQ_TYPE_LEVEL_HIGH)
                .propCells("clocks", PHANDLE_APB_PCLK, PHANDLE_APB_PCLK)
                .prop("clock-names", "uartclk", "apb_pclk");
        primeCell(root, "pl031", VirtMap.RTC, "arm,pl031")
                .propCells("interrupts", GIC_SPI, VirtMap.RTC.spi(), IRQ_TYPE_LEVEL_HIGH)
                .propCells("clocks", PHANDLE_APB_PCLK)
                .prop("clock-names", "apb_pclk");
        flash(root);
        pcie(root);
        return root;
    }

    /** Both flash banks in one node, as QEMU's virt_flash_fdt (bank-width 4: two x16 parts). */
    private static void flash(FdtNode root) {
        root.child(nodeName("flash", VirtMap.FLASH0.base()))
                .prop("compatible", "cfi-flash")
                .propCells("reg", hi(VirtMap.FLASH0.base()), lo(VirtMap.FLASH0.base()), hi(VirtMap.FLASH0.size()), lo(VirtMap.FLASH0.size()),
                        hi(VirtMap.FLASH1.base()), lo(VirtMap.FLASH1.base()), hi(VirtMap.FLASH1.size()), lo(VirtMap.FLASH1.size()))
                .prop("bank-width", 4);
    }

    /**
     * The ECAM host bridge, as QEMU's create_pcie for a 32-bit guest with firmware: the low ECAM
     * window and buses 0-15; ranges for the I/O window (PCI port 0 at 0x3eff0000) and the 32-bit
     * memory window (identity-mapped). Not here, unlike QEMU: the 64-bit window at 512 GiB (our
     * address space is 32-bit). MSIs go to the GICv2m frame through msi-map (every requester ID
     * unchanged), as QEMU writes it; Linux's pci-host-generic finds the MSI domain from it.
     *
     * <p>INTx: interrupt-map-mask keeps the device number (bits 12:11 of the first cell, i.e. the
     * slot modulo 4) and the pin; entry (slot, pin) goes to SPI 3 + (slot + pin - 1) % 4, QEMU's
     * swizzle (create_pcie_irq_map).
     */
    private static void pcie(FdtNode root) {
        long ecam = VirtMap.PCIE_ECAM.base();
        int buses = (int) (VirtMap.PCIE_ECAM.size() >>> 20);
        long pio = VirtMap.PCIE_PIO.base();
        long mmio = VirtMap.PCIE_MMIO.base();
        int entryCells = 3 + 1 + 1 + GIC_ADDRESS_CELLS + 3;
        int[] map = new int[4 * 4 * entryCells];
        int i = 0;
        for (int slot = 0; slot < 4; slot++) {
            for (int pin = 1; pin <= 4; pin++) {
                map[i++] = slot << 11; // phys.hi: devfn << 8
                map[i++] = 0;
                map[i++] = 0;
                map[i++] = pin;
                map[i++] = PHANDLE_GIC;
                i += GIC_ADDRESS_CELLS;
                map[i++] = GIC_SPI;
                map[i++] = VirtMap.PCIE_MMIO.spi() + (slot + pin - 1) % 4;
                map[i++] = IRQ_TYPE_LEVEL_HIGH;
            }
        }
        root.child(nodeName("pcie", mmio))
                .propCells("interrupt-map-mask", 0x1800, 0, 0, 0x7)
                .propCells("interrupt-map", map)
                .prop("#interrupt-cells", 1)
                .propCells("ranges",
                        PCI_SPACE_IO, 0, 0, hi(pio), lo(pio), hi(VirtMap.PCIE_PIO.size()), lo(VirtMap.PCIE_PIO.size()),
                        PCI_SPACE_MEM32, hi(mmio), lo(mmio), hi(mmio), lo(mmio), hi(VirtMap.PCIE_MMIO.size()), lo(VirtMap.PCIE_MMIO.size()))
                .propCells("reg", hi(ecam), lo(ecam), hi(VirtMap.PCIE_ECAM.size()), lo(VirtMap.PCIE_ECAM.size()))
                .propCells("msi-map", 0, PHANDLE_V2M, 0, PCI_RID_COUNT)
                .propEmpty("dma-coherent")
                .propCells("bus-range", 0, buses - 1)
                .prop("linux,pci-domain", 0)
                .prop("#size-cells", 2)
                .prop("#address-cells", 3)
                .prop("device_type", "pci")
                .prop("compatible", "pci-host-ecam-generic");
    }

    /** The tree as a flattened blob. */
    static byte[] blob(long ramBytes, Psci.Conduit conduit) {
        return blob(ramBytes, conduit, 1);
    }

    /** The tree of a machine with {@code ncpus} cores as a flattened blob. */
    static byte[] blob(long ramBytes, Psci.Conduit conduit, int ncpus) {
        return blob(build(ramBytes, conduit, ncpus), QEMU_FDT_SIZE);
    }

    /** {@code root} as a blob of {@code totalSize} bytes, the tree followed by free space. */
    static byte[] blob(FdtNode root, int totalSize) {
        return Fdt.write(root, List.of(), 0, totalSize);
    }

    /** QEMU's blob size, or the small one on a board with under 16 MiB of RAM. */
    static int firmwareBlobSize(long ramBytes) {
        return ramBytes >= (16L << 20) ? QEMU_FDT_SIZE : SMALL_FDT_SIZE;
    }

    /** {@code n} bytes for {@code /chosen/<what>}, a function of the run's seed alone. */
    static byte[] seedBytes(String what, long seed, int n) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(("brassboard " + what + " " + seed).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return java.util.Arrays.copyOf(sha.digest(), n);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * A PL022 node (Brassboard's addition to virt): {@code spi@<base>} as SPI bus nodes are named,
     * {@code arm,pl022} and {@code arm,primecell}, SSPCLK and the APB clock, one chip select.
     */
    static FdtNode spiController(FdtNode root, VirtMap.Entry e) {
        return root.child(nodeName("spi", e.base()))
                .prop("compatible", "arm,pl022", "arm,primecell")
                .propCells("reg", hi(e.base()), lo(e.base()), hi(e.size()), lo(e.size()))
                .propCells("interrupts", GIC_SPI, e.spi(), IRQ_TYPE_LEVEL_HIGH)
                .propCells("clocks", PHANDLE_APB_PCLK, PHANDLE_APB_PCLK)
                .prop("clock-names", "sspclk", "apb_pclk")
                .prop("num-cs", 1)
                .prop("#address-cells", 1)
                .prop("#size-cells", 0);
    }

    private static FdtNode primeCell(FdtNode root, String kind, VirtMap.Entry e, String compatible) {
        return root.child(nodeName(kind, e.base()))
                .prop("compatible", compatible, "arm,primecell")
                .propCells("reg", hi(e.base()), lo(e.base()), hi(e.size()), lo(e.size()));
    }

    private static String nodeName(String kind, long base) {
        return kind + "@" + Long.toHexString(base);
    }

    private static int hi(long v) {
        return (int) (v >>> 32);
    }

    private static int lo(long v) {
        return (int) v;
    }
}
