package brassboard.devices.uart;

import brassboard.devices.api.CharSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A {@link CharSink} keeping everything in memory: for tests and golden transcripts. */
public final class CaptureSink implements CharSink {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
        bytes.write(b);
    }

    /** Everything written so far. */
    public byte[] bytes() {
        return bytes.toByteArray();
    }

    /** Everything written so far, decoded as UTF-8. */
    public String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Forgets what was written. */
    public void clear() {
        bytes.reset();
    }
}
