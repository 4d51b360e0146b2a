package brassboard.devices.storage.bridge;

import java.util.HexFormat;
import java.util.Optional;

/**
 * When the Super Top's firmware wedges on its own (its controller bug, {@link SuperTop}): a data
 * pattern in a WRITE's payload, a number of bytes written since the bridge was attached, or both
 * (whichever comes first); and whether, and after how long, the bridge returns.
 *
 * @param pattern       bytes that wedge the firmware when a WRITE carries them, or empty
 * @param sectorOffset  where in a 512-byte sector the pattern must start (0-511), or -1 for
 *                      anywhere in the data (across sector and packet boundaries)
 * @param afterBytes    bytes of WRITE data the firmware takes before it wedges on the next packet;
 *                      0: no threshold
 * @param returnAfterNs virtual time after which a wedged bridge comes back; negative: never
 */
public record WedgeTrigger(Optional<byte[]> pattern, int sectorOffset, long afterBytes, long returnAfterNs) {
    /** The bug never fires on its own ({@link SuperTop#wedge()} still forces it); no return. */
    public static final WedgeTrigger NONE = new WedgeTrigger(Optional.empty(), -1, 0, -1);

    public WedgeTrigger {
        if (pattern.isPresent() && (pattern.get().length == 0 || pattern.get().length > 512)) {
            throw new IllegalArgumentException("wedge pattern of " + pattern.get().length + " bytes; expected 1 to 512");
        }
        if (sectorOffset < -1 || sectorOffset > 511) {
            throw new IllegalArgumentException("wedge pattern offset " + sectorOffset + "; expected 0 to 511 within a sector");
        }
        if (pattern.isPresent() && sectorOffset >= 0 && sectorOffset + pattern.get().length > 512) {
            throw new IllegalArgumentException("wedge pattern at offset " + sectorOffset + " runs past the end of the sector");
        }
        if (afterBytes < 0) {
            throw new IllegalArgumentException("wedge threshold " + afterBytes + " bytes is negative; expected 0 (none) or more");
        }
        pattern = pattern.map(byte[]::clone);
    }

    /** A trigger on {@code pattern} anywhere in the written data. */
    public static WedgeTrigger onPattern(byte[] pattern) {
        return new WedgeTrigger(Optional.of(pattern), -1, 0, -1);
    }

    /** A trigger once {@code bytes} of data have been written since attach. */
    public static WedgeTrigger afterBytes(long bytes) {
        return new WedgeTrigger(Optional.empty(), -1, bytes, -1);
    }

    /** This trigger with the pattern only matching at {@code offset} within a sector. */
    public WedgeTrigger atSectorOffset(int offset) {
        return new WedgeTrigger(pattern, offset, afterBytes, returnAfterNs);
    }

    /** This trigger, also firing after {@code bytes} written. */
    public WedgeTrigger withAfterBytes(long bytes) {
        return new WedgeTrigger(pattern, sectorOffset, bytes, returnAfterNs);
    }

    /** This trigger, also firing on {@code bytes} in the data. */
    public WedgeTrigger withPattern(byte[] bytes) {
        return new WedgeTrigger(Optional.of(bytes), sectorOffset, afterBytes, returnAfterNs);
    }

    /** This trigger, with the bridge returning {@code ns} after it wedges. */
    public WedgeTrigger returningAfter(long ns) {
        return new WedgeTrigger(pattern, sectorOffset, afterBytes, ns);
    }

    /** Whether anything makes the firmware wedge on its own. */
    public boolean armed() {
        return pattern.isPresent() || afterBytes > 0;
    }

    @Override
    public String toString() {
        return "WedgeTrigger[" + pattern.map(p -> "pattern=" + HexFormat.of().formatHex(p)
                + (sectorOffset >= 0 ? "@" + sectorOffset : "") + " ").orElse("")
                + (afterBytes > 0 ? "after=" + afterBytes + " " : "") + "return=" + returnAfterNs + "ns]";
    }
}
