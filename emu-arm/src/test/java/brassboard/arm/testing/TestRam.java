package brassboard.arm.testing;

import brassboard.bus.api.MemoryBus;
import java.util.ArrayList;
import java.util.List;

/** A little-endian RAM at {@code base}; every access outside it is a bus error. Records the accesses. */
public final class TestRam implements MemoryBus {
    /** One access as the bus saw it. */
    public record Access(long address, int size, boolean write, int master) {
    }

    private final long base;
    private final byte[] bytes;
    public final List<Access> accesses = new ArrayList<>();

    public TestRam(long base, int size) {
        this.base = base;
        this.bytes = new byte[size];
    }

    private boolean inside(long address, int size) {
        return address >= base && address + size <= base + bytes.length;
    }

    @Override
    public long read(long address, int size, int master) {
        accesses.add(new Access(address, size, false, master));
        if (!inside(address, size)) {
            return BUS_ERROR;
        }
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[(int) (address - base) + i] & 0xFF);
        }
        return value;
    }

    @Override
    public boolean write(long address, int size, long value, int master) {
        accesses.add(new Access(address, size, true, master));
        if (!inside(address, size)) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            bytes[(int) (address - base) + i] = (byte) (value >>> (8 * i));
        }
        return true;
    }

    public void putWords(long address, int... words) {
        for (int i = 0; i < words.length; i++) {
            write(address + 4L * i, 4, words[i] & 0xFFFF_FFFFL, -1);
        }
        accesses.clear();
    }

    public void putByte(long address, int value) {
        bytes[(int) (address - base)] = (byte) value;
    }

    public int word(long address) {
        int value = (int) read(address, 4, -1);
        accesses.remove(accesses.size() - 1);
        return value;
    }

    public int half(long address) {
        return word(address) & 0xFFFF;
    }

    public int byteAt(long address) {
        return bytes[(int) (address - base)] & 0xFF;
    }
}
