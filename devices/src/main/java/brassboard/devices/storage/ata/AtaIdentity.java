package brassboard.devices.storage.ata;

/**
 * The strings a disk reports in IDENTIFY DEVICE: model (words 27-46, 40 characters), serial
 * number (words 10-19, 20 characters) and firmware revision (words 23-26, 8 characters). ATA
 * strings are printable ASCII padded with spaces.
 */
public record AtaIdentity(String model, String serial, String firmware) {
    public AtaIdentity {
        check("model", model, 40);
        check("serial number", serial, 20);
        check("firmware revision", firmware, 8);
    }

    /** What QEMU's IDE disk reports ({@code hw/ide/core.c}: "QEMU HARDDISK", serial "QM00001", version "2.5+"). */
    public static AtaIdentity qemu() {
        return new AtaIdentity("QEMU HARDDISK", "QM00001", "2.5+");
    }

    private static void check(String what, String s, int max) {
        if (s.length() > max || !s.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("ATA " + what + " \"" + s + "\": expected at most " + max
                    + " printable ASCII characters");
        }
    }
}
