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

    /** A load-exclusive (LDREX, LDREXB/H/D) by the instruction at {@code pc} read {@code address}. */
    default void onExclusiveLoad(int pc, long address) {
    }

    /**
     * A store-exclusive by the instruction at {@code pc} to {@code address} succeeded (wrote memory)
     * or failed (the monitor had been lost). A successful one is how a spinlock is taken.
     */
    default void onExclusiveStore(int pc, long address, boolean success) {
    }

    /**
     * The core stopped in WFI ({@code forEvent} false: idle) or WFE ({@code forEvent} true: usually a
     * spin-wait) at {@code pc}; {@link #onWaitEnd} follows when it wakes.
     */
    default void onWaitBegin(int pc, boolean forEvent) {
    }

    /** The core woke from WFI / WFE. */
    default void onWaitEnd() {
    }

    /** An observer that tells {@code first} and then {@code second} everything. */
    static CpuObserver both(CpuObserver first, CpuObserver second) {
        if (first == NONE) {
            return second;
        }
        if (second == NONE) {
            return first;
        }
        return new CpuObserver() {
            @Override
            public void onExceptionEntry(String kind, int fromPc, int vectorPc, int newMode) {
                first.onExceptionEntry(kind, fromPc, vectorPc, newMode);
                second.onExceptionEntry(kind, fromPc, vectorPc, newMode);
            }

            @Override
            public void onExceptionReturn(int toPc, int newMode) {
                first.onExceptionReturn(toPc, newMode);
                second.onExceptionReturn(toPc, newMode);
            }

            @Override
            public void onUndefined(int pc, int word) {
                first.onUndefined(pc, word);
                second.onUndefined(pc, word);
            }

            @Override
            public void onBusError(int pc, long address, boolean write) {
                first.onBusError(pc, address, write);
                second.onBusError(pc, address, write);
            }

            @Override
            public void onHalt(String reason) {
                first.onHalt(reason);
                second.onHalt(reason);
            }

            @Override
            public void onInterruptMaskChange(boolean irqMasked, boolean fiqMasked, int pc) {
                first.onInterruptMaskChange(irqMasked, fiqMasked, pc);
                second.onInterruptMaskChange(irqMasked, fiqMasked, pc);
            }

            @Override
            public void onPcHook(int pc) {
                first.onPcHook(pc);
                second.onPcHook(pc);
            }

            @Override
            public void onWaitBegin(int pc, boolean forEvent) {
                first.onWaitBegin(pc, forEvent);
                second.onWaitBegin(pc, forEvent);
            }

            @Override
            public void onWaitEnd() {
                first.onWaitEnd();
                second.onWaitEnd();
            }

            @Override
            public void onExclusiveLoad(int pc, long address) {
                first.onExclusiveLoad(pc, address);
                second.onExclusiveLoad(pc, address);
            }

            @Override
            public void onExclusiveStore(int pc, long address, boolean success) {
                first.onExclusiveStore(pc, address, success);
                second.onExclusiveStore(pc, address, success);
            }
        };
    }
}
