package brassboard.boards.virt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.faults.FaultPlan;
import brassboard.boards.faults.FaultPlanException;
import brassboard.boards.faults.FaultSession;
import brassboard.devices.wifi.Air;
import brassboard.devices.wifi.RfTransceiver;
import brassboard.devices.wifi.WifiBaseband;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault plans at the WiFi pair's points on virt: {@code wifi.wifi0.rx} (corrupt, fcs-error,
 * ring-overflow, drop), {@code rf.rf0} (pll-unlock, calibration-fail, garbage) and the endpoint's
 * {@code pcie.wifi0.*}; the same seed gives the same faults and the same trace.
 */
class WifiFaultPlanTest {
    @TempDir
    Path dir;

    /** b . : the CPU idles; the test is the driver. */
    private static final int SPIN = 0xEAFF_FFFE;
    /** 10 000 frames/s of 100 bytes on channel 6 from 0.5 ms: frame k arrives at 0.5 ms + k × 100 µs. */
    private static final String AIR = "channel=6,rx-rate=10000,rx-size=100,rx-seed=1,rx-start=500us";

    private WifiVirtRig rig(long seed) throws Exception {
        return new WifiVirtRig(dir, AIR, seed, SPIN);
    }

    private FaultSession apply(WifiVirtRig rig, String yaml) throws Exception {
        return FaultPlan.parse(yaml, "plan.yaml").applyTo(rig.machine);
    }

    /** The generator's frame number in descriptor {@code i}'s buffer. */
    private static long frameAt(WifiVirtRig rig, int i) {
        return rig.ram(WifiVirtRig.BUFFERS + 4096L * i + 32, 4);
    }

    private static byte[] buffer(WifiVirtRig rig, int i, int length) {
        byte[] b = new byte[length];
        for (int k = 0; k < length; k++) {
            b[k] = (byte) rig.ram(WifiVirtRig.BUFFERS + 4096L * i + k, 1);
        }
        return b;
    }

    @Test
    void corruptFlipsSeededBitsFcsErrorMarksTheDescriptorRingOverflowCountsAMiss() throws Exception {
        WifiVirtRig rig = rig(7);
        FaultSession f = apply(rig, """
                rules:
                  - point: wifi.wifi0.rx
                    when: { nth: 1 }
                    action: { type: corrupt, bits: 4 }
                  - point: wifi.wifi0.rx
                    when: { nth: 2 }
                    action: fcs-error
                  - point: wifi.wifi0.rx
                    when: { nth: 3 }
                    action: ring-overflow
                  - point: wifi.wifi0.rx
                    when: { nth: 4 }
                    action: drop
                """);
        rig.enable().rxRing().tune(6);
        rig.step(1_000_000);
        long n = frameAt(rig, 1) - 1; // descriptor 0's own number may be among the flipped bits
        byte[] got = buffer(rig, 0, 100);
        byte[] clean = Air.frame(n, 100, 1);
        int flipped = 0;
        for (int k = 0; k < 100; k++) {
            flipped += Integer.bitCount((got[k] ^ clean[k]) & 0xFF);
        }
        assertThat(flipped).as("frame %d", n).isBetween(1, 4);
        assertThat(rig.ram(WifiVirtRig.RING + 16 + 12, 4) >>> 8 & 0xFF).isEqualTo(1); // descriptor 1: errors.CE
        assertThat(buffer(rig, 1, 100)).isEqualTo(Air.frame(n + 1, 100, 1));
        assertThat(frameAt(rig, 2)).isEqualTo(n + 4); // n+2 overflowed, n+3 dropped
        assertThat(rig.read(WifiBaseband.CRCERRS)).isEqualTo(1);
        assertThat(rig.read(WifiBaseband.MPC)).isEqualTo(1);
        assertThat(f.injected()).isEqualTo(4);
        assertThat(f.report()).contains("frame of 100 bytes: 4 bits flipped").contains("FCS error").contains("ring overflow")
                .contains("occurrence: dropped");
    }

