package brassboard.firmware.fdt;

/** A device-tree blob that cannot be read; the message says where in the blob and what was expected. */
public final class FdtException extends Exception {
    private static final long serialVersionUID = 1L;

    public FdtException(String message) {
        super(message);
    }
}
