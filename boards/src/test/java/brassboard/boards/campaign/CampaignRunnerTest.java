package brassboard.boards.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming, cancelling, determinism whatever the job count, and the summary and report. */
class CampaignRunnerTest {
    @TempDir
    Path dir;

    private Campaign hello(String limits) throws Exception {
        Path f = dir.resolve("hello.yaml");
        Files.writeString(f, """
                image: %s
                limits: { %s }
                plans:
                  - name: uart
                    rules: [ { point: bus.write, match: { address: 0x09000000 }, when: { probability: 0.05 }, action: { type: flip, mask: 0x20 }, times: sticky } ]
                    seeds: 1-4
                  - name: quiet
                    rules: [ { point: bus.write, match: { address: 0x09100000 }, action: drop } ]
                """.formatted(TestImages.image("hello.elf").toAbsolutePath(), limits));
        return Campaign.load(f);
    }

    private static List<String> lines(Path f) throws Exception {
        return Files.readAllLines(f, StandardCharsets.UTF_8).stream().sorted().toList();
    }

    @Test
    void aRerunSkipsWhatIsDoneAndRepairsACutLine() throws Exception {
        Path out = dir.resolve("out");
        CampaignRunner.Result first = new CampaignRunner(hello("max-time: 1ms"), out, 2, null).run();
        assertThat(first.executed()).isEqualTo(5);
        Path results = out.resolve(CampaignRunner.RESULTS);
        List<String> all = lines(results);
        assertThat(all).hasSize(5);
        // Keep two whole lines and half of a third, as if the process had been killed while writing it.
        String cut = all.get(2).substring(0, all.get(2).length() / 2);
        Files.writeString(results, all.get(0) + "\n" + all.get(1) + "\n" + cut, StandardCharsets.UTF_8);
        CampaignRunner.Result second = new CampaignRunner(hello("max-time: 1ms"), out, 2, null).run();
        assertThat(second.resumed()).isEqualTo(2);
        assertThat(second.executed()).isEqualTo(3);
        assertThat(second.records()).hasSize(5);
        assertThat(lines(results)).isEqualTo(all);
        assertThat(second.records()).isEqualTo(first.records());
        CampaignRunner.Result third = new CampaignRunner(hello("max-time: 1ms"), out, 1, null).run();
        assertThat(third.executed()).isZero();
        assertThat(third.resumed()).isEqualTo(5);
    }

    @Test
    void aDirectoryOfAnotherCampaignIsRefused() throws Exception {
        Path out = dir.resolve("out");
        new CampaignRunner(hello("max-time: 1ms"), out, 1, null).run();
        assertThatThrownBy(() -> new CampaignRunner(hello("max-time: 2ms"), out, 1, null).run())
                .isInstanceOf(CampaignException.class)
                .hasMessage(out + ": holds results of another campaign, or of this one with another image or settings "
                        + "(was 'max-time=1000000', now 'max-time=2000000'); use another --out, or remove the directory to start again");
    }

    @Test
    void cancellingKeepsWholeLinesAndTheRestRunsLater() throws Exception {
        Path out = dir.resolve("out");
        CampaignRunner[] runner = new CampaignRunner[1];
        runner[0] = new CampaignRunner(hello("max-time: 1ms"), out, 1, new CampaignRunner.Progress() {
            @Override
            public void finished(RunRecord record, int done, int total) {
                if (done == 2) {
                    runner[0].cancel();
                }
            }
        });
        CampaignRunner.Result cut = runner[0].run();
        assertThat(cut.cancelled()).isTrue();
        assertThat(cut.records()).hasSize(2);
        List<String> kept = lines(out.resolve(CampaignRunner.RESULTS));
        assertThat(kept).hasSize(2);
        kept.forEach(RunRecord::fromJson);
        CampaignRunner.Result rest = new CampaignRunner(hello("max-time: 1ms"), out, 2, null).run();
        assertThat(rest.resumed()).isEqualTo(2);
        assertThat(rest.executed()).isEqualTo(3);
        assertThat(rest.cancelled()).isFalse();
    }

    @Test
    void resultsDoNotDependOnTheJobCount() throws Exception {
        Path f = dir.resolve("irq.yaml");
        Files.writeString(f, """
                image: %s
                cpus: 2
                limits: { max-time: 100ms }
                watchdog: { hard: 20ms, soft: 50ms }
                detected: { output: 'irq-demo: missed tick|tick too early|timer stalled|nobody cared' }
                generate:
                  - name: isenabler0
                    point: bus.write
                    registers: [0x08000100]
                    bits: [0, 27, 30]
                    action: flip
                    when: { nth: 2 }
                plans:
                  - name: uart-noise
                    rules: [ { point: bus.write, match: { address: 0x09000000 }, when: { probability: 0.002 }, action: { type: flip, mask: 0x1 }, times: sticky } ]
                    seeds: [1, 2]
                """.formatted(TestImages.image("irq-demo.elf").toAbsolutePath()));
        Campaign c = Campaign.load(f);
        CampaignRunner.Result one = new CampaignRunner(c, dir.resolve("j1"), 1, null).run();
        CampaignRunner.Result two = new CampaignRunner(c, dir.resolve("j2"), 2, null).run();
        assertThat(lines(dir.resolve("j2").resolve(CampaignRunner.RESULTS))).isEqualTo(lines(dir.resolve("j1").resolve(CampaignRunner.RESULTS)));
        assertThat(two.records()).isEqualTo(one.records());
        assertThat(one.records()).extracting(RunRecord::id).containsExactly("uart-noise#1", "uart-noise#2",
                "isenabler0/0x08000100/bit00#0", "isenabler0/0x08000100/bit27#0", "isenabler0/0x08000100/bit30#0");
        RunRecord timer = one.records().get(3);
        assertThat(timer.outcome()).isEqualTo(Outcome.DETECTED);
        assertThat(timer.reason()).isEqualTo("reported in the output: 'timer stalled'");
        assertThat(one.records().get(2).outcome()).isEqualTo(Outcome.MASKED);

        Summary s = Summary.of(one);
        assertThat(s.count(Outcome.DETECTED)).isGreaterThanOrEqualTo(1);
        String text = s.text();
        assertThat(text).contains("by point/action").contains("bus.write flip").contains("isenabler0 0x08000100").contains("uart-noise");
        String html = s.html();
        assertThat(html).contains("<svg").contains("<title>detected: ");
        assertThat(html).doesNotContain("src=").doesNotContain("href=").doesNotContain("<script");
        s.write(dir.resolve("j1"));
        assertThat(dir.resolve("j1").resolve("summary.txt")).hasContent(text);
        assertThat(dir.resolve("j1").resolve("report.html")).exists();
    }
}
