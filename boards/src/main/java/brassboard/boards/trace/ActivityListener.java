package brassboard.boards.trace;

/**
 * Receives what {@link Activity} sees on each CPU, stamped with virtual time. Slices of one CPU
 * begin and end in LIFO order (properly nested); every slice begun is ended, at the latest by
 * {@link #runEnd}. Called on the simulation thread. Every method is a no-op by default.
 */
public interface ActivityListener {
    default void sliceBegin(Slice slice) {
    }

    default void sliceEnd(Slice slice, long endNs, Slice.End how) {
    }

    /** CPSR.I of {@code cpu} changed at {@code ns} (also once at attach time when it is set). */
    default void irqMask(int cpu, long ns, boolean masked, int pc) {
    }

    /** A reset of {@code cpu} at {@code ns} (its open slices have just been ended). */
    default void cpuReset(int cpu, long ns) {
    }

    /** CPU {@code cpu} acknowledged {@code intid} at the GIC (GICC_IAR) at {@code ackNs}; it was pending since {@code pendingSinceNs}. */
    default void irqAcknowledged(int cpu, int intid, long pendingSinceNs, long ackNs) {
    }

    /** The run ended at {@code ns}; nothing follows. */
    default void runEnd(long ns) {
    }
}
