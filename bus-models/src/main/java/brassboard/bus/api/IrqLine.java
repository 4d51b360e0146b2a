package brassboard.bus.api;

import java.util.ArrayList;
import java.util.List;

/**
 * An interrupt output: a named wire with a level, owned by the device that drives it and
 * connected explicitly to one or more sinks by the board.
 *
 * <p>Changes are traced ({@code irq.raise}/{@code irq.lower}/{@code irq.pulse}). Setting the level
 * it already has does nothing, so devices may recompute and set their output freely.
 */
public final class IrqLine {
    private final String name;
    private final Tracer tracer;
    private final List<IrqSink> sinks = new ArrayList<>(1);
    private boolean level;

    /** A line named {@code name} (e.g. {@code uart0}) that reports its changes to {@code tracer}. */
    public IrqLine(String name, Tracer tracer) {
        this.name = name;
        this.tracer = tracer;
    }

    /** The line's name, used in traces and in fault points ({@code irq.<name>}). */
    public String name() {
        return name;
    }

    /** The current level. */
    public boolean level() {
        return level;
    }

    /** Connects a sink; it is told the current level at once if the line is high. */
    public void connect(IrqSink sink) {
        sinks.add(sink);
        if (level) {
            sink.levelChanged(this, true);
        }
    }

    /** Drives the line to {@code newLevel}. */
    public void set(boolean newLevel) {
        if (newLevel == level) {
            return;
        }
        level = newLevel;
        if (tracer.enabled()) {
            tracer.emit("irq", newLevel ? "irq.raise" : "irq.lower", name);
        }
        for (int i = 0; i < sinks.size(); i++) {
            sinks.get(i).levelChanged(this, newLevel);
        }
    }

    /** Drives the line high. */
    public void raise() {
        set(true);
    }

    /** Drives the line low. */
    public void lower() {
        set(false);
    }

    /** Emits a single edge for edge-triggered inputs; the level stays as it is. */
    public void pulse() {
        if (tracer.enabled()) {
            tracer.emit("irq", "irq.pulse", name);
        }
        for (int i = 0; i < sinks.size(); i++) {
            sinks.get(i).pulsed(this);
        }
    }

    @Override
    public String toString() {
        return "IrqLine[" + name + "=" + (level ? 1 : 0) + "]";
    }
}
