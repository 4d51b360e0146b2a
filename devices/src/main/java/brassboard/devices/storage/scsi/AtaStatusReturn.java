package brassboard.devices.storage.scsi;

/**
 * The ATA registers an ATA PASS-THROUGH command hands back: the ATA Status Return sense data
 * descriptor (SAT-2 §12.2.2.6, descriptor type 09h, 14 bytes). Fields as ATA8-ACS names the output
 * registers; with {@code extend} the 16-bit COUNT and 48-bit LBA are all meaningful, without it only
 * their low bytes.
 *
 * @param extend whether the command was a 48-bit one (EXTEND, byte 2 bit 0)
 * @param error  ERROR
 * @param count  COUNT (15:0)
 * @param lba    LBA (47:0)
 * @param device DEVICE
 * @param status STATUS
 */
public record AtaStatusReturn(boolean extend, int error, int count, long lba, int device, int status) {
    /** Descriptor type (SPC-4 Table 28 / SAT-2). */
    public static final int TYPE = 0x09;
    /** Bytes in the descriptor, its two-byte header included. */
    public static final int LENGTH = 14;

    /**
     * Writes the descriptor at {@code at}: type, additional length 0Ch, EXTEND, ERROR, then COUNT,
     * LBA LOW, LBA MID, LBA HIGH each as (15:8, 7:0) byte pairs (LBA LOW 15:8 is LBA 31:24, and so
     * on), DEVICE, STATUS.
     */
    void put(byte[] b, int at) {
        b[at] = TYPE;
        b[at + 1] = LENGTH - 2;
        b[at + 2] = (byte) (extend ? 1 : 0);
        b[at + 3] = (byte) error;
        b[at + 4] = (byte) (extend ? count >>> 8 : 0);
        b[at + 5] = (byte) count;
        b[at + 6] = (byte) (extend ? lba >>> 24 : 0);
        b[at + 7] = (byte) lba;
        b[at + 8] = (byte) (extend ? lba >>> 32 : 0);
        b[at + 9] = (byte) (lba >>> 8);
        b[at + 10] = (byte) (extend ? lba >>> 40 : 0);
        b[at + 11] = (byte) (lba >>> 16);
        b[at + 12] = (byte) device;
        b[at + 13] = (byte) status;
    }
}
