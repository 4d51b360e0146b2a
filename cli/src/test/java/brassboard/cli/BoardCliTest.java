package brassboard.cli;

import static brassboard.cli.CliTest.brassboard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brassboard board show|dtb}, {@code brassboard devices}, and {@code run --board FILE}. */
class BoardCliTest {
    private static final String HELLO = Path.of("..", "firmware", "images", "hello.elf").toString();

    @Test
    void boardShowPrintsTheMemoryAndIrqMaps() {
        CliTest.Outcome o = brassboard("board", "show", "virt");
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out())
                .contains("virt (built in): linux,dummy-virt, 1 to 8 x cortex-a15")
                .containsPattern("0x09000000-0x09000fff  pl011 +uart0")
                .containsPattern("0x08000000-0x0800ffff  gicv2 +gic-dist")
                .containsPattern("0x40000000-0x47ffffff  ram +ram +128M \\(--ram, up to 2047M\\)")
                .containsPattern("0x09100000-0x09100fff  pl022 +spi0 +\\(with --spi-flash\\)")
                .containsPattern("gic +SPI 1 +uart0.intr")
                .containsPattern("gic +SPI 48-111 +gic-v2m.msi")
                .containsPattern("gic +PPI 14 +timer.phys");
    }

    @Test
    void boardDtbWritesWhatDtcReads(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("virt.dtb");
        CliTest.Outcome o = brassboard("board", "dtb", "virt", "-o", out.toString(), "--with", "spi-flash");
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(Files.size(out)).isEqualTo(1 << 20);
        requireDtc();
        Process p = new ProcessBuilder("dtc", "-I", "dtb", "-O", "dts", out.toString()).redirectErrorStream(true).start();
        String dts = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(dts).isZero();
        assertThat(dts).contains("compatible = \"linux,dummy-virt\";").contains("spi@9100000 {").contains("compatible = \"jedec,spi-nor\";")
                .doesNotContain("Warning");
    }

    @Test
    void devicesListsTheCatalogue() {
        CliTest.Outcome o = brassboard("devices");
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out())
                .contains("pl011: ARM PrimeCell UART (PL011)")
                .contains("  param clock          device (a fixed-clock), required: the fixed-clock device giving UARTCLK and PCLK")
                .contains("  fault points: irq.{name}")
                .contains("spi-nor: ")
                .contains("  fault points: flash.{name}.erase")
                .contains("  param files ")
                .contains("usb-ehci: ")
                .contains("wifi-baseband: ")
                .contains("psci: ");
    }

    @Test
    void aBadBoardFileIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                board: bad
                memory:
                  - {name: ram, type: ram, base: 0x40000000}
                devices:
                  - {name: u, type: pl011, base: 0x09000000, baud: 9600}
                """);
        CliTest.Outcome show = brassboard("board", "show", bad.toString()).oneLineError();
        assertThat(show.status()).isEqualTo(2);
        assertThat(show.err()).isEqualTo("brassboard: " + bad + ": line 5: devices[u].baud: unknown parameter 'baud' of pl011;"
                + " expected one of clock, output\n");
        CliTest.Outcome run = brassboard("run", "--board", bad.toString(), HELLO).oneLineError();
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("line 5: devices[u].baud");
        CliTest.Outcome unknown = brassboard("board", "show", "raspi3").oneLineError();
        assertThat(unknown.status()).isEqualTo(2);
    }

    @Test
    void runTakesTheVirtBoardFileByPath(@TempDir Path dir) throws Exception {
        // The shipped virt.yaml, copied out: --board FILE builds the same machine as --board virt.
        Path file = dir.resolve("virt.yaml");
        try (var in = brassboard.boards.board.Boards.class.getResourceAsStream("virt.yaml")) {
            Files.write(file, in.readAllBytes());
        }
        CliTest.Outcome byName = brassboard("run", "--board", "virt", HELLO);
        CliTest.Outcome byFile = brassboard("run", "--board", file.toString(), HELLO);
        assertThat(byFile.status()).as(byFile.err()).isEqualTo(byName.status());
        assertThat(byFile.out()).isEqualTo(byName.out()).contains("Brassboard hello");
    }

    @Test
    void theExampleSocRunsItsImageAndItsTreeIsCleanForDtc(@TempDir Path dir) throws Exception {
        String board = Path.of("..", "docs", "examples", "soc", "soc.yaml").toString();
        String image = Path.of("..", "firmware", "images", "soc-hello.elf").toString();
        CliTest.Outcome run = brassboard("run", "--board", board, image);
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("example-soc: hello on uart0 at 0x1c090000").contains("spi0 cs0: JEDEC ID ef4014");

        Path out = dir.resolve("soc.dtb");
        CliTest.Outcome dtb = brassboard("board", "dtb", board, "-o", out.toString(), "--smp", "2", "--with", "usb");
        assertThat(dtb.status()).as(dtb.err()).isZero();
        requireDtc();
        Process p = new ProcessBuilder("dtc", "-I", "dtb", "-O", "dts", out.toString()).redirectErrorStream(true).start();
        String dts = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(dts).isZero();
        assertThat(dts).contains("model = \"brassboard,example-soc\";").contains("pl011@1c0a0000 {").contains("eeprom@0 {")
                .doesNotContain("Warning");
    }

    static void requireDtc() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "dtc"))) {
                return;
            }
        }
        if (System.getenv("CI") != null) {
            fail("dtc not found: .ci/run must install device-tree-compiler");
        }
        Assumptions.abort("dtc not found (apt-get install device-tree-compiler); skipped outside CI");
    }
}
