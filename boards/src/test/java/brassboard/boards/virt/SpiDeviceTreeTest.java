package brassboard.boards.virt;

import brassboard.boards.board.wiring.Psci;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.firmware.fdt.FdtNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SPI controllers' nodes (Brassboard's addition to virt), decoded by Debian's {@code dtc}. */
class SpiDeviceTreeTest {
    private static String decode(Path dir, FdtNode tree) throws Exception {
        return VirtDtbAgainstDtcTest.decodeCleanly(dir, VirtDeviceTree.blob(tree, VirtDeviceTree.SMALL_FDT_SIZE));
    }

    @Test
    void bothControllersWithTheirPartsAsTheBindingsWantThem(@TempDir Path dir) throws Exception {
        FdtNode tree = VirtDeviceTree.build(128L << 20, Psci.Conduit.HVC, 1);
        SpiWiring.addNodes(tree, true, true);
        String text = decode(dir, tree);
        assertThat(text)
                .contains("spi@9100000 {")
                .contains("spi@9101000 {")
                .contains("compatible = \"arm,pl022\\0arm,primecell\";")
                .contains("reg = <0x00 0x9100000 0x00 0x1000>;")
                .contains("interrupts = <0x00 0x0c 0x04>;")
                .contains("interrupts = <0x00 0x0d 0x04>;")
                .contains("clocks = <0x8000 0x8000>;")
                .contains("clock-names = \"sspclk\\0apb_pclk\";")
                .contains("num-cs = <0x01>;")
                .contains("flash@0 {")
                .contains("compatible = \"jedec,spi-nor\";")
                .contains("spi-max-frequency = <0xb71b00>;")
                .contains("pl022,com-mode = <0x00>;")
                .contains("eeprom@0 {")
                .contains("compatible = \"atmel,at25\";")
                .contains("size = <0x8000>;")
                .contains("pagesize = <0x40>;")
                .contains("address-width = <0x10>;");
    }

    @Test
    void noSpiOptionNoNode(@TempDir Path dir) throws Exception {
        FdtNode tree = VirtDeviceTree.build(128L << 20, Psci.Conduit.HVC, 1);
        SpiWiring.addNodes(tree, false, false);
        assertThat(decode(dir, tree)).doesNotContain("spi@").doesNotContain("pl022");
        FdtNode flashOnly = VirtDeviceTree.build(128L << 20, Psci.Conduit.HVC, 1);
        SpiWiring.addNodes(flashOnly, true, false);
        assertThat(decode(dir, flashOnly)).contains("spi@9100000 {").doesNotContain("spi@9101000");
    }
}
