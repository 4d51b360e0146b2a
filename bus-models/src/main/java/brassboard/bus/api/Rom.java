package brassboard.bus.api;

/**
 * Read-only memory: loaded before power-on, reads like RAM, and ignores writes (as ROM on a
 * real bus and QEMU's ROM regions do), warning once so a firmware bug does not go unseen.
 */
public class Rom extends Ram {
    private final Tracer tracer;

    /** {@code size} bytes of ROM, zero until loaded. */
    public Rom(String name, long size, Tracer tracer) {
        super(name, size);
        this.tracer = tracer;
    }

    @Override
    public boolean write(long offset, int size, long value) {
        tracer.warnOnce("rom-write:" + name(), name(),
                String.format("write to read-only memory at offset 0x%x ignored (further writes to %s are ignored silently)", offset, name()));
        return true;
    }

    @Override
    public String kind() {
        return "ROM";
    }
}
