package brassboard.devices.storage.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.usb.DeviceState;
import brassboard.devices.storage.bot.Csw;
import brassboard.devices.storage.usb.EhciHost;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A host for bridge tests: a bridge plugged into root port 1 of an EHCI controller, enumerated, and
 * SCSI commands sent as a usb-storage driver sends them (CBW on 02h, data, CSW on 81h) through queue
 * heads and qTDs in memory, virtual time stepped.
 */
public final class BridgeHost {
    public static final int ADDR = 3;

    public final EhciHost host = new EhciHost();
    final UsbAtaBridge bridge;
    private int tag = 0x100;
    /** The CSW of the last command. */
    Csw lastCsw;

    public BridgeHost(java.util.function.Function<EhciHost, UsbAtaBridge> make) {
        this.bridge = make.apply(host);
        bridge.plugInto(host.ehci.port(0));
        host.resetPortAndRun(0);
    }

    /** SET_ADDRESS and SET_CONFIGURATION 1. */
    public BridgeHost enumerate() {
        assertThat(host.control(0, 0x00, 5, ADDR, 0, 0)).as("SET_ADDRESS").isNotNull();
        assertThat(host.control(ADDR, 0x00, 9, 1, 0, 0)).as("SET_CONFIGURATION 1").isNotNull();
        assertThat(bridge.device().state()).isEqualTo(DeviceState.CONFIGURED);
        return this;
    }

    /** Enumerates and clears the power-on unit attention (TEST UNIT READY fails once, REQUEST SENSE). */
    BridgeHost ready() {
        enumerate();
        command(0, true, new byte[6]);
        requestSense();
        return this;
    }

    byte[] cbw(int length, boolean in, byte[] cdb) {
        ByteBuffer b = ByteBuffer.allocate(31).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x43425355).putInt(++tag).putInt(length).put((byte) (in ? 0x80 : 0)).put((byte) 0).put((byte) cdb.length);
        b.put(cdb);
        return b.array();
    }

    /** Sends a CBW; returns the qTD status bits. */
    int sendCbw(int length, boolean in, byte[] cdb) {
        return host.bulkOut(ADDR, UsbAtaBridge.BULK_OUT, cbw(length, in, cdb));
    }

    /** Reads the CSW (null if the endpoint halted or the device is gone). */
    Csw csw() {
        byte[] b = host.bulkIn(ADDR, UsbAtaBridge.BULK_IN, 13);
        if (b == null) {
            return null;
        }
        assertThat(b).hasSize(13);
        Csw c = Csw.parse(b);
        assertThat(c.tag()).isEqualTo(tag);
        lastCsw = c;
        return c;
    }

    /** A data-in (or no-data) command: CBW, data, CSW; returns the data (the CSW is in {@link #lastCsw}). */
    byte[] command(int length, boolean in, byte[] cdb) {
        assertThat(sendCbw(length, in, cdb) & EhciHost.HALTED).isZero();
        byte[] data = length == 0 ? new byte[0] : host.bulkIn(ADDR, UsbAtaBridge.BULK_IN, length);
        assertThat(csw()).isNotNull();
        return data;
    }

    /** A data-in command expected to pass. */
    byte[] in(int length, byte[] cdb) {
        byte[] d = command(length, true, cdb);
        assertThat(lastCsw.status()).as("CSW status of %02x", cdb[0]).isEqualTo(Csw.Status.COMMAND_PASSED);
        return d;
    }

    /** A data-out command: CBW, data, CSW. */
    Csw out(byte[] cdb, byte[] data) {
        assertThat(sendCbw(data.length, false, cdb) & EhciHost.HALTED).isZero();
        assertThat(host.bulkOut(ADDR, UsbAtaBridge.BULK_OUT, data) & EhciHost.HALTED).isZero();
        return csw();
    }

    /** REQUEST SENSE with an allocation length of 96 (fixed format asked). */
    byte[] requestSense() {
        return in(96, new byte[] {0x03, 0, 0, 0, 96, 0});
    }

    static byte[] rw10(int opcode, long lba, int blocks) {
        return new byte[] {(byte) opcode, 0, (byte) (lba >> 24), (byte) (lba >> 16), (byte) (lba >> 8), (byte) lba, 0,
            (byte) (blocks >> 8), (byte) blocks, 0};
    }

    static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s.replace(" ", ""));
    }
}
