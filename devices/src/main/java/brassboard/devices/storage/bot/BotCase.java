package brassboard.devices.storage.bot;

/**
 * The thirteen cases of host and device expectations (BOT 1.0 §6.7): what the host announced in
 * the CBW (Hn no data, Hi data in, Ho data out) against what the device intends (Dn, Di, Do).
 * Cases 1, 6 and 12 are the normal ones; the phase-error cases end with bCSWStatus 02h.
 */
public enum BotCase {
    HN_DN(1, false), HN_DI(2, true), HN_DO(3, true),
    HI_DN(4, false), HI_GT_DI(5, false), HI_EQ_DI(6, false), HI_LT_DI(7, true), HI_DO(8, true),
    HO_DN(9, false), HO_DI(10, true), HO_GT_DO(11, false), HO_EQ_DO(12, false), HO_LT_DO(13, true);

    private final int number;
    private final boolean phaseError;

    BotCase(int number, boolean phaseError) {
        this.number = number;
        this.phaseError = phaseError;
    }

    /** The case's number in §6.7. */
    public int number() {
        return number;
    }

    /** Whether the spec calls for bCSWStatus 02h (phase error). */
    public boolean phaseError() {
        return phaseError;
    }

    /** The case for a host expecting {@code hostLength} bytes ({@code hostIn}: towards the host) and a device intending {@code deviceLength} in {@code device}'s direction. */
    static BotCase classify(long hostLength, boolean hostIn, brassboard.devices.storage.scsi.ScsiTask.Direction device,
                            long deviceLength) {
        if (hostLength == 0) {
            return switch (device) {
                case NONE -> HN_DN;
                case IN -> HN_DI;
                case OUT -> HN_DO;
            };
        }
        if (hostIn) {
            return switch (device) {
                case NONE -> HI_DN;
                case IN -> hostLength > deviceLength ? HI_GT_DI : hostLength == deviceLength ? HI_EQ_DI : HI_LT_DI;
                case OUT -> HI_DO;
            };
        }
        return switch (device) {
            case NONE -> HO_DN;
            case IN -> HO_DI;
            case OUT -> hostLength > deviceLength ? HO_GT_DO : hostLength == deviceLength ? HO_EQ_DO : HO_LT_DO;
        };
    }
}
