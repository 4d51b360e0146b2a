package brassboard.boards.api;

import brassboard.firmware.api.ImageException;
import brassboard.firmware.fdt.FdtNode;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Builds machines from board descriptions. The implementation (the generic board builder,
 * {@code brassboard.boards.board.Boards}) is found with {@link ServiceLoader}, so this package
 * depends on no board.
 */
public interface BoardFactory {
    /** Builds the board {@code config.board()} names (a built-in name such as {@code virt}, or a board file) and loads the image. */
    Machine build(MachineConfig config, BoardOptions options, Console console) throws ConfigException, ImageException;

    /**
     * The device tree board {@code board} hands firmware on a machine with this RAM and these cores,
     * with the devices the command-line {@code options} ({@code usb}, {@code spi-flash} ...) bring in.
     */
    FdtNode deviceTree(String board, long ramBytes, int cpus, long seed, Set<String> options) throws ConfigException;

    /** The implementation on the class path. */
    static BoardFactory get() {
        return Holder.INSTANCE;
    }

    /** Lazily loads the implementation once. */
    final class Holder {
        static final BoardFactory INSTANCE = ServiceLoader.load(BoardFactory.class, BoardFactory.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no board builder on the class path (brassboard-boards is incomplete)"));

        private Holder() {
        }
    }
}
