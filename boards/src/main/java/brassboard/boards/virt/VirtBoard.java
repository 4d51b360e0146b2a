package brassboard.boards.virt;

import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.ConfigException;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.firmware.api.ImageException;

/**
 * QEMU's {@code virt} board, built by the generic board builder from its board file
 * ({@code brassboard/boards/board/virt.yaml}, which agrees with {@link VirtMap}). The same as
 * {@link Machine#create} with board {@value #NAME}.
 */
public final class VirtBoard {
    /** The board's name on the command line. */
    public static final String NAME = "virt";
    /** Largest RAM one region can hold for now. */
    public static final long RAM_MAX = 2047L << 20;
    /** Smallest RAM that leaves room for a DTB and a program. */
    public static final long RAM_MIN = 1L << 20;

    private VirtBoard() {
    }

    /** Builds the board and loads the image. */
    public static Machine build(MachineConfig config, Console console) throws ConfigException, ImageException {
        return build(config, BoardOptions.none(), console);
    }

    /** Builds the board with host files backing its storage ({@code --flash1}) and its command-line devices, and loads the image. */
    public static Machine build(MachineConfig config, BoardOptions options, Console console) throws ConfigException, ImageException {
        return Machine.create(config.withBoard(NAME), options, console);
    }
}
