package brassboard.devices.storage.ata;

/**
 * The 256-word IDENTIFY DEVICE data (ATA8-ACS §7.16.7), built from the disk's capacity, identity
 * and current settings. Words are stored little-endian in the 512-byte page, as the device sends
 * them; ATA strings hold their first character in each word's high byte.
 */
final class IdentifyDevice {
    // Word numbers, as ATA8-ACS Table 22 names them.
    static final int GENERAL_CONFIGURATION = 0;
    static final int CYLINDERS = 1;
    static final int SPECIFIC_CONFIGURATION = 2;
    static final int HEADS = 3;
    static final int SECTORS_PER_TRACK = 6;
    static final int SERIAL_NUMBER = 10;
    static final int FIRMWARE_REVISION = 23;
    static final int MODEL_NUMBER = 27;
    static final int MAX_SECTORS_PER_DRQ = 47;
    static final int TRUSTED_COMPUTING = 48;
    static final int CAPABILITIES = 49;
    static final int CAPABILITIES_2 = 50;
    static final int FIELD_VALIDITY = 53;
    static final int CURRENT_CYLINDERS = 54;
    static final int CURRENT_HEADS = 55;
    static final int CURRENT_SECTORS_PER_TRACK = 56;
    static final int CURRENT_CAPACITY_CHS = 57;
    static final int MULTIPLE_SETTING = 59;
    static final int TOTAL_SECTORS_28 = 60;
    static final int MULTIWORD_DMA = 63;
    static final int PIO_MODES = 64;
    static final int MIN_MWDMA_CYCLE = 65;
    static final int RECOMMENDED_MWDMA_CYCLE = 66;
    static final int MIN_PIO_CYCLE = 67;
    static final int MIN_PIO_CYCLE_IORDY = 68;
    static final int MAJOR_VERSION = 80;
    static final int MINOR_VERSION = 81;
    static final int COMMAND_SET_SUPPORTED_1 = 82;
    static final int COMMAND_SET_SUPPORTED_2 = 83;
    static final int COMMAND_SET_SUPPORTED_EXT = 84;
    static final int COMMAND_SET_ENABLED_1 = 85;
    static final int COMMAND_SET_ENABLED_2 = 86;
    static final int COMMAND_SET_DEFAULT = 87;
    static final int ULTRA_DMA = 88;
    static final int TOTAL_SECTORS_48 = 100;
    static final int SECTOR_SIZE = 106;
    static final int ROTATION_RATE = 217;
    static final int INTEGRITY = 255;

    // Word 82/85 bits.
    static final int CS1_SMART = 1 << 0;
    static final int CS1_POWER_MANAGEMENT = 1 << 3;
    static final int CS1_WRITE_CACHE = 1 << 5;
    static final int CS1_LOOK_AHEAD = 1 << 6;
    // Word 83/86 bits.
    static final int CS2_ADDRESS_48 = 1 << 10;
    static final int CS2_FLUSH_CACHE = 1 << 12;
    static final int CS2_FLUSH_CACHE_EXT = 1 << 13;
    /** Words 83, 84, 87: bit 14 shall be one, bit 15 zero ("word valid"). */
    static final int WORD_VALID = 1 << 14;

    /** The integrity word's signature byte (word 255 bits 7:0). */
    static final int CHECKSUM_SIGNATURE = 0xA5;
    /** The largest address a 28-bit command can reach, plus one (words 60-61 saturate here). */
    static final long MAX_LBA28_SECTORS = 0x0FFF_FFFFL;

    private IdentifyDevice() {
    }

    /** Most sectors per DRQ block READ/WRITE MULTIPLE move (word 47 bits 7:0). */
    static final int MAX_MULTIPLE = 16;

    /** Settings that IDENTIFY reflects. */
    record Settings(boolean smartEnabled, boolean writeCacheEnabled, boolean lookAheadEnabled,
                    int udmaMode, int mwdmaMode, int rotationRate, int multipleSectors) {
    }

