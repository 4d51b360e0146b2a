package brassboard.devices.spi;

import brassboard.devices.storage.api.DiskImageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The memory array of an SPI flash or EEPROM, held whole in memory and backed by a host file of
 * exactly the part's capacity.
 *
 * <p>Copy-on-write (the default): the file is read once and never changed; what the guest writes
 * lives until the end of the run (as {@code RawImageBackend}'s overlay, QEMU's {@code -snapshot}).
 * Write-through: every completed program, erase or write is written to the file at once, so the
 * file holds the part's contents even if the run is killed. Parts of a few MiB at most are held in
 * memory whole: a read is an array access, which a byte-at-a-time SPI read needs to be.
 */
public final class BackingImage {
    private final Path file;
    private final boolean writeThrough;
    private final byte[] data;
    private final FileChannel channel;

    private BackingImage(Path file, boolean writeThrough, byte[] data, FileChannel channel) {
        this.file = file;
        this.writeThrough = writeThrough;
        this.data = data;
        this.channel = channel;
    }

    /** An image not backed by a file, filled with {@code fill} (0xFF: an erased part). */
    public static BackingImage blank(int size, int fill) {
        byte[] d = new byte[size];
        Arrays.fill(d, (byte) fill);
        return new BackingImage(null, false, d, null);
    }

    /**
     * Opens {@code file} as the array of {@code part}, {@code size} bytes.
     *
     * @throws DiskImageException one line naming the file: missing, a directory, unreadable (or not
     *         writable, for write-through), or not exactly {@code size} bytes
     */
    public static BackingImage open(Path file, int size, boolean writeThrough, String part) throws DiskImageException {
        String expected = "expected a file of exactly " + size + " bytes, the " + part + "'s capacity";
        if (Files.isDirectory(file)) {
            throw new DiskImageException(file, "is a directory; " + expected);
        }
        if (!Files.exists(file)) {
            throw new DiskImageException(file, "no such file; " + expected);
        }
        try {
            long actual = Files.size(file);
            if (actual != size) {
                throw new DiskImageException(file, actual + " bytes; " + expected);
            }
            FileChannel ch = writeThrough
                    ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(file, StandardOpenOption.READ);
            byte[] d = new byte[size];
            ByteBuffer buf = ByteBuffer.wrap(d);
            while (buf.hasRemaining()) {
                if (ch.read(buf, buf.position()) < 0) {
                    ch.close();
                    throw new DiskImageException(file, "ended at byte " + buf.position() + " while being read; " + expected);
                }
            }
            if (!writeThrough) {
                ch.close();
                ch = null;
            }
            return new BackingImage(file, writeThrough, d, ch);
        } catch (AccessDeniedException e) {
            throw new DiskImageException(file, "permission denied opening it for "
                    + (writeThrough ? "reading and writing (write-through)" : "reading") + "; " + expected);
        } catch (IOException e) {
            throw new DiskImageException(file, "cannot read it (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "); " + expected);
        }
    }

    /** The array's size in bytes. */
    public int size() {
        return data.length;
    }

    /** The byte at {@code offset} (0-255). */
    public int get(int offset) {
        return data[offset] & 0xFF;
    }

    /** Sets the byte at {@code offset} in memory; {@link #persist} writes a range to a write-through file. */
    public void set(int offset, int value) {
        data[offset] = (byte) value;
    }

    /** Fills {@code [offset, offset + length)} with {@code value} and persists it. */
    public void fill(int offset, int length, int value) {
        Arrays.fill(data, offset, offset + length, (byte) value);
        persist(offset, length);
    }

    /** A copy of the whole array. */
    public byte[] snapshot() {
        return data.clone();
    }

    /** The backing file, or null. */
    public Path file() {
        return file;
    }

    /** Whether changes reach the file. */
    public boolean writeThrough() {
        return writeThrough;
    }

    /**
     * Writes {@code [offset, offset + length)} to the file when writing through. A host I/O error
     * cannot be the guest's problem: it is reported as an unchecked exception naming the file.
     */
    public void persist(int offset, int length) {
        if (channel == null) {
            return;
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(data, offset, length);
            while (buf.hasRemaining()) {
                channel.write(buf, buf.position());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(file + ": cannot write through (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String toString() {
        return (file == null ? "(no file)" : file.toString()) + " (" + data.length + " bytes, " + (writeThrough ? "write-through" : "copy-on-write") + ")";
    }
}
