package brassboard.devices.storage.api;

/**
 * A device's answer to a request on the default control pipe: the data stage's bytes (empty for a
 * request without one), or STALL (a request error: the request is not supported or its fields are
 * wrong; USB 2.0 §9.2.7).
 *
 * @param stalled whether the request is refused with STALL
 * @param data    the data stage's bytes (device to host); empty when there is none; null when stalled
 */
public record ControlReply(boolean stalled, byte[] data) {
    private static final ControlReply STALL = new ControlReply(true, null);
    private static final ControlReply OK = new ControlReply(false, new byte[0]);

    /** Request error. */
    public static ControlReply stall() {
        return STALL;
    }

    /** Done, no data stage. */
    public static ControlReply ok() {
        return OK;
    }

    /** Done, with {@code data} for the data stage. */
    public static ControlReply data(byte[] data) {
        return new ControlReply(false, data);
    }
}
