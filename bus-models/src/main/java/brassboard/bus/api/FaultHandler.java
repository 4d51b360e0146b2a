package brassboard.bus.api;

/** What a loaded fault plan does at an armed {@link FaultPoint}: inspects the site, maybe alters it. */
@FunctionalInterface
public interface FaultHandler {
    /** Called once per occurrence at an armed point. */
    void onOccurrence(FaultPoint point, FaultSite site);
}
