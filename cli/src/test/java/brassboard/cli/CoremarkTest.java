package brassboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --coremark}'s logic without an emulator: reading CoreMark's report (transcripts
 * recorded from qemu-system-arm running the port), its checks, the table, the source-tree and
 * compiler checks and the process timing.
 */
class CoremarkTest {
    /** 10 iterations under QEMU: every CRC right, shorter than CoreMark's 10 s, so "Errors detected". */
    static String shortRun() throws IOException {
        return resource("coremark-qemu-10.txt");
    }

    /** 40,000 iterations under QEMU (11.75 s): "Correct operation validated" and the score line. */
    static String validatedRun() throws IOException {
        return resource("coremark-qemu-40000.txt");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CoremarkTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void readsEveryLineTheBenchNeeds() throws IOException {
        CoremarkOutput o = CoremarkOutput.parse(shortRun());
        assertThat(o.counterHz()).isEqualTo(62_500_000);
        assertThat(o.seedcrc()).isEqualTo(0xe9f5);
        assertThat(o.crclist()).isEqualTo(0xe714);
        assertThat(o.crcmatrix()).isEqualTo(0x1fd7);
        assertThat(o.crcstate()).isEqualTo(0x8e3a);
        assertThat(o.crcfinal()).isEqualTo(0xfcaf);
        assertThat(o.iterations()).isEqualTo(10);
        assertThat(o.totalTicks()).isEqualTo(180817);
        assertThat(o.iterationsPerSecond()).isEqualTo("3456.533401");
        assertThat(o.timingMarkers()).isEqualTo(2);
        assertThat(o.tooShort()).isTrue();
        assertThat(o.errorsDetected()).isTrue();
        assertThat(o.validated()).isFalse();
        assertThat(o.scoreLine()).isNull();
        assertThat(o.errors()).isEmpty();
        // 1 GHz of virtual time per 62.5 MHz of counter: 16 instructions a tick.
        assertThat(o.timedInstructions(1_000_000_000L)).isEqualTo(180817L * 16);
    }

    @Test
    void aShortRunWithTheRightCrcsIsCorrectButNotValidated() throws IOException {
        CoremarkOutput o = CoremarkOutput.parse(shortRun());
        assertThat(o.problem(10)).isEmpty();
        assertThat(o.verdict()).isEqualTo("CRCs ok, < 10 s");
        assertThat(o.ownScore()).startsWith("Iterations/Sec 3456.533401 (no 'CoreMark 1.0' line");
    }

    @Test
    void aValidatedRunHasItsScoreLine() throws IOException {
        CoremarkOutput o = CoremarkOutput.parse(validatedRun());
        assertThat(o.problem(40000)).isEmpty();
        assertThat(o.verdict()).isEqualTo("validated");
        assertThat(o.ownScore()).isEqualTo("CoreMark 1.0 : 3403.821173 / GCC12.2.1 20221205 -O2 -mcpu=cortex-a15 -marm "
                + "-mfloat-abi=soft -mno-unaligned-access / STATIC");
        String noScore = validatedRun().replaceAll("CoreMark 1\\.0 : [^\r\n]*\r\n", "");
        assertThat(CoremarkOutput.parse(noScore).problem(40000)).contains(
                "CoreMark validated the run but printed no 'CoreMark 1.0 :' score line");
    }

    @Test
    void aWrongCrcFailsTheRun() throws IOException {
        // As CoreMark prints a wrong matrix CRC: its own ERROR line, and the value.
        String wrong = shortRun().replace("[0]crcmatrix     : 0x1fd7", "[0]crcmatrix     : 0x1fd6")
                .replace("ERROR! Must execute", "[0]ERROR! matrix crc 0x1fd6 - should be 0x1fd7\r\nERROR! Must execute");
        assertThat(CoremarkOutput.parse(wrong).problem(10)).contains("CoreMark: [0]ERROR! matrix crc 0x1fd6 - should be 0x1fd7");
        // A wrong value without CoreMark's complaint is caught by the bench's own comparison.
        for (String[] c : new String[][] {{"seedcrc          : 0xe9f5", "seedcrc          : 0x8a02", "seedcrc 0x8a02, expected 0xe9f5"},
            {"[0]crclist       : 0xe714", "[0]crclist       : 0xe715", "crclist 0xe715, expected 0xe714"},
            {"[0]crcstate      : 0x8e3a", "[0]crcstate      : 0x0e3a", "crcstate 0x0e3a, expected 0x8e3a"}}) {
            assertThat(CoremarkOutput.parse(shortRun().replace(c[0], c[1])).problem(10)).hasValueSatisfying(p -> assertThat(p).startsWith(c[2]));
        }
        assertThat(CoremarkOutput.parse(shortRun().replace("[0]crcfinal      : 0xfcaf\r\n", "")).problem(10))
                .contains("CoreMark printed no crcfinal line");
    }

    @Test
    void otherWrongRunsFailWithTheReason() throws IOException {
        assertThat(CoremarkOutput.parse(shortRun()).problem(20)).contains("CoreMark ran 10 iterations, not the 20 it was built for");
        assertThat(CoremarkOutput.parse("").problem(10)).hasValueSatisfying(p -> assertThat(p).contains("did not run"));
        assertThat(CoremarkOutput.parse(shortRun().replace("brassboard-coremark: timing stops\r\n", "")).problem(10))
                .contains("the port printed 1 of its 2 timing lines");
        assertThat(CoremarkOutput.parse(shortRun().replace("Errors detected", "")).problem(10))
                .contains("CoreMark did not print 'Correct operation validated'");
        String trapped = shortRun().replace("2K performance", "brassboard-coremark: unexpected exception, vector offset 0x10,"
                + " return address 0x40010abc\r\n2K performance");
        assertThat(CoremarkOutput.parse(trapped).problem(10)).contains("CoreMark: brassboard-coremark: unexpected exception, vector offset 0x10,"
                + " return address 0x40010abc");
    }

    private static CoremarkBench.Run run(String console, double seconds) {
        return new CoremarkBench.Run(0, false, 0.5, seconds, seconds + 1, console);
    }

    @Test
    void theTableComparesBothEmulatorsAndTheirFinalCrcs() throws IOException {
        CoremarkTable t = new CoremarkTable(10, 1_000_000_000L);
        List<String> rows = t.add(1, run(shortRun() + "brassboard: firmware exited with status 0 (...) at 3.0 ms virtual, 2893072 instructions\n",
                0.2), run(shortRun(), 0.01));
        assertThat(rows.get(0)).matches("brassboard +1 +10 +2,893,072 +0\\.200 +50\\.0 +14\\.5 +0\\.050  CRCs ok, < 10 s");
        assertThat(rows.get(1)).matches("qemu +1 +10 +2,893,072 +0\\.010 +1000\\.0 +289\\.3 +n/a  CRCs ok, < 10 s");
        assertThat(t.failure()).isEmpty();
        assertThat(String.join("\n", t.footer())).contains("Total ticks x 16", "of 2893072 in the whole run",
                "brassboard 1: crcfinal 0xfcaf; Iterations/Sec 3456.533401", "qemu       1: crcfinal 0xfcaf");

        List<String> second = t.add(2, run(shortRun().replace("crcfinal      : 0xfcaf", "crcfinal      : 0xfcae"), 0.2), run(shortRun(), 0.01));
        assertThat(second.get(0)).endsWith("FAILED: crcfinal 0xfcae, but 0xfcaf on brassboard run 1");
        assertThat(t.failure()).contains("brassboard run 2: crcfinal 0xfcae, but 0xfcaf on brassboard run 1");
        // Medians once a side has more than one correct run (Brassboard's second was wrong).
        assertThat(t.footer().get(0)).matches("brassboard +med +10 .* 0\\.200 .*  median of 1 runs");
        assertThat(t.footer().get(1)).matches("qemu +med +10 .* 0\\.010 .*  median of 2 runs");
    }

    @Test
    void aRunTooShortToTimeIsNamedAndLeftOutOfTheMedians() throws IOException {
        // Both timing lines in one read of the pipe: 0 s between them, which the table must not
        // turn into an infinite speed or a zero in the medians.
        CoremarkTable t = new CoremarkTable(10, 1_000_000_000L);
        List<String> rows = t.add(1, run(shortRun(), 0.2), run(shortRun(), 0));
        assertThat(rows.get(1)).matches("qemu +1 +10 +2,893,072 +n/a +n/a +n/a +n/a  CRCs ok, < 10 s");
        assertThat(rows.get(0)).matches("brassboard +1 .* 0\\.200 .* n/a  CRCs ok, < 10 s");
        t.add(2, run(shortRun(), 0.2), run(shortRun(), 0.01));
        t.add(3, run(shortRun(), 0.2), run(shortRun(), 0.03));
        assertThat(t.failure()).isEmpty();
        assertThat(t.footer().get(1)).matches("qemu +med +10 .* 0\\.020 .*  median of 2 runs");
        assertThat(t.footer().get(2)).isEqualTo("n/a seconds (qemu run 1): both timing lines reached the console pipe in one read,"
                + " so the timed part was shorter than the host can time this way; run more iterations (--iterations)");
    }

    @Test
    void aProcessThatFailsOrHangsFailsTheRun() throws IOException {
        CoremarkTable t = new CoremarkTable(10, 1_000_000_000L);
        List<String> rows = t.add(1, new CoremarkBench.Run(-1, true, -1, -1, 60, ""), null);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).endsWith("FAILED: did not finish in time (killed)");
        assertThat(new CoremarkBench.Run(3, false, 0.1, 0.1, 0.2, shortRun()).processProblem()).isEqualTo("exit status 3");
        assertThat(new CoremarkBench.Run(0, false, -1, -1, 0.2, "").processProblem()).isEqualTo("no timing lines on the console");
    }

