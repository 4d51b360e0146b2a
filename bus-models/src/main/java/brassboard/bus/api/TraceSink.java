package brassboard.bus.api;

/** Receives trace events. Sinks are called on the simulation thread, in event order. */
public interface TraceSink extends AutoCloseable {
    /** One event. */
    void accept(TraceEvent event);

    /** Flushes and releases the sink; the default does nothing. */
    @Override
    default void close() {
    }
}
