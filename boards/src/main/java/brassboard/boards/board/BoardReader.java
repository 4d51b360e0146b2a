package brassboard.boards.board;

import brassboard.boards.api.ConfigException;
import brassboard.boards.yaml.YamlTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a board file (format: docs/boards.md) against the {@link Catalogue} and checks it as a
 * whole: every problem is one line, {@code FILE: line N: FIELD: what is wrong; what was expected}.
 */
public final class BoardReader {
    /** Command-line options a device's {@code when} may name. */
    public static final Set<String> OPTIONS = Set.of("usb", "wifi", "spi-flash", "spi-eeprom");

    private static final Set<String> TOP_KEYS = Set.of("board", "model", "compatible", "cpus", "memory", "chosen", "devices");
    private static final Set<String> DEVICE_KEYS = Set.of("name", "type", "base", "size", "regions", "irq", "irqs", "when",
            "parent", "cs", "slot", "port", "devices");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern TARGET = Pattern.compile("(?:([a-z][a-z0-9-]*)(?:\\.|:))?\\s*([a-z][a-z0-9-]*)\\s*(\\d+)?(?:\\s*-\\s*(\\d+))?");

    private final Catalogue catalogue;
    private final String source;
    private final Path dir;

    private BoardReader(Catalogue catalogue, String source, Path dir) {
        this.catalogue = catalogue;
        this.source = source;
        this.dir = dir;
    }

