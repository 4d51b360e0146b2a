package brassboard.boards.irqkit;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.faults.FaultPlan;
import brassboard.boards.watch.LockupDetector;
import brassboard.boards.watch.LockupReport;
import brassboard.boards.watch.WatchdogOptions;
import brassboard.firmware.api.SymbolTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The WiFi demos (firmware/irqkit/wifi*.c, driving the WiFi pair of docs/devices/wifi.md) on two
 * cores against their golden transcripts in firmware/images/README.md, with their fault plans
 * from docs/examples/, and what the lockup detectors say of each. There is no QEMU oracle for
 * the WiFi device: the transcripts are Brassboard's, and each one proves its claim through the
 * counters it prints (frames on the air = frames received + frames the device says it missed).
 */
class WifiDemosTest {
    /** The --wifi argument each demo's README section gives. */
    static final String FLOOD = "channel=6,rx-rate=400000,rx-count=2000,rx-start=2ms";
    static final String TRAFFIC = "channel=6,rx-rate=20000,rx-count=400,rx-start=2ms";
    static final Path PLL_PLAN = Path.of("..", "docs", "examples", "wifi-pll-unlock.yaml");
    static final Path LINK_PLAN = Path.of("..", "docs", "examples", "wifi-link-down.yaml");
    private static final RunLimits ENDING = RunLimits.none().withMaxTimeNs(1_000_000_000L);
    private static final WatchdogOptions QUIET = WatchdogOptions.defaults().withHard(5_000_000).withSoft(10_000_000).withSpin(1_000_000);

    record Outcome(TestImages.Rig rig, RunResult result, List<LockupReport> reports, List<String> printed) {
        String text() {
            return rig.text();
        }
    }

    /** A 2-core virt machine with the WiFi pair on the air {@code wifi} (--wifi's syntax). */
    static TestImages.Rig rig(String demo, String wifi) throws Exception {
        return WifiRigs.rig(TestImages.image(demo + ".elf"), 2, wifi);
    }

    static Outcome run(String demo, String wifi, Path plan, WatchdogOptions watchdog, RunLimits limits) throws Exception {
        Path image = TestImages.image(demo + ".elf");
        TestImages.Rig r = rig(demo, wifi);
        Machine m = r.machine();
        if (plan != null) {
            FaultPlan.load(plan).applyTo(m);
        }
        List<String> printed = new ArrayList<>();
        LockupDetector d = LockupDetector.attach(m, watchdog, SymbolTable.load(image), printed::add);
        RunResult result = m.run(limits);
        return new Outcome(r, result, d.reports(), printed);
    }

