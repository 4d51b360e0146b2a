package brassboard.boards.board;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.UsbAttachment;
import brassboard.boards.api.WifiAttachment;
import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two of a kind on one board: the names and DMA master ids of EHCIs and WiFi basebands come from
 * the board file's entries in order, so neither collides; virt keeps the names its fault points
 * have always had.
 */
class TwoOfAKindTest {
    private static final long ECAM = 0x3f00_0000L;

    @Test
    void twoEhcisAndTwoBasebandsEachGetTheirOwnNamesSlotsAndMasters(@TempDir Path dir) throws Exception {
        Path disk = Files.write(dir.resolve("d.img"), new byte[64 * 512]);
        Path board = Files.writeString(dir.resolve("two.yaml"), BoardReaderTest.BASE + """
                  - {name: v2m, type: gicv2m, parent: gic, base: 0x08020000, size: 0x1000, irqs: {msi: spi 48-111}}
                  - name: pcie
                    type: pci-host-ecam
                    regions:
                      ecam: {base: 0x3f000000, size: 16M}
                      pio: {base: 0x3eff0000, size: 64K}
                      mmio: {base: 0x10000000, size: 0x2eff0000}
                    irqs: {inta: spi 3, intb: spi 4, intc: spi 5, intd: spi 6}
                    msi-parent: v2m
                    devices:
                      - {name: hc-a, type: usb-ehci, slot: 1, ports: ['storage,disk=%1$s']}
                      - {name: radio-a, type: wifi-baseband, slot: 2, air: 'channel=1'}
                      - {name: hc-b, type: usb-ehci, slot: 3, ports: ['storage,disk=%1$s,port=2', 'jmicron,disk=%1$s']}
                      - {name: radio-b, type: wifi-baseband, slot: 4, air: 'channel=11'}
                """.formatted(disk));
        Machine m = machine(MachineConfig.of(TestImages.image("hello.elf")).withBoard(board.toString()).withRam(32L << 20), BoardOptions.none());
        FaultPoints faults = m.faults();

        BoardDescription desc = Boards.load(board.toString());
        assertThat(java.util.stream.Stream.of("hc-a", "radio-a", "hc-b", "radio-b")
                .map(n -> Masters.name(PcieDevices.dmaMaster(desc, desc.device(n).orElseThrow())))).containsExactly("dma0", "dma1", "dma2", "dma3");
        assertThat(master(faults, "pcie.radio-a.dma")).as("as the baseband was built").isEqualTo("dma1");
        assertThat(master(faults, "pcie.radio-b.dma")).isEqualTo("dma3");
        assertThat(names(faults)).contains("bot.usb1", "disk.usb1.sector", "bot.hc-b-usb2", "bot.hc-b-usb1", "bridge.hc-b-usb1",
                "usb.1.packet", "usb.hc-b.1.packet", "usb.hc-b.6.link", "irq.hc-a", "irq.hc-b", "rf.rf0", "rf.rf1", "wifi.radio-a.rx", "wifi.radio-b.rx");
        // Each function answers in its slot's configuration space (vendor id, PCIe §7.5.1.1).
        for (int slot = 1; slot <= 4; slot++) {
            assertThat(m.bus().read(ECAM + ((long) slot << 15), 2, Masters.DEBUG)).as("slot " + slot).isNotEqualTo(0xFFFFL);
        }
        assertThat(m.bus().read(ECAM + (5L << 15), 2, Masters.DEBUG)).as("empty slot 5").isEqualTo(0xFFFFL);
        assertThat(m.wifi()).as("Machine.wifi() is the first baseband").hasValueSatisfying(bb -> assertThat(bb.name()).isEqualTo("radio-a"));
    }

    @Test
    void virtKeepsItsNames(@TempDir Path dir) throws Exception {
        Path disk = Files.write(dir.resolve("d.img"), new byte[64 * 512]);
        Machine m = machine(MachineConfig.of(TestImages.image("hello.elf")),
                BoardOptions.none().withUsb(UsbAttachment.storage(disk)).withWifi(WifiAttachment.quiet()));
        BoardDescription virt = Boards.load("virt");
        assertThat(Masters.name(PcieDevices.dmaMaster(virt, virt.device("ehci0").orElseThrow()))).isEqualTo("dma0");
        assertThat(master(m.faults(), "pcie.wifi0.dma")).isEqualTo("dma1");
        assertThat(names(m.faults())).contains("bot.usb1", "usb.1.packet", "rf.rf0", "wifi.wifi0.rx");
        Machine wifiOnly = machine(MachineConfig.of(TestImages.image("hello.elf")), BoardOptions.none().withWifi(WifiAttachment.quiet()));
        assertThat(master(wifiOnly.faults(), "pcie.wifi0.dma")).as("dma1 whether or not --usb is given").isEqualTo("dma1");
    }

    private static Machine machine(MachineConfig config, BoardOptions options) throws Exception {
        return Machine.create(config, options, new Console(CharBackend.of(b -> { }, CharSource.none())));
    }

    private static java.util.List<String> names(FaultPoints faults) {
        return faults.all().stream().map(FaultPoint::name).toList();
    }

    /** The master a PCIe function's DMA point names in its description ("... (master dma1)"). */
    private static String master(FaultPoints faults, String point) {
        String d = faults.find(point).orElseThrow(() -> new AssertionError("no fault point " + point)).description();
        return d.substring(d.indexOf("(master ") + 8, d.indexOf(')', d.indexOf("(master ")));
    }
}
