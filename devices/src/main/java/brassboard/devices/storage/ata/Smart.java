package brassboard.devices.storage.ata;

/**
 * The SMART feature set (ATA8-ACS §7.52): the subcommands in FEATURE, the attribute table the disk
 * keeps, and the 512-byte data and threshold structures.
 *
 * <p>Attributes (id, name, flags, threshold): 5 Reallocated Sector Count (pre-fail, threshold 36),
 * 187 Reported Uncorrectable Errors, 197 Current Pending Sector Count, 198 Offline Uncorrectable
 * (advisory, threshold 0). Raw values come from the {@link Medium} (5, 197, 198) and from the disk's
 * own count of UNC errors reported to the host (187); the normalised value is
 * {@code max(1, 100 - raw)}, the worst value is the lowest normalised value seen.
 */
final class Smart {
    // ---- Subcommands: FEATURE values (ATA8-ACS Table 45) ----
    static final int READ_DATA = 0xD0;
    static final int READ_THRESHOLDS = 0xD1; // obsolete in ATA8-ACS, still read by smartctl
    static final int ENABLE_OPERATIONS = 0xD8;
    static final int DISABLE_OPERATIONS = 0xD9;
    static final int RETURN_STATUS = 0xDA;

    /** LBA 23:8 the host writes with every SMART command (LBA mid 4Fh, LBA high C2h). */
    static final int SIGNATURE = 0xC24F;
    /** LBA 23:8 RETURN STATUS leaves when a threshold is exceeded (LBA mid F4h, LBA high 2Ch). */
    static final int THRESHOLD_EXCEEDED = 0x2CF4;

    static final int ATTR_REALLOCATED = 5;
    static final int ATTR_REPORTED_UNCORRECTABLE = 187;
    static final int ATTR_CURRENT_PENDING = 197;
    static final int ATTR_OFFLINE_UNCORRECTABLE = 198;

    /** Attribute table: id, flags, threshold (one row per attribute). */
    private static final int[][] ATTRIBUTES = {
        {ATTR_REALLOCATED, 0x0033, 36},
        {ATTR_REPORTED_UNCORRECTABLE, 0x0032, 0},
        {ATTR_CURRENT_PENDING, 0x0012, 0},
        {ATTR_OFFLINE_UNCORRECTABLE, 0x0010, 0},
    };
    /** Data structure revision (bytes 0-1 of both structures). */
    static final int REVISION = 0x0010;
    /** Offset of the first 12-byte attribute entry. */
    static final int FIRST_ENTRY = 2;
    static final int ENTRY_SIZE = 12;
    static final int OFFLINE_STATUS = 362;
    static final int SELF_TEST_STATUS = 363;
    static final int SMART_CAPABILITY = 368;
    static final int CHECKSUM = 511;

    private final Medium medium;
    private boolean enabled = true;
    private long reportedUncorrectable;
    private final int[] worst = new int[ATTRIBUTES.length];

    Smart(Medium medium) {
        this.medium = medium;
        java.util.Arrays.fill(worst, 253);
    }

    boolean enabled() {
        return enabled;
    }

    void enable(boolean on) {
        enabled = on;
    }

    /** Counts an uncorrectable error reported to the host (attribute 187). */
    void countReportedUncorrectable() {
        reportedUncorrectable++;
    }

    long raw(int id) {
        return switch (id) {
            case ATTR_REALLOCATED -> medium.reallocatedSectors();
            case ATTR_REPORTED_UNCORRECTABLE -> reportedUncorrectable;
            case ATTR_CURRENT_PENDING -> medium.currentPendingSectors();
            case ATTR_OFFLINE_UNCORRECTABLE -> medium.offlineUncorrectable();
            default -> 0;
        };
    }

    static int normalised(long raw) {
        return (int) Math.max(1, 100 - Math.min(raw, 99));
    }

    /** Whether some attribute's normalised value is at or below its (non-zero) threshold. */
    boolean thresholdExceeded() {
        for (int[] a : ATTRIBUTES) {
            if (a[2] != 0 && normalised(raw(a[0])) <= a[2]) {
                return true;
            }
        }
        return false;
    }

    /** SMART READ DATA: the device SMART data structure (ATA8-ACS Table 46). */
    void readData(byte[] page, int offset) {
        java.util.Arrays.fill(page, offset, offset + 512, (byte) 0);
        putWord(page, offset, REVISION);
        for (int i = 0; i < ATTRIBUTES.length; i++) {
            int[] a = ATTRIBUTES[i];
            int at = offset + FIRST_ENTRY + i * ENTRY_SIZE;
            long raw = raw(a[0]);
            int value = normalised(raw);
            worst[i] = Math.min(worst[i], value);
            page[at] = (byte) a[0];
            putWord(page, at + 1, a[1]);
            page[at + 3] = (byte) value;
            page[at + 4] = (byte) worst[i];
            for (int b = 0; b < 6; b++) {
                page[at + 5 + b] = (byte) (raw >>> (8 * b));
            }
        }
        page[offset + OFFLINE_STATUS] = 0x00; // off-line data collection never started
        page[offset + SELF_TEST_STATUS] = 0x00; // last self-test completed without error (none run)
        putWord(page, offset + SMART_CAPABILITY, 0x0003); // saves data before power saving; attribute autosave
        seal(page, offset);
    }

    /** SMART READ THRESHOLDS: revision, then id and threshold per attribute entry. */
    void readThresholds(byte[] page, int offset) {
        java.util.Arrays.fill(page, offset, offset + 512, (byte) 0);
        putWord(page, offset, REVISION);
        for (int i = 0; i < ATTRIBUTES.length; i++) {
            int at = offset + FIRST_ENTRY + i * ENTRY_SIZE;
            page[at] = (byte) ATTRIBUTES[i][0];
            page[at + 1] = (byte) ATTRIBUTES[i][2];
        }
        seal(page, offset);
    }

    /** Byte 511: the two's complement of the sum of bytes 0-510 (ATA8-ACS §7.52.6.2.12). */
    static void seal(byte[] page, int offset) {
        int sum = 0;
        for (int i = 0; i < CHECKSUM; i++) {
            sum += page[offset + i] & 0xFF;
        }
        page[offset + CHECKSUM] = (byte) -sum;
    }

    private static void putWord(byte[] page, int at, int value) {
        page[at] = (byte) value;
        page[at + 1] = (byte) (value >>> 8);
    }
}
