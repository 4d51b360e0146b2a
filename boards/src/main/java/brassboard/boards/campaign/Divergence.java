package brassboard.boards.campaign;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a run's console output first differs from the golden run's.
 *
 * @param offset   the byte offset of the first difference (the shorter output's length when one is a
 *                 prefix of the other)
 * @param line     its line, from 1
 * @param column   its column in that line, from 1 (in bytes)
 * @param expected the golden run's line there (without its line end, at most {@value #SNIPPET} characters; empty past the end)
 * @param actual   the run's line there, likewise
 */
public record Divergence(long offset, int line, int column, String expected, String actual) {
    /** Longest line excerpt kept. */
    public static final int SNIPPET = 100;

    /** The first difference between {@code golden} and {@code run}, if they differ. */
    public static Optional<Divergence> between(byte[] golden, byte[] run) {
        int n = Math.min(golden.length, run.length);
        int i = 0;
        while (i < n && golden[i] == run[i]) {
            i++;
        }
        if (i == n && golden.length == run.length) {
            return Optional.empty();
        }
        int line = 1;
        int lineStart = 0;
        for (int k = 0; k < i; k++) {
            if (golden[k] == '\n') {
                line++;
                lineStart = k + 1;
            }
        }
        return Optional.of(new Divergence(i, line, i - lineStart + 1, lineAt(golden, lineStart), lineAt(run, lineStart)));
    }

    private static String lineAt(byte[] b, int start) {
        if (start >= b.length) {
            return "";
        }
        int end = start;
        while (end < b.length && b[end] != '\n' && end - start < SNIPPET) {
            end++;
        }
        String s = new String(b, start, end - start, StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
