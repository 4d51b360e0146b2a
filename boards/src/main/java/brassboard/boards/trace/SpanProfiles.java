package brassboard.boards.trace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Built-in lists of functions to trace as spans ({@code --profile}). */
public final class SpanProfiles {
    private static final Map<String, List<String>> PROFILES = new LinkedHashMap<>();

    static {
        PROFILES.put("irqkit", List.of("gic_handle_irq", "irq_enter", "irq_exit", "__do_softirq", "tasklet_action",
                "process_one_work", "schedule", "run_timer_softirq", "ksoftirqd_run"));
        // Since Linux 6.10 (and in 6.1.y from 6.1.9x: Debian's armmp kernel) __do_softirq is a wrapper of
        // handle_softirqs(false), and ksoftirqd calls handle_softirqs(true) directly: trace both.
        PROFILES.put("linux", List.of("handle_irq_event", "gic_handle_irq", "irq_enter", "irq_exit", "__do_softirq",
                "handle_softirqs", "tasklet_action", "tasklet_hi_action", "process_one_work", "run_timer_softirq", "hrtimer_interrupt",
                "__schedule", "schedule"));
    }

    /** Each profile's scheduler entry points: passing through one resets the soft-lockup clock. */
    private static final Map<String, List<String>> SCHEDULERS = Map.of(
            "irqkit", List.of("schedule"),
            "linux", List.of("__schedule"));

    /** The scheduler functions of profile {@code name} (empty for an unknown one). */
    public static List<String> schedulers(String name) {
        return SCHEDULERS.getOrDefault(name, List.of());
    }

    /** Functions whose span start counts as a bottom half running, for the report's deferral latency. */
    public static final List<String> BOTTOM_HALVES = List.of("__do_softirq", "handle_softirqs", "tasklet_action", "process_one_work");

    private SpanProfiles() {
    }

    /** The function names of profile {@code name}. */
    public static Optional<List<String>> names(String name) {
        return Optional.ofNullable(PROFILES.get(name));
    }

    /** The known profiles' names. */
    public static List<String> known() {
        return List.copyOf(PROFILES.keySet());
    }
}
