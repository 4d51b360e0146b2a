package brassboard.devices.storage.usb;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.usb.Descriptor;
import brassboard.bus.usb.DeviceState;
import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.block.MemoryBackend;
import brassboard.devices.storage.bot.Csw;
import brassboard.devices.storage.scsi.ScsiDisk;
import brassboard.devices.storage.scsi.ScsiTarget;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * QEMU's usb-storage stick behind the EHCI controller, driven as a host driver drives it: queue
 * heads and qTDs in memory, virtual time stepped. Enumeration (descriptors byte for byte as QEMU's
 * hw/usb/dev-storage.c and desc.c give them), SET_ADDRESS, SET_CONFIGURATION, Get Max LUN, and
 * CBW / data / CSW for INQUIRY, TEST UNIT READY, REQUEST SENSE, READ CAPACITY, READ (10), WRITE (10).
 */
class UsbStorageTest {
    private static final int ADDR = 2;
    private static final int SECTORS = 2048; // 1 MiB

    private EhciHost host;
    private MemoryBackend backend;
    private UsbStorage stick;
    private int tag = 0x1000;

    @BeforeEach
    void plugIn() {
        host = new EhciHost();
        backend = new MemoryBackend(SECTORS);
        byte[] pattern = new byte[SECTORS * 512];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i / 512 + i % 251);
        }
        backend.load(0, pattern);
        stick = new UsbStorage("stick", new ScsiTarget(new ScsiDisk(new AtaDisk(backend))),
                UsbStorage.qemuSerial("0000:00:01.0", 1), host.sched);
        host.ehci.port(0).connect(stick.device());
        host.resetPortAndRun(0);
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** GET_DESCRIPTOR (USB 2.0 §9.4.3). */
    private byte[] descriptor(int addr, int type, int index, int langId, int length) {
        return host.control(addr, 0x80, 6, type << 8 | index, langId, length);
    }

    private void enumerate() {
        assertThat(host.control(0, 0x00, 5, ADDR, 0, 0)).as("SET_ADDRESS").isNotNull();
        assertThat(host.control(ADDR, 0x00, 9, 1, 0, 0)).as("SET_CONFIGURATION 1").isNotNull();
        assertThat(stick.device().state()).isEqualTo(DeviceState.CONFIGURED);
    }

    @Test
    void enumeratesWithQemusDescriptorsByteForByte() {
        // The first 8 bytes at address 0, as Linux and U-Boot ask first.
        assertThat(descriptor(0, Descriptor.DEVICE, 0, 0, 8)).containsExactly(hex("12 01 0002 00 00 00 40"));
        assertThat(host.control(0, 0x00, 5, ADDR, 0, 0)).isNotNull();
        assertThat(stick.device().address()).isEqualTo(ADDR);
        // Device: bcdUSB 2.00, class 0, EP0 64, 46f4:0001, bcdDevice 0.00, strings 1/2/3, one configuration.
        assertThat(descriptor(ADDR, Descriptor.DEVICE, 0, 0, 18))
                .containsExactly(hex("12 01 0002 00 00 00 40 f446 0100 0000 01 02 03 01"));
        // Configuration 1: "High speed config" (string 5), self-powered, 0 mA; interface 0 class 8/6/50h;
        // bulk endpoints 0x81 and 0x02 of 512 bytes, interval 0.
        byte[] config = hex("09 02 2000 01 01 05 c0 00  09 04 00 00 02 08 06 50 00  07 05 81 02 0002 00  07 05 02 02 0002 00");
        assertThat(descriptor(ADDR, Descriptor.CONFIGURATION, 0, 0, 9)).containsExactly(Arrays.copyOf(config, 9));
        assertThat(descriptor(ADDR, Descriptor.CONFIGURATION, 0, 0, 255)).containsExactly(config);
        // The device qualifier describes the full-speed set: EP0 8, one configuration.
        assertThat(descriptor(ADDR, Descriptor.DEVICE_QUALIFIER, 0, 0, 10)).containsExactly(hex("0a 06 0002 00 00 00 08 01 00"));
        // The other-speed configuration: the full-speed one with type 7, "Full speed config" (4), 64-byte endpoints.
        assertThat(descriptor(ADDR, Descriptor.OTHER_SPEED_CONFIGURATION, 0, 0, 255))
                .containsExactly(hex("09 07 2000 01 01 04 c0 00  09 04 00 00 02 08 06 50 00  07 05 81 02 4000 00  07 05 02 02 4000 00"));
        assertThat(descriptor(ADDR, Descriptor.OTHER_SPEED_CONFIGURATION, 1, 0, 255)).as("no second one").isNull();
        assertThat(descriptor(ADDR, Descriptor.STRING, 0, 0, 255)).containsExactly(hex("04 03 0904"));
        assertThat(text(descriptor(ADDR, Descriptor.STRING, 1, 0x409, 255))).isEqualTo("QEMU");
        assertThat(text(descriptor(ADDR, Descriptor.STRING, 2, 0x409, 255))).isEqualTo("QEMU USB HARDDRIVE");
        assertThat(text(descriptor(ADDR, Descriptor.STRING, 3, 0x409, 255))).isEqualTo("1-0000:00:01.0-1");
        assertThat(text(descriptor(ADDR, Descriptor.STRING, 5, 0x409, 255))).isEqualTo("High speed config (usb 2.0)");
        // GET_STATUS: self-powered.
        assertThat(host.control(ADDR, 0x80, 0, 0, 0, 2)).containsExactly(1, 0);
        assertThat(host.control(ADDR, 0x00, 9, 1, 0, 0)).isNotNull();
        assertThat(host.control(ADDR, 0x80, 8, 0, 0, 1)).as("GET_CONFIGURATION").containsExactly(1);
    }

    @Test
    void fullSpeedDescriptorsAreQemusToo() {
        var full = UsbStorage.descriptors(UsbStorage.Speed.FULL, "1");
        assertThat(full.device().bytes()).containsExactly(hex("12 01 0002 00 00 00 08 f446 0100 0000 01 02 03 01"));
        assertThat(full.configurations().get(0).bytes())
                .containsExactly(hex("09 02 2000 01 01 04 c0 00  09 04 00 00 02 08 06 50 00  07 05 81 02 4000 00  07 05 02 02 4000 00"));
        assertThat(full.qualifier().orElseThrow().bytes()).containsExactly(hex("0a 06 0002 00 00 00 40 01 00"));
    }

    @Test
    void getMaxLunAndAnUnknownClassRequestStalls() {
        enumerate();
        assertThat(host.control(ADDR, 0xA1, 0xFE, 0, 0, 1)).as("Get Max LUN").containsExactly(0);
        assertThat(host.control(ADDR, 0xA1, 0xFC, 0, 0, 1)).as("an unknown class request").isNull();
        assertThat(host.control(ADDR, 0x21, 0xFF, 0, 0, 0)).as("Bulk-Only Mass Storage Reset").isNotNull();
        assertThat(host.control(ADDR, 0xC0, 0x01, 0, 0, 1)).as("a vendor request").isNull();
    }

    private byte[] cbw(int length, boolean in, byte[] cdb) {
        ByteBuffer b = ByteBuffer.allocate(31).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x43425355).putInt(++tag).putInt(length).put((byte) (in ? 0x80 : 0)).put((byte) 0).put((byte) cdb.length);
        b.put(cdb);
        return b.array();
    }

    private Csw csw() {
        byte[] b = host.bulkIn(ADDR, UsbStorage.BULK_IN, 13);
        assertThat(b).hasSize(13);
        Csw c = Csw.parse(b);
        assertThat(c.tag()).isEqualTo(tag);
        return c;
    }

    /** A data-in command: CBW, data, CSW; returns the data. */
    private byte[] commandIn(int length, byte[] cdb, Csw.Status expect) {
        assertThat(host.bulkOut(ADDR, UsbStorage.BULK_OUT, cbw(length, true, cdb)) & EhciHost.HALTED).isZero();
        byte[] data = length == 0 ? new byte[0] : host.bulkIn(ADDR, UsbStorage.BULK_IN, length);
        assertThat(csw().status()).isEqualTo(expect);
        return data;
    }

    @Test
    void inquiryTestUnitReadyReadCapacityReadAndWriteThroughCbwAndCsw() {
        enumerate();
        byte[] inquiry = commandIn(36, new byte[] {0x12, 0, 0, 0, 36, 0}, Csw.Status.COMMAND_PASSED);
        assertThat(inquiry[0]).as("direct-access block device").isZero();
        assertThat(new String(inquiry, 8, 28, StandardCharsets.US_ASCII)).isEqualTo("QEMU    QEMU HARDDISK   2.5+");

        // The power-on unit attention, reported once, then the unit is ready.
        commandIn(0, new byte[6], Csw.Status.COMMAND_FAILED);
        byte[] sense = commandIn(18, new byte[] {0x03, 0, 0, 0, 18, 0}, Csw.Status.COMMAND_PASSED);
        assertThat(sense[2] & 0x0F).isEqualTo(6);
        assertThat(sense[12]).isEqualTo((byte) 0x29);
        commandIn(0, new byte[6], Csw.Status.COMMAND_PASSED);

        byte[] capacity = commandIn(8, new byte[] {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}, Csw.Status.COMMAND_PASSED);
        assertThat(capacity).containsExactly(0, 0, 0x07, (byte) 0xFF, 0, 0, 2, 0);

        // READ (10) of 16 sectors from LBA 100: 8 KiB in 16 packets of 512 bytes.
        byte[] read = commandIn(16 * 512, read10(0x28, 100, 16), Csw.Status.COMMAND_PASSED);
        byte[] expected = new byte[16 * 512];
        backend.read(100, 16, expected, 0);
        assertThat(read).isEqualTo(expected);

        // WRITE (10) of 3 sectors to LBA 7, then read back through the stick and from the backend.
        byte[] data = new byte[3 * 512];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (0xA5 ^ i);
        }
        assertThat(host.bulkOut(ADDR, UsbStorage.BULK_OUT, cbw(data.length, false, read10(0x2A, 7, 3))) & EhciHost.HALTED).isZero();
        assertThat(host.bulkOut(ADDR, UsbStorage.BULK_OUT, data) & EhciHost.HALTED).isZero();
        Csw w = csw();
        assertThat(w.status()).isEqualTo(Csw.Status.COMMAND_PASSED);
        assertThat(w.residue()).isZero();
        byte[] onDisk = new byte[data.length];
        backend.read(7, 3, onDisk, 0);
        assertThat(onDisk).isEqualTo(data);
        assertThat(commandIn(data.length, read10(0x28, 7, 3), Csw.Status.COMMAND_PASSED)).isEqualTo(data);
        assertThat(stick.transport().commands()).isEqualTo(8);
    }

    @Test
    void anInvalidCbwStallsBothEndpointsUntilResetRecovery() {
        enumerate();
        byte[] bad = cbw(0, true, new byte[6]);
        bad[0] = 0; // wrong signature
        assertThat(host.bulkOut(ADDR, UsbStorage.BULK_OUT, bad) & EhciHost.HALTED).isNotZero();
        assertThat(host.bulkIn(ADDR, UsbStorage.BULK_IN, 13)).as("bulk IN stalls too").isNull();
        // Reset Recovery (BOT §5.3.4): the class reset, then CLEAR_FEATURE(ENDPOINT_HALT) on both endpoints.
        assertThat(host.control(ADDR, 0x21, 0xFF, 0, 0, 0)).isNotNull();
        assertThat(host.control(ADDR, 0x02, 1, 0, 0x81, 0)).isNotNull();
        assertThat(host.control(ADDR, 0x02, 1, 0, 0x02, 0)).isNotNull();
        host.resetToggle(UsbStorage.BULK_IN, true);
        host.resetToggle(UsbStorage.BULK_OUT, false);
        byte[] inquiry = commandIn(36, new byte[] {0x12, 0, 0, 0, 36, 0}, Csw.Status.COMMAND_PASSED);
        assertThat(new String(inquiry, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("QEMU    ");
    }

    @Test
    void aPortResetAbandonsTheCommandInProgress() {
        enumerate();
        assertThat(host.bulkOut(ADDR, UsbStorage.BULK_OUT, cbw(512, true, read10(0x28, 0, 1))) & EhciHost.HALTED).isZero();
        host.resetPortAndRun(0);
        assertThat(stick.device().state()).isEqualTo(DeviceState.DEFAULT);
        assertThat(stick.transport().state()).isEqualTo(brassboard.devices.storage.bot.BulkOnlyTransport.State.COMMAND);
    }

    private static byte[] read10(int opcode, long lba, int blocks) {
        return new byte[] {(byte) opcode, 0, (byte) (lba >> 24), (byte) (lba >> 16), (byte) (lba >> 8), (byte) lba, 0,
            (byte) (blocks >> 8), (byte) blocks, 0};
    }

    private static String text(byte[] d) {
        assertThat(d[1]).isEqualTo((byte) Descriptor.STRING);
        return new String(d, 2, (d[0] & 0xFF) - 2, StandardCharsets.UTF_16LE);
    }
}