    /** Fills {@code page[offset .. offset + 512)} with the IDENTIFY DEVICE data. */
    static void build(byte[] page, int offset, long sectors, AtaIdentity id, Settings s) {
        int[] w = new int[256];
        w[GENERAL_CONFIGURATION] = 0x0040; // ATA device (bit 15 clear), fixed (obsolete bit 6, as QEMU)
        // Default CHS translation (obsolete, but still read by old BIOS code): 16 heads, 63 sectors.
        long cylinders = Math.min(16_383, sectors / (16 * 63));
        w[CYLINDERS] = (int) cylinders;
        w[SPECIFIC_CONFIGURATION] = 0xC837; // no SET FEATURES spin-up needed, IDENTIFY complete
        w[HEADS] = 16;
        w[SECTORS_PER_TRACK] = 63;
        putString(w, SERIAL_NUMBER, 20, id.serial());
        putString(w, FIRMWARE_REVISION, 8, id.firmware());
        putString(w, MODEL_NUMBER, 40, id.model());
        w[MAX_SECTORS_PER_DRQ] = 0x8000 | MAX_MULTIPLE; // bit 15 shall be one; READ/WRITE MULTIPLE up to 16 sectors
        w[CAPABILITIES] = (1 << 9) | (1 << 8); // LBA supported, DMA supported
        w[CAPABILITIES_2] = WORD_VALID;
        w[FIELD_VALIDITY] = 0x0006; // words 64-70 and 88 valid
        w[CURRENT_CYLINDERS] = (int) cylinders;
        w[CURRENT_HEADS] = 16;
        w[CURRENT_SECTORS_PER_TRACK] = 63;
        long chs = cylinders * 16 * 63;
        w[CURRENT_CAPACITY_CHS] = (int) (chs & 0xFFFF);
        w[CURRENT_CAPACITY_CHS + 1] = (int) (chs >>> 16);
        // Bit 8: the multiple-sector setting in bits 7:0 is valid (it is, once SET MULTIPLE MODE ran).
        w[MULTIPLE_SETTING] = s.multipleSectors() == 0 ? 0 : 0x100 | s.multipleSectors();
        long s28 = Math.min(sectors, MAX_LBA28_SECTORS);
        w[TOTAL_SECTORS_28] = (int) (s28 & 0xFFFF);
        w[TOTAL_SECTORS_28 + 1] = (int) (s28 >>> 16);
        w[MULTIWORD_DMA] = 0x0007 | (s.mwdmaMode() >= 0 ? 0x100 << s.mwdmaMode() : 0);
        w[PIO_MODES] = 0x0003; // PIO modes 3 and 4
        w[MIN_MWDMA_CYCLE] = 120;
        w[RECOMMENDED_MWDMA_CYCLE] = 120;
        w[MIN_PIO_CYCLE] = 120;
        w[MIN_PIO_CYCLE_IORDY] = 120;
        w[MAJOR_VERSION] = 0x01F0; // ATA/ATAPI-4 to ATA8-ACS
        w[MINOR_VERSION] = 0; // not reported
        int cs1 = CS1_SMART | CS1_POWER_MANAGEMENT | CS1_WRITE_CACHE | CS1_LOOK_AHEAD;
        int cs2 = CS2_ADDRESS_48 | CS2_FLUSH_CACHE | CS2_FLUSH_CACHE_EXT;
        w[COMMAND_SET_SUPPORTED_1] = cs1;
        w[COMMAND_SET_SUPPORTED_2] = WORD_VALID | cs2;
        w[COMMAND_SET_SUPPORTED_EXT] = WORD_VALID;
        w[COMMAND_SET_ENABLED_1] = (s.smartEnabled() ? CS1_SMART : 0) | CS1_POWER_MANAGEMENT
                | (s.writeCacheEnabled() ? CS1_WRITE_CACHE : 0) | (s.lookAheadEnabled() ? CS1_LOOK_AHEAD : 0);
        w[COMMAND_SET_ENABLED_2] = cs2;
        w[COMMAND_SET_DEFAULT] = WORD_VALID;
        w[ULTRA_DMA] = 0x003F | (s.udmaMode() >= 0 ? 0x100 << s.udmaMode() : 0); // UDMA 0-5 supported
        for (int i = 0; i < 4; i++) {
            w[TOTAL_SECTORS_48 + i] = (int) ((sectors >>> (16 * i)) & 0xFFFF);
        }
        w[SECTOR_SIZE] = WORD_VALID; // one 512-byte logical sector per physical sector
        w[ROTATION_RATE] = s.rotationRate();
        for (int i = 0; i < 256; i++) {
            page[offset + 2 * i] = (byte) w[i];
            page[offset + 2 * i + 1] = (byte) (w[i] >>> 8);
        }
        // Word 255: signature A5h in bits 7:0, and in bits 15:8 the two's complement of the sum of
        // bytes 0-510 (the signature included), so that all 512 bytes sum to zero (ATA8-ACS §7.16.7.96).
        page[offset + 510] = (byte) CHECKSUM_SIGNATURE;
        int sum = 0;
        for (int i = 0; i < 511; i++) {
            sum += page[offset + i] & 0xFF;
        }
        page[offset + 511] = (byte) -sum;
    }

    /** An ATA string: padded with spaces, two characters a word, the first in the high byte. */
    static void putString(int[] words, int first, int chars, String s) {
        for (int i = 0; i < chars; i += 2) {
            int hi = i < s.length() ? s.charAt(i) : ' ';
            int lo = i + 1 < s.length() ? s.charAt(i + 1) : ' ';
            words[first + i / 2] = hi << 8 | lo;
        }
    }

    /** Reads back an ATA string from a page (for the SCSI layer's INQUIRY and VPD pages), trailing spaces kept. */
    static String string(byte[] page, int offset, int firstWord, int chars) {
        StringBuilder sb = new StringBuilder(chars);
        for (int i = 0; i < chars / 2; i++) {
            int at = offset + 2 * (firstWord + i);
            sb.append((char) (page[at + 1] & 0xFF)).append((char) (page[at] & 0xFF));
        }
        return sb.toString();
    }
}
