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
        return parse(file, read(file), loadAddr);
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
