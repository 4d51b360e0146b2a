package brassboard.boards.faults;

import brassboard.boards.api.Machine;
import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultSite;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * A fault plan applied to one machine: the rule engine behind the armed points, and the record
 * of every fault it injected. {@link #report()} is the end-of-run summary.
 *
 * <p>Each armed point has a handler that, on every occurrence, evaluates the point's rules in
 * plan order. For each rule not yet spent ({@code times}): the occurrence must pass its filters
 * and time window, which counts it as a matching occurrence of that rule; the count must select
 * it ({@code nth}, {@code every}); then, if the rule has a probability below 1, one draw from
 * the plan's generator decides. A rule that fires alters the occurrence, is traced as
 * {@code fault.inject} and recorded. Once a rule has made the access fail ({@code error}) or
 * vanish ({@code drop}), later rules do not see it.
 */
public final class FaultSession {
    /** Mixed into the run's seed to seed the plan's generator (so other users of the seed draw differently). */
    static final long SEED_SALT = 0x6661_756c_7450_6c6eL; // "faultPln"
    /** Injections kept per rule for {@link #injections()}; further ones are only counted. */
    public static final int KEEP_PER_RULE = 10_000;
    /** Injections listed per rule in {@link #report()}. */
    static final int REPORT_PER_RULE = 20;
    /** Points this engine can drive: the system bus. */
    private static final List<String> DRIVABLE = List.of("bus.read", "bus.write");

    /** A rule's counters. */
    private static final class RuleState {
        final Rule rule;
        final int index;
        long matched;
        long fired;
        final List<Injection> kept = new ArrayList<>();

        RuleState(Rule rule, int index) {
            this.rule = rule;
            this.index = index;
        }

        boolean spent() {
            return rule.times() != Rule.STICKY && fired >= rule.times();
        }
    }

    private final FaultPlan plan;
    private final Machine machine;
    private final Scheduler clock;
    private final Tracer tracer;
    private final SplittableRandom random;
    private final List<RuleState> states = new ArrayList<>();
    private final Map<FaultPoint, RuleState[]> armed = new LinkedHashMap<>();

    FaultSession(FaultPlan plan, Machine machine) throws FaultPlanException {
        this.plan = plan;
        this.machine = machine;
        this.clock = machine.scheduler();
        this.tracer = machine.tracer();
        this.random = new SplittableRandom(machine.config().seed() ^ SEED_SALT);
        List<Rule> rules = plan.rules();
        Map<FaultPoint, List<RuleState>> byPoint = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            RuleState s = new RuleState(r, i + 1);
            states.add(s);
            List<FaultPoint> points = machine.faults().all().stream().filter(p -> r.pointMatches(p.name())).toList();
            if (points.isEmpty()) {
                throw bad(r, i + 1, "point", "'" + r.point() + "' matches no fault point of this machine; its points: "
                        + machine.faults().all().stream().map(FaultPoint::name).collect(Collectors.joining(", ")));
            }
            for (FaultPoint p : points) {
                if (!DRIVABLE.contains(p.name())) {
                    throw bad(r, i + 1, "point", "'" + r.point() + "' matches " + p.name()
                            + ", where this version cannot inject faults yet (only at " + String.join(" and ", DRIVABLE) + ")");
                }
                if (!p.actions().contains(r.action().name())) {
                    throw bad(r, i + 1, "action", r.action().name() + " is not an action of " + p.name()
                            + "; its actions: " + String.join(", ", p.actions()));
                }
                byPoint.computeIfAbsent(p, k -> new ArrayList<>()).add(s);
            }
        }
        for (FaultPoint p : byPoint.keySet()) {
            if (p.armed()) {
                throw new IllegalStateException("fault point " + p.name() + " is already armed: a fault plan is already applied to this machine");
            }
        }
        for (Map.Entry<FaultPoint, List<RuleState>> e : byPoint.entrySet()) {
            RuleState[] list = e.getValue().toArray(new RuleState[0]);
            armed.put(e.getKey(), list);
            machine.faults().arm(e.getKey(), (point, site) -> occurrence(point, site, list));
        }
    }

    private FaultPlanException bad(Rule r, int index, String field, String message) {
        int line = r.fieldLines.getOrDefault(field, r.line);
        return new FaultPlanException(FaultPlan.where(plan.source(), index, line) + field + ": " + message);
    }

    private void occurrence(FaultPoint point, FaultSite site, RuleState[] rules) {
        long now = clock.now();
        for (RuleState s : rules) {
            if (site.error || site.dropped) {
                return;
            }
            Rule r = s.rule;
            if (s.spent() || !r.inWindow(now) || !r.matchesAccess(site.address, site.size, site.master, site.value)) {
                continue;
            }
            s.matched++;
            if (!r.countSelects(s.matched)) {
                continue;
            }
            double p = r.probability();
            if (p < 1.0 && !(random.nextDouble() < p)) {
                continue;
            }
            inject(point, site, s, now);
        }
    }

    private void inject(FaultPoint point, FaultSite site, RuleState s, long now) {
        Action a = s.rule.action();
        long old = site.value;
        long width = site.size <= 0 || site.size >= 8 ? -1L : (1L << (site.size * 8)) - 1;
        switch (a.name()) {
            case "error" -> site.error = true;
            case "drop" -> site.dropped = true;
            case "delay" -> site.delayNs += a.param("ns");
            case "flip" -> site.value = (old ^ a.param("mask")) & width;
            case "set" -> site.value = (old | a.param("mask")) & width;
            case "clear" -> site.value = old & ~a.param("mask") & width;
            case "replace" -> site.value = a.param("value") & width;
            default -> throw new IllegalStateException("no engine for action " + a.name());
        }
        s.fired++;
        Injection inj = new Injection(now, s.index, point.name(), a, site.address, site.size, site.master, site.write, old, site.value);
        if (s.kept.size() < KEEP_PER_RULE) {
            s.kept.add(inj);
        }
        if (tracer.enabled()) {
            tracer.emit("faults", "fault.inject", inj.traceDetail());
        }
    }

    /** The plan this session applies. */
    public FaultPlan plan() {
        return plan;
    }

    /** How many faults rule {@code rule} (1-based) injected. */
    public long injected(int rule) {
        return states.get(rule - 1).fired;
    }

    /** How many faults the plan injected in all. */
    public long injected() {
        return states.stream().mapToLong(s -> s.fired).sum();
    }

    /** The injections, in rule order then time order (at most {@link #KEEP_PER_RULE} per rule). */
    public List<Injection> injections() {
        List<Injection> all = new ArrayList<>();
        states.forEach(s -> all.addAll(s.kept));
        return Collections.unmodifiableList(all);
    }

    /** Disarms the points this session armed; the machine runs without faults again. */
    public void detach() {
        armed.keySet().forEach(p -> machine.faults().arm(p, null));
        armed.clear();
    }

    /**
     * The end-of-run report: per rule, how many faults it injected, and each one (time, point,
     * access, old -> new value), at most {@value #REPORT_PER_RULE} per rule.
     */
    public String report() {
        StringBuilder b = new StringBuilder();
        long total = injected();
        b.append(String.format("fault report: %s, seed %d: %d fault%s injected by %d rule%s%n", plan.source(), machine.config().seed(),
                total, total == 1 ? "" : "s", states.size(), states.size() == 1 ? "" : "s"));
        for (RuleState s : states) {
            b.append(String.format("  rule %d%s: %s: %d injected%n", s.index, s.rule.line() > 0 ? " (line " + s.rule.line() + ")" : "",
                    s.rule, s.fired));
            int shown = Math.min(REPORT_PER_RULE, s.kept.size());
            for (int i = 0; i < shown; i++) {
                b.append("    ").append(s.kept.get(i).reportLine()).append(System.lineSeparator());
            }
            if (s.fired > shown) {
                b.append(String.format("    ... and %d more%n", s.fired - shown));
            }
        }
        return b.toString();
    }
}
