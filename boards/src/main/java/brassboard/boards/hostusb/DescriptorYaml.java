package brassboard.boards.hostusb;

import brassboard.boards.yaml.YamlTree;
import brassboard.boards.yaml.YamlTree.ListNode;
import brassboard.boards.yaml.YamlTree.MapNode;
import brassboard.boards.yaml.YamlTree.Node;
import brassboard.boards.yaml.YamlTree.Scalar;
import brassboard.bus.usb.Descriptor;
import brassboard.bus.usb.DescriptorSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A USB device's descriptors as YAML: what {@code brassboard usb capture} writes and
 * {@code --usb KIND,descriptors=FILE} loads, so a bridge model answers GET_DESCRIPTOR as the device on
 * the user's desk does. Field names are the specification's (USB 2.0 Tables 9-8 to 9-13, as
 * {@code lsusb -v} prints them); counts and lengths that follow from the structure (bNumConfigurations,
 * wTotalLength, bNumInterfaces, bNumEndpoints, bLength) are computed, not written.
 *
 * <pre>
 * device: {bcdUSB: 0x0200, bDeviceClass: 0x00, ..., idVendor: 0x14cd, idProduct: 0x6600, ...}
 * languages: [0x0409]
 * strings: {1: "Super Top", 2: "\uffff...", 3: "USB 2.0  IDE DEVICE"}
 * configurations:
 *   - bConfigurationValue: 1 ... interfaces: [ {bInterfaceNumber: 0, ..., endpoints: [...]} ]
 * device-qualifier: {...}            # absent: the device runs at full speed only
 * other-speed-configurations: [...]  # optional
 * </pre>
 */
public final class DescriptorYaml {
    /** Why a descriptor file cannot be loaded: one line naming the file, the line and the field. */
    public static final class Error extends Exception {
        private static final long serialVersionUID = 1L;

        Error(String message) {
            super(message, null, false, false);
        }
    }

    private static final Set<String> TOP = Set.of("device", "languages", "strings", "configurations", "device-qualifier",
            "other-speed-configurations");
    private static final List<String> DEVICE = List.of("bcdUSB", "bDeviceClass", "bDeviceSubClass", "bDeviceProtocol",
            "bMaxPacketSize0", "idVendor", "idProduct", "bcdDevice", "iManufacturer", "iProduct", "iSerialNumber");
    private static final List<String> QUALIFIER = List.of("bcdUSB", "bDeviceClass", "bDeviceSubClass", "bDeviceProtocol",
            "bMaxPacketSize0", "bNumConfigurations");
    private static final List<String> CONFIGURATION = List.of("bConfigurationValue", "iConfiguration", "bmAttributes",
            "bMaxPower", "interfaces");
    private static final List<String> INTERFACE = List.of("bInterfaceNumber", "bAlternateSetting", "bInterfaceClass",
            "bInterfaceSubClass", "bInterfaceProtocol", "iInterface", "endpoints");
    private static final List<String> ENDPOINT = List.of("bEndpointAddress", "bmAttributes", "wMaxPacketSize", "bInterval");
    private static final int PRINTABLE_FIRST = 0x20;
    private static final int PRINTABLE_LAST = 0x7E;

    private DescriptorYaml() {
    }

    // ------------------------------------------------------------------ writing

