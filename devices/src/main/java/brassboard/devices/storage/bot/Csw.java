package brassboard.devices.storage.bot;

/**
 * A Command Status Wrapper (BOT 1.0 §5.2): 13 bytes, little-endian: dCSWSignature 53425355h,
 * dCSWTag, dCSWDataResidue, bCSWStatus.
 *
 * @param tag     the CBW's tag
 * @param residue dCSWDataResidue (unsigned)
 * @param status  bCSWStatus
 */
public record Csw(int tag, long residue, Status status) {
    /** dCSWSignature, "USBS" little-endian. */
    public static final int SIGNATURE = 0x53425355;
    /** A CSW is exactly this long. */
    public static final int LENGTH = 13;

    /** bCSWStatus (BOT 1.0 Table 5.3). */
    public enum Status {
        COMMAND_PASSED(0x00), COMMAND_FAILED(0x01), PHASE_ERROR(0x02);

        private final int code;

        Status(int code) {
            this.code = code;
        }

        /** The status byte. */
        public int code() {
            return code;
        }

        /** The status with code {@code code}, or null. */
        public static Status of(int code) {
            for (Status s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            return null;
        }
    }

    /** The 13 bytes sent to the host. */
    public byte[] bytes() {
        byte[] b = new byte[LENGTH];
        Cbw.putLe32(b, 0, SIGNATURE);
        Cbw.putLe32(b, 4, tag);
        Cbw.putLe32(b, 8, (int) residue);
        b[12] = (byte) status.code;
        return b;
    }

    /** Parses a CSW (for hosts in tests), or null when the bytes are not one. */
    public static Csw parse(byte[] b) {
        if (b == null || b.length != LENGTH || Cbw.le32(b, 0) != SIGNATURE || Status.of(b[12] & 0xFF) == null) {
            return null;
        }
        return new Csw(Cbw.le32(b, 4), Cbw.le32(b, 8) & 0xFFFF_FFFFL, Status.of(b[12] & 0xFF));
    }
}
