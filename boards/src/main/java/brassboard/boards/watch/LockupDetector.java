package brassboard.boards.watch;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuObserver;
import brassboard.boards.api.Machine;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.Masters;
import brassboard.firmware.api.SymbolTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Hard-lockup, soft-lockup and spin/deadlock detection for any firmware, from outside: it needs
 * no cooperation from the code it watches, only the cores' observer events and virtual time.
 *
 * <ul>
 *   <li><b>Hard lockup</b>: a core with CPSR.I set for longer than the threshold, counted from
 *       the moment it masked them, once the core has enabled IRQs at least once (firmware that
 *       never uses interrupts is not locked up); or a core whose IRQ input has been high for
 *       longer than the threshold without it taking the exception. Linux's hard-lockup detector
 *       asks the same question of its per-CPU timer interrupt.</li>
 *   <li><b>Soft lockup</b>: a core that has not passed through a named scheduler function (PC
 *       hook) for longer than the threshold; with no such function, an exception return to a
 *       thread mode (User, System, Supervisor) or an idle WFI counts as passing through the
 *       scheduler, so a core stuck in a handler or spinning in it is caught.</li>
 *   <li><b>Spins and deadlocks</b>: a core that keeps issuing load-exclusives of one address
 *       without a successful store-exclusive there is spinning on it (WFE between the attempts
 *       included). Its lock's holder is the core whose store-exclusive last succeeded at that
 *       address (the one that took it). Core → holder edges form the wait-for graph; a cycle in
 *       it is reported as a deadlock naming every core, lock and PC in it.</li>
 * </ul>
 *
 * Reports are printed through the given sink, emitted as trace events
 * ({@code lockup.hard}, {@code lockup.soft}, {@code lockup.deadlock}) and kept in {@link #reports()};
 * each is made once per episode (a core must recover before it is reported again).
 *
 * <p>Limits: spins on plain loads (a {@code while (*p)} loop with no load-exclusive) are seen by
 * the hard/soft detectors with their PC but not with the address; a lock taken with a plain store
 * has no recorded holder.
 */
public final class LockupDetector implements Machine.Watch {
    private final Machine machine;
    private final WatchdogOptions options;
    private final SymbolTable symbols;
    private final Consumer<String> out;
    private final AddressSpace bus;
    private final CoreState[] cores;
    private final Set<Integer> schedulerHooks = new HashSet<>();
    /** Bounded (least recently written first out): a kernel does atomics on countless addresses. */
    private final Map<Long, Writer> lastExclusiveWriter = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Writer> eldest) {
            return size() > WRITERS_KEPT;
        }
    };
    private static final int WRITERS_KEPT = 65_536;
    private final List<LockupReport> reports = new ArrayList<>();
    private final Set<Set<Integer>> reportedCycles = new HashSet<>();

    /** Where a successful store-exclusive last wrote an address: who took the lock. */
    private record Writer(int cpu, int pc, long timeNs) {
    }

    /** A load-exclusive address a core keeps retrying. */
    private static final class Spin {
        final long address;
        final long since;
        int pc;
        long lastSeen;
        long attempts;

        Spin(long address, long since, int pc) {
            this.address = address;
            this.since = since;
            this.pc = pc;
            this.lastSeen = since;
        }
    }

    private final class CoreState implements CpuObserver {
        final int id;
        final ArmCpu cpu;
        boolean everUnmasked;
        boolean irqMasked = true;
        long maskedSince;
        int maskedAtPc;
        long pendingSince = -1;
        long lastScheduled;
        /** Returned from an exception to thread mode at least once: the fallback soft-lockup clock applies. */
        boolean everReturned;
        /** IRQ exceptions taken and not yet returned from, with the time of the outermost. */
        int irqDepth;
        long irqSince;
        boolean hardReported;
        boolean softReported;
        final Map<Long, Spin> spins = new LinkedHashMap<>();
        Spin latest;

        CoreState(int id, ArmCpu cpu) {
            this.id = id;
            this.cpu = cpu;
        }

        long now() {
            return machine.scheduler().now();
        }

        @Override
        public void onInterruptMaskChange(boolean irq, boolean fiq, int pc) {
            if (irq == irqMasked) {
                return;
            }
            irqMasked = irq;
            if (irq) {
                maskedSince = now();
                maskedAtPc = pc;
            } else {
                everUnmasked = true;
                hardReported = false;
            }
        }

        @Override
        public void onExceptionEntry(String kind, int fromPc, int vectorPc, int newMode) {
            if (kind.equals("irq")) {
                if (irqDepth++ == 0) {
                    irqSince = now();
                }
                pendingSince = -1;
                hardReported = irqMasked && hardReported;
            } else if (kind.equals("reset")) {
                irqDepth = 0;
                everUnmasked = false;
                irqMasked = true;
                maskedSince = now();
                lastScheduled = now();
                everReturned = false;
                spins.clear();
                latest = null;
            }
        }

        @Override
        public void onExceptionReturn(int toPc, int newMode) {
            if (irqDepth > 0 && newMode != 0x12) {
                irqDepth--; // an IRQ handler returned (to anything but IRQ mode itself)
            }
            if (schedulerHooks.isEmpty() && isThreadMode(newMode)) {
                everReturned = true;
                scheduled();
            }
        }

        @Override
        public void onPcHook(int pc) {
            if (schedulerHooks.contains(pc)) {
                scheduled();
            }
        }

        void scheduled() {
            lastScheduled = now();
            softReported = false;
        }

        @Override
        public void onExclusiveLoad(int pc, long address) {
            long t = now();
            Spin s = spins.get(address);
            if (s == null) {
                if (spins.size() >= 16) {
                    spins.values().removeIf(old -> old != latest);
                }
                s = new Spin(address, t, pc);
                spins.put(address, s);
            }
            s.pc = pc;
            s.lastSeen = t;
            s.attempts++;
            latest = s;
        }

        @Override
        public void onExclusiveStore(int pc, long address, boolean success) {
            if (success) {
                lastExclusiveWriter.put(address, new Writer(id, pc, now()));
                Spin s = spins.remove(address);
                if (s == latest) {
                    latest = null;
                }
            }
        }

        /** The address this core spins on now, if it has spun on it for at least the threshold. */
        Optional<Spin> spinning(long now) {
            Spin s = latest;
            // Asleep in WFE after a failed attempt is spinning; awake, it takes a retry to tell.
            if (s == null || s.attempts < (cpu.isWaitingForEvent() ? 1 : 2) || now - s.since < options.spinNs()) {
                return Optional.empty();
            }
            // Still at it: asleep in WFE between attempts, or retried within the last threshold.
            if (!cpu.isWaitingForEvent() && now - s.lastSeen > options.spinNs()) {
                return Optional.empty();
            }
            return Optional.of(s);
        }
    }

    public LockupDetector(Machine machine, WatchdogOptions options, SymbolTable symbols, Consumer<String> out) {
        this.machine = machine;
        this.options = options;
        this.symbols = symbols == null ? SymbolTable.empty() : symbols;
        this.out = out == null ? s -> { } : out;
        this.bus = machine.bus();
        List<ArmCpu> cpus = machine.cpus();
        this.cores = new CoreState[cpus.size()];
        for (String name : options.schedulerSymbols()) {
            this.symbols.lookup(name).ifPresentOrElse(s -> schedulerHooks.add((int) s.address()),
                    () -> machine.tracer().warnOnce("watchdog.sched." + name, "watchdog",
                            "scheduler symbol '" + name + "' is not in the symbol table; soft lockups count exception returns instead"));
        }
        for (int i = 0; i < cpus.size(); i++) {
            ArmCpu cpu = cpus.get(i);
            CoreState c = new CoreState(i, cpu);
            c.irqMasked = (cpu.cpsr() & 0x80) != 0;
            c.maskedSince = machine.scheduler().now();
            c.lastScheduled = machine.scheduler().now();
            cores[i] = c;
            cpu.setObserver(CpuObserver.both(cpu.observer(), c));
            for (int hook : schedulerHooks) {
                cpu.addPcHook(hook);
            }
        }
    }

    /** Builds the detector and adds it to the machine's watches. */
    public static LockupDetector attach(Machine machine, WatchdogOptions options, SymbolTable symbols, Consumer<String> out) {
        LockupDetector d = new LockupDetector(machine, options, symbols, out);
        machine.addWatch(d);
        return d;
    }

    /** Everything reported so far, in order. */
    public List<LockupReport> reports() {
        return Collections.unmodifiableList(reports);
    }

    private static boolean isThreadMode(int mode) {
        return mode == 0x10 || mode == 0x1F || mode == 0x13;
    }

    @Override
    public void check(long now) {
        for (CoreState c : cores) {
            if (!machine.isPowered(c.id)) {
                c.lastScheduled = now;
                c.pendingSince = -1;
                continue;
            }
            boolean pending = c.cpu.irqLine();
            if (!pending) {
                c.pendingSince = -1;
            } else if (c.pendingSince < 0) {
                c.pendingSince = now;
            }
            if (c.cpu.isWaitingForInterrupt() && !c.cpu.isWaitingForEvent()) {
                // Idle in WFI: the scheduler's idle loop. Linux idles with IRQs masked (WFI wakes on
                // a masked interrupt too), so the hard-lockup clock restarts when the core wakes.
                c.scheduled();
                c.pendingSince = -1;
                if (c.irqMasked) {
                    c.maskedSince = now;
                    c.maskedAtPc = c.cpu.pc();
                }
            }
            if (!c.hardReported) {
                long since = hardSince(c);
                if (since >= 0 && now - since >= options.hardNs()) {
                    c.hardReported = true;
                    report(LockupReport.Kind.HARD_LOCKUP, now, List.of(c.id), hardText(c, since, now));
                }
            }
            if (!c.softReported && softApplies(c) && now - c.lastScheduled >= options.softNs()) {
                c.softReported = true;
                report(LockupReport.Kind.SOFT_LOCKUP, now, List.of(c.id), softText(c, now));
            }
        }
        findDeadlocks(now);
    }

    /**
     * Whether the soft-lockup clock runs for {@code c}: always with a scheduler symbol; without one,
     * once the core has returned from an exception to thread mode (firmware that never takes
     * exceptions has nothing to pass through, and is not reported).
     */
    private boolean softApplies(CoreState c) {
        return !schedulerHooks.isEmpty() || c.everReturned;
    }

    /** When the hard-lockup clock of {@code c} started, or -1 if it is not running. */
    private long hardSince(CoreState c) {
        long since = -1;
        if (c.irqMasked && c.everUnmasked) {
            since = c.maskedSince;
        }
        if (c.pendingSince >= 0 && (since < 0 || c.pendingSince < since)) {
            since = c.pendingSince;
        }
        return since;
    }

    @Override
    public long deadline() {
        long now = machine.scheduler().now();
        long d = Long.MAX_VALUE;
        for (CoreState c : cores) {
            if (!machine.isPowered(c.id)) {
                continue;
            }
            long since = hardSince(c);
            if (!c.hardReported && since >= 0) {
                d = later(d, since + options.hardNs(), now);
            }
            if (!c.softReported && softApplies(c) && !(c.cpu.isWaitingForInterrupt() && !c.cpu.isWaitingForEvent())) {
                d = later(d, c.lastScheduled + options.softNs(), now);
            }
            if (c.latest != null && c.cpu.isWaitingForEvent()) {
                d = later(d, c.latest.since + options.spinNs(), now);
            }
        }
        return d;
    }

    /** The earlier of {@code d} and {@code candidate}, counting only candidates still in the future. */
    private static long later(long d, long candidate, long now) {
        return candidate > now ? Math.min(d, candidate) : d;
    }

    private void findDeadlocks(long now) {
        int n = cores.length;
        int[] waitsFor = new int[n];
        Spin[] on = new Spin[n];
        for (int i = 0; i < n; i++) {
            waitsFor[i] = -1;
            if (!machine.isPowered(i)) {
                continue;
            }
            Optional<Spin> s = cores[i].spinning(now);
            if (s.isEmpty()) {
                continue;
            }
            Writer holder = lastExclusiveWriter.get(s.get().address);
            if (holder != null && lockValue(s.get().address) != 0) {
                on[i] = s.get();
                waitsFor[i] = holder.cpu();
            }
        }
        for (int start = 0; start < n; start++) {
            // Follow the edges at most n steps; a core seen twice closes a cycle.
            List<Integer> path = new ArrayList<>();
            int at = start;
            while (at >= 0 && !path.contains(at) && path.size() <= n) {
                path.add(at);
                at = waitsFor[at];
            }
            if (at < 0 || at != start) {
                continue;
            }
            Set<Integer> cycle = new TreeSet<>(path);
            if (reportedCycles.add(cycle)) {
                report(LockupReport.Kind.DEADLOCK, now, new ArrayList<>(cycle), deadlockText(path, on, now));
            }
        }
    }

    private long lockValue(long address) {
        AddressSpace.Mapping m = bus.mappingAt(address);
        if (m == null || !(m.region() instanceof brassboard.bus.api.Ram)) {
            return 1; // not plain memory: cannot tell, assume held
        }
        return bus.read(address, 4, Masters.DEBUG);
    }

    private void report(LockupReport.Kind kind, long now, List<Integer> cpus, String text) {
        LockupReport r = new LockupReport(kind, now, cpus, text);
        reports.add(r);
        machine.tracer().emit("watchdog", kind.traceEvent(), r.headline());
        out.accept(text);
        if (options.stopOnLockup()) {
            machine.stopOnLockup(r.headline());
        }
    }

    private String hardText(CoreState c, long since, long now) {
        StringBuilder sb = new StringBuilder();
        boolean masked = c.irqMasked && c.everUnmasked && since == c.maskedSince;
        sb.append(String.format("hard lockup: cpu%d %s for %s (since %s)", c.id,
                masked ? "has had IRQs masked" : "has not taken its pending IRQ",
                Machine.formatTime(now - since), Machine.formatTime(since)));
        if (masked) {
            sb.append(String.format("%n  IRQs masked at pc %s", where(c.maskedAtPc)));
        }
        appendWhere(sb, c);
        if (c.cpu.irqLine()) {
            sb.append(", an IRQ is pending");
        }
        if (c.irqDepth > 0) {
            sb.append(String.format("%n  in hard-IRQ context: the IRQ taken at %s has not returned", Machine.formatTime(c.irqSince)));
        }
        appendSpin(sb, c, now);
        return sb.toString();
    }

    /** Where the core is: its PC and its LR (the caller, when the PC is in a leaf function), symbolised. */
    private void appendWhere(StringBuilder sb, CoreState c) {
        sb.append(String.format("%n  now at pc %s, lr %s, in %s mode", where(c.cpu.pc()), where(c.cpu.reg(14)), c.cpu.modeName()));
    }

    private String softText(CoreState c, long now) {
        StringBuilder sb = new StringBuilder();
        String through = schedulerHooks.isEmpty() ? "returning to thread mode"
                : "passing through " + String.join("/", options.schedulerSymbols());
        sb.append(String.format("soft lockup: cpu%d stuck for %s without %s (since %s)", c.id,
                Machine.formatTime(now - c.lastScheduled), through, Machine.formatTime(c.lastScheduled)));
        appendWhere(sb, c);
        appendSpin(sb, c, now);
        return sb.toString();
    }

    private void appendSpin(StringBuilder sb, CoreState c, long now) {
        Optional<Spin> s = c.spinning(now);
        if (s.isEmpty() && c.latest != null && c.latest.attempts >= 2 && c.cpu.isWaitingForEvent()) {
            s = Optional.of(c.latest);
        }
        s.ifPresent(spin -> sb.append(String.format("%n  spinning since %s on %s", Machine.formatTime(spin.since),
                lockDescription(spin))));
    }

    private String lockDescription(Spin spin) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s = 0x%x (load-exclusive at pc %s)", where(spin.address), lockValue(spin.address), where(spin.pc)));
        Writer w = lastExclusiveWriter.get(spin.address);
        if (w != null) {
            sb.append(String.format(", last written by cpu%d at pc %s at %s", w.cpu(), where(w.pc()), Machine.formatTime(w.timeNs())));
        }
        return sb.toString();
    }

    private String deadlockText(List<Integer> cycle, Spin[] on, long now) {
        StringBuilder sb = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (int cpu : cycle) {
            names.add("cpu" + cpu);
        }
        sb.append(String.format("deadlock: %s wait for each other (%d locks in a cycle)", String.join(", ", names), cycle.size()));
        for (int cpu : cycle) {
            Spin s = on[cpu];
            Writer w = lastExclusiveWriter.get(s.address);
            sb.append(String.format("%n  cpu%d at pc %s waits for %s, held by cpu%d (taken at pc %s at %s)",
                    cpu, where(s.pc), where(s.address), w.cpu(), where(w.pc()), Machine.formatTime(w.timeNs())));
        }
        return sb.toString();
    }

    /** {@code 0x40010abc <name+0x1c>}, or the bare address when no symbol covers it. */
    private String where(long address) {
        String d = symbols.isEmpty() ? "" : symbols.describe(address & 0xFFFF_FFFFL);
        String hex = String.format("0x%08x", address & 0xFFFF_FFFFL);
        return d == null || d.isEmpty() || d.equals(hex) ? hex : hex + " <" + d + ">";
    }
}
