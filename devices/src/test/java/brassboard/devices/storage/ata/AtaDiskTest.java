package brassboard.devices.storage.ata;

import static brassboard.devices.storage.ata.AtaResult.*;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.devices.storage.api.BlockBackend;
import brassboard.devices.storage.block.MemoryBackend;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Command-level tests of the ATA disk: task file in, registers and data out, as ATA8-ACS specifies. */
class AtaDiskTest {
    private final MemoryBackend backend = new MemoryBackend(1024);
    private final AtaDisk disk = new AtaDisk(backend);

    private static int word(byte[] page, int w) {
        return (page[2 * w] & 0xFF) | (page[2 * w + 1] & 0xFF) << 8;
    }

    private static byte[] pattern(int sectors, int seed) {
        byte[] b = new byte[sectors * 512];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed + i * 13 + i / 512);
        }
        return b;
    }

    /** A backend that holds no data, only a size (for capacity words beyond memory's reach). */
    private static BlockBackend sized(long sectors) {
        return new BlockBackend() {
            public int sectorSize() { return 512; }
            public long sectorCount() { return sectors; }
            public boolean readOnly() { return false; }
            public void read(long lba, int n, byte[] dst, int off) { }
            public void write(long lba, int n, byte[] src, int off) { }
            public void flush() { }
            public void close() { }
        };
    }

    private byte[] identify(AtaDisk d) {
        byte[] page = new byte[512];
        AtaResult r = d.execute(TaskFile.of(AtaCommand.IDENTIFY_DEVICE, 0, 0, 0), page, 0);
        assertThat(r.ok()).isTrue();
        assertThat(r.transferred()).isEqualTo(512);
        assertThat(r.status()).isEqualTo(0x50);
        return page;
    }

    @Test
    void identifyStringsAreByteSwappedAsAtaDoes() {
        byte[] page = identify(new AtaDisk(backend, new AtaIdentity("BRASS DISK", "SN123", "1.0"), Medium.PERFECT));
        // Word 27 holds 'B' in its high byte and 'R' in its low byte: bytes 54, 55 = 'R', 'B'.
        assertThat(word(page, 27)).isEqualTo('B' << 8 | 'R');
        assertThat((char) page[54]).isEqualTo('R');
        assertThat((char) page[55]).isEqualTo('B');
        assertThat(IdentifyDevice.string(page, 0, 27, 40)).isEqualTo(String.format("%-40s", "BRASS DISK"));
        assertThat(IdentifyDevice.string(page, 0, 10, 20)).isEqualTo(String.format("%-20s", "SN123"));
        assertThat(IdentifyDevice.string(page, 0, 23, 8)).isEqualTo("1.0     ");
    }

    @Test
    void identifyCapacityWordsAndChecksum() {
        long sectors = 0x1_2345_6789L; // beyond 28 bits: words 60-61 saturate, 100-103 hold it all
        byte[] page = identify(new AtaDisk(sized(sectors)));
        assertThat(word(page, 60) | word(page, 61) << 16).isEqualTo(0x0FFF_FFFF);
        assertThat(word(page, 100)).isEqualTo(0x6789);
        assertThat(word(page, 101)).isEqualTo(0x2345);
        assertThat(word(page, 102)).isEqualTo(0x0001);
        assertThat(word(page, 103)).isZero();
        int sum = 0;
        for (byte b : page) {
            sum += b & 0xFF;
        }
        assertThat(sum & 0xFF).as("all 512 bytes sum to zero").isZero();
        assertThat(word(page, 255) & 0xFF).isEqualTo(0xA5);

        byte[] small = identify(disk);
        assertThat(word(small, 60) | word(small, 61) << 16).isEqualTo(1024);
        assertThat(word(small, 100)).isEqualTo(1024);
    }

    @Test
    void identifyFeatureWordsFollowSettings() {
        byte[] page = identify(disk);
        assertThat(word(page, 0)).isEqualTo(0x0040);
        assertThat(word(page, 49) & 0x0300).isEqualTo(0x0300); // LBA and DMA
        assertThat(word(page, 82)).isEqualTo(0x0069); // SMART, PM, write cache, look-ahead
        assertThat(word(page, 83)).isEqualTo(0x7400); // valid, FLUSH CACHE EXT, FLUSH CACHE, 48-bit
        assertThat(word(page, 84)).isEqualTo(0x4000);
        assertThat(word(page, 85)).isEqualTo(0x0069);
        assertThat(word(page, 86)).isEqualTo(0x3400);
        assertThat(word(page, 88)).isEqualTo(0x203F); // UDMA 0-5 supported, 5 selected
        assertThat(word(page, 80) & (1 << 8)).as("ATA8-ACS").isNotZero();

        assertThat(disk.execute(TaskFile.of(AtaCommand.SET_FEATURES, 0x82, 0, 0), null, 0).ok()).isTrue();
        assertThat(disk.execute(TaskFile.of(AtaCommand.SET_FEATURES, 0x55, 0, 0), null, 0).ok()).isTrue();
        assertThat(disk.execute(TaskFile.of(AtaCommand.SET_FEATURES, 0x03, 0x42, 0), null, 0).ok()).isTrue(); // UDMA 2
        page = identify(disk);
        assertThat(word(page, 85)).isEqualTo(0x0009);
        assertThat(word(page, 88)).isEqualTo(0x043F);
        assertThat(disk.writeCacheEnabled()).isFalse();
        assertThat(disk.lookAheadEnabled()).isFalse();
    }

    @Test
    void setFeaturesAbortsWhatItDoesNotKnow() {
        AtaResult r = disk.execute(TaskFile.of(AtaCommand.SET_FEATURES, 0x99, 0, 0), null, 0);
        assertThat(r.status()).isEqualTo(0x51);
        assertThat(r.error()).isEqualTo(ERROR_ABRT);
        assertThat(disk.execute(TaskFile.of(AtaCommand.SET_FEATURES, 0x03, 0x46, 0), null, 0).hasError(ERROR_ABRT)).isTrue(); // UDMA 6
    }

    @Test
    void unknownOpcodeIsAborted() {
        AtaResult r = disk.execute(new TaskFile(0, 0, 0, 0x40, 0x91), null, 0);
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).isEqualTo(ERROR_ABRT);
        assertThat(AtaDisk.dataBytes(new TaskFile(0, 0, 0, 0x40, 0x91))).isZero();
    }

    @Test
    void readAndWriteInLba28AndLba48() {
        byte[] data = pattern(3, 1);
        assertThat(disk.execute(TaskFile.lba28(AtaCommand.WRITE_SECTORS, 100, 3), data, 0).ok()).isTrue();
        byte[] back = new byte[3 * 512];
        AtaResult r = disk.execute(TaskFile.lba48(AtaCommand.READ_DMA_EXT, 100, 3), back, 0);
        assertThat(r.ok()).isTrue();
        assertThat(r.transferred()).isEqualTo(1536);
        assertThat(back).isEqualTo(data);

        byte[] more = pattern(2, 77);
        assertThat(disk.execute(TaskFile.lba48(AtaCommand.WRITE_DMA_EXT, 1022, 2), more, 0).ok()).isTrue();
        byte[] tail = new byte[1024];
        assertThat(disk.execute(TaskFile.lba28(AtaCommand.READ_DMA, 1022, 2), tail, 0).ok()).isTrue();
        assertThat(tail).isEqualTo(more);
        byte[] viaBackend = new byte[1024];
        backend.read(1022, 2, viaBackend, 0);
        assertThat(viaBackend).isEqualTo(more);
    }

    @Test
    void readWriteMultipleNeedSetMultipleMode() {
        byte[] data = pattern(4, 21);
        assertThat(disk.execute(TaskFile.lba28(AtaCommand.WRITE_MULTIPLE, 50, 4), data, 0).hasError(ERROR_ABRT)).isTrue();
        assertThat(word(identify(disk), 47)).isEqualTo(0x8010);
        assertThat(word(identify(disk), 59)).isZero();
        assertThat(disk.execute(TaskFile.of(AtaCommand.SET_MULTIPLE_MODE, 0, 3, 0), null, 0).hasError(ERROR_ABRT)).isTrue();
        assertThat(disk.execute(TaskFile.of(AtaCommand.SET_MULTIPLE_MODE, 0, 32, 0), null, 0).hasError(ERROR_ABRT)).isTrue();
        assertThat(disk.execute(TaskFile.of(AtaCommand.SET_MULTIPLE_MODE, 0, 8, 0), null, 0).ok()).isTrue();
        assertThat(word(identify(disk), 59)).isEqualTo(0x0108);
        assertThat(disk.execute(TaskFile.lba28(AtaCommand.WRITE_MULTIPLE, 50, 4), data, 0).ok()).isTrue();
        byte[] back = new byte[4 * 512];
        assertThat(disk.execute(TaskFile.lba48(AtaCommand.READ_MULTIPLE_EXT, 50, 4), back, 0).ok()).isTrue();
        assertThat(back).isEqualTo(data);
        assertThat(AtaDisk.dataBytes(TaskFile.lba48(AtaCommand.WRITE_MULTIPLE_EXT, 0, 3))).isEqualTo(1536);
    }

    @Test
    void countZeroMeans256Or65536Sectors() {
        assertThat(AtaDisk.dataBytes(TaskFile.lba28(AtaCommand.READ_SECTORS, 0, 0))).isEqualTo(256 * 512);
        assertThat(AtaDisk.dataBytes(TaskFile.lba48(AtaCommand.READ_SECTORS_EXT, 0, 0))).isEqualTo(65_536 * 512);
        byte[] all = new byte[256 * 512];
        assertThat(disk.execute(TaskFile.lba28(AtaCommand.READ_SECTORS, 0, 0), all, 0).transferred()).isEqualTo(256 * 512);
    }

    @Test
    void lba28AddressUsesDeviceBits() {
        TaskFile tf = TaskFile.lba28(AtaCommand.READ_SECTORS, 0x0ABC_DEF1L, 1);
        assertThat(tf.device()).isEqualTo(0x4A);
        assertThat(tf.lba()).isEqualTo(0xBC_DEF1L);
        assertThat(tf.lba28()).isEqualTo(0x0ABC_DEF1L);
        // Without the LBA bit (CHS addressing) the command is aborted.
        AtaResult r = disk.execute(new TaskFile(0, 1, 5, 0x00, 0x20), new byte[512], 0);
        assertThat(r.hasError(ERROR_ABRT)).isTrue();
    }

    @Test
    void addressBeyondTheMediumIsIdnf() {
        AtaResult r = disk.execute(TaskFile.lba48(AtaCommand.READ_SECTORS_EXT, 1023, 2), new byte[1024], 0);
        assertThat(r.status()).isEqualTo(STATUS_DRDY | STATUS_DSC | STATUS_ERR);
        assertThat(r.error()).isEqualTo(ERROR_IDNF);
        assertThat(r.lba()).isEqualTo(1023);
        assertThat(r.transferred()).isZero();
        assertThat(disk.execute(TaskFile.lba48(AtaCommand.READ_VERIFY_SECTORS_EXT, 1024, 1), null, 0).hasError(ERROR_IDNF)).isTrue();
        assertThat(disk.execute(TaskFile.lba48(AtaCommand.READ_VERIFY_SECTORS_EXT, 1000, 24), null, 0).ok()).isTrue();
    }

    @Test
    void writeToReadOnlyBackendIsAborted() {
        AtaDisk ro = new AtaDisk(new MemoryBackend(8, true));
        AtaResult r = ro.execute(TaskFile.lba48(AtaCommand.WRITE_SECTORS_EXT, 0, 1), new byte[512], 0);
        assertThat(r.hasError(ERROR_ABRT)).isTrue();
        assertThat(ro.readOnly()).isTrue();
    }

    @Test
    void mediumFailureStopsAtTheFailingSectorWithUnc() {
        backend.load(10, pattern(8, 5));
        Medium bad = (lba, n, write) -> lba <= 13 && 13 < lba + n
                ? Medium.Check.failsAfter((int) (13 - lba), Medium.Failure.UNCORRECTABLE, 2_000_000)
                : Medium.Check.ALL_GOOD;
        AtaDisk d = new AtaDisk(backend, AtaIdentity.qemu(), bad);
        byte[] buf = new byte[8 * 512];
        AtaResult r = d.execute(TaskFile.lba48(AtaCommand.READ_DMA_EXT, 10, 8), buf, 0);
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).isEqualTo(ERROR_UNC);
        assertThat(r.lba()).isEqualTo(13);
        assertThat(r.transferred()).isEqualTo(3 * 512);
        assertThat(r.busyNs()).isEqualTo(2_000_000);
        assertThat(Arrays.copyOf(buf, 1536)).isEqualTo(Arrays.copyOf(pattern(8, 5), 1536));
        assertThat(d.execute(TaskFile.lba48(AtaCommand.READ_VERIFY_SECTORS_EXT, 12, 4), null, 0).lba()).isEqualTo(13);
        // Reads that avoid the sector are fine.
        assertThat(d.execute(TaskFile.lba48(AtaCommand.READ_DMA_EXT, 14, 4), buf, 0).ok()).isTrue();
        // Attribute 187 counted both UNC errors.
        byte[] smart = new byte[512];
        assertThat(d.execute(TaskFile.of(AtaCommand.SMART, Smart.READ_DATA, 0, 0xC24F00), smart, 0).ok()).isTrue();
        assertThat(attribute(smart, 187)).containsExactly(187, 98, 2);
    }

    @Test
    void mediumIdNotFoundIsIdnf() {
        AtaDisk d = new AtaDisk(backend, AtaIdentity.qemu(),
                (lba, n, write) -> write ? Medium.Check.failsAfter(0, Medium.Failure.ID_NOT_FOUND, 0) : Medium.Check.ALL_GOOD);
        AtaResult r = d.execute(TaskFile.lba48(AtaCommand.WRITE_DMA_EXT, 40, 1), new byte[512], 0);
        assertThat(r.error()).isEqualTo(ERROR_IDNF);
        assertThat(r.lba()).isEqualTo(40);
    }

    /** Attribute {@code id}'s (id, normalised value, raw low byte) from a SMART data page. */
    private static int[] attribute(byte[] page, int id) {
        for (int at = 2; at < 362; at += 12) {
            if ((page[at] & 0xFF) == id) {
                return new int[] {id, page[at + 3] & 0xFF, page[at + 5] & 0xFF};
            }
        }
        return new int[0];
    }

    @Test
    void smartDataHasTheAttributesAndAValidChecksum() {
        Medium worn = new Medium() {
            public Check check(long lba, int n, boolean write) { return Check.ALL_GOOD; }
            public long reallocatedSectors() { return 3; }
            public long currentPendingSectors() { return 2; }
            public long offlineUncorrectable() { return 1; }
        };
        AtaDisk d = new AtaDisk(backend, AtaIdentity.qemu(), worn);
        byte[] page = new byte[512];
        assertThat(AtaDisk.dataBytes(TaskFile.of(AtaCommand.SMART, Smart.READ_DATA, 0, 0xC24F00))).isEqualTo(512);
        assertThat(d.execute(TaskFile.of(AtaCommand.SMART, Smart.READ_DATA, 0, 0xC24F00), page, 0).ok()).isTrue();
        assertThat(word(page, 0)).isEqualTo(0x0010);
        assertThat(attribute(page, 5)).containsExactly(5, 97, 3);
        assertThat(attribute(page, 187)).containsExactly(187, 100, 0);
        assertThat(attribute(page, 197)).containsExactly(197, 98, 2);
        assertThat(attribute(page, 198)).containsExactly(198, 99, 1);
        int sum = 0;
        for (byte b : page) {
            sum += b & 0xFF;
        }
        assertThat(sum & 0xFF).isZero();

        byte[] thresholds = new byte[512];
        assertThat(d.execute(TaskFile.of(AtaCommand.SMART, Smart.READ_THRESHOLDS, 0, 0xC24F00), thresholds, 0).ok()).isTrue();
        assertThat(thresholds[2] & 0xFF).isEqualTo(5);
        assertThat(thresholds[3] & 0xFF).isEqualTo(36);
        sum = 0;
        for (byte b : thresholds) {
            sum += b & 0xFF;
        }
        assertThat(sum & 0xFF).isZero();
    }

    @Test
    void smartReturnStatusReportsThresholdExceeded() {
        AtaResult fine = disk.execute(TaskFile.of(AtaCommand.SMART, Smart.RETURN_STATUS, 0, 0xC24F00), null, 0);
        assertThat(fine.ok()).isTrue();
        assertThat((fine.lba() >> 8) & 0xFF).isEqualTo(0x4F);
        assertThat((fine.lba() >> 16) & 0xFF).isEqualTo(0xC2);
        Medium failing = new Medium() {
            public Check check(long lba, int n, boolean write) { return Check.ALL_GOOD; }
            public long reallocatedSectors() { return 70; } // normalised 30 <= threshold 36
        };
        AtaResult bad = new AtaDisk(backend, AtaIdentity.qemu(), failing)
                .execute(TaskFile.of(AtaCommand.SMART, Smart.RETURN_STATUS, 0, 0xC24F00), null, 0);
        assertThat((bad.lba() >> 8) & 0xFF).isEqualTo(0xF4);
        assertThat((bad.lba() >> 16) & 0xFF).isEqualTo(0x2C);
    }

    @Test
    void smartNeedsItsSignatureAndIsAbortedWhileDisabled() {
        assertThat(disk.execute(TaskFile.of(AtaCommand.SMART, Smart.RETURN_STATUS, 0, 0), null, 0).hasError(ERROR_ABRT)).isTrue();
        assertThat(disk.execute(TaskFile.of(AtaCommand.SMART, Smart.DISABLE_OPERATIONS, 0, 0xC24F00), null, 0).ok()).isTrue();
        assertThat(disk.smartEnabled()).isFalse();
        assertThat(word(identify(disk), 85) & 1).isZero();
        assertThat(disk.execute(TaskFile.of(AtaCommand.SMART, Smart.READ_DATA, 0, 0xC24F00), new byte[512], 0).hasError(ERROR_ABRT)).isTrue();
        assertThat(disk.execute(TaskFile.of(AtaCommand.SMART, Smart.ENABLE_OPERATIONS, 0, 0xC24F00), null, 0).ok()).isTrue();
        assertThat(disk.execute(TaskFile.of(AtaCommand.SMART, Smart.READ_DATA, 0, 0xC24F00), new byte[512], 0).ok()).isTrue();
        assertThat(disk.execute(TaskFile.of(AtaCommand.SMART, 0xEE, 0, 0xC24F00), null, 0).hasError(ERROR_ABRT)).isTrue();
    }

    @Test
    void powerModes() {
        TaskFile check = TaskFile.of(AtaCommand.CHECK_POWER_MODE, 0, 0, 0);
        assertThat(disk.execute(check, null, 0).count()).isEqualTo(0xFF);
        assertThat(disk.execute(TaskFile.of(AtaCommand.STANDBY_IMMEDIATE, 0, 0, 0), null, 0).ok()).isTrue();
        assertThat(disk.execute(check, null, 0).count()).isEqualTo(0x00);
        assertThat(disk.execute(TaskFile.of(AtaCommand.IDLE_IMMEDIATE, 0, 0, 0), null, 0).ok()).isTrue();
        assertThat(disk.execute(check, null, 0).count()).isEqualTo(0x80);
        disk.execute(TaskFile.lba48(AtaCommand.READ_SECTORS_EXT, 0, 1), new byte[512], 0);
        assertThat(disk.powerMode()).isEqualTo(AtaDisk.PowerMode.ACTIVE);
    }

    @Test
    void flushReachesTheBackendAndWritesFlushWhenTheCacheIsOff() {
        int[] flushes = {0};
        BlockBackend counting = new BlockBackend() {
            final MemoryBackend m = new MemoryBackend(16);
            public int sectorSize() { return 512; }
            public long sectorCount() { return 16; }
            public boolean readOnly() { return false; }
            public void read(long lba, int n, byte[] dst, int off) { m.read(lba, n, dst, off); }
            public void write(long lba, int n, byte[] src, int off) { m.write(lba, n, src, off); }
            public void flush() { flushes[0]++; }
            public void close() { }
        };
        AtaDisk d = new AtaDisk(counting);
        assertThat(d.execute(TaskFile.of(AtaCommand.FLUSH_CACHE_EXT, 0, 0, 0), null, 0).ok()).isTrue();
        assertThat(d.execute(TaskFile.of(AtaCommand.FLUSH_CACHE, 0, 0, 0), null, 0).ok()).isTrue();
        assertThat(flushes[0]).isEqualTo(2);
        d.execute(TaskFile.lba48(AtaCommand.WRITE_DMA_EXT, 0, 1), new byte[512], 0);
        assertThat(flushes[0]).isEqualTo(2);
        d.execute(TaskFile.of(AtaCommand.SET_FEATURES, 0x82, 0, 0), null, 0);
        assertThat(flushes[0]).isEqualTo(3);
        d.execute(TaskFile.lba48(AtaCommand.WRITE_DMA_EXT, 0, 1), new byte[512], 0);
        assertThat(flushes[0]).isEqualTo(4);
    }

    @Test
    void timingModelChargesCommandTransferAndSeek() {
        AtaDisk timed = new AtaDisk(backend, AtaIdentity.qemu(),
                (lba, n, write) -> lba == 500 ? Medium.Check.failsAfter(0, Medium.Failure.UNCORRECTABLE, 7_000) : Medium.Check.ALL_GOOD,
                new AtaTiming(1_000, 10, 100_000));
        byte[] buf = new byte[8 * 512];
        assertThat(timed.execute(TaskFile.lba48(AtaCommand.READ_DMA_EXT, 0, 8), buf, 0).busyNs()).isEqualTo(1_000 + 100_000 + 80);
        assertThat(timed.execute(TaskFile.lba48(AtaCommand.WRITE_DMA_EXT, 8, 8), buf, 0).busyNs()).isEqualTo(1_000 + 80); // sequential
        assertThat(timed.execute(TaskFile.lba48(AtaCommand.READ_VERIFY_SECTORS_EXT, 100, 4), null, 0).busyNs()).isEqualTo(1_000 + 100_000 + 40);
        assertThat(timed.execute(TaskFile.of(AtaCommand.FLUSH_CACHE_EXT, 0, 0, 0), null, 0).busyNs()).isEqualTo(1_000);
        assertThat(timed.execute(TaskFile.lba48(AtaCommand.READ_DMA_EXT, 1024, 1), buf, 0).busyNs()).isEqualTo(1_000); // refused
        // A failing sector: the medium's retry time, the seek, and the one sector tried.
        assertThat(timed.execute(TaskFile.lba48(AtaCommand.READ_DMA_EXT, 500, 2), buf, 0).busyNs()).isEqualTo(7_000 + 1_000 + 100_000 + 10);
        assertThat(disk.execute(TaskFile.lba48(AtaCommand.READ_DMA_EXT, 0, 8), buf, 0).busyNs()).isZero(); // AtaTiming.NONE
    }

    @Test
    void commandTableHasNoDuplicateOpcodes() {
        for (AtaCommand c : AtaCommand.values()) {
            assertThat(AtaCommand.forOpcode(c.opcode())).isSameAs(c);
        }
        assertThat(AtaCommand.forOpcode(-1)).isNull();
        assertThat(AtaCommand.forOpcode(0x100)).isNull();
    }
}
