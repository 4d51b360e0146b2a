package brassboard.bus.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Plain read/write memory backed by a byte array; masters may use {@link #array()} directly on hot paths. */
public class Ram extends Region implements CodeSource {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    protected final byte[] bytes;
    private final CodeSource.Watch watch;

    /** {@code size} bytes of zeroed RAM (at most 2 GiB - 1). */
    public Ram(String name, long size) {
        super(name, size);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("RAM region '" + name + "' of " + size + " bytes is too large; at most 2047 MiB per region");
        }
        this.bytes = new byte[(int) size];
        this.watch = new CodeSource.Watch(this, size);
    }

    /** RAM's reads are always its bytes. */
    @Override
    public final byte[] codeArray() {
        return bytes;
    }

    @Override
    public final void addCodeWriteListener(CodeWriteListener listener) {
        watch.add(listener);
    }

    /**
     * Marks the page holding {@code offset} as holding decoded code: the next write to it (by any
     * master, or an image load) tells the listeners once and clears the mark. This is how an
     * instruction cache stays correct under self-modifying code and DMA into code.
     */
    @Override
    public final void watch(long offset) {
        watch.watch(offset);
    }

    /** Whether the page holding {@code offset} is watched. */
    public final boolean isWatched(long offset) {
        return watch.isWatched(offset);
    }

    /** Call before changing bytes at {@code offset} behind the region's back (a master's direct array access). */
    public final void beforeWrite(long offset, int size) {
        watch.changing(offset, size);
    }

    /** The backing array; index = offset within the region. */
    public final byte[] array() {
        return bytes;
    }

    @Override
    public long read(long offset, int size) {
        int o = (int) offset;
        switch (size) {
            case 1:
                return bytes[o] & 0xFFL;
            case 2:
                return ((short) SHORT.get(bytes, o)) & 0xFFFFL;
            case 4:
                return ((int) INT.get(bytes, o)) & 0xFFFF_FFFFL;
            case 8:
                return (long) LONG.get(bytes, o);
            default:
                return MemoryBus.BUS_ERROR;
        }
    }

    @Override
    public boolean write(long offset, int size, long value) {
        int o = (int) offset;
        if (watch.touches(o, size)) {
            watch.changing(offset, size);
        }
        switch (size) {
            case 1:
                bytes[o] = (byte) value;
                return true;
            case 2:
                SHORT.set(bytes, o, (short) value);
                return true;
            case 4:
                INT.set(bytes, o, (int) value);
                return true;
            case 8:
                LONG.set(bytes, o, value);
                return true;
            default:
                return false;
        }
    }

    @Override
    public void load(long offset, byte[] data) {
        if (data.length > 0) {
            beforeWrite(offset, data.length);
        }
        System.arraycopy(data, 0, bytes, (int) offset, data.length);
    }

    @Override
    public String kind() {
        return "RAM";
    }
}
