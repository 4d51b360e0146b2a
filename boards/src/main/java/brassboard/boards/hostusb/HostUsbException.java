package brassboard.boards.hostusb;

/** The host's USB cannot do what was asked: libusb not loadable, no device, no permission. The message is one line. */
public final class HostUsbException extends Exception {
    private static final long serialVersionUID = 1L;

    public HostUsbException(String message) {
        super(message, null, false, false);
    }
}