    @Test
    void pllUnlockStopsReceptionUntilTheDriverReprogramsAndRecalibrates() throws Exception {
        WifiVirtRig rig = rig(0);
        FaultSession f = apply(rig, """
                rules:
                  - point: rf.rf0
                    when: { after: 1ms }
                    action: pll-unlock
                """);
        rig.enable().rxRing().tune(6);
        rig.write(WifiBaseband.IMS, WifiBaseband.RFEV);
        rig.step(1_000_000 - rig.machine.scheduler().now() + 1);
        long delivered = rig.machine.wifiAir().orElseThrow().framesDelivered();
        assertThat(rig.read(WifiBaseband.RFEVT) & WifiBaseband.EV_RXUNLOCK).isEqualTo(WifiBaseband.EV_RXUNLOCK);
        assertThat(rig.rfRead(RfTransceiver.RX_CP_OVERRANGE_VCO_LOCK)).isZero();
        rig.step(1_000_000);
        assertThat(rig.machine.wifiAir().orElseThrow().framesDelivered()).isEqualTo(delivered);
        assertThat(rig.rfRead(RfTransceiver.RX_CP_OVERRANGE_VCO_LOCK)).as("no relock on its own").isZero();
        rig.tune(6);
        rig.step(500_000);
        assertThat(rig.machine.wifiAir().orElseThrow().framesDelivered()).isGreaterThan(delivered);
        assertThat(f.report()).contains("synthesizers: RX locked -> unlocked until re-programmed");
    }

    @Test
    void calibrationFailAndGarbageActOnlyOnTheirOccurrences() throws Exception {
        WifiVirtRig rig = rig(0);
        FaultSession f = apply(rig, """
                rules:
                  - point: rf.rf0
                    action: calibration-fail
                  - point: rf.rf0
                    match: { address: 0x37 }
                    action: garbage
                    times: 2
                """);
        rig.enable().rxRing().tune(6);
        assertThat(rig.rfRead(RfTransceiver.CAL_FAILED)).isEqualTo(RfTransceiver.RX_QUAD);
        assertThat(rig.read(WifiBaseband.RFEVT) & WifiBaseband.EV_CALFAIL).isEqualTo(WifiBaseband.EV_CALFAIL);
        rig.step(1_000_000);
        assertThat(rig.machine.wifiAir().orElseThrow().framesDelivered()).as("not calibrated: nothing heard").isZero();
        int a = rig.rfRead(RfTransceiver.PRODUCT_ID);
        int b = rig.rfRead(RfTransceiver.PRODUCT_ID);
        assertThat(rig.rfRead(RfTransceiver.PRODUCT_ID)).isEqualTo(RfTransceiver.PRODUCT_ID_VALUE);
        assertThat(List.of(a, b)).isNotEqualTo(List.of(RfTransceiver.PRODUCT_ID_VALUE, RfTransceiver.PRODUCT_ID_VALUE));
        rig.rfWrite(RfTransceiver.CALIBRATION_CTRL, RfTransceiver.RX_QUAD); // once: the retry passes
        rig.step(RfTransceiver.CALIBRATION_TIME_NS);
        rig.step(1_000_000);
        assertThat(rig.machine.wifiAir().orElseThrow().framesDelivered()).isPositive();
        assertThat(f.injected()).isEqualTo(3);
        assertThat(f.report()).contains("calibrate of 0x020: failed").contains("read of 0x037: 0x51 -> 0x");
    }

    @Test
    void dmaAbortsAndLinkDownHaltTheReceiver() throws Exception {
        WifiVirtRig rig = rig(0);
        apply(rig, """
                rules:
                  - point: pcie.wifi0.dma
                    match: { kind: write }
                    when: { nth: 3 }
                    action: completer-abort
                """);
        rig.enable().rxRing().tune(6);
        rig.step(1_000_000);
        assertThat(rig.read(WifiBaseband.ERRSTAT)).isEqualTo(WifiBaseband.ERR_RXDMA);
        assertThat(rig.read(WifiBaseband.STATUS) & WifiBaseband.STATUS_RXHALT).isEqualTo(WifiBaseband.STATUS_RXHALT);
        assertThat(rig.read(WifiBaseband.RDH)).isEqualTo(1); // frame 1 fine, frame 2's buffer write aborted

        WifiVirtRig down = rig(0);
        List<String> halts = new ArrayList<>();
        down.machine.tracer().addSink(e -> {
            if (e.kind().equals("wifi.rx.halt")) {
                halts.add(e.detail());
            }
        });
        apply(down, """
                rules:
                  - point: pcie.wifi0.link
                    when: { after: 1ms }
                    action: { type: link-down, duration: 300us }
                """);
        down.enable().rxRing().tune(6);
        down.step(2_000_000 - down.machine.scheduler().now());
        assertThat(down.read(WifiBaseband.ERRSTAT)).isEqualTo(WifiBaseband.ERR_RXDMA);
        assertThat(down.read(WifiBaseband.STATUS) & WifiBaseband.STATUS_RXHALT).isEqualTo(WifiBaseband.STATUS_RXHALT);
        assertThat(halts).singleElement().asString().contains("LINK_DOWN");
    }

