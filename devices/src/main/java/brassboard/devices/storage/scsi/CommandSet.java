package brassboard.devices.storage.scsi;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a logical unit's firmware answers: the SCSI commands it implements, the mode pages it
 * returns, how it fills standard INQUIRY data and medium-error sense, and which ATA pass-through
 * dialects it speaks. A USB-to-ATA bridge's firmware is a fixed choice of these; QEMU's scsi-hd is
 * {@link #QEMU}. Anything outside the set ends in CHECK CONDITION, ILLEGAL REQUEST, INVALID COMMAND
 * OPERATION CODE (20h/00h).
 *
 * @param opcodes            the commands answered; {@link ScsiOpcode#ATA_PASS_THROUGH_12} and
 *                           {@link ScsiOpcode#ATA_PASS_THROUGH_16} select SAT-2 ATA pass-through
 * @param modePages          the MODE SENSE pages returned (01h, 08h, 0Ah); page 3Fh returns those
 *                           there are (possibly none, only the header and block descriptor), any
 *                           other page is INVALID FIELD IN CDB
 * @param failingLbaInSense  whether a medium error's sense carries the failing LBA in INFORMATION
 *                           (with VALID set); without it only the key and ASC/ASCQ say what happened
 * @param version            standard INQUIRY VERSION (byte 2): 0 no standard claimed, 2 SCSI-2, 5 SPC-3
 * @param responseDataFormat standard INQUIRY RESPONSE DATA FORMAT (byte 3 bits 3:0): 1 is SCSI-1 CCS
 *                           (Linux prints "ANSI: n CCS"), 2 is SPC; HISUP is set only with 2
 * @param vpdPages           whether INQUIRY with EVPD answers VPD pages 00h, 80h, 83h (else
 *                           INVALID FIELD IN CDB)
 * @param jmicronPassThrough whether the JMicron vendor command DFh (ATA pass-through and register
 *                           reads, as smartmontools' "usbjmicron" device type drives it) is answered
 */
public record CommandSet(Set<ScsiOpcode> opcodes, Set<Integer> modePages, boolean failingLbaInSense, int version,
                         int responseDataFormat, boolean vpdPages, boolean jmicronPassThrough) {
    /** Mode page 01h, Read-Write Error Recovery. */
    public static final int MODE_PAGE_READ_WRITE_ERROR_RECOVERY = ModePages.PAGE_READ_WRITE_ERROR_RECOVERY;
    /** Mode page 08h, Caching. */
    public static final int MODE_PAGE_CACHING = ModePages.PAGE_CACHING;
    /** Mode page 0Ah, Control. */
    public static final int MODE_PAGE_CONTROL = ModePages.PAGE_CONTROL;

    /** QEMU's scsi-hd (hw/scsi/scsi-disk.c): every command here but ATA pass-through, pages 01h, 08h, 0Ah, SPC-3. */
    public static final CommandSet QEMU = new CommandSet(
            EnumSet.complementOf(EnumSet.of(ScsiOpcode.ATA_PASS_THROUGH_12, ScsiOpcode.ATA_PASS_THROUGH_16)),
            Set.of(ModePages.PAGE_READ_WRITE_ERROR_RECOVERY, ModePages.PAGE_CACHING, ModePages.PAGE_CONTROL),
            true, ScsiDisk.VERSION_SPC3, 2, true, false);

    public CommandSet {
        opcodes = opcodes.isEmpty() ? EnumSet.noneOf(ScsiOpcode.class) : EnumSet.copyOf(opcodes);
        modePages = Set.copyOf(modePages);
        for (int p : modePages) {
            if (p != ModePages.PAGE_READ_WRITE_ERROR_RECOVERY && p != ModePages.PAGE_CACHING && p != ModePages.PAGE_CONTROL) {
                throw new IllegalArgumentException(String.format("mode page %02Xh is not modelled; expected 01h, 08h or 0Ah", p));
            }
        }
        if (responseDataFormat < 0 || responseDataFormat > 2) {
            throw new IllegalArgumentException("INQUIRY response data format " + responseDataFormat + "; expected 0, 1 (CCS) or 2");
        }
    }

    /** Whether the unit answers {@code op}. */
    public boolean supports(ScsiOpcode op) {
        return op != null && opcodes.contains(op);
    }
}
