package brassboard.bus.api;

/** A device's register window. A {@link brassboard.bus.api.regs.RegisterBank} is the usual implementation. */
public interface MmioDevice {
    /** Reads {@code size} bytes at {@code offset}: the value, or {@link MemoryBus#BUS_ERROR}. */
    long read(long offset, int size);

    /** Writes {@code size} bytes at {@code offset}; {@code false} for a bus error. */
    boolean write(long offset, int size, long value);
}
