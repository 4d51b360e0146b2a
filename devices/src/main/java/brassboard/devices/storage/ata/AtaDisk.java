package brassboard.devices.storage.ata;

import static brassboard.devices.storage.ata.AtaResult.ERROR_ABRT;
import static brassboard.devices.storage.ata.AtaResult.ERROR_IDNF;
import static brassboard.devices.storage.ata.AtaResult.ERROR_UNC;

import brassboard.devices.storage.api.BlockBackend;
import java.io.IOException;

/**
 * An ATA disk (ATA8-ACS) over a {@link BlockBackend}: a host (an IDE controller, a USB-to-ATA
 * bridge, the SCSI translation layer) writes a {@link TaskFile}, and {@link #execute} runs the
 * command to completion, moving data through the host's buffer, and returns the output registers.
 *
 * <p>Commands ({@link AtaCommand}): IDENTIFY DEVICE; READ/WRITE SECTORS (EXT), READ/WRITE DMA (EXT),
 * READ/WRITE MULTIPLE (EXT) after SET MULTIPLE MODE (PIO, DMA and multiple-sector blocks move the
 * same bytes here; the protocol matters to the bus, not to the medium);
 * READ VERIFY SECTORS (EXT); FLUSH CACHE (EXT); SET FEATURES (write cache 02h/82h, read look-ahead
 * AAh/55h, transfer mode 03h); CHECK POWER MODE; STANDBY IMMEDIATE; IDLE IMMEDIATE; SMART (READ
 * DATA, READ THRESHOLDS, ENABLE/DISABLE OPERATIONS, RETURN STATUS). Anything else: ERR + ABRT.
 *
 * <p>Errors: an address beyond the medium is ERR + IDNF with the requested LBA; a write to a
 * read-only backend is ERR + ABRT; a sector the {@link Medium} fails is ERR + UNC (or IDNF) with
 * the failing LBA, after the sectors before it have transferred; a host I/O error under the backend
 * is reported as UNC at the first sector of the command. A sector the medium can neither write nor
 * remap ({@link Medium.Failure#WRITE_FAULT}) is DF + ERR + ABRT with its LBA.
 *
 * <p>The write cache (enabled at power-on, as on most disks) only decides whether each write is
 * followed by a backend flush; the backend itself is the cache.
 */
public final class AtaDisk {
    /** Power modes as CHECK POWER MODE reports them in COUNT (ATA8-ACS §7.6). */
    public enum PowerMode {
        ACTIVE(0xFF), IDLE(0x80), STANDBY(0x00);

        private final int count;

        PowerMode(int count) {
            this.count = count;
        }

        /** The COUNT output of CHECK POWER MODE. */
        public int count() {
            return count;
        }
    }

    // SET FEATURES subcommands (FEATURE register, ATA8-ACS Table 51).
    static final int SF_ENABLE_WRITE_CACHE = 0x02;
    static final int SF_SET_TRANSFER_MODE = 0x03;
    static final int SF_DISABLE_READ_LOOK_AHEAD = 0x55;
    static final int SF_DISABLE_WRITE_CACHE = 0x82;
    static final int SF_ENABLE_READ_LOOK_AHEAD = 0xAA;

    /** Bytes per sector. */
    public static final int SECTOR = 512;

    private final BlockBackend backend;
    private final AtaIdentity identity;
    private final Medium medium;
    private final AtaTiming timing;
    private final Smart smart;
    /** LBA just past the last media access, for the seek model; -1 before the first. */
    private long headAt = -1;
    private boolean writeCache;
    private boolean lookAhead;
    private int udmaMode;
    private int mwdmaMode;
    /** Sectors per DRQ block for READ/WRITE MULTIPLE (SET MULTIPLE MODE); 0 until set. */
    private int multipleSectors;
    private PowerMode powerMode;

    /** A disk with QEMU's IDE identity over a perfect medium. */
    public AtaDisk(BlockBackend backend) {
        this(backend, AtaIdentity.qemu(), Medium.PERFECT);
    }

    public AtaDisk(BlockBackend backend, AtaIdentity identity, Medium medium) {
        this(backend, identity, medium, AtaTiming.NONE);
    }

    /** A disk whose commands take virtual time as {@code timing} says (reported in {@link AtaResult#busyNs()}). */
    public AtaDisk(BlockBackend backend, AtaIdentity identity, Medium medium, AtaTiming timing) {
        if (backend.sectorSize() != SECTOR) {
            throw new IllegalArgumentException("ATA disk over " + backend.sectorSize() + "-byte sectors; expected " + SECTOR);
        }
        this.backend = backend;
        this.identity = identity;
        this.medium = medium;
        this.timing = timing;
        this.smart = new Smart(medium);
        powerOn();
    }

