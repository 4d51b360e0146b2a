package brassboard.bus.usb;

/**
 * The eight bytes of a control transfer's SETUP stage (USB 2.0 §9.3, Table 9-2).
 *
 * @param requestType bmRequestType: direction (bit 7), type (bits 6:5), recipient (bits 4:0)
 * @param request     bRequest
 * @param value       wValue
 * @param index       wIndex
 * @param length      wLength: bytes of the data stage
 */
public record SetupPacket(int requestType, int request, int value, int index, int length) {
    /** bmRequestType bit 7: device-to-host. */
    public static final int DIR_IN = 0x80;
    public static final int TYPE_STANDARD = 0;
    public static final int TYPE_CLASS = 1;
    public static final int TYPE_VENDOR = 2;
    public static final int RECIPIENT_DEVICE = 0;
    public static final int RECIPIENT_INTERFACE = 1;
    public static final int RECIPIENT_ENDPOINT = 2;

    // ---- Standard request codes, Table 9-4 ----
    public static final int GET_STATUS = 0;
    public static final int CLEAR_FEATURE = 1;
    public static final int SET_FEATURE = 3;
    public static final int SET_ADDRESS = 5;
    public static final int GET_DESCRIPTOR = 6;
    public static final int SET_DESCRIPTOR = 7;
    public static final int GET_CONFIGURATION = 8;
    public static final int SET_CONFIGURATION = 9;
    public static final int GET_INTERFACE = 10;
    public static final int SET_INTERFACE = 11;
    public static final int SYNCH_FRAME = 12;

    // ---- Feature selectors, Table 9-6 ----
    public static final int ENDPOINT_HALT = 0;
    public static final int DEVICE_REMOTE_WAKEUP = 1;
    public static final int TEST_MODE = 2;

    /** Size of a SETUP packet's data. */
    public static final int SIZE = 8;

    /** Decodes the eight bytes of a SETUP data packet. */
    public static SetupPacket parse(byte[] b) {
        if (b.length != SIZE) {
            throw new IllegalArgumentException("a SETUP packet has 8 bytes, not " + b.length);
        }
        return new SetupPacket(b[0] & 0xFF, b[1] & 0xFF, u16(b, 2), u16(b, 4), u16(b, 6));
    }

    /** The packet's eight wire bytes. */
    public byte[] bytes() {
        return new byte[] {(byte) requestType, (byte) request, (byte) value, (byte) (value >>> 8),
            (byte) index, (byte) (index >>> 8), (byte) length, (byte) (length >>> 8)};
    }

    /** Whether the data stage (if any) runs device-to-host. */
    public boolean deviceToHost() {
        return (requestType & DIR_IN) != 0;
    }

    /** Bits 6:5: standard, class, vendor. */
    public int type() {
        return (requestType >>> 5) & 3;
    }

    /** Bits 4:0: device, interface, endpoint, other. */
    public int recipient() {
        return requestType & 0x1F;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    @Override
    public String toString() {
        return String.format("SETUP %02x %02x %04x %04x %04x", requestType, request, value, index, length);
    }
}
