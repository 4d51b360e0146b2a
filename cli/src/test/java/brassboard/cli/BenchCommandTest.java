package brassboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import brassboard.boards.bench.GuestLoop;
import brassboard.boards.bench.LoopRun;
import brassboard.boards.bench.LoopRunner;
import brassboard.boards.conformance.QemuUser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code brassboard bench}: the table from fake timing sources, option errors, and one real qemu-arm run. */
class BenchCommandTest {
    /** A timing source at a fixed speed: {@code mips} million instructions per second, whatever runs. */
    static LoopRunner fixedSpeed(double mips, List<String> log) {
        return (loop, n) -> {
            log.add(loop.id() + ":" + n);
            long insns = loop.instructions(n, GuestLoop.Target.BARE_METAL);
            return new LoopRun(n, insns, Math.round(insns * 1e3 / mips), new int[0]);
        };
    }

    /** Runs {@code brassboard bench args} with Brassboard at 10 x (the loop's position + 1) MIPS and qemu-arm at 1000. */
    static CliTest.Outcome fakeBench(List<String> log, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        BenchCommand bench = cl.getSubcommands().get("bench").getCommand();
        bench.brassboard = (loop, n) -> fixedSpeed(10.0 * (loop.ordinal() + 1), log).run(loop, n);
        bench.qemuRunner = q -> fixedSpeed(1000, log);
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        int status = cl.execute(all);
        return new CliTest.Outcome(status, out.toString(), err.toString());
    }

