package brassboard.firmware.fdt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads flattened device-tree blobs (DTB) as laid out in chapter 5 of the
 * Devicetree Specification v0.4: a 40-byte header, the memory reservation block, the structure
 * block of tokens and the strings block, all big-endian. Written blobs are version 17, last
 * compatible version 16, like dtc's; property names are stored once in the strings block.
 */
public final class Fdt {
    /** {@code magic}: the first word of every blob. */
    public static final int MAGIC = 0xd00dfeed;
    /** The format version this class writes. */
    public static final int VERSION = 17;
    /** The oldest version a reader of our blobs must understand. */
    public static final int LAST_COMP_VERSION = 16;
    /** The deepest nesting of nodes {@link #read} accepts (Linux unflattens at most 64 levels). */
    public static final int MAX_DEPTH = 64;

    // Header fields (struct fdt_header), byte offsets.
    private static final int HEADER_SIZE = 40;
    private static final int H_MAGIC = 0;
    private static final int H_TOTALSIZE = 4;
    private static final int H_OFF_DT_STRUCT = 8;
    private static final int H_OFF_DT_STRINGS = 12;
    private static final int H_OFF_MEM_RSVMAP = 16;
    private static final int H_VERSION = 20;
    private static final int H_LAST_COMP_VERSION = 24;
    private static final int H_BOOT_CPUID_PHYS = 28;
    private static final int H_SIZE_DT_STRINGS = 32;
    private static final int H_SIZE_DT_STRUCT = 36;

    // Structure block tokens.
    static final int FDT_BEGIN_NODE = 0x1;
    static final int FDT_END_NODE = 0x2;
    static final int FDT_PROP = 0x3;
    static final int FDT_NOP = 0x4;
    static final int FDT_END = 0x9;

    private static final int RESERVE_ENTRY_SIZE = 16;

    private Fdt() {
    }

    /**
     * Writes the tree under {@code root} as a blob.
     *
     * @param memReserve memory the OS must not use, each entry {@code {address, size}}
     * @param bootCpuIdPhys the physical id ({@code reg} of the cpu node) of the CPU that boots
     */
    public static byte[] write(FdtNode root, List<long[]> memReserve, int bootCpuIdPhys) {
        return write(root, memReserve, bootCpuIdPhys, 0);
    }

    /**
     * Writes the tree as a blob of at least {@code totalSize} bytes: the free space after the
     * strings block is inside {@code totalsize}, so firmware can add nodes and properties in place
     * (libfdt's {@code fdt_open_into} needs none of it moved). QEMU's {@code virt} hands firmware a
     * 1 MiB blob this way.
     */
    public static byte[] write(FdtNode root, List<long[]> memReserve, int bootCpuIdPhys, int totalSize) {
        return write(root, memReserve, bootCpuIdPhys, totalSize, new Strings(new byte[0]));
    }

    /**
     * Writes the tree with {@code keepStrings} (the strings block of the blob it was read from)
     * as the start of its strings block: properties read from that blob keep their name offsets
     * and new names are appended. A signed FIT needs this, because its signatures cover the
     * structure block (where the offsets are) and the strings block up to a recorded size.
     */
    public static byte[] writeKeepingStrings(FdtNode root, List<long[]> memReserve, int bootCpuIdPhys,
                                             byte[] keepStrings) {
        return write(root, memReserve, bootCpuIdPhys, 0, new Strings(keepStrings.clone()));
    }

    /** A copy of a blob's strings block, as its header places it. */
    public static byte[] stringsBlock(byte[] blob) throws FdtException {
        readBlob(blob); // checks the header and every block bound
        int off = (int) u32(blob, H_OFF_DT_STRINGS);
        int size = (int) u32(blob, H_SIZE_DT_STRINGS);
        return java.util.Arrays.copyOfRange(blob, off, off + size);
    }

    /** The blob's {@code totalsize}, from its header (not checked). */
    public static long totalSize(byte[] blob) {
        return u32(blob, H_TOTALSIZE);
    }

    /** The offset of the structure block, from a blob's header (not checked). */
    static int structOffset(byte[] blob) {
        return (int) u32(blob, H_OFF_DT_STRUCT);
    }

    /** The size of the structure block, from a blob's header (not checked). */
    static int structSize(byte[] blob) {
        return (int) u32(blob, H_SIZE_DT_STRUCT);
    }

