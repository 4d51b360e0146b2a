package brassboard.boards.board;

import brassboard.boards.api.ConfigException;
import brassboard.boards.api.UsbAttachment;
import brassboard.boards.api.WifiAttachment;
import brassboard.boards.board.wiring.UsbWiring;
import brassboard.boards.board.wiring.WifiWiring;
import brassboard.bus.api.Masters;
import brassboard.bus.pcie.EcamHostBridge;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Catalogue entries for PCIe: the ECAM host bridge (QEMU's gpex) and the endpoints that sit in its
 * slots: the EHCI USB controller with its devices, and the WiFi baseband with its RF transceiver.
 */
final class PcieDevices {
    /** PCI address space codes of the first cell of a PCI address (IEEE 1275 PCI binding: ss = 01 I/O, 10 32-bit memory). */
    private static final int PCI_SPACE_IO = 0x0100_0000;
    private static final int PCI_SPACE_MEM32 = 0x0200_0000;
    /** Requester IDs msi-map passes to the MSI controller unchanged: all 65536 (QEMU's create_pcie). */
    private static final int PCI_RID_COUNT = 0x10000;
    private static final String[] PINS = {"inta", "intb", "intc", "intd"};
    /** The catalogue types whose instances master the system bus (DMA), numbered dma0, dma1, ... in file order. */
    private static final Set<String> DMA_MASTERS = Set.of("usb-ehci", "wifi-baseband");

    private PcieDevices() {
    }

    static List<DeviceType> types() {
        return List.of(host(), ehci(), wifi());
    }

    /**
     * The ECAM host bridge (QEMU gpex): ECAM (1 MiB per bus), I/O and 32-bit memory windows, INTA-INTD
     * after the bridge's swizzle on four interrupt inputs, MSIs to the {@code msi-parent} frame.
     *
     * <p>Node as QEMU's create_pcie for a 32-bit guest with firmware: ranges for the I/O window (PCI
     * port 0 at its base) and the memory window (identity-mapped); interrupt-map-mask keeps the device
     * number (bits 12:11 of the first cell, the slot modulo 4) and the pin; entry (slot, pin) goes to
     * the output (slot + pin - 1) % 4 (create_pcie_irq_map).
     */
    private static DeviceType host() {
        return DeviceType.define("pci-host-ecam", "PCIe host bridge with an ECAM window (QEMU's gpex), endpoints in its slots")
                .window("ecam", 1 << 20, 256 << 20, true, "configuration space, 1 MiB per bus")
                .window("pio", 0x1000, 1 << 20, true, "the PCI I/O window")
                .window("mmio", 1 << 20, 0xF000_0000L, false, "the 32-bit PCI memory window (identity-mapped)")
                .irqs(PINS)
                .offers(DeviceType.Bus.PCI, 1, 31, null)
                .param(Param.device("msi-parent", "gicv2m", true, "the gicv2m frame MSIs go to"))
                .faults("irq.{name}.inta", "irq.{name}.intb", "irq.{name}.intc", "irq.{name}.intd")
                .factory((ctx, spec) -> {
                    DeviceSpec.Region ecam = spec.window("ecam");
                    EcamHostBridge pcie = new EcamHostBridge(spec.name(), (int) (ecam.size() / EcamHostBridge.ECAM_BUS_SIZE), ctx.tracer());
                    ctx.map(spec, "ecam", pcie.ecam());
                    ctx.map(spec, "pio", pcie.pioWindow());
                    ctx.map(spec, "mmio", pcie.mmioWindow(spec.window("mmio").base()));
                    for (int i = 0; i < EcamHostBridge.PINS; i++) {
                        ctx.output(spec, PINS[i], pcie.intx(i));
                        pcie.intx(i).declareFaultPoint(ctx.faults()); // irq.pcie.inta .. irq.pcie.intd
                    }
                    ctx.publish(spec.name(), pcie);
                    ctx.onReset(pcie::reset);
                    ctx.onMachine(m -> {
                        if (m.pcieHost().isEmpty()) {
                            m.attachPcieHost(pcie);
                        }
                    });
                })
                .node((dt, spec, parent) -> {
                    DeviceSpec.Region ecam = spec.window("ecam");
                    DeviceSpec.Region pio = spec.window("pio");
                    DeviceSpec.Region mmio = spec.window("mmio");
                    int gic = dt.phandle(dt.board().allDevices().stream().filter(d -> d.type().isInterruptController()).findFirst().orElseThrow().name());
                    int entryCells = 3 + 1 + 1 + SystemDevices.GIC_ADDRESS_CELLS + 3;
                    int[] map = new int[4 * 4 * entryCells];
                    int i = 0;
                    for (int slot = 0; slot < 4; slot++) {
                        for (int pin = 1; pin <= 4; pin++) {
                            DeviceSpec.IrqTarget t = spec.irq(PINS[(slot + pin - 1) % 4]);
                            map[i++] = slot << 11; // phys.hi: devfn << 8
                            map[i++] = 0;
                            map[i++] = 0;
                            map[i++] = pin;
                            map[i++] = gic;
                            i += SystemDevices.GIC_ADDRESS_CELLS;
                            map[i++] = DeviceTreeWriter.GIC_SPI;
                            map[i++] = t.first();
                            map[i++] = DeviceTreeWriter.IRQ_TYPE_LEVEL_HIGH;
                        }
                    }
                    var node = dt.node(spec, parent.child(DeviceTreeWriter.nodeName("pcie", mmio.base())))
                            .propCells("interrupt-map-mask", 0x1800, 0, 0, 0x7)
                            .propCells("interrupt-map", map)
                            .prop("#interrupt-cells", 1)
                            .propCells("ranges",
                                    PCI_SPACE_IO, 0, 0, DeviceTreeWriter.hi(pio.base()), DeviceTreeWriter.lo(pio.base()),
                                    DeviceTreeWriter.hi(pio.size()), DeviceTreeWriter.lo(pio.size()),
                                    PCI_SPACE_MEM32, DeviceTreeWriter.hi(mmio.base()), DeviceTreeWriter.lo(mmio.base()),
                                    DeviceTreeWriter.hi(mmio.base()), DeviceTreeWriter.lo(mmio.base()),
                                    DeviceTreeWriter.hi(mmio.size()), DeviceTreeWriter.lo(mmio.size()))
                            .propCells("reg", DeviceTreeWriter.Context.reg(ecam));
                    if (spec.text("msi-parent") != null) {
                        node.propCells("msi-map", 0, dt.phandle(spec.text("msi-parent")), 0, PCI_RID_COUNT);
                    }
                    node.propEmpty("dma-coherent")
                            .propCells("bus-range", 0, (int) (ecam.size() >>> 20) - 1)
                            .prop("linux,pci-domain", 0)
                            .prop("#size-cells", 2)
                            .prop("#address-cells", 3)
                            .prop("device_type", "pci")
                            .prop("compatible", "pci-host-ecam-generic");
                });
    }

    /**
     * An EHCI USB 2.0 host controller (QEMU's usb-ehci identity) with devices on its root ports:
     * entries under its {@code devices:} ({@link UsbDevices}, {@code port: N}), and {@code ports} lists
     * more in {@code --usb}'s syntax; with {@code when: usb}, {@code --usb}
     * adds its own. Found by PCI probing (no node). Left out when it has no devices, as QEMU's virt
     * without {@code -device usb-ehci}.
     */
    private static DeviceType ehci() {
        return DeviceType.define("usb-ehci", "EHCI USB 2.0 host controller on PCIe, with USB storage sticks and USB-to-IDE bridges on its ports")
                .on(DeviceType.Bus.PCI)
                .offers(DeviceType.Bus.USB, 1, UsbAttachment.PORTS, null)
                .param(Param.list("ports", "devices on its root ports, each as --usb writes one (storage,disk=FILE,port=N ...)"))
                .check(spec -> {
                    for (String p : spec.list("ports")) {
                        String problem = problem(() -> UsbAttachment.parse(p));
                        if (problem != null) {
                            return "ports: " + problem;
                        }
                    }
                    return null;
                })
                .faults("irq.{name}", "usb.N.packet", "usb.N.link", "bot.usbN", "scsi.usbN.command", "disk.usbN.sector", "bridge.usbN")
                .factory((ctx, spec) -> {
                    List<UsbAttachment> devices = new ArrayList<>();
                    List<String> deviceNames = new ArrayList<>();
                    for (DeviceSpec child : spec.children()) { // usb-storage, usb-supertop, usb-jmicron entries (UsbDevices)
                        devices.add(UsbDevices.attachment(child));
                        deviceNames.add(child.name());
                    }
                    for (String p : spec.list("ports")) {
                        devices.add(UsbAttachment.parse(p));
                        deviceNames.add(null);
                    }
                    if (spec.when().isPresent()) {
                        for (UsbAttachment d : ctx.options().usb()) {
                            devices.add(d);
                            deviceNames.add(null);
                        }
                    }
                    EcamHostBridge pcie = ctx.model(spec.parent(), EcamHostBridge.class);
                    int n = ordinal(ctx.board(), spec);
                    UsbWiring.Names names = new UsbWiring.Names(spec.name(), n == 0 ? "usb" : spec.name() + "-usb", spec.position(),
                            dmaMaster(ctx.board(), spec));
                    UsbWiring w = UsbWiring.attach(devices, deviceNames, names, pcie, ctx.scheduler(), ctx.tracer(), ctx.bus(), ctx.faults());
                    if (w != null) {
                        ctx.publish(spec.name(), w);
                    }
                });
    }

    /** Something that may refuse its input with a {@link ConfigException}. */
    private interface Parse {
        Object run() throws ConfigException;
    }

    /** The refusal's message, or null. */
    private static String problem(Parse parse) {
        try {
            parse.run();
            return null;
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    /** The WiFi baseband on PCIe with its RF transceiver on the baseband's own SPI master, in an air. */
    private static DeviceType wifi() {
        return DeviceType.define("wifi-baseband", "WiFi baseband (PCIe endpoint, DMA rings) with its RF transceiver, in a simulated air")
                .on(DeviceType.Bus.PCI)
                .param(Param.text("air", "channel=6", "the air, as --wifi writes it (channel=N,rx=PCAP,tx=PCAP ...)"))
                .check(spec -> {
                    String problem = problem(() -> WifiAttachment.parse(spec.text("air")));
                    return problem == null ? null : "air: " + problem;
                })
                .faults("wifi.{name}.rx", "rf.rfN", "pcie.{name}.config", "pcie.{name}.dma", "pcie.{name}.link")
                .factory((ctx, spec) -> {
                    Optional<WifiAttachment> air = spec.when().isPresent() ? ctx.options().wifi() : Optional.of(WifiAttachment.parse(spec.text("air")));
                    EcamHostBridge pcie = ctx.model(spec.parent(), EcamHostBridge.class);
                    WifiWiring.Names names = new WifiWiring.Names(spec.name(), "rf" + ordinal(ctx.board(), spec), spec.position(),
                            dmaMaster(ctx.board(), spec));
                    WifiWiring w = WifiWiring.attach(air, names, pcie, ctx.scheduler(), ctx.tracer(), ctx.bus(), ctx.faults());
                    if (w != null) {
                        ctx.publish(spec.name(), w);
                        ctx.onMachine(m -> {
                            if (m.wifi().isEmpty()) { // Machine.wifi() is the board's first baseband
                                m.attachWifi(w.baseband(), w.air());
                            }
                        });
                    }
                });
    }

    /**
     * Which of the board's entries of {@code spec}'s type it is, counting from 0 in file order: the
     * first EHCI's devices are {@code usb<port>}, a later one's {@code <name>-usb<port>}; the n-th
     * baseband's transceiver is {@code rf<n>}.
     */
    static int ordinal(BoardDescription board, DeviceSpec spec) {
        int n = 0;
        for (DeviceSpec d : board.allDevices()) {
            if (d.name().equals(spec.name())) {
                return n;
            }
            if (d.type().name().equals(spec.type().name())) {
                n++;
            }
        }
        throw new IllegalStateException(spec.name() + " is not on the board");
    }

    /**
     * The bus master id of a DMA-capable entry: {@code dma<n>} for the n-th (from 0) such entry in
     * file order, whether or not its option ({@code when:}) is given, so virt's EHCI is always
     * {@code dma0} and its baseband {@code dma1}.
     */
    static int dmaMaster(BoardDescription board, DeviceSpec spec) {
        int n = 0;
        for (DeviceSpec d : board.allDevices()) {
            if (d.name().equals(spec.name())) {
                return Masters.DMA_BASE + n;
            }
            if (DMA_MASTERS.contains(d.type().name())) {
                n++;
            }
        }
        throw new IllegalStateException(spec.name() + " is not on the board");
    }
}