    @Test
    void theTableHasARowPerLoopNameFirstThenMips() {
        CliTest.Outcome o = fakeBench(new ArrayList<>());
        assertThat(o.status()).as(o.err()).isZero();
        List<String> lines = o.out().lines().toList();
        assertThat(lines.get(0)).startsWith("brassboard bench: JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        assertThat(lines.get(1)).isEqualTo("loop      brassboard MIPS");
        assertThat(lines.subList(2, 9)).containsExactly(
                "alu                  10.0",
                "mem                  20.0",
                "cond                 30.0",
                "branch               40.0",
                "mul                  50.0",
                "memcpy               60.0",
                "crc32                70.0");
        assertThat(lines.get(9)).startsWith("MIPS: million guest instructions per wall-clock second").contains("about 2 s");
        assertThat(lines).hasSize(10);
    }

    @Test
    void vsQemuPutsBothSpeedsAndTheFractionSideBySide() {
        CliTest.Outcome o = fakeBench(new ArrayList<>(), "--vs-qemu", "--qemu", "/bin/true", "--loops", "mul,alu", "--seconds", "0.5");
        assertThat(o.status()).as(o.err()).isZero();
        List<String> lines = o.out().lines().toList();
        assertThat(lines.get(0)).contains("JDK " + Runtime.version()).contains("; ");
        assertThat(lines.subList(1, 4)).containsExactly(
                "loop      brassboard MIPS  qemu-arm MIPS  brassboard/qemu",
                "mul                  50.0         1000.0            0.050",
                "alu                  10.0         1000.0            0.010");
        assertThat(lines.get(4)).contains("about 0.5 s").contains("qemu-arm: start-up");
    }

    @Test
    void iterationsFixTheMeasuredRunOnBothSides() {
        List<String> log = new ArrayList<>();
        CliTest.Outcome o = fakeBench(log, "--loops", "crc32", "--iterations", "4321", "--vs-qemu", "--qemu", "/bin/true");
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(log).filteredOn(s -> s.equals("crc32:4321")).hasSize(2);
        assertThat(log.get(log.size() - 1)).isEqualTo("crc32:4321");
        assertThat(o.out()).contains("4321 iterations");
    }

    @Test
    void anUnknownLoopIsOneLineListingTheKnownOnes() {
        CliTest.Outcome o = fakeBench(new ArrayList<>(), "--loops", "alu,fft").oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err().strip()).isEqualTo("brassboard: --loops: unknown loop 'fft'; known loops: alu, mem, cond, branch, mul, memcpy, crc32");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void badTimingOptionsAreUsageErrors() {
        String[][] bad = {
            {"--seconds", "0"},
            {"--seconds", "-1"},
            {"--seconds", "soon"},
            {"--iterations", "0"},
            {"--iterations", "4294967296"},
            {"--iterations", "10", "--seconds", "1"},
            {"--qemu", "/usr/bin/qemu-arm"},
            {"--frobnicate"},
        };
        for (String[] args : bad) {
            CliTest.Outcome o = fakeBench(new ArrayList<>(), args).oneLineError();
            assertThat(o.status()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(o.out()).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void vsQemuWithAMissingQemuIsOneLineAndExitTwo() {
        CliTest.Outcome o = CliTest.brassboard("bench", "--vs-qemu", "--qemu", "/nonexistent/qemu-arm").oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).startsWith("brassboard: " + QemuUser.NOT_FOUND);
        assertThat(QemuUser.NOT_FOUND).isEqualTo("qemu-arm not found: install Debian's qemu-user");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void linuxBenchBadInputIsOneLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path kernel = java.nio.file.Files.write(dir.resolve("zImage"), new byte[64]);
        assertThat(CliTest.brassboard("bench", "--linux", dir.resolve("none").toString()).oneLineError().err())
                .contains("--linux " + dir.resolve("none") + ": no such file");
        assertThat(CliTest.brassboard("bench", "--linux", kernel.toString()).oneLineError().err())
                .contains("--linux needs --initrd FILE");
        assertThat(CliTest.brassboard("bench", "--initrd", kernel.toString()).oneLineError().err())
                .contains("--initrd " + kernel + ": only used with --linux");
        assertThat(CliTest.brassboard("bench", "--linux", kernel.toString(), "--initrd", kernel.toString(), "--runs", "0").oneLineError().err())
                .contains("--runs 0: expected 1 to 100");
    }

    @Test
    void linuxBenchTypistTimesInitThenTypesAtEachPrompt() {
        LinuxBench.Typist t = new LinuxBench.Typist(System.nanoTime());
        String lines = "[    1.2] Run /init as init process\n/ # ";
        List<String> typed = new ArrayList<>();
        for (char c : lines.toCharArray()) {
            String l = t.output(c);
            if (l != null) {
                typed.add(l);
            }
        }
        assertThat(t.initNanos).isPositive();
        assertThat(typed).containsExactly("echo bench");
        assertThat(t.output('#')).isNull();
        assertThat(t.output(' ')).isEqualTo("cat /proc/cpuinfo > /dev/null");
        assertThat(t.finished()).isFalse();
    }

    @Test
    void helpNamesTheLoops() {
        CliTest.Outcome o = CliTest.brassboard("bench", "--help");
        assertThat(o.status()).isZero();
        assertThat(o.out()).contains("--vs-qemu").contains("--loops").contains("crc32 (bytewise");
        assertThat(CliTest.brassboard("--help").out()).contains("bench");
    }

    @Test
    void aTinyRealRunAgainstQemu() {
        Optional<Path> qemu = QemuUser.findOnPath();
        if (qemu.isEmpty()) {
            if (System.getenv("CI") != null) {
                fail("qemu-arm not found: .ci/run must install qemu-user");
            }
            Assumptions.abort("qemu-arm not installed (Debian's qemu-user); skipping");
        }
        CliTest.Outcome o = CliTest.brassboard("bench", "--vs-qemu", "--loops", "alu", "--iterations", "20000");
        assertThat(o.status()).as(o.err()).isZero();
        List<String> lines = o.out().lines().toList();
        assertThat(lines.get(0)).contains("qemu-arm version");
        assertThat(lines.get(2)).matches("alu +\\d+\\.\\d +(\\d+\\.\\d|n/a) +(\\d+\\.\\d{3}|n/a)");
    }

    @Test
    void theHeaderNamesHotSpotsCompilersAsTheJvmOptionsLeaveThem() {
        assertThat(BenchCommand.compilers(List.of())).isEqualTo("C1 and C2");
        assertThat(BenchCommand.compilers(List.of("-Xss4m", "-XX:TieredStopAtLevel=1"))).isEqualTo("C1 alone (TieredStopAtLevel=1)");
        assertThat(BenchCommand.compilers(List.of("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4"))).isEqualTo("C1 and C2");
        assertThat(BenchCommand.compilers(List.of("-XX:-TieredCompilation"))).isEqualTo("C2 alone");
        assertThat(BenchCommand.compilers(List.of("-XX:TieredStopAtLevel=0"))).startsWith("HotSpot's interpreter alone");
        assertThat(BenchCommand.header(Optional.empty())).contains(", C1 and C2, ");
    }

    @Test
    void theHeaderNamesHowTheJvmHoldsObjectReferences() {
        assertThat(BenchCommand.references("false")).isEqualTo("uncompressed references");
        assertThat(BenchCommand.references("true")).isEqualTo("compressed references");
        assertThat(BenchCommand.references(null)).isEqualTo("references: unknown");
        assertThat(BenchCommand.header(java.util.Optional.empty())).containsPattern(", (un)?compressed references, ");
        assertThat(BenchCommand.pageAccesses(true)).isEqualTo("unchecked page accesses");
        assertThat(BenchCommand.pageAccesses(false)).isEqualTo("bounds-checked page accesses");
        assertThat(BenchCommand.header(java.util.Optional.empty())).containsPattern(" references, (unchecked|bounds-checked) page accesses, ");
    }
}
