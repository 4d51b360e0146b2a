package brassboard.bus.usb;

/** The device's side of a bulk (or interrupt) OUT endpoint: it is given each data packet the host sends. */
@FunctionalInterface
public interface BulkOutHandler {
    /**
     * One data packet (never more than the endpoint's wMaxPacketSize, possibly empty); answer
     * {@link TransactionResult#ack()} (taken), {@link TransactionResult#nak()} (not now: the same
     * packet comes again later) or {@link TransactionResult#stall()} (the endpoint halts).
     */
    TransactionResult out(byte[] packet);

    /** Answer to a high-speed PING (USB 2.0 §8.5.1): whether a full packet would be taken now. */
    default boolean ready() {
        return true;
    }

    /** The host cleared the endpoint's halt (CLEAR_FEATURE(ENDPOINT_HALT)) or reset the device. */
    default void haltCleared() {
    }
}
