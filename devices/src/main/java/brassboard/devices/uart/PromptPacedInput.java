package brassboard.devices.uart;

import brassboard.devices.api.CharSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * A script fed one line at a time, each line only once the guest has asked for it: the line is
 * held back until the console output since the previous line was taken matches a prompt pattern
 * (for U-Boot, {@code => $}). Typed-ahead input is what a shell like U-Boot's loses (the key that
 * stops autoboot is consumed, {@code saveenv}'s Ctrl-C polls swallow the next command); this
 * source types like a person who waits for the prompt.
 *
 * <p>Wire the console output into {@link #accept(int)} (a {@code Console} listener). Whether a
 * line is available then depends only on the guest's output, so a run stays deterministic: the
 * UART pulls on its own virtual-time schedule and sees the same answer at the same instant every
 * time. The same object can pace a real process (QEMU): feed it the process's output and write
 * whatever {@link #poll()} returns.
 *
 * <p>Lines include their {@code '\n'}; a last line without one is sent as it is. The pattern is
 * matched with {@link java.util.regex.Matcher#find()} against the output since the previous line's
 * last byte was taken (at most its last {@value #WINDOW} characters), after every output byte, so
 * {@code $} means "the output ends here".
 */
public final class PromptPacedInput implements CharSource, IntConsumer {
    /** How much recent output the prompt pattern sees. */
    public static final int WINDOW = 4096;

    private final List<byte[]> lines;
    private final Pattern prompt;
    private final StringBuilder recent = new StringBuilder();
    private int line;
    private int position;
    /** Whether the current line has been released (its prompt seen). */
    private boolean released;

    /** Paces {@code script} (UTF-8), one line per match of {@code prompt}. */
    public PromptPacedInput(byte[] script, Pattern prompt) {
        this.lines = split(script);
        this.prompt = java.util.Objects.requireNonNull(prompt, "prompt");
    }

    public static PromptPacedInput of(String script, Pattern prompt) {
        return new PromptPacedInput(script.getBytes(StandardCharsets.UTF_8), prompt);
    }

    public static PromptPacedInput of(String script, String promptRegex) {
        return of(script, Pattern.compile(promptRegex));
    }

    /** Paces the contents of {@code file}, read now. */
    public static PromptPacedInput fromFile(Path file, Pattern prompt) throws IOException {
        return new PromptPacedInput(Files.readAllBytes(file), prompt);
    }

    private static List<byte[]> split(byte[] script) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < script.length; i++) {
            if (script[i] == '\n') {
                out.add(java.util.Arrays.copyOfRange(script, start, i + 1));
                start = i + 1;
            }
        }
        if (start < script.length) {
            out.add(java.util.Arrays.copyOfRange(script, start, script.length));
        }
        return out;
    }

    /** One byte of console output (the guest's). */
    @Override
    public void accept(int b) {
        if (line >= lines.size()) {
            return;
        }
        recent.append((char) (b & 0xFF));
        if (recent.length() > 2 * WINDOW) {
            recent.delete(0, recent.length() - WINDOW);
        }
        if (!released && prompt.matcher(recent).find()) {
            released = true;
        }
    }

    @Override
    public int poll() {
        if (!released || line >= lines.size()) {
            return -1;
        }
        byte[] current = lines.get(line);
        int b = current[position++] & 0xFF;
        if (position == current.length) {
            line++;
            position = 0;
            released = false;
            recent.setLength(0);
        }
        return b;
    }

    @Override
    public boolean exhausted() {
        return line >= lines.size();
    }

    /** Lines not yet sent in full. */
    public int linesLeft() {
        return lines.size() - line;
    }
}