    @Test
    void rxFloodHandsNetRxToKsoftirqdAndLosesNothingTheRingCouldHold() throws Exception {
        Outcome o = run("wifi-rx-flood", FLOOD, null, QUIET, ENDING);
        assertThat(o.text()).isEqualTo(IrqkitDemosTest.qemuTranscript("wifi-rx-flood"));
        assertThat(o.result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(o.reports()).isEmpty();
        assertThat(o.text()).contains("softirqs 0x008 still pending after 10 restarts (MAX_SOFTIRQ_RESTART), waking ksoftirqd/0")
                .contains("ksoftirqd/0: drained all pending softirqs")
                .contains("2000 frames received, 0 dropped by the driver, 0 missed by the device")
                .contains("the device put 2000 in the ring and the driver took all of them; 0 found the ring full");
    }

    /** Twice the frames: the ring overflows, and the counters still account for every one of them. */
    @Test
    void aFloodTheRingCannotHoldIsCountedFrameForFrame() throws Exception {
        Outcome o = run("wifi-rx-flood", FLOOD.replace("rx-count=2000", "rx-count=4000"), null, QUIET, ENDING);
        assertThat(o.result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "nothing lost that the ring could hold: 4000 frames on the air, the device put (\\d+) in the ring "
                        + "and the driver took all of them; (\\d+) found the ring full").matcher(o.text());
        assertThat(m.find()).as(o.text()).isTrue();
        int inRing = Integer.parseInt(m.group(1));
        int full = Integer.parseInt(m.group(2));
        assertThat(full).isPositive();
        assertThat(inRing + full).isEqualTo(4000);
        assertThat(o.text()).contains("rx: " + inRing + " frames received, 0 dropped by the driver, " + full
                + " missed by the device (" + full + " ring full, 0 not taken");
    }

    @Test
    void pllUnlockIsNoticedRelockedOverSpiAndTrafficResumes() throws Exception {
        Outcome o = run("wifi-pll-unlock", TRAFFIC, PLL_PLAN, QUIET, ENDING);
        assertThat(o.text()).isEqualTo(IrqkitDemosTest.qemuTranscript("wifi-pll-unlock"));
        assertThat(o.result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(o.reports()).isEmpty();
        assertThat(o.text()).contains("rf event: RX and TX synthesizers lost lock (RFEVT 0x0a)")
                .contains("relocked and recalibrated (recalibration 1)")
                .contains("last frame received seq 399");
        assertThat(o.rig().machine().wifi().orElseThrow().rf().rxLocked()).isTrue();
        assertThat(o.rig().machine().wifi().orElseThrow().rf().rxCalibrated()).isTrue();
    }

    @Test
    void withoutThePllFaultNothingIsMissedAndNothingRecalibrated() throws Exception {
        Outcome o = run("wifi-pll-unlock", TRAFFIC, null, QUIET, ENDING);
        assertThat(o.result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(o.text()).contains("rx: 400 frames received, 0 dropped by the driver, 0 missed by the device")
                .contains("0 recalibrations, 0 resets").doesNotContain("lost lock");
    }

    @Test
    void linkDownIsRecoveredWithResetRingsRfAndBackoff() throws Exception {
        Outcome o = run("wifi-link-down", TRAFFIC, LINK_PLAN, QUIET, ENDING);
        assertThat(o.text()).isEqualTo(IrqkitDemosTest.qemuTranscript("wifi-link-down"));
        assertThat(o.result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(o.reports()).isEmpty();
        assertThat(o.text()).contains("retrying in 500 us").contains("retrying in 1000 us")
                .contains("recovered: reset 1 done, rings re-initialised, RF re-programmed")
                .contains("all 400 frames accounted for");
    }

    @Test
    void withoutTheLinkDownThereIsNothingToRecoverFrom() throws Exception {
        Outcome o = run("wifi-link-down", TRAFFIC, null, QUIET, ENDING);
        assertThat(o.result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(o.text()).contains("rx: 400 frames received, 0 dropped by the driver, 0 missed by the device")
                .contains("0 recalibrations, 0 resets (0 retries while the link was down)")
                .doesNotContain("not responding");
    }

    /**
     * The same link-down without the remedy: cpu1's flush spins on TDH with the TX lock held and IRQs
     * masked, then cpu0's TX tasklet spins on that lock; the hard-lockup detector names both, with
     * the functions and how long IRQs have been masked, and the spin detector the lock and its holder.
     */
    @Test
    void linkDownWithoutTheRemedyIsAHardLockupTheDetectorNames() throws Exception {
        Outcome o = run("wifi-link-down-noremedy", TRAFFIC, LINK_PLAN,
                WatchdogOptions.defaults().withHard(5_000_000).withSoft(1_000_000_000).withSpin(1_000_000),
                RunLimits.none().withMaxTimeNs(30_000_000L));
        assertThat(o.result().outcome()).isEqualTo(RunResult.Outcome.LIMIT);
        assertThat(o.text()).isEqualTo(IrqkitDemosTest.qemuTranscript("wifi-link-down-noremedy"));
        List<LockupReport> hard = o.reports().stream().filter(r -> r.kind() == LockupReport.Kind.HARD_LOCKUP).toList();
        assertThat(hard).hasSize(2);
        assertThat(hard.get(0).cpus()).containsExactly(1);
        assertThat(hard.get(0).text()).startsWith("hard lockup: cpu1 has had IRQs masked for 5.000000 ms (since 7.9")
                .contains("IRQs masked at pc 0x").contains("<wifi_tx_flush+0x")
                .contains("now at pc 0x").contains("in svc mode");
        assertThat(hard.get(1).cpus()).containsExactly(0);
        assertThat(hard.get(1).text()).startsWith("hard lockup: cpu0 has had IRQs masked for 5.000000 ms")
                .contains("<wifi_tx_complete+0x").contains("<tasklet_action+0x")
                .contains("spinning since").contains("<wifi+0x").contains("last written by cpu1 at pc")
                .contains("<wifi_tx_flush+0x");
        assertThat(o.reports()).noneMatch(r -> r.kind() == LockupReport.Kind.DEADLOCK);
    }
}
