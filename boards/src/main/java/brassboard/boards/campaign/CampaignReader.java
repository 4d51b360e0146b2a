package brassboard.boards.campaign;

import brassboard.boards.api.ConfigException;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.UsbAttachment;
import brassboard.boards.api.Quantities;
import brassboard.boards.api.WifiAttachment;
import brassboard.boards.board.Boards;
import brassboard.boards.faults.Action;
import brassboard.boards.faults.FaultPlan;
import brassboard.boards.faults.FaultPlanException;
import brassboard.boards.faults.Rule;
import brassboard.boards.watch.WatchdogOptions;
import brassboard.boards.yaml.YamlTree;
import brassboard.boards.yaml.YamlTree.ListNode;
import brassboard.boards.yaml.YamlTree.MapNode;
import brassboard.boards.yaml.YamlTree.Node;
import brassboard.boards.yaml.YamlTree.Scalar;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Turns a campaign's YAML into a {@link Campaign}, checking every field, with one-line errors naming the file, line and field. */
final class CampaignReader {
    private static final List<String> TOP_KEYS = List.of("name", "image", "board", "cpus", "ram", "input", "limits", "watchdog",
            "golden", "seeds", "detected", "crash", "plans", "generate", "load-address", "usb", "prompt", "ignore-output", "wifi");
    private static final List<String> LIMIT_KEYS = List.of("max-time", "max-insns", "max-output");
    private static final List<String> WATCHDOG_KEYS = List.of("hard", "soft", "spin", "sched");
    private static final List<String> GOLDEN_KEYS = List.of("seed");
    private static final List<String> DETECTED_KEYS = List.of("exit", "output");
    private static final List<String> CRASH_KEYS = List.of("output", "exception-loop");
    private static final List<String> PLAN_KEYS = List.of("file", "name", "rules", "seeds");
    private static final List<String> GENERATE_KEYS = List.of("name", "point", "registers", "bits", "action", "times", "match",
            "when", "seeds");
    private static final List<String> RANGE_KEYS = List.of("from", "to", "stride");
    private static final List<String> GEN_MATCH_KEYS = List.of("master", "size");
    private static final List<String> GEN_WHEN_KEYS = List.of("after", "before", "nth", "every", "probability");
    private static final List<String> GEN_ACTIONS = List.of("flip", "set", "clear");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private final String source;
    private final Path baseDir;
    private final String text;
    private final UnaryOperator<Path> locate;

    private CampaignReader(String source, Path baseDir, String text, UnaryOperator<Path> locate) {
        this.source = source;
        this.baseDir = baseDir;
        this.text = text;
        this.locate = locate;
    }

    /** A file the campaign names, resolved against its directory, then located (see {@link Campaign#load(Path, UnaryOperator)}). */
    private Path file(String name) {
        return locate.apply(baseDir.resolve(name).normalize());
    }

    /** A problem at a line with a field. */
    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;
        final String field;

