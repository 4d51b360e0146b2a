package brassboard.boards.virt;

import brassboard.boards.board.wiring.WifiWiring;
import brassboard.boards.TestImages;
import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.WifiAttachment;
import brassboard.bus.api.Masters;
import brassboard.bus.pcie.ConfigSpace;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import brassboard.devices.uart.CaptureSink;
import brassboard.devices.wifi.RfTransceiver;
import brassboard.devices.wifi.WifiBaseband;
import brassboard.devices.wifi.WifiChannels;
import java.nio.file.Path;

/**
 * A virt machine with {@code --wifi}, and a driver's bring-up done from the host side (accesses as
 * {@code cpu0}, time stepped on the machine's clock without running the CPU): BAR0, an RX ring of 16
 * descriptors in guest RAM, the RF tuned and calibrated over the baseband's SPI master.
 */
final class WifiVirtRig {
    static final long BAR = VirtMap.PCIE_MMIO.base();
    static final long RING = VirtMap.RAM_BASE + 0x20_0000;
    static final long BUFFERS = VirtMap.RAM_BASE + 0x30_0000;
    static final int DESCRIPTORS = 16;
    private static final int CPU = Masters.cpu(0);
    final Machine machine;

    WifiVirtRig(Path dir, String wifi, long seed, int... program) throws Exception {
        machine = Machine.create(TestImages.program(dir, VirtMap.RAM_BASE, program).withSeed(seed),
                BoardOptions.none().withWifi(WifiAttachment.parse(wifi)), new Console(CharBackend.of(new CaptureSink(), CharSource.none())));
    }

    long ecam(int reg) {
        return VirtMap.PCIE_ECAM.base() + ((long) WifiWiring.WIFI_DEVICE << 15) + reg;
    }

    void write(int reg, long v) {
        machine.bus().write(BAR + reg, 4, v & 0xFFFF_FFFFL, CPU);
    }

    int read(int reg) {
        return (int) machine.bus().read(BAR + reg, 4, CPU);
    }

    long ram(long address, int size) {
        return machine.bus().read(address, size, CPU);
    }

    void step(long ns) {
        machine.scheduler().step(ns);
    }

    void spi(int word) {
        write(WifiBaseband.SPIDATA, word);
        while ((read(WifiBaseband.SPISTAT) & 1) != 0) {
            step(100);
        }
    }

    void rfWrite(int address, int... data) {
        int instr = 0x8000 | (data.length - 1) << 12 | address;
        write(WifiBaseband.SPICTL, read(WifiBaseband.SPICTL) | 1);
        spi(instr >>> 8);
        spi(instr & 0xFF);
        for (int d : data) {
            spi(d);
        }
        write(WifiBaseband.SPICTL, read(WifiBaseband.SPICTL) & ~1);
    }

    int rfRead(int address) {
        write(WifiBaseband.SPICTL, read(WifiBaseband.SPICTL) | 1);
        spi(address >>> 8);
        spi(address & 0xFF);
        spi(0);
        write(WifiBaseband.SPICTL, read(WifiBaseband.SPICTL) & ~1);
        return read(WifiBaseband.SPIDATA);
    }

    /** Enables the function and waits for the firmware. */
    WifiVirtRig enable() {
        machine.bus().write(ecam(0x10), 4, BAR, CPU);
        machine.bus().write(ecam(ConfigSpace.COMMAND), 2, ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER, CPU);
        step(WifiBaseband.BOOT_NS);
        return this;
    }

    /** The RX ring, all buffers given, 4 KiB buffers, RX on. */
    WifiVirtRig rxRing() {
        for (int i = 0; i < DESCRIPTORS; i++) {
            machine.bus().write(RING + 16L * i, 4, BUFFERS + 4096L * i, CPU);
            machine.bus().write(RING + 16L * i + 12, 4, 0, CPU);
        }
        write(WifiBaseband.RDBAL, RING);
        write(WifiBaseband.RDLEN, 16 * DESCRIPTORS);
        write(WifiBaseband.RDH, 0);
        write(WifiBaseband.RDT, DESCRIPTORS - 1);
        write(WifiBaseband.RCTL, WifiBaseband.RCTL_EN | WifiBaseband.RCTL_SBP | 1 << 25 | 3 << 16);
        return this;
    }

    static final long TX_RING = VirtMap.RAM_BASE + 0x28_0000;
    static final long TX_FRAME = VirtMap.RAM_BASE + 0x29_0000;

    /** Tunes the TX synthesizer to {@code channel} and sends {@code frame} from a one-frame TX ring; returns after its airtime. */
    void transmit(int channel, byte[] frame) {
        int[] w = WifiChannels.synthesizerWord(channel);
        rfWrite(RfTransceiver.TX_INTEGER_BYTE_0 + 4, w[5], w[4], w[3], w[2], w[1]);
        step(RfTransceiver.LOCK_TIME_NS);
        machine.bus().load(TX_FRAME, frame);
        machine.bus().write(TX_RING, 4, TX_FRAME, CPU);
        machine.bus().write(TX_RING + 8, 4, frame.length | (long) (WifiBaseband.TDESC_CMD_EOP | WifiBaseband.TDESC_CMD_RS) << 24, CPU);
        write(WifiBaseband.TDBAL, TX_RING);
        write(WifiBaseband.TDLEN, 128);
        write(WifiBaseband.TCTL, WifiBaseband.TCTL_EN);
        write(WifiBaseband.TDT, 1);
        step(1_000_000);
    }

    /** Programs the RX synthesizer for {@code channel}, waits for lock, runs RX_QUAD and waits for it. */
    WifiVirtRig tune(int channel) {
        int[] w = WifiChannels.synthesizerWord(channel);
        rfWrite(RfTransceiver.RX_INTEGER_BYTE_0 + 4, w[5], w[4], w[3], w[2], w[1]);
        step(RfTransceiver.LOCK_TIME_NS);
        rfWrite(RfTransceiver.CALIBRATION_CTRL, RfTransceiver.RX_QUAD);
        step(RfTransceiver.CALIBRATION_TIME_NS);
        return this;
    }
}
