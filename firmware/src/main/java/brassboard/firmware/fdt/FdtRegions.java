package brassboard.firmware.fdt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The parts of a blob's structure block that belong to a chosen set of nodes: what U-Boot's
 * verified boot hashes when it signs or checks a FIT configuration (U-Boot's
 * {@code doc/usage/fit/signature.rst}, "Signed Configurations").
 *
 * <p>Walking the structure block with the path of each node in mind, a node named in
 * {@code include} is taken whole (its begin and end tokens and its properties), its sub-nodes one
 * level down contribute only their begin and end tokens (so a signature node's name is covered but
 * not its value), and every super-node of an included node contributes its begin and end tokens.
 * Properties named in {@code excludeProperties} (a FIT image's {@code data}) are left out wherever
 * they are. The {@code FDT_END} token always closes the list. Adjacent pieces merge into one
 * region. Offsets are from the start of the blob.
 */
public final class FdtRegions {
    private static final int FDT_BEGIN_NODE = Fdt.FDT_BEGIN_NODE;
    private static final int FDT_END_NODE = Fdt.FDT_END_NODE;
    private static final int FDT_PROP = Fdt.FDT_PROP;
    private static final int FDT_NOP = Fdt.FDT_NOP;
    private static final int FDT_END = Fdt.FDT_END;
    /** U-Boot's limit on nesting in this walk. */
    private static final int MAX_DEPTH = 32;

    /** {@code size} bytes of the blob from {@code offset}. */
    public record Region(int offset, int size) {
    }

    private FdtRegions() {
    }

    /**
     * The regions of {@code blob} that cover the nodes at the paths in {@code include}.
     *
     * @param addStringsBlock when set, the last region (the {@code FDT_END} token) runs on over the
     *                        whole strings block, which must then follow the structure block
     *                        directly; when clear it stops after {@code FDT_END}
     */
    public static List<Region> find(byte[] blob, Collection<String> include, Set<String> excludeProperties,
                                    boolean addStringsBlock) throws FdtException {
        Fdt.readBlob(blob); // every bound checked once, so the walk below can trust the header
        int base = Fdt.structOffset(blob);
        int structSize = Fdt.structSize(blob);
        int stringsOff = Fdt.stringsOffset(blob);
        int stringsSize = Fdt.stringsSize(blob);
        List<Region> regions = new ArrayList<>();
        int[] stack = new int[MAX_DEPTH];
        StringBuilder path = new StringBuilder();
        int depth = -1;
        int want = 0;
        int start = -1;
        int next = 0;
        int tag;
        do {
            int offset = next;
            tag = (int) Fdt.u32(blob, base + offset);
            int include1 = 0;
            int stopAt;
            switch (tag) {
                case FDT_PROP -> {
                    int len = (int) Fdt.u32(blob, base + offset + 4);
                    int nameOff = (int) Fdt.u32(blob, base + offset + 8);
                    next = align4(offset + 12 + len);
                    stopAt = offset;
                    String name = cString(blob, stringsOff + nameOff, stringsOff + stringsSize);
                    include1 = want >= 2 && !excludeProperties.contains(name) ? 1 : 0;
                }
                case FDT_NOP -> {
                    next = offset + 4;
                    stopAt = offset;
                    include1 = want >= 2 ? 1 : 0;
                }
                case FDT_BEGIN_NODE -> {
                    String name = cString(blob, base + offset + 4, base + structSize);
                    next = align4(offset + 4 + name.getBytes(StandardCharsets.UTF_8).length + 1);
                    stopAt = next;
                    depth++;
                    if (depth == MAX_DEPTH) {
                        throw new FdtException("device tree blob: nodes nested deeper than " + MAX_DEPTH
                                + " levels under " + path);
                    }
                    if (path.length() != 1) {
                        path.append('/');
                    }
                    path.append(name);
                    stack[depth] = want;
                    if (want == 1) {
                        stopAt = offset;
                    }
                    if (include.contains(path.toString())) {
                        want = 2;
                    } else if (want > 0) {
                        want--;
                    } else {
                        stopAt = offset;
                    }
                    include1 = want;
                }
                case FDT_END_NODE -> {
                    next = offset + 4;
                    stopAt = next;
                    include1 = want;
                    want = stack[depth--];
                    int slash = path.lastIndexOf("/");
                    path.setLength(Math.max(slash, 0));
                }
                case FDT_END -> {
                    next = offset + 4;
                    stopAt = next;
                    include1 = 1;
                }
                default -> throw new FdtException("device tree blob: unknown token 0x" + Integer.toHexString(tag)
                        + " at structure offset 0x" + Integer.toHexString(offset));
            }
            if (include1 != 0 && start == -1) {
                Region last = regions.isEmpty() ? null : regions.get(regions.size() - 1);
                if (last != null && offset == last.offset() + last.size() - base) {
                    start = last.offset() - base;
                    regions.remove(regions.size() - 1);
                } else {
                    start = offset;
                }
            }
            if (include1 == 0 && start != -1) {
                regions.add(new Region(base + start, stopAt - start));
                start = -1;
            }
        } while (tag != FDT_END);
        int size = next - start;
        if (addStringsBlock) {
            if (stringsOff != base + structSize) {
                throw new FdtException("device tree blob: the strings block (0x" + Integer.toHexString(stringsOff)
                        + ") does not follow the structure block (ends 0x" + Integer.toHexString(base + structSize) + ")");
            }
            size += stringsSize;
        }
        regions.add(new Region(base + start, size));
        return regions;
    }

    /** The concatenated bytes of the regions, as a hash would see them. */
    public static byte[] bytes(byte[] blob, List<Region> regions) {
        int total = regions.stream().mapToInt(Region::size).sum();
        byte[] out = new byte[total];
        int at = 0;
        for (Region r : regions) {
            System.arraycopy(blob, r.offset(), out, at, r.size());
            at += r.size();
        }
        return out;
    }

    private static String cString(byte[] b, int start, int end) throws FdtException {
        for (int i = start; i < end; i++) {
            if (b[i] == 0) {
                return new String(b, start, i - start, StandardCharsets.UTF_8);
            }
        }
        throw new FdtException("device tree blob: a name at 0x" + Integer.toHexString(start) + " has no terminating NUL");
    }

    private static int align4(int at) {
        return (at + 3) & ~3;
    }
}