        Bad(int line, String field, String message) {
            super(message, null, false, false);
            this.line = line;
            this.field = field;
        }
    }

    static Campaign load(Path file, UnaryOperator<Path> locate) throws CampaignException {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CampaignException(file + ": no such file");
        } catch (MalformedInputException e) {
            throw new CampaignException(file + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new CampaignException(file + ": cannot read the campaign: " + YamlTree.firstLine(String.valueOf(e.getMessage())));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(yaml, file.toString(), dir, String.valueOf(file.getFileName()), locate);
    }

    static Campaign parse(String yaml, String source, Path baseDir, String fileName, UnaryOperator<Path> locate) throws CampaignException {
        CampaignReader r = new CampaignReader(source, baseDir, yaml, locate);
        Node root;
        try {
            root = YamlTree.parse(yaml, source);
        } catch (YamlTree.Error e) {
            throw new CampaignException(e.getMessage());
        }
        if (root == null) {
            throw new CampaignException(source + ": the campaign is empty; expected a mapping with image: and plans: or generate:");
        }
        try {
            return r.campaign(root, fileName);
        } catch (Bad b) {
            throw new CampaignException(source + ": " + (b.line > 0 ? "line " + b.line + ": " : "") + b.field + ": " + b.getMessage());
        }
    }

    private Campaign campaign(Node root, String fileName) throws Bad, CampaignException {
        if (!(root instanceof MapNode top)) {
            throw new CampaignException(source + ": line " + root.line() + ": expected a mapping with image: and plans: or generate: at the top");
        }
        checkKeys(top, "", TOP_KEYS);
        String name = top.get("name") == null ? stem(fileName) : name(top.get("name"), "name");
        Node imageNode = required(top, "image", "a campaign names its firmware image, like image: firmware/images/irq-demo.elf");
        Path image = file(text(imageNode, "image"));
        if (!Files.isRegularFile(image)) {
            throw new Bad(imageNode.line(), "image", image + ": no such file");
        }
        String board = top.get("board") == null ? "virt" : text(top.get("board"), "board");
        if (Boards.isFile(board)) {
            // a board file, like the campaign's other files, is relative to the campaign's directory
            Path boardFile = file(board);
            if (!Files.isRegularFile(boardFile)) {
                throw new Bad(top.get("board").line(), "board", boardFile + ": no such board file; expected a built-in board ("
                        + String.join(", ", Boards.BUILT_IN) + ") or a board file (paths are relative to the campaign file)");
            }
            board = boardFile.toString();
        }
        int cpus = 1;
        if (top.get("cpus") != null) {
            long n = number(top.get("cpus"), "cpus");
            if (n < 1 || n > MachineConfig.MAX_CPUS) {
                throw new Bad(top.get("cpus").line(), "cpus", n + " is not a core count; expected 1 to " + MachineConfig.MAX_CPUS);
            }
            cpus = (int) n;
        }
        long ram = top.get("ram") == null ? MachineConfig.DEFAULT_RAM : parse(top.get("ram"), "ram", CampaignReader::size);
        String input = "";
        if (top.get("input") != null) {
            Node in = top.get("input");
            if (!(in instanceof Scalar s) || s.text() == null) {
                throw new Bad(in.line(), "input", "expected the console input as a string, like input: \"exit\\n\"");
            }
            input = s.text();
        }
        Optional<WifiAttachment> wifi = Optional.empty();
        if (top.get("wifi") != null) {
            wifi = Optional.of(wifi(top.get("wifi")));
        }
        java.util.OptionalLong loadAddress = java.util.OptionalLong.empty();
        if (top.get("load-address") != null) {
            long a = number(top.get("load-address"), "load-address");
            if (a > 0xFFFF_FFFFL) {
                throw new Bad(top.get("load-address").line(), "load-address", "0x" + Long.toHexString(a) + " is outside the 32-bit address space");
            }
            loadAddress = java.util.OptionalLong.of(a);
        }
        List<UsbAttachment> usb = new ArrayList<>();
        if (top.get("usb") != null) {
            for (Node item : list(top.get("usb"), "usb")) {
                String spec = text(item, "usb");
                UsbAttachment a;
                try {
                    a = UsbAttachment.parse(spec);
                } catch (ConfigException e) {
                    throw new Bad(item.line(), "usb", e.getMessage());
                }
                Path disk = file(a.disk().toString());
                if (!Files.isRegularFile(disk)) {
                    throw new Bad(item.line(), "usb", disk + ": no such file");
                }
                usb.add(new UsbAttachment(a.kind(), disk, a.mode(), a.port(), a.defects(), a.wedge(),
                        a.descriptors().map(f -> baseDir.resolve(f).normalize())));
            }
        }
        Optional<Pattern> prompt = Optional.empty();
        if (top.get("prompt") != null) {
            prompt = Optional.of(regex(top.get("prompt"), "prompt"));
        }
        Optional<Pattern> ignoreOutput = Optional.empty();
        if (top.get("ignore-output") != null) {
            ignoreOutput = Optional.of(regex(top.get("ignore-output"), "ignore-output"));
        }
        long maxTime = Campaign.DEFAULT_MAX_TIME_NS;
        long maxInsns = Long.MAX_VALUE;
        long maxOutput = Campaign.DEFAULT_MAX_OUTPUT;
        if (top.get("limits") != null) {
            MapNode l = mapping(top.get("limits"), "limits");
            checkKeys(l, "limits.", LIMIT_KEYS);
            if (l.get("max-time") != null) {
                maxTime = positive(l.get("max-time"), "limits.max-time", parse(l.get("max-time"), "limits.max-time", CampaignReader::duration));
            }
            if (l.get("max-insns") != null) {
                maxInsns = positive(l.get("max-insns"), "limits.max-insns", number(l.get("max-insns"), "limits.max-insns"));
            }
            if (l.get("max-output") != null) {
                maxOutput = positive(l.get("max-output"), "limits.max-output", parse(l.get("max-output"), "limits.max-output", CampaignReader::size));
            }
        }
        WatchdogOptions watchdog = watchdog(top.get("watchdog"));
        long goldenSeed = 0;
        if (top.get("golden") != null) {
            MapNode g = mapping(top.get("golden"), "golden");
            checkKeys(g, "golden.", GOLDEN_KEYS);
            if (g.get("seed") != null) {
                goldenSeed = number(g.get("seed"), "golden.seed");
            }
        }
        List<Long> defaultSeeds = top.get("seeds") == null ? List.of(0L) : seeds(top.get("seeds"), "seeds");
        Set<Integer> detectedExit = new LinkedHashSet<>();
        Optional<Pattern> detectedOutput = Optional.empty();
        if (top.get("detected") != null) {
            MapNode d = mapping(top.get("detected"), "detected");
            checkKeys(d, "detected.", DETECTED_KEYS);
            if (d.get("exit") != null) {
                Node e = d.get("exit");
                List<Node> items = e instanceof ListNode list ? list.items() : List.of(e);
                for (Node item : items) {
                    long v = number(item, "detected.exit");
                    if (v > 255) {
                        throw new Bad(item.line(), "detected.exit", v + " is not an exit status; expected 0 to 255");
                    }
                    detectedExit.add((int) v);
                }
            }
            if (d.get("output") != null) {
                detectedOutput = Optional.of(regex(d.get("output"), "detected.output"));
            }
        }
        Optional<Pattern> crashOutput = Optional.empty();
        int exceptionLoop = Campaign.DEFAULT_EXCEPTION_LOOP;
        if (top.get("crash") != null) {
            MapNode c = mapping(top.get("crash"), "crash");
            checkKeys(c, "crash.", CRASH_KEYS);
            if (c.get("output") != null) {
                crashOutput = Optional.of(regex(c.get("output"), "crash.output"));
            }
            if (c.get("exception-loop") != null) {
                long n = number(c.get("exception-loop"), "crash.exception-loop");
                if (n > 1_000_000) {
                    throw new Bad(c.get("exception-loop").line(), "crash.exception-loop", n + " is too large; expected 0 (off) to 1000000");
                }
                exceptionLoop = (int) n;
            }
        }
        List<RunSpec> runs = new ArrayList<>();
        Set<String> planIds = new HashSet<>();
        if (top.get("plans") != null) {
            int p = 0;
            for (Node item : list(top.get("plans"), "plans")) {
                plan(item, p++, planIds, defaultSeeds, runs);
            }
        }
        if (top.get("generate") != null) {
            int g = 0;
            for (Node item : list(top.get("generate"), "generate")) {
                generator(item, ++g, planIds, defaultSeeds, runs);
            }
        }
        if (runs.isEmpty()) {
            throw new Bad(top.line(), "plans", "the campaign has no runs; expected plans: (plan files or inline rules) or generate:");
        }
        return new Campaign(source, name, image, board, cpus, ram, input, maxTime, maxInsns, maxOutput, watchdog, exceptionLoop,
                crashOutput, detectedExit, detectedOutput, goldenSeed, runs, new Campaign.Setup(loadAddress, usb, prompt, ignoreOutput, wifi));
    }

    /**
     * {@code wifi:} in {@code run --wifi}'s syntax; an {@code rx=} pcap is relative to the campaign file.
     * {@code tx=} is refused: every run would write the same file.
     */
    private WifiAttachment wifi(Node node) throws Bad {
        if (!(node instanceof Scalar s) || s.text() == null) {
            throw new Bad(node.line(), "wifi", "expected the --wifi argument as a string, like wifi: channel=6,rx-rate=20000");
        }
        WifiAttachment w;
        try {
            w = WifiAttachment.parse(s.text());
        } catch (ConfigException e) {
            String m = String.valueOf(e.getMessage());
            String prefix = "--wifi " + s.text() + ": ";
            throw new Bad(node.line(), "wifi", m.startsWith(prefix) ? m.substring(prefix.length()) : m);
        }
        if (w.txPcap().isPresent()) {
            throw new Bad(node.line(), "wifi", "tx= is not allowed in a campaign (every run would write the same file); expected no tx=");
        }
        return new WifiAttachment(w.channel(), w.rxPcap().map(p -> file(p.toString())), w.rxRate(), w.rxSize(), w.rxSeed(),
                w.rxCount(), w.rxStartNs(), w.txPcap());
    }

    private WatchdogOptions watchdog(Node node) throws Bad {
        WatchdogOptions o = WatchdogOptions.defaults().withStopOnLockup(true);
        if (node == null) {
            return o;
        }
        if (node instanceof Scalar s && "off".equals(s.text())) {
            return o.withEnabled(false).withStopOnLockup(false);
        }
        if (!(node instanceof MapNode w)) {
            throw new Bad(node.line(), "watchdog", "expected 'off' or a mapping like { hard: 5ms, soft: 20ms, spin: 1ms, sched: [schedule] }");
        }
        checkKeys(w, "watchdog.", WATCHDOG_KEYS);
        if (w.get("hard") != null) {
            o = o.withHard(positive(w.get("hard"), "watchdog.hard", parse(w.get("hard"), "watchdog.hard", CampaignReader::duration)));
        }
        if (w.get("soft") != null) {
            o = o.withSoft(positive(w.get("soft"), "watchdog.soft", parse(w.get("soft"), "watchdog.soft", CampaignReader::duration)));
        }
        if (w.get("spin") != null) {
            o = o.withSpin(positive(w.get("spin"), "watchdog.spin", parse(w.get("spin"), "watchdog.spin", CampaignReader::duration)));
        }
        if (w.get("sched") != null) {
            Node s = w.get("sched");
            List<String> names = new ArrayList<>();
            for (Node item : s instanceof ListNode l ? l.items() : List.of(s)) {
                names.add(text(item, "watchdog.sched"));
            }
            o = o.withSchedulerSymbols(names);
        }
        return o;
    }

    private void plan(Node item, int index, Set<String> planIds, List<Long> defaultSeeds, List<RunSpec> runs)
            throws Bad, CampaignException {
        String field = "plans[" + (index + 1) + "]";
        MapNode m = mapping(item, field);
        checkKeys(m, field + ".", PLAN_KEYS);
        Node file = m.get("file");
        Node rules = m.get("rules");
        if ((file == null) == (rules == null)) {
            throw new Bad(m.line(), field, "expected either file: (a plan file) or rules: (an inline plan), not "
                    + (file == null ? "neither" : "both"));
        }
        String id;
        FaultPlan plan;
        if (file != null) {
            Path path = file(text(file, field + ".file"));
            id = m.get("name") != null ? name(m.get("name"), field + ".name") : stem(String.valueOf(path.getFileName()));
            try {
                plan = FaultPlan.load(path);
            } catch (FaultPlanException e) {
                throw new Bad(file.line(), field + ".file", e.getMessage());
            }
        } else {
            Node nameNode = required(m, "name", "an inline plan needs a name, like name: drop-uart-writes");
            id = name(nameNode, field + ".name");
            if (rules instanceof Scalar s && s.text() == null) {
                throw new Bad(rules.line(), field + ".rules", "empty; expected at least one rule");
            }
            try {
                plan = FaultPlan.parse(inlinePlanText(m), source + ": plan '" + id + "'");
            } catch (FaultPlanException e) {
                throw new CampaignException(e.getMessage());
            }
            if (plan.rules().isEmpty()) {
                throw new Bad(rules.line(), field + ".rules", "empty; expected at least one rule");
            }
        }
        if (!planIds.add(id)) {
            throw new Bad(m.line(), field, "plan id '" + id + "' is used twice; give one of them another name:");
        }
        List<Long> seeds = m.get("seeds") == null ? defaultSeeds : seeds(m.get("seeds"), field + ".seeds");
        for (long seed : seeds) {
            runs.add(new RunSpec(runs.size(), RunSpec.idOf(id, seed), id, seed, plan, id));
        }
    }

    private void generator(Node item, int number, Set<String> planIds, List<Long> defaultSeeds, List<RunSpec> runs) throws Bad {
        String field = "generate[" + number + "]";
        MapNode m = mapping(item, field);
        checkKeys(m, field + ".", GENERATE_KEYS);
        String name = m.get("name") == null ? "gen" + number : name(m.get("name"), field + ".name");
        Node pointNode = required(m, "point", "a generator names a fault point with addresses, like point: bus.write");
        String point = text(pointNode, field + ".point");
        List<Long> registers = registers(required(m, "registers",
                "list the registers, like registers: [0x08000100, 0x08000104] or { from: 0x08000100, to: 0x0800010c, stride: 4 }"),
                field + ".registers");
        List<Integer> bits = bits(required(m, "bits", "name the bits to hit, like bits: 0-31 or bits: [0, 7]"), field + ".bits");
        Node actionNode = required(m, "action", "a generator's action is flip, set or clear (of the one bit)");
        String action = text(actionNode, field + ".action");
        if (!GEN_ACTIONS.contains(action)) {
            throw new Bad(actionNode.line(), field + ".action", "'" + action + "' cannot be generated per bit; expected flip, set or clear");
        }
        Node timesNode = m.get("times");
        String times = timesNode == null ? "once" : text(timesNode, field + ".times");
        long count = 1;
        if (!times.equals("once") && !times.equals("sticky")) {
            count = number(timesNode, field + ".times");
            if (count < 1) {
                throw new Bad(timesNode.line(), field + ".times", "'" + times + "' is not once, sticky or a count of 1 or more");
            }
        }
        MapNode match = m.get("match") == null ? null : mapping(m.get("match"), field + ".match");
        if (match != null) {
            checkKeys(match, field + ".match.", GEN_MATCH_KEYS);
        }
        MapNode when = m.get("when") == null ? null : mapping(m.get("when"), field + ".when");
        if (when != null) {
            checkKeys(when, field + ".when.", GEN_WHEN_KEYS);
        }
        List<Long> seeds = m.get("seeds") == null ? defaultSeeds : seeds(m.get("seeds"), field + ".seeds");
        int digits = bits.stream().mapToInt(Integer::intValue).max().orElse(0) >= 10 ? 2 : 1;
        for (long reg : registers) {
            for (int bit : bits) {
                Rule r = Rule.at(point).address(reg).action(switch (action) {
                    case "flip" -> Action.flip(1L << bit);
                    case "set" -> Action.set(1L << bit);
                    default -> Action.clear(1L << bit);
                });
                if (times.equals("sticky")) {
                    r.sticky();
                } else {
                    r.times(count);
                }
                if (match != null) {
                    applyMatch(r, match, field + ".match");
                }
                if (when != null) {
                    applyWhen(r, when, field + ".when");
                }
                FaultPlan plan;
                try {
                    plan = FaultPlan.builder().source(source + ": " + field).rule(r).build();
                } catch (IllegalArgumentException e) {
                    throw new Bad(m.line(), field, e.getMessage());
                }
                String id = String.format("%s/0x%08x/bit%0" + digits + "d", name, reg, bit);
                if (!planIds.add(id)) {
                    throw new Bad(m.line(), field, "plan id '" + id + "' is generated twice (a register or bit listed twice, or a generator name used twice)");
                }
                String group = String.format("%s 0x%08x", name, reg);
                for (long seed : seeds) {
                    runs.add(new RunSpec(runs.size(), RunSpec.idOf(id, seed), id, seed, plan, group));
                }
            }
        }
    }

    private void applyMatch(Rule r, MapNode match, String field) throws Bad {
        for (String key : match.entries().keySet()) {
            Node v = match.get(key);
            try {
                switch (key) {
                    case "master" -> r.master(text(v, field + ".master"));
                    case "size" -> r.size((int) Math.min(Integer.MAX_VALUE, number(v, field + ".size")));
                    default -> throw new IllegalStateException(key);
                }
            } catch (IllegalArgumentException e) {
                throw new Bad(v.line(), field + "." + key, e.getMessage());
            }
        }
    }

    private void applyWhen(Rule r, MapNode when, String field) throws Bad {
        for (String key : when.entries().keySet()) {
            Node v = when.get(key);
            String f = field + "." + key;
            try {
                switch (key) {
                    case "after" -> r.after(parse(v, f, CampaignReader::duration));
                    case "before" -> r.before(parse(v, f, CampaignReader::duration));
                    case "nth" -> r.nth(number(v, f));
                    case "every" -> r.every(number(v, f));
                    case "probability" -> {
                        String t = text(v, f);
                        try {
                            r.probability(Double.parseDouble(t));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("'" + t + "' is not a number; expected a probability in [0, 1]");
                        }
                    }
                    default -> throw new IllegalStateException(key);
                }
            } catch (IllegalArgumentException e) {
                throw new Bad(v.line(), f, e.getMessage());
            }
        }
    }

    private List<Long> registers(Node node, String field) throws Bad {
        List<Long> out = new ArrayList<>();
        if (node instanceof ListNode l) {
            for (Node item : l.items()) {
                out.add(address(item, field));
            }
        } else if (node instanceof MapNode m) {
            checkKeys(m, field + ".", RANGE_KEYS);
            long from = address(required(m, "from", "the first register's address"), field + ".from");
            long to = address(required(m, "to", "the last register's address (inclusive)"), field + ".to");
            long stride = m.get("stride") == null ? 4 : number(m.get("stride"), field + ".stride");
            if (stride < 1) {
                throw new Bad(m.get("stride").line(), field + ".stride", "expected a stride of 1 or more bytes");
            }
            if (to < from) {
                throw new Bad(m.line(), field, String.format("0x%x-0x%x is an empty range: its end is below its start", from, to));
            }
            if ((to - from) / stride >= 4096) {
                throw new Bad(m.line(), field, "more than 4096 registers; narrow the range or widen the stride");
            }
            for (long a = from; a <= to; a += stride) {
                out.add(a);
            }
        } else {
            out.add(address(node, field));
        }
        if (out.isEmpty()) {
            throw new Bad(node.line(), field, "no registers; expected at least one address");
        }
        return out;
    }

    private List<Integer> bits(Node node, String field) throws Bad {
        List<Integer> out = new ArrayList<>();
        for (Node item : node instanceof ListNode l ? l.items() : List.of(node)) {
            String t = text(item, field);
            long[] range = range(item, field, t);
            for (long b = range[0]; b <= range[1]; b++) {
                if (b > 63) {
                    throw new Bad(item.line(), field, "bit " + b + " is outside a 64-bit access; expected 0 to 63");
                }
                out.add((int) b);
            }
        }
        if (out.isEmpty()) {
            throw new Bad(node.line(), field, "no bits; expected at least one, like 0-31");
        }
        return out;
    }

    private List<Long> seeds(Node node, String field) throws Bad {
        List<Long> out = new ArrayList<>();
        for (Node item : node instanceof ListNode l ? l.items() : List.of(node)) {
            long[] range = range(item, field, text(item, field));
            if (range[1] - range[0] >= 1_000_000) {
                throw new Bad(item.line(), field, "more than a million seeds in one range");
            }
            for (long s = range[0]; s <= range[1]; s++) {
                out.add(s);
            }
        }
        if (out.isEmpty()) {
            throw new Bad(node.line(), field, "no seeds; expected a number, a range like 1-100, or a list");
        }
        if (new HashSet<>(out).size() != out.size()) {
            throw new Bad(node.line(), field, "a seed is listed twice");
        }
        return out;
    }

    /** {@code N} or {@code A-B} (inclusive). */
    private static long[] range(Node item, String field, String t) throws Bad {
        int dash = t.indexOf('-', 1);
        try {
            long lo = numberText(dash < 0 ? t : t.substring(0, dash));
            long hi = dash < 0 ? lo : numberText(t.substring(dash + 1));
            if (hi < lo) {
                throw new IllegalArgumentException("'" + t + "' is an empty range: its end is below its start");
            }
            return new long[] {lo, hi};
        } catch (IllegalArgumentException e) {
            throw new Bad(item.line(), field, e.getMessage().startsWith("'" + t) ? e.getMessage()
                    : "'" + t + "' is not a number or a range like 0-31");
        }
    }

    /**
     * The inline plan's {@code rules:} as a plan document that keeps the campaign file's line
     * numbers: everything outside the rules key and its value becomes blank (newlines stay).
     */
    private String inlinePlanText(MapNode planEntry) {
        int[] lineStarts = lineStarts(text);
        YamlTree.Pos key = planEntry.keys().get("rules");
        Node rules = planEntry.get("rules");
        int from = offset(lineStarts, key);
        int valueStart = offset(lineStarts, rules.start());
        int to;
        char c = valueStart < text.length() ? text.charAt(valueStart) : ' ';
        if (c == '[' || c == '{') {
            to = matchingBracket(text, valueStart);
        } else {
            int last = maxLine(rules);
            to = last < lineStarts.length ? lineStarts[last] - 1 : text.length() - 1;
        }
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            b.append(ch == '\n' || ch == '\r' || i >= from && i <= to ? ch : ' ');
        }
        return b.toString();
    }

    private static int[] lineStarts(String s) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private int offset(int[] lineStarts, YamlTree.Pos p) {
        int line = Math.max(1, Math.min(p.line(), lineStarts.length));
        return Math.min(text.length(), lineStarts[line - 1] + Math.max(0, p.column() - 1));
    }

    /** The offset of the bracket closing the one at {@code open}, skipping quoted strings. */
    private static int matchingBracket(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                for (i++; i < s.length(); i++) {
                    char q = s.charAt(i);
                    if (q == '\\' && c == '"') {
                        i++;
                    } else if (q == c) {
                        break;
                    }
                }
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                if (--depth == 0) {
                    return i;
                }
            }
        }
        return s.length() - 1;
    }

    private static int maxLine(Node n) {
        int max = n.line();
        if (n instanceof MapNode m) {
            for (var e : m.entries().entrySet()) {
                max = Math.max(max, m.keys().get(e.getKey()).line());
                max = Math.max(max, maxLine(e.getValue()));
            }
        } else if (n instanceof ListNode l) {
            for (Node item : l.items()) {
                max = Math.max(max, maxLine(item));
            }
        }
        return max;
    }

    private static String stem(String fileName) {
        String s = fileName;
        for (String ext : List.of(".yaml", ".yml")) {
            if (s.endsWith(ext)) {
                s = s.substring(0, s.length() - ext.length());
            }
        }
        return s;
    }

    private static String name(Node n, String field) throws Bad {
        String t = text(n, field);
        if (!NAME.matcher(t).matches()) {
            throw new Bad(n.line(), field, "'" + t + "' is not a name; expected letters, digits, '.', '_' or '-'");
        }
        return t;
    }

    private static Pattern regex(Node n, String field) throws Bad {
        String t = text(n, field);
        try {
            return Pattern.compile(t);
        } catch (PatternSyntaxException e) {
            throw new Bad(n.line(), field, "'" + t + "' is not a valid regular expression: " + YamlTree.firstLine(e.getDescription()));
        }
    }

    private static long positive(Node n, String field, long v) throws Bad {
        if (v <= 0) {
            throw new Bad(n.line(), field, "expected a value above zero");
        }
        return v;
    }

    private static long parse(Node n, String field, Function<String, Long> parser) throws Bad {
        String t = text(n, field);
        try {
            return parser.apply(t);
        } catch (IllegalArgumentException e) {
            throw new Bad(n.line(), field, e.getMessage());
        }
    }

    private static long number(Node n, String field) throws Bad {
        return parse(n, field, CampaignReader::numberText);
    }

    private static long address(Node n, String field) throws Bad {
        long v = number(n, field);
        if (v > 0xFFFF_FFFFL) {
            throw new Bad(n.line(), field, "'" + text(n, field) + "' is outside the 32-bit address space");
        }
        return v;
    }

    /** A non-negative integer: {@code 4096}, {@code 0x1000}, {@code 1_000}. */
    static long numberText(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace("_", "");
        try {
            long v = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a number; expected a whole number of 0 or more, decimal or hex like 0x1f");
        }
    }

    /** A duration of virtual time: {@link Quantities#durationNs}. */
    static long duration(String text) {
        return Quantities.durationNs(text);
    }

    /** A size in bytes: {@link Quantities#sizeBytes}. */
    static long size(String text) {
        return Quantities.sizeBytes(text);
    }

    private static void checkKeys(MapNode m, String prefix, List<String> allowed) throws Bad {
        for (String key : m.entries().keySet()) {
            if (!allowed.contains(key)) {
                throw new Bad(m.keyLine(key), prefix + key, "unknown field; expected " + oneOf(allowed));
            }
        }
    }

    private static String oneOf(List<String> names) {
        return names.size() == 1 ? names.get(0) : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static Node required(MapNode m, String key, String hint) throws Bad {
        Node n = m.get(key);
        if (n == null) {
            throw new Bad(m.line(), key, "missing; " + hint);
        }
        return n;
    }

    private static MapNode mapping(Node n, String field) throws Bad {
        if (n instanceof MapNode m) {
            return m;
        }
        throw new Bad(n.line(), field, "expected a mapping, like " + field + ": { ... }");
    }

    private static List<Node> list(Node n, String field) throws Bad {
        if (n instanceof ListNode l) {
            return l.items();
        }
        throw new Bad(n.line(), field, "expected a list (lines starting with '- ')");
    }

    private static String text(Node n, String field) throws Bad {
        if (n instanceof Scalar s && s.text() != null && !s.text().isBlank()) {
            return s.text().strip();
        }
        throw new Bad(n.line(), field, n instanceof Scalar ? "missing a value" : "expected a single value, not a " + (n instanceof MapNode ? "mapping" : "list"));
    }
}