    /** The offset of the strings block, from a blob's header (not checked). */
    public static int stringsOffset(byte[] blob) {
        return (int) u32(blob, H_OFF_DT_STRINGS);
    }

    /** The size of the strings block, from a blob's header (not checked). */
    public static int stringsSize(byte[] blob) {
        return (int) u32(blob, H_SIZE_DT_STRINGS);
    }

    private static byte[] write(FdtNode root, List<long[]> memReserve, int bootCpuIdPhys, int totalSize, Strings strings) {
        ByteArrayOutputStream struct = new ByteArrayOutputStream();
        writeNode(root, struct, strings);
        putToken(struct, FDT_END);
        byte[] structBytes = struct.toByteArray();
        byte[] stringBytes = strings.bytes();

        int offRsvmap = HEADER_SIZE;
        int offStruct = offRsvmap + (memReserve.size() + 1) * RESERVE_ENTRY_SIZE;
        int offStrings = offStruct + structBytes.length;
        int total = Math.max(offStrings + stringBytes.length, totalSize);
        byte[] blob = new byte[total];
        putU32(blob, H_MAGIC, MAGIC);
        putU32(blob, H_TOTALSIZE, total);
        putU32(blob, H_OFF_DT_STRUCT, offStruct);
        putU32(blob, H_OFF_DT_STRINGS, offStrings);
        putU32(blob, H_OFF_MEM_RSVMAP, offRsvmap);
        putU32(blob, H_VERSION, VERSION);
        putU32(blob, H_LAST_COMP_VERSION, LAST_COMP_VERSION);
        putU32(blob, H_BOOT_CPUID_PHYS, bootCpuIdPhys);
        putU32(blob, H_SIZE_DT_STRINGS, stringBytes.length);
        putU32(blob, H_SIZE_DT_STRUCT, structBytes.length);
        int at = offRsvmap;
        for (long[] entry : memReserve) {
            if (entry.length != 2) {
                throw new IllegalArgumentException("a memory reservation is {address, size}, got "
                        + entry.length + " numbers");
            }
            putU64(blob, at, entry[0]);
            putU64(blob, at + 8, entry[1]);
            at += RESERVE_ENTRY_SIZE;
        }
        // The terminating {0, 0} entry is already zero.
        System.arraycopy(structBytes, 0, blob, offStruct, structBytes.length);
        System.arraycopy(stringBytes, 0, blob, offStrings, stringBytes.length);
        return blob;
    }

    /** Reads a blob's tree. */
    public static FdtNode read(byte[] blob) throws FdtException {
        return readBlob(blob).root();
    }

    /** Reads a blob: its tree, memory reservations, boot CPU and version. */
    public static FdtBlob readBlob(byte[] blob) throws FdtException {
        return new Reader(blob).read();
    }

    private static void writeNode(FdtNode node, ByteArrayOutputStream out, Strings strings) {
        putToken(out, FDT_BEGIN_NODE);
        out.writeBytes(node.name().getBytes(StandardCharsets.UTF_8));
        out.write(0);
        pad(out);
        for (FdtProperty p : node.properties()) {
            byte[] value = p.rawValue();
            putToken(out, FDT_PROP);
            putToken(out, value.length);
            putToken(out, strings.offsetOf(p.name(), p.nameOffset()));
            out.writeBytes(value);
            pad(out);
        }
        for (FdtNode child : node.children()) {
            writeNode(child, out, strings);
        }
        putToken(out, FDT_END_NODE);
    }

    private static void putToken(ByteArrayOutputStream out, int word) {
        out.write(word >>> 24);
        out.write(word >>> 16);
        out.write(word >>> 8);
        out.write(word);
    }

    private static void pad(ByteArrayOutputStream out) {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }

    static void putU32(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }

