package brassboard.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parsers for sizes ({@code 128M}), durations of virtual time ({@code 10s}) and addresses ({@code 0x40000000}). */
final class Units {
    private static final Pattern SIZE = Pattern.compile("(\\d+)([KMG]i?B?|B)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|min)");

    private Units() {
    }

    /** {@code 128M}, {@code 1G}, {@code 65536K}, {@code 4096} (bytes); binary multiples. */
    static long size(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; expected a number with an optional K, M or G suffix, like 128M");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a size");
        }
        String unit = m.group(2) == null ? "" : m.group(2).substring(0, 1).toUpperCase(Locale.ROOT);
        int shift = switch (unit) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large a size");
        }
        return n << shift;
    }

    /** {@code 10s}, {@code 250ms}, {@code 1.5us}, {@code 100ns}, {@code 2min}: virtual nanoseconds. */
    static long duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; expected a number and a unit (ns, us, ms, s, min), like 10s");
        }
        double value = Double.parseDouble(m.group(1));
        double scale = switch (m.group(2)) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default -> 60e9;
        };
        double ns = value * scale;
        if (ns >= 9.2e18) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return Math.round(ns);
    }

    /** {@code 0x40000000} or decimal; must fit 32 bits. */
    static long address(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace("_", "");
        try {
            long v = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("'" + text + "' is outside the 32-bit address space");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address; expected hex like 0x40000000 or a decimal number");
        }
    }

    /** picocli converter for sizes. */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return size(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** picocli converter for durations. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return duration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** picocli converter for addresses. */
    static final class AddressConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return address(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** picocli converter for counts: a non-negative integer, underscores allowed. */
    static final class CountConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                long v = Long.parseLong(value.strip().replace("_", ""));
                if (v < 0) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is negative; expected a count of 0 or more");
                }
                return v;
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
            }
        }
    }
}
