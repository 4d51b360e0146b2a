package brassboard.boards.irqkit;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.TestImages.Rig;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.watch.LockupDetector;
import brassboard.boards.watch.LockupReport;
import brassboard.boards.watch.WatchdogOptions;
import brassboard.firmware.api.SymbolTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The irqkit demos (firmware/irqkit) on 2 and 4 cores against their golden transcripts, which are
 * what qemu-system-arm -M virt -smp 2 -icount shift=0 prints for the same images
 * (firmware/images/README.md), and what the lockup detectors say of each.
 */
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

    private record Outcome(Rig rig, RunResult result, List<LockupReport> reports) {
        String text() {
            return rig.text();
        }
    }

    private static Outcome run(String demo, int cpus, WatchdogOptions watchdog, RunLimits limits) throws Exception {
        Path image = TestImages.image(demo + ".elf");
        Rig r = TestImages.rig(MachineConfig.of(image).withCpus(cpus), null);
        List<String> printed = new ArrayList<>();
        LockupDetector d = LockupDetector.attach(r.machine(), watchdog, SymbolTable.load(image), printed::add);
        RunResult result = r.machine().run(limits);
        return new Outcome(r, result, d.reports());
    }

    private static final RunLimits ENDING = RunLimits.none().withMaxTimeNs(1_000_000_000L);

    @ParameterizedTest
    @ValueSource(strings = {"irq-demo", "softirq-storm", "hrtimer-overrun-fixed"})
    void endingDemosPrintWhatQemuPrintsPowerOffAndTheDetectorsStayQuiet(String demo) throws Exception {
        Outcome o = run(demo, 2, WatchdogOptions.defaults().withHard(5_000_000).withSoft(10_000_000).withSpin(1_000_000), ENDING);
        assertThat(o.text()).isEqualTo(qemuTranscript(demo));
        assertThat(o.result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(o.reports()).isEmpty();
    }

    @Test
    void irqDemoOnFourCoresDiffersOnlyInTheCoreCount() throws Exception {
        Outcome o = run("irq-demo", 4, WatchdogOptions.defaults(), ENDING);
        assertThat(o.text()).isEqualTo(qemuTranscript("irq-demo").replace("2 CPUs", "4 CPUs"));
        assertThat(o.result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
    }

    /** Runs the rig to the limits; its text trace, how the run ended and its console output, as one string. */
    static String tracedRun(Rig r, RunLimits limits) {
        java.io.StringWriter out = new java.io.StringWriter();
        r.machine().tracer().addSink(new brassboard.bus.api.TextTraceSink(out));
        RunResult result = r.machine().run(limits);
        r.machine().tracer().close();
        return out + result.message() + r.text();
    }

    @Test
    void fourCoresGiveTheSameTraceEveryRun() throws Exception {
        String[] traces = new String[2];
        for (int run = 0; run < 2; run++) {
            Path image = TestImages.image("softirq-storm.elf");
            traces[run] = tracedRun(TestImages.rig(MachineConfig.of(image).withCpus(4), null), ENDING);
        }
        assertThat(traces[0]).contains("cpu3").contains("gic.sgi").contains("timer.fire");
        assertThat(traces[1]).isEqualTo(traces[0]);
    }

    @Test
    void irqDemoShowsLinuxsContextFlagsInEachHalf() throws Exception {
        String text = run("irq-demo", 2, WatchdogOptions.defaults(), ENDING).text();
        assertThat(text).contains("hardirq  tick_sched_timer : cpu0 preempt_count=0x00010000 in_irq=1")
                .contains("softirq  run_timer_softirq: cpu0 preempt_count=0x00000100 in_irq=0 in_softirq=1 in_serving_softirq=1")
                .contains("tasklet  tasklet_action   : cpu0 preempt_count=0x00000100")
                .contains("work     process_one_work : cpu1 preempt_count=0x00000000")
                .contains("10 ticks, 10 timer softirqs, 10 tasklets, 10 works, 0 missed ticks");
    }

    @Test
    void stopperDeadlockIsAHardLockupOnBothCoresAndADeadlockNamingBothLocks() throws Exception {
        // Default thresholds: both cores sleep in WFE with IRQs masked, so virtual time jumps to
        // the thresholds and the 10 s cost nothing.
        Outcome o = run("stopper-deadlock", 2, WatchdogOptions.defaults(), RunLimits.none().withMaxTimeNs(30_000_000_000L));
        assertThat(o.text()).isEqualTo(qemuTranscript("stopper-deadlock"));
        List<LockupReport> deadlocks = o.reports().stream().filter(r -> r.kind() == LockupReport.Kind.DEADLOCK).toList();
        assertThat(deadlocks).singleElement().satisfies(r -> {
            assertThat(r.cpus()).containsExactly(0, 1);
            assertThat(r.timeNs()).isBetween(1_000_000_000L, 1_001_000_000L);
            assertThat(r.text()).contains("deadlock: cpu0, cpu1")
                    .contains("waits for 0x40015354 <stoppers+0x10>, held by cpu1")
                    .contains("waits for 0x40015344 <stoppers+0x0>, held by cpu0")
                    .contains("cpu_stop_queue_two_works").contains("active_balance_stop_one_cpu");
        });
        List<LockupReport> hard = o.reports().stream().filter(r -> r.kind() == LockupReport.Kind.HARD_LOCKUP).toList();
        assertThat(hard).extracting(r -> r.cpus().get(0)).containsExactlyInAnyOrder(0, 1);
        assertThat(hard).allSatisfy(r -> {
            assertThat(r.text()).contains("has had IRQs masked for 10.000000000 s").contains("spinning since")
                    .contains("stoppers+0x");
            assertThat(r.timeNs()).isBetween(10_000_000_000L, 10_001_000_000L);
        });
    }

    @Test
    void stopOnLockupEndsTheDeadlockWithExitStatusThree() throws Exception {
        Outcome o = run("stopper-deadlock", 2, WatchdogOptions.defaults().withStopOnLockup(true),
                RunLimits.none().withMaxTimeNs(30_000_000_000L));
        assertThat(o.result().outcome()).isEqualTo(RunResult.Outcome.LOCKUP);
        assertThat(o.result().exitCode()).isEqualTo(3);
        assertThat(o.result().message()).contains("deadlock: cpu0, cpu1");
        assertThat(o.reports()).hasSize(1);
    }

    @Test
    void hrtimerOverrunIsAHardLockupInTheTimerCallback() throws Exception {
        Outcome o = run("hrtimer-overrun", 2, WatchdogOptions.defaults().withHard(5_000_000).withSoft(1_000_000_000).withStopOnLockup(true),
                RunLimits.none().withMaxTimeNs(1_000_000_000L));
        assertThat(o.result().outcome()).isEqualTo(RunResult.Outcome.LOCKUP);
        assertThat(o.reports()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(LockupReport.Kind.HARD_LOCKUP);
            assertThat(r.cpus()).containsExactly(0);
            assertThat(r.text()).contains("hard lockup: cpu0 has had IRQs masked for 5.000000 ms")
                    .contains("in hard-IRQ context")
                    .contains("sched_cfs_period_timer");
        });
        assertThat(o.text()).contains("still overrun after do_sched_cfs_period_timer, loop 2 in hard-IRQ context");
    }

    @Test
    void theRemediedImageSurvivesWhereTheOriginalLocksUp() throws Exception {
        Outcome o = run("hrtimer-overrun-fixed", 2, WatchdogOptions.defaults().withHard(5_000_000), ENDING);
        assertThat(o.text()).contains("period too short, scaling up");
        assertThat(o.reports()).isEmpty();
        assertThat(o.result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
    }
}
