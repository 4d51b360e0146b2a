package brassboard.boards.irqkit;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.api.RunResult;
import brassboard.boards.api.UsbAttachment;
import brassboard.boards.testkit.BrassboardTest;
import brassboard.boards.testkit.TestMachine;
import brassboard.boards.testkit.TestMachineBuilder;
import brassboard.boards.watch.LockupReport;
import brassboard.boards.watch.WatchdogOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The WiFi demos (firmware/irqkit/wifi*.c, driving the WiFi pair of docs/devices/wifi.md) on two
 * cores against their golden transcripts in firmware/images/README.md, with their fault plans
 * from docs/examples/, and what the lockup detectors say of each. There is no QEMU oracle for
 * the WiFi device: the transcripts are Brassboard's, and each one proves its claim through the
 * counters it prints (frames on the air = frames received + frames the device says it missed).
 * Each test's machine comes from {@link BrassboardTest}: two cores, no console input.
 */
@BrassboardTest(cpus = 2, consoleInput = false)
class WifiDemosTest {
    /** The --wifi argument each demo's README section gives. */
    static final String FLOOD = "channel=6,rx-rate=400000,rx-count=2000,rx-start=2ms";
    static final String TRAFFIC = "channel=6,rx-rate=20000,rx-count=400,rx-start=2ms";
    static final Path PLL_PLAN = Path.of("..", "docs", "examples", "wifi-pll-unlock.yaml");
    static final Path LINK_PLAN = Path.of("..", "docs", "examples", "wifi-link-down.yaml");
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final WatchdogOptions QUIET = WatchdogOptions.defaults().withHard(5_000_000).withSoft(10_000_000).withSpin(1_000_000);

    /** The demo's machine on the air {@code wifi}, with {@code plan} armed (if any) and the detectors watching (if any). */
    static TestMachine boot(TestMachineBuilder board, String demo, String wifi, Path plan, WatchdogOptions watchdog) {
        board.image(TestImages.image(demo + ".elf")).wifi(wifi).watchdog(watchdog);
        return (plan == null ? board : board.faults(plan)).build();
    }