    /** Reads and checks the board file {@code file}. */
    public static BoardDescription read(Path file, Catalogue catalogue) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException(file + ": no such board file; expected a board name (virt) or a board file (docs/boards.md)");
        } catch (java.io.IOException e) {
            throw new ConfigException(file + ": cannot read it (" + e.getMessage() + ")");
        }
        Path parent = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), parent, catalogue);
    }

    /** Reads and checks board-file text; {@code source} names it in messages, {@code dir} anchors relative files. */
    public static BoardDescription parse(String text, String source, Path dir, Catalogue catalogue) throws ConfigException {
        YamlTree.Node root;
        try {
            root = YamlTree.parse(text, source);
        } catch (YamlTree.Error e) {
            throw new ConfigException(e.getMessage());
        }
        return new BoardReader(catalogue, source, dir).board(root);
    }

    private ConfigException error(int line, String field, String what) {
        return new ConfigException(source + ": line " + line + ": " + field + ": " + what);
    }

    private BoardDescription board(YamlTree.Node root) throws ConfigException {
        YamlTree.MapNode top = map(root, 1, "board file");
        for (String k : top.entries().keySet()) {
            if (!TOP_KEYS.contains(k)) {
                throw error(top.keyLine(k), k, "unknown key; expected one of " + String.join(", ", sorted(TOP_KEYS)));
            }
        }
        String name = requiredText(top, "board", "board");
        String model = optionalText(top, "model", "model", name);
        List<String> compatible = top.get("compatible") == null ? List.of(model) : textList(top.get("compatible"), "compatible");

        String cpuModel = "cortex-a15";
        int maxCpus = brassboard.boards.api.MachineConfig.MAX_CPUS;
        if (top.get("cpus") != null) {
            YamlTree.MapNode cpus = map(top.get("cpus"), top.keyLine("cpus"), "cpus");
            checkKeys(cpus, "cpus", Set.of("model", "max"));
            cpuModel = optionalText(cpus, "model", "cpus.model", cpuModel);
            if (!BoardDescription.CPU_MODELS.containsKey(cpuModel)) {
                throw error(cpus.keyLine("model"), "cpus.model", "unknown CPU model '" + cpuModel + "'; expected one of "
                        + String.join(", ", sorted(BoardDescription.CPU_MODELS.keySet())));
            }
            if (cpus.get("max") != null) {
                maxCpus = (int) number(cpus.get("max"), "cpus.max", 1, brassboard.boards.api.MachineConfig.MAX_CPUS);
            }
        }

        List<BoardDescription.Memory> memories = memories(top);
        List<DeviceSpec> devices = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (BoardDescription.Memory m : memories) {
            names.put(m.name(), m.line());
        }
        YamlTree.Node devs = top.get("devices");
        if (devs != null) {
            YamlTree.ListNode list = list(devs, top.keyLine("devices"), "devices");
            for (YamlTree.Node item : list.items()) {
                devices.add(device(item, null, null, names));
            }
        }
        String stdout = null;
        if (top.get("chosen") != null) {
            YamlTree.MapNode chosen = map(top.get("chosen"), top.keyLine("chosen"), "chosen");
            checkKeys(chosen, "chosen", Set.of("stdout"));
            stdout = optionalText(chosen, "stdout", "chosen.stdout", null);
        }
        BoardDescription board = new BoardDescription(name, source, model, compatible, cpuModel, maxCpus, memories, stdout, devices);
        check(board, top);
        return board;
    }

    private List<BoardDescription.Memory> memories(YamlTree.MapNode top) throws ConfigException {
        List<BoardDescription.Memory> out = new ArrayList<>();
        if (top.get("memory") == null) {
            throw error(top.start().line(), "memory", "missing; a board needs one RAM region (memory: [{name: ram, type: ram, base: ...}])");
        }
        for (YamlTree.Node n : list(top.get("memory"), top.keyLine("memory"), "memory").items()) {
            YamlTree.MapNode m = map(n, n.line(), "memory");
            String name = requiredText(m, "name", "memory[].name");
            String field = "memory[" + name + "]";
            checkKeys(m, field, Set.of("name", "type", "base", "size", "max", "file"));
            String kind = requiredText(m, "type", field + ".type");
            long base = number(required(m, "base", field), field + ".base", 0, 0xFFFF_FFFFL);
            switch (kind) {
                case "ram" -> {
                    long max = m.get("max") == null ? 0x1_0000_0000L - base : number(m.get("max"), field + ".max", 1 << 20, 0x1_0000_0000L - base);
                    out.add(new BoardDescription.Memory(name, kind, base, 0, max, null, m.line()));
                }
                case "rom" -> {
                    Path file = m.get("file") == null ? null : existingFile(m, "file", field + ".file");
                    long size;
                    if (m.get("size") != null) {
                        size = number(m.get("size"), field + ".size", 1, 0x1_0000_0000L - base);
                    } else if (file != null) {
                        size = (fileSize(file) + 0xFFF) & ~0xFFFL;
                    } else {
                        throw error(m.line(), field + ".size", "missing; a ROM needs a size or a file");
                    }
                    if (file != null && fileSize(file) > size) {
                        throw error(m.keyLine("file"), field + ".file", file + " holds " + fileSize(file) + " bytes; the ROM has " + size);
                    }
                    out.add(new BoardDescription.Memory(name, kind, base, size, size, file, m.line()));
                }
                default -> throw error(m.keyLine("type"), field + ".type", "unknown memory type '" + kind + "'; expected ram or rom"
                        + " (flash is a device: cfi-flash)");
            }
        }
        if (out.stream().filter(BoardDescription.Memory::isRam).count() != 1) {
            throw error(top.keyLine("memory"), "memory", "a board has exactly one RAM region, not "
                    + out.stream().filter(BoardDescription.Memory::isRam).count());
        }
        return out;
    }

    private static long fileSize(Path f) {
        try {
            return Files.size(f);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private DeviceSpec device(YamlTree.Node node, DeviceType parentType, String parentName, Map<String, Integer> names) throws ConfigException {
        YamlTree.MapNode m = map(node, node.line(), "devices");
        String name = requiredText(m, "name", "devices[].name");
        if (!NAME.matcher(name).matches()) {
            throw error(m.keyLine("name"), "devices[].name", "'" + name + "' is not a device name; expected lower case letters, digits and '-'");
        }
        if (names.containsKey(name)) {
            throw error(m.keyLine("name"), "devices[" + name + "].name", "'" + name + "' is already the name of the entry on line " + names.get(name));
        }
        names.put(name, m.line());
        String field = "devices[" + name + "]";
        String typeName = requiredText(m, "type", field + ".type");
        DeviceType type = catalogue.find(typeName).orElseThrow(() -> error(m.keyLine("type"), field + ".type",
                "unknown device type '" + typeName + "'; known: " + String.join(", ", catalogue.names()) + " (brassboard devices)"));

        // Where it sits: on the system bus, on nothing, or on its parent's bus.
        int position = -1;
        if (parentType != null && parentType.offers() != null) {
            if (type.bus() != parentType.offers()) {
                throw error(m.keyLine("type"), field + ".type", "a " + typeName + " cannot sit on " + parentName + " (a "
                        + parentType.name() + " offers a " + parentType.offers().name().toLowerCase(Locale.ROOT) + " bus)");
            }
        } else if (type.bus().positionKey() != null) {
            throw error(m.line(), field, "a " + typeName + " sits on a " + type.bus().name().toLowerCase(Locale.ROOT)
                    + " bus; list it under the controller's devices:");
        }
        String posKey = type.bus().positionKey();
        for (String k : List.of("cs", "slot", "port")) {
            if (m.get(k) != null && !k.equals(posKey)) {
                throw error(m.keyLine(k), field + "." + k, "a " + typeName + " has no " + k);
            }
        }
        if (posKey != null) {
            position = (int) number(required(m, posKey, field), field + "." + posKey, 0, Integer.MAX_VALUE);
        }

        // Parameters: every other key must be one of the type's.
        Map<String, Object> params = new LinkedHashMap<>();
        for (String k : m.entries().keySet()) {
            if (!DEVICE_KEYS.contains(k) && type.param(k).isEmpty()) {
                throw error(m.keyLine(k), field + "." + k, "unknown parameter '" + k + "' of " + typeName + "; expected "
                        + (type.params().isEmpty() ? "none" : "one of " + String.join(", ", type.params().stream().map(Param::name).toList())));
            }
        }
        for (Param p : type.params()) {
            params.put(p.name(), value(m, p, field));
        }

        Map<String, DeviceSpec.Region> windows = windows(m, type, name, field);
        Map<String, DeviceSpec.IrqTarget> irqs = irqs(m, type, field);
        Optional<String> when = Optional.empty();
        if (m.get("when") != null) {
            String w = requiredText(m, "when", field + ".when");
            if (!OPTIONS.contains(w)) {
                throw error(m.keyLine("when"), field + ".when", "unknown option '" + w + "'; expected one of " + String.join(", ", sorted(OPTIONS)));
            }
            when = Optional.of(w);
        }
        String parent = parentName;
        if (m.get("parent") != null) {
            if (parentName != null) {
                throw error(m.keyLine("parent"), field + ".parent", "a device listed under " + parentName + " has it as its parent already");
            }
            parent = requiredText(m, "parent", field + ".parent");
        }
        DeviceSpec partial = new DeviceSpec(name, type, m.line(), windows, params, irqs, when, parent, position, List.of());
        List<DeviceSpec> children = new ArrayList<>();
        if (m.get("devices") != null) {
            if (type.offers() == null) {
                throw error(m.keyLine("devices"), field + ".devices", "a " + typeName + " has no bus for devices to sit on");
            }
            int first = type.firstPosition();
            int count = type.positions(partial);
            Map<Integer, String> taken = new HashMap<>();
            for (YamlTree.Node c : list(m.get("devices"), m.keyLine("devices"), field + ".devices").items()) {
                DeviceSpec child = device(c, type, name, names);
                String what = type.offers().positionWord();
                String key = type.offers().positionKey();
                YamlTree.MapNode cm = (YamlTree.MapNode) c;
                if (child.position() < first || child.position() >= first + count) {
                    throw error(cm.keyLine(key), "devices[" + child.name() + "]." + key, what + " " + child.position() + " is out of range: "
                            + name + " (" + typeName + ") has " + what + "s " + first + (count > 1 ? " to " + (first + count - 1) : " only"));
                }
                String before = taken.put(child.position(), child.name());
                if (before != null) {
                    throw error(cm.keyLine(key), "devices[" + child.name() + "]." + key, what + " " + child.position()
                            + " of " + name + " is taken by " + before);
                }
                children.add(child);
            }
        }
        String problem = type.problem(partial);
        if (problem != null) {
            String key = problem.substring(0, problem.indexOf(':'));
            throw error(m.keyLine(key), field + "." + key, problem.substring(key.length() + 1).strip());
        }
        return new DeviceSpec(name, type, m.line(), windows, params, irqs, when, parent, position, List.copyOf(children));
    }

    private Object value(YamlTree.MapNode m, Param p, String field) throws ConfigException {
        YamlTree.Node n = m.get(p.name());
        String f = field + "." + p.name();
        if (n == null || (n instanceof YamlTree.Scalar s && s.text() == null)) {
            if (p.fallback() == null) {
                if (!p.optional()) {
                    throw error(m.line(), f, "missing; " + p.doc());
                }
                return null;
            }
            n = new YamlTree.Scalar(m.start(), m.start(), p.fallback());
        }
        if (p.kind() == Param.Kind.LIST) {
            return textList(n, f);
        }
        if (p.kind() == Param.Kind.OUTPUT_FILES) {
            return textList(n, f).stream().map(t -> t.equals("-") ? t : resolve(t).toString()).toList();
        }
        String t = scalar(n, f);
        return switch (p.kind()) {
            case INT, SIZE -> number(n, f, p.min(), p.max() == 0 ? Long.MAX_VALUE : p.max());
            case BOOL -> switch (t) {
                case "true", "yes", "on" -> Boolean.TRUE;
                case "false", "no", "off" -> Boolean.FALSE;
                default -> throw error(n.line(), f, "'" + t + "' is not true or false");
            };
            case CHOICE -> {
                if (!p.choices().contains(t)) {
                    throw error(n.line(), f, "'" + t + "' is not one of " + String.join(", ", p.choices()));
                }
                yield t;
            }
            case FILE -> existingFile(m, p.name(), f);
            case OUTPUT_FILE -> resolve(t);
            case TEXT, DEVICE -> t;
            case LIST, OUTPUT_FILES -> throw new IllegalStateException("handled above");
        };
    }

    private Path resolve(String file) {
        Path p = Path.of(file);
        return dir == null || p.isAbsolute() ? p : dir.resolve(p).normalize();
    }

    private Path existingFile(YamlTree.MapNode m, String key, String field) throws ConfigException {
        String t = scalar(m.get(key), field);
        Path p = resolve(t);
        if (!Files.isRegularFile(p)) {
            throw error(m.keyLine(key), field, "backing file " + p + " does not exist; expected an existing file (paths are relative to the board file)");
        }
        return p;
    }

    private Map<String, DeviceSpec.Region> windows(YamlTree.MapNode m, DeviceType type, String name, String field) throws ConfigException {
        Map<String, DeviceSpec.Region> out = new LinkedHashMap<>();
        List<DeviceType.Window> rules = type.windows();
        if (rules.isEmpty() || type.bus() != DeviceType.Bus.SYSTEM) {
            for (String k : List.of("base", "size", "regions")) {
                if (m.get(k) != null) {
                    throw error(m.keyLine(k), field + "." + k, "a " + type.name() + " has no register window on the system bus");
                }
            }
            return out;
        }
        YamlTree.MapNode regions = m.get("regions") == null ? null : map(m.get("regions"), m.keyLine("regions"), field + ".regions");
        if (regions != null) {
            if (m.get("base") != null || m.get("size") != null) {
                throw error(m.keyLine("regions"), field + ".regions", "give either base/size or regions, not both");
            }
            for (String k : regions.entries().keySet()) {
                if (rules.stream().noneMatch(r -> r.name().equals(k))) {
                    throw error(regions.keyLine(k), field + ".regions." + k, "a " + type.name() + " has no window '" + k + "'; expected "
                            + String.join(", ", rules.stream().map(DeviceType.Window::name).toList()));
                }
            }
        } else if (rules.size() > 1) {
            throw error(m.line(), field + ".regions", "missing; a " + type.name() + " has windows "
                    + String.join(", ", rules.stream().map(DeviceType.Window::name).toList()));
        }
        for (DeviceType.Window r : rules) {
            YamlTree.MapNode at = m;
            String f = field;
            if (regions != null) {
                if (regions.get(r.name()) == null) {
                    throw error(regions.start().line(), field + ".regions." + r.name(), "missing; " + r.doc());
                }
                at = map(regions.get(r.name()), regions.keyLine(r.name()), field + ".regions." + r.name());
                f = field + ".regions." + r.name();
            }
            long base = number(required(at, "base", f), f + ".base", 0, 0xFFFF_FFFFL);
            long size;
            if (at.get("size") == null) {
                if (r.minSize() != r.maxSize()) {
                    throw error(at.line(), f + ".size", "missing; a " + type.name() + "'s " + r.name() + " window is "
                            + Param.human(r.minSize()) + " to " + Param.human(r.maxSize()));
                }
                size = r.minSize();
            } else {
                size = number(at.get("size"), f + ".size", 1, 0x1_0000_0000L);
                int line = at.keyLine("size");
                if (r.powerOfTwo() && Long.bitCount(size) != 1) {
                    throw error(line, f + ".size", String.format("0x%x is not a power of two; a %s's %s window must be", size, type.name(), r.name()));
                }
                if (size < r.minSize() || size > r.maxSize()) {
                    throw error(line, f + ".size", String.format("0x%x is out of range; a %s's %s window is %s to %s", size, type.name(), r.name(),
                            Param.human(r.minSize()), Param.human(r.maxSize())));
                }
            }
            if (base + size > 0x1_0000_0000L) {
                throw error(at.keyLine("base"), f + ".base", String.format("0x%x + 0x%x runs past 4 GiB", base, size));
            }
            String regionName = rules.size() == 1 ? name : name + "-" + r.name();
            out.put(r.name(), new DeviceSpec.Region(regionName, base, size, at.keyLine("base")));
        }
        return out;
    }

    private Map<String, DeviceSpec.IrqTarget> irqs(YamlTree.MapNode m, DeviceType type, String field) throws ConfigException {
        Map<String, DeviceSpec.IrqTarget> out = new LinkedHashMap<>();
        List<String> outputs = type.irqOutputs();
        if (m.get("irq") != null) {
            if (outputs.size() != 1) {
                throw error(m.keyLine("irq"), field + ".irq", outputs.isEmpty() ? "a " + type.name() + " has no interrupt output"
                        : "a " + type.name() + " has several outputs; use irqs: {" + String.join(": ..., ", outputs) + ": ...}");
            }
            out.put(outputs.get(0), target(m.get("irq"), field + ".irq"));
        }
        if (m.get("irqs") != null) {
            YamlTree.MapNode irqs = map(m.get("irqs"), m.keyLine("irqs"), field + ".irqs");
            for (Map.Entry<String, YamlTree.Node> e : irqs.entries().entrySet()) {
                if (!outputs.contains(e.getKey())) {
                    throw error(irqs.keyLine(e.getKey()), field + ".irqs." + e.getKey(), "a " + type.name() + " has no output '" + e.getKey()
                            + "'; expected " + (outputs.isEmpty() ? "none" : String.join(", ", outputs)));
                }
                out.put(e.getKey(), target(e.getValue(), field + ".irqs." + e.getKey()));
            }
        }
        return out;
    }

    /** {@code spi 1}, {@code spi 48-111}, {@code ppi 14}, {@code gic:spi 5}, {@code DEVICE.INPUT}. */
    private DeviceSpec.IrqTarget target(YamlTree.Node n, String field) throws ConfigException {
        String t = scalar(n, field).strip().toLowerCase(Locale.ROOT);
        Matcher x = TARGET.matcher(t);
        if (!x.matches() || (x.group(3) == null && x.group(1) == null)) {
            throw error(n.line(), field, "'" + t + "' is not an interrupt input; expected spi N, spi N-M, ppi N, or DEVICE.INPUT");
        }
        String input = x.group(2);
        if (x.group(3) == null) {
            return new DeviceSpec.IrqTarget(x.group(1), input, 0, 1, n.line(), t);
        }
        int first = Integer.parseInt(x.group(3));
        int last = x.group(4) == null ? first : Integer.parseInt(x.group(4));
        if (last < first) {
            throw error(n.line(), field, "'" + t + "': the range runs backwards");
        }
        if (!input.equals("spi") && !input.equals("ppi")) {
            throw error(n.line(), field, "'" + t + "': unknown input kind '" + input + "'; expected spi or ppi");
        }
        return new DeviceSpec.IrqTarget(x.group(1), input, first, last - first + 1, n.line(), t);
    }

    // ---- whole-board checks -------------------------------------------------------------------

    private void check(BoardDescription board, YamlTree.MapNode top) throws ConfigException {
        Map<String, DeviceSpec> byName = board.byName();
        List<String> order = List.copyOf(byName.keySet());
        List<DeviceSpec> controllers = board.allDevices().stream().filter(d -> d.type().isInterruptController()).toList();
        // References to other devices.
        for (DeviceSpec d : board.allDevices()) {
            if (d.parent() != null && !byName.containsKey(d.parent())) {
                throw error(d.line(), "devices[" + d.name() + "].parent", "no device named '" + d.parent() + "'");
            }
            for (Param p : d.type().params()) {
                if (p.kind() != Param.Kind.DEVICE || d.params().get(p.name()) == null) {
                    continue;
                }
                DeviceSpec ref = byName.get(d.text(p.name()));
                String field = "devices[" + d.name() + "]." + p.name();
                if (ref == null) {
                    throw error(d.line(), field, "no device named '" + d.text(p.name()) + "'");
                }
                if (!p.choices().contains(ref.type().name())) {
                    throw error(d.line(), field, "'" + ref.name() + "' is a " + ref.type().name() + "; expected a " + String.join(" or ", p.choices()));
                }
            }
            if (d.parent() != null && d.position() < 0 && order.indexOf(d.parent()) > order.indexOf(d.name())) {
                throw error(d.line(), "devices[" + d.name() + "].parent", "'" + d.parent() + "' comes later in the file; list a parent before its children");
            }
        }
        if (board.stdout() != null && !byName.containsKey(board.stdout())) {
            throw error(top.keyLine("chosen"), "chosen.stdout", "no device named '" + board.stdout() + "'");
        }
        // Overlapping regions.
        List<DeviceSpec.Region> regions = new ArrayList<>();
        for (BoardDescription.Memory m : board.memories()) {
            regions.add(new DeviceSpec.Region(m.name(), m.base(), m.max(), m.line()));
        }
        for (DeviceSpec d : board.allDevices()) {
            regions.addAll(d.windows().values());
        }
        regions.sort(Comparator.comparingLong(DeviceSpec.Region::base));
        for (int i = 1; i < regions.size(); i++) {
            DeviceSpec.Region a = regions.get(i - 1);
            DeviceSpec.Region b = regions.get(i);
            if (b.base() <= a.last()) {
                DeviceSpec.Region later = a.line() > b.line() ? a : b;
                DeviceSpec.Region earlier = later == a ? b : a;
                throw error(later.line(), later.name(), String.format("0x%08x-0x%08x overlaps %s 0x%08x-0x%08x (line %d)",
                        later.base(), later.last(), earlier.name(), earlier.base(), earlier.last(), earlier.line()));
            }
        }
        // Interrupt inputs: each wired once, and within the controller's range.
        Map<String, String> claimed = new HashMap<>();
        for (DeviceSpec d : board.allDevices()) {
            for (Map.Entry<String, DeviceSpec.IrqTarget> e : d.irqs().entrySet()) {
                DeviceSpec.IrqTarget t = e.getValue();
                String field = "devices[" + d.name() + "].irqs." + e.getKey();
                DeviceSpec target;
                if (t.device() == null) {
                    if (controllers.isEmpty()) {
                        throw error(t.line(), field, "'" + t.text() + "': the board has no interrupt controller");
                    }
                    target = controllers.get(0);
                } else {
                    target = byName.get(t.device());
                    if (target == null) {
                        throw error(t.line(), field, "'" + t.text() + "': no device named '" + t.device() + "'");
                    }
                }
                if (!t.isSpi() && !t.isPpi() && !target.type().hasInput(target, t.input())) {
                    throw error(t.line(), field, "'" + t.text() + "': " + target.name() + " (" + target.type().name() + ") has no input '"
                            + t.input() + "'" + (target.type().inputsDoc() == null ? "" : "; expected " + target.type().inputsDoc()));
                }
                if (t.isSpi() || t.isPpi()) {
                    if (!target.type().isInterruptController()) {
                        throw error(t.line(), field, "'" + t.text() + "': " + target.name() + " is not an interrupt controller");
                    }
                    long limit = t.isSpi() ? target.number("spis") : 16;
                    if (t.first() + t.count() > limit) {
                        throw error(t.line(), field, "'" + t.text() + "': " + target.name() + " has " + t.input().toUpperCase(Locale.ROOT)
                                + "s 0 to " + (limit - 1));
                    }
                }
                for (int i = 0; i < t.count(); i++) {
                    String key = target.name() + " " + t.input() + (t.isSpi() || t.isPpi() ? " " + (t.first() + i) : "");
                    String by = d.name() + "." + e.getKey() + " (line " + t.line() + ")";
                    String before = claimed.putIfAbsent(key, by);
                    if (before != null) {
                        throw error(t.line(), field, key + " is wired twice: to " + before + " and to " + d.name() + "." + e.getKey());
                    }
                }
            }
        }
    }

    // ---- YAML helpers ---------------------------------------------------------------------------

    private YamlTree.MapNode map(YamlTree.Node n, int line, String field) throws ConfigException {
        if (n instanceof YamlTree.MapNode m) {
            return m;
        }
        throw error(n == null ? line : n.line(), field, "expected a mapping (key: value lines)");
    }

    private YamlTree.ListNode list(YamlTree.Node n, int line, String field) throws ConfigException {
        if (n instanceof YamlTree.ListNode l) {
            return l;
        }
        throw error(n == null ? line : n.line(), field, "expected a list (- item lines)");
    }

    private String scalar(YamlTree.Node n, String field) throws ConfigException {
        if (n instanceof YamlTree.Scalar s && s.text() != null) {
            return s.text();
        }
        throw error(n.line(), field, "expected a single value");
    }

    private List<String> textList(YamlTree.Node n, String field) throws ConfigException {
        if (n instanceof YamlTree.Scalar) {
            return List.of(scalar(n, field));
        }
        List<String> out = new ArrayList<>();
        for (YamlTree.Node i : list(n, n.line(), field).items()) {
            out.add(scalar(i, field));
        }
        return List.copyOf(out);
    }

    private YamlTree.Node required(YamlTree.MapNode m, String key, String field) throws ConfigException {
        YamlTree.Node n = m.get(key);
        if (n == null) {
            throw error(m.line(), field + "." + key, "missing");
        }
        return n;
    }

    private String requiredText(YamlTree.MapNode m, String key, String field) throws ConfigException {
        YamlTree.Node n = m.get(key);
        if (n == null) {
            throw error(m.line(), field, "missing");
        }
        return scalar(n, field);
    }

    private String optionalText(YamlTree.MapNode m, String key, String field, String fallback) throws ConfigException {
        return m.get(key) == null ? fallback : scalar(m.get(key), field);
    }

    private long number(YamlTree.Node n, String field, long min, long max) throws ConfigException {
        String t = scalar(n, field);
        long v;
        try {
            v = Param.number(t);
        } catch (IllegalArgumentException e) {
            throw error(n.line(), field, e.getMessage());
        }
        if (v < min || v > max) {
            throw error(n.line(), field, t + " is out of range; expected " + min + " to " + max);
        }
        return v;
    }

    private void checkKeys(YamlTree.MapNode m, String field, Set<String> allowed) throws ConfigException {
        for (String k : m.entries().keySet()) {
            if (!allowed.contains(k)) {
                throw error(m.keyLine(k), field + "." + k, "unknown key; expected one of " + String.join(", ", sorted(allowed)));
            }
        }
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
