package brassboard.firmware.fdt;

/** A small tree shaped like QEMU's virt board's, shared by the device-tree tests. */
final class VirtTree {
    static final int GIC_PHANDLE = 0x8001;
    static final int CLOCK_PHANDLE = 0x8000;

    private VirtTree() {
    }

    static FdtNode build() {
        FdtNode root = FdtNode.root();
        root.prop("#address-cells", 2).prop("#size-cells", 2)
                .prop("compatible", "linux,dummy-virt").prop("model", "Brassboard virt")
                .prop("interrupt-parent", GIC_PHANDLE);
        root.child("chosen").prop("bootargs", "console=ttyAMA0").prop("stdout-path", "/pl011@9000000");
        root.child("memory@40000000").prop("device_type", "memory").propU64("reg", 0x40000000L, 128L << 20);
        FdtNode cpus = root.child("cpus").prop("#address-cells", 1).prop("#size-cells", 0);
        cpus.child("cpu@0").prop("device_type", "cpu").prop("compatible", "arm,cortex-a15").prop("reg", 0);
        cpus.child("cpu@1").prop("device_type", "cpu").prop("compatible", "arm,cortex-a15").prop("reg", 1);
        root.child("apb-pclk").prop("compatible", "fixed-clock").prop("#clock-cells", 0)
                .prop("clock-frequency", 24_000_000).prop("clock-output-names", "clk24mhz")
                .phandle(CLOCK_PHANDLE);
        root.child("intc@8000000").prop("compatible", "arm,cortex-a15-gic")
                .prop("#interrupt-cells", 3).prop("#address-cells", 0).propEmpty("interrupt-controller")
                .propCells("reg", 0x0, 0x08000000, 0x0, 0x10000, 0x0, 0x08010000, 0x0, 0x10000)
                .phandle(GIC_PHANDLE);
        root.child("pl011@9000000").prop("compatible", "arm,pl011", "arm,primecell")
                .propCells("reg", 0x0, 0x09000000, 0x0, 0x1000)
                .propCells("interrupts", 0, 1, 4)
                .propCells("clocks", CLOCK_PHANDLE, CLOCK_PHANDLE)
                .prop("clock-names", "uartclk", "apb_pclk");
        root.child("timer").prop("compatible", "arm,armv7-timer").propEmpty("always-on")
                .propCells("interrupts", 1, 13, 0xf08, 1, 14, 0xf08, 1, 11, 0xf08, 1, 10, 0xf08);
        return root;
    }
}
