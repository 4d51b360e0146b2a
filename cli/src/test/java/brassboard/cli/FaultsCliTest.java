package brassboard.cli;

import static brassboard.cli.CliTest.brassboard;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.cli.CliTest.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brassboard run --faults}: a bad plan stops before the run with one line; a good one ends with a report. */
class FaultsCliTest {
    private static final String HELLO = Path.of("..", "firmware", "images", "hello.elf").toString();

    @TempDir
    Path dir;

    @Test
    void aBadPlanIsOneLineAndExitTwoAndNothingRuns() throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                rules:
                  - point: bus.write
                    action: drop
                  - point: bus.read
                    when: { probability: 1.5 }
                    action: error
                """);
        Outcome o = brassboard("run", "--faults", plan.toString(), HELLO).oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err().strip()).isEqualTo("brassboard: --faults " + plan + ": rule 2 (line 5): when.probability: 1.5 is outside [0, 1]");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void aPlanForAPointTheMachineLacksIsOneLineAndExitTwo() throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, "rules:\n  - point: spi.flash0\n    action: drop\n");
        Outcome o = brassboard("run", "--faults", plan.toString(), HELLO).oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("rule 1 (line 2): point: 'spi.flash0' matches no fault point of this machine");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void yamlSyntaxErrorsAndMissingFilesAreOneLine() throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, "rules:\n  - point: bus.read\n    action: [error\n    times: once\n");
        Outcome o = brassboard("run", "--faults", plan.toString(), HELLO).oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains(plan + ": line 4: YAML syntax error: ");
        Outcome missing = brassboard("run", "--faults", dir.resolve("none.yaml").toString(), HELLO).oneLineError();
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("none.yaml: no such file");
    }

    @Test
    void aGoodPlanRunsAndReportsOnStderr() throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                rules:
                  - point: bus.write
                    match: { address: 0x09000000, master: cpu0 }
                    when: { nth: 1 }
                    action: { type: replace, value: 0x62 }
                """);
        Outcome o = brassboard("run", "--faults", plan.toString(), "--seed", "7", HELLO);
        assertThat(o.status()).isZero();
        assertThat(o.out()).startsWith("brassboard hello: ARMv7-A on the virt board");
        assertThat(o.err())
                .startsWith("brassboard: fault report: " + plan + ", seed 7: 1 fault injected by 1 rule")
                .contains("rule 1 (line 2): bus.write address=0x09000000 master=cpu0 nth=1: replace value=0x62, once: 1 injected")
                .contains("bus.write cpu0 write 4 bytes at 0x09000000: 0x00000042 -> 0x00000062");
    }

    @Test
    void theSameSeedGivesTheSameTrace() throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                rules:
                  - point: bus.write
                    match: { address: 0x09000000 }
                    when: { probability: 0.5 }
                    action: { type: flip, mask: 0x20 }
                    times: sticky
                """);
        Path t1 = dir.resolve("t1.txt");
        Path t2 = dir.resolve("t2.txt");
        Path t3 = dir.resolve("t3.txt");
        Outcome a = brassboard("run", "--faults", plan.toString(), "--seed", "42", "--trace", t1.toString(), HELLO);
        Outcome b = brassboard("run", "--faults", plan.toString(), "--seed", "42", "--trace", t2.toString(), HELLO);
        Outcome c = brassboard("run", "--faults", plan.toString(), "--seed", "43", "--trace", t3.toString(), HELLO);
        assertThat(Files.readString(t1)).contains("fault.inject").isEqualTo(Files.readString(t2));
        assertThat(Files.readString(t3)).isNotEqualTo(Files.readString(t1));
        assertThat(a.out()).isEqualTo(b.out()).isNotEqualTo(c.out());
        assertThat(a.err()).isEqualTo(b.err());
    }
    @Test
    void theEndOfRunReportSaysWhatTheDetectorsSaw() {
        String stuck = Path.of("..", "docs", "examples", "irq-demo-stuck.yaml").toString();
        String irqDemo = Path.of("..", "firmware", "images", "irq-demo.elf").toString();
        Outcome o = brassboard("run", "--cpus", "2", "--faults", stuck, irqDemo);
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out()).contains("Disabling IRQ #27").contains("timer stalled");
        assertThat(o.err()).contains("irq.cpu0.timer.virt").contains("brassboard: lockup detectors: nothing found");

        // A plan that changes nothing on a firmware that deadlocks: the findings are listed with the faults.
        String deadlock = Path.of("..", "firmware", "images", "stopper-deadlock.elf").toString();
        Outcome d = brassboard("run", "--cpus", "2", "--faults", stuck, "--max-time", "12s", deadlock);
        assertThat(d.err()).contains("brassboard: lockup detectors: 3 finding(s):")
                .contains("deadlock: cpu0, cpu1 wait for each other");
    }
}
