package brassboard.devices.storage.scsi;

/** The status a command completes with (SAM-5 §5.3): GOOD and CHECK CONDITION; BUSY only when a fault plan asks for it. */
public enum ScsiStatus {
    GOOD(0x00), CHECK_CONDITION(0x02), BUSY(0x08);

    private final int code;

    ScsiStatus(int code) {
        this.code = code;
    }

    /** The status byte. */
    public int code() {
        return code;
    }
}
