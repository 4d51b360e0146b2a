package brassboard.boards.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the structure of a Chrome/Perfetto trace JSON: a {@code traceEvents} array and
 * {@code displayTimeUnit}; per track (pid, tid): timestamps never go back, every E closes the
 * innermost open B of the same name, every B is closed; every track used is named.
 */
final class TraceChecker {
    private TraceChecker() {
    }

    /** What is wrong with {@code json}; empty when nothing is. */
    static List<String> problems(byte[] json) {
        List<String> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        if (root == null || !root.path("traceEvents").isArray()) {
            return List.of("no traceEvents array");
        }
        if (!"ns".equals(root.path("displayTimeUnit").asText())) {
            problems.add("displayTimeUnit is not \"ns\"");
        }
        Map<String, Deque<String>> open = new HashMap<>();
        Map<String, BigDecimal> last = new HashMap<>();
        Set<String> named = new HashSet<>();
        Set<String> used = new HashSet<>();
        int i = 0;
        for (JsonNode e : root.get("traceEvents")) {
            String ph = e.path("ph").asText();
            String track = e.path("pid").asText() + "/" + e.path("tid").asText();
            String name = e.path("name").asText();
            if (ph.equals("M")) {
                if (name.equals("thread_name")) {
                    named.add(track);
                }
                i++;
                continue;
            }
            used.add(track);
            if (!e.path("ts").isNumber()) {
                problems.add("event " + i + " (" + name + "): no numeric ts");
                i++;
                continue;
            }
            BigDecimal ts = e.get("ts").decimalValue();
            BigDecimal before = last.get(track);
            if (before != null && ts.compareTo(before) < 0) {
                problems.add("event " + i + " (" + name + ") on track " + track + ": ts " + ts + " goes back from " + before);
            }
            last.put(track, ts);
            Deque<String> stack = open.computeIfAbsent(track, k -> new ArrayDeque<>());
            switch (ph) {
                case "B" -> stack.push(name);
                case "E" -> {
                    if (stack.isEmpty()) {
                        problems.add("event " + i + ": E of '" + name + "' on track " + track + " with nothing open");
                    } else if (!stack.peek().equals(name)) {
                        problems.add("event " + i + ": E of '" + name + "' on track " + track + " but '" + stack.peek()
                                + "' is the innermost open slice");
                        stack.pop();
                    } else {
                        stack.pop();
                    }
                }
                case "i", "I" -> {
                }
                default -> problems.add("event " + i + ": unexpected phase '" + ph + "'");
            }
            i++;
        }
        open.forEach((track, stack) -> {
            if (!stack.isEmpty()) {
                problems.add("track " + track + ": never closed: " + stack);
            }
        });
        for (String track : used) {
            if (!named.contains(track)) {
                problems.add("track " + track + " has no thread_name");
            }
        }
        return problems;
    }
}
