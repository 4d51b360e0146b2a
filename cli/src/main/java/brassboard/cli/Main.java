package brassboard.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code brassboard} command. */
@Command(name = "brassboard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "An embedded-SoC emulator: run ARMv7-A firmware on QEMU's virt board or a board described in a file, deterministically.",
        subcommands = {RunCommand.class, ConformanceCommand.class, BenchCommand.class, CampaignCommand.class, ImageCommand.class, TraceCommand.class,
            UsbCommand.class, BoardCommand.class, BoardCommand.DevicesCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the firmware powered off, exited with 0, --until matched, or Ctrl-A x ended an interactive run",
            "N:the firmware exited with status N (semihosting)",
            "1:internal error",
            "2:usage or input error (bad flag, bad image, unknown board, bad board file)",
            "3:the CPU stopped on something not supported yet (Thumb), or a lockup detector ended the run",
            "4:a limit stopped the run (--max-time, --max-insns, idle forever, --until never matched)"})
public final class Main {
    /** Usage or input error. */
    public static final int EXIT_USAGE = 2;
    /** Internal error. */
    public static final int EXIT_INTERNAL = 1;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit status (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        // The one numeric JVM-property knob (BRASSBOARD_JAVA_OPTS): a bad value is a usage error, not ignored.
        String hot = System.getProperty("brassboard.jit.hot");
        if (hot != null) {
            java.util.Optional<String> problem = brassboard.arm.api.ArmCpu.compileThresholdProblem(hot);
            if (problem.isPresent()) {
                err.println("brassboard: -Dbrassboard.jit.hot=" + hot + ": " + problem.get());
                return EXIT_USAGE;
            }
        }
        CommandLine cl = commandLine(out, err);
        return cl.execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(Main.class);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(t -> EXIT_INTERNAL);
        cl.setParameterExceptionHandler((ex, a) -> {
            String command = ex.getCommandLine().getCommandName();
            String prefix = command.equals("brassboard") ? "brassboard: " : "brassboard " + command + ": ";
            ex.getCommandLine().getErr().println(prefix + oneLine(ex.getMessage())
                    + " (see 'brassboard " + (command.equals("brassboard") ? "" : command + " ") + "--help')");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parse) -> {
            if (ex instanceof UsageError u) {
                c.getErr().println("brassboard: " + u.getMessage());
                return EXIT_USAGE;
            }
            c.getErr().println("brassboard: internal error: " + ex
                    + (System.getenv("BRASSBOARD_DEBUG") == null ? " (set BRASSBOARD_DEBUG=1 for the stack trace)" : ""));
            if (System.getenv("BRASSBOARD_DEBUG") != null) {
                ex.printStackTrace(c.getErr());
            }
            return EXIT_INTERNAL;
        });
        return cl;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').strip();
    }

    /** A user mistake found after parsing (a bad image, an unwritable trace file): one line, exit status 2. */
    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message, null, false, false);
        }
    }

    /** Version from the jar manifest, or "development". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"brassboard " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
