package brassboard.devices.storage.ata;

/**
 * How long the disk's commands take in virtual time: a fixed overhead per command, a transfer time
 * per sector, and a seek when a media access does not start where the previous one ended. A pure
 * function of the command sequence, so runs stay deterministic. {@link #NONE} (every command
 * instant) is the default, as in QEMU.
 *
 * @param commandNs   overhead of every command
 * @param perSectorNs media transfer time per sector read, written or verified
 * @param seekNs      added when an access starts elsewhere than the previous one ended
 */
public record AtaTiming(long commandNs, long perSectorNs, long seekNs) {
    /** Every command completes at once. */
    public static final AtaTiming NONE = new AtaTiming(0, 0, 0);

    public AtaTiming {
        if (commandNs < 0 || perSectorNs < 0 || seekNs < 0) {
            throw new IllegalArgumentException("negative ATA timing " + commandNs + "/" + perSectorNs + "/" + seekNs + " ns");
        }
    }

    /**
     * A 2000s 7200 rpm disk in round numbers: 50 us per command, 5 us per sector (~100 MB/s), 8 ms
     * average seek.
     */
    public static AtaTiming desktopDisk() {
        return new AtaTiming(50_000, 5_000, 8_000_000);
    }
}
