package brassboard.arm.api;

import brassboard.arm.a32.A32Interpreter;
import brassboard.arm.core.ArmCore;
import brassboard.arm.core.Cp15;
import brassboard.arm.core.Modes;
import brassboard.arm.core.UnpredictablePolicy;
import brassboard.arm.timer.GenericTimer;
import brassboard.bus.api.Masters;
import brassboard.bus.api.MemoryBus;
import java.util.Objects;

/**
 * One ARMv7-A core (Cortex-A15 r2p1 identity, A32 and T32 instruction sets, VMSAv7 MMU with both translation table formats), as a board drives it:
 * reset it, run it in quanta of instructions, drive its IRQ / FIQ inputs, watch it stop or wait.
 *
 * <p>The core reaches memory only through the {@link MemoryBus} given here, as master
 * {@link Masters#cpu(int) cpu(cpuId)}; a bus error becomes a precise external abort. Not thread-safe:
 * one simulation thread drives it.
 */
public final class ArmCpu {
    private final ArmCore core;
    private final A32Interpreter interpreter;
    private GenericTimer genericTimer;

    public ArmCpu(int cpuId, MemoryBus bus, CpuCallbacks callbacks) {
        Objects.requireNonNull(bus, "bus");
        this.core = new ArmCore(cpuId, bus, callbacks == null ? CpuCallbacks.NONE : callbacks, this);
        this.interpreter = new A32Interpreter(core);
        core.reset(0);
    }

    /**
     * Reset: SVC mode, IRQ / FIQ / asynchronous aborts masked, ARM state, PC = {@code resetPc}; CP15 (and the
     * generic timer's registers, if attached) to their reset values.
     */
    public void reset(int resetPc) {
        core.reset(resetPc);
        if (genericTimer != null) {
            genericTimer.reset();
        }
    }

    /**
     * Gives this core its Generic Timer (ARM ARM B8): CP15 c14 accesses reach {@code timer} instead of being
     * UNDEFINED, and ID_PFR1.GenTimer reads 1. Once per core, before it runs; the board wires the timer's
     * lines to this core's PPIs (see {@link GenericTimer}).
     */
    public void attachGenericTimer(GenericTimer timer) {
        core.cp15.attachGenericTimer(timer.registers());
        genericTimer = timer;
    }

    /** The attached generic timer, or {@code null}. */
    public GenericTimer genericTimer() {
        return genericTimer;
    }

    /**
     * Executes up to {@code maxInstructions} instructions and returns how many retired (an instruction that
     * was UNDEFINED or aborted does not retire; taking an interrupt uses one of the steps). Returns early
     * when the core is halted, or waits in WFI / WFE.
     */
    public int run(int maxInstructions) {
        return interpreter.run(maxInstructions);
    }

    /**
     * Turns translation of hot straight-line code to JVM bytecode on or off (on by default, or as
     * the system property {@code brassboard.jit} says). Results are the same either way, except
     * that inside a translated block IRQ/FIQ are sampled only at the block's start.
     */
    public void setCompileBlocks(boolean on) {
        interpreter.setCompileBlocks(on);
    }

    /** How many blocks of hot code this core has translated to bytecode so far. */
    public long blocksCompiled() {
        return interpreter.blocksCompiled();
    }

    /**
     * How many times a translation was entered in the data fast path or in the code cache's
     * virtual-to-physical table (each after a miss there: the first access to a page, or one after TLB
     * maintenance dropped it); a statistic for tests and benchmarks.
     */
    public long translationCacheFills() {
        return core.translationCacheFills;
    }

    /** The largest compile threshold ({@link #setCompileThreshold}, {@code -Dbrassboard.jit.hot}). */
    public static final int MAX_COMPILE_THRESHOLD = Short.MAX_VALUE;

