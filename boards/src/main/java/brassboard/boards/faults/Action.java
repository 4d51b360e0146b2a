package brassboard.boards.faults;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a rule does when it fires: an action name and its parameters. Which actions a point
 * accepts is the point's to say ({@link brassboard.bus.api.FaultPoint#actions()}); this class
 * knows every action's parameters:
 *
 * <ul>
 *   <li>{@code error}: the access ends in a bus error (the CPU takes a precise external abort);</li>
 *   <li>{@code flip}, {@code set}, {@code clear} ({@code mask}): invert, set or clear the data bits under the mask;</li>
 *   <li>{@code replace} ({@code value}): the data becomes the value;</li>
 *   <li>{@code delay} ({@code ns}): the access costs that much more virtual time;</li>
 *   <li>{@code drop}: the occurrence is lost (a write that never lands).</li>
 * </ul>
 */
public final class Action {
    /** Every action this engine can perform, with its parameters, in documentation order. */
    static final Map<String, List<String>> PARAMETERS;

    static {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("error", List.of());
        m.put("flip", List.of("mask"));
        m.put("set", List.of("mask"));
        m.put("clear", List.of("mask"));
        m.put("replace", List.of("value"));
        m.put("delay", List.of("ns"));
        m.put("drop", List.of());
        PARAMETERS = Collections.unmodifiableMap(m);
    }

    private final String name;
    private final Map<String, Long> params;

    private Action(String name, Map<String, Long> params) {
        this.name = name;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * An action by name with exactly its parameters.
     *
     * @throws IllegalArgumentException for an unknown action or a missing or extra parameter
     */
    public static Action of(String name, Map<String, Long> params) {
        List<String> expected = PARAMETERS.get(name);
        if (expected == null) {
            throw new IllegalArgumentException("'" + name + "' is not a fault action; known actions: " + String.join(", ", PARAMETERS.keySet()));
        }
        for (String p : expected) {
            if (!params.containsKey(p)) {
                throw new IllegalArgumentException("action " + name + " needs parameter '" + p + "'");
            }
        }
        for (String p : params.keySet()) {
            if (!expected.contains(p)) {
                throw new IllegalArgumentException("action " + name + " has no parameter '" + p + "'"
                        + (expected.isEmpty() ? " (it takes none)" : "; its parameters: " + String.join(", ", expected)));
            }
        }
        return new Action(name, params);
    }

    /** The access ends in a bus error. */
    public static Action error() {
        return of("error", Map.of());
    }

    /** Inverts the data bits under {@code mask}. */
    public static Action flip(long mask) {
        return of("flip", Map.of("mask", mask));
    }

    /** Sets the data bits under {@code mask}. */
    public static Action set(long mask) {
        return of("set", Map.of("mask", mask));
    }

    /** Clears the data bits under {@code mask}. */
    public static Action clear(long mask) {
        return of("clear", Map.of("mask", mask));
    }

    /** The data becomes {@code value}. */
    public static Action replace(long value) {
        return of("replace", Map.of("value", value));
    }

    /** The occurrence costs {@code ns} more nanoseconds of virtual time. */
    public static Action delay(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("a delay cannot be negative: " + ns);
        }
        return of("delay", Map.of("ns", ns));
    }

    /** The occurrence is lost (a write that never lands). */
    public static Action drop() {
        return of("drop", Map.of());
    }

    public String name() {
        return name;
    }

    /** The parameters, by name. */
    public Map<String, Long> params() {
        return params;
    }

    long param(String p) {
        return params.get(p);
    }

    /** {@code flip mask=0x1}, {@code delay ns=500}, {@code error}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name);
        params.forEach((k, v) -> b.append(' ').append(k).append('=').append(k.equals("ns") ? Long.toString(v) : Values.hex(v)));
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Action a && a.name.equals(name) && a.params.equals(params);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, params);
    }
}
