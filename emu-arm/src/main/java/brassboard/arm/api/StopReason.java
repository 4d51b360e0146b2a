package brassboard.arm.api;

/** Why a core stopped executing for good (until the next reset). */
public enum StopReason {
    /** Running (or waiting for an interrupt). */
    NONE,
    /** Halted by {@link ArmCpu#halt} (e.g. a semihosting exit from a callback). */
    REQUESTED,
    /**
     * Formerly: the core entered Thumb state before T32 was implemented. Thumb state runs now and no
     * core stops for this reason; the constant stays for code that names it.
     */
    THUMB_NOT_SUPPORTED,
    /**
     * Formerly: SCTLR.M was set before address translation existed. The MMU is implemented now and
     * no core stops for this reason; the constant stays for code that names it.
     */
    MMU_NOT_SUPPORTED,
    /** An exception vector itself could not be fetched, so the core would loop on Prefetch Aborts. */
    VECTOR_FETCH_ABORT
}
