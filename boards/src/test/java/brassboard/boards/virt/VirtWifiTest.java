package brassboard.boards.virt;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.gic.Gic;
import brassboard.boards.TestImages;
import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.api.WifiAttachment;
import brassboard.bus.api.Masters;
import brassboard.bus.pcie.ConfigSpace;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import brassboard.devices.uart.CaptureSink;
import brassboard.devices.wifi.Air;
import brassboard.devices.wifi.Pcap;
import brassboard.devices.wifi.RfTransceiver;
import brassboard.devices.wifi.WifiBaseband;
import brassboard.devices.wifi.WifiChannels;
import java.nio.file.Path;
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

    private static final long BAR = VirtMap.PCIE_MMIO.base();
    private static final long RING = VirtMap.RAM_BASE + 0x20_0000;
    private static final long BUFFERS = VirtMap.RAM_BASE + 0x30_0000;
    private static final int CPU = Masters.cpu(0);
    private Machine machine;

    private long ecam(int reg) {
        return VirtMap.PCIE_ECAM.base() + ((long) WifiWiring.WIFI_DEVICE << 15) + reg;
    }

    private void write(int reg, long v) {
        machine.bus().write(BAR + reg, 4, v & 0xFFFF_FFFFL, CPU);
    }

    private int read(int reg) {
        return (int) machine.bus().read(BAR + reg, 4, CPU);
    }

    private void spi(int word) {
        write(WifiBaseband.SPIDATA, word);
        while ((read(WifiBaseband.SPISTAT) & 1) != 0) {
            machine.scheduler().step(100);
        }
    }

    private void rfWrite(int address, int... data) {
        int instr = 0x8000 | (data.length - 1) << 12 | address;
        write(WifiBaseband.SPICTL, read(WifiBaseband.SPICTL) | 1);
        spi(instr >>> 8);
        spi(instr & 0xFF);
        for (int d : data) {
            spi(d);
        }
        write(WifiBaseband.SPICTL, read(WifiBaseband.SPICTL) & ~1);
    }

    @Test
    void generatedFramesReachTheRingAndRxDoneReachesTheCpuAsIntid37() throws Exception {
        int intid = Gic.SPI_BASE + VirtMap.PCIE_MMIO.spi() + (WifiWiring.WIFI_DEVICE + 0) % 4;
        assertThat(intid).isEqualTo(37);
        Path tx = dir.resolve("tx.pcap");
        CaptureSink out = new CaptureSink();
        machine = Machine.create(TestImages.program(dir, VirtMap.RAM_BASE, VirtPcieTest.pollIar(intid, false)),
                BoardOptions.none().withWifi(WifiAttachment.parse("channel=11,rx-rate=20000,rx-size=200,rx-seed=3,tx=" + tx)),
                new Console(CharBackend.of(out, CharSource.none())));
        assertThat(machine.bus().read(ecam(0), 4, CPU)).isEqualTo(0x0211_B5B0L);
        machine.bus().write(ecam(0x10), 4, BAR, CPU);
        machine.bus().write(ecam(ConfigSpace.COMMAND), 2, ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER, CPU);
        machine.scheduler().step(WifiBaseband.BOOT_NS);
        assertThat(read(WifiBaseband.STATUS) & WifiBaseband.STATUS_FWRDY).isEqualTo(1);
        for (int i = 0; i < 16; i++) {
            machine.bus().write(RING + 16L * i, 4, BUFFERS + 4096L * i, CPU);
        }
        write(WifiBaseband.RDBAL, RING);
        write(WifiBaseband.RDLEN, 16 * 16);
        write(WifiBaseband.RDT, 15);
        write(WifiBaseband.RCTL, WifiBaseband.RCTL_EN | 1 << 25 | 3 << 16);
        int[] w = WifiChannels.synthesizerWord(11);
        rfWrite(RfTransceiver.RX_INTEGER_BYTE_0 + 4, w[5], w[4], w[3], w[2], w[1]);
        machine.scheduler().step(RfTransceiver.LOCK_TIME_NS);
        rfWrite(RfTransceiver.CALIBRATION_CTRL, RfTransceiver.RX_QUAD);
        machine.scheduler().step(RfTransceiver.CALIBRATION_TIME_NS);
        read(WifiBaseband.ICR);
        write(WifiBaseband.IMS, WifiBaseband.RXT0);
        long before = machine.scheduler().now();

        RunResult r = machine.run(RunLimits.none().withMaxTimeNs(before + 10_000_000));
        assertThat(r.outcome()).as(r.message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(machine.cpu().reg(5)).isEqualTo(intid);
        Air air = machine.wifiAir().orElseThrow();
        assertThat(air.framesDelivered()).isPositive();
        long n = machine.bus().read(BUFFERS + 32, 4, CPU);
        assertThat(machine.bus().read(BUFFERS + 100, 1, CPU)).isEqualTo(Air.frame(n, 200, 3)[100] & 0xFFL);
        assertThat(machine.bus().read(RING + 8, 4, CPU)).isEqualTo(200);
        assertThat(Pcap.read(tx)).isEmpty();
        assertThat(machine.faults().find("wifi.wifi0.rx")).isPresent();
        assertThat(machine.faults().find("rf.rf0")).isPresent();
        assertThat(machine.faults().find("pcie.wifi0.link")).isPresent();
    }
}
