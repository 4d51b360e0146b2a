package brassboard.devices.uart;

/**
 * The escape keys of an interactive console, as QEMU's {@code -nographic} ({@code chardev/char-mux.c}):
 * {@code Ctrl-A} starts a command, the next key says which.
 *
 * <ul>
 *   <li>{@code Ctrl-A x}: exit ({@link Action#EXIT});</li>
 *   <li>{@code Ctrl-A h} or {@code Ctrl-A ?}: print {@link #HELP} ({@link Action#HELP});</li>
 *   <li>{@code Ctrl-A Ctrl-A}: one literal {@code Ctrl-A} for the guest ({@link Action#SEND} 0x01);</li>
 *   <li>{@code Ctrl-A} and any other key (QEMU's {@code c}, {@code s}, {@code b}, {@code t} included): both
 *       keys are dropped, as QEMU drops the keys it does not know.</li>
 * </ul>
 *
 * Every other byte goes to the guest unchanged ({@code Ctrl-C} too: in raw mode it is a key like any
 * other). A pure state machine: feed it bytes with {@link #feed}, act on the answers.
 */
public final class ConsoleEscape {
    /** The escape key, {@code Ctrl-A}. */
    public static final int ESCAPE = 0x01;

    /** The text {@code Ctrl-A h} prints (lines end in CR LF: the terminal is raw). */
    public static final String HELP = "\r\n"
            + "C-a h    print this help\r\n"
            + "C-a x    exit emulator\r\n"
            + "C-a C-a  sends C-a\r\n";

    /** What a byte fed in asks for. */
    public enum Action {
        /** Give {@link ConsoleEscape#byteToSend()} to the guest. */
        SEND,
        /** Nothing (an escape started, or an unknown command was dropped). */
        NONE,
        /** Print {@link #HELP}. */
        HELP,
        /** End the run. */
        EXIT
    }

    private boolean escaped;
    private int toSend = -1;

    /** Takes one input byte (0-255) and says what to do with it. */
    public Action feed(int b) {
        b &= 0xFF;
        if (escaped) {
            escaped = false;
            switch (b) {
                case ESCAPE -> {
                    toSend = ESCAPE;
                    return Action.SEND;
                }
                case 'x', 'X' -> {
                    return Action.EXIT;
                }
                case 'h', 'H', '?' -> {
                    return Action.HELP;
                }
                default -> {
                    return Action.NONE;
                }
            }
        }
        if (b == ESCAPE) {
            escaped = true;
            return Action.NONE;
        }
        toSend = b;
        return Action.SEND;
    }

    /** The byte the last {@link Action#SEND} means. */
    public int byteToSend() {
        return toSend;
    }

    /** Whether a {@code Ctrl-A} is waiting for its command key. */
    public boolean escapePending() {
        return escaped;
    }
}
