package brassboard.cli;

import brassboard.boards.api.Quantities;
import java.util.Locale;
import picocli.CommandLine;

/** Parsers for sizes ({@code 128M}), durations of virtual time ({@code 10s}) and addresses ({@code 0x40000000}). */
final class Units {

    private Units() {
    }

    /** A size in bytes: {@link Quantities#sizeBytes}. */
    static long size(String text) {
        return Quantities.sizeBytes(text);
    }

    /** A duration of virtual time: {@link Quantities#durationNs}. */
    static long duration(String text) {
        return Quantities.durationNs(text);
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
