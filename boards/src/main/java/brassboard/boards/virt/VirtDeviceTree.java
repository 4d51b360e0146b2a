package brassboard.boards.virt;

import brassboard.boards.board.wiring.Psci;
import brassboard.boards.api.BoardFactory;
import brassboard.boards.api.ConfigException;
import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtNode;
import java.util.List;
import java.util.Set;

/**
 * The device tree of the {@code virt} board, as the board builder generates it from the board
 * file ({@code brassboard/boards/board/virt.yaml}): laid out as QEMU's {@code create_fdt()} and
 * friends lay it out for a Cortex-A15, so firmware that reads QEMU's tree reads ours.
 */
final class VirtDeviceTree {
    /** QEMU's FDT_MAX_SIZE, the blob handed to firmware in flash (the board builder's rule). */
    static final int QEMU_FDT_SIZE = 1 << 20;
    /** The blob's size for a program in RAM, or a board with under 16 MiB of RAM (the board builder's rule). */
    static final int SMALL_FDT_SIZE = 64 << 10;

    private VirtDeviceTree() {
    }

    /** The tree as a node structure (with the randomness of run seed 0). */
    static FdtNode build(long ramBytes, Psci.Conduit conduit, int ncpus) {
        return build(ramBytes, conduit, ncpus, 0);
    }

    /** The tree of a run with seed {@code seed} and no command-line devices. */
    static FdtNode build(long ramBytes, Psci.Conduit conduit, int ncpus, long seed) {
        return build(ramBytes, conduit, ncpus, seed, Set.of());
    }

    /** The tree of a run with the command-line devices {@code options} ({@code spi-flash}, ...). */
    static FdtNode build(long ramBytes, Psci.Conduit conduit, int ncpus, long seed, Set<String> options) {
        if (conduit != Psci.Conduit.HVC) {
            throw new IllegalArgumentException("the virt board serves PSCI on HVC, as QEMU's virt without EL3");
        }
        try {
            return BoardFactory.get().deviceTree(VirtBoard.NAME, ramBytes, ncpus, seed, options);
        } catch (ConfigException e) {
            throw new IllegalStateException("the built-in virt board file is broken: " + e.getMessage(), e);
        }
    }

    /** The tree as a flattened blob. */
    static byte[] blob(long ramBytes, Psci.Conduit conduit) {
        return blob(ramBytes, conduit, 1);
    }

    /** The tree of a machine with {@code ncpus} cores as a flattened blob. */
    static byte[] blob(long ramBytes, Psci.Conduit conduit, int ncpus) {
        return blob(build(ramBytes, conduit, ncpus), QEMU_FDT_SIZE);
    }

    /** {@code root} as a blob of {@code totalSize} bytes, the tree followed by free space. */
    static byte[] blob(FdtNode root, int totalSize) {
        return Fdt.write(root, List.of(), 0, totalSize);
    }
}