    /** The descriptors as YAML, after {@code header} (each line written as a comment). */
    public static String write(DescriptorSet set, List<String> header) {
        StringBuilder y = new StringBuilder();
        for (String h : header) {
            y.append("# ").append(h).append('\n');
        }
        Descriptor.Device d = set.device();
        y.append("device:\n");
        field(y, 2, "bcdUSB", hex4(d.bcdUsb()));
        field(y, 2, "bDeviceClass", hex2(d.deviceClass()));
        field(y, 2, "bDeviceSubClass", hex2(d.deviceSubClass()));
        field(y, 2, "bDeviceProtocol", hex2(d.deviceProtocol()));
        field(y, 2, "bMaxPacketSize0", String.valueOf(d.maxPacketSize0()));
        field(y, 2, "idVendor", hex4(d.idVendor()));
        field(y, 2, "idProduct", hex4(d.idProduct()));
        field(y, 2, "bcdDevice", hex4(d.bcdDevice()));
        field(y, 2, "iManufacturer", String.valueOf(d.iManufacturer()));
        field(y, 2, "iProduct", String.valueOf(d.iProduct()));
        field(y, 2, "iSerialNumber", String.valueOf(d.iSerialNumber()));
        y.append("languages: [");
        for (int i = 0; i < set.languages().langIds().size(); i++) {
            y.append(i == 0 ? "" : ", ").append(hex4(set.languages().langIds().get(i)));
        }
        y.append("]\n");
        y.append("strings:");
        boolean any = false;
        for (int i = 0; i < set.strings().size(); i++) {
            String s = set.strings().get(i);
            if (s != null) {
                y.append("\n  ").append(i + 1).append(": ").append(quote(s));
                any = true;
            }
        }
        y.append(any ? "\n" : " {}\n");
        y.append("configurations:\n");
        configurations(y, set.configurations());
        set.qualifier().ifPresent(q -> {
            y.append("device-qualifier:\n");
            field(y, 2, "bcdUSB", hex4(q.bcdUsb()));
            field(y, 2, "bDeviceClass", hex2(q.deviceClass()));
            field(y, 2, "bDeviceSubClass", hex2(q.deviceSubClass()));
            field(y, 2, "bDeviceProtocol", hex2(q.deviceProtocol()));
            field(y, 2, "bMaxPacketSize0", String.valueOf(q.maxPacketSize0()));
            field(y, 2, "bNumConfigurations", String.valueOf(q.numConfigurations()));
        });
        if (!set.otherSpeedConfigurations().isEmpty()) {
            y.append("other-speed-configurations:\n");
            configurations(y, set.otherSpeedConfigurations());
        }
        return y.toString();
    }

    private static void configurations(StringBuilder y, List<Descriptor.Configuration> configurations) {
        for (Descriptor.Configuration c : configurations) {
            y.append("  - bConfigurationValue: ").append(c.value()).append('\n');
            field(y, 4, "iConfiguration", String.valueOf(c.iConfiguration()));
            field(y, 4, "bmAttributes", hex2(c.attributes() | 0x80));
            field(y, 4, "bMaxPower", c.maxPower() + "  # " + 2 * c.maxPower() + " mA");
            y.append("    interfaces:\n");
            for (Descriptor.Interface i : c.interfaces()) {
                y.append("      - bInterfaceNumber: ").append(i.number()).append('\n');
                field(y, 8, "bAlternateSetting", String.valueOf(i.alternateSetting()));
                field(y, 8, "bInterfaceClass", hex2(i.interfaceClass()));
                field(y, 8, "bInterfaceSubClass", hex2(i.interfaceSubClass()));
                field(y, 8, "bInterfaceProtocol", hex2(i.interfaceProtocol()));
                field(y, 8, "iInterface", String.valueOf(i.iInterface()));
                y.append("        endpoints:").append(i.endpoints().isEmpty() ? " []\n" : "\n");
                for (Descriptor.Endpoint e : i.endpoints()) {
                    y.append("          - {bEndpointAddress: ").append(hex2(e.address())).append(", bmAttributes: ")
                            .append(hex2(e.attributes())).append(", wMaxPacketSize: ").append(e.maxPacketSize())
                            .append(", bInterval: ").append(e.interval()).append("}\n");
                }
            }
        }
    }

    private static void field(StringBuilder y, int indent, String name, String value) {
        y.append(" ".repeat(indent)).append(name).append(": ").append(value).append('\n');
    }

    private static String hex2(int v) {
        return String.format("0x%02x", v);
    }

    private static String hex4(int v) {
        return String.format("0x%04x", v);
    }

