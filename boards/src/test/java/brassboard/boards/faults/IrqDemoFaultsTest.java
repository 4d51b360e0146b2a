package brassboard.boards.faults;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.api.RunResult;
import brassboard.boards.testkit.BrassboardTest;
import brassboard.boards.testkit.TestMachine;
import brassboard.boards.testkit.TestMachineBuilder;
import brassboard.boards.watch.WatchdogOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "Breaking irq-demo" demos: irq-demo on two cores with the plans in docs/examples/, and what the
 * firmware and the detectors say. Each test's machine comes from {@link BrassboardTest}.
 */
@BrassboardTest(image = "../firmware/images/irq-demo.elf", cpus = 2, consoleInput = false)
class IrqDemoFaultsTest {
    private static final Duration LIMIT = Duration.ofMillis(200);

    @TempDir
    Path tmp;

    /** Runs the demo with {@code plan} armed and the detectors watching, to its end. */
    static TestMachine run(TestMachineBuilder board, Path plan) {
        TestMachine m = board.faults(plan)
                .watchdog(WatchdogOptions.defaults().withHard(5_000_000L).withSoft(10_000_000L).withSpin(5_000_000L)).build();
        m.runToEnd(LIMIT);
        return m;
    }

    static Path example(String name) {
        return Path.of("..", "docs", "examples", name);
    }

    /** The lines of the output that are not the per-tick context dumps. */
    static List<String> keyLines(String output) {
        return output.lines().filter(l -> !l.startsWith("  ")).toList();
    }

    private static final List<String> BOOT = List.of(
            "irqkit: irq-demo, booting on cpu0",
            "irqkit: virtual timer CNTV (PPI 11, INTID 27), CNTFRQ 62500000 Hz, GICv2 at 0x08000000/0x08010000",
            "smp: brought up 2 CPUs (PSCI CPU_ON over HVC)",
            "irq-demo: 2 CPUs, tick 1000 us on cpu0, work on cpu1",
            "irq-demo: process context (thread main)",
            "irq-demo: tick 1",
            "irq-demo: tick 2",
            "irq-demo: tick 3");

