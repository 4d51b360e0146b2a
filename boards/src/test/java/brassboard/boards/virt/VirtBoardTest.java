package brassboard.boards.virt;

import brassboard.boards.board.wiring.Psci;
import static brassboard.boards.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.TestImages;
import brassboard.boards.api.ConfigException;
import brassboard.boards.api.MachineConfig;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.MemoryBus;
import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtNode;
import org.junit.jupiter.api.Test;

class VirtBoardTest {
    @Test
    void memoryMapMatchesQemuVirt() throws Exception {
        AddressSpace bus = TestImages.rig("hello.elf").machine().bus();
        assertThat(bus.mappingAt(0x0000_0000L).region().name()).isEqualTo("flash0");
        assertThat(bus.mappingAt(0x0400_0000L).region().name()).isEqualTo("flash1");
        assertThat(bus.mappingAt(0x0900_0000L).region().name()).isEqualTo("uart0");
        assertThat(bus.mappingAt(0x0901_0000L).region().name()).isEqualTo("rtc");
        assertThat(bus.mappingAt(0x4000_0000L).region().name()).isEqualTo("ram");
        assertThat(bus.mappingAt(0x47FF_FFFFL).region().name()).isEqualTo("ram");
        assertThat(bus.mappingAt(0x4800_0000L)).isNull();
        // PL011 PeriphID0 and PL031 PeriphID0 answer at their virt addresses
        assertThat(bus.read(0x0900_0FE0L, 4, 0)).isEqualTo(0x11);
        assertThat(bus.read(0x0901_0FE0L, 4, 0)).isEqualTo(0x31);
        // the GIC answers at its virt addresses: GICD_TYPER (ITLinesNumber 8 for QEMU's 256 SPIs, one CPU), GICD_IIDR
        assertThat(bus.read(VirtMap.GIC_DIST.base() + 0x004, 4, 0)).isEqualTo(0x8);
        // the GICv2m frame: MSI_TYPER = INTID 80, 64 SPIs
        assertThat(bus.read(VirtMap.GIC_V2M.base() + 0x008, 4, 0)).isEqualTo(0x0050_0040L);
        assertThat(bus.read(VirtMap.GIC_DIST.base() + 0x008, 4, 0)).isEqualTo(0x43B);
        assertThat(bus.read(VirtMap.GIC_CPU.base() + 0x00C, 4, 0)).isEqualTo(1023); // GICC_IAR: spurious
        // a window not modelled yet (fw-cfg) is a bus error, not silent success
        assertThat(bus.read(VirtMap.FW_CFG.base(), 4, 0)).isEqualTo(MemoryBus.BUS_ERROR);
    }

    @Test
    void theMapTableHasNoOverlaps() {
        for (VirtMap.Entry a : VirtMap.ENTRIES) {
            for (VirtMap.Entry b : VirtMap.ENTRIES) {
                if (a != b) {
                    assertThat(a.base() <= b.last() && b.base() <= a.last()).as(a.name() + " vs " + b.name()).isFalse();
                }
            }
            assertThat(a.last()).isLessThan(VirtMap.RAM_BASE);
        }
        assertThat(VirtMap.UART0.spi()).isEqualTo(1);
        assertThat(VirtMap.RTC.spi()).isEqualTo(2);
    }

    @Test
    void kernelStyleBootPassesTheDtbInR2AtTheBaseOfRam() throws Exception {
        var m = TestImages.rig("hello.elf").machine();
        assertThat(m.cpu().reg(0)).isZero();
        assertThat(m.cpu().reg(1)).isEqualTo(0xFFFF_FFFF);
        assertThat(m.cpu().reg(2)).isEqualTo(0x4000_0000);
        assertThat(m.bus().read(0x4000_0000L, 4, 0)).isEqualTo(0xEDFE0DD0L); // 0xd00dfeed big-endian
    }

    @Test
    void theDtbDescribesTheBoard() throws Exception {
        byte[] blob = VirtDeviceTree.blob(256L << 20, Psci.Conduit.HVC);
        FdtNode root = Fdt.read(blob);
        assertThat(root.find("/pl011@9000000")).isPresent();
        assertThat(root.find("/pl031@9010000")).isPresent();
        assertThat(root.find("/psci").orElseThrow().property("method").orElseThrow().asString()).isEqualTo("hvc");
        assertThat(root.find("/memory@40000000").orElseThrow().property("reg").orElseThrow().asCells())
                .containsExactly(0, 0x4000_0000, 0, 0x1000_0000);
        assertThat(root.find("/chosen").orElseThrow().property("stdout-path").orElseThrow().asString()).isEqualTo("/pl011@9000000");
        assertThat(root.find("/intc@8000000")).isPresent();
        assertThat(root.find("/pl011@9000000").orElseThrow().property("interrupts").orElseThrow().asCells())
                .containsExactly(0, 1, 4);
    }

    @Test
    void unknownBoardAndBadRamAreConfigErrors() {
        assertThatThrownBy(() -> TestImages.rig(MachineConfig.of(image("hello.elf")).withBoard("raspi3"), null))
                .isInstanceOf(ConfigException.class).hasMessage("unknown board 'raspi3'; known boards: virt");
        assertThatThrownBy(() -> TestImages.rig(MachineConfig.of(image("hello.elf")).withRam(3L << 30), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("between 1M and 2047M");
    }
}
