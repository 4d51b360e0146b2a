package brassboard.boards.board;

import brassboard.boards.api.Quantities;
import java.util.List;

/**
 * One parameter a device type takes in a board file: its name, kind, default (null: required
 * unless {@link #optional}) and a one-line description for {@code brassboard devices}.
 *
 * @param name     the key in the device's mapping
 * @param kind     how the value is read and checked
 * @param fallback the default's text, or null
 * @param optional whether the parameter may be left out with no default
 * @param choices  for {@link Kind#CHOICE}: the values allowed; for {@link Kind#DEVICE}: the device types allowed
 * @param min      for {@link Kind#INT} and {@link Kind#SIZE}: the smallest value allowed
 * @param max      for {@link Kind#INT} and {@link Kind#SIZE}: the largest value allowed
 * @param doc      what it means
 */
public record Param(String name, Kind kind, String fallback, boolean optional, List<String> choices, long min, long max, String doc) {
    /** How a value is written and checked. */
    public enum Kind {
        /** A whole number, decimal or 0x hex. */
        INT,
        /** A byte count: {@code 4096}, {@code 0x1000}, {@code 64K}, {@code 128M}. */
        SIZE,
        /** true or false. */
        BOOL,
        /** Free text. */
        TEXT,
        /** One of {@link Param#choices}. */
        CHOICE,
        /** A host file that must exist (relative to the board file's directory). */
        FILE,
        /** A host file created when missing (relative to the board file's directory). */
        OUTPUT_FILE,
        /** The name of another device in the board. */
        DEVICE,
        /** A list of text items (a YAML list). */
        LIST,
        /** A list of host files created when missing ({@code -}: none), relative to the board file's directory. */
        OUTPUT_FILES
    }

    public static Param integer(String name, long fallback, long min, long max, String doc) {
        return new Param(name, Kind.INT, Long.toString(fallback), false, List.of(), min, max, doc);
    }

    public static Param size(String name, String fallback, long min, long max, String doc) {
        return new Param(name, Kind.SIZE, fallback, fallback == null, List.of(), min, max, doc);
    }

    public static Param bool(String name, boolean fallback, String doc) {
        return new Param(name, Kind.BOOL, Boolean.toString(fallback), false, List.of(), 0, 0, doc);
    }

    public static Param text(String name, String fallback, String doc) {
        return new Param(name, Kind.TEXT, fallback, fallback == null, List.of(), 0, 0, doc);
    }

    public static Param choice(String name, String fallback, List<String> choices, String doc) {
        return new Param(name, Kind.CHOICE, fallback, false, List.copyOf(choices), 0, 0, doc);
    }

    /** A host file that must be given and exist. */
    public static Param requiredFile(String name, String doc) {
        return new Param(name, Kind.FILE, null, false, List.of(), 0, 0, doc);
    }

    /** Free text that may be left out (no default). */
    public static Param optionalText(String name, String doc) {
        return new Param(name, Kind.TEXT, null, true, List.of(), 0, 0, doc);
    }

    /** An optional host file that must exist when given. */
    public static Param file(String name, String doc) {
        return new Param(name, Kind.FILE, null, true, List.of(), 0, 0, doc);
    }

    /** An optional host file, created when missing. */
    public static Param outputFile(String name, String doc) {
        return new Param(name, Kind.OUTPUT_FILE, null, true, List.of(), 0, 0, doc);
    }

    /** A reference to another device of catalogue type {@code type}; required when {@code optional} is false. */
    public static Param device(String name, String type, boolean optional, String doc) {
        return new Param(name, Kind.DEVICE, null, optional, List.of(type), 0, 0, doc);
    }

    /** A list of host files created when missing, {@code -} for none. */
    public static Param outputFiles(String name, String doc) {
        return new Param(name, Kind.OUTPUT_FILES, null, true, List.of(), 0, 0, doc);
    }

    public static Param list(String name, String doc) {
        return new Param(name, Kind.LIST, null, true, List.of(), 0, 0, doc);
    }

    /** The kind, default and range as {@code brassboard devices} shows them. */
    public String describe() {
        StringBuilder sb = new StringBuilder(kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        if (kind == Kind.CHOICE) {
            sb.append(' ').append(String.join("|", choices));
        }
        if (kind == Kind.DEVICE) {
            sb.append(" (a ").append(String.join(" or ", choices)).append(')');
        }
        if ((kind == Kind.INT || kind == Kind.SIZE) && max > 0) {
            sb.append(kind == Kind.SIZE ? String.format(" %s..%s", human(min), human(max)) : " " + min + ".." + max);
        }
        if (fallback != null) {
            sb.append(", default ").append(fallback);
        } else if (!optional) {
            sb.append(", required");
        }
        return sb.toString();
    }

    /** {@code 4K}, {@code 64M} or the plain number. */
    static String human(long bytes) {
        if (bytes >= (1L << 30) && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "G";
        }
        if (bytes >= (1L << 20) && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "M";
        }
        if (bytes >= (1L << 10) && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "K";
        }
        return Long.toString(bytes);
    }

    /**
     * A number as a board file writes it: decimal, {@code 0x} hex (with optional {@code _}), or a
     * size with a K/M/G suffix.
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    static long number(String text) {
        String t = text.strip().replace("_", "");
        if (t.startsWith("0x") || t.startsWith("0X")) {
            try {
                return Long.parseUnsignedLong(t.substring(2), 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a number; expected decimal, 0x hex or a size like 64K");
            }
        }
        try {
            return Quantities.sizeBytes(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number; expected decimal, 0x hex or a size like 64K");
        }
    }
}
