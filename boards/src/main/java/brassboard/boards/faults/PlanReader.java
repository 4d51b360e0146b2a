package brassboard.boards.faults;

import brassboard.boards.yaml.YamlTree.ListNode;
import brassboard.boards.yaml.YamlTree.MapNode;
import brassboard.boards.yaml.YamlTree.Node;
import brassboard.boards.yaml.YamlTree.Scalar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a plan's YAML tree into {@link Rule}s, with one-line errors naming the source, rule, line and field. */
final class PlanReader {
    private static final List<String> RULE_KEYS = List.of("point", "match", "when", "action", "times");
    private static final List<String> MATCH_KEYS = List.of("address", "size", "master", "data", "kind", "lba", "opcode", "endpoint");
    private static final List<String> WHEN_KEYS = List.of("after", "before", "nth", "every", "probability", "insn");
    private static final List<String> DATA_KEYS = List.of("value", "mask");

    private final String source;
    private int index;

    private PlanReader(String source) {
        this.source = source;
    }

    /** The rules of a parsed plan document. */
    static List<Rule> read(Node root, String source) throws FaultPlanException {
        return new PlanReader(source).rules(root);
    }

    /** A problem with the field of the rule being read; {@code line} is where the field is. */
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

    private List<Rule> rules(Node root) throws FaultPlanException {
        if (!(root instanceof MapNode top)) {
            throw new FaultPlanException(source + ": line " + root.line() + ": expected a mapping with 'rules:' at the top of the plan");
        }
        for (String key : top.entries().keySet()) {
            if (!key.equals("rules")) {
                throw new FaultPlanException(source + ": line " + top.keyLine(key) + ": unknown top-level key '" + key + "'; a plan has only 'rules:'");
            }
        }
        Node list = top.entries().get("rules");
        if (list == null) {
            throw new FaultPlanException(source + ": line " + top.line() + ": the plan has no 'rules:' list");
        }
        if (list instanceof Scalar s && s.text() == null) {
            return List.of();
        }
        if (!(list instanceof ListNode items)) {
            throw new FaultPlanException(source + ": line " + list.line() + ": rules: expected a list of rules (lines starting with '- ')");
        }
        List<Rule> rules = new ArrayList<>();
        for (Node item : items.items()) {
            index++;
            try {
                rules.add(rule(item));
            } catch (Bad b) {
                throw new FaultPlanException(FaultPlan.where(source, index, b.line) + b.field + ": " + b.getMessage());
            }
        }
        return rules;
    }

    private Rule rule(Node node) throws Bad {
        if (!(node instanceof MapNode m)) {
            throw new Bad(node.line(), "rule", "expected a mapping with point, action and optionally match, when, times");
        }
        checkKeys(m, "", RULE_KEYS);
        Node pointNode = required(m, "point", "every rule names a fault point, like bus.read");
        Rule r;
        try {
            r = Rule.at(text(pointNode, "point"));
        } catch (IllegalArgumentException e) {
            throw new Bad(pointNode.line(), "point", e.getMessage());
        }
        r.line = m.line();
        r.fieldLines.put("point", pointNode.line());
        Node match = m.entries().get("match");
        if (match != null) {
            match(r, mapping(match, "match"));
        }
        Node when = m.entries().get("when");
        if (when != null) {
            when(r, mapping(when, "when"));
        }
        Node actionNode = required(m, "action", "every rule needs an action, like 'action: error' or 'action: { type: flip, mask: 0x1 }'");
        r.action(action(actionNode));
        r.fieldLines.put("action", actionNode.line());
        Node times = m.entries().get("times");
        if (times != null) {
            String t = text(times, "times");
            r.fieldLines.put("times", times.line());
            try {
                switch (t) {
                    case "once" -> r.once();
                    case "sticky" -> r.sticky();
                    default -> r.times(count(t));
                }
            } catch (IllegalArgumentException e) {
                throw new Bad(times.line(), "times", "'" + t + "' is not once, sticky or a count of 1 or more");
            }
        }
        String[] bad = r.inconsistency();
        if (bad != null) {
            throw new Bad(r.fieldLines.getOrDefault(bad[0], r.line), bad[0], bad[1]);
        }
        return r;
    }

