package brassboard.firmware.api;

import brassboard.firmware.elf.ElfImageReader;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Loads a firmware image file: an ARM ELF executable, or a raw binary at a given load address. */
public final class Images {
    /** The largest image file read into memory: 1 GiB. */
    static final long MAX_FILE_SIZE = 1L << 30;

    private Images() {
    }

    /**
     * Reads {@code file}. An ELF file is loaded by its program headers; anything else is a raw
     * binary placed at {@code loadAddr} (and entered there), which must then be given.
     *
     * @throws ImageException when the file cannot be read or is not a loadable image; the
     *     message names the file, what is wrong and what was expected
     */
    public static LoadedImage load(Path file, OptionalLong loadAddr) throws ImageException {
        Key key = Key.of(file, loadAddr);
        if (key != null) {
            synchronized (PARSED) {
                LoadedImage hit = PARSED.get(key);
                if (hit != null) {
                    return hit;
                }
            }
        }
        LoadedImage image = parse(file, read(file), loadAddr);
        if (key != null && key.size <= MAX_CACHED_SIZE && key.settled()) {
            synchronized (PARSED) {
                PARSED.put(key, image);
            }
        }
        return image;
    }

    /** The largest file whose parsed image is kept for the next load of the same file: 64 MiB. */
    static final long MAX_CACHED_SIZE = 64L << 20;
    /** How long ago a file must have been modified for its parsed image to be kept. */
    private static final long SETTLED_MILLIS = 2_000;
    /** How many parsed images are kept (a campaign's image, its kernel, a test's few). */
    private static final int CACHED_IMAGES = 4;

    /**
     * Images parsed lately, by file (a campaign builds a machine per run from the same image): a
     * {@link LoadedImage} is read-only once made (its segments' bytes are only ever copied out), so
     * machines share it. A file changed since (size, modification time or file key differ) is read
     * again.
     */
    private static final Map<Key, LoadedImage> PARSED = new java.util.LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, LoadedImage> eldest) {
            return size() > CACHED_IMAGES;
        }
    };

    /** A file as last seen: its path as given (the image names it so), size, modification time and file key (inode), and the load address asked for. */
    private record Key(Path path, long size, java.nio.file.attribute.FileTime modified, Object fileKey, OptionalLong loadAddr) {
        /**
         * Whether the file was last modified long enough ago that a rewrite now would show in its
         * modification time (file systems stamp it with a coarse clock: a rewrite of the same size
         * within a tick would otherwise look unchanged). Host file metadata, not simulated time.
         */
        boolean settled() {
            return System.currentTimeMillis() - modified.toMillis() > SETTLED_MILLIS;
        }

        /** The key of {@code file} now, or {@code null} when its attributes cannot be read (then {@link #read} reports why). */
        static Key of(Path file, OptionalLong loadAddr) {
            try {
                java.nio.file.attribute.BasicFileAttributes a =
                        Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
                if (!a.isRegularFile()) {
                    return null;
                }
                return new Key(file, a.size(), a.lastModifiedTime(), a.fileKey(), loadAddr);
            } catch (IOException | SecurityException e) {
                return null;
            }
        }
    }

    /**
     * Like {@link #load}, for an image already in memory (read from a resource, say); {@code file}
     * only names it in messages and in {@link LoadedImage#source()}.
     */
    public static LoadedImage parse(Path file, byte[] bytes, OptionalLong loadAddr) throws ImageException {
        if (bytes.length == 0) {
            throw new ImageException(file + ": empty file, expected an ELF executable or a raw binary");
        }
        if (ElfImageReader.hasElfMagic(bytes)) {
            if (loadAddr.isPresent()) {
                throw new ImageException(file + ": is an ELF image; --load-addr applies to raw binaries only"
                        + " (drop --load-addr to load it by its program headers)");
            }
            return ElfImageReader.read(file, bytes);
        }
        if (loadAddr.isEmpty()) {
            int n = Math.min(bytes.length, 4);
            throw new ImageException(file + ": not an ELF file (starts with "
                    + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, n) + ", not 7f 45 4c 46)"
                    + " and no --load-addr given to load it as a raw binary");
        }
        long base = loadAddr.getAsLong();
        if (base < 0 || base + bytes.length < base) {
            throw new ImageException(file + ": --load-addr " + Hex.addr(base)
                    + " is not a usable address, expected a non-negative physical address");
        }
        return new LoadedImage(file, "raw", base, List.of(new Segment(base, bytes, bytes.length)), Map.of());
    }

    private static byte[] read(Path file) throws ImageException {
        try {
            if (Files.isDirectory(file)) {
                throw new ImageException(file + ": is a directory, expected a firmware image file");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_SIZE) {
                throw new ImageException(file + ": file is " + Hex.num(size)
                        + " bytes, expected an image of at most 1 GiB");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageException(file + ": no such file, expected a firmware image (ELF or raw binary)", e);
        } catch (AccessDeniedException e) {
            throw new ImageException(file + ": permission denied, cannot read the firmware image", e);
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new ImageException(file + ": cannot read the firmware image (" + why + ")", e);
        }
    }
}
