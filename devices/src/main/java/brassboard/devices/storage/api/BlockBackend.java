package brassboard.devices.storage.api;

import java.io.IOException;

/**
 * Where a disk keeps its sectors: a fixed number of fixed-size sectors, read and written whole at a
 * logical block address (LBA). Implementations: a raw image file (copy-on-write, write-through or
 * read-only) and memory.
 *
 * <p>Callers check ranges before calling ({@link #checkRange}); an {@link IOException} means the
 * host failed underneath (the image vanished, the host disk failed), which the disk reports to the
 * guest as a medium error, not as a Java exception escaping the run.
 */
public interface BlockBackend extends AutoCloseable {

    /** Bytes per sector (512 for every backend today). */
    int sectorSize();

    /** Number of sectors; LBAs run from 0 to {@code sectorCount() - 1}. */
    long sectorCount();

    /** Whether writes are refused (the disk reports them as write-protected). */
    boolean readOnly();

    /** Reads {@code sectors} sectors from {@code lba} into {@code dst} at {@code offset}. */
    void read(long lba, int sectors, byte[] dst, int offset) throws IOException;

    /**
     * Writes {@code sectors} sectors from {@code src} at {@code offset} to {@code lba}.
     *
     * @throws IllegalStateException on a {@linkplain #readOnly() read-only} backend (callers check first)
     */
    void write(long lba, int sectors, byte[] src, int offset) throws IOException;

    /** Makes every completed write durable where the backend has somewhere durable to put it. */
    void flush() throws IOException;

    /** Releases the backend (closes the file). */
    @Override
    void close() throws IOException;

    /** Whether {@code [lba, lba + sectors)} lies within the backend (no overflow). */
    default boolean inRange(long lba, long sectors) {
        return lba >= 0 && sectors >= 0 && lba <= sectorCount() && sectors <= sectorCount() - lba;
    }

    /** Throws {@link IllegalArgumentException} unless {@link #inRange}: a caller's bug, never the guest's. */
    default void checkRange(long lba, long sectors) {
        if (!inRange(lba, sectors)) {
            throw new IllegalArgumentException("sectors [" + lba + ", " + lba + " + " + sectors + ") outside a backend of "
                    + sectorCount() + " sectors");
        }
    }
}
