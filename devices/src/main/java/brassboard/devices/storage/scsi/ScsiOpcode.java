package brassboard.devices.storage.scsi;

/**
 * The SPC-4 / SBC-3 / SAT-2 commands a logical unit may implement, one line each: operation code,
 * name, CDB length. Which of them a unit answers is its {@link CommandSet}'s choice; every other
 * operation code ends in CHECK CONDITION, ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE (20h/00h).
 */
public enum ScsiOpcode {
    // ---- name --------------------------- opcode - CDB bytes
    TEST_UNIT_READY(                    0x00, 6),
    REQUEST_SENSE(                      0x03, 6),
    READ_6(                             0x08, 6),
    WRITE_6(                            0x0A, 6),
    INQUIRY(                            0x12, 6),
    MODE_SENSE_6(                       0x1A, 6),
    START_STOP_UNIT(                    0x1B, 6),
    PREVENT_ALLOW_MEDIUM_REMOVAL(       0x1E, 6),
    READ_CAPACITY_10(                   0x25, 10),
    READ_10(                            0x28, 10),
    WRITE_10(                           0x2A, 10),
    VERIFY_10(                          0x2F, 10),
    SYNCHRONIZE_CACHE_10(               0x35, 10),
    MODE_SENSE_10(                      0x5A, 10),
    ATA_PASS_THROUGH_16(                0x85, 16),
    READ_16(                            0x88, 16),
    WRITE_16(                           0x8A, 16),
    VERIFY_16(                          0x8F, 16),
    SYNCHRONIZE_CACHE_16(               0x91, 16),
    SERVICE_ACTION_IN_16(               0x9E, 16),
    REPORT_LUNS(                        0xA0, 12),
    ATA_PASS_THROUGH_12(                0xA1, 12);

    /** SERVICE ACTION IN(16) service action READ CAPACITY(16) (SBC-3 §5.16). */
    public static final int SA_READ_CAPACITY_16 = 0x10;

    private static final ScsiOpcode[] BY_CODE = new ScsiOpcode[256];

    static {
        for (ScsiOpcode o : values()) {
            if (BY_CODE[o.code] != null || o.cdbLength != groupLength(o.code)) {
                throw new ExceptionInInitializerError("SCSI opcode table: " + o);
            }
            BY_CODE[o.code] = o;
        }
    }

    private final int code;
    private final int cdbLength;

    ScsiOpcode(int code, int cdbLength) {
        this.code = code;
        this.cdbLength = cdbLength;
    }

    /** The operation code (CDB byte 0). */
    public int code() {
        return code;
    }

    /** Bytes in the CDB. */
    public int cdbLength() {
        return cdbLength;
    }

    /** The command with operation code {@code code}, or null if this target does not implement it. */
    public static ScsiOpcode forCode(int code) {
        return BY_CODE[code & 0xFF];
    }

    /**
     * The CDB length the operation code's group (bits 7:5, SPC-4 §4.2.5.1) implies: 6, 10, 10, -, 16,
     * 12, or 0 for the reserved and vendor-specific groups, whose length the code does not tell.
     */
    public static int groupLength(int code) {
        return switch ((code & 0xFF) >>> 5) {
            case 0 -> 6;
            case 1, 2 -> 10;
            case 4 -> 16;
            case 5 -> 12;
            default -> 0;
        };
    }
}
