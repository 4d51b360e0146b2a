package brassboard.boards.irqkit;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.api.RunResult;
import brassboard.boards.testkit.BrassboardTest;
import brassboard.boards.testkit.TestMachine;
import brassboard.boards.testkit.TestMachineBuilder;
import brassboard.boards.watch.LockupReport;
import brassboard.boards.watch.WatchdogOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The irqkit demos (firmware/irqkit) on 2 and 4 cores against their golden transcripts, which are
 * what qemu-system-arm -M virt -smp 2 -icount shift=0 prints for the same images
 * (firmware/images/README.md), and what the lockup detectors say of each. Each test gets its
 * machine from {@link BrassboardTest}: two cores, no console input (as {@code brassboard run}).
 */
@BrassboardTest(cpus = 2, consoleInput = false)
class IrqkitDemosTest {
    /** The 4-space-indented transcript after "stdout..." in the demo's section of firmware/images/README.md. */
    static String qemuTranscript(String demo) throws Exception {
        String md = Files.readString(TestImages.image("README.md"));
        int start = md.indexOf("\n### " + demo + ".elf\n");
        assertThat(start).as("section for %s in firmware/images/README.md", demo).isPositive();
        int end = md.indexOf("\n### ", start + 1);
        String section = md.substring(start, end < 0 ? md.length() : end);
        Matcher m = Pattern.compile("\nstdout[^\n]*(?:\n[^\n]+)*:\n\n((?:    [^\n]*\n|\n)+)").matcher(section);
        assertThat(m.find()).as("transcript of %s", demo).isTrue();
        StringBuilder sb = new StringBuilder();
        for (String line : m.group(1).strip().split("\n")) {
            sb.append(line.startsWith("    ") ? line.substring(4) : line.strip()).append("\r\n");
        }
        return sb.toString();
    }

    private static final Duration SECOND = Duration.ofSeconds(1);

