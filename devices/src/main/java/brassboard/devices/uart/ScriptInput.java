package brassboard.devices.uart;

import brassboard.devices.api.CharSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link CharSource} replaying fixed bytes (a file's contents, a string): deterministic, so a
 * run fed from a script is the same every time. Exhausted once every byte has been taken.
 */
public final class ScriptInput implements CharSource {
    private final byte[] script;
    private int position;

    /** Replays {@code script} (copied). */
    public ScriptInput(byte[] script) {
        this.script = script.clone();
    }

    /** Replays the contents of {@code file}, read now. */
    public static ScriptInput fromFile(Path file) throws IOException {
        return new ScriptInput(Files.readAllBytes(file));
    }

    /** Replays {@code text} encoded as UTF-8. */
    public static ScriptInput of(String text) {
        return new ScriptInput(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int poll() {
        return position < script.length ? script[position++] & 0xFF : -1;
    }

    @Override
    public boolean exhausted() {
        return position >= script.length;
    }

    /** How many bytes are still to come. */
    public int remaining() {
        return script.length - position;
    }
}
