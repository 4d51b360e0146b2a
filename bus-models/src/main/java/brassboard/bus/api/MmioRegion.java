package brassboard.bus.api;

/** A device's register window mapped into the address space. */
public final class MmioRegion extends Region {
    private final MmioDevice device;

    /** Maps {@code device} over {@code size} bytes. */
    public MmioRegion(String name, long size, MmioDevice device) {
        super(name, size);
        this.device = device;
    }

    /** The device behind the window. */
    public MmioDevice device() {
        return device;
    }

    @Override
    public long read(long offset, int size) {
        return device.read(offset, size);
    }

    @Override
    public boolean write(long offset, int size, long value) {
        return device.write(offset, size, value);
    }

    @Override
    public String kind() {
        return "MMIO";
    }
}
