package brassboard.devices.api;

/**
 * The far end of a UART: what receives the guest's output and supplies its input.
 *
 * <p>The UART pulls input with {@link #poll()} on its own virtual-time schedule (one character
 * time apart, only while its receive FIFO has room), so a backend whose input is fixed in
 * advance (a script) gives the same run every time.
 */
public interface CharBackend {
    /** A byte (0-255) the guest sent. */
    void transmit(int b);

    /** The next input byte (0-255), or -1 if none is available right now. */
    int poll();

    /** Whether no more input will ever come (script or file ended); the UART then stops polling. */
    boolean inputExhausted();

    /** Whether input arrives on the host's schedule ({@link CharSource#live}); the default is false. */
    default boolean inputLive() {
        return false;
    }

    /** {@link CharSource#onArrival}: {@code arrived} runs on the host's input thread when a byte comes; the default never. */
    default void onInput(Runnable arrived) {
    }

    /**
     * The guest programmed its line ({@code settings}: baud rate and frame format; called when they
     * change). A backend on a real line applies them; the default ignores them, since bytes reach
     * every other backend whole.
     */
    default void lineSettings(LineSettings settings) {
    }

    /** Flushes output and releases both ends; the default does nothing. */
    default void close() {
    }

    /**
     * A backend built from an output sink and an input source. Polling for input first flushes
     * the sink, so a prompt without a newline is visible before the guest waits for an answer.
     */
    static CharBackend of(CharSink output, CharSource input) {
        return new CharBackend() {
            @Override
            public void transmit(int b) {
                output.write(b);
            }

            @Override
            public int poll() {
                output.flush();
                return input.poll();
            }

            @Override
            public boolean inputExhausted() {
                return input.exhausted();
            }

            @Override
            public boolean inputLive() {
                return input.live();
            }

            @Override
            public void onInput(Runnable arrived) {
                input.onArrival(arrived);
            }

            @Override
            public void close() {
                output.close();
                input.close();
            }
        };
    }

    /** Nothing connected: output dropped, no input. */
    static CharBackend disconnected() {
        return of(CharSink.discard(), CharSource.none());
    }
}