    private static void putU64(byte[] b, int at, long value) {
        putU32(b, at, (int) (value >>> 32));
        putU32(b, at + 4, (int) value);
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) << 24 | (b[at + 1] & 0xffL) << 16 | (b[at + 2] & 0xffL) << 8 | (b[at + 3] & 0xffL);
    }

    /**
     * The strings block: each name stored once, in order of first use, after the kept block of a
     * blob that was read (where a name may also be found as the tail of a longer one, as dtc does).
     */
    private static final class Strings {
        private final Map<String, Integer> offsets = new LinkedHashMap<>();
        private final byte[] kept;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Strings(byte[] kept) {
            this.kept = kept;
            bytes.writeBytes(kept);
        }

        int offsetOf(String name, int hint) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            if (hint >= 0 && keptAt(hint, n)) {
                return hint;
            }
            return offsets.computeIfAbsent(name, k -> {
                for (int at = 0; at + n.length < kept.length; at++) {
                    if (keptAt(at, n)) {
                        return at;
                    }
                }
                int at = bytes.size();
                bytes.writeBytes(n);
                bytes.write(0);
                return at;
            });
        }

        private boolean keptAt(int at, byte[] n) {
            if (at + n.length >= kept.length || kept[at + n.length] != 0) {
                return false;
            }
            return java.util.Arrays.equals(kept, at, at + n.length, n, 0, n.length);
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    /** Parses one blob, checking every offset against the blob before it is used. */
    private static final class Reader {
        private final byte[] b;
        private long structEnd;
        private long stringsOff;
        private long stringsSize;

        Reader(byte[] blob) {
            this.b = blob;
        }

        FdtBlob read() throws FdtException {
            if (b.length < HEADER_SIZE) {
                throw fail(0, "truncated: the header needs " + HEADER_SIZE + " bytes but the blob is "
                        + b.length + " bytes");
            }
            if (u32(b, H_MAGIC) != (MAGIC & 0xffffffffL)) {
                throw fail(0, "bad magic 0x" + Long.toHexString(u32(b, H_MAGIC))
                        + "; expected 0xd00dfeed (a flattened device tree blob)");
            }
            long total = u32(b, H_TOTALSIZE);
            if (total > b.length || total < HEADER_SIZE) {
                throw fail(H_TOTALSIZE, "totalsize 0x" + Long.toHexString(total)
                        + " does not fit the blob's 0x" + Integer.toHexString(b.length) + " bytes");
            }
            long version = u32(b, H_VERSION);
            long lastComp = u32(b, H_LAST_COMP_VERSION);
            if (version < LAST_COMP_VERSION || lastComp > VERSION) {
                throw fail(H_VERSION, "version " + version + " (last compatible " + lastComp
                        + "); expected a blob readable as version " + LAST_COMP_VERSION + " or " + VERSION);
            }
            long structOff = u32(b, H_OFF_DT_STRUCT);
            long structSize = version >= 17 ? u32(b, H_SIZE_DT_STRUCT) : total - Math.min(structOff, total);
            stringsOff = u32(b, H_OFF_DT_STRINGS);
            stringsSize = u32(b, H_SIZE_DT_STRINGS);
            long rsvOff = u32(b, H_OFF_MEM_RSVMAP);
            block(H_OFF_DT_STRUCT, "structure block", structOff, structSize, total, 4);
            block(H_OFF_DT_STRINGS, "strings block", stringsOff, stringsSize, total, 1);
            block(H_OFF_MEM_RSVMAP, "memory reservation block", rsvOff, RESERVE_ENTRY_SIZE, total, 8);
            structEnd = structOff + structSize;

            List<long[]> reserve = new ArrayList<>();
            for (long at = rsvOff;; at += RESERVE_ENTRY_SIZE) {
                if (at + RESERVE_ENTRY_SIZE > total) {
                    throw fail(at, "memory reservation block runs past totalsize without its {0, 0} terminator");
                }
                long address = u32(b, (int) at) << 32 | u32(b, (int) at + 4);
                long size = u32(b, (int) at + 8) << 32 | u32(b, (int) at + 12);
                if (address == 0 && size == 0) {
                    break;
                }
                reserve.add(new long[] {address, size});
            }
            FdtNode root = structure(structOff);
            return new FdtBlob(root, reserve, (int) u32(b, H_BOOT_CPUID_PHYS), (int) version);
        }

        private void block(int field, String what, long off, long size, long total, int align) throws FdtException {
            if (off % align != 0) {
                throw fail(field, what + " offset 0x" + Long.toHexString(off) + " is not " + align
                        + "-byte aligned");
            }
            if (off < HEADER_SIZE || off + size > total) {
                throw fail(field, what + " [0x" + Long.toHexString(off) + ", +0x" + Long.toHexString(size)
                        + ") lies outside the blob's header..totalsize 0x" + Long.toHexString(total));
            }
        }

        private FdtNode structure(long start) throws FdtException {
            Deque<FdtNode> open = new ArrayDeque<>();
            FdtNode root = null;
            long pos = start;
            while (true) {
                long tokenAt = pos;
                long token = word(pos, "a token");
                pos += 4;
                if (token == FDT_BEGIN_NODE) {
                    int nameStart = (int) pos;
                    int nameEnd = nul(nameStart, structEnd, "node name");
                    String name = new String(b, nameStart, nameEnd - nameStart, StandardCharsets.UTF_8);
                    pos = align4(nameEnd + 1L);
                    if (open.isEmpty()) {
                        if (root != null) {
                            throw fail(tokenAt, "a second root node; expected FDT_END after the root's FDT_END_NODE");
                        }
                        root = FdtNode.root();
                        open.push(root);
                    } else {
                        if (name.isEmpty() || name.indexOf('/') >= 0) {
                            throw fail(tokenAt, "invalid node name '" + name + "' under " + open.peek().path());
                        }
                        if (open.size() >= MAX_DEPTH) {
                            throw fail(tokenAt, "nodes nested deeper than " + MAX_DEPTH + " levels");
                        }
                        FdtNode child = open.peek().addReadChild(name);
                        if (child == null) {
                            throw fail(tokenAt, "duplicate node " + name + " under " + open.peek().path());
                        }
                        open.push(child);
                    }
                } else if (token == FDT_END_NODE) {
                    if (open.isEmpty()) {
                        throw fail(tokenAt, "FDT_END_NODE without a matching FDT_BEGIN_NODE");
                    }
                    open.pop();
                } else if (token == FDT_PROP) {
                    if (open.isEmpty()) {
                        throw fail(tokenAt, "a property outside any node");
                    }
                    long len = word(pos, "a property length");
                    long nameOff = word(pos + 4, "a property name offset");
                    pos += 8;
                    if (pos + len > structEnd) {
                        throw fail(tokenAt, "property value of 0x" + Long.toHexString(len)
                                + " bytes runs past the structure block's end at 0x" + Long.toHexString(structEnd));
                    }
                    byte[] value = new byte[(int) len];
                    System.arraycopy(b, (int) pos, value, 0, (int) len);
                    pos = align4(pos + len);
                    String name = string(tokenAt, nameOff);
                    if (!open.peek().addRead(name, value, (int) nameOff)) {
                        throw fail(tokenAt, "duplicate property " + name + " in " + open.peek().path());
                    }
                } else if (token == FDT_NOP) {
                    continue;
                } else if (token == FDT_END) {
                    if (root == null) {
                        throw fail(tokenAt, "FDT_END before any node; expected the root node");
                    }
                    if (!open.isEmpty()) {
                        throw fail(tokenAt, "FDT_END inside node " + open.peek().path()
                                + "; expected FDT_END_NODE first");
                    }
                    return root;
                } else {
                    throw fail(tokenAt, "unknown token 0x" + Long.toHexString(token)
                            + "; expected FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP or FDT_END");
                }
            }
        }

        private long word(long at, String what) throws FdtException {
            if (at + 4 > structEnd) {
                throw fail(at, "the structure block ends at 0x" + Long.toHexString(structEnd)
                        + " where " + what + " was expected (no FDT_END?)");
            }
            return u32(b, (int) at);
        }

        /** The offset of the first NUL at or after {@code start}, before {@code end}. */
        private int nul(int start, long end, String what) throws FdtException {
            for (int i = start; i < end; i++) {
                if (b[i] == 0) {
                    return i;
                }
            }
            throw fail(start, what + " runs to 0x" + Long.toHexString(end) + " without a terminating NUL");
        }

        private String string(long tokenAt, long nameOff) throws FdtException {
            if (nameOff >= stringsSize) {
                throw fail(tokenAt, "property name offset 0x" + Long.toHexString(nameOff)
                        + " lies past the strings block's 0x" + Long.toHexString(stringsSize) + " bytes");
            }
            int start = (int) (stringsOff + nameOff);
            int end = nul(start, stringsOff + stringsSize, "property name");
            if (end == start) {
                throw fail(tokenAt, "empty property name");
            }
            return new String(b, start, end - start, StandardCharsets.UTF_8);
        }

        private static long align4(long at) {
            return (at + 3) & ~3L;
        }

        private static FdtException fail(long at, String what) {
            return new FdtException("device tree blob: offset 0x" + Long.toHexString(at) + ": " + what);
        }
    }
}
