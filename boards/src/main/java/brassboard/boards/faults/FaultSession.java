package brassboard.boards.faults;

import brassboard.boards.api.Machine;
import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultSite;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A fault plan applied to one machine: the rule engine behind the armed points, and the record
 * of every fault it injected. {@link #report()} is the end-of-run summary.
 *
 * <p>Two kinds of rules. <b>Occurrence rules</b> act on something the hardware does (a bus access,
 * an IRQ assertion, a timer being programmed or expiring): each armed point has a handler that, on
 * every occurrence, evaluates the point's rules in plan order. For each rule not yet spent
 * ({@code times}): the occurrence must pass its filters and time window, which counts it as a
 * matching occurrence of that rule; the count must select it ({@code nth}, {@code every}); then, if
 * the rule has a probability below 1, one draw from the plan's generator decides. A rule that fires
 * alters the occurrence, is traced as {@code fault.inject} and recorded. Once a rule has made the
 * occurrence fail ({@code error}) or vanish ({@code drop}, {@code skip}), later rules do not see it.
 *
 * <p><b>Timed rules</b> inject at a moment the plan chooses — {@code when.after} (default: the start)
 * or, at a {@code cpuN.reg} point, {@code when.insn} — through the point owner's primitives: RAM and
 * register flips, and an IRQ line's spurious, storm, stuck-high and stuck-low. They happen once (after
 * one draw, with a probability below 1); a scheduler event each, nothing on any hot path.
 *
 * <p>A PSCI SYSTEM_RESET changes nothing here: counters, spent rules and pending timed injections
 * carry on, because the plan describes one run, whatever the firmware does in it.
 */
public final class FaultSession {
    /** Mixed into the run's seed to seed the plan's generator (so other users of the seed draw differently). */
    static final long SEED_SALT = 0x6661_756c_7450_6c6eL; // "faultPln"
    /** Injections kept per rule for {@link #injections()}; further ones are only counted. */
    public static final int KEEP_PER_RULE = 10_000;
    /** Injections listed per rule in {@link #report()}. */
    static final int REPORT_PER_RULE = 20;
    /** Actions that are always timed; {@code flip} is timed at points that perform it (ram, cpuN.reg). */
    private static final Set<String> LEVEL_ACTIONS = Set.of("spurious", "storm", "stuck-high", "stuck-low", "link-down", "pll-unlock",
            "reconnect", "wedge", "grow");
    /** Actions that apply to one kind of occurrence only, at points with several kinds (an RF's register reads and calibrations). */
    private static final Map<String, String> ACTION_KINDS = Map.of("garbage", "read", "calibration-fail", "calibrate");
    /** The retry time of {@code unc} and {@code write-fault} when the rule gives none: a drive's firmware retrying for a second. */
    static final long DEFAULT_RETRY_NS = 1_000_000_000L;
    /** What {@code poison} XORs into the data when the rule gives no mask. */
    static final long POISON_DEFAULT_MASK = 0xFFFF_FFFFL;
    private static final Pattern CPU_POINT = Pattern.compile("cpu(\\d+)\\.reg");

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
    private final List<Scheduler.Event> pending = new ArrayList<>();
    private final FaultSite timedSite = new FaultSite();
    private boolean detached;

    FaultSession(FaultPlan plan, Machine machine) throws FaultPlanException {
        this.plan = plan;
        this.machine = machine;
        this.clock = machine.scheduler();
        this.tracer = machine.tracer();
        this.random = new SplittableRandom(machine.config().seed() ^ SEED_SALT);
        List<Rule> rules = plan.rules();
        Map<FaultPoint, List<RuleState>> byPoint = new LinkedHashMap<>();
        List<Object[]> timed = new ArrayList<>();
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
                if (!p.actions().contains(r.action().name())) {
                    throw bad(r, i + 1, "action", r.action().name() + " is not an action of " + p.name()
                            + "; its actions: " + String.join(", ", p.actions()));
                }
                check(r, i + 1, p);
                if (isTimed(r, p)) {
                    timed.add(new Object[] {s, p});
                } else {
                    byPoint.computeIfAbsent(p, k -> new ArrayList<>()).add(s);
                }
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
        for (Object[] t : timed) {
            schedule((RuleState) t[0], (FaultPoint) t[1]);
        }
    }