    private static List<String> after(List<String> head, String... rest) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(rest));
        return all;
    }

    @Test
    void aLostTimerInterruptStallsTheTick(TestMachineBuilder board) {
        TestMachine d = run(board, example("irq-demo-lost-tick.yaml"));
        // The comparator is one-shot and level-sensitive: its line stays high (as the device drives it) but the
        // assertion never reached the GIC, so the handler that would reprogram it never runs.
        assertThat(keyLines(d.console().transcript())).containsExactlyElementsOf(after(BOOT,
                "irq-demo: timer stalled: only 3 of 10 ticks in 50 ms",
                "irq-demo: summary: 3 ticks, 3 timer softirqs, 3 tasklets, 3 works, 0 missed ticks, 0 early ticks",
                "irq-demo: powering off"));
        assertThat(d.result().orElseThrow().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(d.faultReport()).contains("4.028336 ms  irq.cpu0.timer.virt assertion: dropped");
        assertThat(d.faults().orElseThrow().injected()).isEqualTo(1);
        assertThat(d.lockups()).isEmpty(); // nothing pending, nothing masked: no lockup to see
    }

    @Test
    void aLateTimerInterruptIsAMissedTick(TestMachineBuilder board) {
        TestMachine d = run(board, example("irq-demo-late-tick.yaml"));
        List<String> ticks = new ArrayList<>(BOOT);
        ticks.add("irq-demo: missed tick");
        for (int i = 4; i <= 10; i++) {
            ticks.add("irq-demo: tick " + i);
        }
        ticks.add("irq-demo: summary: 10 ticks, 10 timer softirqs, 10 tasklets, 10 works, 1 missed ticks, 0 early ticks");
        ticks.add("irq-demo: powering off");
        assertThat(keyLines(d.console().transcript())).containsExactlyElementsOf(ticks);
        assertThat(d.faultReport()).contains("4.028336 ms  irq.cpu0.timer.virt assertion: +1200000 ns");
        assertThat(d.lockups()).isEmpty();
    }

    @Test
    void anIrqStormIsDisabledAsNobodyCared(TestMachineBuilder board) {
        TestMachine d = run(board, example("irq-demo-storm.yaml"));
        assertThat(keyLines(d.console().transcript())).containsExactlyElementsOf(after(BOOT,
                "irq 27 on cpu0: arch_timer found nothing to do (spurious interrupt?)",
                "irq 27 on cpu0: nobody cared (100 unhandled in a row), Disabling IRQ #27",
                "irq-demo: timer stalled: only 3 of 10 ticks in 50 ms",
                "irq-demo: summary: 3 ticks, 3 timer softirqs, 3 tasklets, 3 works, 0 missed ticks, 0 early ticks",
                "irq-demo: 0 spurious (GICC_IAR 1023), 0 unexpected, 100 unhandled interrupts",
                "irq-demo: powering off"));
        assertThat(d.faultReport()).contains("3.500000 ms  irq.cpu0.timer.virt line: 150 assertions, one every 20.000 us for 3.000000 ms");
        assertThat(d.lockups()).isEmpty();
    }

    @Test
    void aStuckLineIsDisabledAsNobodyCared(TestMachineBuilder board) {
        TestMachine d = run(board, example("irq-demo-stuck.yaml"));
        assertThat(keyLines(d.console().transcript())).containsExactlyElementsOf(after(BOOT,
                "irq 27 on cpu0: arch_timer found nothing to do (spurious interrupt?)",
                "irq 27 on cpu0: nobody cared (100 unhandled in a row), Disabling IRQ #27",
                "irq-demo: timer stalled: only 3 of 10 ticks in 50 ms",
                "irq-demo: summary: 3 ticks, 3 timer softirqs, 3 tasklets, 3 works, 0 missed ticks, 0 early ticks",
                "irq-demo: 0 spurious (GICC_IAR 1023), 0 unexpected, 100 unhandled interrupts",
                "irq-demo: powering off"));
        assertThat(d.faultReport()).contains("3.500000 ms  irq.cpu0.timer.virt line: level 0 -> 1 forever");
        assertThat(d.lockups()).isEmpty();
    }

    /** Runs the demo with the plan {@code yaml} armed under {@code seed}, to its end. */
    static TestMachine runText(TestMachineBuilder board, String yaml, long seed) {
        TestMachine m = board.seed(seed).faults(yaml).build();
        m.runToEnd(LIMIT);
        return m;
    }

    private static String timerRule(String action, String times) {
        return "rules:\n  - point: timer.cpu0.virt\n    when: { after: 3500us }\n    action: " + action + "\n    times: " + times + "\n";
    }

    @Test
    void aSkippedExpiryStallsTheOneShotTimer(TestMachineBuilder board) {
        TestMachine d = runText(board, timerRule("skip", "once"), 0);
        assertThat(keyLines(d.console().transcript())).contains("irq-demo: timer stalled: only 3 of 10 ticks in 50 ms");
        assertThat(d.faultReport()).contains("4.028336 ms  timer.cpu0.virt expiry: skipped");
    }

    @Test
    void aDelayedExpiryIsAMissedTick(TestMachineBuilder board) {
        TestMachine d = runText(board, timerRule("{ type: delay, ns: 1200us }", "once"), 0);
        assertThat(keyLines(d.console().transcript())).containsSubsequence("irq-demo: tick 3", "irq-demo: missed tick", "irq-demo: tick 4")
                .contains("irq-demo: summary: 10 ticks, 10 timer softirqs, 10 tasklets, 10 works, 1 missed ticks, 0 early ticks");
        assertThat(d.faultReport()).contains("4.028336 ms  timer.cpu0.virt expiry: +1200000 ns");
    }

    @Test
    void aSlowTimerMissesEveryTick(TestMachineBuilder board) {
        TestMachine d = runText(board, timerRule("{ type: drift, factor: 0.5 }", "sticky"), 0);
        assertThat(keyLines(d.console().transcript())).contains("irq-demo: summary: 10 ticks, 10 timer softirqs, 10 tasklets, 10 works, 6 missed ticks, 0 early ticks");
        assertThat(d.faultReport()).contains("4.032847 ms  timer.cpu0.virt expiry programmed: in 995489 ns -> in 1990978 ns");
        assertThat(d.result().orElseThrow().virtualTimeNs()).isGreaterThan(16_000_000L);
    }

    @Test
    void aFastTimerFiresEarlyButTheKernelWaitsForTheCounter(TestMachineBuilder board) {
        // hrtimer_interrupt runs only timers whose expiry the counter has reached, and reprograms CVAL:
        // each early interrupt halves the remaining time, so the ticks stay on time.
        TestMachine d = runText(board, timerRule("{ type: drift, factor: 2 }", "sticky"), 0);
        assertThat(keyLines(d.console().transcript())).contains("irq-demo: summary: 10 ticks, 10 timer softirqs, 10 tasklets, 10 works, 0 missed ticks, 0 early ticks");
        assertThat(d.faults().orElseThrow().injected()).isEqualTo(73);
        assertThat(d.faultReport()).contains("4.530736 ms  timer.cpu0.virt expiry programmed: in 497600 ns -> in 248800 ns");
    }

    @Test
    void aSpuriousAssertionIsFoundToHaveNothingToDo(TestMachineBuilder board) {
        TestMachine d = runText(board, "rules:\n  - point: irq.cpu0.timer.virt\n    when: { after: 3500us }\n    action: { type: spurious, duration: 5us }\n", 0);
        assertThat(keyLines(d.console().transcript())).containsSubsequence("irq-demo: tick 3",
                        "irq 27 on cpu0: arch_timer found nothing to do (spurious interrupt?)", "irq-demo: tick 4")
                .contains("irq-demo: 0 spurious (GICC_IAR 1023), 0 unexpected, 35 unhandled interrupts");
        assertThat(d.faultReport()).contains("3.500000 ms  irq.cpu0.timer.virt line: level 0 -> 1 for 5.000 us");
    }

    /** The trace and output of 60 ms of the demo with the plan {@code yaml} armed under {@code seed}. */
    private String trace(String yaml, long seed) throws Exception {
        Path trace = tmp.resolve("trace-" + seed + ".txt");
        try (TestMachine m = TestMachine.builder().image(TestImages.image("irq-demo.elf")).cpus(2).consoleInput(false)
                .seed(seed).faults(yaml).trace(trace).build()) {
            m.advance(Duration.ofMillis(60)).close();
            return Files.readString(trace) + m.console().transcript();
        }
    }

    @Test
    void theSameSeedGivesTheSameTraceAndAnotherSeedAnother() throws Exception {
        String plan = """
                rules:
                  - point: irq.cpu0.timer.virt
                    when: { probability: 0.5 }
                    action: { type: delay, ns: 700us }
                    times: sticky
                  - point: ram
                    match: { address: 0x40400000-0x404fffff }
                    when: { after: 2ms, probability: 0.9 }
                    action: { type: flip, bit: 7 }
                """;
        String a = trace(plan, 1);
        assertThat(a).contains("fault.inject");
        assertThat(trace(plan, 1)).isEqualTo(a);
        assertThat(trace(plan, 2)).isNotEqualTo(a);
    }

    @Test
    void theDocsExamplePerActionAppliesToATwoCoreMachine(TestMachineBuilder board) throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "faults.md"));
        int at = doc.indexOf("### Examples, one per new action");
        int start = doc.indexOf("```yaml\n", at) + "```yaml\n".length();
        String yaml = doc.substring(start, doc.indexOf("```", start));
        TestMachine m = board.build();
        FaultSession f = m.armFaults(yaml);
        assertThat(f.plan().rules()).hasSize(13);
        m.advance(Duration.ofMillis(20));
        assertThat(f.injected(1)).isEqualTo(1);
        assertThat(f.injected(2)).isEqualTo(1);
    }
}
