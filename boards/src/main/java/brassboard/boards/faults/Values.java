package brassboard.boards.faults;

import brassboard.boards.api.Quantities;
import brassboard.devices.storage.scsi.ScsiOpcode;
import java.util.Locale;

/** Parsing of the plan's scalar values: numbers (decimal or 0x hex), durations, address ranges. Messages are the field's part of an error line. */
final class Values {

    private Values() {
    }

    /** A non-negative integer: {@code 4096}, {@code 0x1000}, {@code 0x0900_0000}. */
    static long number(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace("_", "");
        try {
            if (t.startsWith("0x")) {
                if (t.length() > 18) {
                    throw new NumberFormatException();
                }
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            long v = Long.parseLong(t);
            if (v < 0) {
                throw new IllegalArgumentException("'" + text + "' is negative; expected a number of 0 or more");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number; expected decimal or hex like 0x1f");
        }
    }

    /** A 32-bit physical address. */
    static long address(String text) {
        long v = number(text);
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("'" + text.strip() + "' is outside the 32-bit address space");
        }
        return v;
    }

    /** {@code A-B} (inclusive) or a single address {@code A}: {low, high}. */
    static long[] addressRange(String text) {
        String t = text.strip();
        int dash = t.indexOf('-');
        long lo;
        long hi;
        if (dash < 0) {
            lo = address(t);
            hi = lo;
        } else {
            lo = address(t.substring(0, dash));
            hi = address(t.substring(dash + 1));
        }
        if (hi < lo) {
            throw new IllegalArgumentException("'" + t + "' is an empty range: its end is below its start");
        }
        return new long[] {lo, hi};
    }

    /** {@code A-B} (inclusive) or a single logical block address {@code A}: {low, high}. */
    static long[] lbaRange(String text) {
        long[] r = numberRange(text);
        if (r[1] < r[0]) {
            throw new IllegalArgumentException("'" + text.strip() + "' is an empty LBA range: its end is below its start");
        }
        return r;
    }

    /** {@code A-B} or {@code A} as {low, high} (high may be below low). */
    private static long[] numberRange(String text) {
        String t = text.strip();
        int dash = t.indexOf('-');
        long lo = number(dash < 0 ? t : t.substring(0, dash));
        return new long[] {lo, dash < 0 ? lo : number(t.substring(dash + 1))};
    }

    /** A USB endpoint number 0-15, or a range {@code A-B}: {low, high}. */
    static int[] endpointRange(String text) {
        long[] r = numberRange(text);
        if (r[0] > 15 || r[1] > 15 || r[1] < r[0]) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not an endpoint number or range; expected 0 to 15 (0 is the control endpoint)");
        }
        return new int[] {(int) r[0], (int) r[1]};
    }

    /** A SCSI operation code: a name of {@link ScsiOpcode} ({@code READ_10}) or a number 0x00-0xff. */
    static int opcode(String text) {
        String t = text.strip();
        if (!t.isEmpty() && Character.isLetter(t.charAt(0)) && !t.toLowerCase(Locale.ROOT).startsWith("0x")) {
            try {
                return ScsiOpcode.valueOf(t.toUpperCase(Locale.ROOT)).code();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + t + "' is not a SCSI command name; expected a hex operation code like 0x28 or one of "
                        + java.util.Arrays.stream(ScsiOpcode.values()).map(Enum::name).collect(java.util.stream.Collectors.joining(", ")));
            }
        }
        long v = number(t);
        if (v > 0xFF) {
            throw new IllegalArgumentException("'" + t + "' is not a SCSI operation code; expected 0x00 to 0xff");
        }
        return (int) v;
    }

    /** The name of a SCSI operation code for reports: {@code READ_10}, or {@code 0x85}. */
    static String opcodeName(int code) {
        ScsiOpcode o = ScsiOpcode.forCode(code);
        return o != null ? o.name() : String.format("0x%02x", code);
    }

    /** A duration of virtual time: {@link Quantities#durationNs}. */
    static long duration(String text) {
        return Quantities.durationNs(text);
    }

    /** A general-purpose register: {@code r0}..{@code r15}, or {@code sb}, {@code sl}, {@code fp}, {@code ip}, {@code sp}, {@code lr}, {@code pc}. */
    static int register(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int n = switch (t) {
            case "sb" -> 9;
            case "sl" -> 10;
            case "fp" -> 11;
            case "ip" -> 12;
            case "sp" -> 13;
            case "lr" -> 14;
            case "pc" -> 15;
            default -> t.matches("r\\d{1,2}") ? Integer.parseInt(t.substring(1)) : -1;
        };
        if (n < 0 || n > 15) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a register; expected r0 to r15, sp, lr or pc");
        }
        return n;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
