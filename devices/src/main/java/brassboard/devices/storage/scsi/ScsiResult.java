package brassboard.devices.storage.scsi;

/** How a command ended: its status, and the sense data when the status is CHECK CONDITION. */
public record ScsiResult(ScsiStatus status, Sense sense) {
    /** GOOD status. */
    public static final ScsiResult GOOD = new ScsiResult(ScsiStatus.GOOD, null);

    /** BUSY: the logical unit cannot take the command now (SAM-5 §5.3.1); no sense. */
    public static final ScsiResult BUSY = new ScsiResult(ScsiStatus.BUSY, null);

    /** CHECK CONDITION with {@code sense}. */
    public static ScsiResult check(Sense sense) {
        return new ScsiResult(ScsiStatus.CHECK_CONDITION, sense);
    }

    /** Whether the status is GOOD. */
    public boolean good() {
        return status == ScsiStatus.GOOD;
    }
}