    @Test
    void theTimingIsBetweenThePortsMarkers() throws Exception {
        CoremarkBench.Run r = CoremarkBench.time(List.of("/bin/sh", "-c", "echo brassboard-coremark: ready; sleep 0.2;"
                + " printf 'brassboard-coremark: timing starts\\r\\n'; sleep 0.4; echo brassboard-coremark: timing stops; echo done"), 30);
        assertThat(r.status()).isZero();
        assertThat(r.timedOut()).isFalse();
        assertThat(r.secondsToStart()).isGreaterThanOrEqualTo(0.15);
        assertThat(r.timedSeconds()).isBetween(0.35, 5.0);
        assertThat(r.console()).endsWith("done\n");
        CoremarkBench.Run hung = CoremarkBench.time(List.of("/bin/sh", "-c", "exec sleep 20"), 1);
        assertThat(hung.timedOut()).isTrue();
        assertThat(hung.totalSeconds()).isLessThan(15);
    }

    @Test
    void aDirectoryThatIsNotACoremarkTreeIsSaidInOneLine(@TempDir Path dir) throws IOException {
        assertThat(CoremarkBuild.notATree(dir.resolve("nope"))).contains(dir.resolve("nope")
                + ": no such directory (expected EEMBC's CoreMark sources, e.g. ../shared/third-party/coremark)");
        Files.writeString(dir.resolve("core_main.c"), "");
        assertThat(CoremarkBuild.notATree(dir)).hasValueSatisfying(w -> assertThat(w)
                .startsWith(dir + ": not a CoreMark source tree: coremark.h, core_list_join.c, core_matrix.c, core_state.c, core_util.c are missing"));
        for (String f : CoremarkBuild.COREMARK_FILES) {
            Files.writeString(dir.resolve(f), "");
        }
        assertThat(CoremarkBuild.notATree(dir)).isEmpty();
    }

