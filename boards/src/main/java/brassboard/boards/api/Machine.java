package brassboard.boards.api;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.gic.Gic;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.firmware.api.ImageException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A built machine: CPU, bus, devices and firmware, ready to run. Build one with
 * {@link #create(MachineConfig, Console)}, attach trace sinks to {@link #tracer()}, then
 * {@link #run(RunLimits)}.
 *
 * <p>The run loop interleaves the CPU with the event scheduler: the CPU runs until the next
 * event is due (at most {@link #QUANTUM} instructions at a time), each instruction costing one
 * cycle; then due events fire. A CPU waiting for an interrupt lets virtual time jump straight to
 * the next event, so idle firmware costs no host time.
 */
public final class Machine {
    /** Most instructions run between two looks at the event queue and the stop flags. */
    public static final int QUANTUM = 10_000;

    /** Power and exit requests, made by the board's firmware services. */
    public interface PowerControl {
        void powerOff(String how);

        void reset(String how);

        void exit(int status, String how);
    }

    /**
     * Something that watches the whole machine as virtual time passes (the lockup detectors):
     * checked after every round of quanta and every idle jump, on the simulation thread.
     */
    public interface Watch {
        /** Looks at the machine at virtual time {@code now}. */
        void check(long now);

        /**
         * The earliest virtual time at which {@link #check} could find something new if nothing
         * else happened ({@link Long#MAX_VALUE}: never). An idle machine jumps no further than this,
         * so a detector fires at its threshold even when every core sleeps.
         */
        default long deadline() {
            return Long.MAX_VALUE;
        }
    }

    /** The board-specific part: what a reset re-does. */
    public interface Board {
        /** Reloads images, resets devices and the CPU, as at power-on. */
        void reset();

        /** A short description of the memory map for the CLI's listing. */
        String describe();
    }

    private final MachineConfig config;
    private final Scheduler scheduler;
    private final Tracer tracer;
    private final FaultPoints faults;
    private final AddressSpace bus;
    private final List<ArmCpu> cpus;
    /** Which cores are powered: core 0 from reset, the others from PSCI CPU_ON until CPU_OFF. */
    private final boolean[] powered;
    /** Cores a CPU_ON has started during the current round: they join at the next round. */
    private final boolean[] starting;
    /** Each running core's own virtual time in the current round (at or after the machine's). */
    private final long[] local;
    private final Console console;
    private final long nsPerInstruction;
    private Board board;
    private final List<Watch> watches = new java.util.ArrayList<>();
    private Gic gic;
    private brassboard.bus.pcie.EcamHostBridge pcie;
    private brassboard.devices.wifi.WifiBaseband wifi;
    private brassboard.devices.wifi.Air wifiAir;
    private RunResult stop;
    private RunLimits runLimits = RunLimits.none();
    private PollWarp pollWarp;
    /** Whether a polling loop may be fast-forwarded now ({@link PollWarp}); a debugger says no while it has breakpoints. */
    private java.util.function.BooleanSupplier pollWarpGate = () -> true;
    /** A stop asked for from another thread ({@link #requestStop}), taken at the next round. */
    private volatile String stopRequest;
    /** A pause asked for on the simulation thread ({@link #requestPause}), taken at the next round. */
    private boolean pauseRequested;
    /** Whether the last {@link #runUntilPaused} returned paused: the next call resumes the same run. */
    private boolean paused;
    private Pattern until;
    private final StringBuilder recentOutput = new StringBuilder();
    /** Per core: actions due when its retired-instruction count reaches a key ({@link #atInstruction}). */
    private final java.util.TreeMap<Long, List<Runnable>>[] atInsn;

    /**
     * Builds the machine {@code config.board()} names (a built-in board such as {@code virt}, or a
     * board file) and loads its image.
     *
     * @throws ConfigException for an unknown board or an impossible configuration
     * @throws ImageException  for an image that cannot be loaded or does not fit the board
     */
    public static Machine create(MachineConfig config, Console console) throws ConfigException, ImageException {
        return create(config, BoardOptions.none(), console);
    }

    /** As {@link #create(MachineConfig, Console)}, with host files backing board storage. */
    public static Machine create(MachineConfig config, BoardOptions options, Console console) throws ConfigException, ImageException {
        return BoardFactory.get().build(config, options, console);
    }

    /** For board builders: the parts every machine has. */
    public Machine(MachineConfig config, Scheduler scheduler, Tracer tracer, FaultPoints faults, AddressSpace bus,
                   List<ArmCpu> cpus, Console console) {
        this.config = config;
        this.scheduler = scheduler;
        this.tracer = tracer;
        this.faults = faults;
        this.bus = bus;
        if (cpus.isEmpty() || cpus.size() > MachineConfig.MAX_CPUS) {
            throw new IllegalArgumentException("a machine has 1 to " + MachineConfig.MAX_CPUS + " cores, not " + cpus.size());
        }
        this.cpus = List.copyOf(cpus);
        this.powered = new boolean[cpus.size()];
        this.starting = new boolean[cpus.size()];
        this.local = new long[cpus.size()];
        @SuppressWarnings("unchecked")
        java.util.TreeMap<Long, List<Runnable>>[] maps = new java.util.TreeMap[cpus.size()];
        this.atInsn = maps;
        powered[0] = true;
        this.console = console;
        this.nsPerInstruction = Math.max(1, 1_000_000_000L / config.cpuHz());
        console.addListener(this::consoleOutput);
    }

    /** Adds a watch (a lockup detector) checked as the run goes. */
    public void addWatch(Watch w) {
        watches.add(w);
    }

    /** Ends the run because a detector found a lockup ({@code --stop-on-lockup}); exit status 3. */
    public void stopOnLockup(String what) {
        stopWith(RunResult.Outcome.LOCKUP, RunResult.EXIT_LOCKUP, "stopped on lockup: " + what);
    }

    private void checkWatches() {
        long now = scheduler.now();
        for (int i = 0; i < watches.size() && stop == null; i++) {
            watches.get(i).check(now);
        }
    }

    private long watchDeadline() {
        long d = Long.MAX_VALUE;
        for (Watch w : watches) {
            d = Math.min(d, w.deadline());
        }
        return d;
    }

    /**
     * Asks the run to end with {@link RunResult.Outcome#TERMINATED} (exit status 0); safe from any
     * thread (an interactive console's reader calls it on {@code Ctrl-A x}). The run ends at its next
     * round of quanta, at most {@link #QUANTUM} instructions later.
     */
    public void requestStop(String why) {
        stopRequest = why;
    }

    /**
     * Asks a {@link #runUntilPaused} run to pause at the end of the current round of quanta (at most
     * {@link #QUANTUM} instructions per core later), before the events due then fire; from the
     * simulation thread (a console listener, a {@link Watch}, an {@link #atInstruction} action). A
     * plain {@link #run} ignores it.
     */
    public void requestPause() {
        pauseRequested = true;
    }

    /** For board builders: connects the board-specific reset. */
    public void attachBoard(Board b) {
        this.board = b;
    }

    public MachineConfig config() {
        return config;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public Tracer tracer() {
        return tracer;
    }

    public FaultPoints faults() {
        return faults;
    }

    public AddressSpace bus() {
        return bus;
    }

    /** Core 0, the boot core. */
    public ArmCpu cpu() {
        return cpus.get(0);
    }

    /** Every core, indexed by its id (MPIDR affinity level 0). */
    public List<ArmCpu> cpus() {
        return cpus;
    }

    /** Whether core {@code n} is powered (core 0 from reset; others after PSCI CPU_ON). */
    public boolean isPowered(int n) {
        return powered[n] || starting[n];
    }

    /** Instructions retired by all cores together. */
    public long instructionsRetired() {
        long sum = 0;
        for (ArmCpu c : cpus) {
            sum += c.instructionsRetired();
        }
        return sum;
    }

    /**
     * PSCI CPU_ON's effect (the board has checked the target exists and is off): core {@code n}
     * resets to {@code entry} in SVC mode with interrupts masked, {@code r0 = contextId}, and joins
     * the interleaving at the next round of quanta.
     */
    public void powerOn(int n, int entry, int contextId) {
        ArmCpu c = cpus.get(n);
        c.reset(entry);
        c.setReg(0, contextId);
        starting[n] = true;
        tracer.emit("machine", "cpu.on", String.format("cpu%d at 0x%08x, context 0x%08x", n, entry, contextId));
    }

    /** PSCI CPU_OFF's effect: core {@code n} stops; when no core is left the machine powers off. */
    public void powerDown(int n) {
        powered[n] = false;
        starting[n] = false;
        cpus.get(n).requestYield();
        tracer.emit("machine", "cpu.off", "cpu" + n);
        boolean any = false;
        for (int i = 0; i < powered.length; i++) {
            any |= powered[i] || starting[i];
        }
        if (!any) {
            stopWith(RunResult.Outcome.POWER_OFF, 0, "powered off (PSCI CPU_OFF of the last running CPU)");
        }
    }

    /**
     * Runs {@code action} between instructions when core {@code n} has retired exactly {@code count}
     * instructions (the count since power-on; a reset does not restart it): the core's quantum is cut
     * short there. A count already passed runs at the core's next quantum.
     */
    public void atInstruction(int n, long count, Runnable action) {
        if (atInsn[n] == null) {
            atInsn[n] = new java.util.TreeMap<>();
        }
        atInsn[n].computeIfAbsent(count, k -> new java.util.ArrayList<>()).add(action);
    }

    /** Runs core {@code i}'s instruction-count actions that are due; returns the instructions left to the next one. */
    private long insnActions(int i) {
        java.util.TreeMap<Long, List<Runnable>> due = atInsn[i];
        if (due == null) {
            return Long.MAX_VALUE;
        }
        // An action may move the count on (a polling loop fast-forwarded): read it again each time.
        while (!due.isEmpty() && due.firstKey() <= cpus.get(i).instructionsRetired()) {
            due.pollFirstEntry().getValue().forEach(Runnable::run);
        }
        return due.isEmpty() ? Long.MAX_VALUE : due.firstKey() - cpus.get(i).instructionsRetired();
    }

    /** For board builders: the interrupt controller, so observers can watch acknowledgements. */
    public void attachInterruptController(Gic controller) {
        this.gic = controller;
    }

    /** The board's GIC, if it has one. */
    public Optional<Gic> interruptController() {
        return Optional.ofNullable(gic);
    }

    /** For board builders: the PCIe host bridge, so endpoints can be plugged into the built machine. */
    public void attachPcieHost(brassboard.bus.pcie.EcamHostBridge bridge) {
        this.pcie = bridge;
    }

    /** The board's PCIe host bridge, if it has one: plug endpoints ({@code attach}) before the run. */
    public Optional<brassboard.bus.pcie.EcamHostBridge> pcieHost() {
        return Optional.ofNullable(pcie);
    }

    /** For board builders: the WiFi pair ({@code --wifi}) and its air. */
    public void attachWifi(brassboard.devices.wifi.WifiBaseband baseband, brassboard.devices.wifi.Air air) {
        this.wifi = baseband;
        this.wifiAir = air;
    }

    /** The WiFi baseband, if the board has one ({@code --wifi}). */
    public Optional<brassboard.devices.wifi.WifiBaseband> wifi() {
        return Optional.ofNullable(wifi);
    }

    /** The air around the WiFi baseband, if the board has one: frame counts. */
    public Optional<brassboard.devices.wifi.Air> wifiAir() {
        return Optional.ofNullable(wifiAir);
    }

    public Console console() {
        return console;
    }

    /** The board's memory map, one line per region. */
    public String describe() {
        return board.describe();
    }

    /** What the firmware services call to power off, reset or exit. */
    public PowerControl power() {
        return new PowerControl() {
            @Override
            public void powerOff(String how) {
                stopWith(RunResult.Outcome.POWER_OFF, 0, "powered off (" + how + ")");
            }

            @Override
            public void reset(String how) {
                tracer.emit("machine", "machine.reset", how);
                java.util.Arrays.fill(powered, false);
                java.util.Arrays.fill(starting, false);
                powered[0] = true;
                for (ArmCpu c : cpus) {
                    c.requestYield();
                }
                board.reset();
            }

            @Override
            public void exit(int status, String how) {
                stopWith(RunResult.Outcome.FIRMWARE_EXIT, status, "firmware exited with status " + status + " (" + how + ")");
            }
        };
    }

    /**
     * Runs until the firmware powers off or exits, a limit is reached, the console output
     * matches {@code limits.until()}, or a core stops on something unsupported.
     *
     * <p>Cores interleave in rounds: in each round every powered core, in order of its id, runs one
     * quantum starting at the same virtual instant, at most {@link #QUANTUM} instructions and never
     * past the next event; an event a core schedules for earlier (a timer it programs) ends its
     * quantum there and shortens the rest of the round. Then time advances by the longest quantum
     * and due events fire. The order is fixed, so a run is deterministic whatever the core count.
     */
    public RunResult run(RunLimits limits) {
        return loop(limits, Long.MAX_VALUE, false);
    }

    /**
     * As {@link #run}, but the run also pauses — returns empty, the machine ready to go on with the
     * next call — once virtual time reaches {@code pauseAtNs} or {@link #requestPause} is called.
     * Pausing does not change what the machine does: a run paused and resumed any number of times
     * executes the same instructions at the same virtual times as one that never paused (the rounds of
     * quanta are the same; the pause comes between two of them, so it may be up to one quantum past
     * {@code pauseAtNs}, except on an idle machine, which stops exactly there). Once the run has ended
     * the result is returned, here and by every later call.
     */
    public Optional<RunResult> runUntilPaused(RunLimits limits, long pauseAtNs) {
        return Optional.ofNullable(loop(limits, pauseAtNs, true));
    }

    /** The run loop; null when it paused ({@code pausable} only). */
    private RunResult loop(RunLimits limits, long pauseAt, boolean pausable) {
        until = limits.until().orElse(null);
        runLimits = limits;
        if (pollWarp == null && cpus.size() == 1 && PollWarp.enabled() && cpus.get(0).genericTimer() != null) {
            ArmCpu core = cpus.get(0);
            pollWarp = new PollWarp(core, bus, core.genericTimer());
            core.genericTimer().setCounterReadListener(() -> {
                long at = pollWarp.onCounterRead();
                if (at >= 0) {
                    atInstruction(0, at, this::warp);
                    core.requestYield(); // the next quantum ends exactly there
                }
            });
        }
        if (!paused) {
            tracer.emit("machine", "machine.start", String.format("board %s, %d CPU%s, RAM %d MiB, image %s, seed %d",
                    config.board(), cpus.size(), cpus.size() == 1 ? "" : "s", config.ramBytes() >> 20,
                    config.image().getFileName(), config.seed()));
        }
        paused = false;
        pauseRequested = false;
        int n = cpus.size();
        while (stop == null) {
            int r = round(limits, pauseAt, pausable, n);
            if (r == PAUSED) {
                return null;
            }
            if (r == ENDED) {
                break;
            }
        }
        tracer.emit("machine", "machine.stop", stop.message());
        return stop;
    }

    /** {@link #round}'s outcomes: go on with the next round, the run ended, the run paused. */
    private static final int NEXT_ROUND = 0;
    private static final int ENDED = 1;
    private static final int PAUSED = 2;

    /**
     * One pass of {@link #loop}: the checks between rounds, then one round of quanta (or an idle jump
     * to the next event). A method of its own, called once per round, so that HotSpot compiles it as a
     * method: as the body of {@code loop}, which runs once per run, it was compiled only on-stack, at
     * each of its loops' heads in turn and again after each deoptimization (15 compiles of 1,465 bytes
     * in a Linux boot, 0.67 s of C2's time).
     */
    private int round(RunLimits limits, long pauseAt, boolean pausable, int n) {
        String requested = stopRequest;
        if (requested != null) {
            stopWith(RunResult.Outcome.TERMINATED, 0, requested);
            return ENDED;
        }
        scheduler.runHostPosts(); // console input the host has just delivered
        for (int i = 0; i < n; i++) {
            if (starting[i]) {
                starting[i] = false;
                powered[i] = true;
            }
        }
        ArmCpu halted = null;
        for (int i = 0; i < n && halted == null; i++) {
            if (powered[i] && cpus.get(i).isHalted()) {
                halted = cpus.get(i);
            }
        }
        if (halted != null) {
            stopWith(RunResult.Outcome.UNSUPPORTED, RunResult.EXIT_UNSUPPORTED,
                    (n == 1 ? "CPU stopped: " : "CPU " + halted.cpuId() + " stopped: ") + halted.haltReason());
            return ENDED;
        }
        long now = scheduler.now();
        if (now >= limits.maxTimeNs()) {
            stopWith(RunResult.Outcome.LIMIT, RunResult.EXIT_LIMIT, "stopped: --max-time reached");
            return ENDED;
        }
        long retired = instructionsRetired();
        if (retired >= limits.maxInsns()) {
            stopWith(RunResult.Outcome.LIMIT, RunResult.EXIT_LIMIT, "stopped: --max-insns " + limits.maxInsns() + " reached");
            return ENDED;
        }
        if (pausable && (pauseRequested || now >= pauseAt)) {
            // Between rounds, before the events due now: where an unpaused run would be too.
            paused = true;
            return PAUSED;
        }
        long next = scheduler.nextEventTime();
        if (next <= now) {
            scheduler.runDue();
            return NEXT_ROUND;
        }
        boolean anyRunnable = false;
        for (int i = 0; i < n; i++) {
            anyRunnable |= powered[i] && !cpus.get(i).isWaitingForInterrupt();
        }
        if (!anyRunnable) {
            if (pausable && next != Long.MAX_VALUE && pauseAt > now
                    && pauseAt < Math.min(Math.min(next, limits.maxTimeNs()), watchDeadline())) {
                scheduler.advanceTo(pauseAt); // idle until then: nothing happens before the pause
                return NEXT_ROUND;
            }
            long deadline = watchDeadline();
            if (deadline > now && deadline < next && deadline < limits.maxTimeNs()) {
                // Nothing happens before a detector's threshold: go there and let it look.
                scheduler.advanceTo(deadline);
                checkWatches();
                return NEXT_ROUND;
            }
            if (next == Long.MAX_VALUE) {
                stopWith(RunResult.Outcome.LIMIT, RunResult.EXIT_LIMIT, n == 1
                        ? "stopped: the CPU waits for an interrupt and nothing is left to raise one"
                        : "stopped: every CPU waits for an interrupt and nothing is left to raise one");
                return ENDED;
            }
            // Idle: jump to the next event (it may raise an interrupt that wakes a core).
            scheduler.advanceTo(Math.min(next, limits.maxTimeNs()));
            for (int i = 0; i < n; i++) {
                if (powered[i]) {
                    cpus.get(i).run(0); // lets the core notice a wake-up
                }
            }
            checkWatches();
            return NEXT_ROUND;
        }
        long roundEnd = Math.min(Math.min(next, limits.maxTimeNs()), now + QUANTUM * nsPerInstruction);
        if (!watches.isEmpty()) {
            long deadline = watchDeadline();
            if (deadline > now) {
                roundEnd = Math.min(roundEnd, deadline); // a detector's threshold falls in this round
            }
        }
        for (int i = 0; i < n && stop == null; i++) {
            ArmCpu cpu = cpus.get(i);
            if (!powered[i]) {
                continue;
            }
            if (local[i] < now || cpu.isWaitingForInterrupt()) {
                local[i] = now; // a core that waited (or was off) rejoins at the present
            }
            // Instruction-count actions first: one may fast-forward this core (PollWarp).
            long toAction = insnActions(i);
            // Earlier cores of this round may have scheduled events: never run past the first.
            long horizon = Math.min(roundEnd, scheduler.nextEventTime());
            long budget = (horizon - local[i]) / nsPerInstruction;
            if (budget <= 0) {
                if (local[i] > now) {
                    continue; // ahead of the others: it waits for them
                }
                budget = 1;
            }
            budget = Math.min(budget, limits.maxInsns() - instructionsRetired());
            budget = Math.min(budget, toAction);
            if (budget <= 0) {
                break;
            }
            long startRetired = cpu.instructionsRetired();
            long offset = local[i] - now;
            // Stalls that fault rules add count at once: a device touched later in the quantum sees them.
            scheduler.beginQuantum(() -> offset + (cpu.instructionsRetired() - startRetired) * nsPerInstruction
                    + bus.pendingFaultStallNs(), horizon, cpu::requestYield);
            int done;
            try {
                done = cpu.run((int) budget);
            } finally {
                scheduler.endQuantum();
            }
            // An instruction that only took an exception retires nothing; time still moves on, so
            // a core stuck taking exceptions cannot stall virtual time (and --max-time still ends it).
            long steps = done == 0 && !cpu.isWaitingForInterrupt() && powered[i] ? 1 : done;
            local[i] += steps * nsPerInstruction + bus.drainFaultStallNs();
            if (atInsn[i] != null) {
                insnActions(i);
            }
        }
        if (stop != null) {
            // Like a finished quantum: the clock includes the instructions that ran.
            long last = now;
            for (int i = 0; i < n; i++) {
                last = Math.max(last, local[i]);
            }
            scheduler.advanceTo(last);
            return ENDED;
        }
        // Global time moves to the slowest running core (at most the next event): cores ahead of
        // it wait in later rounds, so no core loses or gains time against the others.
        long slowest = Long.MAX_VALUE;
        long latest = now;
        for (int i = 0; i < n; i++) {
            if (powered[i]) {
                latest = Math.max(latest, local[i]);
                if (!cpus.get(i).isWaitingForInterrupt()) {
                    slowest = Math.min(slowest, local[i]);
                }
            }
        }
        // With every core asleep now, time moves to where the last one went to sleep.
        long advance = Math.min(scheduler.nextEventTime(), slowest == Long.MAX_VALUE ? latest : slowest);
        scheduler.advanceTo(Math.max(advance, now));
        if (!watches.isEmpty()) {
            checkWatches();
        }
        return NEXT_ROUND;
    }

    /** Core 0 is about to re-run a polling loop's counter read: skip what {@link PollWarp} proves skippable. */
    private void warp() {
        ArmCpu core = cpus.get(0);
        if (core.irqLine() || core.isWaitingForInterrupt() || core.isHalted() || stop != null || !powered[0]
                || !pollWarpGate.getAsBoolean()) {
            pollWarp.disarm();
            return;
        }
        long limitNs = Math.min(Math.min(scheduler.nextEventTime(), runLimits.maxTimeNs()), watchDeadline());
        long maxInsns = (limitNs - local[0]) / nsPerInstruction;
        maxInsns = Math.min(maxInsns, runLimits.maxInsns() - instructionsRetired());
        if (atInsn[0] != null && !atInsn[0].isEmpty()) {
            maxInsns = Math.min(maxInsns, atInsn[0].firstKey() - core.instructionsRetired());
        }
        long skip = pollWarp.iterationsToSkip(local[0], Math.max(0, maxInsns), nsPerInstruction);
        if (skip > 0) {
            core.skipInstructions(skip);
            local[0] += skip * nsPerInstruction;
            if (tracer.enabled()) {
                tracer.emit("machine", "poll.skip", String.format("cpu0 polling loop at 0x%08x: %d instructions skipped", core.pc(), skip));
            }
        }
        long again = pollWarp.rearmAt();
        if (again >= 0) {
            atInstruction(0, again, this::warp);
        }
    }

    /**
     * Fast-forwards polling loops only while {@code gate} says so: a debugger closes it while it has
     * breakpoints or watchpoints, so that every pass of a loop reaches them. The run's result is the
     * same either way; only slower while closed.
     */
    public void setPollWarpGate(java.util.function.BooleanSupplier gate) {
        pollWarpGate = java.util.Objects.requireNonNull(gate, "gate");
    }

    /** How many times a polling loop was fast-forwarded, and the instructions skipped (0, 0 without). */
    public long[] pollWarpStats() {
        return pollWarp == null ? new long[2] : new long[] {pollWarp.warps(), pollWarp.skippedInstructions()};
    }

    /** The stop reason once the run has ended. */
    public Optional<RunResult> result() {
        return Optional.ofNullable(stop);
    }

    private void stopWith(RunResult.Outcome outcome, int status, String message) {
        if (stop == null) {
            long retired = instructionsRetired();
            String at = String.format("%s at %s virtual, %d instructions", message, formatTime(scheduler.now()), retired);
            stop = new RunResult(outcome, status, at, scheduler.now(), retired);
            for (ArmCpu c : cpus) {
                c.halt(message);
            }
        }
    }

    private void consoleOutput(int b) {
        if (until == null) {
            return;
        }
        recentOutput.append((char) (b & 0xFF));
        if (recentOutput.length() > 2 * RunLimits.UNTIL_WINDOW) {
            recentOutput.delete(0, recentOutput.length() - RunLimits.UNTIL_WINDOW);
        }
        Matcher m = until.matcher(recentOutput);
        if (m.find()) {
            stopWith(RunResult.Outcome.UNTIL_MATCHED, 0, "output matched --until '" + until.pattern() + "'");
        }
    }

    /** Virtual time for people: {@code 1.234567 ms}. */
    public static String formatTime(long ns) {
        if (ns < 1_000) {
            return ns + " ns";
        }
        if (ns < 1_000_000) {
            return String.format("%.3f us", ns / 1e3);
        }
        if (ns < 1_000_000_000) {
            return String.format("%.6f ms", ns / 1e6);
        }
        return String.format("%.9f s", ns / 1e9);
    }
}