    /** Runs the demo (the detectors quiet) to its power-off: it must print its golden transcript, and no lockup be found. */
    static String endsAsItsTranscriptSays(TestMachine o, String demo) throws Exception {
        assertThat(o.runToEnd(SECOND).outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        String text = o.console().transcript();
        assertThat(text).isEqualTo(IrqkitDemosTest.qemuTranscript(demo));
        assertThat(o.lockups()).isEmpty();
        return text;
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
    void withoutWifiTheDriverEnumeratesTheBusAsOnQemu(@org.junit.jupiter.api.io.TempDir Path dir, TestMachineBuilder board) throws Exception {
        Path image = TestImages.image("wifi-rx-flood.elf");
        Path disk = Files.write(dir.resolve("disk.img"), new byte[1 << 20]);
        TestMachine m = board.image(image).usb(UsbAttachment.storage(disk)).build();
        assertThat(m.runToEnd(SECOND).outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        String out = m.console().transcript();
        assertThat(out).contains("pci 0000:00:01.0: [8086:24cd] type 00 class 0x0c0320\r\n"
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
        assertThat(out).isEqualTo(qemu);
    }

    @Test
    void rxFloodHandsNetRxToKsoftirqdAndLosesNothingTheRingCouldHold(TestMachineBuilder board) throws Exception {
        TestMachine o = boot(board, "wifi-rx-flood", FLOOD, null, QUIET);
        String text = endsAsItsTranscriptSays(o, "wifi-rx-flood");
        assertThat(text).contains("softirqs 0x008 still pending after 10 restarts (MAX_SOFTIRQ_RESTART), waking ksoftirqd/0")
                .contains("ksoftirqd/0: drained all pending softirqs")
                .contains("2000 frames received, 0 dropped by the driver, 0 missed by the device")
                .contains("the device put 2000 in the ring and the driver took all of them; 0 found the ring full");
    }

    /** Twice the frames: the ring overflows, and the counters still account for every one of them. */
    @Test
    void aFloodTheRingCannotHoldIsCountedFrameForFrame(TestMachineBuilder board) throws Exception {
        TestMachine o = boot(board, "wifi-rx-flood", FLOOD.replace("rx-count=2000", "rx-count=4000"), null, QUIET);
        assertThat(o.runToEnd(SECOND).outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        String text = o.console().transcript();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "nothing lost that the ring could hold: 4000 frames on the air, the device put (\\d+) in the ring "
                        + "and the driver took all of them; (\\d+) found the ring full").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        int inRing = Integer.parseInt(m.group(1));
        int full = Integer.parseInt(m.group(2));
        assertThat(full).isPositive();
        assertThat(inRing + full).isEqualTo(4000);
        assertThat(text).contains("rx: " + inRing + " frames received, 0 dropped by the driver, " + full
                + " missed by the device (" + full + " ring full, 0 not taken");
    }

    @Test
    void pllUnlockIsNoticedRelockedOverSpiAndTrafficResumes(TestMachineBuilder board) throws Exception {
        TestMachine o = boot(board, "wifi-pll-unlock", TRAFFIC, PLL_PLAN, QUIET);
        String text = endsAsItsTranscriptSays(o, "wifi-pll-unlock");
        assertThat(text).contains("rf event: RX and TX synthesizers lost lock (RFEVT 0x0a)")
                .contains("relocked and recalibrated (recalibration 1)")
                .contains("last frame received seq 399");
        assertThat(o.machine().wifi().orElseThrow().rf().rxLocked()).isTrue();
        assertThat(o.machine().wifi().orElseThrow().rf().rxCalibrated()).isTrue();
    }

    @Test
    void withoutThePllFaultNothingIsMissedAndNothingRecalibrated(TestMachineBuilder board) throws Exception {
        TestMachine o = boot(board, "wifi-pll-unlock", TRAFFIC, null, QUIET);
        assertThat(o.runToEnd(SECOND).outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(o.console().transcript()).contains("rx: 400 frames received, 0 dropped by the driver, 0 missed by the device")
                .contains("0 recalibrations, 0 resets").doesNotContain("lost lock");
    }

    @Test
    void linkDownIsRecoveredWithResetRingsRfAndBackoff(TestMachineBuilder board) throws Exception {
        TestMachine o = boot(board, "wifi-link-down", TRAFFIC, LINK_PLAN, QUIET);
        String text = endsAsItsTranscriptSays(o, "wifi-link-down");
        assertThat(text).contains("retrying in 500 us").contains("retrying in 1000 us")
                .contains("recovered: reset 1 done, rings re-initialised, RF re-programmed")
                .contains("all 400 frames accounted for");
    }

    @Test
    void onFourCoresTheLinkDownDemoDiffersOnlyInTheCoreCount(TestMachineBuilder board) throws Exception {
        TestMachine o = boot(board.cpus(4), "wifi-link-down", TRAFFIC, LINK_PLAN, QUIET);
        o.runToEnd(SECOND);
        assertThat(o.console().transcript()).isEqualTo(IrqkitDemosTest.qemuTranscript("wifi-link-down").replace("2 CPUs", "4 CPUs"));
        assertThat(o.lockups()).isEmpty();
    }

    /** Same image, air, plan and seed: the same trace, event for event (device DMA, IRQs, faults included). */
    @Test
    void theLinkDownRunIsTheSameTraceEveryTime(TestMachineBuilder first, TestMachineBuilder second) throws Exception {
        String[] traces = new String[2];
        TestMachineBuilder[] boards = {first, second};
        for (int i = 0; i < 2; i++) {
            try (TestMachine m = boot(boards[i], "wifi-link-down", TRAFFIC, LINK_PLAN, null)) {
                String end = m.runToEnd(SECOND).message();
                m.close();
                traces[i] = Files.readString(m.traceFile().orElseThrow()) + end + m.console().transcript();
            }
        }
        assertThat(traces[0]).contains("pcie.dma").contains("fault.inject").contains("recovered: reset 1 done");
        assertThat(traces[1]).isEqualTo(traces[0]);
    }

    @Test
    void withoutTheLinkDownThereIsNothingToRecoverFrom(TestMachineBuilder board) throws Exception {
        TestMachine o = boot(board, "wifi-link-down", TRAFFIC, null, QUIET);
        assertThat(o.runToEnd(SECOND).outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(o.console().transcript()).contains("rx: 400 frames received, 0 dropped by the driver, 0 missed by the device")
                .contains("0 recalibrations, 0 resets (0 retries while the link was down)")
                .doesNotContain("not responding");
    }

    /**
     * The same link-down without the remedy: cpu1's flush spins on TDH with the TX lock held and IRQs
     * masked, then cpu0's TX tasklet spins on that lock; the hard-lockup detector names both, with
     * the functions and how long IRQs have been masked, and the spin detector the lock and its holder.
     */
    @Test
    void linkDownWithoutTheRemedyIsAHardLockupTheDetectorNames(TestMachineBuilder board) throws Exception {
        TestMachine o = boot(board, "wifi-link-down-noremedy", TRAFFIC, LINK_PLAN,
                WatchdogOptions.defaults().withHard(5_000_000).withSoft(1_000_000_000).withSpin(1_000_000));
        assertThat(o.advance(Duration.ofMillis(30)).running()).isTrue(); // it never ends: the cores spin
        assertThat(o.console().transcript()).isEqualTo(IrqkitDemosTest.qemuTranscript("wifi-link-down-noremedy"));
        List<LockupReport> hard = o.lockups().stream().filter(r -> r.kind() == LockupReport.Kind.HARD_LOCKUP).toList();
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
        assertThat(o.lockups()).noneMatch(r -> r.kind() == LockupReport.Kind.DEADLOCK);
    }
}
