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

    static Outcome run(String demo, String wifi, Path plan, WatchdogOptions watchdog, RunLimits limits) throws Exception {
        return run(demo, 2, wifi, plan, watchdog, limits);
    }

    static Outcome run(String demo, int cpus, String wifi, Path plan, WatchdogOptions watchdog, RunLimits limits) throws Exception {
        Path image = TestImages.image(demo + ".elf");
        TestImages.Rig r = WifiRigs.rig(image, cpus, wifi);
        Machine m = r.machine();
        if (plan != null) {
            FaultPlan.load(plan).applyTo(m);
        }
        List<String> printed = new ArrayList<>();
        LockupDetector d = LockupDetector.attach(m, watchdog, SymbolTable.load(image), printed::add);
        RunResult result = m.run(limits);
        return new Outcome(r, result, d.reports(), printed);
    }

    /** On PATH? */
    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (java.nio.file.Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The driver's PCI enumeration against QEMU's: no WiFi device, but an EHCI at 00:01.0 (Brassboard's
     * --usb, QEMU's -device usb-ehci; QEMU puts the ECAM low for a 32-bit -kernel guest only with
     * highmem=off). Both print the host bridge, the EHCI and its BAR, and that there is no WiFi device.
     */
    @Test
    void withoutWifiTheDriverEnumeratesTheBusAsOnQemu(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path image = TestImages.image("wifi-rx-flood.elf");
        Path disk = java.nio.file.Files.write(dir.resolve("disk.img"), new byte[1 << 20]);
        brassboard.devices.uart.CaptureSink out = new brassboard.devices.uart.CaptureSink();
        Machine m = Machine.create(MachineConfig.of(image).withCpus(2),
                brassboard.boards.api.BoardOptions.none().withUsb(brassboard.boards.api.UsbAttachment.storage(disk)),
                new brassboard.boards.api.Console(brassboard.devices.api.CharBackend.of(out, brassboard.devices.api.CharSource.none())));
        assertThat(m.run(ENDING).outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(out.text()).contains("pci 0000:00:01.0: [8086:24cd] type 00 class 0x0c0320\r\n"
                + "pci 0000:00:01.0: BAR 0: assigned [mem 0x10000000-0x10000fff]\r\n"
                + "wifi0: no b5b0:0211 function on PCI bus 0 (run with --wifi)\r\n");
        if (!onPath("qemu-system-arm")) {
            if (System.getenv("CI") != null) {
                org.junit.jupiter.api.Assertions.fail("qemu-system-arm not found: .ci/run must install qemu-system-arm");
            }
            org.junit.jupiter.api.Assumptions.abort("qemu-system-arm not installed (apt-get install qemu-system-arm); skipped outside CI");
        }
        Process q = new ProcessBuilder("timeout", "30", "qemu-system-arm", "-M", "virt,highmem=off", "-cpu", "cortex-a15",
                "-nographic", "-monitor", "none", "-smp", "2", "-icount", "shift=0,sleep=off", "-nic", "none",
                "-device", "usb-ehci", "-kernel", image.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String qemu = new String(q.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(q.waitFor()).as("qemu exit status; output:%n%s", qemu).isZero();
        assertThat(out.text()).isEqualTo(qemu);
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
    void onFourCoresTheLinkDownDemoDiffersOnlyInTheCoreCount() throws Exception {
        Outcome o = run("wifi-link-down", 4, TRAFFIC, LINK_PLAN, QUIET, ENDING);
        assertThat(o.text()).isEqualTo(IrqkitDemosTest.qemuTranscript("wifi-link-down").replace("2 CPUs", "4 CPUs"));
        assertThat(o.reports()).isEmpty();
    }

    /** Same image, air, plan and seed: the same trace, event for event (device DMA, IRQs, faults included). */
    @Test
    void theLinkDownRunIsTheSameTraceEveryTime() throws Exception {
        String[] traces = new String[2];
        for (int i = 0; i < 2; i++) {
            TestImages.Rig r = WifiRigs.rig(TestImages.image("wifi-link-down.elf"), 2, TRAFFIC);
            FaultPlan.load(LINK_PLAN).applyTo(r.machine());
            traces[i] = IrqkitDemosTest.tracedRun(r, ENDING);
        }
        assertThat(traces[0]).contains("pcie.dma").contains("fault.inject").contains("recovered: reset 1 done");
        assertThat(traces[1]).isEqualTo(traces[0]);
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
