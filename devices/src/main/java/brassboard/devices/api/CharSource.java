package brassboard.devices.api;

/** Where the bytes a guest receives come from: a script, a file, a forwarded host stream. */
public interface CharSource {
    /** The next input byte (0-255), or -1 if none is available right now. */
    int poll();

    /** Whether no more input will ever come (the script or file has been consumed, the stream ended). */
    boolean exhausted();

    /** Releases the source; the default does nothing. */
    default void close() {
    }

    /** A source with no input at all: exhausted from the start. */
    static CharSource none() {
        return new CharSource() {
            @Override
            public int poll() {
                return -1;
            }

            @Override
            public boolean exhausted() {
                return true;
            }
        };
    }
}
