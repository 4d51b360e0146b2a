package brassboard.devices.api;

/**
 * The line a UART's guest has programmed: baud rate and frame format. A backend that drives a real
 * line (a host serial port) applies it; the others ignore it.
 *
 * @param baud     bits per second, rounded to the nearest whole; 0 while the guest has not programmed
 *                 a divisor (the backend keeps its own rate)
 * @param dataBits 5 to 8
 * @param parity   the parity bit, if any
 * @param stopBits 1 or 2
 */
public record LineSettings(long baud, int dataBits, Parity parity, int stopBits) {
    /** The parity bit of a frame. */
    public enum Parity {
        NONE, ODD, EVEN,
        /** Stick parity, always 1. */
        MARK,
        /** Stick parity, always 0. */
        SPACE
    }

    public LineSettings {
        if (baud < 0) {
            throw new IllegalArgumentException("baud rate " + baud + " is negative");
        }
        if (dataBits < 5 || dataBits > 8) {
            throw new IllegalArgumentException(dataBits + " data bits; a UART frame has 5 to 8");
        }
        if (stopBits != 1 && stopBits != 2) {
            throw new IllegalArgumentException(stopBits + " stop bits; expected 1 or 2");
        }
        java.util.Objects.requireNonNull(parity, "parity");
    }

    /** Whether the guest has programmed a baud rate. */
    public boolean baudProgrammed() {
        return baud > 0;
    }

    /** The usual short form: {@code 115200 8N1}, {@code 9600 7E2}; a rate not programmed reads {@code - 8N1}. */
    @Override
    public String toString() {
        return (baud > 0 ? String.valueOf(baud) : "-") + " " + dataBits + "NOEMS".charAt(parity.ordinal()) + stopBits;
    }
}
