package brassboard.devices.storage.scsi;

/** Big-endian field access for CDBs and parameter data (SCSI is big-endian throughout). */
final class Cdb {
    private Cdb() {
    }

    static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    static int u24(byte[] b, int at) {
        return (b[at] & 0xFF) << 16 | u16(b, at + 1);
    }

    static long u32(byte[] b, int at) {
        return ((long) u16(b, at) << 16) | u16(b, at + 2);
    }

    static long u64(byte[] b, int at) {
        return (u32(b, at) << 32) | u32(b, at + 4);
    }

    static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void putInt(byte[] b, int at, long v) {
        putShort(b, at, (int) (v >>> 16));
        putShort(b, at + 2, (int) v);
    }

    static void putLong(byte[] b, int at, long v) {
        putInt(b, at, v >>> 32);
        putInt(b, at + 4, v);
    }

    /** {@code s} in {@code width} bytes at {@code at}, left-aligned and padded with spaces (SPC ASCII fields). */
    static void putAscii(byte[] b, int at, int width, String s) {
        for (int i = 0; i < width; i++) {
            b[at + i] = (byte) (i < s.length() ? s.charAt(i) : ' ');
        }
    }
}
