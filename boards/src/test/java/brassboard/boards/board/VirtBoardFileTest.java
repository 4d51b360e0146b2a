package brassboard.boards.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.virt.VirtMap;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The virt board as a board file: the DTB generated from it equals, byte for byte, the one the
 * hand-written virt board produced before boards became data (golden blobs made by that code),
 * and its windows and interrupts agree with {@link VirtMap}, QEMU's table.
 */
class VirtBoardFileTest {
    private static byte[] golden(String name) throws IOException {
        try (InputStream in = new GZIPInputStream(VirtBoardFileTest.class.getResourceAsStream("golden/" + name + ".dtb.gz"))) {
            return in.readAllBytes();
        }
    }

    @Test
    void generatedDtbEqualsTheHandWrittenBoardsByteForByte() throws Exception {
        BoardDescription virt = Boards.load("virt");
        assertThat(DeviceTreeWriter.blob(DeviceTreeWriter.tree(virt, 128L << 20, 1, 0, Set.of()), DeviceTreeWriter.QEMU_FDT_SIZE))
                .as("128 MiB, one core").isEqualTo(golden("virt-128m-1cpu"));
        assertThat(DeviceTreeWriter.blob(DeviceTreeWriter.tree(virt, 256L << 20, 4, 7, Set.of("spi-flash", "spi-eeprom")),
                DeviceTreeWriter.QEMU_FDT_SIZE)).as("256 MiB, four cores, seed 7, both SPI parts").isEqualTo(golden("virt-256m-4cpu-seed7-spi"));
        assertThat(DeviceTreeWriter.blob(DeviceTreeWriter.tree(virt, 8L << 20, 2, 3, Set.of("spi-flash")), DeviceTreeWriter.SMALL_FDT_SIZE))
                .as("8 MiB, two cores, seed 3, SPI flash only").isEqualTo(golden("virt-8m-2cpu-seed3-spiflash"));
    }

    @Test
    void theBuiltInBoardIsParsedOnceAndCannotBeChangedByAMachine() throws Exception {
        BoardDescription virt = Boards.load("virt");
        assertThat(Boards.load("virt")).isSameAs(virt);
        DeviceSpec uart = virt.byName().get("uart0");
        assertThatThrownBy(() -> virt.devices().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> uart.windows().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> uart.params().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> uart.irqs().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void windowsAndInterruptsAgreeWithQemusTable() throws Exception {
        BoardDescription virt = Boards.load("virt");
        assertThat(virt.ram().base()).isEqualTo(VirtMap.RAM_BASE);
        var d = virt.byName();
        assertThat(d.get("uart0").window().base()).isEqualTo(VirtMap.UART0.base());
        assertThat(d.get("uart0").irq("intr").first()).isEqualTo(VirtMap.UART0.spi());
        assertThat(d.get("rtc").window().base()).isEqualTo(VirtMap.RTC.base());
        assertThat(d.get("rtc").irq("intr").first()).isEqualTo(VirtMap.RTC.spi());
        assertThat(d.get("gic").window("dist").base()).isEqualTo(VirtMap.GIC_DIST.base());
        assertThat(d.get("gic").window("cpu").base()).isEqualTo(VirtMap.GIC_CPU.base());
        assertThat(d.get("gic").number("spis")).isEqualTo(VirtMap.GIC_SPIS);
        assertThat(d.get("gic-v2m").window().base()).isEqualTo(VirtMap.GIC_V2M.base());
        assertThat(d.get("gic-v2m").irq("msi").first()).isEqualTo(VirtMap.GIC_V2M.spi());
        assertThat(d.get("gic-v2m").irq("msi").count()).isEqualTo(VirtMap.GIC_V2M_SPIS);
        assertThat(d.get("flash").window().base()).isEqualTo(VirtMap.FLASH0.base());
        assertThat(d.get("flash").window().size()).isEqualTo(VirtMap.FLASH0.size() + VirtMap.FLASH1.size());
        assertThat(d.get("pcie").window("ecam").base()).isEqualTo(VirtMap.PCIE_ECAM.base());
        assertThat(d.get("pcie").window("ecam").size()).isEqualTo(VirtMap.PCIE_ECAM.size());
        assertThat(d.get("pcie").window("pio").base()).isEqualTo(VirtMap.PCIE_PIO.base());
        assertThat(d.get("pcie").window("mmio").base()).isEqualTo(VirtMap.PCIE_MMIO.base());
        assertThat(d.get("pcie").window("mmio").size()).isEqualTo(VirtMap.PCIE_MMIO.size());
        assertThat(d.get("pcie").irq("inta").first()).isEqualTo(VirtMap.PCIE_MMIO.spi());
        assertThat(d.get("spi0").window().base()).isEqualTo(VirtMap.SPI0.base());
        assertThat(d.get("spi0").irq("intr").first()).isEqualTo(VirtMap.SPI0.spi());
        assertThat(d.get("spi1").window().base()).isEqualTo(VirtMap.SPI1.base());
        assertThat(d.get("spi1").irq("intr").first()).isEqualTo(VirtMap.SPI1.spi());
        assertThat(d.get("timer").irq("phys").first()).isEqualTo(VirtMap.TIMER_PPI_NS_PHYS);
        assertThat(d.get("timer").irq("virt").first()).isEqualTo(VirtMap.TIMER_PPI_VIRT);
        assertThat(d.get("timer").irq("hyp").first()).isEqualTo(VirtMap.TIMER_PPI_HYP);
        assertThat(d.get("timer").irq("sec-phys").first()).isEqualTo(VirtMap.TIMER_PPI_SEC_PHYS);
    }
}
