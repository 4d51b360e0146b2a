package brassboard.boards.board;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.bus.api.TraceEvent;
import brassboard.firmware.fdt.FdtNode;
import brassboard.boards.testkit.TestMachine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The example SoC (docs/examples/soc/soc.yaml), a board that is not virt: its own image
 * (firmware/soc/) greets on both UARTs and finds the SPI parts and the PCIe WiFi the file
 * describes, at the file's addresses.
 */
class ExampleSocTest {
    static final Path BOARD = Path.of("..", "docs", "examples", "soc", "soc.yaml");

    @Test
    void itsImageRunsAndPrintsOnBothUarts() throws Exception {
        MachineConfig config = MachineConfig.of(TestImages.image("soc-hello.elf")).withBoard(BOARD.toString());
        TestImages.Rig rig = TestImages.rig(config, null);
        List<TraceEvent> uart1 = new ArrayList<>();
        rig.machine().tracer().addSink(e -> {
            if (e.kind().equals("uart.line")) {
                uart1.add(e);
            }
        });
        RunResult r = rig.machine().run(RunLimits.none().withMaxTimeNs(1_000_000_000L));
        assertThat(r.outcome()).as(rig.text()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(rig.text()).isEqualTo("""
                example-soc: hello on uart0 at 0x1c090000\r
                dtb at 0x80000000, model brassboard,example-soc\r
                spi0 cs0: JEDEC ID ef4014\r
                spi1 cs0: EEPROM byte 0 = ff\r
                pci 00:00.0 1b36:0008\r
                pci 00:03.0 %s\r
                """.formatted(wifiId()));
        assertThat(uart1).extracting(TraceEvent::source).containsOnly("uart1");
        assertThat(uart1).extracting(TraceEvent::detail)
                .containsExactly("example-soc: hello on uart1 at 0x1c0a0000", "example-soc: done");
    }

    @Test
    void aFirmwareTestOnTheTestApiRunsOnTheBoardFile() {
        try (TestMachine m = TestMachine.builder().board(BOARD).image(TestImages.image("soc-hello.elf")).build()) {
            m.console().expect("spi0 cs0: JEDEC ID (\\w+)", Duration.ofMillis(100));
            assertThat(m.console().expect("pci 00:03.0 (\\S+)\r\n", Duration.ofMillis(100)).group(1)).isEqualTo(wifiId());
            assertThat(m.runToEnd(Duration.ofSeconds(1)).outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        }
    }

    /** The baseband's vendor:device as ECAM reads it. */
    private static String wifiId() {
        return String.format("%04x:%04x", brassboard.devices.wifi.WifiBaseband.VENDOR, brassboard.devices.wifi.WifiBaseband.DEVICE);
    }

    @Test
    void itsTreeHasTheFilesAddressesAndInterrupts() throws Exception {
        BoardDescription soc = BoardReader.read(BOARD, Catalogue.standard());
        FdtNode root = DeviceTreeWriter.tree(soc, 256L << 20, 2, 0, Set.of());
        assertThat(root.find("/chosen").orElseThrow().property("stdout-path").orElseThrow().asString()).isEqualTo("/pl011@1c090000");
        assertThat(root.find("/pl011@1c0a0000").orElseThrow().property("interrupts").orElseThrow().asCells()).containsExactly(0, 6, 4);
        assertThat(root.find("/memory@80000000")).isPresent();
        assertThat(root.find("/intc@2c001000/v2m@2c1f0000")).isPresent();
        assertThat(root.find("/spi@1c0b0000/flash@0")).isPresent();
        assertThat(root.find("/spi@1c0c0000/eeprom@0")).isPresent();
        assertThat(root.find("/pcie@40000000").orElseThrow().property("reg").orElseThrow().asCells())
                .containsExactly(0, 0x3000_0000, 0, 0x0100_0000);
        // The RTC and SPI1 share SPI 4 through the wired-OR: both nodes name the GIC's input.
        assertThat(root.find("/pl031@1c170000").orElseThrow().property("interrupts").orElseThrow().asCells()).containsExactly(0, 4, 4);
        assertThat(root.find("/spi@1c0c0000").orElseThrow().property("interrupts").orElseThrow().asCells()).containsExactly(0, 4, 4);
        assertThat(root.find("/cpus/cpu@1").orElseThrow().property("enable-method").orElseThrow().asString()).isEqualTo("psci");
    }
}