    /** Power-on: write cache and look-ahead enabled, UDMA 5 selected, active, SMART enabled. */
    public void powerOn() {
        writeCache = true;
        lookAhead = true;
        udmaMode = 5;
        mwdmaMode = -1;
        multipleSectors = 0;
        powerMode = PowerMode.ACTIVE;
        smart.enable(true);
    }

    /** The sectors the disk holds. */
    public long sectors() {
        return backend.sectorCount();
    }

    /** Whether the backend refuses writes. */
    public boolean readOnly() {
        return backend.readOnly();
    }

    /** Model, serial number and firmware revision. */
    public AtaIdentity identity() {
        return identity;
    }

    /** The current power mode. */
    public PowerMode powerMode() {
        return powerMode;
    }

    /** Whether the volatile write cache is enabled (SET FEATURES 02h/82h). */
    public boolean writeCacheEnabled() {
        return writeCache;
    }

    /** Whether read look-ahead is enabled (SET FEATURES AAh/55h). */
    public boolean lookAheadEnabled() {
        return lookAhead;
    }

    /** Whether SMART operations are enabled. */
    public boolean smartEnabled() {
        return smart.enabled();
    }

    /**
     * Bytes the command in {@code tf} moves between host and device (the buffer {@link #execute}
     * needs): sectors times 512 for data commands, 512 for IDENTIFY and the SMART reads, 0 otherwise.
     */
    public static int dataBytes(TaskFile tf) {
        AtaCommand c = AtaCommand.forOpcode(tf.command());
        if (c == null) {
            return 0;
        }
        if (c == AtaCommand.SMART) {
            int f = tf.features() & 0xFF;
            return f == Smart.READ_DATA || f == Smart.READ_THRESHOLDS ? SECTOR : 0;
        }
        if (c == AtaCommand.IDENTIFY_DEVICE) {
            return SECTOR;
        }
        if (c.protocol().dataIn() || c.protocol().dataOut()) {
            return c.addressing().sectors(tf.count()) * SECTOR;
        }
        return 0;
    }

    /**
     * Runs the command in {@code tf} to completion. Data-in commands fill {@code buffer} from
     * {@code offset}; data-out commands take their data from it; it must hold {@link #dataBytes} bytes.
     */
    public AtaResult execute(TaskFile tf, byte[] buffer, int offset) {
        AtaCommand c = AtaCommand.forOpcode(tf.command());
        if (c == null) {
            return abort();
        }
        AtaResult r = run(c, tf, buffer, offset);
        if (timing == AtaTiming.NONE) {
            return r;
        }
        long ns = timing.commandNs() + media(c, tf, r);
        return new AtaResult(r.status(), r.error(), r.count(), r.lba(), r.transferred(), r.busyNs() + ns);
    }

    /** Media time of a completed command: sectors moved or verified, plus a seek when not sequential. */
    private long media(AtaCommand c, TaskFile tf, AtaResult r) {
        if (c.addressing() == AtaCommand.Addressing.NONE) {
            return 0;
        }
        long lba = address(c, tf);
        int n = c.addressing().sectors(tf.count());
        if (lba < 0 || !backend.inRange(lba, n) || r.hasError(ERROR_ABRT)) {
            return 0; // refused before the heads moved
        }
        long sectors = r.ok() ? n : r.lba() - lba + 1;
        long ns = (lba != headAt ? timing.seekNs() : 0) + sectors * timing.perSectorNs();
        headAt = lba + sectors;
        return ns;
    }

    private AtaResult run(AtaCommand c, TaskFile tf, byte[] buffer, int offset) {
        return switch (c) {
            case IDENTIFY_DEVICE -> identifyDevice(buffer, offset);
            case READ_SECTORS, READ_SECTORS_EXT, READ_DMA, READ_DMA_EXT -> readSectors(c, tf, buffer, offset);
            case WRITE_SECTORS, WRITE_SECTORS_EXT, WRITE_DMA, WRITE_DMA_EXT -> writeSectors(c, tf, buffer, offset);
            case READ_MULTIPLE, READ_MULTIPLE_EXT -> multipleSectors == 0 ? abort() : readSectors(c, tf, buffer, offset);
            case WRITE_MULTIPLE, WRITE_MULTIPLE_EXT -> multipleSectors == 0 ? abort() : writeSectors(c, tf, buffer, offset);
            case SET_MULTIPLE_MODE -> setMultipleMode(tf.count() & 0xFF);
            case READ_VERIFY_SECTORS, READ_VERIFY_SECTORS_EXT -> readVerifySectors(c, tf);
            case FLUSH_CACHE, FLUSH_CACHE_EXT -> flushCache();
            case SET_FEATURES -> setFeatures(tf);
            case CHECK_POWER_MODE -> AtaResult.good(powerMode.count(), 0, 0, 0);
            case STANDBY_IMMEDIATE -> enter(PowerMode.STANDBY);
            case IDLE_IMMEDIATE -> enter(PowerMode.IDLE);
            case SMART -> smart(tf, buffer, offset);
        };
    }

