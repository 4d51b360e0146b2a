package brassboard.devices.uart;

import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The console of the {@code brassboard} command: the guest's output to the host's stdout,
 * its input from the {@code --input} option.
 *
 * <ul>
 *   <li>no {@code --input}: the guest receives nothing;</li>
 *   <li>{@code --input FILE}: the file's contents ({@link ScriptInput}, deterministic);</li>
 *   <li>{@code --input -}: the host's stdin, forwarded as it comes ({@link StreamInput}, not deterministic).</li>
 * </ul>
 *
 * For other arrangements compose {@link CharBackend#of} with an {@link OutputStreamSink},
 * {@link CaptureSink}, {@link ScriptInput} or {@link StreamInput}. To watch the output (e.g. for
 * {@code --until REGEX}) use {@link Pl011#addTxListener}.
 */
public final class StdioBackend {
    /** The {@code --input} value that means the host's stdin. */
    public static final String STDIN = "-";

    private StdioBackend() {
    }

    /**
     * Output to {@code out} (flushed at newlines, when input is polled and on close; not closed),
     * input forwarded from {@code in} on a daemon thread.
     */
    public static CharBackend of(OutputStream out, InputStream in) {
        return CharBackend.of(new OutputStreamSink(out, "console output", false), new StreamInput(in, "brassboard-console-input"));
    }

    /**
     * Stdout plus the input named by {@code inputOption} ({@code null}: none, {@code "-"}: stdin,
     * otherwise a file read now).
     *
     * @throws IOException with a message naming the file, when it cannot be read
     */
    public static CharBackend forInputOption(String inputOption) throws IOException {
        return CharBackend.of(OutputStreamSink.stdout(), input(inputOption));
    }

    /** The input source named by an {@code --input} value, as in {@link #forInputOption}. */
    public static CharSource input(String inputOption) throws IOException {
        if (inputOption == null) {
            return CharSource.none();
        }
        if (STDIN.equals(inputOption)) {
            return StreamInput.stdin();
        }
        Path file = Path.of(inputOption);
        try {
            return ScriptInput.fromFile(file);
        } catch (NoSuchFileException e) {
            throw new IOException("--input " + inputOption + ": no such file (expected a file to feed to the UART, or - for stdin)", e);
        } catch (IOException e) {
            throw new IOException("--input " + inputOption + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    /** A script file for {@code --input FILE --input-after-prompt REGEX}: sent a line per prompt. */
    public static PromptPacedInput pacedInput(String inputOption, java.util.regex.Pattern prompt) throws IOException {
        Path file = Path.of(inputOption);
        try {
            return PromptPacedInput.fromFile(file, prompt);
        } catch (NoSuchFileException e) {
            throw new IOException("--input " + inputOption + ": no such file (expected a file to feed to the UART, or - for stdin)", e);
        } catch (IOException e) {
            throw new IOException("--input " + inputOption + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }
}
