package brassboard.firmware.fdt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A device-tree node: a name, properties and child nodes, each kept in insertion order. The
 * builder methods return the node itself so a board can describe itself in one expression:
 *
 * <pre>{@code
 * FdtNode uart = root.child("pl011@9000000")
 *         .prop("compatible", "arm,pl011", "arm,primecell")
 *         .propCells("reg", 0x0, 0x09000000, 0x0, 0x1000);
 * }</pre>
 *
 * Setting a property that already exists replaces its value in place.
 */
public final class FdtNode {
    private static final Pattern NODE_NAME = Pattern.compile("[0-9a-zA-Z,._+-]{1,31}(@[0-9a-zA-Z,._+-]+)?");
    private static final Pattern PROPERTY_NAME = Pattern.compile("[0-9a-zA-Z,._+?#-]{1,31}");

    private final String name;
    private final FdtNode parent;
    private final Map<String, FdtProperty> properties = new LinkedHashMap<>();
    private final Map<String, FdtNode> children = new LinkedHashMap<>();

    private FdtNode(String name, FdtNode parent) {
        this.name = name;
        this.parent = parent;
    }

    /** A new, empty root node (named {@code ""}, path {@code /}). */
    public static FdtNode root() {
        return new FdtNode("", null);
    }

    /** The node's name with its unit address ({@code pl011@9000000}); {@code ""} for the root. */
    public String name() {
        return name;
    }

    /** The full path from the root, e.g. {@code /soc/pl011@9000000}; {@code /} for the root. */
    public String path() {
        if (parent == null) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (FdtNode n = this; n.parent != null; n = n.parent) {
            sb.insert(0, n.name).insert(0, '/');
        }
        return sb.toString();
    }

    /** The child called {@code name}, created (last in order) when there is none yet. */
    public FdtNode child(String name) {
        if (!NODE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("node name '" + name + "' under " + path()
                    + " is not valid: expected 1-31 of [0-9a-zA-Z,._+-], optionally @unit-address");
        }
        return children.computeIfAbsent(name, n -> new FdtNode(n, this));
    }

    /** A property holding one 32-bit cell, e.g. {@code #address-cells = <2>}. */
    public FdtNode prop(String name, int cell) {
        return propCells(name, cell);
    }

    /** A property holding one or more NUL-terminated strings, e.g. a {@code compatible} list. */
    public FdtNode prop(String name, String first, String... more) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(more));
        for (String s : all) {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("property " + name + ": string '" + s.replace('\0', '?')
                        + "' contains a NUL character");
            }
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return put(name, out.toByteArray());
    }

    /** A property holding these bytes as they are. */
    public FdtNode prop(String name, byte[] value) {
        return put(name, value.clone());
    }

    /** A property holding 32-bit cells, e.g. {@code reg = <0x0 0x9000000 0x0 0x1000>}. */
    public FdtNode propCells(String name, int... cells) {
        byte[] value = new byte[cells.length * 4];
        for (int i = 0; i < cells.length; i++) {
            Fdt.putU32(value, i * 4, cells[i]);
        }
        return put(name, value);
    }

    /**
     * A property holding 32-bit cells given as {@code long}s, each of which must fit in 32 bits
     * (as an unsigned or a signed value).
     */
    public FdtNode propCells(String name, long... cells) {
        int[] ints = new int[cells.length];
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] < Integer.MIN_VALUE || cells[i] > 0xffff_ffffL) {
                throw new IllegalArgumentException("property " + name + ": cell " + i + " = 0x"
                        + Long.toHexString(cells[i]) + " does not fit in 32 bits; use propU64");
            }
            ints[i] = (int) cells[i];
        }
        return propCells(name, ints);
    }

    /** A property holding 64-bit values, each as two cells, most significant first. */
    public FdtNode propU64(String name, long... values) {
        int[] cells = new int[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            cells[2 * i] = (int) (values[i] >>> 32);
            cells[2 * i + 1] = (int) values[i];
        }
        return propCells(name, cells);
    }

    /** A property with no value, e.g. {@code dma-coherent} or {@code interrupt-controller}. */
    public FdtNode propEmpty(String name) {
        return put(name, new byte[0]);
    }

    /** Sets this node's {@code phandle}, by which other nodes refer to it. */
    public FdtNode phandle(int phandle) {
        if (phandle == 0 || phandle == -1) {
            throw new IllegalArgumentException("phandle " + phandle + " on " + path()
                    + " is reserved; expected 1..0xfffffffe");
        }
        return prop("phandle", phandle);
    }

    /** Removes the property called {@code name}, if present. */
    public FdtNode remove(String name) {
        properties.remove(name);
        return this;
    }

    /** The parent node; empty for the root. */
    public Optional<FdtNode> parent() {
        return Optional.ofNullable(parent);
    }

    /** The property called {@code name}, if present. */
    public Optional<FdtProperty> property(String name) {
        return Optional.ofNullable(properties.get(name));
    }

    /** The properties, in insertion order (an unmodifiable snapshot). */
    public List<FdtProperty> properties() {
        return List.copyOf(properties.values());
    }

    /** The children, in insertion order (an unmodifiable snapshot). */
    public List<FdtNode> children() {
        return List.copyOf(children.values());
    }

    /**
     * The node at {@code path}, relative to this node when it does not start with {@code /} and
     * from the root otherwise. A path component without a unit address matches a child by its
     * base name when exactly one child has that base name (as in {@code /memory}).
     */
    public Optional<FdtNode> find(String path) {
        FdtNode node = this;
        if (path.startsWith("/")) {
            while (node.parent != null) {
                node = node.parent;
            }
        }
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            FdtNode next = node.children.get(part);
            if (next == null && part.indexOf('@') < 0) {
                List<FdtNode> byBase = node.children.values().stream()
                        .filter(c -> c.name.startsWith(part + "@")).toList();
                next = byBase.size() == 1 ? byBase.get(0) : null;
            }
            if (next == null) {
                return Optional.empty();
            }
            node = next;
        }
        return Optional.of(node);
    }

    private FdtNode put(String name, byte[] value) {
        if (!PROPERTY_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("property name '" + name + "' on " + path()
                    + " is not valid: expected 1-31 of [0-9a-zA-Z,._+?#-]");
        }
        properties.put(name, new FdtProperty(name, value));
        return this;
    }

    /** Adds a property read from a blob, where names are not held to the builder's rules. */
    boolean addRead(String name, byte[] value, int nameOffset) {
        return properties.putIfAbsent(name, new FdtProperty(name, value, nameOffset)) == null;
    }

    /** Adds a child read from a blob; {@code null} when a sibling already has that name. */
    FdtNode addReadChild(String name) {
        if (children.containsKey(name)) {
            return null;
        }
        FdtNode child = new FdtNode(name, this);
        children.put(name, child);
        return child;
    }

    /** Same name, same properties and same children, in the same order, recursively. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FdtNode n && name.equals(n.name)
                && List.copyOf(properties.values()).equals(List.copyOf(n.properties.values()))
                && List.copyOf(children.values()).equals(List.copyOf(n.children.values()));
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + List.copyOf(properties.values()).hashCode();
    }

    /** An indented outline of the subtree, for test failure messages. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        outline(sb, "");
        return sb.toString();
    }

    private void outline(StringBuilder sb, String indent) {
        sb.append(indent).append(parent == null ? "/" : name).append(" {\n");
        for (FdtProperty p : properties.values()) {
            sb.append(indent).append("    ").append(p).append('\n');
        }
        for (FdtNode c : children.values()) {
            c.outline(sb, indent + "    ");
        }
        sb.append(indent).append("}\n");
    }
}