    private static AtaResult abort() {
        return AtaResult.failed(ERROR_ABRT, 0, 0, 0);
    }

    // IDENTIFY DEVICE
    private AtaResult identifyDevice(byte[] buffer, int offset) {
        IdentifyDevice.build(buffer, offset, backend.sectorCount(), identity,
                new IdentifyDevice.Settings(smart.enabled(), writeCache, lookAhead, udmaMode, mwdmaMode, 5400,
                        multipleSectors));
        return AtaResult.good(0, 0, SECTOR, 0);
    }

    /** The LBA a command addresses, or -1 when a 28-bit command does not use LBA addressing. */
    private static long address(AtaCommand c, TaskFile tf) {
        if (c.addressing() == AtaCommand.Addressing.LBA48) {
            return tf.lba() & 0xFFFF_FFFF_FFFFL;
        }
        return (tf.device() & TaskFile.DEVICE_LBA) == 0 ? -1 : tf.lba28();
    }

    // READ SECTORS (EXT), READ DMA (EXT)
    private AtaResult readSectors(AtaCommand c, TaskFile tf, byte[] buffer, int offset) {
        long lba = address(c, tf);
        int n = c.addressing().sectors(tf.count());
        AtaResult bad = checkAddress(lba, n);
        if (bad != null) {
            return bad;
        }
        powerMode = PowerMode.ACTIVE;
        Medium.Check check = medium.check(lba, n, false);
        int good = Math.min(n, check.good());
        try {
            if (good > 0) {
                backend.read(lba, good, buffer, offset);
            }
        } catch (IOException e) {
            smart.countReportedUncorrectable();
            return AtaResult.failed(ERROR_UNC, lba, 0, check.busyNs());
        }
        return completion(lba, n, good, check);
    }

    // WRITE SECTORS (EXT), WRITE DMA (EXT)
    private AtaResult writeSectors(AtaCommand c, TaskFile tf, byte[] buffer, int offset) {
        long lba = address(c, tf);
        int n = c.addressing().sectors(tf.count());
        AtaResult bad = checkAddress(lba, n);
        if (bad != null) {
            return bad;
        }
        if (backend.readOnly()) {
            return AtaResult.failed(ERROR_ABRT, lba, 0, 0);
        }
        powerMode = PowerMode.ACTIVE;
        Medium.Check check = medium.check(lba, n, true);
        int good = Math.min(n, check.good());
        try {
            if (good > 0) {
                backend.write(lba, good, buffer, offset);
                if (!writeCache) {
                    backend.flush();
                }
            }
        } catch (IOException e) {
            return AtaResult.failed(ERROR_UNC, lba, 0, check.busyNs());
        }
        return completion(lba, n, good, check);
    }

    // READ VERIFY SECTORS (EXT): read the sectors without transferring them
    private AtaResult readVerifySectors(AtaCommand c, TaskFile tf) {
        long lba = address(c, tf);
        int n = c.addressing().sectors(tf.count());
        AtaResult bad = checkAddress(lba, n);
        if (bad != null) {
            return bad;
        }
        powerMode = PowerMode.ACTIVE;
        Medium.Check check = medium.check(lba, n, false);
        AtaResult r = completion(lba, n, Math.min(n, check.good()), check);
        return r.ok() ? AtaResult.good(0, 0, 0, r.busyNs()) : new AtaResult(r.status(), r.error(), 0, r.lba(), 0, r.busyNs());
    }

    /** ABRT for a 28-bit command without the LBA bit, IDNF for an address beyond the medium, else null. */
    private AtaResult checkAddress(long lba, int n) {
        if (lba < 0) {
            return abort(); // CHS addressing (obsolete) is not implemented
        }
        if (!backend.inRange(lba, n)) {
            return AtaResult.failed(ERROR_IDNF, lba, 0, 0);
        }
        return null;
    }

    /** Good completion when all {@code n} sectors went through, else the medium's error at the first failing one. */
    private AtaResult completion(long lba, int n, int good, Medium.Check check) {
        if (good >= n) {
            return AtaResult.good(0, 0, n * SECTOR, check.busyNs());
        }
        if (check.failure() == Medium.Failure.WRITE_FAULT) {
            // ATA8-ACS §6.2.5: DEVICE FAULT with ABRT; the LBA outputs name the sector that failed.
            return new AtaResult(AtaResult.STATUS_GOOD | AtaResult.STATUS_DF | AtaResult.STATUS_ERR, ERROR_ABRT, 0,
                    lba + good, good * SECTOR, check.busyNs());
        }
        int error = check.failure() == Medium.Failure.ID_NOT_FOUND ? ERROR_IDNF : ERROR_UNC;
        if (error == ERROR_UNC) {
            smart.countReportedUncorrectable();
        }
        return AtaResult.failed(error, lba + good, good * SECTOR, check.busyNs());
    }

