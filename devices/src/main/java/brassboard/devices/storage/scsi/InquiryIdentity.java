package brassboard.devices.storage.scsi;

import brassboard.devices.storage.ata.AtaIdentity;

/**
 * What standard INQUIRY data names: T10 vendor identification (8 characters), product
 * identification (16) and product revision level (4).
 */
public record InquiryIdentity(String vendor, String product, String revision) {
    public InquiryIdentity {
        check("vendor identification", vendor, 8);
        check("product identification", product, 16);
        check("product revision level", revision, 4);
    }

    /** QEMU's scsi-hd defaults ({@code hw/scsi/scsi-disk.c}): "QEMU", "QEMU HARDDISK", the machine version "2.5+". */
    public static InquiryIdentity qemu() {
        return new InquiryIdentity("QEMU", "QEMU HARDDISK", "2.5+");
    }

    /**
     * What SAT-3 derives from an ATA disk: vendor "ATA", the model's first 16 characters, and the
     * last four characters of the firmware revision without trailing spaces.
     */
    public static InquiryIdentity sat(AtaIdentity ata) {
        String fw = ata.firmware().stripTrailing();
        String model = ata.model();
        return new InquiryIdentity("ATA", model.substring(0, Math.min(16, model.length())),
                fw.length() > 4 ? fw.substring(fw.length() - 4) : fw);
    }

    private static void check(String what, String s, int max) {
        if (s.length() > max || !s.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("INQUIRY " + what + " \"" + s + "\": expected at most " + max
                    + " printable ASCII characters");
        }
    }
}
