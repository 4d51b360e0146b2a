package brassboard.devices.storage.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.devices.storage.api.BlockBackend;
import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.ata.AtaIdentity;
import brassboard.devices.storage.ata.Medium;
import brassboard.devices.storage.block.MemoryBackend;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Command-level tests of the SCSI disk from SPC-4 / SBC-3: CDB in, data and status out, sense bytes. */
class ScsiDiskTest {
    private final MemoryBackend backend = new MemoryBackend(2048);
    private final ScsiDisk disk = new ScsiDisk(new AtaDisk(backend));

    /** The data-in bytes and the result of one command. */
    record Outcome(byte[] data, ScsiResult result) {
        Sense sense() {
            return result.sense();
        }
    }

    static Outcome run(ScsiTask t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[700]; // not a multiple of anything, to cross chunk edges
        int n;
        while ((n = t.readData(buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
        }
        return new Outcome(out.toByteArray(), t.complete());
    }

    private Outcome run(int... cdb) {
        return run(disk.submit(bytes(cdb)));
    }

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private void clearUnitAttention() {
        assertThat(run(0x00, 0, 0, 0, 0, 0).result().good()).isFalse();
    }

    private static byte[] pattern(int blocks, int seed) {
        byte[] b = new byte[blocks * 512];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + i / 512);
        }
        return b;
    }

    private static ScsiResult write(ScsiDisk d, byte[] cdb, byte[] data) {
        ScsiTask t = d.submit(cdb);
        int at = 0;
        while (at < data.length) {
            int n = t.writeData(data, at, Math.min(1000, data.length - at));
            if (n == 0) {
                break;
            }
            at += n;
        }
        return t.complete();
    }

