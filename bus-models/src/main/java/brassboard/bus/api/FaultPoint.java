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
    private FaultHandler performer;
    private List<String> filters = List.of();
    private List<String> kinds = List.of();

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

    /**
     * The owner's side of faults the plan injects at a time of its choosing rather than on an
     * occurrence (a RAM upset, a forced IRQ level, a flipped register): {@code performer} carries out
     * the primitive named by {@link FaultSite#action} on the site's fields. Set once, by the owner.
     */
    public FaultPoint performer(FaultHandler p) {
        this.performer = p;
        return this;
    }

    /** Whether the owner can carry out injected primitives ({@link #performer}). */
    public boolean performs() {
        return performer != null;
    }

    /**
     * Asks the owner to carry out {@code site.action} now; the owner sets {@link FaultSite#previous}
     * and {@link FaultSite#value}, or {@link FaultSite#error} when it cannot.
     *
     * @throws IllegalStateException if the point has no performer
     */
    public void perform(FaultSite site) {
        if (performer == null) {
            throw new IllegalStateException("fault point " + name + " performs no injected faults");
        }
        performer.onOccurrence(this, site);
    }

    /** Declares which {@code match:} filters make sense here ({@code address}, {@code size}, {@code master}, {@code data}, {@code kind}). */
    public FaultPoint filters(String... names) {
        this.filters = List.of(names);
        return this;
    }

    /** The {@code match:} filters this point's occurrences carry. */
    public List<String> filters() {
        return filters;
    }

    /** Declares the values of {@link FaultSite#kind} this point's occurrences carry (for the {@code kind} filter). */
    public FaultPoint kinds(String... names) {
        this.kinds = List.of(names);
        return this;
    }

    /** The occurrence kinds a {@code match: { kind: ... }} filter may name here. */
    public List<String> kinds() {
        return kinds;
    }

    void arm(FaultHandler newHandler) {
        this.handler = newHandler;
    }
}
