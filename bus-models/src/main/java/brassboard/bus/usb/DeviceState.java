package brassboard.bus.usb;

/** The visible device states of USB 2.0 §9.1.1 (Figure 9-1); suspension is not modelled. */
public enum DeviceState {
    /** Not attached to a port (or attached to an unpowered one): it answers nothing. */
    DETACHED,
    /** Plugged into a port, before the port is powered. */
    ATTACHED,
    /** Powered, not yet reset: it answers nothing until a bus reset. */
    POWERED,
    /** After a bus reset: answers at address 0, endpoint 0 only. */
    DEFAULT,
    /** Has a unique address; endpoint 0 only. */
    ADDRESS,
    /** A configuration is selected; its endpoints work. */
    CONFIGURED
}
