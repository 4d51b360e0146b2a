package brassboard.boards.api;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one parser for durations of virtual time ({@code 10s}) and sizes ({@code 128M}) that
 * command-line options, fault plans and campaign files share, so they all read and reject the
 * same text the same way.
 */
public final class Quantities {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|min)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)([KMG]i?B?|B)?", Pattern.CASE_INSENSITIVE);

    private Quantities() {
    }

    /**
     * {@code 10s}, {@code 2ms}, {@code 1.5us}, {@code 100ns}, {@code 2min}, or {@code 0}: virtual
     * nanoseconds.
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    public static long durationNs(String text) {
        String t = text.strip();
        if (t.equals("0")) {
            return 0;
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + t + "' is not a duration; expected a number and a unit (ns, us, ms, s, min), like 2ms");
        }
        double scale = switch (m.group(2)) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default -> 60e9;
        };
        double ns = Double.parseDouble(m.group(1)) * scale;
        if (ns >= 9.2e18) {
            throw new IllegalArgumentException("'" + t + "' is too long a duration");
        }
        return Math.round(ns);
    }

    /**
     * {@code 128M}, {@code 1G}, {@code 65536K}, {@code 64KiB}, {@code 4096}: bytes, binary multiples.
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    public static long sizeBytes(String text) {
        String t = text.strip();
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + t + "' is not a size; expected a number with an optional K, M or G suffix, like 128M");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' is too large a size");
        }
        String unit = m.group(2) == null ? "" : m.group(2).substring(0, 1).toUpperCase(Locale.ROOT);
        int shift = switch (unit) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + t + "' is too large a size");
        }
        return n << shift;
    }
}