    // FLUSH CACHE (EXT)
    private AtaResult flushCache() {
        try {
            backend.flush();
        } catch (IOException e) {
            return AtaResult.failed(ERROR_ABRT, 0, 0, 0);
        }
        return AtaResult.good(0, 0, 0, 0);
    }

    // SET FEATURES
    private AtaResult setFeatures(TaskFile tf) {
        switch (tf.features() & 0xFF) {
            case SF_ENABLE_WRITE_CACHE -> writeCache = true;
            case SF_DISABLE_WRITE_CACHE -> {
                writeCache = false;
                return flushCache(); // what was cached must reach the medium now
            }
            case SF_ENABLE_READ_LOOK_AHEAD -> lookAhead = true;
            case SF_DISABLE_READ_LOOK_AHEAD -> lookAhead = false;
            case SF_SET_TRANSFER_MODE -> {
                return setTransferMode(tf.count() & 0xFF);
            }
            default -> {
                return abort();
            }
        }
        return AtaResult.good(0, 0, 0, 0);
    }

    /** SET FEATURES 03h: COUNT 7:3 is the mode type (00001b PIO flow control, 00100b MWDMA, 01000b UDMA), 2:0 the mode. */
    private AtaResult setTransferMode(int count) {
        int mode = count & 7;
        switch (count >> 3) {
            case 0, 1 -> { // PIO default / PIO flow-control mode (0-4)
                if (count >> 3 == 1 && mode > 4) {
                    return abort();
                }
                return AtaResult.good(0, 0, 0, 0);
            }
            case 4 -> { // multiword DMA 0-2
                if (mode > 2) {
                    return abort();
                }
                mwdmaMode = mode;
                udmaMode = -1;
            }
            case 8 -> { // Ultra DMA 0-5
                if (mode > 5) {
                    return abort();
                }
                udmaMode = mode;
                mwdmaMode = -1;
            }
            default -> {
                return abort();
            }
        }
        return AtaResult.good(0, 0, 0, 0);
    }

    /**
     * SET MULTIPLE MODE: COUNT sectors per DRQ block, a power of two up to
     * {@link IdentifyDevice#MAX_MULTIPLE} (word 47); 0 turns READ/WRITE MULTIPLE off.
     */
    private AtaResult setMultipleMode(int count) {
        if (count > IdentifyDevice.MAX_MULTIPLE || Integer.bitCount(count) > 1) {
            return abort();
        }
        multipleSectors = count;
        return AtaResult.good(0, 0, 0, 0);
    }

    // STANDBY IMMEDIATE, IDLE IMMEDIATE
    private AtaResult enter(PowerMode mode) {
        if (mode == PowerMode.STANDBY) {
            AtaResult flushed = flushCache(); // a drive writes its cache back before spinning down
            if (!flushed.ok()) {
                return flushed;
            }
        }
        powerMode = mode;
        return AtaResult.good(0, 0, 0, 0);
    }

    // SMART
    private AtaResult smart(TaskFile tf, byte[] buffer, int offset) {
        int feature = tf.features() & 0xFF;
        if (((tf.lba() >>> 8) & 0xFFFF) != Smart.SIGNATURE) {
            return abort(); // LBA mid/high must be 4Fh/C2h
        }
        if (!smart.enabled() && feature != Smart.ENABLE_OPERATIONS) {
            return abort(); // only ENABLE OPERATIONS works while SMART is disabled
        }
        switch (feature) {
            case Smart.READ_DATA -> {
                smart.readData(buffer, offset);
                return AtaResult.good(0, 0, SECTOR, 0);
            }
            case Smart.READ_THRESHOLDS -> {
                smart.readThresholds(buffer, offset);
                return AtaResult.good(0, 0, SECTOR, 0);
            }
            case Smart.ENABLE_OPERATIONS -> smart.enable(true);
            case Smart.DISABLE_OPERATIONS -> smart.enable(false);
            case Smart.RETURN_STATUS -> {
                int answer = smart.thresholdExceeded() ? Smart.THRESHOLD_EXCEEDED : Smart.SIGNATURE;
                return AtaResult.good(0, (long) answer << 8, 0, 0);
            }
            default -> {
                return abort();
            }
        }
        return AtaResult.good(0, 0, 0, 0);
    }
}