    @Test
    void usageErrorsAreOneLineWithStatusTwo(@TempDir Path dir) throws IOException {
        CliTest.Outcome missing = CliTest.brassboard("bench", "--coremark", dir.resolve("nope").toString()).oneLineError();
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).startsWith("brassboard: --coremark " + dir.resolve("nope") + ": no such directory");
        CliTest.Outcome notTree = CliTest.brassboard("bench", "--coremark", dir.toString()).oneLineError();
        assertThat(notTree.status()).isEqualTo(2);
        assertThat(notTree.err()).contains("not a CoreMark source tree");
        for (String f : CoremarkBuild.COREMARK_FILES) {
            Files.writeString(dir.resolve(f), "");
        }
        CliTest.Outcome noCc = CliTest.brassboard("bench", "--coremark", dir.toString(), "--cc", dir.resolve("gcc").toString()).oneLineError();
        assertThat(noCc.status()).isEqualTo(2);
        assertThat(noCc.err()).isEqualTo("brassboard: --coremark: --cc " + dir.resolve("gcc") + " is not an executable file\n");
        CliTest.Outcome many = CliTest.brassboard("bench", "--coremark", dir.toString(), "--iterations", "100001").oneLineError();
        assertThat(many.status()).isEqualTo(2);
        assertThat(many.err()).contains("--iterations 100001: expected 1 to 100000 with --coremark");
        CliTest.Outcome thumbAlone = CliTest.brassboard("bench", "--thumb").oneLineError();
        assertThat(thumbAlone.status()).isEqualTo(2);
        assertThat(thumbAlone.err()).contains("--thumb: only used with --coremark DIR");
    }

    @Test
    void aFailedBuildIsOneLineWithStatusOneAndKeepsTheCompilersOutput(@TempDir Path dir) throws IOException {
        java.util.Optional<Path> gcc = CoremarkBuild.compiler(null);
        if (gcc.isEmpty()) {
            if (System.getenv("CI") != null) {
                org.junit.jupiter.api.Assertions.fail(CoremarkBuild.COMPILER_MISSING);
            }
            org.junit.jupiter.api.Assumptions.abort(CoremarkBuild.COMPILER_MISSING);
        }
        Path tree = Files.createDirectory(dir.resolve("tree"));
        for (String f : CoremarkBuild.COREMARK_FILES) {
            Files.writeString(tree.resolve(f), "");
        }
        // Empty files: the port's core_portme.c finds no CoreMark types in an empty coremark.h.
        CliTest.Outcome o = CliTest.brassboard("bench", "--coremark", tree.toString(), "--iterations", "1",
                "--build-dir", dir.resolve("cache").toString()).oneLineError();
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.err()).startsWith("brassboard: --coremark " + tree + ": building CoreMark failed (arm-none-eabi-gcc exit status 1): ")
                .contains("core_portme.c:").contains("error: unknown type name").contains("(whole output: " + dir.resolve("cache"));
        try (Stream<Path> left = Files.list(dir.resolve("cache"))) {
            assertThat(left.map(p -> p.getFileName().toString())).singleElement().asString().endsWith(".failed.log");
        }
    }

    @Test
    void thePortsFilesAreAllPackedAndAllListed() throws IOException {
        Path source = Path.of("..", "firmware", "coremark");
        try (Stream<Path> files = Files.list(source)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("README.md")))
                    .containsExactlyInAnyOrderElementsOf(CoremarkBuild.PORT_FILES);
        }
        for (String f : CoremarkBuild.PORT_FILES) {
            assertThat(CoremarkBuild.portFile(f)).isEqualTo(Files.readAllBytes(source.resolve(f)));
        }
    }

    @Test
    void theCompilerLineCarriesTheFlagsCoremarkReports() {
        List<String> c = CoremarkBuild.command(Path.of("/usr/bin/arm-none-eabi-gcc"), Path.of("/p"), Path.of("/cm"), 2000, false,
                Path.of("/o/coremark.elf"));
        assertThat(c.subList(0, 6)).containsExactly("/usr/bin/arm-none-eabi-gcc", "-O2", "-mcpu=cortex-a15", "-marm", "-mfloat-abi=soft",
                "-mno-unaligned-access");
        assertThat(c).contains("-DITERATIONS=2000", "-DFLAGS_STR=\"-O2 -mcpu=cortex-a15 -marm -mfloat-abi=soft -mno-unaligned-access\"",
                "/p/start.S", "/p/core_portme.c", "/p/ee_printf.c", "/cm/core_main.c", "/cm/core_util.c", "-lgcc");
        assertThat(CoremarkBuild.flags(true)).contains("-mthumb").doesNotContain("-marm");
        assertThat(CoremarkBuild.firstError("In file included from x.c:1:\nx.c:3:1: error: expected ';'\n"))
                .isEqualTo("x.c:3:1: error: expected ';'");
    }
}
