package brassboard.devices.storage.block;

import brassboard.devices.storage.api.BlockBackend;
import brassboard.devices.storage.api.DiskImageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A raw disk image file: sector {@code n} is bytes {@code [512n, 512n + 512)} of the file.
 *
 * <p>Three ways to open it ({@link Mode}):
 * <ul>
 *   <li>{@link Mode#COPY_ON_WRITE} (the default): reads come from the file until a sector is
 *       written; writes go to an in-memory overlay, in 64 KiB chunks copied from the file on their
 *       first write. The file is opened for reading only and is never changed; the overlay is lost
 *       at the end of the run. (QEMU's {@code -snapshot} behaves alike.)</li>
 *   <li>{@link Mode#WRITE_THROUGH}: writes reach the file at once; {@link #flush()} forces them to
 *       the host disk.</li>
 *   <li>{@link Mode#READ_ONLY}: writes are refused; the disk reports itself write-protected.</li>
 * </ul>
 */
public final class RawImageBackend implements BlockBackend {
    /** How writes are handled. */
    public enum Mode {
        /** Writes go to an in-memory overlay; the file is never changed. */
        COPY_ON_WRITE,
        /** Writes go to the file. */
        WRITE_THROUGH,
        /** Writes are refused. */
        READ_ONLY
    }

    private static final int SECTOR = MemoryBackend.SECTOR;
    private static final int CHUNK_SECTORS = 128;
    private static final int CHUNK_BYTES = CHUNK_SECTORS * SECTOR;

    private final Path file;
    private final Mode mode;
    private final FileChannel channel;
    private final long sectorCount;
    /** Copy-on-write overlay: chunk index to the chunk's current bytes. */
    private final Map<Long, byte[]> overlay = new HashMap<>();

    private RawImageBackend(Path file, Mode mode, FileChannel channel, long sectorCount) {
        this.file = file;
        this.mode = mode;
        this.channel = channel;
        this.sectorCount = sectorCount;
    }

    /** Opens {@code file} copy-on-write: the guest may write, the file stays as it is. */
    public static RawImageBackend open(Path file) throws DiskImageException {
        return open(file, Mode.COPY_ON_WRITE);
    }

    /**
     * Opens {@code file} in {@code mode}.
     *
     * @throws DiskImageException (one line naming the file) when it is missing, not a regular file,
     *         cannot be read (or written, for write-through), is empty or is not a whole number of
     *         512-byte sectors
     */
    public static RawImageBackend open(Path file, Mode mode) throws DiskImageException {
        String expected = "expected a raw disk image of a whole number of " + SECTOR + "-byte sectors";
        if (Files.isDirectory(file)) {
            throw new DiskImageException(file, "is a directory; " + expected);
        }
        if (!Files.exists(file)) {
            throw new DiskImageException(file, "no such file; " + expected);
        }
        long size;
        FileChannel ch;
        try {
            size = Files.size(file);
            ch = mode == Mode.WRITE_THROUGH
                    ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(file, StandardOpenOption.READ);
        } catch (AccessDeniedException e) {
            throw new DiskImageException(file, "permission denied opening it for "
                    + (mode == Mode.WRITE_THROUGH ? "reading and writing (write-through)" : "reading") + "; " + expected);
        } catch (NoSuchFileException e) {
            throw new DiskImageException(file, "no such file; " + expected);
        } catch (IOException e) {
            throw new DiskImageException(file, "cannot open it (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); " + expected);
        }
        if (size == 0 || size % SECTOR != 0) {
            closeQuietly(ch);
            throw new DiskImageException(file, size + " bytes is not a whole number of " + SECTOR + "-byte sectors; "
                    + "expected a multiple of " + SECTOR + " bytes, at least " + SECTOR);
        }
        return new RawImageBackend(file, mode, ch, size / SECTOR);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the open failed for another reason, reported instead
        }
    }

    /** The image file. */
    public Path file() {
        return file;
    }

    /** How writes are handled. */
    public Mode mode() {
        return mode;
    }

    /** Bytes written so far that live only in the copy-on-write overlay (whole 64 KiB chunks). */
    public long overlayBytes() {
        return (long) overlay.size() * CHUNK_BYTES;
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
        return mode == Mode.READ_ONLY;
    }

    @Override
    public void read(long lba, int sectors, byte[] dst, int offset) throws IOException {
        checkRange(lba, sectors);
        if (overlay.isEmpty()) {
            readFile(lba * SECTOR, dst, offset, sectors * SECTOR);
            return;
        }
        for (int i = 0; i < sectors; ) {
            long s = lba + i;
            long c = s / CHUNK_SECTORS;
            int inChunk = (int) Math.min(sectors - i, CHUNK_SECTORS - s % CHUNK_SECTORS);
            byte[] chunk = overlay.get(c);
            if (chunk != null) {
                System.arraycopy(chunk, (int) (s % CHUNK_SECTORS) * SECTOR, dst, offset + i * SECTOR, inChunk * SECTOR);
            } else {
                readFile(s * SECTOR, dst, offset + i * SECTOR, inChunk * SECTOR);
            }
            i += inChunk;
        }
    }

    private void readFile(long position, byte[] dst, int offset, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(dst, offset, length);
        while (buf.hasRemaining()) {
            int n = channel.read(buf, position + (buf.position() - offset));
            if (n < 0) {
                throw new IOException(file + ": ended at byte " + (position + buf.position() - offset)
                        + " (the file shrank while in use)");
            }
        }
    }

    @Override
    public void write(long lba, int sectors, byte[] src, int offset) throws IOException {
        checkRange(lba, sectors);
        switch (mode) {
            case READ_ONLY -> throw new IllegalStateException(file + ": write to a read-only disk image");
            case WRITE_THROUGH -> {
                ByteBuffer buf = ByteBuffer.wrap(src, offset, sectors * SECTOR);
                long position = lba * SECTOR;
                while (buf.hasRemaining()) {
                    channel.write(buf, position + (buf.position() - offset));
                }
            }
            case COPY_ON_WRITE -> {
                for (int i = 0; i < sectors; ) {
                    long s = lba + i;
                    long c = s / CHUNK_SECTORS;
                    int inChunk = (int) Math.min(sectors - i, CHUNK_SECTORS - s % CHUNK_SECTORS);
                    byte[] chunk = overlay.get(c);
                    if (chunk == null) {
                        chunk = new byte[(int) Math.min(CHUNK_BYTES, (sectorCount - c * CHUNK_SECTORS) * SECTOR)];
                        readFile(c * CHUNK_BYTES, chunk, 0, chunk.length);
                        overlay.put(c, chunk);
                    }
                    System.arraycopy(src, offset + i * SECTOR, chunk, (int) (s % CHUNK_SECTORS) * SECTOR, inChunk * SECTOR);
                    i += inChunk;
                }
            }
            default -> throw new IllegalStateException(mode.toString());
        }
    }

    @Override
    public void flush() throws IOException {
        if (mode == Mode.WRITE_THROUGH) {
            channel.force(false);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return file + " (" + sectorCount + " sectors, " + mode.name().toLowerCase().replace('_', '-') + ")";
    }
}
