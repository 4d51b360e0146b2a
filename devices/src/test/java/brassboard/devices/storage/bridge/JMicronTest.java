package brassboard.devices.storage.bridge;

import static brassboard.devices.storage.bridge.BridgeHost.hex;
import static brassboard.devices.storage.bridge.BridgeHost.rw10;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.ata.AtaTiming;
import brassboard.devices.storage.ata.BadSectors;
import brassboard.devices.storage.block.MemoryBackend;
import brassboard.devices.storage.bot.Csw;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JMicron JM20337 152d:2338 behind EHCI: exact residues, its command set, medium errors with
 * the failing LBA, and ATA pass-through as smartctl drives it: SAT-2's ATA PASS-THROUGH (12)/(16)
 * ({@code -d sat}) with the ATA Status Return descriptor on CK_COND, and JMicron's DFh
 * ({@code -d usbjmicron}); SMART attributes 5, 187, 197, 198 following the disk's bad sectors.
 */
class JMicronTest {
    private final MemoryBackend backend = new MemoryBackend(4096);
    private final BadSectors medium = new BadSectors(1_000_000L);
    private BridgeHost h;

    @BeforeEach
    void plug() {
        AtaDisk disk = new AtaDisk(backend, SuperTopTest.SAMSUNG, medium, AtaTiming.NONE);
        h = new BridgeHost(host -> new JMicron("jmicron", disk, host.sched)).ready();
    }

    private void assertSense(byte[] s, int key, int asc, int ascq) {
        int at = (s[0] & 0x7F) == 0x72 ? 1 : 2;
        assertThat(s[at] & 0x0F).as("sense key").isEqualTo(key);
        assertThat(s[at == 1 ? 2 : 12] & 0xFF).as("ASC").isEqualTo(asc);
        assertThat(s[at == 1 ? 3 : 13] & 0xFF).as("ASCQ").isEqualTo(ascq);
    }

    /** ATA PASS-THROUGH (16), 28-bit: PIO data-in of one 512-byte block when {@code in}, else non-data. */
    private static byte[] pt16(boolean in, boolean ckCond, int features, int count, long lba, int command) {
        return new byte[] {(byte) 0x85, (byte) ((in ? 4 : 3) << 1), (byte) ((ckCond ? 0x20 : 0) | (in ? 0x0E : 0)), 0,
            (byte) features, 0, (byte) count, 0, (byte) lba, 0, (byte) (lba >> 8), 0, (byte) (lba >> 16), 0,
            (byte) command, 0};
    }

    /** ATA PASS-THROUGH (12). */
    private static byte[] pt12(boolean in, boolean ckCond, int features, int count, long lba, int command) {
        return new byte[] {(byte) 0xA1, (byte) ((in ? 4 : 3) << 1), (byte) ((ckCond ? 0x20 : 0) | (in ? 0x0E : 0)),
            (byte) features, (byte) count, (byte) lba, (byte) (lba >> 8), (byte) (lba >> 16), 0, (byte) command, 0, 0};
    }

    /** JMicron DFh: {@code length} bytes in (or none), ATA registers as given, device A0h (port 0). */
    private static byte[] df(int length, int features, int count, long lba, int device, int command) {
        return new byte[] {(byte) 0xDF, 0x10, 0, (byte) (length >> 8), (byte) length, (byte) features, (byte) count,
            (byte) lba, (byte) (lba >> 8), (byte) (lba >> 16), (byte) device, (byte) command};
    }