    private static boolean isTimed(Rule r, FaultPoint p) {
        Action a = r.action();
        if (a.name().equals("disconnect")) {
            // At a time, unless the rule picks a transaction to disconnect on (a filter, nth, every, before, times).
            Set<String> when = r.usedWhen();
            return r.usedMatch().isEmpty() && !when.contains("nth") && !when.contains("every") && !when.contains("before") && r.times() == 1;
        }
        return LEVEL_ACTIONS.contains(a.name()) || a.name().equals("flip") && p.performs();
    }

    /** Checks a rule against one point it matches: filters, conditions and parameters that apply there. */
    private void check(Rule r, int index, FaultPoint p) throws FaultPlanException {
        for (String f : r.usedMatch()) {
            if (!p.filters().contains(f)) {
                throw bad(r, index, "match." + f, f + " does not apply to " + p.name()
                        + (p.filters().isEmpty() ? " (it takes no match: filters)" : "; its filters: " + String.join(", ", p.filters())));
            }
        }
        if (r.kind() != null && !p.kinds().contains(r.kind())) {
            throw bad(r, index, "match.kind", "'" + r.kind() + "' is not a kind of " + p.name() + "; its kinds: " + String.join(", ", p.kinds()));
        }
        Action a = r.action();
        boolean cpuReg = CPU_POINT.matcher(p.name()).matches();
        if (a.has("reg") != cpuReg) {
            throw bad(r, index, "action", cpuReg ? "flip at " + p.name() + " needs parameter 'reg' (r0 to r15, sp, lr or pc), like { type: flip, reg: r3, bit: 0 }"
                    : "'reg' applies only at cpuN.reg points, not at " + p.name());
        }
        if (a.name().equals("babble") && !"in".equals(r.kind())) {
            throw bad(r, index, "match.kind", "babble happens on IN transactions (the device sends more than asked); add match: { kind: in }");
        }
        if (a.name().equals("unc") && "write".equals(r.kind()) || a.name().equals("write-fault") && "read".equals(r.kind())) {
            throw bad(r, index, "match.kind", a.name() + (a.name().equals("unc") ? " fails reads; for writes use write-fault" : " fails writes; for reads use unc"));
        }
        if (a.name().equals("grow")) {
            if (!r.usedMatch().contains("lba")) {
                throw bad(r, index, "match", "grow needs match.lba: the sectors that go bad");
            }
            timedSite.access(r.lbaLow(), 0, -1, false, 0).kind(r.kind()).action = "check";
            timedSite.length = r.lbaHigh() - r.lbaLow() + 1;
            p.perform(timedSite);
            if (timedSite.error) {
                throw bad(r, index, "match.lba", r.lbaLow() + "-" + r.lbaHigh() + " is not on the disk; " + p.name() + " has sectors 0 to " + (timedSite.value - 1));
            }
        }
        Set<String> when = r.usedWhen();
        if (!isTimed(r, p)) {
            if (when.contains("insn")) {
                throw bad(r, index, "when.insn", "an instruction count applies only to flips at cpuN.reg points, not to " + a.name() + " at " + p.name());
            }
            return;
        }
        for (String f : List.of("before", "nth", "every")) {
            if (when.contains(f)) {
                throw bad(r, index, "when." + f, a.name() + " at " + p.name() + " happens once, at when.after"
                        + (cpuReg ? " or when.insn" : "") + "; " + f + " does not apply (write one rule per fault)");
            }
        }
        if (when.contains("insn") && !cpuReg) {
            throw bad(r, index, "when.insn", "an instruction count applies only at cpuN.reg points, not at " + p.name());
        }
        if (r.times() != 1) {
            throw bad(r, index, "times", a.name() + " at " + p.name() + " happens once; write one rule per fault");
        }
        if (p.name().equals("ram") && !r.usedMatch().contains("address")) {
            throw bad(r, index, "match", "ram needs match.address: the word, or a range to pick one from with the run's seed");
        }
        if (a.name().equals("flip") && !cpuReg && r.usedMatch().contains("address")) {
            for (long at : new long[] {r.addressLow() & ~3L, r.addressHigh() & ~3L}) {
                timedSite.access(at, 4, Masters.DEBUG, true, 0).action = "check";
                p.perform(timedSite);
                if (timedSite.error) {
                    throw bad(r, index, "match.address", String.format("0x%08x is not in RAM", at));
                }
            }
        }
        if (cpuReg) {
            int core = Integer.parseInt(cpuNumber(p));
            if (core >= machine.cpus().size()) {
                throw bad(r, index, "point", p.name() + " has no core");
            }
        }
    }

