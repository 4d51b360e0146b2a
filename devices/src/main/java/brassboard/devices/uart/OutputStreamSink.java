package brassboard.devices.uart;

import brassboard.devices.api.CharSink;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A {@link CharSink} writing to an {@link OutputStream} (the host's stdout, a file), flushed at
 * each newline, on {@link #flush()} and on {@link #close()}.
 *
 * <p>An I/O error never escapes into the simulation: the first one is kept ({@link #error()}),
 * and later output is dropped, so a closed pipe ({@code brassboard run … | head}) does not abort
 * the run; the caller reports it.
 */
public final class OutputStreamSink implements CharSink {
    private static final int NEWLINE = '\n';

    private final OutputStream out;
    private final String description;
    private final boolean closeStream;
    private boolean dirty;
    private IOException error;

    /**
     * A sink writing to {@code out}; {@code description} names the destination in error messages;
     * {@code closeStream} says whether {@link #close()} closes {@code out} (false for stdout).
     */
    public OutputStreamSink(OutputStream out, String description, boolean closeStream) {
        this.out = out;
        this.description = description;
        this.closeStream = closeStream;
    }

    /** The host's standard output (not closed by {@link #close()}). */
    public static OutputStreamSink stdout() {
        return new OutputStreamSink(System.out, "standard output", false);
    }

    /** A new or truncated file; closed by {@link #close()}. */
    public static OutputStreamSink toFile(Path file) throws IOException {
        return new OutputStreamSink(new BufferedOutputStream(Files.newOutputStream(file)), file.toString(), true);
    }

    @Override
    public void write(int b) {
        if (error != null) {
            return;
        }
        try {
            out.write(b);
            dirty = true;
            if (b == NEWLINE) {
                flush();
            }
        } catch (IOException e) {
            error = e;
        }
    }

    @Override
    public void flush() {
        if (!dirty || error != null) {
            return;
        }
        try {
            out.flush();
            dirty = false;
        } catch (IOException e) {
            error = e;
        }
    }

    @Override
    public void close() {
        flush();
        if (closeStream) {
            try {
                out.close();
            } catch (IOException e) {
                if (error == null) {
                    error = e;
                }
            }
        }
    }

    /** The first write error, if any: output after it was dropped. */
    public Optional<IOException> error() {
        return Optional.ofNullable(error);
    }

    /** What this sink writes to. */
    public String description() {
        return description;
    }
}