    private void match(Rule r, MapNode m) throws Bad {
        checkKeys(m, "match.", MATCH_KEYS);
        for (Map.Entry<String, Node> e : m.entries().entrySet()) {
            String field = "match." + e.getKey();
            Node v = e.getValue();
            r.fieldLines.put(field, v.line());
            try {
                switch (e.getKey()) {
                    case "address" -> {
                        long[] range = Values.addressRange(text(v, field));
                        r.address(range[0], range[1]);
                    }
                    case "size" -> {
                        String t = text(v, field);
                        long n = Values.number(t);
                        if (n != 1 && n != 2 && n != 4 && n != 8) {
                            throw new IllegalArgumentException(t + " is not an access size; expected 1, 2, 4 or 8");
                        }
                        r.size((int) n);
                    }
                    case "master" -> r.master(text(v, field));
                    case "kind" -> r.kind(text(v, field));
                    case "lba" -> {
                        long[] range = Values.lbaRange(text(v, field));
                        r.lba(range[0], range[1]);
                    }
                    case "endpoint" -> {
                        int[] range = Values.endpointRange(text(v, field));
                        r.endpoint(range[0], range[1]);
                    }
                    case "opcode" -> {
                        List<String> names = new ArrayList<>();
                        if (v instanceof ListNode l) {
                            for (Node item : l.items()) {
                                names.add(text(item, field));
                            }
                        } else {
                            for (String part : text(v, field).split(",")) {
                                names.add(part);
                            }
                        }
                        int[] codes = new int[names.size()];
                        for (int i = 0; i < codes.length; i++) {
                            codes[i] = Values.opcode(names.get(i));
                        }
                        r.opcode(codes);
                    }
                    case "data" -> {
                        MapNode d = mapping(v, field);
                        checkKeys(d, "match.data.", DATA_KEYS);
                        Node value = required(d, "value", "match.data needs the value to compare with");
                        Node mask = d.entries().get("mask");
                        long val = number(value, "match.data.value");
                        long msk = mask == null ? -1L : number(mask, "match.data.mask");
                        r.data(val, msk);
                    }
                    default -> throw new IllegalStateException(e.getKey());
                }
            } catch (IllegalArgumentException x) {
                throw new Bad(v.line(), field, x.getMessage());
            }
        }
    }

    private void when(Rule r, MapNode m) throws Bad {
        checkKeys(m, "when.", WHEN_KEYS);
        for (Map.Entry<String, Node> e : m.entries().entrySet()) {
            String field = "when." + e.getKey();
            Node v = e.getValue();
            r.fieldLines.put(field, v.line());
            String t = text(v, field);
            try {
                switch (e.getKey()) {
                    case "after" -> r.after(Values.duration(t));
                    case "before" -> r.before(Values.duration(t));
                    case "nth" -> r.nth(count(t));
                    case "every" -> r.every(count(t));
                    case "insn" -> r.atInstruction(Values.number(t));
                    case "probability" -> {
                        double p;
                        try {
                            p = Double.parseDouble(t);
                        } catch (NumberFormatException x) {
                            throw new IllegalArgumentException("'" + t + "' is not a number; expected a probability in [0, 1]");
                        }
                        if (!(p >= 0 && p <= 1)) {
                            throw new IllegalArgumentException(t + " is outside [0, 1]");
                        }
                        r.probability(p);
                    }
                    default -> throw new IllegalStateException(e.getKey());
                }
            } catch (IllegalArgumentException x) {
                throw new Bad(v.line(), field, x.getMessage());
            }
        }
    }

