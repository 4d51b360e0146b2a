package brassboard.boards.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.TestImages;
import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.ConfigException;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.bus.api.FaultPoint;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** USB devices as structured entries under a board file's usb-ehci: built on their ports, named as the file names them, mistakes at line and field. */
class UsbDevicesTest {
    private static final String PCIE = """
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
                  - name: ehci0
                    type: usb-ehci
                    slot: 1
                    devices:
            """;

    @TempDir
    Path dir;

    private Path board(String usbDevices) throws Exception {
        Files.write(dir.resolve("stick.img"), new byte[64 * 512]);
        Files.write(dir.resolve("hdd.img"), new byte[128 * 512]);
        return Files.writeString(dir.resolve("usb.yaml"), BoardReaderTest.BASE + PCIE + usbDevices.indent(10));
    }

    private Machine build(Path board) throws Exception {
        return Machine.create(MachineConfig.of(TestImages.image("hello.elf")).withBoard(board.toString()).withRam(32L << 20),
                BoardOptions.none(), new Console(CharBackend.of(b -> { }, CharSource.none())));
    }

    @Test
    void entriesUnderTheEhciAreBuiltOnTheirPortsUnderTheirNames() throws Exception {
        Machine m = build(board("""
                - {name: stick, type: usb-storage, port: 2, disk: stick.img, bad-read: 5}
                - name: hdd
                  type: usb-supertop
                  port: 4
                  disk: hdd.img
                  readonly: true
                  bad: 10-12
                  retry-time: 1ms
                  wedge-after: 1M
                """));
        assertThat(m.faults().all().stream().map(FaultPoint::name)).contains("bot.stick", "disk.stick.sector", "scsi.stick.command",
                "bot.hdd", "bridge.hdd", "usb.2.packet").doesNotContain("bot.usb2", "bot.usb4");
        BoardDescription desc = Boards.load(m.config().board());
        assertThat(BoardTables.show(desc, 32L << 20)).contains("port 2").contains("port 4");
    }

    @Test
    void theEntryIsTheSameDeviceAsItsUsbOption() throws Exception {
        Path b = board("- {name: hdd, type: usb-supertop, port: 3, disk: hdd.img, write-through: true, bad-write: 7+9, wedge-after: 1M}\n");
        DeviceSpec hdd = Boards.load(b.toString()).device("hdd").orElseThrow();
        assertThat(UsbDevices.attachment(hdd)).isEqualTo(brassboard.boards.api.UsbAttachment.parse(
                "supertop,disk=" + dir.resolve("hdd.img") + ",port=3,write-through,bad-write=7+9,wedge-after=1M"));
    }

    @Test
    void mistakesNameTheLineAndField() throws Exception {
        String f = dir.resolve("usb.yaml").toString();
        rejects("- {name: s, type: usb-storage, port: 7, disk: stick.img}\n",
                f + ": line 27: devices[s].port: port 7 is out of range: ehci0 (usb-ehci) has ports 1 to 6");
        rejects("- {name: s, type: usb-storage, port: 1, disk: stick.img}\n- {name: t, type: usb-storage, port: 1, disk: stick.img}\n",
                f + ": line 28: devices[t].port: port 1 of ehci0 is taken by s");
        rejects("- {name: s, type: usb-storage, port: 1}\n", f + ": line 27: devices[s].disk: missing; the raw disk image (relative to the board file)");
        rejects("- {name: s, type: usb-storage, port: 1, disk: stick.img, wedge-after: 1M}\n",
                f + ": line 27: devices[s].wedge-after: unknown parameter 'wedge-after' of usb-storage; expected one of disk, write-through, readonly, bad, bad-read, bad-write, retry-time");
        rejects("- {name: s, type: usb-storage, port: 1, disk: stick.img, write-through: true, readonly: true}\n",
                f + ": line 27: devices[s].readonly: write-through and readonly exclude each other; expected at most one");
        assertThatThrownBy(() -> build(board("- {name: s, type: usb-storage, port: 1, disk: stick.img, bad-read: five}\n")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(f + ": line 27: devices[s].bad-read: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("--usb"));
        assertThatThrownBy(() -> build(board("- {name: s, type: usb-storage, disk: stick.img}\n")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(f + ": line 27: devices[s].port: missing");
        assertThatThrownBy(() -> build(board("- {name: s, type: usb-storage, port: 1, disk: gone.img}\n")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(f + ": line 27: devices[s].disk: ");
    }

    private void rejects(String usbDevices, String message) throws Exception {
        Path b = board(usbDevices);
        assertThatThrownBy(() -> build(b)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void aUsbDeviceOutsideAControllerIsRefused() throws Exception {
        Files.write(dir.resolve("stick.img"), new byte[512]);
        Path b = Files.writeString(dir.resolve("bad.yaml"), BoardReaderTest.BASE + "  - {name: s, type: usb-storage, port: 1, disk: stick.img}\n");
        assertThatThrownBy(() -> Boards.load(b.toString())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("devices[s]").hasMessageContaining("list it under the controller's devices:");
    }
}
