package brassboard.devices.storage.scsi;

/** How a command ended: its status, and the sense data when the status is CHECK CONDITION. */
public record ScsiResult(ScsiStatus status, Sense sense) {
    /** GOOD status. */
    public static final ScsiResult GOOD = new ScsiResult(ScsiStatus.GOOD, null);

    /** CHECK CONDITION with {@code sense}. */
    public static ScsiResult check(Sense sense) {
        return new ScsiResult(ScsiStatus.CHECK_CONDITION, sense);
    }

    /** Whether the status is GOOD. */
    public boolean good() {
        return status == ScsiStatus.GOOD;
    }
}
