package brassboard.devices.storage.scsi;

import java.io.ByteArrayOutputStream;

/**
 * MODE SENSE (6) and (10) parameter data (SPC-4 §7.5): header, one short block descriptor unless
 * DBD is set, and the pages asked for. Pages: 01h Read-Write Error Recovery, 08h Caching (WCE from
 * the ATA write cache, DRA from read look-ahead, as SAT maps them), 0Ah Control; 3Fh returns all
 * three in ascending order. Page control: current and default values are the same, changeable
 * values are all zero (MODE SELECT is not implemented), saved values are refused with SAVING
 * PARAMETERS NOT SUPPORTED, as QEMU's scsi-disk does.
 */
final class ModePages {
    static final int PAGE_READ_WRITE_ERROR_RECOVERY = 0x01;
    static final int PAGE_CACHING = 0x08;
    static final int PAGE_CONTROL = 0x0A;
    static final int PAGE_ALL = 0x3F;
    static final int SUBPAGE_ALL = 0xFF;

    static final int PC_CURRENT = 0;
    static final int PC_CHANGEABLE = 1;
    static final int PC_DEFAULT = 2;
    static final int PC_SAVED = 3;

    /** Header DEVICE-SPECIFIC PARAMETER bit 7 for direct-access devices: write protected (SBC-3 §6.4.1). */
    static final int DSP_WRITE_PROTECT = 0x80;

    private static final int[] PAGES = {PAGE_READ_WRITE_ERROR_RECOVERY, PAGE_CACHING, PAGE_CONTROL};

    /** What the pages report. */
    record State(long blocks, int blockLength, boolean writeProtected, boolean writeCache, boolean lookAhead) {
    }

    /** The outcome: parameter data, or the sense to fail with. */
    record Outcome(byte[] data, Sense error) {
    }

    private ModePages() {
    }

    /** MODE SENSE with the CDB's fields; {@code ten} for the 10-byte command (8-byte header). */
    static Outcome modeSense(boolean ten, boolean dbd, int pageControl, int page, int subpage, State s) {
        return modeSense(ten, dbd, pageControl, page, subpage, s, java.util.Set.of(PAGE_READ_WRITE_ERROR_RECOVERY,
                PAGE_CACHING, PAGE_CONTROL));
    }

    /** As above, for a unit that has only the pages in {@code supported}. */
    static Outcome modeSense(boolean ten, boolean dbd, int pageControl, int page, int subpage, State s,
                             java.util.Set<Integer> supported) {
        if (pageControl == PC_SAVED) {
            return new Outcome(null, Sense.SAVING_PARAMETERS_NOT_SUPPORTED);
        }
        ByteArrayOutputStream pages = new ByteArrayOutputStream();
        if (page == PAGE_ALL) {
            if (subpage != 0 && subpage != SUBPAGE_ALL) {
                return new Outcome(null, Sense.INVALID_FIELD_IN_CDB);
            }
            for (int p : PAGES) {
                if (supported.contains(p)) {
                    pages.writeBytes(page(p, pageControl, s));
                }
            }
        } else {
            byte[] one = subpage == 0 && supported.contains(page) ? page(page, pageControl, s) : null;
            if (one == null) {
                return new Outcome(null, Sense.INVALID_FIELD_IN_CDB);
            }
            pages.writeBytes(one);
        }
        int headerLength = ten ? 8 : 4;
        int descriptorLength = dbd ? 0 : 8;
        byte[] out = new byte[headerLength + descriptorLength + pages.size()];
        int dsp = s.writeProtected() ? DSP_WRITE_PROTECT : 0;
        if (ten) {
            Cdb.putShort(out, 0, out.length - 2); // MODE DATA LENGTH excludes itself
            out[3] = (byte) dsp;
            Cdb.putShort(out, 6, descriptorLength);
        } else {
            out[0] = (byte) (out.length - 1);
            out[2] = (byte) dsp;
            out[3] = (byte) descriptorLength;
        }
        if (!dbd) {
            // Short LBA mode parameter block descriptor: density 0, NUMBER OF LOGICAL BLOCKS (0 when it
            // does not fit 24 bits, SBC-3 §6.4.2), LOGICAL BLOCK LENGTH.
            int at = headerLength;
            long n = s.blocks() > 0xFF_FFFF ? 0 : s.blocks();
            out[at + 1] = (byte) (n >>> 16);
            out[at + 2] = (byte) (n >>> 8);
            out[at + 3] = (byte) n;
            out[at + 5] = (byte) (s.blockLength() >>> 16);
            out[at + 6] = (byte) (s.blockLength() >>> 8);
            out[at + 7] = (byte) s.blockLength();
        }
        byte[] p = pages.toByteArray();
        System.arraycopy(p, 0, out, headerLength + descriptorLength, p.length);
        return new Outcome(out, null);
    }

    /** One page (with its two-byte header), or null if the page is not supported. */
    static byte[] page(int page, int pageControl, State s) {
        boolean changeable = pageControl == PC_CHANGEABLE;
        switch (page) {
            case PAGE_READ_WRITE_ERROR_RECOVERY -> {
                byte[] b = header(page, 0x0A);
                if (!changeable) {
                    b[2] = (byte) 0x80; // AWRE: automatic write reallocation, as ATA disks do
                }
                return b;
            }
            case PAGE_CACHING -> {
                byte[] b = header(page, 0x12);
                if (!changeable) {
                    b[2] = (byte) (s.writeCache() ? 0x04 : 0); // WCE
                    b[12] = (byte) (s.lookAhead() ? 0 : 0x20); // DRA: read-ahead disabled
                }
                return b;
            }
            case PAGE_CONTROL -> {
                byte[] b = header(page, 0x0A);
                if (!changeable) {
                    b[2] = 0x02; // GLTSD (no log parameters saved); D_SENSE 0: fixed-format sense
                    Cdb.putShort(b, 8, 0xFFFF); // BUSY TIMEOUT PERIOD: unlimited
                }
                return b;
            }
            default -> {
                return null;
            }
        }
    }

    private static byte[] header(int page, int length) {
        byte[] b = new byte[length + 2];
        b[0] = (byte) page;
        b[1] = (byte) length;
        return b;
    }
}