    /**
     * What is wrong with {@code value} as a {@code -Dbrassboard.jit.hot} setting (a whole number of
     * interpreted executions from 1 to {@link #MAX_COMPILE_THRESHOLD}), or empty if nothing is.
     */
    public static java.util.Optional<String> compileThresholdProblem(String value) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1 && n <= MAX_COMPILE_THRESHOLD) {
                return java.util.Optional.empty();
            }
        } catch (NumberFormatException e) {
            // not a number: the same answer
        }
        return java.util.Optional.of("expected a whole number of interpreted executions from 1 to " + MAX_COMPILE_THRESHOLD);
    }

    /** How many interpreted executions of an instruction make the block starting there worth translating (default 12,000). */
    public void setCompileThreshold(int executions) {
        interpreter.setCompileThreshold(executions);
    }

    /** In WFI (or WFE with no event registered): {@link #run} does nothing until an IRQ / FIQ line goes high. */
    public boolean isWaitingForInterrupt() {
        return core.waiting;
    }

    /** In WFE, waiting for an event (a spinning core's sleep), rather than in WFI (an idle core's). */
    public boolean isWaitingForEvent() {
        return core.isWaitingForEvent();
    }

    /** The level of the IRQ input now (what the interrupt controller drives). */
    public boolean irqLine() {
        return core.irqLine;
    }

    public boolean isHalted() {
        return core.halted;
    }

    /** Why the core halted (empty while running). */
    public String haltReason() {
        return core.haltReason;
    }

    public StopReason stopReason() {
        return core.stopReason;
    }

    /** Halts the core (a callback ending the simulation, e.g. a semihosting exit); {@link #run} returns after the current instruction. */
    public void halt(String reason) {
        core.halt(StopReason.REQUESTED, reason);
    }

    /** Register {@code n} of the current mode; r15 reads as the PC (inside a callback: the instruction's address + 8). */
    public int reg(int n) {
        return core.r[n];
    }

    /** Sets register {@code n} of the current mode; r15 redirects execution (also from inside a callback). */
    public void setReg(int n, int value) {
        if (n == 15) {
            core.setPcBetweenInstructions(value);
        } else {
            core.r[n] = value;
            core.leaveBlock |= ArmCore.LEAVE_STATE; // a translated block holding registers in locals stops
        }
    }

    /**
     * Declares this core's fault point {@code cpu<n>.reg} in {@code faults}: action flip, performed
     * between instructions on the register numbered {@link brassboard.bus.api.FaultSite#size} (0-15, of
     * the current mode; 15 = the PC: execution continues at the flipped address) with the bits of
     * {@link brassboard.bus.api.FaultSite#value}.
     */
    public brassboard.bus.api.FaultPoint declareFaultPoint(brassboard.bus.api.FaultPoints faults) {
        return faults.declare("cpu" + cpuId() + ".reg", "a general-purpose register of cpu" + cpuId() + ", between instructions", "flip")
                .performer((point, s) -> {
                    if (s.size < 0 || s.size > 15) {
                        s.error = true;
                        return;
                    }
                    if ("check".equals(s.action)) {
                        return;
                    }
                    long old = (s.size == 15 ? pc() : reg(s.size)) & 0xFFFF_FFFFL;
                    long now = (old ^ s.value) & 0xFFFF_FFFFL;
                    setReg(s.size, (int) now);
                    s.previous = old;
                    s.value = now;
                });
    }

    /** The address of the next instruction to execute (inside a callback: of the current one). */
    public int pc() {
        return core.pc;
    }

    public int cpsr() {
        return core.cpsr();
    }

    /** Sets the whole CPSR (a debugger or loader); switches register banks when the mode changes. */
    public void setCpsr(int value) {
        core.writeCpsr(value);
        core.leaveBlock |= ArmCore.LEAVE_STATE;
    }

    /** The SPSR of the current mode (0 in User / System mode, which have none). */
    public int spsr() {
        return core.hasSpsr() ? core.spsr() : 0;
    }

    /** The current mode (CPSR.M), e.g. {@code 0x13} for SVC; see {@link #modeName()}. */
    public int mode() {
        return core.mode;
    }

    public String modeName() {
        return Modes.name(core.mode);
    }

    public long instructionsRetired() {
        return core.retired;
    }

    /**
     * Counts {@code n} more instructions as retired without executing anything: for a machine that
     * fast-forwards a polling loop whose skipped iterations it has shown to change nothing
     * (see {@code brassboard.boards.api.PollWarp}).
     */
    public void skipInstructions(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot un-retire instructions: " + n);
        }
        core.retired += n;
    }

    /** The physical address a data access to {@code va} would use now, from the TLB only; -1 if not there. */
    public long peekTranslation(int va, boolean write) {
        return core.peekTranslation(va, write);
    }

    /**
     * The physical address a privileged read of {@code va} would use now, walking the translation
     * tables if need be, for a debugger or tracer: the TLB, the fault status and fault rules are
     * left alone and no exception is taken; -1 when the read would fault.
     */
    public long debugTranslate(int va) {
        return core.debugTranslate(va);
    }

    /** Whether the core is in a privileged mode (not User). */
    public boolean isPrivileged() {
        return core.isPrivileged();
    }

    /** The level of the IRQ input; sampled only at instruction boundaries, masked by CPSR.I. */
    public void setIrqLine(boolean level) {
        core.irqLine = level;
        core.updateWaiting();
    }

    /** The level of the FIQ input; sampled only at instruction boundaries, masked by CPSR.F. */
    public void setFiqLine(boolean level) {
        core.fiqLine = level;
        core.updateWaiting();
    }

    /**
     * Ends the current {@link #run} at the next instruction boundary (or translated block's end):
     * the board calls this when a device schedules an event before the quantum's planned end.
     */
    public void requestYield() {
        core.yieldRequested = true;
    }

    /** A WFE wake-up event from another core's SEV. */
    public void signalEvent() {
        core.signalEvent();
    }

    public void setObserver(CpuObserver observer) {
        core.observer = observer == null ? CpuObserver.NONE : observer;
    }

    /** The observer set by {@link #setObserver} ({@link CpuObserver#NONE} if none), e.g. to chain another. */
    public CpuObserver observer() {
        return core.observer;
    }

    /**
     * Replaces the PC hooks: before executing the instruction at any of {@code addresses}, the
     * core calls {@link CpuObserver#onPcHook}. Works with translation on (blocks stop before
     * hooked addresses); costs nothing when the set is empty.
     */
    public void setPcHooks(java.util.Collection<Integer> addresses) {
        interpreter.setPcHooks(addresses);
    }

    /** Adds one PC hook (cheap: drops at most the few translated blocks that run over it). */
    public void addPcHook(int address) {
        interpreter.addPcHook(address);
    }

    /**
     * Calls {@link CpuObserver#onPcHook} before every instruction, and executes instructions one at a
     * time (never a translated block of several), while {@code on}: how a debugger single-steps and
     * stops right after a watched access. Results are the same as without; the core is slower.
     */
    public void setHookEveryInstruction(boolean on) {
        interpreter.setHookEveryInstruction(on);
    }

    /** Whether {@link #setHookEveryInstruction} is on. */
    public boolean hooksEveryInstruction() {
        return interpreter.hooksEveryInstruction();
    }

    /** Removes one PC hook. */
    public void removePcHook(int address) {
        interpreter.removePcHook(address);
    }

    /**
     * Puts {@code cpus} in one Inner Shareable domain: a TLB maintenance operation of the
     * inner-shareable kind (TLBIALLIS, TLBIMVAIS, ...) on any of them reaches them all, as on an SMP
     * Cortex-A15 cluster.
     */
    public static void shareInnerDomain(java.util.List<ArmCpu> cpus) {
        ArmCore[] cores = new ArmCore[cpus.size()];
        for (int i = 0; i < cores.length; i++) {
            cores[i] = cpus.get(i).core;
        }
        for (ArmCore c : cores) {
            c.setInnerShareableDomain(cores);
        }
    }

    /** Whether any PC hook is set (without copying them). */
    public boolean hasPcHooks() {
        return interpreter.hasPcHooks();
    }

    /** The current PC hooks. */
    public java.util.Set<Integer> pcHooks() {
        return interpreter.pcHooks();
    }

    public int cpuId() {
        return core.cpuId;
    }

    /** CP15 (SCTLR, fault status and address registers, VBAR, ...), read-only view for boards and tests. */
    public Cp15 cp15() {
        return core.cp15;
    }

    /**
     * The VFP / Advanced SIMD state: D0-D31, FPSCR, FPEXC and CPACR's VFP fields, for boards (a
     * user-mode runner enables VFP as Linux would), debuggers and tests.
     */
    public brassboard.arm.vfp.Vfp vfp() {
        return core.vfp;
    }

    /** The policy deciding UNPREDICTABLE cases; tests and differential fuzzing may change it. */
    public UnpredictablePolicy unpredictablePolicy() {
        return core.policy;
    }
}
