package brassboard.cli;

import brassboard.boards.conformance.A32Generator;
import brassboard.boards.conformance.BrassboardRunner;
import brassboard.boards.conformance.ConformanceSuite;
import brassboard.boards.conformance.Differential;
import brassboard.boards.conformance.QemuUser;
import brassboard.boards.conformance.T32Generator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brassboard conformance}: differential tests of the CPU against a reference implementation. */
@Command(name = "conformance",
        mixinStandardHelpOptions = true,
        description = "Differential tests of Brassboard's CPU against a reference implementation.",
        subcommands = {ConformanceCommand.A32.class, ConformanceCommand.T32.class, ConformanceCommand.Vfp.class,
            ConformanceCommand.Neon.class, CommandLine.HelpCommand.class})
final class ConformanceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: expected 'a32', 't32', 'vfp' or 'neon'");
    }

    /** {@code brassboard conformance a32}: random A32 sequences, Brassboard against Debian's qemu-arm. */
    @Command(name = "a32",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Run random valid A32 instruction sequences in User mode on Brassboard's core and under Debian's qemu-arm "
                        + "(qemu-user, -cpu cortex-a15), and compare r0-r12, r14, N Z C V Q, GE[3:0] and a 4 KiB scratch window.",
                "A test case is one initial state (registers, flags, window contents) plus a sequence of 1 to "
                        + A32Generator.MAX_SEQUENCE + " instructions run from it; --count counts instructions, not cases.",
                "Each failing case is shown minimised (instructions dropped while it still fails), with its disassembly, "
                        + "initial state and differences. The last line is 'N passed, M failed', counting test cases."},
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                "0:every case passed",
                "1:some cases failed (or an internal error)",
                "2:usage error, or qemu-arm is not installed"})
    static final class A32 extends Run {
        A32() {
            super(ConformanceSuite.A32);
        }
    }

    /** {@code brassboard conformance t32}: random T32 sequences in Thumb state, Brassboard against Debian's qemu-arm. */
    @Command(name = "t32",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Run random valid T32 (Thumb-2) instruction sequences, IT blocks included, in User mode and Thumb state on "
                        + "Brassboard's core and under Debian's qemu-arm (qemu-user, -cpu cortex-a15), and compare r0-r12, r14, "
                        + "N Z C V Q, GE[3:0] and a 4 KiB scratch window.",
                "A test case is one initial state plus a sequence of 1 to " + T32Generator.MAX_SEQUENCE
                        + " instructions (an IT counts as one); --count counts instructions, not cases.",
                "Each failing case is shown minimised, with its halfwords, encodings, initial state and differences. "
                        + "The last line is 'N passed, M failed', counting test cases."},
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                "0:every case passed",
                "1:some cases failed (or an internal error)",
                "2:usage error, or qemu-arm is not installed"})
    static final class T32 extends Run {
        T32() {
            super(ConformanceSuite.T32);
        }
    }

    /** {@code brassboard conformance vfp}: random VFP sequences (data processing, load / store, transfers), against qemu-arm. */
    @Command(name = "vfp",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Run random valid VFP instruction sequences (VFPv4-D32 data processing, VLDR / VSTR / VLDM / VSTM, VMOV / VMRS / "
                        + "VMSR / VDUP transfers) in User mode on Brassboard's core and under Debian's qemu-arm (qemu-user, -cpu "
                        + "cortex-a15), and compare r0-r12, r14, N Z C V Q, GE[3:0], D0-D31, the FPSCR and a 4 KiB scratch window.",
                "Each case starts from random D registers (zeros, infinities, quiet and signalling NaNs, denormals, extreme normals, "
                        + "integers near the conversion limits) and a random FPSCR (rounding mode, FZ, DN, AHP, flags).",
                "Each failing case is shown minimised, with its disassembly, initial state and differences. The last line is "
                        + "'N passed, M failed', counting test cases."},
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                "0:every case passed",
                "1:some cases failed (or an internal error)",
                "2:usage error, or qemu-arm is not installed"})
    static final class Vfp extends Run {
        Vfp() {
            super(ConformanceSuite.VFP);
        }
    }

    /** {@code brassboard conformance neon}: random Advanced SIMD sequences against qemu-arm. */
    @Command(name = "neon",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Run random valid Advanced SIMD (NEON) instruction sequences (integer, logical, shift, saturating, polynomial, "
                        + "single-precision, permute, table, element and structure load / store) in User mode on Brassboard's core "
                        + "and under Debian's qemu-arm (qemu-user, -cpu cortex-a15), and compare r0-r12, r14, N Z C V Q, GE[3:0], "
                        + "D0-D31, the FPSCR (QC and the cumulative flags included) and a 4 KiB scratch window.",
                "Each failing case is shown minimised, with its disassembly, initial state and differences. The last line is "
                        + "'N passed, M failed', counting test cases."},
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                "0:every case passed",
                "1:some cases failed (or an internal error)",
                "2:usage error, or qemu-arm is not installed"})
    static final class Neon extends Run {
        Neon() {
            super(ConformanceSuite.NEON);
        }
    }

    /** What every subcommand does: options, checks, the run and its summary; a subcommand only names its suite. */
    abstract static class Run implements Callable<Integer> {
        private final ConformanceSuite suite;

        Run(ConformanceSuite suite) {
            this.suite = suite;
        }

        @Spec
        CommandSpec spec;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the generator (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--count", paramLabel = "N", defaultValue = "10000", converter = Units.CountConverter.class,
                description = "Instructions to generate, over all cases (default: ${DEFAULT-VALUE}).")
        long count;

        @Option(names = "--class", paramLabel = "NAME",
                description = "Only this instruction class (a group of the instruction set's encodings.txt).")
        String onlyClass;

        @Option(names = "--max-reports", paramLabel = "N", defaultValue = "50",
                description = "Minimise and show at most N failing cases; the rest are only counted (default: ${DEFAULT-VALUE}).")
        int maxReports;

        @Option(names = "--batch", paramLabel = "N", defaultValue = "" + Differential.DEFAULT_BATCH,
                description = "Test cases per qemu-arm launch (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--interpreter",
                description = "Run our side on the instruction-at-a-time interpreter instead of translating every sequence to bytecode (the default tests the translator, which runs hot code).")
        boolean interpreter;

        @Option(names = "--qemu", paramLabel = "FILE", description = "The qemu-arm executable (default: qemu-arm on the PATH).")
        Path qemu;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = Units.DurationConverter.class,
                description = "Longest a qemu-arm launch may take (default: ${DEFAULT-VALUE}).")
        long timeoutNs;

        @Override
        public Integer call() {
            if (count < 1) {
                throw new Main.UsageError("--count " + count + ": expected at least 1 instruction");
            }
            if (batch < 1 || batch > 3000) {
                throw new Main.UsageError("--batch " + batch + ": expected 1 to 3000 cases per launch");
            }
            if (maxReports < 0) {
                throw new Main.UsageError("--max-reports " + maxReports + ": expected 0 or more");
            }
            List<String> classes = suite.classes();
            if (onlyClass != null && !classes.contains(onlyClass)) {
                String why = suite.excludedGroups().containsKey(onlyClass)
                        ? "is not tested (" + suite.excludedGroups().get(onlyClass) + ")"
                        : suite.tableGroups().contains(onlyClass) ? "is not a class of this suite" : "is not an instruction class";
                throw new Main.UsageError("--class " + onlyClass + ": " + why + "; known classes: " + String.join(", ", classes));
            }
            Optional<Path> exe = qemu == null ? QemuUser.findOnPath() : Optional.of(qemu).filter(Files::isExecutable);
            if (exe.isEmpty()) {
                throw new Main.UsageError(QemuUser.NOT_FOUND + (qemu == null ? "" : " (--qemu " + qemu + " is not an executable file)"));
            }
            Differential run = new Differential(new QemuUser(exe.get(), Math.max(1, timeoutNs / 1_000_000)),
                    interpreter ? BrassboardRunner.Engine.INTERPRETED : BrassboardRunner.Engine.TRANSLATED);
            Differential.Summary s = run.run(suite, seed, count, onlyClass, batch, maxReports, spec.commandLine().getOut());
            spec.commandLine().getOut().printf("%d instructions in %d test cases (seed %d, %s), %d qemu-arm launches%n",
                    s.instructions(), s.cases(), seed, onlyClass == null ? "all classes" : "class " + onlyClass, run.launches());
            spec.commandLine().getOut().printf("%d passed, %d failed%n", s.passed(), s.failed());
            spec.commandLine().getOut().flush();
            return s.failed() == 0 ? 0 : 1;
        }
    }
}
