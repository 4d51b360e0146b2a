package brassboard.boards.virt;

import brassboard.boards.board.wiring.Psci;
import brassboard.firmware.fdt.FdtNode;
import brassboard.firmware.fdt.FdtProperty;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The {@code virt} board's SPI, Brassboard's addition to QEMU's map (docs/devices/spi.md), as
 * its board file describes it: with {@code --spi-flash}, a PL022 ({@link VirtMap#SPI0}) with a
 * W25Q80BL NOR flash on its chip select; with {@code --spi-eeprom}, a second PL022
 * ({@link VirtMap#SPI1}) with an AT25256 EEPROM. One part per controller because a PL022 has one
 * chip select of its own (SSPFSSOUT).
 *
 * <p>Fault points: {@code spi.spi0.transfer} / {@code spi.spi1.transfer} (the buses),
 * {@code flash.flash0.erase} (the flash), {@code irq.spi0} / {@code irq.spi1} (SSPINTR).
 */
public final class SpiWiring {
    private SpiWiring() {
    }

    /**
     * Adds to a virt tree the controllers' and parts' nodes a run with {@code --spi-flash} and/or
     * {@code --spi-eeprom} has (generated from the board file, as a run generates them).
     */
    static void addNodes(FdtNode root, boolean withFlash, boolean withEeprom) {
        Set<String> options = new LinkedHashSet<>();
        if (withFlash) {
            options.add("spi-flash");
        }
        if (withEeprom) {
            options.add("spi-eeprom");
        }
        FdtNode full = VirtDeviceTree.build(VirtBoard.RAM_MIN, Psci.Conduit.HVC, 1, 0, options);
        for (FdtNode n : full.children()) {
            if (n.name().startsWith("spi@") && root.children().stream().noneMatch(c -> c.name().equals(n.name()))) {
                copy(n, root.child(n.name()));
            }
        }
    }

    private static void copy(FdtNode from, FdtNode to) {
        for (FdtProperty p : from.properties()) {
            to.prop(p.name(), p.value());
        }
        for (FdtNode c : from.children()) {
            copy(c, to.child(c.name()));
        }
    }
}
