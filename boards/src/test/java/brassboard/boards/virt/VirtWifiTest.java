package brassboard.boards.virt;

import brassboard.boards.board.wiring.WifiWiring;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.gic.Gic;
import brassboard.boards.api.Machine;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.bus.api.Masters;
import brassboard.devices.wifi.Air;
import brassboard.devices.wifi.Pcap;
import brassboard.devices.wifi.WifiBaseband;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WiFi pair on {@code virt} ({@code --wifi}): set up from the host side as a driver would (BAR0,
 * rings in guest RAM, the RF tuned over the baseband's SPI master), frames from the generator land in
 * the ring, and RX done reaches the CPU as INTA of 00:02.0 swizzled to INTC: SPI 5, INTID 37.
 */
class VirtWifiTest {
    @TempDir
    Path dir;

    @Test
    void generatedFramesReachTheRingAndRxDoneReachesTheCpuAsIntid37() throws Exception {
        int intid = Gic.SPI_BASE + VirtMap.PCIE_MMIO.spi() + (WifiWiring.WIFI_DEVICE + 0) % 4;
        assertThat(intid).isEqualTo(37);
        Path tx = dir.resolve("tx.pcap");
        WifiVirtRig rig = new WifiVirtRig(dir, "channel=11,rx-rate=20000,rx-size=200,rx-seed=3,tx=" + tx, 0,
                VirtPcieTest.pollIar(intid, false));
        Machine machine = rig.machine;
        assertThat(machine.bus().read(rig.ecam(0), 4, Masters.cpu(0))).isEqualTo(0x0211_B5B0L);
        rig.enable();
        assertThat(rig.read(WifiBaseband.STATUS) & WifiBaseband.STATUS_FWRDY).isEqualTo(1);
        rig.rxRing().tune(11);
        // one frame out: the TX synthesizer tuned, a one-descriptor frame in a TX ring in guest RAM
        rig.transmit(11, Air.frame(42, 300, 9));
        assertThat(rig.ram(WifiVirtRig.TX_RING + 12, 1)).isEqualTo(WifiBaseband.DESC_DD);
        List<Pcap.Frame> sent = Pcap.read(tx);
        assertThat(sent).singleElement().satisfies(f -> assertThat(f.data()).isEqualTo(Air.frame(42, 300, 9)));
        rig.write(WifiBaseband.RDT, (rig.read(WifiBaseband.RDH) + WifiVirtRig.DESCRIPTORS - 1) % WifiVirtRig.DESCRIPTORS);
        rig.read(WifiBaseband.ICR);
        rig.write(WifiBaseband.IMS, WifiBaseband.RXT0);
        long before = machine.scheduler().now();

        RunResult r = machine.run(RunLimits.none().withMaxTimeNs(before + 10_000_000));
        assertThat(r.outcome()).as(r.message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(machine.cpu().reg(5)).isEqualTo(intid);
        Air air = machine.wifiAir().orElseThrow();
        assertThat(air.framesDelivered()).isPositive();
        long n = rig.ram(WifiVirtRig.BUFFERS + 32, 4);
        assertThat(rig.ram(WifiVirtRig.BUFFERS + 100, 1)).isEqualTo(Air.frame(n, 200, 3)[100] & 0xFFL);
        assertThat(rig.ram(WifiVirtRig.RING + 8, 4)).isEqualTo(200);
        assertThat(air.framesTransmitted()).isEqualTo(1);
        assertThat(machine.faults().find("wifi.wifi0.rx")).isPresent();
        assertThat(machine.faults().find("rf.rf0")).isPresent();
        assertThat(machine.faults().find("pcie.wifi0.link")).isPresent();
    }
}
