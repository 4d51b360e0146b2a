package brassboard.devices.storage.scsi;

import brassboard.devices.storage.ata.AtaCommand;
import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.ata.AtaResult;
import brassboard.devices.storage.ata.TaskFile;
import java.util.function.Consumer;

/**
 * The SCSI-to-ATA translation, after SAT-3: which ATA commands serve a SCSI command, and which
 * sense data an ATA error becomes.
 *
 * <p>Reads and writes go to the ATA disk as READ/WRITE DMA EXT in pieces of at most
 * {@link #CHUNK_SECTORS} sectors, as the host moves the data (so a 32 MiB READ(10) never needs
 * 32 MiB of memory, and a medium error part-way stops the data where the failing sector is).
 *
 * <p>ATA errors: UNC on a read or verify is MEDIUM ERROR, UNRECOVERED READ ERROR (11h/00h); UNC on
 * a write is MEDIUM ERROR, WRITE ERROR (0Ch/00h); IDNF is MEDIUM ERROR, RECORD NOT FOUND (14h/01h)
 * (the SCSI layer has checked the range already, so IDNF means a lost sector); each with the
 * failing LBA from the ATA LBA registers in the INFORMATION field; DEVICE FAULT on a write (a sector
 * that could be neither written nor remapped) is MEDIUM ERROR, WRITE ERROR - AUTO REALLOCATION FAILED
 * (0Ch/02h) with the LBA. ABRT is ABORTED COMMAND (00h/00h).
 */
final class AtaTranslation {
    /** Sectors per ATA command (64 KiB): what USB-to-ATA bridges typically move per command. */
    static final int CHUNK_SECTORS = 128;
    /** Sectors per READ VERIFY SECTORS EXT (its 16-bit count's maximum). */
    static final int VERIFY_SECTORS = 65_536;

    private final AtaDisk disk;
    private final byte[] identify = new byte[AtaDisk.SECTOR];
    /** Virtual time the ATA commands have taken since {@link #takeBusyNs()} last drained it. */
    private long busyNs;

    AtaTranslation(AtaDisk disk) {
        this.disk = disk;
    }

    AtaDisk disk() {
        return disk;
    }

    /** Runs an ATA command (for the pass-through), adding its time to the busy account. */
    AtaResult run(TaskFile tf, byte[] buffer, int offset) {
        return execute(tf, buffer, offset);
    }

    /** Runs an ATA command, adding its time to the busy account. */
    private AtaResult execute(TaskFile tf, byte[] buffer, int offset) {
        AtaResult r = disk.execute(tf, buffer, offset);
        busyNs += r.busyNs();
        return r;
    }

    /** The virtual time ATA commands took since the last call. */
    long takeBusyNs() {
        long ns = busyNs;
        busyNs = 0;
        return ns;
    }

    /** IDENTIFY DEVICE, into a buffer reused between calls (the caller reads it at once). */
    byte[] identify() {
        execute(TaskFile.of(AtaCommand.IDENTIFY_DEVICE, 0, 0, 0), identify, 0);
        return identify;
    }

    /** Sectors the disk reports in IDENTIFY words 100-103. */
    long capacity() {
        byte[] id = identify();
        long n = 0;
        for (int w = 103; w >= 100; w--) {
            n = n << 16 | (id[2 * w] & 0xFF) | (id[2 * w + 1] & 0xFF) << 8;
        }
        return n;
    }

    /** IDENTIFY word {@code w}. */
    int identifyWord(int w) {
        byte[] id = identify();
        return (id[2 * w] & 0xFF) | (id[2 * w + 1] & 0xFF) << 8;
    }

    /** Sense for an ATA error on a read ({@code write} false) or a write. */
    static Sense sense(AtaResult r, boolean write) {
        if ((r.status() & AtaResult.STATUS_DF) != 0) {
            // A device fault on a write: the drive could not write the sector nor remap it.
            return (write ? Sense.WRITE_ERROR_AUTO_REALLOCATION_FAILED : Sense.UNRECOVERED_READ_ERROR).withInformation(r.lba());
        }
        if (r.hasError(AtaResult.ERROR_UNC)) {
            return (write ? Sense.WRITE_ERROR : Sense.UNRECOVERED_READ_ERROR).withInformation(r.lba());
        }
        if (r.hasError(AtaResult.ERROR_IDNF)) {
            return Sense.RECORD_NOT_FOUND.withInformation(r.lba());
        }
        return Sense.ABORTED_COMMAND;
    }

    /** Runs a non-data ATA command; null when it succeeded, else the sense for its error. */
    Sense nonData(TaskFile tf) {
        AtaResult r = execute(tf, null, 0);
        return r.ok() ? null : sense(r, false);
    }

    /** FLUSH CACHE EXT. */
    Sense flush() {
        return nonData(TaskFile.lba48(AtaCommand.FLUSH_CACHE_EXT, 0, 0));
    }

