package brassboard.bus.usb;

/** The device's class- and vendor-specific control requests (standard requests are answered by {@link UsbDevice}). */
@FunctionalInterface
public interface ControlHandler {
    /** Stalls every request: a device with no class or vendor requests. */
    ControlHandler NONE = (setup, data) -> TransactionResult.stall();

    /**
     * One request. For a device-to-host request answer {@link TransactionResult#data} (cut to
     * wLength by the framework); for a host-to-device request {@code data} holds the data stage
     * (empty when wLength is 0) and the answer is {@link TransactionResult#ack()}. Either way
     * {@link TransactionResult#stall()} refuses the request.
     */
    TransactionResult request(SetupPacket setup, byte[] data);
}
