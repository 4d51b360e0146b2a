package brassboard.devices.api;

/** Where the bytes a guest receives come from: a script, a file, a forwarded host stream. */
public interface CharSource {
    /** The next input byte (0-255), or -1 if none is available right now. */
    int poll();

    /** Whether no more input will ever come (the script or file has been consumed, the stream ended). */
    boolean exhausted();

    /**
     * Whether bytes arrive on the host's schedule (a terminal, a pipe) rather than being fixed in
     * advance: the UART may then poll less often while nothing comes. The default is false.
     */
    default boolean live() {
        return false;
    }

    /**
     * Asks to be told, on the thread that receives the host's input, whenever a byte has arrived: the
     * UART of a live source then takes it without waiting out the slower pace it polls an idle source
     * at. A source fixed in advance never calls {@code arrived} (the default).
     */
    default void onArrival(Runnable arrived) {
    }

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
