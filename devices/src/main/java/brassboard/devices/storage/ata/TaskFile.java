package brassboard.devices.storage.ata;

/**
 * The command block registers as the host writes them (ATA8-ACS §6, "inputs"): FEATURE, COUNT,
 * LBA, DEVICE, COMMAND. For 48-bit commands COUNT and LBA hold the whole 16- and 48-bit values
 * (the "previous" and "current" register contents joined); for 28-bit commands LBA bits 27:24 are
 * in DEVICE bits 3:0 as the spec places them, and LBA here holds bits 23:0 only.
 *
 * @param features FEATURE (8 bits; 16 for 48-bit commands)
 * @param count    COUNT (8 bits; 16 for 48-bit commands)
 * @param lba      LBA (24 bits; 48 for 48-bit commands)
 * @param device   DEVICE (bit 6: LBA addressing; bits 3:0: LBA 27:24 for 28-bit commands)
 * @param command  COMMAND (the opcode)
 */
public record TaskFile(int features, int count, long lba, int device, int command) {
    /** DEVICE bit 6: the address is an LBA (ATA8-ACS requires it; CHS is obsolete). */
    public static final int DEVICE_LBA = 0x40;

    /** A 28-bit addressed command: {@code lba} split into LBA 23:0 and DEVICE 3:0. */
    public static TaskFile lba28(AtaCommand command, long lba, int count) {
        return new TaskFile(0, count & 0xFF, lba & 0xFF_FFFF, DEVICE_LBA | (int) ((lba >>> 24) & 0xF), command.opcode());
    }

    /** A 48-bit addressed command. */
    public static TaskFile lba48(AtaCommand command, long lba, int count) {
        return new TaskFile(0, count & 0xFFFF, lba & 0xFFFF_FFFF_FFFFL, DEVICE_LBA, command.opcode());
    }

    /** A command without an address: only FEATURE and COUNT (SET FEATURES, SMART take LBA separately). */
    public static TaskFile of(AtaCommand command, int features, int count, long lba) {
        return new TaskFile(features, count, lba, DEVICE_LBA, command.opcode());
    }

    /** The full 28-bit LBA (DEVICE 3:0 and LBA 23:0). */
    public long lba28() {
        return ((long) (device & 0xF) << 24) | (lba & 0xFF_FFFF);
    }
}
