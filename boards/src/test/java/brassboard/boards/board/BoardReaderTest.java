package brassboard.boards.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.api.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad board descriptions: each gets one line naming the file, the line and the field. */
class BoardReaderTest {
    /** A small valid board; tests append or change lines. */
    static final String BASE = """
            board: tiny
            memory:
              - {name: ram, type: ram, base: 0x40000000}
            chosen: {stdout: uart0}
            devices:
              - {name: clk, type: fixed-clock, frequency: 24000000}
              - name: gic
                type: gicv2
                regions:
                  dist: {base: 0x08000000, size: 0x10000}
                  cpu: {base: 0x08010000, size: 0x10000}
              - {name: uart0, type: pl011, base: 0x09000000, irq: spi 1, clock: clk}
            """;

    private static BoardDescription parse(String text) throws ConfigException {
        return BoardReader.parse(text, "soc.yaml", null, Catalogue.standard());
    }

    private static void rejects(String text, String message) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ConfigException.class).hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void theBaseBoardIsValid() throws Exception {
        BoardDescription b = parse(BASE);
        assertThat(b.name()).isEqualTo("tiny");
        assertThat(b.byName()).containsKeys("clk", "gic", "uart0");
        assertThat(b.device("uart0").orElseThrow().window().size()).isEqualTo(0x1000);
    }

    @Test
    void overlappingRegionsNameBoth() {
        rejects(BASE + "  - {name: uart1, type: pl011, base: 0x09000800, irq: spi 2, clock: clk}\n",
                "soc.yaml: line 13: uart1: 0x09000800-0x090017ff overlaps uart0 0x09000000-0x09000fff (line 12)");
        rejects(BASE.replace("base: 0x08010000", "base: 0x40001000"),
                "soc.yaml: line 11: gic-cpu: 0x40001000-0x40010fff overlaps ram 0x40000000-0xffffffff (line 3)");
    }

    @Test
    void anIrqWiredTwice() {
        rejects(BASE + "  - {name: uart1, type: pl011, base: 0x09001000, irq: spi 1, clock: clk}\n",
                "soc.yaml: line 13: devices[uart1].irqs.intr: gic spi 1 is wired twice: to uart0.intr (line 12) and to uart1.intr");
    }

    @Test
    void anIrqBeyondTheController() {
        rejects(BASE.replace("irq: spi 1", "irq: spi 300"),
                "soc.yaml: line 12: devices[uart0].irqs.intr: 'spi 300': gic has SPIs 0 to 255");
        rejects(BASE.replace("irq: spi 1", "irq: spy 1"),
                "soc.yaml: line 12: devices[uart0].irq: 'spy 1': unknown input kind 'spy'; expected spi or ppi");
    }

    @Test
    void anUnknownDeviceOrParameter() {
        rejects(BASE + "  - {name: dma0, type: pl330, base: 0x09002000}\n",
                "soc.yaml: line 13: devices[dma0].type: unknown device type 'pl330'; known: " + String.join(", ", Catalogue.standard().names())
                        + " (brassboard devices)");
        rejects(BASE.replace("irq: spi 1, clock: clk}", "irq: spi 1, clock: clk, baud: 115200}"),
                "soc.yaml: line 12: devices[uart0].baud: unknown parameter 'baud' of pl011; expected one of clock, output");
        rejects(BASE.replace("irq: spi 1, clock: clk}", "irq: spi 1, clock: clock0}"),
                "soc.yaml: line 12: devices[uart0].clock: no device named 'clock0'");
    }

    @Test
    void aReferenceToTheWrongKindOfDevice() {
        rejects(BASE.replace("irq: spi 1, clock: clk}", "irq: spi 1, clock: gic}"),
                "soc.yaml: line 12: devices[uart0].clock: 'gic' is a gicv2; expected a fixed-clock");
        rejects(BASE + "  - {name: v2m, type: gicv2m, parent: late, base: 0x08020000, irqs: {msi: spi 48-111}}\n"
                        + "  - {name: late, type: fixed-clock}\n",
                "soc.yaml: line 13: devices[v2m].parent: 'late' comes later in the file; list a parent before its children");
    }

    @Test
    void aUsbPortInTheWrongSyntax() {
        rejects(BASE + """
                  - name: pcie
                    type: pci-host-ecam
                    regions:
                      ecam: {base: 0x30000000, size: 16M}
                      pio: {base: 0x2f000000, size: 64K}
                      mmio: {base: 0x10000000, size: 256M}
                    irqs: {inta: spi 3, intb: spi 4, intc: spi 5, intd: spi 6}
                    devices:
                      - {name: ehci0, type: usb-ehci, slot: 1, ports: ["floppy,disk=a.img"]}
                """, "soc.yaml: line 21: devices[ehci0].ports: --usb floppy,disk=a.img: unknown device kind 'floppy'; expected "
                + brassboard.boards.api.UsbAttachment.SYNTAX);
    }

    @Test
    void aRuleOfTheDeviceType() {
        rejects(BASE.replace("type: gicv2", "type: gicv2\n    spis: 100"),
                "soc.yaml: line 9: devices[gic].spis: 100 is not a multiple of 32");
    }

    @Test
    void aSizeNotAPowerOfTwo() {
        rejects(BASE.replace("dist: {base: 0x08000000, size: 0x10000}", "dist: {base: 0x08000000, size: 0x3000}"),
                "soc.yaml: line 10: devices[gic].regions.dist.size: 0x3000 is not a power of two; a gicv2's dist window must be");
        rejects(BASE + "  - {name: flash, type: cfi-flash, base: 0, size: 0x300000}\n",
                "soc.yaml: line 13: devices[flash].size: 0x300000 is not a power of two; a cfi-flash's regs window must be");
    }

    @Test
    void aChipSelectOutOfRangeOrTaken(@TempDir Path dir) throws Exception {
        Path img = Files.write(dir.resolve("nor.bin"), new byte[1 << 20]);
        String spi = BASE + """
                  - name: spi0
                    type: pl022
                    base: 0x09003000
                    irq: spi 5
                    clock: clk
                    devices:
                      - {name: nor0, type: spi-nor, cs: %d, file: %s}
                """;
        assertThat(parse(spi.formatted(0, img)).device("nor0").orElseThrow().position()).isZero();
        rejects(spi.formatted(1, img), "soc.yaml: line 19: devices[nor0].cs: chip select 1 is out of range: spi0 (pl022) has chip selects 0 only");
        rejects(BASE + "  - {name: nor1, type: spi-nor, file: x}\n",
                "soc.yaml: line 13: devices[nor1]: a spi-nor sits on a spi bus; list it under the controller's devices:");
    }

    @Test
    void aMissingBackingFile(@TempDir Path dir) {
        rejects(BASE + """
                  - name: spi0
                    type: pl022
                    base: 0x09003000
                    irq: spi 5
                    clock: clk
                    devices:
                      - {name: nor0, type: spi-nor, cs: 0, file: %s}
                """.formatted(dir.resolve("gone.bin")),
                "soc.yaml: line 19: devices[nor0].file: backing file " + dir.resolve("gone.bin")
                        + " does not exist; expected an existing file (paths are relative to the board file)");
        rejects(BASE.replace("- {name: ram, type: ram, base: 0x40000000}",
                        "- {name: ram, type: ram, base: 0x40000000}\n  - {name: boot, type: rom, base: 0x0, file: " + dir.resolve("boot.bin") + "}"),
                "soc.yaml: line 4: memory[boot].file: backing file " + dir.resolve("boot.bin")
                        + " does not exist; expected an existing file (paths are relative to the board file)");
    }

    @Test
    void yamlSyntaxAndStructure() {
        assertThatThrownBy(() -> parse("board: [x\n")).isInstanceOf(ConfigException.class).hasMessageStartingWith("soc.yaml: line ");
        rejects("board: x\ncolour: red\nmemory: []\n", "soc.yaml: line 2: colour: unknown key; expected one of board, chosen, compatible, cpus, devices, memory, model");
        rejects(BASE.replace("name: uart0, type: pl011", "name: gic, type: pl011"),
                "soc.yaml: line 12: devices[gic].name: 'gic' is already the name of the entry on line 7");
    }

    @Test
    void aBoardFileOnDiskResolvesFilesBesideIt(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("boot.bin"), new byte[100]);
        Path board = Files.writeString(dir.resolve("soc.yaml"), BASE.replace("- {name: ram, type: ram, base: 0x40000000}",
                "- {name: ram, type: ram, base: 0x40000000}\n  - {name: boot, type: rom, base: 0x0, file: boot.bin}"));
        BoardDescription b = BoardReader.read(board, Catalogue.standard());
        assertThat(b.memories().get(1).file()).isEqualTo(dir.resolve("boot.bin"));
        assertThat(b.memories().get(1).size()).isEqualTo(0x1000);
        assertThatThrownBy(() -> BoardReader.read(dir.resolve("none.yaml"), Catalogue.standard()))
                .hasMessage(dir.resolve("none.yaml") + ": no such board file; expected a board name (virt) or a board file (docs/boards.md)");
    }
}
