package brassboard.bus.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Plain read/write memory backed by a byte array; masters may use {@link #array()} directly on hot paths. */
public class Ram extends Region {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    protected final byte[] bytes;

    /** {@code size} bytes of zeroed RAM (at most 2 GiB - 1). */
    public Ram(String name, long size) {
        super(name, size);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("RAM region '" + name + "' of " + size + " bytes is too large; at most 2047 MiB per region");
        }
        this.bytes = new byte[(int) size];
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
        System.arraycopy(data, 0, bytes, (int) offset, data.length);
    }

    @Override
    public String kind() {
        return "RAM";
    }
}
