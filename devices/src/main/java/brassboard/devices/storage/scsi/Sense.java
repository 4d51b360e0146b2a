package brassboard.devices.storage.scsi;

/**
 * Sense data (SPC-4 §4.5): a sense key, an additional sense code and qualifier, and optionally an
 * INFORMATION field (the failing LBA of a medium error). Encodes itself in fixed format (§4.5.3,
 * response code 70h) and descriptor format (§4.5.2, response code 72h, with an information
 * descriptor when the field is valid).
 *
 * @param key         sense key (4 bits)
 * @param asc         additional sense code
 * @param ascq        additional sense code qualifier
 * @param information the INFORMATION field (an LBA), meaningful only when {@code valid}
 * @param valid       whether {@code information} is set (the fixed format's VALID bit)
 * @param ata         the ATA registers after an ATA PASS-THROUGH command (SAT-2 §12.2.2.6), or null;
 *                    sense carrying them is always returned in descriptor format, with the ATA Status
 *                    Return descriptor (09h)
 */
public record Sense(int key, int asc, int ascq, long information, boolean valid, AtaStatusReturn ata) {
    /** Sense without ATA registers. */
    public Sense(int key, int asc, int ascq, long information, boolean valid) {
        this(key, asc, ascq, information, valid, null);
    }

    // ---- Sense keys (SPC-4 Table 41) ----
    public static final int KEY_NO_SENSE = 0x0;
    public static final int KEY_RECOVERED_ERROR = 0x1;
    public static final int KEY_NOT_READY = 0x2;
    public static final int KEY_MEDIUM_ERROR = 0x3;
    public static final int KEY_HARDWARE_ERROR = 0x4;
    public static final int KEY_ILLEGAL_REQUEST = 0x5;
    public static final int KEY_UNIT_ATTENTION = 0x6;
    public static final int KEY_DATA_PROTECT = 0x7;
    public static final int KEY_ABORTED_COMMAND = 0xB;

    // ---- The sense this target reports (SPC-4 Table D.1 names) ----
    public static final Sense NO_SENSE = of(KEY_NO_SENSE, 0x00, 0x00);
    public static final Sense INVALID_COMMAND_OPERATION_CODE = of(KEY_ILLEGAL_REQUEST, 0x20, 0x00);
    public static final Sense LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE = of(KEY_ILLEGAL_REQUEST, 0x21, 0x00);
    public static final Sense INVALID_FIELD_IN_CDB = of(KEY_ILLEGAL_REQUEST, 0x24, 0x00);
    public static final Sense LOGICAL_UNIT_NOT_SUPPORTED = of(KEY_ILLEGAL_REQUEST, 0x25, 0x00);
    public static final Sense SAVING_PARAMETERS_NOT_SUPPORTED = of(KEY_ILLEGAL_REQUEST, 0x39, 0x00);
    public static final Sense POWER_ON_RESET_OR_BUS_DEVICE_RESET = of(KEY_UNIT_ATTENTION, 0x29, 0x00);
    public static final Sense WRITE_PROTECTED = of(KEY_DATA_PROTECT, 0x27, 0x00);
    public static final Sense UNRECOVERED_READ_ERROR = of(KEY_MEDIUM_ERROR, 0x11, 0x00);
    public static final Sense WRITE_ERROR = of(KEY_MEDIUM_ERROR, 0x0C, 0x00);
    public static final Sense WRITE_ERROR_AUTO_REALLOCATION_FAILED = of(KEY_MEDIUM_ERROR, 0x0C, 0x02);
    public static final Sense RECORD_NOT_FOUND = of(KEY_MEDIUM_ERROR, 0x14, 0x01);
    public static final Sense ABORTED_COMMAND = of(KEY_ABORTED_COMMAND, 0x00, 0x00);
    public static final Sense DATA_PHASE_ERROR = of(KEY_ABORTED_COMMAND, 0x4B, 0x00);
    /** RECOVERED ERROR, ATA PASS THROUGH INFORMATION AVAILABLE (SAT-2 §12.2.2.6: CK_COND set, command done). */
    public static final Sense ATA_PASS_THROUGH_INFORMATION_AVAILABLE = of(KEY_RECOVERED_ERROR, 0x00, 0x1D);

    /** Bytes of fixed-format sense data this target returns (SPC-4 §4.5.3: 18 with ADDITIONAL SENSE LENGTH 10). */
    public static final int FIXED_LENGTH = 18;
    /** Response codes (byte 0): current errors, fixed and descriptor formats. */
    public static final int RESPONSE_FIXED_CURRENT = 0x70;
    public static final int RESPONSE_DESCRIPTOR_CURRENT = 0x72;

    /** Sense without an INFORMATION field. */
    public static Sense of(int key, int asc, int ascq) {
        return new Sense(key, asc, ascq, 0, false);
    }

    /** This sense with {@code information} (an LBA) in the INFORMATION field. */
    public Sense withInformation(long lba) {
        return new Sense(key, asc, ascq, lba, true, ata);
    }

    /** This sense with the ATA registers {@code r} (reported in an ATA Status Return descriptor). */
    public Sense withAta(AtaStatusReturn r) {
        return new Sense(key, asc, ascq, information, valid, r);
    }

    /**
     * Fixed format, 18 bytes: byte 0 VALID (bit 7) and response code 70h, byte 2 the sense key,
     * bytes 3-6 INFORMATION (big-endian; VALID is clear when the value does not fit 32 bits),
     * byte 7 additional length 10, bytes 12-13 ASC and ASCQ.
     */
    public byte[] fixed() {
        byte[] b = new byte[FIXED_LENGTH];
        boolean fits = valid && (information >>> 32) == 0;
        b[0] = (byte) ((fits ? 0x80 : 0) | RESPONSE_FIXED_CURRENT);
        b[2] = (byte) (key & 0xF);
        if (fits) {
            Cdb.putInt(b, 3, information);
        }
        b[7] = (byte) (FIXED_LENGTH - 8);
        b[12] = (byte) asc;
        b[13] = (byte) ascq;
        return b;
    }

    /**
     * Descriptor format: byte 0 response code 72h, bytes 1-3 key, ASC, ASCQ, byte 7 additional
     * length, then (when valid) the information descriptor (type 00h, length 0Ah, VALID, 64-bit
     * INFORMATION), then (with ATA registers) the ATA Status Return descriptor.
     */
    public byte[] descriptor() {
        byte[] b = new byte[8 + (valid ? 12 : 0) + (ata != null ? AtaStatusReturn.LENGTH : 0)];
        b[0] = (byte) RESPONSE_DESCRIPTOR_CURRENT;
        b[1] = (byte) (key & 0xF);
        b[2] = (byte) asc;
        b[3] = (byte) ascq;
        b[7] = (byte) (b.length - 8);
        if (valid) {
            b[8] = 0x00; // information descriptor
            b[9] = 0x0A;
            b[10] = (byte) 0x80; // VALID
            Cdb.putLong(b, 12, information);
        }
        if (ata != null) {
            ata.put(b, valid ? 20 : 8);
        }
        return b;
    }

    @Override
    public String toString() {
        return String.format("Sense[%X/%02X/%02X%s%s]", key, asc, ascq, valid ? " info=" + information : "",
                ata != null ? " " + ata : "");
    }
}
