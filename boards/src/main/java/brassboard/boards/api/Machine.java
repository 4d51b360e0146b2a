package brassboard.boards.api;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.gic.Gic;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.boards.virt.VirtBoard;
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
    private final ArmCpu cpu;
    private final Console console;
    private final long nsPerInstruction;
    private Board board;
    private Gic gic;
    private RunResult stop;
    private Pattern until;
    private final StringBuilder recentOutput = new StringBuilder();

    /**
     * Builds the machine {@code config.board()} names and loads its image.
     *
     * @throws ConfigException for an unknown board or an impossible configuration
     * @throws ImageException  for an image that cannot be loaded or does not fit the board
     */
    public static Machine create(MachineConfig config, Console console) throws ConfigException, ImageException {
        if (!config.board().equals(VirtBoard.NAME)) {
            throw new ConfigException("unknown board '" + config.board() + "'; known boards: " + VirtBoard.NAME);
        }
        return VirtBoard.build(config, console);
    }

    /** For board builders: the parts every machine has. */
    public Machine(MachineConfig config, Scheduler scheduler, Tracer tracer, FaultPoints faults, AddressSpace bus,
                   ArmCpu cpu, Console console) {
        this.config = config;
        this.scheduler = scheduler;
        this.tracer = tracer;
        this.faults = faults;
        this.bus = bus;
        this.cpu = cpu;
        this.console = console;
        this.nsPerInstruction = Math.max(1, 1_000_000_000L / config.cpuHz());
        console.addListener(this::consoleOutput);
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

    public ArmCpu cpu() {
        return cpu;
    }

    /** Every core, indexed by {@link ArmCpu#cpuId()}. */
    public List<ArmCpu> cpus() {
        return List.of(cpu);
    }

    /** For board builders: the interrupt controller, so observers can watch acknowledgements. */
    public void attachInterruptController(Gic controller) {
        this.gic = controller;
    }

    /** The board's GIC, if it has one. */
    public Optional<Gic> interruptController() {
        return Optional.ofNullable(gic);
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
     * matches {@code limits.until()}, or the CPU stops on something unsupported.
     */
    public RunResult run(RunLimits limits) {
        until = limits.until().orElse(null);
        tracer.emit("machine", "machine.start", String.format("board %s, RAM %d MiB, image %s, seed %d",
                config.board(), config.ramBytes() >> 20, config.image().getFileName(), config.seed()));
        while (stop == null) {
            if (cpu.isHalted()) {
                stopWith(RunResult.Outcome.UNSUPPORTED, RunResult.EXIT_UNSUPPORTED, "CPU stopped: " + cpu.haltReason());
                break;
            }
            long now = scheduler.now();
            if (now >= limits.maxTimeNs()) {
                stopWith(RunResult.Outcome.LIMIT, RunResult.EXIT_LIMIT, "stopped: --max-time reached");
                break;
            }
            long retired = cpu.instructionsRetired();
            if (retired >= limits.maxInsns()) {
                stopWith(RunResult.Outcome.LIMIT, RunResult.EXIT_LIMIT, "stopped: --max-insns " + limits.maxInsns() + " reached");
                break;
            }
            long next = scheduler.nextEventTime();
            if (next <= now) {
                scheduler.runDue();
                continue;
            }
            if (cpu.isWaitingForInterrupt()) {
                if (next == Long.MAX_VALUE) {
                    stopWith(RunResult.Outcome.LIMIT, RunResult.EXIT_LIMIT,
                            "stopped: the CPU waits for an interrupt and nothing is left to raise one");
                    break;
                }
                // Idle: jump to the next event (it may raise an interrupt that wakes the core).
                scheduler.advanceTo(Math.min(next, limits.maxTimeNs()));
                cpu.run(0); // lets the core notice a wake-up
                continue;
            }
            long budget = QUANTUM;
            long horizon = Math.min(next, limits.maxTimeNs());
            if (horizon != Long.MAX_VALUE) {
                budget = Math.min(budget, Math.max(1, (horizon - now) / nsPerInstruction));
            }
            budget = Math.min(budget, limits.maxInsns() - retired);
            long startRetired = retired;
            // Stalls that fault rules add count at once: a device touched later in the quantum sees them.
            scheduler.beginQuantum(() -> (cpu.instructionsRetired() - startRetired) * nsPerInstruction + bus.pendingFaultStallNs());
            int done;
            try {
                done = cpu.run((int) budget);
            } finally {
                scheduler.endQuantum();
            }
            // An instruction that only took an exception retires nothing; time still moves on, so
            // a core stuck taking exceptions cannot stall virtual time (and --max-time still ends it).
            long elapsed = (done == 0 && !cpu.isWaitingForInterrupt() ? 1 : done) * nsPerInstruction;
            scheduler.advanceTo(now + elapsed + bus.drainFaultStallNs());
        }
        tracer.emit("machine", "machine.stop", stop.message());
        return stop;
    }

    /** The stop reason once the run has ended. */
    public Optional<RunResult> result() {
        return Optional.ofNullable(stop);
    }

    private void stopWith(RunResult.Outcome outcome, int status, String message) {
        if (stop == null) {
            String at = String.format("%s at %s virtual, %d instructions", message, formatTime(scheduler.now()), cpu.instructionsRetired());
            stop = new RunResult(outcome, status, at, scheduler.now(), cpu.instructionsRetired());
            cpu.halt(message);
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
