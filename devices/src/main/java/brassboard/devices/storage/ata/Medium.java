package brassboard.devices.storage.ata;

/**
 * The platters under the disk's electronics: asked before every sector access whether the sectors
 * can be read or written, and how long that takes. {@link #PERFECT} is a medium where every sector
 * works at once. A fault model (bad-sector ranges, retry time, pending sectors that grow and get
 * reallocated) implements this interface; the disk turns a failure into the ATA error outputs
 * (ERR with UNC or IDNF, the failing LBA) and SMART reports the counters.
 */
public interface Medium {

    /** Every sector readable and writable, no retries, no defects. */
    Medium PERFECT = (lba, sectors, write) -> Check.ALL_GOOD;

    /** A sector that could not be transferred. */
    enum Failure {
        /** The data could not be recovered (ERROR.UNC). */
        UNCORRECTABLE,
        /** The sector could not be found (ERROR.IDNF). */
        ID_NOT_FOUND,
        /** The sector could not be written nor remapped to a spare (STATUS.DF, ERROR.ABRT). */
        WRITE_FAULT
    }

    /**
     * The outcome of an access to {@code sectors} sectors from {@code lba}: the first {@code good}
     * sectors transfer; if {@code good < sectors}, sector {@code lba + good} fails with
     * {@code failure}. {@code busyNs} is the virtual time the access costs beyond an instant one.
     */
    record Check(int good, Failure failure, long busyNs) {
        /** Nothing fails, nothing takes time. */
        public static final Check ALL_GOOD = new Check(Integer.MAX_VALUE, null, 0);

        /** The first {@code good} sectors transfer, the next one fails with {@code failure}. */
        public static Check failsAfter(int good, Failure failure, long busyNs) {
            return new Check(good, failure, busyNs);
        }
    }

    /** Checks an access to {@code sectors} sectors from {@code lba} (a write when {@code write}). */
    Check check(long lba, int sectors, boolean write);

    /** SMART attribute 5's raw value: sectors the drive has reallocated. */
    default long reallocatedSectors() {
        return 0;
    }

    /** SMART attribute 197's raw value: unstable sectors waiting to be remapped. */
    default long currentPendingSectors() {
        return 0;
    }

    /** SMART attribute 198's raw value: uncorrectable sectors found by off-line scans. */
    default long offlineUncorrectable() {
        return 0;
    }
}
