package brassboard.firmware.fdt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** A device-tree property: a name and a value of raw bytes, with typed views of the value. */
public final class FdtProperty {
    private final String name;
    private final byte[] value;
    /** Where the name lay in the strings block of the blob this was read from; -1 when built. */
    private final int nameOffset;

    FdtProperty(String name, byte[] value) {
        this(name, value, -1);
    }

    FdtProperty(String name, byte[] value, int nameOffset) {
        this.name = name;
        this.value = value;
        this.nameOffset = nameOffset;
    }

    public String name() {
        return name;
    }

    /** A copy of the value's bytes. */
    public byte[] value() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    /** Whether the value is empty, as for a boolean property such as {@code dma-coherent}. */
    public boolean isEmpty() {
        return value.length == 0;
    }

    /** The value as one NUL-terminated string. */
    public String asString() {
        List<String> strings = asStringList();
        if (strings.size() != 1) {
            throw new IllegalStateException("property " + name + " holds " + strings.size()
                    + " strings, expected exactly one");
        }
        return strings.get(0);
    }

    /** The value as a list of NUL-terminated strings (a {@code compatible} list, say). */
    public List<String> asStringList() {
        if (value.length == 0 || value[value.length - 1] != 0) {
            throw new IllegalStateException("property " + name + " is not a NUL-terminated string list: "
                    + hex());
        }
        List<String> strings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length; i++) {
            if (value[i] == 0) {
                strings.add(new String(value, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return strings;
    }

    /** The value as big-endian 32-bit cells, each zero-extended into a {@code long}. */
    public long[] asCells() {
        if (value.length % 4 != 0) {
            throw new IllegalStateException("property " + name + " is " + value.length
                    + " bytes, not a whole number of 32-bit cells");
        }
        long[] cells = new long[value.length / 4];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = Fdt.u32(value, i * 4);
        }
        return cells;
    }

    /** The value as one 32-bit cell. */
    public long asU32() {
        long[] cells = asCells();
        if (cells.length != 1) {
            throw new IllegalStateException("property " + name + " holds " + cells.length
                    + " cells, expected exactly one");
        }
        return cells[0];
    }

    /** The value as one 64-bit number (two cells, most significant first). */
    public long asU64() {
        long[] cells = asCells();
        if (cells.length != 2) {
            throw new IllegalStateException("property " + name + " holds " + cells.length
                    + " cells, expected two (one 64-bit value)");
        }
        return cells[0] << 32 | cells[1];
    }

    byte[] rawValue() {
        return value;
    }

    int nameOffset() {
        return nameOffset;
    }

    private String hex() {
        return value.length == 0 ? "(empty)" : HexFormat.ofDelimiter(" ").formatHex(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FdtProperty p && name.equals(p.name) && Arrays.equals(value, p.value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + " = [" + hex() + "]";
    }
}
