package brassboard.devices.storage.api;

/**
 * A device's answer to the host's request for data on a bulk IN endpoint: data (at most what was
 * asked for; fewer bytes end the host's transfer as a short packet does) or a STALL handshake,
 * which halts the endpoint until the host clears the halt.
 *
 * @param stalled whether the answer is STALL
 * @param data    the bytes sent (empty: a zero-length packet); null when stalled
 */
public record BulkInReply(boolean stalled, byte[] data) {
    private static final BulkInReply STALL = new BulkInReply(true, null);

    /** STALL: the endpoint is halted. */
    public static BulkInReply stall() {
        return STALL;
    }

    /** {@code data} is sent. */
    public static BulkInReply data(byte[] data) {
        return new BulkInReply(false, data);
    }

    /** Bytes sent; 0 when stalled. */
    public int length() {
        return stalled ? 0 : data.length;
    }

    @Override
    public String toString() {
        return stalled ? "BulkInReply[STALL]" : "BulkInReply[" + data.length + " bytes]";
    }
}
