package brassboard.spark;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.campaign.Campaign;
import brassboard.boards.campaign.CampaignRunner;
import brassboard.boards.campaign.LocalEngine;
import brassboard.boards.campaign.Outcome;
import brassboard.boards.campaign.RunRecord;
import brassboard.boards.campaign.Summary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.Success$;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One semantics, two engines: docs/examples/gicd-isenabler0-timer-write.yaml (irq-demo, each bit of
 * the GIC distributor's second enable write flipped: 32 runs) run on local threads and as a Spark job in
 * {@code local[2,3]} (two cores, three attempts per task) give the same records line for line —
 * also when a task fails mid-partition and Spark runs it again, and when a run resumes.
 */
class SparkCampaignTest {
    private static final Path GICD = Path.of("..", "docs", "examples", "gicd-isenabler0-timer-write.yaml");

    @TempDir
    static Path dir;

    private static JavaSparkContext sc;
    private static Campaign campaign;
    private static CampaignRunner.Result local;
    private static final List<String> failures = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        campaign = Campaign.load(GICD);
        assertThat(campaign.runs()).hasSize(32);
        local = new CampaignRunner(campaign, dir.resolve("local"), new LocalEngine(2), null).run();
        sc = new JavaSparkContext(SparkEngineProvider.conf("local[2,3]"));
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() != Success$.MODULE$) {
                    failures.add(end.reason().toString());
                }
            }
        });
    }

    @AfterAll
    static void tearDown() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static List<String> lines(Path out) throws Exception {
        return Files.readAllLines(out.resolve(CampaignRunner.RESULTS), StandardCharsets.UTF_8).stream().sorted().toList();
    }

    private static CampaignRunner.Result spark(Path out) throws Exception {
        try (SparkEngine engine = new SparkEngine(sc)) {
            return new CampaignRunner(campaign, out, engine, null).run();
        }
    }

    @Test
    void sparkGivesTheLocalRecords() throws Exception {
        assertThat(local.records()).hasSize(32);
        assertThat(local.records()).extracting(RunRecord::outcome).contains(Outcome.MASKED).containsAnyOf(Outcome.HANG, Outcome.DETECTED, Outcome.SDC);
        assertThat(local.records()).filteredOn(r -> r.divergence().isPresent()).isNotEmpty();
        Path out = dir.resolve("spark");
        CampaignRunner.Result spark = spark(out);
        assertThat(spark.executed()).isEqualTo(32);
        assertThat(spark.records()).isEqualTo(local.records());
        assertThat(lines(out)).isEqualTo(lines(dir.resolve("local"))).hasSize(32);
        Summary.of(spark).write(out);
        Summary.of(local).write(dir.resolve("local"));
        assertThat(out.resolve("summary.txt")).hasSameTextualContentAs(dir.resolve("local").resolve("summary.txt"));
        assertThat(out.resolve("report.html")).hasSameTextualContentAs(dir.resolve("local").resolve("report.html"));
        assertThat(out.resolve(CampaignRunner.GOLDEN)).hasSameBinaryContentAs(dir.resolve("local").resolve(CampaignRunner.GOLDEN));
    }

    @Test
    void aTaskThatFailsMidPartitionIsRunAgainWithoutLosingOrRepeatingARecord() throws Exception {
        failures.clear();
        sc.setLocalProperty(RunPartition.FAIL_FIRST_ATTEMPT, "1");
        try {
            Path out = dir.resolve("spark-failure");
            CampaignRunner.Result spark = spark(out);
            sc.sc().listenerBus().waitUntilEmpty(); // the task-end events are delivered after the job ends
            assertThat(failures).filteredOn(f -> f.contains("test hook")).hasSize(1)
                    .allSatisfy(f -> assertThat(f).contains("attempt 0 of partition 1 fails after its first run"));
            assertThat(spark.records()).isEqualTo(local.records());
            assertThat(Files.readAllLines(out.resolve(CampaignRunner.RESULTS))).hasSize(32);
            assertThat(lines(out)).isEqualTo(lines(dir.resolve("local")));
        } finally {
            sc.setLocalProperty(RunPartition.FAIL_FIRST_ATTEMPT, null);
        }
    }

    @Test
    void aSparkRunResumesWhatTheLocalEngineLeft() throws Exception {
        Path out = dir.resolve("resumed");
        Files.createDirectories(out);
        List<String> done = Files.readAllLines(dir.resolve("local").resolve(CampaignRunner.RESULTS), StandardCharsets.UTF_8);
        Files.copy(dir.resolve("local").resolve(CampaignRunner.SETTINGS), out.resolve(CampaignRunner.SETTINGS));
        Files.write(out.resolve(CampaignRunner.RESULTS), done.subList(0, 10), StandardCharsets.UTF_8);
        CampaignRunner.Result spark = spark(out);
        assertThat(spark.resumed()).isEqualTo(10);
        assertThat(spark.executed()).isEqualTo(22);
        assertThat(spark.records()).isEqualTo(local.records());
        assertThat(lines(out)).isEqualTo(lines(dir.resolve("local")));
    }

    @Test
    void cancellingTheJobKeepsWholeRecordsAndTheRestRunsLater() throws Exception {
        Path out = dir.resolve("cancelled");
        CampaignRunner[] runner = new CampaignRunner[1];
        try (SparkEngine engine = new SparkEngine(sc)) {
            runner[0] = new CampaignRunner(campaign, out, engine, new CampaignRunner.Progress() {
                @Override
                public void finished(RunRecord record, int done, int total) {
                    if (done == 4) {
                        runner[0].cancel();
                    }
                }
            });
            CampaignRunner.Result cut = runner[0].run();
            assertThat(cut.cancelled()).isTrue();
            assertThat(cut.records().size()).isBetween(4, 31);
        }
        List<String> kept = Files.readAllLines(out.resolve(CampaignRunner.RESULTS), StandardCharsets.UTF_8);
        kept.forEach(RunRecord::fromJson);
        CampaignRunner.Result rest = spark(out);
        assertThat(rest.resumed()).isEqualTo(kept.size());
        assertThat(rest.executed()).isEqualTo(32 - kept.size());
        assertThat(rest.records()).isEqualTo(local.records());
        assertThat(lines(out)).isEqualTo(lines(dir.resolve("local")));
    }
}
