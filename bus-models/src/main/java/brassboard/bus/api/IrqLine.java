package brassboard.bus.api;

import java.util.ArrayList;
import java.util.List;

/**
 * An interrupt output: a named wire with a level, owned by the device that drives it and
 * connected explicitly to one or more sinks by the board.
 *
 * <p>Changes are traced ({@code irq.raise}/{@code irq.lower}/{@code irq.pulse}). Setting the level
 * it already has does nothing, so devices may recompute and set their output freely.
 *
 * <h2>Fault point</h2>
 * {@link #declareFaultPoint} declares {@code irq.<name>}. While a plan arms it, the wire can differ
 * from what the device drives: an assertion (a rise or a pulse) is offered to the plan, which may
 * drop it (the wire stays low until the device lowers and raises again) or delay it (the wire
 * follows the device's level when the delay is over: an assertion the device withdrew meanwhile is
 * lost); and the plan may force the wire high or low, pulse it, or release it (the wire follows the
 * device again). With nothing armed the cost is one field test per change.
 */
public final class IrqLine {
    private static final String ASSERT = "assert";

    private final String name;
    private final Tracer tracer;
    private final List<IrqSink> sinks = new ArrayList<>(1);
    /** What the wire carries, as the sinks see it. */
    private boolean level;
    /** What the device drives; equal to {@link #level} unless a fault plan intervenes. */
    private boolean driven;
    /** A forced level: +1 high, -1 low, 0 none. */
    private int forced;
    private FaultPoint point;
    /** Cached {@code point.armed() || forced != 0}: the only test on the fault-free path. */
    private boolean faulty;
    private final FaultSite site = new FaultSite();
    private final Runnable deliver = this::follow;

    /** A line named {@code name} (e.g. {@code uart0}) that reports its changes to {@code tracer}. */
    public IrqLine(String name, Tracer tracer) {
        this.name = name;
        this.tracer = tracer;
    }

    /** The line's name, used in traces and in fault points ({@code irq.<name>}). */
    public String name() {
        return name;
    }

    /** The current level of the wire. */
    public boolean level() {
        return level;
    }

    /**
     * Declares this line's fault point {@code irq.<name>} in {@code faults} (the board does, for the
     * lines it wires), with the actions drop, delay, spurious, storm, stuck-high and stuck-low.
     * Primitives it performs: {@code force-high}, {@code force-low}, {@code release}, {@code pulse}.
     */
    public FaultPoint declareFaultPoint(FaultPoints faults) {
        if (point != null) {
            throw new IllegalStateException("irq." + name + " is already declared");
        }
        point = faults.declare("irq." + name, "interrupt line " + name + ": assertions, and its level",
                "drop", "delay", "spurious", "storm", "stuck-high", "stuck-low");
        point.performer((p, s) -> perform(s));
        faults.onArmingChanged(() -> faulty = point.armed() || forced != 0);
        return point;
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
        if (faulty) {
            faultySet(newLevel);
            return;
        }
        driven = newLevel;
        wire(newLevel);
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
        if (faulty) {
            if (forced != 0 || offered() != 0) {
                return; // a forced wire shows no edge; a dropped or delayed pulse is gone
            }
        }
        edge();
    }

    private void wire(boolean newLevel) {
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

    private void edge() {
        if (tracer.enabled()) {
            tracer.emit("irq", "irq.pulse", name);
        }
        for (int i = 0; i < sinks.size(); i++) {
            sinks.get(i).pulsed(this);
        }
    }

    private void faultySet(boolean newLevel) {
        boolean rise = newLevel && !driven;
        driven = newLevel;
        if (forced != 0) {
            return;
        }
        if (rise && offered() != 0) {
            return;
        }
        wire(newLevel);
    }

    /** Offers an assertion to the plan: 0 = let it through, 1 = dropped, 2 = held back (delivered later). */
    private int offered() {
        if (point == null || !point.armed()) {
            return 0;
        }
        site.access(-1, 0, -1, false, 1).kind(ASSERT);
        site.later = deliver;
        point.fire(site);
        return site.dropped ? 1 : site.delayNs > 0 ? 2 : 0;
    }

    /** The wire follows the device again (a delayed assertion arrives, if the device still asserts). */
    private void follow() {
        if (forced == 0) {
            wire(driven);
        }
    }

    private void perform(FaultSite s) {
        s.previous = level ? 1 : 0;
        switch (s.action) {
            case "force-high" -> forced = 1;
            case "force-low" -> forced = -1;
            case "release" -> forced = 0;
            case "pulse" -> {
                if (forced == 0 && !level) {
                    edge();
                }
            }
            case "check" -> {
                return;
            }
            default -> throw new IllegalArgumentException("irq." + name + " cannot " + s.action);
        }
        faulty = point.armed() || forced != 0;
        if (forced != 0) {
            wire(forced > 0);
        } else {
            wire(driven);
        }
        s.value = level ? 1 : 0;
    }

    @Override
    public String toString() {
        return "IrqLine[" + name + "=" + (level ? 1 : 0) + "]";
    }
}
