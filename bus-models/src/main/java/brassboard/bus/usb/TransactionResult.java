package brassboard.bus.usb;

import java.util.Arrays;

/**
 * What one USB transaction ended in (USB 2.0 §8.4.5, §8.5): the device's handshake — ACK (with
 * the data packet for an IN), NAK or STALL — or no valid handshake at all, a transaction error
 * (a CRC error, a timeout, babble). The host controller turns this into qTD status bits.
 *
 * <p>Immutable: the data is copied in and out. An IN's data packet carries the data toggle
 * (DATA0/DATA1) the device sent it with; the device framework stamps it.
 */
public final class TransactionResult {
    /** The handshake, or {@link #ERROR} when there was none the host could accept. */
    public enum Kind { ACK, NAK, STALL, ERROR }

    /** Why a transaction failed (USB 2.0 §8.7.1-8.7.4). */
    public enum Error {
        /** Bad CRC or bit stuffing in the device's packet. */
        CRC,
        /** No response within the bus turn-around time (a device that is gone, or silent). */
        TIMEOUT,
        /** The device sent more than it was asked for, or past the end of the micro-frame. */
        BABBLE
    }

    private static final byte[] NONE = new byte[0];
    private static final TransactionResult ACK = new TransactionResult(Kind.ACK, NONE, 0, null);
    private static final TransactionResult NAK = new TransactionResult(Kind.NAK, NONE, 0, null);
    private static final TransactionResult STALL = new TransactionResult(Kind.STALL, NONE, 0, null);

    private final Kind kind;
    private final byte[] data;
    private final int toggle;
    private final Error error;

    private TransactionResult(Kind kind, byte[] data, int toggle, Error error) {
        this.kind = kind;
        this.data = data;
        this.toggle = toggle;
        this.error = error;
    }

    /** ACK without data: an OUT or SETUP accepted, or a zero-length IN. */
    public static TransactionResult ack() {
        return ACK;
    }

    /** ACK of an IN: the data packet the device sends (copied). */
    public static TransactionResult data(byte[] bytes) {
        return bytes.length == 0 ? ACK : new TransactionResult(Kind.ACK, bytes.clone(), 0, null);
    }

    /** ACK of an IN with {@code length} bytes of {@code bytes} from {@code offset} (copied). */
    public static TransactionResult data(byte[] bytes, int offset, int length) {
        return length == 0 ? ACK : new TransactionResult(Kind.ACK, Arrays.copyOfRange(bytes, offset, offset + length), 0, null);
    }

    /** The endpoint cannot take or give data now; the host retries later. */
    public static TransactionResult nak() {
        return NAK;
    }

    /** The endpoint is halted, or the control request is not supported. */
    public static TransactionResult stall() {
        return STALL;
    }

    /** No valid handshake: {@code why}. */
    public static TransactionResult error(Error why) {
        return new TransactionResult(Kind.ERROR, NONE, 0, why);
    }

    /** This result with its data packet sent as DATA{@code t} (0 or 1). */
    public TransactionResult withToggle(int t) {
        return t == toggle ? this : new TransactionResult(kind, data, t & 1, error);
    }

    public Kind kind() {
        return kind;
    }

    /** Bytes of the IN data packet (0 for anything but an ACK with data). */
    public int length() {
        return data.length;
    }

    /** The IN data packet (a copy). */
    public byte[] data() {
        return data.clone();
    }

    /** Byte {@code i} of the IN data packet. */
    public byte dataAt(int i) {
        return data[i];
    }

    /** The data toggle of the IN data packet: 0 for DATA0, 1 for DATA1. */
    public int toggle() {
        return toggle;
    }

    /** Why it failed, for {@link Kind#ERROR}; {@code null} otherwise. */
    public Error error() {
        return error;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ACK -> data.length == 0 ? "ACK" : "DATA" + toggle + "(" + data.length + " bytes)";
            case NAK -> "NAK";
            case STALL -> "STALL";
            case ERROR -> "error(" + error + ")";
        };
    }
}