    /** READ VERIFY SECTORS EXT over {@code [lba, lba + blocks)}, in pieces of 65,536 sectors. */
    Sense verify(long lba, long blocks) {
        for (long done = 0; done < blocks; ) {
            int n = (int) Math.min(VERIFY_SECTORS, blocks - done);
            Sense s = nonData(TaskFile.lba48(AtaCommand.READ_VERIFY_SECTORS_EXT, lba + done, n));
            if (s != null) {
                return s;
            }
            done += n;
        }
        return null;
    }

    /** A READ task: data-in of {@code blocks} sectors from {@code lba}. */
    ScsiTask read(Consumer<ScsiResult> recorder, long lba, long blocks) {
        return new ReadTask(recorder, lba, blocks);
    }

    /** A WRITE task: data-out of {@code blocks} sectors to {@code lba}, flushed at the end when {@code fua}. */
    ScsiTask write(Consumer<ScsiResult> recorder, long lba, long blocks, boolean fua) {
        return new WriteTask(recorder, lba, blocks, fua);
    }

    private final class ReadTask extends Task {
        private final long blocks;
        private long nextLba;
        private long remaining;
        private final byte[] chunk;
        private int chunkPos;
        private int chunkLen;
        private Sense error;

        ReadTask(Consumer<ScsiResult> recorder, long lba, long blocks) {
            super(recorder, AtaTranslation.this::takeBusyNs);
            this.blocks = blocks;
            this.nextLba = lba;
            this.remaining = blocks;
            this.chunk = new byte[(int) Math.min(blocks, CHUNK_SECTORS) * AtaDisk.SECTOR];
        }

        @Override
        public Direction direction() {
            return Direction.IN;
        }

        @Override
        public long length() {
            return blocks * AtaDisk.SECTOR;
        }

        @Override
        public int readData(byte[] dst, int offset, int max) {
            int copied = 0;
            while (copied < max) {
                if (chunkPos == chunkLen && !fill()) {
                    break;
                }
                int n = Math.min(max - copied, chunkLen - chunkPos);
                System.arraycopy(chunk, chunkPos, dst, offset + copied, n);
                chunkPos += n;
                copied += n;
            }
            return copied;
        }

        /** Reads the next piece from the disk; false when there is nothing more to read. */
        private boolean fill() {
            if (remaining == 0 || error != null) {
                return false;
            }
            int n = (int) Math.min(remaining, CHUNK_SECTORS);
            AtaResult r = execute(TaskFile.lba48(AtaCommand.READ_DMA_EXT, nextLba, n), chunk, 0);
            chunkPos = 0;
            chunkLen = r.transferred();
            if (!r.ok()) {
                error = sense(r, false);
                remaining = 0;
            } else {
                nextLba += n;
                remaining -= n;
            }
            return chunkLen > 0;
        }

        @Override
        ScsiResult finish() {
            return error == null ? ScsiResult.GOOD : ScsiResult.check(error);
        }
    }

    private final class WriteTask extends Task {
        private final long blocks;
        private final boolean fua;
        private long nextLba;
        private long remaining;
        private final byte[] chunk;
        private int chunkLen;
        private Sense error;

        WriteTask(Consumer<ScsiResult> recorder, long lba, long blocks, boolean fua) {
            super(recorder, AtaTranslation.this::takeBusyNs);
            this.blocks = blocks;
            this.fua = fua;
            this.nextLba = lba;
            this.remaining = blocks;
            this.chunk = new byte[(int) Math.min(blocks, CHUNK_SECTORS) * AtaDisk.SECTOR];
        }

        @Override
        public Direction direction() {
            return Direction.OUT;
        }

        @Override
        public long length() {
            return blocks * AtaDisk.SECTOR;
        }

        @Override
        public int writeData(byte[] src, int offset, int length) {
            int taken = 0;
            while (taken < length && remaining > 0 && error == null) {
                int want = (int) Math.min(remaining, CHUNK_SECTORS) * AtaDisk.SECTOR;
                int n = Math.min(length - taken, want - chunkLen);
                System.arraycopy(src, offset + taken, chunk, chunkLen, n);
                chunkLen += n;
                taken += n;
                if (chunkLen == want) {
                    store(want / AtaDisk.SECTOR);
                }
            }
            return taken;
        }

        /** Writes the first {@code sectors} sectors of the chunk. */
        private void store(int sectors) {
            AtaResult r = execute(TaskFile.lba48(AtaCommand.WRITE_DMA_EXT, nextLba, sectors), chunk, 0);
            chunkLen = 0;
            if (!r.ok()) {
                error = sense(r, true);
                remaining = 0;
                return;
            }
            nextLba += sectors;
            remaining -= sectors;
        }

        @Override
        ScsiResult finish() {
            if (error == null && remaining > 0) {
                // The host sent less than the command needs: keep the whole sectors that arrived.
                if (chunkLen >= AtaDisk.SECTOR) {
                    store(chunkLen / AtaDisk.SECTOR);
                }
                if (error == null) {
                    error = Sense.DATA_PHASE_ERROR;
                }
            }
            if (error == null && fua) {
                error = flush();
            }
            return error == null ? ScsiResult.GOOD : ScsiResult.check(error);
        }

        @Override
        void dropped() {
            chunkLen = 0;
            remaining = 0;
        }
    }
}