    @Test
    void unitAttentionAfterPowerOnIsReportedOnceAndSparesInquiry() {
        assertThat(disk.unitAttention()).isEqualTo(Sense.POWER_ON_RESET_OR_BUS_DEVICE_RESET);
        assertThat(run(0x12, 0, 0, 0, 36, 0).result().good()).isTrue(); // INQUIRY is not affected
        assertThat(run(0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0).result().good()).isTrue(); // nor REPORT LUNS
        Outcome tur = run(0x00, 0, 0, 0, 0, 0);
        assertThat(tur.result().status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(tur.sense()).isEqualTo(Sense.of(0x6, 0x29, 0x00));
        // Reported once: the stored sense says so, the next command runs.
        assertThat(run(0x03, 0, 0, 0, 18, 0).data()).isEqualTo(bytes(0x70, 0, 6, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x29, 0, 0, 0, 0, 0));
        assertThat(run(0x00, 0, 0, 0, 0, 0).result().good()).isTrue();
    }

    @Test
    void unitAttentionBlocksTheCommandItFails() {
        backend.load(0, pattern(1, 1));
        Outcome r = run(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0);
        assertThat(r.data()).isEmpty();
        assertThat(r.sense().key()).isEqualTo(Sense.KEY_UNIT_ATTENTION);
        assertThat(run(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0).data()).isEqualTo(pattern(1, 1));
    }

    @Test
    void requestSenseReportsAPendingUnitAttentionAndClearsIt() {
        Outcome rs = run(0x03, 0, 0, 0, 252, 0);
        assertThat(rs.result().good()).isTrue();
        assertThat(rs.data()).hasSize(18);
        assertThat(rs.data()[2]).isEqualTo((byte) 6);
        assertThat(rs.data()[12]).isEqualTo((byte) 0x29);
        assertThat(disk.unitAttention()).isNull();
        assertThat(run(0x00, 0, 0, 0, 0, 0).result().good()).isTrue();
        disk.reset();
        assertThat(disk.unitAttention()).isNotNull();
    }

    @Test
    void requestSenseFixedAndDescriptorFormats() {
        clearUnitAttention();
        Outcome bad = run(0x28, 0, 0, 0, 0x08, 0, 0, 0, 1, 0); // LBA 2048: one past the end
        assertThat(bad.sense()).isEqualTo(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
        assertThat(run(0x03, 0, 0, 0, 18, 0).data())
                .isEqualTo(bytes(0x70, 0, 5, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x21, 0, 0, 0, 0, 0));
        // Cleared by the REQUEST SENSE that returned it.
        assertThat(run(0x03, 0, 0, 0, 18, 0).data())
                .isEqualTo(bytes(0x70, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        run(0x28, 0, 0, 0, 0x08, 0, 0, 0, 1, 0);
        assertThat(run(0x03, 1, 0, 0, 252, 0).data()).isEqualTo(bytes(0x72, 5, 0x21, 0, 0, 0, 0, 0));
        // A GOOD command clears the sense too.
        run(0x28, 0, 0, 0, 0x08, 0, 0, 0, 1, 0);
        run(0x00, 0, 0, 0, 0, 0);
        assertThat(run(0x03, 0, 0, 0, 18, 0).data()[2]).isZero();
        // The allocation length cuts the data.
        run(0x28, 0, 0, 0, 0x08, 0, 0, 0, 1, 0);
        assertThat(run(0x03, 0, 0, 0, 8, 0).data()).isEqualTo(bytes(0x70, 0, 5, 0, 0, 0, 0, 10));
    }

    @Test
    void unknownOpcodeIsInvalidCommandOperationCode() {
        clearUnitAttention();
        for (int op : new int[] {0x42, 0x04, 0x15, 0xA8, 0xFF}) {
            Outcome r = run(op, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            assertThat(r.sense()).as("opcode %02X", op).isEqualTo(Sense.of(0x5, 0x20, 0x00));
        }
        assertThat(Sense.INVALID_COMMAND_OPERATION_CODE.fixed())
                .isEqualTo(bytes(0x70, 0, 5, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0));
    }

    @Test
    void standardInquiry() {
        Outcome r = run(0x12, 0, 0, 0, 96, 0);
        byte[] d = r.data();
        assertThat(d).hasSize(36);
        assertThat(d[0]).isZero(); // connected direct-access device
        assertThat(d[1]).isZero(); // not removable
        assertThat(d[2]).isEqualTo((byte) 5);
        assertThat(d[3]).isEqualTo((byte) 0x12);
        assertThat(d[4]).isEqualTo((byte) 31);
        assertThat(new String(d, 8, 28, StandardCharsets.US_ASCII)).isEqualTo("QEMU    QEMU HARDDISK   2.5+");
        assertThat(run(0x12, 0, 0, 0, 5, 0).data()).hasSize(5);
        ScsiDisk sat = new ScsiDisk(new AtaDisk(backend, new AtaIdentity("WDC WD5000AAKS-00V1A0", "WD-1234", "05.01D05"),
                Medium.PERFECT), InquiryIdentity.sat(new AtaIdentity("WDC WD5000AAKS-00V1A0", "WD-1234", "05.01D05")), true);
        byte[] s = run(sat.submit(bytes(0x12, 0, 0, 0, 36, 0))).data();
        assertThat(s[1]).isEqualTo((byte) 0x80);
        assertThat(new String(s, 8, 28, StandardCharsets.US_ASCII)).isEqualTo("ATA     WDC WD5000AAKS-01D05");
    }

    @Test
    void inquiryVpdPages() {
        assertThat(run(0x12, 1, 0x00, 0, 255, 0).data()).isEqualTo(bytes(0, 0, 0, 3, 0x00, 0x80, 0x83));
        byte[] serial = run(0x12, 1, 0x80, 0, 255, 0).data();
        assertThat(Arrays.copyOf(serial, 4)).isEqualTo(bytes(0, 0x80, 0, 7));
        assertThat(new String(serial, 4, 7, StandardCharsets.US_ASCII)).isEqualTo("QM00001");
        byte[] id = run(0x12, 1, 0x83, 0, 255, 0).data();
        assertThat(Arrays.copyOf(id, 8)).isEqualTo(bytes(0, 0x83, 0, 72, 0x02, 0x01, 0, 68));
        assertThat(new String(id, 8, 68, StandardCharsets.US_ASCII))
                .isEqualTo(String.format("%-8s%-40s%-20s", "QEMU", "QEMU HARDDISK", "QM00001"));
        assertThat(run(0x12, 1, 0x81, 0, 255, 0).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB);
        assertThat(run(0x12, 1, 0xB0, 0, 255, 0).sense()).isEqualTo(Sense.of(5, 0x24, 0));
        assertThat(run(0x12, 0, 0x80, 0, 255, 0).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB); // page without EVPD
        assertThat(run(0x12, 2, 0, 0, 255, 0).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB); // CMDDT
    }

    @Test
    void readCapacity10And16() {
        clearUnitAttention();
        assertThat(run(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0).data()).isEqualTo(bytes(0, 0, 0x07, 0xFF, 0, 0, 2, 0));
        assertThat(run(0x25, 0, 0, 0, 0, 1, 0, 0, 0, 0).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB); // LBA without PMI
        byte[] rc16 = run(0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0).data();
        assertThat(rc16).hasSize(32);
        assertThat(Arrays.copyOf(rc16, 12)).isEqualTo(bytes(0, 0, 0, 0, 0, 0, 0x07, 0xFF, 0, 0, 2, 0));
        assertThat(run(0x9E, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB);

        BlockBackend huge = new BlockBackend() { // 2^33 sectors: 4 TiB
            public int sectorSize() { return 512; }
            public long sectorCount() { return 1L << 33; }
            public boolean readOnly() { return false; }
            public void read(long lba, int n, byte[] dst, int off) { }
            public void write(long lba, int n, byte[] src, int off) { }
            public void flush() { }
            public void close() { }
        };
        ScsiDisk big = new ScsiDisk(new AtaDisk(huge));
        run(big.submit(bytes(0, 0, 0, 0, 0, 0)));
        assertThat(run(big.submit(bytes(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0))).data()).isEqualTo(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 2, 0));
        assertThat(Arrays.copyOf(run(big.submit(bytes(0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0))).data(), 8))
                .isEqualTo(bytes(0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF));
    }

    @Test
    void readAndWriteIn6And10And16() {
        clearUnitAttention();
        byte[] a = pattern(3, 1);
        assertThat(write(disk, bytes(0x0A, 0, 0, 10, 3, 0), a).good()).isTrue(); // WRITE(6) LBA 10
        assertThat(run(0x28, 0, 0, 0, 0, 10, 0, 0, 3, 0).data()).isEqualTo(a); // READ(10)
        byte[] b = pattern(300, 2); // more than one 128-sector chunk
        assertThat(write(disk, bytes(0x8A, 0, 0, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0x01, 0x2C, 0, 0), b).good()).isTrue(); // WRITE(16) LBA 1024
        assertThat(run(0x88, 0, 0, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0x01, 0x2C, 0, 0).data()).isEqualTo(b);
        byte[] viaBackend = new byte[300 * 512];
        backend.read(1024, 300, viaBackend, 0);
        assertThat(viaBackend).isEqualTo(b);
        assertThat(write(disk, bytes(0x2A, 0x08, 0, 0, 0, 20, 0, 0, 1, 0), pattern(1, 3)).good()).isTrue(); // WRITE(10) FUA
        assertThat(run(0x08, 0, 0, 20, 1, 0).data()).isEqualTo(pattern(1, 3)); // READ(6)
        // READ(6) with transfer length 0 reads 256 blocks; READ(10) with 0 reads none.
        ScsiTask six = disk.submit(bytes(0x08, 0, 0, 0, 0, 0));
        assertThat(six.length()).isEqualTo(256 * 512);
        six.abort();
        Outcome none = run(0x28, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(none.data()).isEmpty();
        assertThat(none.result().good()).isTrue();
    }

    @Test
    void lbasBeyond32BitsReachTheAtaDiskWhole() {
        long[] seen = new long[2];
        BlockBackend huge = new BlockBackend() { // 2^33 sectors
            public int sectorSize() { return 512; }
            public long sectorCount() { return 1L << 33; }
            public boolean readOnly() { return false; }
            public void read(long lba, int n, byte[] dst, int off) {
                seen[0] = lba;
                seen[1] = n;
                Arrays.fill(dst, off, off + n * 512, (byte) 0x3C);
            }
            public void write(long lba, int n, byte[] src, int off) { }
            public void flush() { }
            public void close() { }
        };
        ScsiDisk big = new ScsiDisk(new AtaDisk(huge));
        run(big.submit(bytes(0, 0, 0, 0, 0, 0)));
        // READ(16) of 2 blocks at LBA 1_2345_6789h.
        Outcome r = run(big.submit(bytes(0x88, 0, 0, 0, 0, 1, 0x23, 0x45, 0x67, 0x89, 0, 0, 0, 2, 0, 0)));
        assertThat(r.result().good()).isTrue();
        assertThat(r.data()).hasSize(1024).containsOnly(0x3C);
        assertThat(seen).containsExactly(0x1_2345_6789L, 2);
        assertThat(run(big.submit(bytes(0x88, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0))).sense())
                .isEqualTo(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
    }

    @Test
    void write6WithLengthZeroWrites256Blocks() {
        clearUnitAttention();
        ScsiTask t = disk.submit(bytes(0x0A, 0, 0, 0, 0, 0));
        assertThat(t.direction()).isEqualTo(ScsiTask.Direction.OUT);
        assertThat(t.length()).isEqualTo(256 * 512);
        byte[] data = pattern(256, 7);
        assertThat(t.writeData(data, 0, data.length)).isEqualTo(data.length);
        assertThat(t.complete().good()).isTrue();
        byte[] got = new byte[data.length];
        backend.read(0, 256, got, 0);
        assertThat(got).isEqualTo(data);
    }

    @Test
    void lbaOutOfRange() {
        clearUnitAttention();
        assertThat(run(0x28, 0, 0, 0, 0x07, 0xFF, 0, 0, 2, 0).sense()).isEqualTo(Sense.of(5, 0x21, 0)); // 2047 + 2
        assertThat(run(0x28, 0, 0, 0, 0x07, 0xFF, 0, 0, 1, 0).result().good()).isTrue();
        assertThat(run(0x88, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0, 0).sense())
                .isEqualTo(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
        assertThat(write(disk, bytes(0x2A, 0, 0, 0, 0x08, 0, 0, 0, 1, 0), new byte[512]).sense())
                .isEqualTo(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
        assertThat(run(0x2F, 0, 0, 0, 0x08, 0, 0, 0, 1, 0).sense()).isEqualTo(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
        assertThat(run(0x35, 0, 0, 0, 0x08, 1, 0, 0, 0, 0).sense()).isEqualTo(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
        assertThat(run(0x28, 0x20, 0, 0, 0, 0, 0, 0, 1, 0).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB); // RDPROTECT
    }

    @Test
    void writeToReadOnlyUnitIsDataProtect() {
        ScsiDisk ro = new ScsiDisk(new AtaDisk(new MemoryBackend(16, true)));
        run(ro.submit(bytes(0, 0, 0, 0, 0, 0)));
        Outcome r = run(ro.submit(bytes(0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0)));
        assertThat(r.sense()).isEqualTo(Sense.of(0x7, 0x27, 0x00));
        assertThat(r.sense().fixed()).isEqualTo(bytes(0x70, 0, 7, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x27, 0, 0, 0, 0, 0));
        assertThat(run(ro.submit(bytes(0x0A, 0, 0, 0, 1, 0))).sense()).isEqualTo(Sense.WRITE_PROTECTED);
        // MODE SENSE(6) header: DEVICE-SPECIFIC PARAMETER bit 7.
        assertThat(run(ro.submit(bytes(0x1A, 0x08, 0x3F, 0, 255, 0))).data()[2]).isEqualTo((byte) 0x80);
        clearUnitAttention();
        assertThat(run(0x1A, 0x08, 0x3F, 0, 255, 0).data()[2]).isZero();
    }

    @Test
    void mediumErrorCarriesTheFailingLba() {
        backend.load(10, pattern(8, 9));
        Medium bad = (lba, n, write) -> lba <= 13 && 13 < lba + n
                ? Medium.Check.failsAfter((int) (13 - lba), Medium.Failure.UNCORRECTABLE, 0) : Medium.Check.ALL_GOOD;
        ScsiDisk d = new ScsiDisk(new AtaDisk(backend, AtaIdentity.qemu(), bad));
        run(d.submit(bytes(0, 0, 0, 0, 0, 0)));
        Outcome r = run(d.submit(bytes(0x28, 0, 0, 0, 0, 10, 0, 0, 8, 0)));
        assertThat(r.data()).isEqualTo(Arrays.copyOf(pattern(8, 9), 3 * 512));
        assertThat(r.sense()).isEqualTo(Sense.UNRECOVERED_READ_ERROR.withInformation(13));
        assertThat(run(d.submit(bytes(0x03, 0, 0, 0, 18, 0))).data())
                .isEqualTo(bytes(0xF0, 0, 3, 0, 0, 0, 13, 10, 0, 0, 0, 0, 0x11, 0, 0, 0, 0, 0));
        run(d.submit(bytes(0x2F, 0, 0, 0, 0, 0, 0, 0, 20, 0))); // VERIFY(10) over LBA 0-19
        assertThat(run(d.submit(bytes(0x03, 1, 0, 0, 252, 0))).data())
                .isEqualTo(bytes(0x72, 3, 0x11, 0, 0, 0, 0, 12, 0, 0x0A, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 13));
        assertThat(run(d.submit(bytes(0x2F, 0, 0, 0, 0, 14, 0, 0, 20, 0))).result().good()).isTrue();
        assertThat(run(d.submit(bytes(0x2F, 0x02, 0, 0, 0, 14, 0, 0, 1, 0))).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB); // BYTCHK
    }

    @Test
    void informationBeyond32BitsClearsValidInFixedFormat() {
        byte[] f = Sense.UNRECOVERED_READ_ERROR.withInformation(1L << 32).fixed();
        assertThat(f[0]).isEqualTo((byte) 0x70);
        assertThat(Arrays.copyOfRange(f, 3, 7)).containsOnly(0);
        byte[] d = Sense.UNRECOVERED_READ_ERROR.withInformation(1L << 32).descriptor();
        assertThat(Arrays.copyOfRange(d, 12, 20)).isEqualTo(bytes(0, 0, 0, 1, 0, 0, 0, 0));
    }

    @Test
    void modeSensePages() {
        clearUnitAttention();
        byte[] all = run(0x1A, 0, 0x3F, 0, 255, 0).data();
        // Header (4) + block descriptor (8) + 01h (12) + 08h (20) + 0Ah (12).
        assertThat(all).hasSize(4 + 8 + 12 + 20 + 12);
        assertThat(all[0] & 0xFF).isEqualTo(all.length - 1);
        assertThat(all[3]).isEqualTo((byte) 8);
        assertThat(Arrays.copyOfRange(all, 4, 12)).isEqualTo(bytes(0, 0, 0x08, 0x00, 0, 0, 2, 0));
        assertThat(Arrays.copyOfRange(all, 12, 14)).isEqualTo(bytes(0x01, 0x0A));
        assertThat(Arrays.copyOfRange(all, 24, 27)).isEqualTo(bytes(0x08, 0x12, 0x04)); // WCE
        assertThat(Arrays.copyOfRange(all, 44, 47)).isEqualTo(bytes(0x0A, 0x0A, 0x02));
        // DBD, one page, MODE SENSE(10).
        byte[] caching = run(0x5A, 0x08, 0x08, 0, 0, 0, 0, 0, 255, 0).data();
        assertThat(caching).hasSize(8 + 20);
        assertThat(Arrays.copyOf(caching, 8)).isEqualTo(bytes(0, 26, 0, 0, 0, 0, 0, 0));
        assertThat(run(0x1A, 0x08, 0x0A, 0, 255, 0).data()).hasSize(4 + 12);
        // Page control: changeable values are zero, saved values are refused.
        assertThat(run(0x1A, 0x08, 0x48, 0, 255, 0).data()[6]).isZero();
        assertThat(run(0x1A, 0x08, 0xC8, 0, 255, 0).sense()).isEqualTo(Sense.of(5, 0x39, 0));
        assertThat(run(0x1A, 0x08, 0x1C, 0, 255, 0).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB);
        assertThat(run(0x1A, 0x08, 0x08, 0x01, 255, 0).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB);
        assertThat(run(0x1A, 0x08, 0x3F, 0xFF, 255, 0).result().good()).isTrue();
        // Allocation length cuts; the MODE DATA LENGTH still tells the whole.
        byte[] cut = run(0x1A, 0, 0x3F, 0, 4, 0).data();
        assertThat(cut).hasSize(4);
        assertThat(cut[0] & 0xFF).isEqualTo(all.length - 1);
    }

    @Test
    void cachingPageFollowsTheAtaWriteCache() {
        clearUnitAttention();
        disk.ataDisk().execute(brassboard.devices.storage.ata.TaskFile.of(
                brassboard.devices.storage.ata.AtaCommand.SET_FEATURES, 0x82, 0, 0), null, 0);
        disk.ataDisk().execute(brassboard.devices.storage.ata.TaskFile.of(
                brassboard.devices.storage.ata.AtaCommand.SET_FEATURES, 0x55, 0, 0), null, 0);
        byte[] caching = run(0x1A, 0x08, 0x08, 0, 255, 0).data();
        assertThat(caching[4 + 2]).isZero(); // WCE clear
        assertThat(caching[4 + 12]).isEqualTo((byte) 0x20); // DRA set
    }

    @Test
    void startStopUnitSetsTheAtaPowerMode() {
        clearUnitAttention();
        assertThat(run(0x1B, 0, 0, 0, 0x00, 0).result().good()).isTrue();
        assertThat(disk.ataDisk().powerMode()).isEqualTo(AtaDisk.PowerMode.STANDBY);
        assertThat(run(0x1B, 0, 0, 0, 0x01, 0).result().good()).isTrue();
        assertThat(disk.ataDisk().powerMode()).isEqualTo(AtaDisk.PowerMode.IDLE);
        assertThat(run(0x1B, 0, 0, 0, 0x30, 0).result().good()).isTrue();
        assertThat(disk.ataDisk().powerMode()).isEqualTo(AtaDisk.PowerMode.STANDBY);
        assertThat(run(0x1B, 0, 0, 0, 0x50, 0).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB);
        // A stopped unit still reads.
        assertThat(run(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0).result().good()).isTrue();
    }

    @Test
    void preventAllowAndSynchronizeCache() {
        clearUnitAttention();
        assertThat(run(0x1E, 0, 0, 0, 1, 0).result().good()).isTrue();
        assertThat(disk.removalPrevented()).isTrue();
        assertThat(run(0x1E, 0, 0, 0, 0, 0).result().good()).isTrue();
        assertThat(disk.removalPrevented()).isFalse();
        assertThat(run(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0).result().good()).isTrue();
        assertThat(run(0x91, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0, 0, 0).result().good()).isTrue();
    }

    @Test
    void reportLunsAndMissingLuns() {
        ScsiDisk second = new ScsiDisk(new AtaDisk(new MemoryBackend(8)));
        ScsiTarget target = new ScsiTarget(List.of(disk, second));
        byte[] luns = run(target.submit(1, bytes(0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0))).data();
        assertThat(luns).isEqualTo(bytes(0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0));
        assertThat(run(target.submit(0, bytes(0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 15, 0, 0))).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB);
        assertThat(run(target.submit(0, bytes(0xA0, 0, 3, 0, 0, 0, 0, 0, 1, 0, 0, 0))).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB);
        assertThat(run(target.submit(5, bytes(0x12, 0, 0, 0, 36, 0))).data()[0]).isEqualTo((byte) 0x7F);
        assertThat(run(target.submit(5, bytes(0x00, 0, 0, 0, 0, 0))).sense()).isEqualTo(Sense.of(5, 0x25, 0));
        assertThat(run(target.submit(5, bytes(0x03, 0, 0, 0, 18, 0))).data()[12]).isEqualTo((byte) 0x25);
        assertThat(target.lunCount()).isEqualTo(2);
        // Each LUN keeps its own unit attention.
        assertThat(run(target.submit(1, bytes(0, 0, 0, 0, 0, 0))).sense().key()).isEqualTo(Sense.KEY_UNIT_ATTENTION);
        assertThat(disk.unitAttention()).isNotNull();
    }

    @Test
    void scsi2LunFieldAsUBootFillsItIsAcceptedOnItsOwnLun() {
        ScsiDisk second = new ScsiDisk(new AtaDisk(new MemoryBackend(8)));
        ScsiTarget target = new ScsiTarget(List.of(disk, second));
        run(target.submit(1, bytes(0, 0x20, 0, 0, 0, 0)));
        run(target.submit(0, bytes(0, 0, 0, 0, 0, 0)));
        assertThat(run(target.submit(1, bytes(0x28, 0x20, 0, 0, 0, 0, 0, 0, 1, 0))).result().good()).isTrue();
        assertThat(run(target.submit(1, bytes(0x12, 0x20, 0, 0, 36, 0))).data()).hasSize(36);
        assertThat(run(target.submit(1, bytes(0x28, 0x40, 0, 0, 0, 0, 0, 0, 1, 0))).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB);
        assertThat(run(target.submit(0, bytes(0x28, 0x20, 0, 0, 0, 0, 0, 0, 1, 0))).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB);
        assertThat(run(target.submit(0, bytes(0x2F, 0x20, 0, 0, 0, 0, 0, 0, 1, 0))).sense()).isEqualTo(Sense.INVALID_FIELD_IN_CDB);
    }

    @Test
    void writeCutShortKeepsWholeSectorsAndReportsADataPhaseError() {
        clearUnitAttention();
        ScsiTask t = disk.submit(bytes(0x2A, 0, 0, 0, 0, 40, 0, 0, 4, 0));
        assertThat(t.direction()).isEqualTo(ScsiTask.Direction.OUT);
        assertThat(t.length()).isEqualTo(2048);
        assertThat(t.writeData(pattern(2, 4), 0, 700)).isEqualTo(700);
        ScsiResult r = t.complete();
        assertThat(r.sense()).isEqualTo(Sense.DATA_PHASE_ERROR);
        byte[] got = new byte[1024];
        backend.read(40, 2, got, 0);
        assertThat(Arrays.copyOf(got, 512)).isEqualTo(Arrays.copyOf(pattern(2, 4), 512));
        assertThat(Arrays.copyOfRange(got, 512, 1024)).containsOnly(0);
    }

    @Test
    void abortedWriteWritesNothingAndRecordsNothing() {
        clearUnitAttention();
        ScsiTask t = disk.submit(bytes(0x2A, 0, 0, 0, 0, 50, 0, 0, 1, 0));
        t.writeData(pattern(1, 5), 0, 511);
        t.abort();
        byte[] got = new byte[512];
        backend.read(50, 1, got, 0);
        assertThat(got).containsOnly(0);
        assertThat(disk.storedSense()).isNotNull(); // the unit attention's sense, untouched by the abort
    }
}
