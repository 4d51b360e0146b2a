package brassboard.spark;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code brassboard campaign --engine spark} as the launcher runs it (the CLI with this module on
 * the class path): a small campaign end to end on {@code local[2]}, the same files as the local
 * engine; bad masters and an unreachable cluster one line, exit 2, nothing in the output directory.
 */
class SparkCliTest {
    private static final Path HELLO = Path.of("..", "firmware", "images", "hello.elf").toAbsolutePath();

    @TempDir
    Path dir;

    record Outcome(int status, String out, String err) {
    }

    private static Outcome brassboard(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(status, out.toString(), err.toString());
    }

    private Path campaign() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, """
                name: hello-uart
                image: %s
                limits: { max-time: 1ms }
                plans:
                  - name: uart-bit
                    rules: [ { point: bus.write, match: { address: 0x09000000 }, when: { nth: 2 }, action: { type: flip, mask: 0x1 } } ]
                    seeds: 1-3
                  - name: quiet
                    rules: [ { point: bus.write, match: { address: 0x09100000 }, action: drop } ]
                """.formatted(HELLO));
        return f;
    }

    @Test
    void theSparkEngineWritesWhatTheLocalOneWrites() throws Exception {
        Path f = campaign();
        Outcome local = brassboard("campaign", "--quiet", f.toString(), "--jobs", "2", "--out", dir.resolve("local").toString());
        assertThat(local.status()).as(local.err()).isZero();
        Outcome spark = brassboard("campaign", f.toString(), "--engine", "spark", "--master", "local[2]", "--out", dir.resolve("spark").toString());
        assertThat(spark.status()).as(spark.err()).isZero();
        assertThat(spark.err()).contains("runs/s with Spark local[2] (2 cores); results in " + dir.resolve("spark"));
        assertThat(spark.out()).isEqualTo(local.out());
        for (String file : new String[] {"summary.txt", "report.html", "golden.txt", "campaign.txt"}) {
            assertThat(dir.resolve("spark").resolve(file)).hasSameBinaryContentAs(dir.resolve("local").resolve(file));
        }
        assertThat(Files.readAllLines(dir.resolve("spark").resolve("results.jsonl")).stream().sorted().toList())
                .isEqualTo(Files.readAllLines(dir.resolve("local").resolve("results.jsonl")).stream().sorted().toList())
                .hasSize(4);
    }

    @Test
    void badMastersAndAnUnreachableClusterAreOneLineAndWriteNothing() throws Exception {
        Path f = campaign();
        Path out = dir.resolve("out");
        for (String master : new String[] {"spark:/host:7077", "local[0]", "local[two]", "spark://host", "spark://host:99999", "k8s://", "yarn", "mesos://h:5050"}) {
            Outcome o = brassboard("campaign", f.toString(), "--engine", "spark", "--master", master, "--out", out.toString());
            assertThat(o.status()).as(master).isEqualTo(2);
            assertThat(o.err()).as(master).isEqualTo("brassboard: --master " + master + ": not a Spark master URL; " + SparkMasters.EXPECTED + System.lineSeparator());
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Outcome o = brassboard("campaign", f.toString(), "--engine", "spark", "--master", "spark://127.0.0.1:" + port, "--out", out.toString());
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).startsWith("brassboard: --master spark://127.0.0.1:" + port + ": cannot reach the cluster within 3000 ms: 127.0.0.1:" + port + " (")
                .endsWith("); is the master running, and is the address right?" + System.lineSeparator());
        Outcome k8s = brassboard("campaign", f.toString(), "--engine", "spark", "--master", "k8s://https://127.0.0.1:" + port, "--out", out.toString());
        assertThat(k8s.status()).isEqualTo(2);
        assertThat(k8s.err()).startsWith("brassboard: --master k8s://https://127.0.0.1:" + port + ": cannot reach the cluster within 3000 ms");
        assertThat(out).doesNotExist();
    }

    @Test
    void aJobThatFailsIsOneLineAndKeepsTheRecordsOfTheTasksThatFinished() throws Exception {
        Path f = campaign();
        Path out = dir.resolve("failed");
        // local[2] gives a task one attempt: partition 0 failing its first fails the job.
        System.setProperty(RunPartition.FAIL_FIRST_ATTEMPT, "0");
        Outcome o;
        try {
            o = brassboard("campaign", "--quiet", f.toString(), "--engine", "spark", "--master", "local[2]", "--out", out.toString());
        } finally {
            System.clearProperty(RunPartition.FAIL_FIRST_ATTEMPT);
        }
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("brassboard: Spark local[2]: the campaign's job failed: test hook " + RunPartition.FAIL_FIRST_ATTEMPT
                + ": attempt 0 of partition 0 fails after its first run" + System.lineSeparator());
        // Whatever finished before the job failed is whole and counts on the next run.
        List<String> kept = Files.readAllLines(out.resolve("results.jsonl"));
        assertThat(kept.size()).isLessThan(4);
        Outcome again = brassboard("campaign", f.toString(), "--engine", "spark", "--master", "local[2]", "--out", out.toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.err()).contains("brassboard: 4 runs, " + kept.size() + " already done");
        assertThat(Files.readAllLines(out.resolve("results.jsonl"))).hasSize(4).containsAll(kept);
    }
}
