package brassboard.bus.api;

/**
 * The narrow port through which a bus master (a CPU, a DMA engine) reaches memory and devices.
 *
 * <p>Accesses never throw on the hot path: a read returns the value zero-extended into a
 * {@code long}, or {@link #BUS_ERROR} when nothing answers (or a device or fault rule refuses the
 * access); a write returns {@code false} on a bus error. The master decides what a bus error means
 * to it (the ARM core takes an external abort).
 */
public interface MemoryBus {
    /** Returned by {@link #read} when the access ended in a bus error. Never a valid value. */
    long BUS_ERROR = -1L;

    /**
     * Reads {@code size} bytes (1, 2, 4 or 8), little-endian, at physical {@code address}.
     *
     * @param master the requesting master's id (see {@link Masters})
     * @return the value, zero-extended, or {@link #BUS_ERROR}
     */
    long read(long address, int size, int master);

    /**
     * Writes the low {@code size} bytes (1, 2, 4 or 8) of {@code value}, little-endian.
     *
     * @return {@code false} when the access ended in a bus error
     */
    boolean write(long address, int size, long value, int master);

    /**
     * An instruction fetch: a {@link #read} that fault rules can tell apart from a data read
     * ({@code match: { kind: fetch }}).
     */
    default long fetch(long address, int size, int master) {
        return read(address, size, master);
    }
}
