package brassboard.boards.api;

/** A machine cannot be built as configured: an unknown board, an impossible RAM size. The message is one line for a person. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
