package brassboard.firmware.api;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A run of bytes to place at a physical {@code address}: {@code data} first, then zeros up to
 * {@code memSize} (an ELF segment's bss). The array is not copied; treat it as read-only.
 */
public record Segment(long address, byte[] data, long memSize) {
    public Segment {
        if (data == null) {
            throw new IllegalArgumentException("segment data must not be null");
        }
        if (address < 0 || memSize < data.length || address + memSize < address) {
            throw new IllegalArgumentException("segment at " + Hex.addr(address) + ": memSize "
                    + Hex.num(memSize) + " must be at least the " + Hex.num(data.length)
                    + " bytes of data and must not wrap");
        }
    }

    /** The last address the segment occupies (its own address when {@code memSize} is zero). */
    public long last() {
        return address + Math.max(memSize, 1) - 1;
    }

    /** Whether {@code addr} lies inside the segment's memory image (data or bss). */
    public boolean contains(long addr) {
        return addr >= address && addr - address < memSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Segment s && address == s.address && memSize == s.memSize
                && Arrays.equals(data, s.data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(address) * 31 + Long.hashCode(memSize) * 17 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        int shown = Math.min(data.length, 16);
        return "Segment" + Hex.range(address, last()) + "(data " + Hex.num(data.length) + " bytes: "
                + HexFormat.ofDelimiter(" ").formatHex(data, 0, shown) + (shown < data.length ? " ..." : "")
                + ", memSize " + Hex.num(memSize) + ")";
    }
}
