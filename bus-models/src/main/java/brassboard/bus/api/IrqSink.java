package brassboard.bus.api;

/** Whatever an {@link IrqLine} is connected to: an interrupt controller input, a CPU pin, a test probe. */
@FunctionalInterface
public interface IrqSink {
    /** The line's level changed. */
    void levelChanged(IrqLine line, boolean level);

    /**
     * The line was pulsed (an edge with no lasting level). A level-sensitive sink sees a pulse
     * as a rise followed by a fall; edge-sensitive sinks override this.
     */
    default void pulsed(IrqLine line) {
        levelChanged(line, true);
        levelChanged(line, false);
    }
}
