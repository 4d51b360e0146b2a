package brassboard.bus.api;

import java.util.List;

/**
 * A named place where hardware can misbehave on purpose ({@code bus.read}, {@code irq.uart0}, …).
 *
 * <p>Layers declare their points (with the actions that make sense there) through
 * {@link FaultPoints#declare}. A point costs one field read when no plan is loaded: call sites
 * test {@link #armed()} before building a {@link FaultSite}.
 */
public final class FaultPoint {
    private final String name;
    private final String description;
    private final List<String> actions;
    private FaultHandler handler;

    FaultPoint(String name, String description, List<String> actions) {
        this.name = name;
        this.description = description;
        this.actions = List.copyOf(actions);
    }

    /** The point's name, as fault plans refer to it. */
    public String name() {
        return name;
    }

    /** One sentence saying what happens here. */
    public String description() {
        return description;
    }

    /** The actions a plan may ask for at this point. */
    public List<String> actions() {
        return actions;
    }

    /** Whether a fault plan has a rule for this point. */
    public boolean armed() {
        return handler != null;
    }

    /**
     * Offers an occurrence to the plan's handler, which may alter the site (value, error, drop,
     * delay). A no-op when not armed.
     */
    public void fire(FaultSite site) {
        FaultHandler h = handler;
        if (h != null) {
            h.onOccurrence(this, site);
        }
    }

    void arm(FaultHandler newHandler) {
        this.handler = newHandler;
    }
}
