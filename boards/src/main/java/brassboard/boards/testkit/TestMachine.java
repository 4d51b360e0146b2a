package brassboard.boards.testkit;

import brassboard.arm.api.ArmCpu;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.faults.FaultPlan;
import brassboard.boards.faults.FaultPlanException;
import brassboard.boards.faults.FaultSession;
import brassboard.boards.trace.Observation;
import brassboard.boards.watch.LockupDetector;
import brassboard.boards.watch.LockupReport;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.Masters;
import brassboard.firmware.api.Images;
import brassboard.firmware.api.LoadedImage;
import brassboard.firmware.api.Segment;
import brassboard.firmware.api.Symbol;
import brassboard.firmware.api.SymbolTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * A machine under test: built by {@link #builder()} (or handed to a test by {@link BrassboardTest}),
 * driven in virtual time, inspected and broken on purpose.
 *
 * <ul>
 * <li>Time: {@link TestConsole#expect}, {@link #advance}, {@link #step}, {@link #runUntil} and
 *     {@link #runToEnd} run the machine and pause it between two rounds of quanta. Pausing changes
 *     nothing the firmware does: it executes the same instructions at the same virtual times, paused
 *     or not, and writes the same trace ({@link #step} alone cuts a quantum short).</li>
 * <li>State, while paused: {@link #read}/{@link #write} physical memory as a debugger would (fault rules
 *     do not see these accesses; device registers do), {@link #readVirtual}/{@link #writeVirtual}
 *     through core 0's MMU, {@link #reg}/{@link #setReg}, {@link #symbol} from the image's ELF
 *     symbols.</li>
 * <li>Faults: {@link #armFaults(String)} applies a fault plan (YAML, as {@code --faults});
 *     {@link #faultReport()} says what it injected.</li>
 * </ul>
 *
 * <p>Errors in how the machine is built or used are {@link TestkitException}s with one-line messages;
 * expectations that fail ({@code expect}, {@code runUntil}, {@code runToEnd}) are {@link AssertionError}s
 * quoting the console output, so a test framework reports them as failures. Close the machine (or let
 * the extension do it) to finish its trace file.
 */
public final class TestMachine implements AutoCloseable {
    /** The most virtual time {@link #step} lets pass waiting for core 0 to retire its instructions: one hour. */
    public static final Duration STEP_LIMIT = Duration.ofHours(1);

    private final Machine machine;
    private final TestConsole console;
    private final SymbolTable symbols;
    private final Optional<Path> traceFile;
    private final Observation observation;
    private FaultSession faults;
    private LockupDetector detector;
    /** What pauses the current run between rounds, if anything (an expectation, a condition). */
    private BooleanSupplier pauseWhen;
    private boolean closed;

    TestMachine(Machine machine, TestConsole console, SymbolTable symbols, Optional<Path> traceFile, Observation observation) {
        this.machine = machine;
        this.console = console;
        this.symbols = symbols;
        this.traceFile = traceFile;
        this.observation = observation;
        console.attach(this);
        machine.addWatch(now -> {
            BooleanSupplier p = pauseWhen;
            if (p != null && p.getAsBoolean()) {
                machine.requestPause();
            }
        });
    }

    /** A builder for a {@code virt} machine with one core, 128 MiB of RAM and seed 0; name the image. */
    public static TestMachineBuilder builder() {
        return new TestMachineBuilder();
    }

    /** The machine itself, for what this API does not cover (its bus, GIC, PCIe host, tracer). */
    public Machine machine() {
        return machine;
    }

    /** The console: transcript, expectations, input. */
    public TestConsole console() {
        return console;
    }

    /** The virtual time now, in nanoseconds since power-on. */
    public long now() {
        return machine.scheduler().now();
    }

    /** How the run ended, once it has (the firmware powered off or exited, a core stopped, ...). */
    public Optional<RunResult> result() {
        return machine.result();
    }

    /** Whether the run goes on: it has not ended. */
    public boolean running() {
        return machine.result().isEmpty();
    }

    /** The trace file the builder named ({@link TestMachineBuilder#trace}), complete once the machine is closed. */
    public Optional<Path> traceFile() {
        return traceFile;
    }

    // ---------------------------------------------------------------- time

    /** Runs until virtual time is {@code deadline} (or the run ends, or {@code pause} says so between rounds). */
    void runUntil(long deadline, BooleanSupplier pause) {
        if (closed) {
            throw new IllegalStateException("this test machine is closed");
        }
        pauseWhen = pause;
        try {
            machine.runUntilPaused(RunLimits.none(), deadline);
        } finally {
            pauseWhen = null;
        }
    }

    /**
     * Lets {@code duration} of virtual time pass (running the firmware), or less if the run ends first
     * (see {@link #result()}). A running core may take the pause up to one quantum later.
     */
    public TestMachine advance(Duration duration) {
        long ns = nanos(duration, "advance");
        runUntil(saturatedAdd(now(), ns), null);
        return this;
    }

    /**
     * Runs until core 0 has retired {@code instructions} more instructions (other cores run to the end
     * of that round); stops early if the run ends. Unlike the other ways of running, a step ends core 0's
     * quantum where it stops: on several cores, the interleaving after it may differ from a run without.
     *
     * @throws AssertionError if core 0 has not retired them within {@link #STEP_LIMIT} of virtual time
     *                        (it sleeps with nothing to wake it)
     */
    public TestMachine step(long instructions) {
        if (instructions < 0) {
            throw new IllegalArgumentException("step " + instructions + ": expected a number of instructions >= 0");
        }
        ArmCpu core = machine.cpu();
        long target = core.instructionsRetired() + instructions;
        machine.atInstruction(0, target, machine::requestPause);
        runUntil(saturatedAdd(now(), STEP_LIMIT.toNanos()), () -> core.instructionsRetired() >= target);
        if (running() && core.instructionsRetired() < target) {
            throw new AssertionError("step " + instructions + ": core 0 retired only " + (instructions - (target - core.instructionsRetired()))
                    + " of them in " + describe(STEP_LIMIT) + " of virtual time");
        }
        return this;
    }

    /**
     * Runs until {@code condition} holds (checked between rounds of quanta, at most {@link Machine#QUANTUM}
     * instructions per core apart, and after each idle jump), at most {@code timeout} of virtual time.
     *
     * @throws AssertionError when the timeout passes or the run ends first
     */
    public TestMachine runUntil(BooleanSupplier condition, Duration timeout) {
        long deadline = saturatedAdd(now(), nanos(timeout, "runUntil timeout"));
        if (condition.getAsBoolean()) {
            return this;
        }
        runUntil(deadline, condition);
        if (!condition.getAsBoolean()) {
            String why = result().map(r -> "the run ended first (" + r.message() + ")")
                    .orElse("not within " + describe(timeout) + " of virtual time (now " + Machine.formatTime(now()) + ")");
            throw new AssertionError("runUntil: the condition never held: " + why + "; console output"
                    + TestConsole.quoteTail(console.transcript()));
        }
        return this;
    }

    /**
     * Runs until the firmware ends the run (powers off, exits, a core stops), at most {@code timeout}
     * of virtual time; returns how it ended.
     *
     * @throws AssertionError when the timeout passes first
     */
    public RunResult runToEnd(Duration timeout) {
        long deadline = saturatedAdd(now(), nanos(timeout, "runToEnd timeout"));
        runUntil(deadline, null);
        return result().orElseThrow(() -> new AssertionError("runToEnd: the run was still going after " + describe(timeout)
                + " of virtual time (now " + Machine.formatTime(now()) + "); console output" + TestConsole.quoteTail(console.transcript())));
    }

    // ---------------------------------------------------------------- memory

    /**
     * Reads {@code size} (1, 2 or 4) bytes, little-endian, at physical {@code address}, as a debugger does:
     * RAM and flash as they are, a device register as the device answers (a read-to-clear register clears).
     *
     * @throws TestkitException when nothing answers there
     */
    public long read(long address, int size) {
        checkSize(size);
        AddressSpace.Mapping m = mapped(address, size);
        long v = machine.bus().read(address, size, Masters.DEBUG);
        if (v == brassboard.bus.api.MemoryBus.BUS_ERROR) {
            throw new TestkitException(String.format("read of %d bytes at 0x%08x: %s refused it (bus error)", size, address, m.region().name()));
        }
        return v;
    }

    /** The 32-bit word at physical {@code address} (see {@link #read}). */
    public int readWord(long address) {
        return (int) read(address, 4);
    }

    /** {@code length} bytes from physical {@code address} on (see {@link #read}). */
    public byte[] readBytes(long address, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) read(address + i, 1);
        }
        return out;
    }

    /**
     * Writes {@code size} (1, 2 or 4) bytes of {@code value}, little-endian, at physical {@code address},
     * as a bus master would (fault rules do not see it): RAM takes it, a device register acts on it, flash
     * takes it as a command. To put data into flash or ROM, use {@link #load(long, byte[])}.
     *
     * @throws TestkitException when nothing takes it
     */
    public TestMachine write(long address, int size, long value) {
        checkSize(size);
        AddressSpace.Mapping m = mapped(address, size);
        if (!machine.bus().write(address, size, value, Masters.DEBUG)) {
            throw new TestkitException(String.format("write of %d bytes at 0x%08x: %s refused it (bus error)", size, address, m.region().name()));
        }
        return this;
    }

    /** Writes the 32-bit word {@code value} at physical {@code address} (see {@link #write}). */
    public TestMachine writeWord(long address, int value) {
        return write(address, 4, value & 0xFFFF_FFFFL);
    }

    /** Puts {@code data} at physical {@code address} as an image loader does: into RAM, flash or ROM alike. */
    public TestMachine load(long address, byte[] data) {
        try {
            machine.bus().load(address, data);
        } catch (IllegalArgumentException e) {
            throw new TestkitException(String.format("cannot load %d bytes at 0x%08x: %s", data.length, address, e.getMessage()));
        }
        return this;
    }

    /**
     * The physical address core 0's MMU maps virtual {@code address} to now (for a privileged read; the
     * TLB is left alone); with the MMU off, the address itself.
     *
     * @throws TestkitException when the translation would fault
     */
    public long translate(long address) {
        long pa = machine.cpu().debugTranslate((int) address);
        if (pa < 0) {
            throw new TestkitException(String.format("virtual address 0x%08x is not mapped on core 0 (a privileged read there would fault)",
                    address & 0xFFFF_FFFFL));
        }
        return pa;
    }

    /** As {@link #read}, at a virtual address through core 0's MMU (a span crossing pages is read a byte at a time). */
    public long readVirtual(long address, int size) {
        checkSize(size);
        if (samePage(address, size)) {
            return read(translate(address), size);
        }
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= read(translate(address + i), 1) << (8 * i);
        }
        return v;
    }

    /** As {@link #write}, at a virtual address through core 0's MMU. */
    public TestMachine writeVirtual(long address, int size, long value) {
        checkSize(size);
        if (samePage(address, size)) {
            return write(translate(address), size, value);
        }
        for (int i = 0; i < size; i++) {
            write(translate(address + i), 1, (value >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    private static boolean samePage(long address, int size) {
        return (address & 0xFFF) + size <= 0x1000;
    }

    private static void checkSize(int size) {
        if (size != 1 && size != 2 && size != 4) {
            throw new IllegalArgumentException("access size " + size + ": expected 1, 2 or 4 bytes");
        }
    }

    private AddressSpace.Mapping mapped(long address, int size) {
        AddressSpace.Mapping m = machine.bus().mappingAt(address);
        if (m == null || address + size - 1 > m.last()) {
            throw new TestkitException(String.format("nothing is mapped at physical address 0x%08x%s", address,
                    m == null ? "" : " (past the end of " + m + ")"));
        }
        return m;
    }

    /**
     * Loads another image (ELF at its own addresses; a raw binary needs {@link #loadImage(Path, long)})
     * into memory now; a reset of the machine reloads only the machine's own image.
     */
    public LoadedImage loadImage(Path file) {
        return loadImage(file, OptionalLong.empty());
    }

    /** Loads a raw binary at physical {@code address} (an ELF is refused: it loads at its own addresses). */
    public LoadedImage loadImage(Path file, long address) {
        return loadImage(file, OptionalLong.of(address));
    }

    private LoadedImage loadImage(Path file, OptionalLong address) {
        LoadedImage loaded = TestkitException.unchecked(() -> Images.load(file, address));
        for (Segment s : loaded.segments()) {
            byte[] all = new byte[(int) s.memSize()];
            System.arraycopy(s.data(), 0, all, 0, s.data().length);
            try {
                machine.bus().load(s.address(), all);
            } catch (IllegalArgumentException e) {
                throw new TestkitException(file + ": cannot load its segment at " + String.format("0x%08x", s.address()) + ": " + e.getMessage(), e);
            }
        }
        return loaded;
    }

    // ---------------------------------------------------------------- registers and symbols

    /** Core {@code n} (0 is the boot core), for state this API does not cover (CPSR, VFP, CP15). */
    public ArmCpu cpu(int n) {
        if (n < 0 || n >= machine.cpus().size()) {
            throw new IllegalArgumentException("cpu " + n + ": this machine has cores 0 to " + (machine.cpus().size() - 1));
        }
        return machine.cpus().get(n);
    }

    /** Register {@code r} (0-15; 15 is the PC) of core 0, in its current mode. */
    public int reg(int r) {
        return reg(0, r);
    }

    /** Register {@code r} (0-15; 15 is the PC) of core {@code cpu}, in its current mode. */
    public int reg(int cpu, int r) {
        checkRegister(r);
        return r == 15 ? cpu(cpu).pc() : cpu(cpu).reg(r);
    }

    /** Sets register {@code r} (0-15; 15 moves the PC) of core 0, in its current mode. */
    public TestMachine setReg(int r, int value) {
        return setReg(0, r, value);
    }

    /** Sets register {@code r} (0-15; 15 moves the PC) of core {@code cpu}, in its current mode. */
    public TestMachine setReg(int cpu, int r, int value) {
        checkRegister(r);
        cpu(cpu).setReg(r, value);
        return this;
    }

    /** Core 0's PC: the address of the next instruction it executes. */
    public int pc() {
        return machine.cpu().pc();
    }

    private static void checkRegister(int r) {
        if (r < 0 || r > 15) {
            throw new IllegalArgumentException("register r" + r + ": expected r0 to r15");
        }
    }

    /**
     * The symbols: the image's ELF symbols (empty for a raw binary or a stripped ELF), or those of the
     * file named by {@link TestMachineBuilder#symbols}.
     */
    public SymbolTable symbols() {
        return symbols;
    }

    /**
     * The address of the image's symbol {@code name}.
     *
     * @throws TestkitException when the image has no such symbol
     */
    public long symbol(String name) {
        return symbols().lookup(name).map(Symbol::address).orElseThrow(() -> new TestkitException(
                "no symbol '" + name + "' in " + (symbols.source() == null ? machine.config().image() : symbols.source())
                        + (symbols.isEmpty() ? " (it has no symbol table)" : "")));
    }

    // ---------------------------------------------------------------- faults

    /**
     * Arms the fault plan in {@code file} (YAML, as {@code brassboard run --faults}); its timed rules count
     * from power-on. One plan per machine.
     *
     * @throws TestkitException when the plan is invalid for this machine, or one is already armed
     */
    public FaultSession armFaults(Path file) {
        return TestkitException.unchecked(() -> arm(FaultPlan.load(file)));
    }

    /** Arms the fault plan {@code yaml} (see {@link #armFaults(Path)}). */
    public FaultSession armFaults(String yaml) {
        return TestkitException.unchecked(() -> arm(FaultPlan.parse(yaml, "fault plan")));
    }

    private FaultSession arm(FaultPlan plan) throws FaultPlanException {
        if (faults != null) {
            throw new TestkitException("a fault plan (" + faults.plan().source() + ") is already armed on this machine: put every rule in one plan");
        }
        faults = plan.applyTo(machine);
        return faults;
    }

    /** The armed fault plan's session (its injections), if a plan is armed. */
    public Optional<FaultSession> faults() {
        return Optional.ofNullable(faults);
    }

    /**
     * The fault report so far (as {@code --faults} prints at the end: each rule and what it injected);
     * {@code "no fault plan armed\n"} without one.
     */
    public String faultReport() {
        return faults == null ? "no fault plan armed" + System.lineSeparator() : faults.report();
    }

    // ---------------------------------------------------------------- lockups

    void watch(LockupDetector d) {
        this.detector = d;
    }

    /**
     * What the lockup detectors found so far ({@link TestMachineBuilder#watchdog}), in the order found;
     * empty without them.
     */
    public List<LockupReport> lockups() {
        return detector == null ? List.of() : detector.reports();
    }

    // ---------------------------------------------------------------- the end

    /** Finishes the trace file and releases the console; the machine cannot run afterwards. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (observation != null) {
                observation.finish();
            }
        } finally {
            machine.tracer().close();
            machine.console().close();
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- helpers

    static long nanos(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " " + d + ": expected a duration >= 0");
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static String describe(Duration d) {
        return Machine.formatTime(nanos(d, "duration"));
    }

    static long saturatedAdd(long a, long b) {
        long s = a + b;
        return s < a ? Long.MAX_VALUE : s;
    }

    /** The console the machine's UART talks to. */
    static Console consoleFor(TestConsole console) {
        return new Console(brassboard.devices.api.CharBackend.of(console.sink(), console.source()));
    }
}