    /** A double-quoted YAML scalar: printable ASCII as is, everything else as a \\uXXXX escape. */
    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                q.append('\\').append(c);
            } else if (c >= PRINTABLE_FIRST && c <= PRINTABLE_LAST) {
                q.append(c);
            } else {
                q.append(String.format("\\u%04x", (int) c));
            }
        }
        return q.append('"').toString();
    }

    // ------------------------------------------------------------------ reading

    /**
     * Loads {@code file}.
     *
     * @throws Error {@code FILE: line N: FIELD: what is wrong; what was expected}
     */
    public static DescriptorSet load(Path file) throws Error {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new Error(file + ": no such file (expected a descriptor file written by 'brassboard usb capture')");
        } catch (IOException e) {
            throw new Error(file + ": cannot read it: " + YamlTree.firstLine(String.valueOf(e.getMessage())));
        }
        return parse(text, file.toString());
    }

    /** Reads descriptors from {@code text}; {@code source} names it in messages. */
    public static DescriptorSet parse(String text, String source) throws Error {
        Node root;
        try {
            root = YamlTree.parse(text, source);
        } catch (YamlTree.Error e) {
            throw new Error(e.getMessage());
        }
        Reader r = new Reader(source);
        try {
            MapNode top = r.map(root, "the document", TOP, Set.of("device", "configurations"));
            MapNode dev = r.map(top.get("device"), "device", Set.copyOf(DEVICE), Set.copyOf(DEVICE));
            List<Descriptor.Configuration> configurations = r.configurations(top.get("configurations"), "configurations");
            Descriptor.Device device = r.build(dev, "device", () -> new Descriptor.Device(r.u16(dev, "bcdUSB"),
                    r.u8(dev, "bDeviceClass"), r.u8(dev, "bDeviceSubClass"), r.u8(dev, "bDeviceProtocol"),
                    r.u8(dev, "bMaxPacketSize0"), r.u16(dev, "idVendor"), r.u16(dev, "idProduct"), r.u16(dev, "bcdDevice"),
                    r.u8(dev, "iManufacturer"), r.u8(dev, "iProduct"), r.u8(dev, "iSerialNumber"), configurations.size()));
            List<Integer> langIds = new ArrayList<>();
            if (top.get("languages") != null) {
                for (Node n : r.list(top.get("languages"), "languages")) {
                    langIds.add((int) r.number(n, "languages", 0xFFFF));
                }
            }
            List<String> strings = new ArrayList<>();
            if (top.get("strings") != null && !(top.get("strings") instanceof Scalar s && s.text() == null)) {
                MapNode sm = r.map(top.get("strings"), "strings", null, Set.of());
                for (Map.Entry<String, Node> e : sm.entries().entrySet()) {
                    int index;
                    try {
                        index = Integer.parseInt(e.getKey());
                    } catch (NumberFormatException x) {
                        index = -1;
                    }
                    if (index < 1 || index > 255) {
                        throw r.bad(sm.keyLine(e.getKey()), "strings", "index '" + e.getKey() + "' is not a string index; expected 1 to 255");
                    }
                    String value = r.text(e.getValue(), "strings." + index);
                    if (value.length() > 126) {
                        throw r.bad(e.getValue().line(), "strings." + index, value.length() + " characters; a string descriptor holds at most 126");
                    }
                    while (strings.size() < index) {
                        strings.add(null);
                    }
                    strings.set(index - 1, value);
                }
            }
            if (!strings.isEmpty() && langIds.isEmpty()) {
                throw r.bad(top.line(), "languages", "strings are given but no LANGID; expected languages: [0x0409] or the device's own");
            }
            Optional<Descriptor.DeviceQualifier> qualifier = Optional.empty();
            if (top.get("device-qualifier") != null) {
                MapNode q = r.map(top.get("device-qualifier"), "device-qualifier", Set.copyOf(QUALIFIER), Set.copyOf(QUALIFIER));
                qualifier = Optional.of(new Descriptor.DeviceQualifier(r.u16(q, "bcdUSB"), r.u8(q, "bDeviceClass"),
                        r.u8(q, "bDeviceSubClass"), r.u8(q, "bDeviceProtocol"), r.u8(q, "bMaxPacketSize0"), r.u8(q, "bNumConfigurations")));
            }
            List<Descriptor.Configuration> other = top.get("other-speed-configurations") == null ? List.of()
                    : r.configurations(top.get("other-speed-configurations"), "other-speed-configurations");
            Optional<Descriptor.DeviceQualifier> q = qualifier;
            return r.build(top, "the document", () -> new DescriptorSet(device, configurations, new Descriptor.Languages(langIds),
                    strings, q, other));
        } catch (Bad b) {
            throw new Error(b.getMessage());
        }
    }

    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads nodes of one document, failing with {@code SOURCE: line N: FIELD: ...}. */
    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        Bad bad(int line, String field, String message) {
            return new Bad(source + ": line " + line + ": " + field + ": " + message);
        }

        interface Build<T> {
            T get() throws Bad;
        }

        /** Runs a record's constructor, turning its check's IllegalArgumentException into a line. */
        <T> T build(Node at, String field, Build<T> make) throws Bad {
            try {
                return make.get();
            } catch (IllegalArgumentException e) {
                throw bad(at.line(), field, e.getMessage());
            }
        }

        MapNode map(Node n, String field, Set<String> known, Set<String> required) throws Bad {
            if (!(n instanceof MapNode m)) {
                throw bad(n == null ? 1 : n.line(), field, "expected a mapping of fields");
            }
            if (known != null) {
                for (String k : m.entries().keySet()) {
                    if (!known.contains(k)) {
                        throw bad(m.keyLine(k), field, "unknown field '" + k + "'; expected " + String.join(", ", known.stream().sorted().toList()));
                    }
                }
            }
            for (String k : required) {
                if (m.get(k) == null) {
                    throw bad(m.line(), field, "no " + k + "; expected it, as 'brassboard usb capture' writes it");
                }
            }
            return m;
        }

        List<Node> list(Node n, String field) throws Bad {
            if (!(n instanceof ListNode l)) {
                throw bad(n.line(), field, "expected a list");
            }
            return l.items();
        }

        String text(Node n, String field) throws Bad {
            if (!(n instanceof Scalar s) || s.text() == null) {
                throw bad(n.line(), field, "expected a string");
            }
            return s.text();
        }

        long number(Node n, String field, long max) throws Bad {
            if (!(n instanceof Scalar s) || s.text() == null) {
                throw bad(n == null ? 1 : n.line(), field, "expected a number");
            }
            long v;
            try {
                v = Long.decode(s.text().strip());
            } catch (NumberFormatException e) {
                throw bad(n.line(), field, "'" + s.text() + "' is not a number; expected decimal or 0x hex");
            }
            if (v < 0 || v > max) {
                throw bad(n.line(), field, s.text() + " is out of range; expected 0 to " + String.format("0x%x", max));
            }
            return v;
        }

        int u8(MapNode m, String key) throws Bad {
            return (int) number(m.get(key), key, 0xFF);
        }

        int u16(MapNode m, String key) throws Bad {
            return (int) number(m.get(key), key, 0xFFFF);
        }

        List<Descriptor.Configuration> configurations(Node n, String field) throws Bad {
            List<Descriptor.Configuration> out = new ArrayList<>();
            for (Node item : list(n, field)) {
                MapNode c = map(item, field, Set.copyOf(CONFIGURATION), Set.copyOf(CONFIGURATION));
                List<Descriptor.Interface> interfaces = new ArrayList<>();
                for (Node in : list(c.get("interfaces"), "interfaces")) {
                    MapNode i = map(in, "interfaces", Set.copyOf(INTERFACE), Set.copyOf(INTERFACE));
                    List<Descriptor.Endpoint> endpoints = new ArrayList<>();
                    for (Node en : list(i.get("endpoints"), "endpoints")) {
                        MapNode e = map(en, "endpoints", Set.copyOf(ENDPOINT), Set.copyOf(ENDPOINT));
                        endpoints.add(build(e, "endpoints", () -> new Descriptor.Endpoint(u8(e, "bEndpointAddress"),
                                u8(e, "bmAttributes"), u16(e, "wMaxPacketSize"), u8(e, "bInterval"))));
                    }
                    interfaces.add(new Descriptor.Interface(u8(i, "bInterfaceNumber"), u8(i, "bAlternateSetting"),
                            u8(i, "bInterfaceClass"), u8(i, "bInterfaceSubClass"), u8(i, "bInterfaceProtocol"), u8(i, "iInterface"),
                            endpoints));
                }
                out.add(build(c, field, () -> new Descriptor.Configuration(u8(c, "bConfigurationValue"), u8(c, "iConfiguration"),
                        u8(c, "bmAttributes"), u8(c, "bMaxPower"), interfaces)));
            }
            if (out.isEmpty()) {
                throw bad(n.line(), field, "no configuration; a device has at least one");
            }
            return out;
        }
    }
}
