package brassboard.cli;

import static brassboard.cli.CliTest.brassboard;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.cli.CliTest.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brassboard campaign}: one-line errors with exit status 2; a campaign's summary, files, progress lines and resumption. */
class CampaignCliTest {
    private static final Path HELLO = Path.of("..", "firmware", "images", "hello.elf").toAbsolutePath();

    @TempDir
    Path dir;

    private Path campaign(String extra) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, """
                name: hello-uart
                image: %s
                limits: { max-time: 1ms }
                %s
                plans:
                  - name: uart-bit
                    rules: [ { point: bus.write, match: { address: 0x09000000 }, when: { nth: 2 }, action: { type: flip, mask: 0x1 } } ]
                  - name: quiet
                    rules: [ { point: bus.write, match: { address: 0x09100000 }, action: drop } ]
                """.formatted(HELLO, extra));
        return f;
    }

    @Test
    void aCampaignPrintsItsSummaryAndWritesItsFiles() throws Exception {
        Path f = campaign("");
        Path out = dir.resolve("out");
        Outcome o = brassboard("campaign", f.toString(), "--jobs", "2", "--out", out.toString());
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out()).startsWith("campaign hello-uart: 2 of 2 runs (hello.elf, 1 CPU); golden run: power-off at ")
                .containsPattern("masked +1 +50.0%").containsPattern("sdc +1 +50.0%");
        assertThat(o.err()).contains("brassboard: golden run: powered off (PSCI SYSTEM_OFF)")
                .contains("brassboard: 2 runs, 0 already done").contains("brassboard: 2/2 runs done, ")
                .contains("runs/s with 2 jobs; results in " + out);
        assertThat(out.resolve("results.jsonl")).exists();
        assertThat(Files.readAllLines(out.resolve("results.jsonl"))).hasSize(2);
        assertThat(out.resolve("summary.txt")).hasContent(o.out().strip());
        assertThat(Files.readString(out.resolve("report.html"))).contains("<svg");
        assertThat(out.resolve("golden.txt")).hasContent("Brassboard hello: ARMv7-A on the virt board\r\nMIDR 0x414fc0f0\r\npowering off via PSCI SYSTEM_OFF");

        Outcome again = brassboard("campaign", f.toString(), "--out", out.toString());
        assertThat(again.status()).isZero();
        assertThat(again.err()).contains("brassboard: 2 runs, 2 already done").contains("0 runs now (2 already done)");
        assertThat(again.out()).isEqualTo(o.out());

        Outcome quiet = brassboard("campaign", "--quiet", f.toString(), "--out", out.toString());
        assertThat(quiet.err()).isEmpty();
    }

    @Test
    void mistakesAreOneLineAndExitTwo() throws Exception {
        Path f = campaign("detected: { exit: [300] }");
        Outcome bad = brassboard("campaign", f.toString(), "--out", dir.resolve("o").toString()).oneLineError();
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("brassboard: " + f + ": line 4: detected.exit: 300 is not an exit status; expected 0 to 255");

        Outcome missing = brassboard("campaign", dir.resolve("none.yaml").toString()).oneLineError();
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("brassboard: " + dir.resolve("none.yaml") + ": no such file");

        Outcome jobs = brassboard("campaign", campaign("").toString(), "--jobs", "0").oneLineError();
        assertThat(jobs.status()).isEqualTo(2);
        assertThat(jobs.err()).contains("--jobs 0: expected 1 to 1024 runs at a time");

        Path golden = campaign("detected: { output: 'hello' }");
        Outcome g = brassboard("campaign", golden.toString(), "--out", dir.resolve("o2").toString()).oneLineError();
        assertThat(g.status()).isEqualTo(2);
        assertThat(g.err()).contains("the golden run (no faults) matches detected.output ('hello')");
    }

    @Test
    void engineMistakesAreOneLineAndWriteNothing() throws Exception {
        Path f = campaign("");
        Path out = dir.resolve("engine-out");
        Outcome unknown = brassboard("campaign", f.toString(), "--engine", "flink", "--out", out.toString()).oneLineError();
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("brassboard: --engine flink: unknown engine; expected local or spark");

        Outcome master = brassboard("campaign", f.toString(), "--master", "local[2]", "--out", out.toString()).oneLineError();
        assertThat(master.status()).isEqualTo(2);
        assertThat(master.err().strip()).isEqualTo("brassboard: --master local[2]: only with --engine spark");

        // This module's tests run without campaign-spark on the class path, as the CLI jar alone does.
        Outcome absent = brassboard("campaign", f.toString(), "--engine", "spark", "--out", out.toString()).oneLineError();
        assertThat(absent.status()).isEqualTo(2);
        assertThat(absent.err()).startsWith("brassboard: --engine spark: the Spark engine is not on the class path; run through ./brassboard");
        assertThat(out).doesNotExist();
    }

    @Test
    void progressBarTimes() {
        assertThat(CampaignCommand.ProgressView.duration(75)).isEqualTo("1:15");
        assertThat(CampaignCommand.ProgressView.duration(3725)).isEqualTo("1:02:05");
    }
}
