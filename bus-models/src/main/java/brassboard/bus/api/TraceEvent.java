package brassboard.bus.api;

/**
 * One thing that happened in a simulation, at a virtual time.
 *
 * @param timeNs virtual time in nanoseconds
 * @param source who emitted it: {@code cpu0}, {@code bus}, {@code uart0}, {@code irq}, {@code psci}, …
 * @param kind   a dotted event type: {@code bus.unmapped}, {@code irq.raise}, {@code cpu.exception}, …
 * @param detail free text, deterministic (no host addresses, no host time)
 */
public record TraceEvent(long timeNs, String source, String kind, String detail) {
    /** The event as one line of the text trace format. */
    public String toTextLine() {
        return String.format("%15d ns  %-8s %-20s %s", timeNs, source, kind, detail);
    }
}
