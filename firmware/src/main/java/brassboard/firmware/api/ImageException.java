package brassboard.firmware.api;

/**
 * A firmware image that cannot be loaded or placed. The message is one line that names the file,
 * what is wrong and what was expected, fit to show a user as is.
 */
public final class ImageException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
