package brassboard.bus.api;

/**
 * Something that answers accesses within a window of the address space: RAM, ROM, a device.
 * Offsets are relative to the region's base; the {@link AddressSpace} has already checked that
 * the access lies within {@link #size()}.
 */
public abstract class Region {
    private final String name;
    private final long size;

    protected Region(String name, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("region '" + name + "' has size " + size + "; expected a positive size");
        }
        this.name = name;
        this.size = size;
    }

    /** The region's name as the board map gives it ({@code ram}, {@code uart0}, {@code flash0}). */
    public final String name() {
        return name;
    }

    /** Size in bytes. */
    public final long size() {
        return size;
    }

    /** Reads {@code size} bytes at {@code offset}; the value zero-extended, or {@link MemoryBus#BUS_ERROR}. */
    public abstract long read(long offset, int size);

    /** Writes the low {@code size} bytes of {@code value}; {@code false} for a bus error. */
    public abstract boolean write(long offset, int size, long value);

    /**
     * Loads an image's bytes, bypassing write protection (the way a programmer fills a flash
     * chip before power-on). Devices that cannot hold an image refuse.
     *
     * @throws IllegalArgumentException if this region cannot be loaded
     */
    public void load(long offset, byte[] data) {
        throw new IllegalArgumentException("region '" + name + "' is a device; images can only be loaded into RAM or flash");
    }

    /** A short word for error messages and the memory map listing: {@code RAM}, {@code ROM}, {@code MMIO}. */
    public abstract String kind();
}