    private static String cpuNumber(FaultPoint p) {
        Matcher m = CPU_POINT.matcher(p.name());
        return m.matches() ? m.group(1) : "-1";
    }

    private FaultPlanException bad(Rule r, int index, String field, String message) {
        int line = r.fieldLines.getOrDefault(field, r.line);
        return new FaultPlanException(FaultPlan.where(plan.source(), index, line) + field + ": " + message);
    }

    // ================================================================ occurrence rules

    private void occurrence(FaultPoint point, FaultSite site, RuleState[] rules) {
        long now = clock.now();
        boolean program = "program".equals(site.kind);
        for (RuleState s : rules) {
            if (site.error || site.dropped) {
                break;
            }
            Rule r = s.rule;
            if (program != r.action().name().equals("drift")) {
                continue; // a timer's programming is for drift rules only; its expiries for the others
            }
            String onlyKind = ACTION_KINDS.get(r.action().name());
            if (onlyKind != null && !onlyKind.equals(site.kind)) {
                continue;
            }
            if (r.action().name().equals("unc") && "write".equals(site.kind) || r.action().name().equals("write-fault") && "read".equals(site.kind)) {
                continue; // unc fails reads, write-fault writes: the other kind of access is not theirs
            }
            if (s.spent() || !r.inWindow(now) || !r.matches(site)) {
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
        if (site.later != null && site.delayNs > 0 && !site.dropped && !site.error) {
            clock.schedule(site.delayNs, point.name() + ".delayed", site.later);
        }
    }

    private void inject(FaultPoint point, FaultSite site, RuleState s, long now) {
        Action a = s.rule.action();
        long old = site.value;
        long width = site.size <= 0 || site.size >= 8 ? -1L : (1L << (site.size * 8)) - 1;
        switch (a.name()) {
            case "error" -> site.error = true;
            case "drop", "skip" -> site.dropped = true;
            case "delay" -> site.delayNs += a.param("ns");
            case "flip" -> site.value = (old ^ a.mask()) & width;
            case "set" -> site.value = (old | a.param("mask")) & width;
            case "clear" -> site.value = old & ~a.param("mask") & width;
            case "replace" -> site.value = a.param("value") & width;
            case "drift" -> site.value = Math.max(0, Math.round(old / a.factor()));
            case "completer-abort", "unsupported-request" -> {
                site.error = true;
                site.action = a.name();
            }
            case "poison" -> {
                site.value = (old ^ (a.has("mask") ? a.param("mask") : POISON_DEFAULT_MASK)) & width;
                site.action = a.name();
            }
            case "corrupt" -> {
                // the owner flips site.size bits at positions drawn from the seed in site.value
                site.action = a.name();
                site.size = a.has("bits") ? (int) a.param("bits") : 1;
                site.value = random.nextLong();
            }
            case "fcs-error", "ring-overflow", "calibration-fail" -> site.action = a.name();
            case "garbage" -> {
                site.action = a.name();
                site.value = random.nextLong() & width;
            }
            case "timeout", "crc", "stall", "babble", "phase-error", "bad-signature", "bad-tag", "no-csw", "busy" -> owner(site, a, 0, 0);
            case "nak-storm" -> owner(site, a, a.has("count") ? a.param("count") : 0, a.has("duration") ? a.param("duration") : 0);
            case "wrong-residue" -> owner(site, a, a.param("value"), 0);
            case "check-condition" -> {
                owner(site, a, a.param("key") << 16 | a.param("asc") << 8 | (a.has("ascq") ? a.param("ascq") : 0), 0);
                site.value = firstBlock(site, s.rule);
            }
            case "unc", "write-fault" -> {
                owner(site, a, 0, a.has("retry") ? a.param("retry") : DEFAULT_RETRY_NS);
                site.value = firstBlock(site, s.rule);
            }
            case "latency" -> site.delayNs += a.param("ns");
            case "disconnect" -> {
                site.action = a.name(); // the transaction goes through; then the device drops off the bus
                site.duration = a.has("duration") ? a.param("duration") : 0;
            }
            default -> throw new IllegalStateException("no engine for action " + a.name() + " on an occurrence");
        }
        String target;
        String effect;
        if (site.endpoint >= 0 || site.opcode >= 0 || site.length > 0) {
            target = describe(site);
            effect = switch (a.name()) {
                case "delay", "latency" -> "+" + a.param("ns") + " ns";
                case "unc", "write-fault" -> a.name() + " after " + Machine.formatTime(site.duration) + " of retries";
                default -> a.toString();
            };
        } else if (ACTION_KINDS.containsKey(a.name())) {
            target = String.format("%s of 0x%03x", site.kind, site.address);
            effect = a.name().equals("garbage") ? hex(old, 1) + " -> " + hex(site.value, 1) : "failed";
        } else if (a.name().equals("corrupt") || a.name().equals("fcs-error") || a.name().equals("ring-overflow")) {
            target = "frame of " + old + " bytes";
            effect = switch (a.name()) {
                case "corrupt" -> site.size + " bit" + (site.size == 1 ? "" : "s") + " flipped";
                case "fcs-error" -> "FCS error";
                default -> "ring overflow";
            };
        } else if (site.address >= 0 && site.size > 0) {
            target = "mosi".equals(site.kind) || "miso".equals(site.kind)
                    ? String.format("%s word on chip select %d", site.kind, site.address) // spi.*.transfer: address is the chip select
                    : String.format("%s %s %d bytes at 0x%08x", Masters.name(site.master), site.write ? "write" : "read", site.size, site.address);
            String v = hex(old, site.size);
            effect = switch (a.name()) {
                case "error" -> v + " -> bus error";
                case "completer-abort", "unsupported-request" -> v + " -> " + a.name();
                case "poison" -> v + " -> " + hex(site.value, site.size) + " (poisoned)";
                case "drop" -> v + " -> dropped";
                case "delay" -> v + " +" + a.param("ns") + " ns";
                default -> v + " -> " + hex(site.value, site.size);
            };
        } else if ("program".equals(site.kind)) {
            target = "expiry programmed";
            effect = "in " + old + " ns -> in " + site.value + " ns";
        } else {
            target = site.kind == null ? "occurrence" : site.kind.equals("assert") ? "assertion" : site.kind;
            effect = switch (a.name()) {
                case "drop" -> "dropped";
                case "skip" -> "skipped";
                case "delay" -> "+" + a.param("ns") + " ns";
                default -> old + " -> " + site.value;
            };
        }
        record(s, new Injection(now, s.index, point.name(), a, site.address, site.size, site.master, site.write, old, site.value, target, effect));
    }

    /** The first block of the occurrence inside the rule's LBA range (the block that fails), or -1 when it has none. */
    private static long firstBlock(FaultSite site, Rule r) {
        return site.address < 0 ? -1 : Math.max(site.address, r.lbaLow());
    }

    /** An action the point's owner carries out: named in the site with its parameters; later rules do not see the occurrence. */
    private static void owner(FaultSite site, Action a, long arg, long duration) {
        site.error = true;
        site.action = a.name();
        site.arg = arg;
        site.duration = duration;
    }

    /** What a USB, SCSI or disk occurrence is, for the report: {@code OUT ep2}, {@code WRITE_10 lba 2048+64}, {@code read lba 100+8}. */
    private static String describe(FaultSite site) {
        String blocks = site.address >= 0 ? " lba " + site.address + (site.length > 0 ? "+" + site.length : "") : "";
        if (site.endpoint >= 0) {
            return (site.kind == null ? "packet" : site.kind.toUpperCase(java.util.Locale.ROOT)) + " ep" + site.endpoint;
        }
        if (site.opcode >= 0) {
            return Values.opcodeName(site.opcode) + blocks + (site.kind != null ? " (data " + site.kind + ")" : "");
        }
        return (site.kind == null ? "access" : site.kind) + blocks;
    }

    private void record(RuleState s, Injection inj) {
        s.fired++;
        if (s.kept.size() < KEEP_PER_RULE) {
            s.kept.add(inj);
        }
        if (tracer.enabled()) {
            tracer.emit("faults", "fault.inject", inj.traceDetail());
        }
    }

    private static String hex(long v, int size) {
        int digits = size <= 0 || size > 8 ? 8 : size * 2;
        return String.format("0x%0" + digits + "x", v);
    }

    // ================================================================ timed rules

    private void schedule(RuleState s, FaultPoint p) {
        Rule r = s.rule;
        if (r.insn() >= 0) {
            int core = Integer.parseInt(cpuNumber(p));
            machine.atInstruction(core, r.insn(), () -> {
                if (!detached) {
                    timed(s, p);
                }
            });
            return;
        }
        long at = Math.max(r.afterNs(), clock.now());
        pending.add(clock.scheduleAt(at, p.name() + ".fault", () -> timed(s, p)));
    }

    private void timed(RuleState s, FaultPoint p) {
        Rule r = s.rule;
        Action a = r.action();
        if (s.spent()) {
            return;
        }
        s.matched++;
        double prob = r.probability();
        if (prob < 1.0 && !(random.nextDouble() < prob)) {
            return;
        }
        long now = clock.now();
        FaultSite site = timedSite;
        switch (a.name()) {
            case "flip" -> {
                if (CPU_POINT.matcher(p.name()).matches()) {
                    site.access(-1, (int) a.param("reg"), -1, true, a.mask()).action = "flip";
                    p.perform(site);
                    record(s, new Injection(now, s.index, p.name(), a, -1, 0, -1, true, site.previous, site.value,
                            "r" + a.param("reg") + " of cpu" + cpuNumber(p), hex(site.previous, 4) + " -> " + hex(site.value, 4)));
                } else {
                    long lo = r.addressLow() >>> 2;
                    long hi = r.addressHigh() >>> 2;
                    long word = (lo == hi ? lo : lo + random.nextLong(hi - lo + 1)) << 2;
                    site.access(word, 4, Masters.DEBUG, true, a.mask() & 0xFFFF_FFFFL).action = "flip";
                    p.perform(site);
                    if (site.error) {
                        tracer.warn("faults", String.format("%s rule %d: 0x%08x is not in RAM; nothing flipped", p.name(), s.index, word));
                        return;
                    }
                    record(s, new Injection(now, s.index, p.name(), a, word, 4, -1, true, site.previous, site.value,
                            String.format("RAM word at 0x%08x", word), hex(site.previous, 4) + " -> " + hex(site.value, 4)));
                }
            }
            case "spurious" -> {
                long d = a.param("duration");
                if (d == 0) {
                    long level = force(p, "pulse");
                    record(s, new Injection(now, s.index, p.name(), a, -1, 0, -1, false, level, level, "line", "pulse"));
                } else {
                    long old = force(p, "force-high");
                    later(d, p, "release");
                    record(s, new Injection(now, s.index, p.name(), a, -1, 0, -1, false, old, 1, "line",
                            "level " + old + " -> 1 for " + Machine.formatTime(d)));
                }
            }
            case "storm" -> {
                long period = a.param("period");
                long d = a.param("duration");
                long old = force(p, "force-high");
                long n = 1;
                for (long t = period; t < d; t += period) {
                    later(t - period + period / 2, p, "release");
                    later(t, p, "force-high");
                    n++;
                }
                later(Math.min(d, (n - 1) * period + period / 2), p, "release");
                record(s, new Injection(now, s.index, p.name(), a, -1, 0, -1, false, old, 1, "line",
                        n + " assertions, one every " + Machine.formatTime(period) + " for " + Machine.formatTime(d)));
            }
            case "stuck-high", "stuck-low" -> {
                boolean high = a.name().equals("stuck-high");
                long old = force(p, high ? "force-high" : "force-low");
                String how = "forever";
                if (a.has("duration")) {
                    later(a.param("duration"), p, "release");
                    how = "for " + Machine.formatTime(a.param("duration"));
                }
                record(s, new Injection(now, s.index, p.name(), a, -1, 0, -1, false, old, high ? 1 : 0, "line",
                        "level " + old + " -> " + (high ? 1 : 0) + " " + how));
            }
            case "pll-unlock" -> {
                long old = force(p, "pll-unlock");
                String was = old == 3 ? "RX and TX locked" : old == 1 ? "RX locked" : old == 2 ? "TX locked" : "none locked";
                record(s, new Injection(now, s.index, p.name(), a, -1, 0, -1, false, old, 0, "synthesizers",
                        was + " -> unlocked until re-programmed"));
            }
            case "link-down" -> {
                long old = force(p, "link-down");
                String how = "until the end of the run";
                if (a.has("duration")) {
                    later(a.param("duration"), p, "link-up");
                    how = "for " + Machine.formatTime(a.param("duration"));
                }
                record(s, new Injection(now, s.index, p.name(), a, -1, 0, -1, false, old, 0, "link", "up -> down " + how));
            }
            case "disconnect", "reconnect" -> {
                long old = force(p, a.name());
                String how = "";
                if (a.has("duration")) {
                    later(a.param("duration"), p, "reconnect");
                    how = " for " + Machine.formatTime(a.param("duration"));
                }
                record(s, new Injection(now, s.index, p.name(), a, -1, 0, -1, false, old, timedSite.value, "link",
                        (old != 0 ? "connected" : "not connected") + " -> " + (timedSite.value != 0 ? "connected" : "not connected") + how));
            }
            case "wedge" -> {
                site.access(-1, 0, -1, false, 0).action = "wedge";
                site.duration = a.has("return-after") ? a.param("return-after") : -1;
                p.perform(site);
                record(s, new Injection(now, s.index, p.name(), a, -1, 0, -1, false, site.previous, site.value, "firmware",
                        site.previous != 0 ? "already wedged" : "wedged" + (site.duration >= 0 ? ", back after " + Machine.formatTime(site.duration)
                                : ", back as the bridge is configured (return-after), else never")));
            }
            case "grow" -> {
                site.access(r.lbaLow(), 0, -1, false, 0).kind(r.kind()).action = "grow";
                site.length = r.lbaHigh() - r.lbaLow() + 1;
                p.perform(site);
                if (site.error) {
                    tracer.warn("faults", String.format("%s rule %d: lba %d-%d is not on the disk; nothing grown", p.name(), s.index, r.lbaLow(), r.lbaHigh()));
                    return;
                }
                record(s, new Injection(now, s.index, p.name(), a, r.lbaLow(), 0, -1, r.kind() != null && r.kind().equals("write"), site.previous, site.value,
                        "lba " + r.lbaLow() + "-" + r.lbaHigh(), "marked " + (r.kind() == null ? "unreadable and unwritable" : r.kind().equals("read") ? "unreadable" : "unwritable")));
            }
            default -> throw new IllegalStateException("no engine for timed action " + a.name());
        }
    }

    /** Asks the point's owner for a primitive; returns the level (or value) before it. */
    private long force(FaultPoint p, String primitive) {
        timedSite.access(-1, 0, -1, false, 0).action = primitive;
        p.perform(timedSite);
        return timedSite.previous;
    }

    private void later(long delayNs, FaultPoint p, String primitive) {
        pending.add(clock.schedule(delayNs, p.name() + "." + primitive, () -> {
            force(p, primitive);
            if (tracer.enabled() && (primitive.equals("release") || primitive.equals("link-up") || primitive.equals("reconnect"))) {
                tracer.emit("faults", "fault.release", p.name());
            }
        }));
    }

    // ================================================================ results

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

    /**
     * Disarms the points this session armed and cancels its pending timed injections; the machine
     * runs without new faults again (a line already forced stays so until its release was due:
     * releases are cancelled too, so release forced lines yourself if you detach mid-fault).
     */
    public void detach() {
        detached = true;
        armed.keySet().forEach(p -> machine.faults().arm(p, null));
        armed.clear();
        pending.forEach(clock::cancel);
        pending.clear();
    }

    /**
     * The end-of-run report: per rule, how many faults it injected, and each one (time, point,
     * what it hit, old -> new value), at most {@value #REPORT_PER_RULE} per rule.
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
