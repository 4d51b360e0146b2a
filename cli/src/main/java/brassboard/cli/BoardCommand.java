package brassboard.cli;

import brassboard.boards.api.ConfigException;
import brassboard.boards.board.BoardDescription;
import brassboard.boards.board.BoardReader;
import brassboard.boards.board.BoardTables;
import brassboard.boards.board.Boards;
import brassboard.boards.board.Catalogue;
import brassboard.boards.board.DeviceTreeWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code brassboard board}: look at a board description (docs/boards.md). */
@Command(name = "board", mixinStandardHelpOptions = true,
        description = "Look at a board: a built-in one (virt) or a board file (docs/boards.md).",
        subcommands = {BoardCommand.ShowCommand.class, BoardCommand.DtbCommand.class})
final class BoardCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "expected a subcommand: show or dtb");
    }

    static BoardDescription load(String board) {
        try {
            return Boards.load(board);
        } catch (ConfigException e) {
            throw new Main.UsageError(Main.oneLine(e.getMessage()));
        }
    }

    /** {@code brassboard board show BOARD}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the board's memory map and IRQ map (a bad board file gets one line naming file, line and field; exit 2).")
    static final class ShowCommand implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "BOARD", description = "virt, or a board file.")
        String board;

        @Option(names = "--ram", paramLabel = "SIZE", defaultValue = "128M", converter = Units.SizeConverter.class,
                description = "RAM size to show (default: ${DEFAULT-VALUE}).")
        long ram;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(BoardTables.show(load(board), ram));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code brassboard board dtb BOARD -o FILE}. */
    @Command(name = "dtb", mixinStandardHelpOptions = true,
            description = {"Write the device tree blob the board hands its firmware, as a run with these settings would.",
                "Check it with: dtc -I dtb -O dts FILE"})
    static final class DtbCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "BOARD", description = "virt, or a board file.")
        String board;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "Where to write the blob.")
        Path output;

        @Option(names = "--ram", paramLabel = "SIZE", defaultValue = "128M", converter = Units.SizeConverter.class,
                description = "RAM size (default: ${DEFAULT-VALUE}).")
        long ram;

        @Option(names = "--smp", paramLabel = "N", defaultValue = "1", description = "Cores (default: ${DEFAULT-VALUE}).")
        int cpus;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "The run's seed (/chosen/rng-seed; default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--with", paramLabel = "OPTION", split = ",",
                description = "Include the devices a run option brings in: usb, wifi, spi-flash, spi-eeprom.")
        List<String> with = List.of();

        @Override
        public Integer call() {
            BoardDescription b = load(board);
            if (cpus < 1 || cpus > b.maxCpus()) {
                throw new Main.UsageError("--smp " + cpus + ": the " + b.name() + " board has 1 to " + b.maxCpus() + " CPUs");
            }
            Set<String> options = new LinkedHashSet<>();
            for (String w : with) {
                if (!BoardReader.OPTIONS.contains(w)) {
                    throw new Main.UsageError("--with " + w + ": expected one of usb, wifi, spi-flash, spi-eeprom");
                }
                options.add(w);
            }
            long ramBytes = ram;
            byte[] blob = DeviceTreeWriter.blob(DeviceTreeWriter.tree(b, ramBytes, cpus, seed, options),
                    DeviceTreeWriter.firmwareBlobSize(ramBytes));
            try {
                Files.write(output, blob);
            } catch (IOException e) {
                throw new Main.UsageError("--output " + output + ": cannot write the blob: " + Main.oneLine(e.getMessage()));
            }
            return 0;
        }
    }

    /** {@code brassboard devices}. */
    @Command(name = "devices", mixinStandardHelpOptions = true,
            description = "List the device catalogue board files name: each type's parameters, windows, IRQ outputs and fault points.")
    static final class DevicesCommand implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(BoardTables.catalogue(Catalogue.standard()));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

}
