package brassboard.devices.api;

/** Where the bytes a guest transmits go: a console, a file, a capture buffer. */
@FunctionalInterface
public interface CharSink {
    /** One byte (0-255) the guest sent. */
    void write(int b);

    /** Pushes buffered output to its destination; the default does nothing. */
    default void flush() {
    }

    /** Flushes and releases the destination; the default does nothing. */
    default void close() {
    }

    /** A sink that drops everything. */
    static CharSink discard() {
        return b -> { };
    }
}
