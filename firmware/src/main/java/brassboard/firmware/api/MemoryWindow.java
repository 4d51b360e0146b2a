package brassboard.firmware.api;

/**
 * A range of a board's physical address space that an image may be loaded into, e.g.
 * {@code ("RAM", 0x40000000, 128 MiB)} or {@code ("flash", 0, 64 MiB)}.
 */
public record MemoryWindow(String name, long base, long size) {
    public MemoryWindow {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a memory window needs a name");
        }
        if (base < 0 || size <= 0 || base + size < base) {
            throw new IllegalArgumentException(
                    "memory window " + name + ": base " + Hex.addr(base) + " size " + Hex.addr(size)
                            + " is not a non-empty range of non-negative addresses");
        }
    }

    /** The last address inside the window. */
    public long last() {
        return base + size - 1;
    }

    /** Whether {@code [address, address + length)} lies wholly inside this window. */
    public boolean contains(long address, long length) {
        return address >= base && length >= 0 && address - base <= size - length;
    }

    /** Whether {@code [address, address + length)} shares at least one byte with this window. */
    public boolean overlaps(long address, long length) {
        return length > 0 && address <= last() && address + length - 1 >= base;
    }

    /** {@code RAM [0x40000000-0x47ffffff]}, as used in messages. */
    public String describe() {
        return name + " " + Hex.range(base, last());
    }
}
