package brassboard.bus.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of one machine's fault points. Each layer declares its points when it is built;
 * a fault plan, once loaded, arms the points its rules name. With no plan, nothing is armed and
 * every point is a no-op.
 */
public final class FaultPoints {
    private final Map<String, FaultPoint> points = new LinkedHashMap<>();
    private final List<Runnable> armListeners = new ArrayList<>();

    /** Runs {@code listener} after every change of what is armed (hot paths cache "anything armed?"). */
    public void onArmingChanged(Runnable listener) {
        armListeners.add(listener);
    }

    /**
     * Declares a point. Names are unique per machine.
     *
     * @throws IllegalArgumentException if the name is already declared
     */
    public FaultPoint declare(String name, String description, String... actions) {
        if (points.containsKey(name)) {
            throw new IllegalArgumentException("fault point '" + name + "' is declared twice");
        }
        FaultPoint p = new FaultPoint(name, description, List.of(actions));
        points.put(name, p);
        return p;
    }

    /** The point with this exact name. */
    public Optional<FaultPoint> find(String name) {
        return Optional.ofNullable(points.get(name));
    }

    /** All points, in declaration order. */
    public Collection<FaultPoint> all() {
        return Collections.unmodifiableCollection(points.values());
    }

    /** Arms (or, with {@code null}, disarms) a point. */
    public void arm(FaultPoint point, FaultHandler handler) {
        if (points.get(point.name()) != point) {
            throw new IllegalArgumentException("fault point '" + point.name() + "' does not belong to this machine");
        }
        point.arm(handler);
        armListeners.forEach(Runnable::run);
    }

    /** Disarms every point. */
    public void disarmAll() {
        for (FaultPoint p : new ArrayList<>(points.values())) {
            p.arm(null);
        }
        armListeners.forEach(Runnable::run);
    }
}