    /** The demo's machine, the lockup detectors watching. */
    private static TestMachine boot(TestMachineBuilder board, String demo, WatchdogOptions watchdog) {
        return board.image(TestImages.image(demo + ".elf")).watchdog(watchdog).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"irq-demo", "softirq-storm", "hrtimer-overrun-fixed"})
    void endingDemosPrintWhatQemuPrintsPowerOffAndTheDetectorsStayQuiet(String demo, TestMachineBuilder board) throws Exception {
        TestMachine d = boot(board, demo, WatchdogOptions.defaults().withHard(5_000_000).withSoft(10_000_000).withSpin(1_000_000));
        assertThat(d.runToEnd(SECOND).outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(d.console().transcript()).isEqualTo(qemuTranscript(demo));
        assertThat(d.lockups()).isEmpty();
    }

    @Test
    void irqDemoOnFourCoresDiffersOnlyInTheCoreCount(TestMachineBuilder board) throws Exception {
        TestMachine d = boot(board.cpus(4), "irq-demo", WatchdogOptions.defaults());
        assertThat(d.runToEnd(SECOND).outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(d.console().transcript()).isEqualTo(qemuTranscript("irq-demo").replace("2 CPUs", "4 CPUs"));
    }

    @Test
    void fourCoresGiveTheSameTraceEveryRun(@TempDir Path tmp) throws Exception {
        String[] traces = new String[2];
        for (int run = 0; run < 2; run++) {
            Path trace = tmp.resolve("trace-" + run + ".txt");
            try (TestMachine m = TestMachine.builder().image(TestImages.image("softirq-storm.elf")).cpus(4).consoleInput(false)
                    .trace(trace).build()) {
                String end = m.runToEnd(SECOND).message();
                m.close();
                traces[run] = Files.readString(trace) + end + m.console().transcript();
            }
        }
        assertThat(traces[0]).contains("cpu3").contains("gic.sgi").contains("timer.fire");
        assertThat(traces[1]).isEqualTo(traces[0]);
    }

    @Test
    void irqDemoShowsLinuxsContextFlagsInEachHalf(TestMachineBuilder board) throws Exception {
        TestMachine d = boot(board, "irq-demo", WatchdogOptions.defaults());
        d.runToEnd(SECOND);
        assertThat(d.console().transcript()).contains("hardirq  tick_sched_timer : cpu0 preempt_count=0x00010000 in_irq=1")
                .contains("softirq  run_timer_softirq: cpu0 preempt_count=0x00000100 in_irq=0 in_softirq=1 in_serving_softirq=1")
                .contains("tasklet  tasklet_action   : cpu0 preempt_count=0x00000100")
                .contains("work     process_one_work : cpu1 preempt_count=0x00000000")
                .contains("10 ticks, 10 timer softirqs, 10 tasklets, 10 works, 0 missed ticks");
    }

    @Test
    void stopperDeadlockIsAHardLockupOnBothCoresAndADeadlockNamingBothLocks(TestMachineBuilder board) throws Exception {
        // Default thresholds: both cores sleep in WFE with IRQs masked, so virtual time jumps to
        // the thresholds and the 10 s cost nothing.
        TestMachine o = boot(board, "stopper-deadlock", WatchdogOptions.defaults());
        o.advance(Duration.ofSeconds(30));
        assertThat(o.console().transcript()).isEqualTo(qemuTranscript("stopper-deadlock"));
        List<LockupReport> deadlocks = o.lockups().stream().filter(r -> r.kind() == LockupReport.Kind.DEADLOCK).toList();
        assertThat(deadlocks).singleElement().satisfies(r -> {
            assertThat(r.cpus()).containsExactly(0, 1);
            assertThat(r.timeNs()).isBetween(1_000_000_000L, 1_001_000_000L);
            assertThat(r.text()).contains("deadlock: cpu0, cpu1")
                    .contains("waits for 0x40015354 <stoppers+0x10>, held by cpu1")
                    .contains("waits for 0x40015344 <stoppers+0x0>, held by cpu0")
                    .contains("cpu_stop_queue_two_works").contains("active_balance_stop_one_cpu");
        });
        List<LockupReport> hard = o.lockups().stream().filter(r -> r.kind() == LockupReport.Kind.HARD_LOCKUP).toList();
        assertThat(hard).extracting(r -> r.cpus().get(0)).containsExactlyInAnyOrder(0, 1);
        assertThat(hard).allSatisfy(r -> {
            assertThat(r.text()).contains("has had IRQs masked for 10.000000000 s").contains("spinning since")
                    .contains("stoppers+0x");
            assertThat(r.timeNs()).isBetween(10_000_000_000L, 10_001_000_000L);
        });
    }

    @Test
    void stopOnLockupEndsTheDeadlockWithExitStatusThree(TestMachineBuilder board) throws Exception {
        TestMachine o = boot(board, "stopper-deadlock", WatchdogOptions.defaults().withStopOnLockup(true));
        RunResult result = o.runToEnd(Duration.ofSeconds(30));
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.LOCKUP);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.message()).contains("deadlock: cpu0, cpu1");
        assertThat(o.lockups()).hasSize(1);
    }

    @Test
    void hrtimerOverrunIsAHardLockupInTheTimerCallback(TestMachineBuilder board) throws Exception {
        TestMachine o = boot(board, "hrtimer-overrun", WatchdogOptions.defaults().withHard(5_000_000).withSoft(1_000_000_000).withStopOnLockup(true));
        assertThat(o.runToEnd(SECOND).outcome()).isEqualTo(RunResult.Outcome.LOCKUP);
        assertThat(o.lockups()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(LockupReport.Kind.HARD_LOCKUP);
            assertThat(r.cpus()).containsExactly(0);
            assertThat(r.text()).contains("hard lockup: cpu0 has had IRQs masked for 5.000000 ms")
                    .contains("in hard-IRQ context")
                    .contains("sched_cfs_period_timer");
        });
        assertThat(o.console().transcript()).contains("still overrun after do_sched_cfs_period_timer, loop 2 in hard-IRQ context");
    }

    @Test
    void theRemediedImageSurvivesWhereTheOriginalLocksUp(TestMachineBuilder board) throws Exception {
        TestMachine o = boot(board, "hrtimer-overrun-fixed", WatchdogOptions.defaults().withHard(5_000_000));
        assertThat(o.runToEnd(SECOND).outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(o.console().transcript()).contains("period too short, scaling up");
        assertThat(o.lockups()).isEmpty();
    }
}
