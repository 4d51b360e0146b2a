package brassboard.devices.storage.api;

/**
 * A device's answer to the host's request for data on a bulk IN endpoint: data (at most what was
 * asked for; fewer bytes end the host's transfer as a short packet does), NAK (nothing yet: ask
 * again later), or STALL, which halts the endpoint until the host clears the halt.
 *
 * @param handshake DATA, NAK or STALL
 * @param data      the bytes sent (empty: a zero-length packet); null unless {@code handshake} is DATA
 */
public record BulkInReply(Handshake handshake, byte[] data) {
    /** The answer's kind. */
    public enum Handshake { DATA, NAK, STALL }

    private static final BulkInReply STALL = new BulkInReply(Handshake.STALL, null);
    private static final BulkInReply NAK = new BulkInReply(Handshake.NAK, null);

    /** STALL: the endpoint is halted. */
    public static BulkInReply stall() {
        return STALL;
    }

    /** NAK: the device has nothing to send yet. */
    public static BulkInReply nak() {
        return NAK;
    }

    /** {@code data} is sent. */
    public static BulkInReply data(byte[] data) {
        return new BulkInReply(Handshake.DATA, data);
    }

    /** Whether the answer is STALL. */
    public boolean stalled() {
        return handshake == Handshake.STALL;
    }

    /** Whether the answer is NAK. */
    public boolean naked() {
        return handshake == Handshake.NAK;
    }

    /** Bytes sent; 0 for NAK and STALL. */
    public int length() {
        return data == null ? 0 : data.length;
    }

    @Override
    public String toString() {
        return handshake == Handshake.DATA ? "BulkInReply[" + data.length + " bytes]" : "BulkInReply[" + handshake + "]";
    }
}
