package brassboard.cli;

import brassboard.firmware.api.ImageException;
import brassboard.firmware.linux.Initramfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code brassboard image}: tools that make images for a run. */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Make images for a run.",
        subcommands = {ImageCommand.InitramfsCommand.class, FitCommands.FitCommand.class, FitCommands.SignCommand.class,
            FitCommands.VerifyCommand.class})
final class ImageCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "expected a subcommand: initramfs, fit, sign or verify");
    }

    /** {@code brassboard image initramfs LIST -o FILE}. */
    @Command(name = "initramfs", mixinStandardHelpOptions = true,
            description = {"Build an initramfs (newc cpio) for --initrd from a file list in the syntax of Linux's usr/gen_init_cpio:",
                "'dir NAME MODE UID GID', 'file NAME SOURCE MODE UID GID', 'nod NAME MODE UID GID c|b MAJ MIN',",
                "'slink NAME TARGET MODE UID GID'; SOURCE is relative to LIST's directory. No root needed; the same list",
                "and files give the same archive, byte for byte."})
    static final class InitramfsCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "LIST", description = "The file list.")
        Path list;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "Where to write the archive.")
        Path output;

        @Override
        public Integer call() {
            byte[] archive;
            try {
                archive = Initramfs.build(list);
            } catch (ImageException e) {
                throw new Main.UsageError(Main.oneLine(e.getMessage()));
            }
            try {
                Files.write(output, archive);
            } catch (IOException e) {
                throw new Main.UsageError("--output " + output + ": cannot write the archive: " + Main.oneLine(e.getMessage()));
            }
            return 0;
        }
    }
}
