package brassboard.firmware.api;

/** Address formatting shared by the loaders' messages: {@code 0x0000f000}, {@code [0x0-0xf]}. */
public final class Hex {
    private Hex() {
    }

    /** An address or size as {@code 0x} and at least eight lower-case hex digits. */
    public static String addr(long value) {
        return String.format("0x%08x", value);
    }

    /** An inclusive range {@code [first-last]}. */
    public static String range(long first, long last) {
        return "[" + addr(first) + "-" + addr(last) + "]";
    }

    /** A plain number as {@code 0x} and the fewest hex digits. */
    public static String num(long value) {
        return "0x" + Long.toHexString(value);
    }
}
