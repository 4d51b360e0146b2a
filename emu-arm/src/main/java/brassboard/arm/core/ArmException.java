package brassboard.arm.core;

/**
 * The exceptions of ARM ARM B1.8: target mode, vector offset, and which of CPSR.A / CPSR.F the entry
 * sets (CPSR.I is always set). HVC / SMC have no entry here: without EL2/EL3 they are UNDEFINED unless
 * the board's callbacks handle them.
 */
public enum ArmException {
    RESET("reset", Modes.SVC, 0x00, true, true),
    UNDEFINED("undefined", Modes.UND, 0x04, false, false),
    SUPERVISOR_CALL("svc", Modes.SVC, 0x08, false, false),
    PREFETCH_ABORT("prefetch-abort", Modes.ABT, 0x0C, true, false),
    DATA_ABORT("data-abort", Modes.ABT, 0x10, true, false),
    IRQ("irq", Modes.IRQ, 0x18, true, false),
    FIQ("fiq", Modes.FIQ, 0x1C, true, true);

    /** The name given to {@link brassboard.arm.api.CpuObserver#onExceptionEntry}. */
    public final String kind;
    public final int mode;
    public final int vectorOffset;
    final boolean masksAsyncAbort;
    final boolean masksFiq;

    ArmException(String kind, int mode, int vectorOffset, boolean masksAsyncAbort, boolean masksFiq) {
        this.kind = kind;
        this.mode = mode;
        this.vectorOffset = vectorOffset;
        this.masksAsyncAbort = masksAsyncAbort;
        this.masksFiq = masksFiq;
    }
}
