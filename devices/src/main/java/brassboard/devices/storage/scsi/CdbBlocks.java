package brassboard.devices.storage.scsi;

/**
 * The blocks a CDB addresses, for those who look at commands from outside the logical unit (the
 * transport's and the unit's fault points): the LOGICAL BLOCK ADDRESS and TRANSFER LENGTH fields of
 * the READ, WRITE, VERIFY and SYNCHRONIZE CACHE commands (SBC-3 §5).
 */
public final class CdbBlocks {
    private CdbBlocks() {
    }

    /** The first LBA {@code cdb} addresses, or -1 for a command without one (INQUIRY, ...). */
    public static long lba(byte[] cdb) {
        if (cdb == null || cdb.length == 0) {
            return -1;
        }
        ScsiOpcode op = ScsiOpcode.forCode(cdb[0]);
        if (op == null || cdb.length < op.cdbLength()) {
            return -1;
        }
        return switch (op) {
            case READ_6, WRITE_6 -> ((long) (Cdb.u8(cdb, 1) & 0x1F) << 16) | Cdb.u16(cdb, 2);
            case READ_10, WRITE_10, VERIFY_10, SYNCHRONIZE_CACHE_10 -> Cdb.u32(cdb, 2);
            case READ_16, WRITE_16, VERIFY_16, SYNCHRONIZE_CACHE_16 -> Cdb.u64(cdb, 2) & Long.MAX_VALUE;
            default -> -1;
        };
    }

    /** How many blocks {@code cdb} addresses from {@link #lba}: its TRANSFER LENGTH (READ/WRITE (6): 0 is 256), 0 without one. */
    public static long count(byte[] cdb) {
        if (lba(cdb) < 0) {
            return 0;
        }
        return switch (ScsiOpcode.forCode(cdb[0])) {
            case READ_6, WRITE_6 -> Cdb.u8(cdb, 4) == 0 ? 256 : Cdb.u8(cdb, 4);
            case READ_10, WRITE_10, VERIFY_10, SYNCHRONIZE_CACHE_10 -> Cdb.u16(cdb, 7);
            default -> Cdb.u32(cdb, 10);
        };
    }
}
