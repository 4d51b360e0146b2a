package brassboard.arm.api;

/**
 * Debug and trace observer of a core. Every method is a no-op by default; {@link #NONE} observes
 * nothing. Called on the simulation thread, inside {@link ArmCpu#run}; must not re-enter the core.
 */
public interface CpuObserver {
    /** An observer that ignores everything. */
    CpuObserver NONE = new CpuObserver() {
    };

    /**
     * An exception was taken. {@code kind} is one of {@code "reset"}, {@code "undefined"}, {@code "svc"},
     * {@code "prefetch-abort"}, {@code "data-abort"}, {@code "irq"}, {@code "fiq"}.
     */
    default void onExceptionEntry(String kind, int fromPc, int vectorPc, int newMode) {
    }

    /** An exception return (SUBS PC, LR / MOVS PC / LDM ^ / RFE / ERET) restored CPSR from SPSR or memory. */
    default void onExceptionReturn(int toPc, int newMode) {
    }

    /** An instruction word was UNDEFINED (the Undefined Instruction exception follows). */
    default void onUndefined(int pc, int word) {
    }

    /** A memory access by the instruction at {@code pc} ended in a bus error (an external abort follows). */
    default void onBusError(int pc, long address, boolean write) {
    }

    /** The core halted; {@link ArmCpu#haltReason()} gives the same text. */
    default void onHalt(String reason) {
    }

    /**
     * CPSR.I or CPSR.F changed, for whatever reason: exception entry or return, CPS, MSR, a
     * debugger's {@link ArmCpu#setCpsr}, reset. {@code pc} is the instruction that changed them
     * (for an exception entry: the vector; for reset or a write from outside: the next instruction).
     */
    default void onInterruptMaskChange(boolean irqMasked, boolean fiqMasked, int pc) {
    }

    /**
     * The core is about to execute the instruction at {@code pc}, one of the addresses given to
     * {@link ArmCpu#setPcHooks}. The observer may change the hook set from here.
     */
    default void onPcHook(int pc) {
    }
}