    private Action action(Node node) throws Bad {
        String name;
        Map<String, Number> params = new LinkedHashMap<>();
        if (node instanceof MapNode m) {
            Node type = required(m, "type", "an action mapping names its action with 'type:', like { type: flip, mask: 0x1 }");
            name = text(type, "action.type");
            if (!Action.SPECS.containsKey(name)) {
                throw new Bad(type.line(), "action.type", unknownAction(name));
            }
            List<String> expected = Action.SPECS.get(name).all();
            for (Map.Entry<String, Node> e : m.entries().entrySet()) {
                String p = e.getKey();
                if (p.equals("type")) {
                    continue;
                }
                String field = "action." + p;
                if (!expected.contains(p)) {
                    throw new Bad(m.keyLine(p), field, Action.problem(name, List.of(p)));
                }
                Node v = e.getValue();
                String t = text(v, field);
                try {
                    Number n = parameter(p, t);
                    String bad = Action.badValue(name, p, n);
                    if (bad != null) {
                        throw new IllegalArgumentException(bad);
                    }
                    params.put(p, n);
                } catch (IllegalArgumentException x) {
                    throw new Bad(v.line(), field, x.getMessage());
                }
            }
        } else {
            name = text(node, "action");
            if (!Action.SPECS.containsKey(name)) {
                throw new Bad(node.line(), "action", unknownAction(name));
            }
        }
        String problem = Action.problem(name, params.keySet());
        if (problem != null) {
            Action.Spec spec = Action.SPECS.get(name);
            String example = spec.required().isEmpty() && spec.oneOf().isEmpty() ? null
                    : spec.required().isEmpty() ? spec.oneOf().get(0) : spec.required().get(0);
            throw new Bad(node.line(), "action", problem
                    + (node instanceof Scalar && example != null ? ", like { type: " + name + ", " + example + ": " + exampleValue(example) + " }" : ""));
        }
        return Action.of(name, params);
    }

    private static String exampleValue(String param) {
        return switch (param) {
            case "ns", "duration" -> "10us";
            case "period" -> "20us";
            case "factor" -> "0.5";
            case "retry", "return-after" -> "1s";
            case "count" -> "100";
            case "bit" -> "0";
            default -> "0x1";
        };
    }

    /** A parameter's value: durations, the drift factor, a register name, or a number. */
    private static Number parameter(String p, String t) {
        if (Action.DURATIONS.contains(p)) {
            return nanoseconds(t);
        }
        if (p.equals("factor")) {
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException("'" + t + "' is not a number; expected a rate factor like 0.5 or 1.01");
            }
        }
        if (p.equals("reg")) {
            return (long) Values.register(t);
        }
        return Values.number(t);
    }

    private static String unknownAction(String name) {
        return "'" + name + "' is not a fault action; known actions: " + String.join(", ", Action.SPECS.keySet());
    }

    /** A delay: a bare number of nanoseconds or a duration like {@code 10us}. */
    private static long nanoseconds(String t) {
        if (t.strip().matches("\\d[\\d_]*")) {
            return Values.number(t);
        }
        return Values.duration(t);
    }

    private static long count(String t) {
        long n;
        try {
            n = Long.parseLong(t.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' is not a whole number of 1 or more");
        }
        if (n < 1) {
            throw new IllegalArgumentException(t + " is not a whole number of 1 or more");
        }
        return n;
    }

    private static long number(Node v, String field) throws Bad {
        try {
            return Values.number(text(v, field));
        } catch (IllegalArgumentException x) {
            throw new Bad(v.line(), field, x.getMessage());
        }
    }

    private static void checkKeys(MapNode m, String prefix, List<String> allowed) throws Bad {
        for (String key : m.entries().keySet()) {
            if (!allowed.contains(key)) {
                throw new Bad(m.keyLine(key), prefix + key, "unknown field; expected " + oneOf(allowed));
            }
        }
    }

    private static String oneOf(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static Node required(MapNode m, String key, String hint) throws Bad {
        Node n = m.entries().get(key);
        if (n == null) {
            String prefix = Set.of("type").contains(key) ? "action." : Set.of("value").contains(key) ? "match.data." : "";
            throw new Bad(m.line(), prefix + key, "missing; " + hint);
        }
        return n;
    }

    private static MapNode mapping(Node n, String field) throws Bad {
        if (n instanceof MapNode m) {
            return m;
        }
        throw new Bad(n.line(), field, "expected a mapping, like " + field + ": { ... }");
    }

    private static String text(Node n, String field) throws Bad {
        if (n instanceof Scalar s && s.text() != null && !s.text().isBlank()) {
            return s.text().strip();
        }
        throw new Bad(n.line(), field, n instanceof Scalar ? "missing a value" : "expected a single value, not a " + (n instanceof MapNode ? "mapping" : "list"));
    }
}
