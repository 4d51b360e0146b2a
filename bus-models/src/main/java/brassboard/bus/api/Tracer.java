package brassboard.bus.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The trace event hub of one machine: components emit typed events; sinks receive them
 * stamped with the machine's virtual time.
 *
 * <p>Emitting is cheap when nobody listens: guard expensive detail strings with {@link #enabled()}.
 * Warnings ({@link #warn}) also go to the warning listener (the CLI prints them on stderr),
 * whether or not a trace sink is attached.
 */
public final class Tracer {
    private final Scheduler clock;
    private final List<TraceSink> sinks = new ArrayList<>();
    private final Set<String> warnedOnce = new HashSet<>();
    private Consumer<String> warningListener = w -> { };
    private boolean enabled;

    /** A tracer that stamps events with {@code clock}'s virtual time. */
    public Tracer(Scheduler clock) {
        this.clock = clock;
    }

    /** A tracer with no sinks, for tests and tools that do not trace. */
    public static Tracer none() {
        return new Tracer(new Scheduler());
    }

    /** Whether any sink listens. */
    public boolean enabled() {
        return enabled;
    }

    /** Adds a sink. */
    public void addSink(TraceSink sink) {
        sinks.add(sink);
        enabled = true;
    }

    /** Where warnings go besides the trace (the CLI prints them to stderr). */
    public void setWarningListener(Consumer<String> listener) {
        this.warningListener = listener;
    }

    /** Emits an event at the current virtual time. */
    public void emit(String source, String kind, String detail) {
        if (!enabled) {
            return;
        }
        TraceEvent e = new TraceEvent(clock.now(), source, kind, detail);
        for (int i = 0; i < sinks.size(); i++) {
            sinks.get(i).accept(e);
        }
    }

    /** A warning: traced as {@code warn} and passed to the warning listener. */
    public void warn(String source, String message) {
        emit(source, "warn", message);
        warningListener.accept(source + ": " + message);
    }

    /** A warning given only the first time {@code key} is seen on this machine. */
    public void warnOnce(String key, String source, String message) {
        if (warnedOnce.add(key)) {
            warn(source, message);
        }
    }

    /** Closes every sink. */
    public void close() {
        for (TraceSink s : sinks) {
            s.close();
        }
    }
}
