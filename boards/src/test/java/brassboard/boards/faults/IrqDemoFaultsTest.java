package brassboard.boards.faults;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.TestImages.Rig;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.watch.LockupDetector;
import brassboard.boards.watch.WatchdogOptions;
import brassboard.firmware.api.SymbolTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The "Breaking irq-demo" demos: irq-demo on two cores with the plans in docs/examples/, and what the firmware and the detectors say. */
class IrqDemoFaultsTest {
    /** A finished demo run. */
    record Demo(String output, RunResult result, FaultSession faults, List<String> detectors) {
    }

    static Demo run(Path plan) throws Exception {
        Path image = TestImages.image("irq-demo.elf");
        Rig r = TestImages.rig(MachineConfig.of(image).withCpus(2), null);
        FaultSession faults = FaultPlan.load(plan).applyTo(r.machine());
        List<String> seen = new ArrayList<>();
        WatchdogOptions w = WatchdogOptions.defaults().withHard(5_000_000L).withSoft(10_000_000L).withSpin(5_000_000L);
        LockupDetector.attach(r.machine(), w, SymbolTable.load(image), seen::add);
        RunResult result = r.machine().run(RunLimits.none().withMaxTimeNs(200_000_000L));
        return new Demo(r.text(), result, faults, seen);
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
    void aLostTimerInterruptStallsTheTick() throws Exception {
        Demo d = run(example("irq-demo-lost-tick.yaml"));
        // The comparator is one-shot and level-sensitive: its line stays high (as the device drives it) but the
        // assertion never reached the GIC, so the handler that would reprogram it never runs.
        assertThat(keyLines(d.output())).containsExactlyElementsOf(after(BOOT,
                "irq-demo: timer stalled: only 3 of 10 ticks in 50 ms",
                "irq-demo: summary: 3 ticks, 3 timer softirqs, 3 tasklets, 3 works, 0 missed ticks, 0 early ticks",
                "irq-demo: powering off"));
        assertThat(d.result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(d.faults().report()).contains("4.028016 ms  irq.cpu0.timer.virt assertion: dropped");
        assertThat(d.faults().injected()).isEqualTo(1);
        assertThat(d.detectors()).isEmpty(); // nothing pending, nothing masked: no lockup to see
    }

    @Test
    void aLateTimerInterruptIsAMissedTick() throws Exception {
        Demo d = run(example("irq-demo-late-tick.yaml"));
        List<String> ticks = new ArrayList<>(BOOT);
        ticks.add("irq-demo: missed tick");
        for (int i = 4; i <= 10; i++) {
            ticks.add("irq-demo: tick " + i);
        }
        ticks.add("irq-demo: summary: 10 ticks, 10 timer softirqs, 10 tasklets, 10 works, 1 missed ticks, 0 early ticks");
        ticks.add("irq-demo: powering off");
        assertThat(keyLines(d.output())).containsExactlyElementsOf(ticks);
        assertThat(d.faults().report()).contains("4.028016 ms  irq.cpu0.timer.virt assertion: +1200000 ns");
        assertThat(d.detectors()).isEmpty();
    }

    @Test
    void anIrqStormIsDisabledAsNobodyCared() throws Exception {
        Demo d = run(example("irq-demo-storm.yaml"));
        assertThat(keyLines(d.output())).containsExactlyElementsOf(after(BOOT,
                "irq 27 on cpu0: arch_timer found nothing to do (spurious interrupt?)",
                "irq 27 on cpu0: nobody cared (100 unhandled in a row), Disabling IRQ #27",
                "irq-demo: timer stalled: only 3 of 10 ticks in 50 ms",
                "irq-demo: summary: 3 ticks, 3 timer softirqs, 3 tasklets, 3 works, 0 missed ticks, 0 early ticks",
                "irq-demo: 0 spurious (GICC_IAR 1023), 0 unexpected, 100 unhandled interrupts",
                "irq-demo: powering off"));
        assertThat(d.faults().report()).contains("3.500000 ms  irq.cpu0.timer.virt line: 150 assertions, one every 20.000 us for 3.000000 ms");
        assertThat(d.detectors()).isEmpty();
    }

    @Test
    void aStuckLineIsDisabledAsNobodyCared() throws Exception {
        Demo d = run(example("irq-demo-stuck.yaml"));
        assertThat(keyLines(d.output())).containsExactlyElementsOf(after(BOOT,
                "irq 27 on cpu0: arch_timer found nothing to do (spurious interrupt?)",
                "irq 27 on cpu0: nobody cared (100 unhandled in a row), Disabling IRQ #27",
                "irq-demo: timer stalled: only 3 of 10 ticks in 50 ms",
                "irq-demo: summary: 3 ticks, 3 timer softirqs, 3 tasklets, 3 works, 0 missed ticks, 0 early ticks",
                "irq-demo: 0 spurious (GICC_IAR 1023), 0 unexpected, 100 unhandled interrupts",
                "irq-demo: powering off"));
        assertThat(d.faults().report()).contains("3.500000 ms  irq.cpu0.timer.virt line: level 0 -> 1 forever");
        assertThat(d.detectors()).isEmpty();
    }
}
