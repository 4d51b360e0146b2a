package brassboard.devices.storage.bot;

import java.util.Arrays;

/**
 * A Command Block Wrapper (BOT 1.0 §5.1): 31 bytes, little-endian.
 *
 * <pre>
 * 0-3   dCBWSignature 43425355h      8-11  dCBWDataTransferLength
 * 4-7   dCBWTag                      12    bmCBWFlags (bit 7: direction, 1 = data-in; 6:0 reserved)
 * 13    bCBWLUN (3:0; 7:4 reserved)  14    bCBWCBLength (4:0; 7:5 reserved)
 * 15-30 CBWCB
 * </pre>
 *
 * @param tag                  dCBWTag, echoed in the CSW
 * @param dataTransferLength   dCBWDataTransferLength (unsigned)
 * @param flags                bmCBWFlags
 * @param lunByte              the whole bCBWLUN byte
 * @param cbLengthByte         the whole bCBWCBLength byte
 * @param cb                   the 16 bytes of CBWCB
 */
public record Cbw(int tag, long dataTransferLength, int flags, int lunByte, int cbLengthByte, byte[] cb) {
    /** dCBWSignature, "USBC" little-endian. */
    public static final int SIGNATURE = 0x43425355;
    /** A CBW is exactly this long. */
    public static final int LENGTH = 31;
    /** bmCBWFlags bit 7: the data, if any, goes device to host. */
    public static final int FLAG_DATA_IN = 0x80;

    /**
     * Parses {@code length} bytes at {@code offset}, or returns null when they are not a valid CBW
     * (§6.2.1: not 31 bytes, or a wrong signature).
     */
    public static Cbw parse(byte[] b, int offset, int length) {
        if (length != LENGTH || le32(b, offset) != SIGNATURE) {
            return null;
        }
        return new Cbw(le32(b, offset + 4), le32(b, offset + 8) & 0xFFFF_FFFFL, b[offset + 12] & 0xFF,
                b[offset + 13] & 0xFF, b[offset + 14] & 0xFF, Arrays.copyOfRange(b, offset + 15, offset + 31));
    }

    /** Encodes this CBW in its 31 bytes (for hosts in tests). */
    public byte[] bytes() {
        byte[] b = new byte[LENGTH];
        putLe32(b, 0, SIGNATURE);
        putLe32(b, 4, tag);
        putLe32(b, 8, (int) dataTransferLength);
        b[12] = (byte) flags;
        b[13] = (byte) lunByte;
        b[14] = (byte) cbLengthByte;
        System.arraycopy(cb, 0, b, 15, Math.min(16, cb.length));
        return b;
    }

    /** A CBW as a well-behaved host builds it. */
    public static Cbw of(int tag, long length, boolean dataIn, int lun, byte[] cdb) {
        return new Cbw(tag, length, dataIn ? FLAG_DATA_IN : 0, lun, cdb.length, Arrays.copyOf(cdb, 16));
    }

    /** The LUN (bits 3:0). */
    public int lun() {
        return lunByte & 0x0F;
    }

    /** The CB length (bits 4:0). */
    public int cbLength() {
        return cbLengthByte & 0x1F;
    }

    /** Whether the host expects data from the device. */
    public boolean dataIn() {
        return (flags & FLAG_DATA_IN) != 0;
    }

    /** The command block: the first {@link #cbLength()} bytes of CBWCB. */
    public byte[] commandBlock() {
        return Arrays.copyOf(cb, Math.min(16, cbLength()));
    }

    static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    static void putLe32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
