package brassboard.devices.storage.block;

import brassboard.devices.storage.api.BlockBackend;
import java.util.Arrays;

/**
 * Sectors in memory, all zero at first, allocated 64 KiB at a time as they are written (an untouched
 * chunk reads as zeros and costs nothing). For tests and scratch disks; nothing survives the run.
 */
public final class MemoryBackend implements BlockBackend {
    static final int SECTOR = 512;
    /** Sectors per allocation chunk. */
    private static final int CHUNK_SECTORS = 128;

    private final long sectorCount;
    private final boolean readOnly;
    private final byte[][] chunks;

    /** A writable disk of {@code sectorCount} zeroed 512-byte sectors. */
    public MemoryBackend(long sectorCount) {
        this(sectorCount, false);
    }

    /** A disk of {@code sectorCount} zeroed sectors, read-only if asked (fill it with {@link #load} first). */
    public MemoryBackend(long sectorCount, boolean readOnly) {
        if (sectorCount <= 0 || (sectorCount + CHUNK_SECTORS - 1) / CHUNK_SECTORS > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("memory disk of " + sectorCount + " sectors; expected 1 to "
                    + (long) (Integer.MAX_VALUE - 8) * CHUNK_SECTORS);
        }
        this.sectorCount = sectorCount;
        this.readOnly = readOnly;
        this.chunks = new byte[(int) ((sectorCount + CHUNK_SECTORS - 1) / CHUNK_SECTORS)][];
    }

    /** Copies {@code bytes} in from byte offset {@code lba * 512}, whatever the read-only setting (test set-up). */
    public MemoryBackend load(long lba, byte[] bytes) {
        long sectors = (bytes.length + SECTOR - 1) / SECTOR;
        checkRange(lba, sectors);
        byte[] padded = Arrays.copyOf(bytes, (int) (sectors * SECTOR));
        store(lba, (int) sectors, padded, 0);
        return this;
    }

    @Override
    public int sectorSize() {
        return SECTOR;
    }

    @Override
    public long sectorCount() {
        return sectorCount;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void read(long lba, int sectors, byte[] dst, int offset) {
        checkRange(lba, sectors);
        for (int i = 0; i < sectors; i++) {
            long s = lba + i;
            byte[] chunk = chunks[(int) (s / CHUNK_SECTORS)];
            int at = offset + i * SECTOR;
            if (chunk == null) {
                Arrays.fill(dst, at, at + SECTOR, (byte) 0);
            } else {
                System.arraycopy(chunk, (int) (s % CHUNK_SECTORS) * SECTOR, dst, at, SECTOR);
            }
        }
    }

    @Override
    public void write(long lba, int sectors, byte[] src, int offset) {
        if (readOnly) {
            throw new IllegalStateException("write to a read-only memory disk");
        }
        checkRange(lba, sectors);
        store(lba, sectors, src, offset);
    }

    private void store(long lba, int sectors, byte[] src, int offset) {
        for (int i = 0; i < sectors; i++) {
            long s = lba + i;
            int c = (int) (s / CHUNK_SECTORS);
            if (chunks[c] == null) {
                chunks[c] = new byte[CHUNK_SECTORS * SECTOR];
            }
            System.arraycopy(src, offset + i * SECTOR, chunks[c], (int) (s % CHUNK_SECTORS) * SECTOR, SECTOR);
        }
    }

    @Override
    public void flush() {
        // nothing durable to reach
    }

    @Override
    public void close() {
        // nothing to release
    }
}
