package brassboard.boards.board;

import brassboard.boards.api.BoardFactory;
import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.ConfigException;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.firmware.api.ImageException;
import brassboard.firmware.fdt.FdtNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Boards by name or file: a name the project ships ({@link #BUILT_IN}, each a board file among
 * this package's resources) or a path to a board file. The {@link BoardFactory} behind
 * {@link Machine#create}.
 */
public final class Boards implements BoardFactory {
    /** The boards shipped as resources ({@code brassboard/boards/board/NAME.yaml}). */
    public static final List<String> BUILT_IN = List.of("virt");

    /**
     * The built-in boards' descriptions, parsed on first use and then shared: every campaign run builds
     * a machine, and parsing and checking the board file again each time was a tenth of the build.
     * Descriptions are immutable; a board file (a path) is read again at each build, since it may change.
     */
    private static final Map<String, BoardDescription> PARSED = new ConcurrentHashMap<>();

    /** For {@link java.util.ServiceLoader}. */
    public Boards() {
    }

    /**
     * The board {@code nameOrFile} names: a built-in board, or a board file (anything with a
     * {@code /} or ending in {@code .yaml}/{@code .yml}).
     *
     * @throws ConfigException one line: an unknown name, a missing file, or what is wrong in it
     */
    public static BoardDescription load(String nameOrFile) throws ConfigException {
        if (BUILT_IN.contains(nameOrFile)) {
            BoardDescription parsed = PARSED.get(nameOrFile);
            if (parsed == null) {
                parsed = parseBuiltIn(nameOrFile);
                PARSED.putIfAbsent(nameOrFile, parsed);
            }
            return parsed;
        }
        if (isFile(nameOrFile)) {
            return BoardReader.read(Path.of(nameOrFile), Catalogue.standard());
        }
        // (a path with a '/' or a .yaml name is read as a board file, docs/boards.md)
        throw new ConfigException("unknown board '" + nameOrFile + "'; known boards: " + String.join(", ", BUILT_IN));
    }

    /**
     * Whether {@code nameOrFile} names a board file rather than a built-in board: it has a {@code /}
     * or ends in {@code .yaml}/{@code .yml} (and is no built-in name). Files that name a board (a
     * campaign) resolve such a name against their own directory.
     */
    public static boolean isFile(String nameOrFile) {
        return !BUILT_IN.contains(nameOrFile)
                && (nameOrFile.contains("/") || nameOrFile.endsWith(".yaml") || nameOrFile.endsWith(".yml"));
    }

    private static BoardDescription parseBuiltIn(String nameOrFile) throws ConfigException {
        String resource = nameOrFile + ".yaml";
        try (InputStream in = Boards.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in board " + resource + " is missing from the jar");
            }
            return BoardReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), nameOrFile + " (built in)", null,
                    Catalogue.standard());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in board " + resource, e);
        }
    }

    @Override
    public Machine build(MachineConfig config, BoardOptions options, Console console) throws ConfigException, ImageException {
        return BoardBuilder.build(load(config.board()), config, options, console);
    }

    @Override
    public FdtNode deviceTree(String board, long ramBytes, int cpus, long seed, Set<String> options) throws ConfigException {
        return DeviceTreeWriter.tree(load(board), ramBytes, cpus, seed, options);
    }
}
