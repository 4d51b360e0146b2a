package brassboard.bus.usb;

/** The device's side of a bulk (or interrupt) IN endpoint: it is asked for each data packet. */
@FunctionalInterface
public interface BulkInHandler {
    /**
     * Up to {@code maxBytes} bytes (the smaller of what the host asks for and wMaxPacketSize):
     * answer {@link TransactionResult#data} (fewer bytes end the transfer as a short packet),
     * {@link TransactionResult#nak()} (nothing yet) or {@link TransactionResult#stall()}. Data
     * longer than {@code maxBytes} is babble: the host halts the transfer.
     */
    TransactionResult in(int maxBytes);

    /** The host cleared the endpoint's halt (CLEAR_FEATURE(ENDPOINT_HALT)) or reset the device. */
    default void haltCleared() {
    }
}
