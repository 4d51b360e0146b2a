package brassboard.devices.storage.api;

import java.nio.file.Path;

/**
 * A disk image that cannot be used: missing, unreadable, or not a whole number of sectors. The
 * message is one line naming the file, what is wrong and what was expected, for a command line to
 * print as is (and exit with status 2).
 */
public final class DiskImageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public DiskImageException(Path file, String problem) {
        super(file + ": " + problem, null, false, false);
        this.file = file;
    }

    /** The image file concerned. */
    public Path file() {
        return file;
    }
}