    @Test
    void inquiryResiduesAndItsCommandSet() {
        byte[] inq = h.in(36, new byte[] {0x12, 0, 0, 0, 36, 0});
        assertThat(inq[2]).as("VERSION 2 (ANSI: 2)").isEqualTo((byte) 2);
        assertThat(inq[3]).as("format 1 (CCS)").isEqualTo((byte) 1);
        assertThat(new String(inq, 8, 28, StandardCharsets.US_ASCII)).isEqualTo("SAMSUNG SP1614N         0-24");
        assertThat(h.lastCsw.residue()).as("exact").isZero();
        h.in(64, new byte[] {0x12, 0, 0, 0, 64, 0});
        assertThat(h.lastCsw.residue()).as("36 of 64 bytes").isEqualTo(28);

        byte[] all = h.in(192, new byte[] {0x1A, 0, 0x3F, 0, (byte) 192, 0});
        assertThat(all[0]).as("header, block descriptor and the caching page").isEqualTo((byte) (3 + 8 + 20));
        assertThat(all[12]).isEqualTo((byte) 0x08);
        assertThat(all[14] & 0x04).as("WCE: the disk's write cache is on").isEqualTo(4);
        byte[] ten = h.in(64, new byte[] {0x5A, 0, 0x08, 0, 0, 0, 0, 0, 64, 0});
        assertThat(ten[16]).isEqualTo((byte) 0x08);
        h.command(0, true, new byte[] {0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThat(h.lastCsw.status()).as("SYNCHRONIZE CACHE (10)").isEqualTo(Csw.Status.COMMAND_PASSED);
        h.command(64, true, new byte[] {0x1A, 0, 0x0A, 0, 64, 0});
        assertThat(h.lastCsw.status()).as("no control page").isEqualTo(Csw.Status.COMMAND_FAILED);
        assertSense(h.requestSense(), 5, 0x24, 0);
        h.command(16, true, new byte[] {(byte) 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0});
        assertThat(h.lastCsw.status()).as("REPORT LUNS").isEqualTo(Csw.Status.COMMAND_FAILED);
        assertSense(h.requestSense(), 5, 0x20, 0);
    }

    @Test
    void readCapacityReadAndWrite() {
        assertThat(h.in(8, new byte[] {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0})).containsExactly(0, 0, 0x0F, (byte) 0xFF, 0, 0, 2, 0);
        assertThat(h.lastCsw.residue()).isZero();
        byte[] data = SuperTopTest.pattern(16 * 512, 9);
        assertThat(h.out(rw10(0x2A, 4000, 16), data).status()).isEqualTo(Csw.Status.COMMAND_PASSED);
        byte[] onDisk = new byte[data.length];
        backend.read(4000, 16, onDisk, 0);
        assertThat(onDisk).isEqualTo(data);
        assertThat(h.in(data.length, rw10(0x28, 4000, 16))).isEqualTo(data);
        h.command(512, true, rw10(0x28, 4095, 2));
        assertThat(h.lastCsw.status()).as("past the end").isEqualTo(Csw.Status.COMMAND_FAILED);
        assertSense(h.requestSense(), 5, 0x21, 0);
    }

    @Test
    void mediumErrorsCarryTheFailingLba() {
        medium.addUnreadable(1000, 1000);
        medium.addBad(2000, 2000);
        h.command(8 * 512, true, rw10(0x28, 996, 8));
        assertThat(h.lastCsw.status()).isEqualTo(Csw.Status.COMMAND_FAILED);
        byte[] s = h.requestSense();
        assertSense(s, 3, 0x11, 0);
        assertThat(s[0] & 0xFF).as("VALID, fixed format").isEqualTo(0xF0);
        assertThat(Arrays.copyOfRange(s, 3, 7)).containsExactly(0, 0, 0x03, (byte) 0xE8);

        assertThat(h.out(rw10(0x2A, 1998, 4), new byte[4 * 512]).status()).isEqualTo(Csw.Status.COMMAND_FAILED);
        s = h.requestSense();
        assertSense(s, 3, 0x0C, 0x02); // WRITE ERROR - AUTO REALLOCATION FAILED
        assertThat(Arrays.copyOfRange(s, 3, 7)).containsExactly(0, 0, 0x07, (byte) 0xD0);

        // Writing the unreadable sector remaps it: it reads again.
        assertThat(h.out(rw10(0x2A, 1000, 1), new byte[512]).status()).isEqualTo(Csw.Status.COMMAND_PASSED);
        h.in(8 * 512, rw10(0x28, 996, 8));
    }

    @Test
    void satPassThroughIdentifyDeviceAndSmartReadData() {
        byte[] id = h.in(512, pt16(true, false, 0, 1, 0, 0xEC));
        StringBuilder model = new StringBuilder();
        for (int w = 27; w <= 46; w++) {
            model.append((char) id[2 * w + 1]).append((char) id[2 * w]);
        }
        assertThat(model.toString().strip()).isEqualTo("SAMSUNG SP1614N");

        // Bad sectors evolve: two reads fail (pending 2), one is rewritten (reallocated 1, pending 1),
        // a dead one is read (pending 2) and its rewrite fails (offline uncorrectable 1).
        medium.addUnreadable(500, 501);
        medium.addBad(600, 600);
        h.command(512, true, rw10(0x28, 500, 1));
        h.command(512, true, rw10(0x28, 501, 1));
        h.out(rw10(0x2A, 500, 1), new byte[512]);
        h.command(512, true, rw10(0x28, 600, 1));
        h.out(rw10(0x2A, 600, 1), new byte[512]);
        assertThat(medium.counts()).isEqualTo(new BadSectors.Counts(1, 2, 1, 2, 1));

        byte[] data = h.in(512, pt12(true, false, 0xD0, 1, 0xC24F00, 0xB0));
        assertThat(attribute(data, 5)).as("Reallocated_Sector_Ct raw").isEqualTo(1);
        assertThat(attribute(data, 197)).as("Current_Pending_Sector raw").isEqualTo(2);
        assertThat(attribute(data, 198)).as("Offline_Uncorrectable raw").isEqualTo(1);
        assertThat(attribute(data, 187)).as("Reported_Uncorrect raw: three UNCs reported").isEqualTo(3);
        assertThat(data[2 + 3] & 0xFF).as("attribute 5 normalised").isEqualTo(99);
        int sum = 0;
        for (byte b : data) {
            sum += b & 0xFF;
        }
        assertThat(sum & 0xFF).as("checksum").isZero();
        byte[] thresholds = h.in(512, pt12(true, false, 0xD1, 1, 0xC24F00, 0xB0));
        assertThat(thresholds[2]).isEqualTo((byte) 5);
        assertThat(thresholds[3]).as("threshold of attribute 5").isEqualTo((byte) 36);
    }

    /** The raw value of attribute {@code id} in SMART READ DATA. */
    private static long attribute(byte[] data, int id) {
        for (int at = 2; at < 362; at += 12) {
            if ((data[at] & 0xFF) == id) {
                long raw = 0;
                for (int b = 5; b >= 0; b--) {
                    raw = raw << 8 | data[at + 5 + b] & 0xFF;
                }
                return raw;
            }
        }
        throw new AssertionError("no attribute " + id);
    }

    @Test
    void ckCondReturnsTheAtaRegistersInADescriptor() {
        h.command(0, true, pt16(false, true, 0xDA, 0, 0xC24F00, 0xB0));
        assertThat(h.lastCsw.status()).as("CHECK CONDITION").isEqualTo(Csw.Status.COMMAND_FAILED);
        byte[] s = h.requestSense();
        assertThat(s[0] & 0xFF).as("descriptor format although fixed was asked").isEqualTo(0x72);
        assertSense(s, 1, 0x00, 0x1D);
        assertThat(s[7]).isEqualTo((byte) 14);
        assertThat(Arrays.copyOfRange(s, 8, 22)).as("ATA Status Return: LBA mid 4Fh, high C2h: no threshold exceeded")
                .containsExactly(hex("09 0c 00 00 0000 0000 004f 00c2 00 50"));

        h.command(0, true, pt12(false, true, 0, 0, 0, 0xE5));
        byte[] power = h.requestSense();
        assertThat(power[13] & 0xFF).as("CHECK POWER MODE: COUNT FFh, active").isEqualTo(0xFF);

        h.command(0, true, pt12(false, false, 0, 0, 0, 0xE5));
        assertThat(h.lastCsw.status()).as("without CK_COND: GOOD").isEqualTo(Csw.Status.COMMAND_PASSED);

        medium.addUnreadable(0, 70); // enough reallocations to cross attribute 5's threshold
        for (int lba = 0; lba <= 70; lba++) {
            h.out(rw10(0x2A, lba, 1), new byte[512]);
        }
        h.command(0, true, pt16(false, true, 0xDA, 0, 0xC24F00, 0xB0));
        assertThat(Arrays.copyOfRange(h.requestSense(), 8, 22)).as("LBA mid F4h, high 2Ch: threshold exceeded")
                .containsExactly(hex("09 0c 00 00 0000 0000 00f4 002c 00 50"));

        h.command(512, true, new byte[] {(byte) 0x85, 5 << 1, 0x06, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, (byte) 0xB0, 0});
        assertThat(h.lastCsw.status()).as("PIO data-out is not modelled").isEqualTo(Csw.Status.COMMAND_FAILED);
        assertSense(h.requestSense(), 5, 0x24, 0);

        h.command(0, true, pt12(false, false, 0, 0, 0, 0x00)); // NOP: the disk aborts it
        byte[] aborted = h.requestSense();
        assertSense(aborted, 0xB, 0, 0);
        assertThat(aborted[8 + 3] & 0xFF).as("ERROR: ABRT").isEqualTo(0x04);
        assertThat(aborted[8 + 13] & 0x01).as("STATUS: ERR").isEqualTo(1);
    }

    @Test
    void jmicronVendorPassThroughAsUsbjmicronDrivesIt() {
        byte[] ports = h.in(1, new byte[] {(byte) 0xDF, 0x10, 0, 0, 1, 0, 0x72, 0x0F, 0, 0, 0, (byte) 0xFD});
        assertThat(ports).containsExactly(0x04);
        assertThat(h.in(1, df(1, 0xDA, 0, 0xC24F00, 0xA0, 0xB0))).as("SMART RETURN STATUS byte").containsExactly(0xC2);
        byte[] id = h.in(512, df(512, 0, 1, 0, 0xA0, 0xEC));
        assertThat((char) id[2 * 27 + 1]).isEqualTo('S');
        byte[] data = h.in(512, df(512, 0xD0, 1, 0xC24F00, 0xA0, 0xB0));
        assertThat(data[2] & 0xFF).as("first attribute id").isEqualTo(5);
        byte[] outputs = h.in(16, new byte[] {(byte) 0xDF, 0x10, 0, 0, 16, 0, (byte) 0x80, 0x00, 0, 0, 0, (byte) 0xFD});
        assertThat(outputs[14] & 0xFF).as("STATUS of the last command").isEqualTo(0x50);
        h.command(512, true, df(512, 0, 1, 0, 0xB0, 0xEC));
        assertThat(h.lastCsw.status()).as("no disk on port 1").isEqualTo(Csw.Status.COMMAND_FAILED);
        assertSense(h.requestSense(), 0xB, 0, 0);
    }
}