    @Test
    void poisonedDmaReadsSendTheFrameCorruptedAndAreRecorded() throws Exception {
        Path tx = dir.resolve("tx.pcap");
        WifiVirtRig rig = new WifiVirtRig(dir, "channel=6,tx=" + tx, 0, SPIN);
        apply(rig, """
                rules:
                  - point: pcie.wifi0.dma
                    match: { kind: read }
                    when: { nth: 2 }
                    action: { type: poison, mask: 0xff }
                """);
        rig.enable();
        byte[] frame = Air.frame(1, 64, 2);
        rig.transmit(6, frame); // read 1: the descriptor, read 2: the buffer
        byte[] expected = frame.clone();
        for (int i = 0; i < expected.length; i += 4) {
            expected[i] ^= (byte) 0xFF;
        }
        assertThat(brassboard.devices.wifi.Pcap.read(tx)).singleElement().satisfies(f -> assertThat(f.data()).isEqualTo(expected));
        assertThat(rig.read(WifiBaseband.ERRSTAT)).isEqualTo(WifiBaseband.ERR_POISON);
        assertThat(rig.read(WifiBaseband.TCTL) & WifiBaseband.TCTL_EN).as("poison alone stops nothing").isNotZero();
        assertThat(rig.machine.bus().read(rig.ecam(brassboard.bus.pcie.ConfigSpace.STATUS), 2, 0)
                & brassboard.bus.pcie.ConfigSpace.STATUS_DETECTED_PARITY).isNotZero();
    }

    @Test
    void theSameSeedGivesTheSameFaultsAndTheSameTrace() throws Exception {
        String plan = """
                rules:
                  - point: wifi.wifi0.rx
                    when: { probability: 0.3 }
                    action: { type: corrupt, bits: 2 }
                    times: sticky
                  - point: rf.rf0
                    action: garbage
                    times: sticky
                """;
        List<String> one = traced(plan, 5);
        List<String> two = traced(plan, 5);
        List<String> other = traced(plan, 6);
        assertThat(one).isNotEmpty().isEqualTo(two).isNotEqualTo(other);
    }

    private List<String> traced(String plan, long seed) throws Exception {
        WifiVirtRig rig = rig(seed);
        List<String> trace = new ArrayList<>();
        rig.machine.tracer().addSink(e -> {
            if (e.kind().startsWith("wifi.") || e.kind().startsWith("rf.") || e.kind().equals("fault.inject")) {
                trace.add(e.timeNs() + " " + e.kind() + " " + e.detail());
            }
        });
        apply(rig, plan);
        rig.enable().rxRing().tune(6);
        rig.rfRead(RfTransceiver.PRODUCT_ID);
        rig.step(2_000_000);
        for (int i = 0; i < 8; i++) {
            byte[] b = buffer(rig, i, 100);
            trace.add("buffer " + i + " " + java.util.Arrays.hashCode(b));
        }
        return trace;
    }

    @Test
    void theExamplePlanAppliesToAVirtWithWifi() throws Exception {
        WifiVirtRig rig = rig(0);
        FaultSession f = FaultPlan.load(Path.of("..", "docs", "examples", "wifi-faults.yaml")).applyTo(rig.machine);
        rig.enable().rxRing().tune(6);
        rig.step(1_000_000);
        assertThat(f.plan().rules()).hasSize(9);
    }

    @Test
    void wifiActionsAreCheckedAgainstTheirPoints() throws Exception {
        WifiVirtRig rig = rig(0);
        assertThatThrownBy(() -> apply(rig, """
                rules:
                  - point: rf.rf0
                    action: corrupt
                """)).isInstanceOf(FaultPlanException.class).hasMessageContaining("corrupt is not an action of rf.rf0");
        assertThatThrownBy(() -> apply(rig, """
                rules:
                  - point: wifi.wifi0.rx
                    action: { type: corrupt, bits: 65 }
                """)).isInstanceOf(FaultPlanException.class).hasMessageContaining("expected 1 to 64");
        assertThatThrownBy(() -> apply(rig, """
                rules:
                  - point: rf.rf0
                    action: pll-unlock
                    times: 2
                """)).isInstanceOf(FaultPlanException.class).hasMessageContaining("happens once");
    }
}
