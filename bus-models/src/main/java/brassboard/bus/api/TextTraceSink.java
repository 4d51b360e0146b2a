package brassboard.bus.api;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/** Writes each event as one line: time, source, kind, detail (see {@link TraceEvent#toTextLine()}). */
public final class TextTraceSink implements TraceSink {
    private final BufferedWriter out;

    /** A sink writing to {@code out}, which it closes on {@link #close()}. */
    public TextTraceSink(Writer out) {
        this.out = out instanceof BufferedWriter b ? b : new BufferedWriter(out, 1 << 16);
    }

    @Override
    public void accept(TraceEvent event) {
        try {
            out.write(event.toTextLine());
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the trace: " + e.getMessage(), e);
        }
    }
}
