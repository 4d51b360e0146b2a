package brassboard.devices.storage.ata;

/**
 * What the device leaves in its registers when a command completes ("normal outputs" or "error
 * outputs" in ATA8-ACS), plus how many data bytes moved and how long it took.
 *
 * @param status      STATUS: {@link #STATUS_DRDY} always, {@link #STATUS_ERR} on error
 * @param error       ERROR: {@link #ERROR_ABRT}, {@link #ERROR_IDNF}, {@link #ERROR_UNC}, or 0
 * @param count       COUNT output (CHECK POWER MODE answers here)
 * @param lba         LBA output: on a sector error, the address of the first failing sector
 *                    (ATA8-ACS "error outputs"); SMART RETURN STATUS answers in bits 23:8
 * @param transferred data bytes moved between host and device before completion
 * @param busyNs      virtual time the command takes beyond an instant one (today only from the
 *                    medium's retries); 0 for an ideal disk
 */
public record AtaResult(int status, int error, int count, long lba, int transferred, long busyNs) {
    /** STATUS bit 0: an error occurred; the ERROR register says which. */
    public static final int STATUS_ERR = 0x01;
    /** STATUS bit 3: the device wants to transfer data (never left set at completion here). */
    public static final int STATUS_DRQ = 0x08;
    /** STATUS bit 4: obsolete "seek complete", set as QEMU's IDE disk sets it. */
    public static final int STATUS_DSC = 0x10;
    /** STATUS bit 5: device fault. */
    public static final int STATUS_DF = 0x20;
    /** STATUS bit 6: device ready. */
    public static final int STATUS_DRDY = 0x40;
    /** STATUS bit 7: busy. */
    public static final int STATUS_BSY = 0x80;

    /** ERROR bit 2: command aborted (unsupported command or parameter, or refused). */
    public static final int ERROR_ABRT = 0x04;
    /** ERROR bit 4: ID not found (the address is beyond the medium or the sector's ID is lost). */
    public static final int ERROR_IDNF = 0x10;
    /** ERROR bit 6: uncorrectable data error. */
    public static final int ERROR_UNC = 0x40;

    /** Status after a successful command. */
    public static final int STATUS_GOOD = STATUS_DRDY | STATUS_DSC;

    /** A successful completion. */
    public static AtaResult good(int count, long lba, int transferred, long busyNs) {
        return new AtaResult(STATUS_GOOD, 0, count, lba, transferred, busyNs);
    }

    /** An error completion with {@code error} bits, the failing address and what had moved before it. */
    public static AtaResult failed(int error, long lba, int transferred, long busyNs) {
        return new AtaResult(STATUS_GOOD | STATUS_ERR, error, 0, lba, transferred, busyNs);
    }

    /** Whether the command completed without error. */
    public boolean ok() {
        return (status & STATUS_ERR) == 0;
    }

    /** Whether the ERROR register has all of {@code bits}. */
    public boolean hasError(int bits) {
        return !ok() && (error & bits) == bits;
    }

    @Override
    public String toString() {
        return ok() ? String.format("AtaResult[ok, count=%d, lba=%d, %d bytes]", count, lba, transferred)
                : String.format("AtaResult[status=0x%02X error=0x%02X lba=%d after %d bytes]", status, error, lba, transferred);
    }
}
