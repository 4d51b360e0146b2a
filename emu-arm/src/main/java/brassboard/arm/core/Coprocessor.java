package brassboard.arm.core;

/**
 * A coprocessor as seen by MCR / MRC / MCRR / MRRC. CP15 implements it now; the MMU and the generic
 * timer extend CP15 later, and a debug (CP14) or VFP (CP10/11) model plugs in the same way.
 * A coprocessor never throws: an access it does not implement, or does not allow at the current
 * privilege level, answers {@link #UNDEFINED} / {@code false}, and the core takes the Undefined
 * Instruction exception.
 */
public interface Coprocessor {
    /** Returned by the read methods for an UNDEFINED access. Never a valid 32-bit value; reserved in 64-bit ones. */
    long UNDEFINED = Long.MIN_VALUE;

    /** MRC: the register's value, zero-extended, or {@link #UNDEFINED}. */
    long mrc(int opc1, int crn, int crm, int opc2, boolean privileged);

    /** MCR: {@code false} when the access is UNDEFINED. */
    boolean mcr(int opc1, int crn, int crm, int opc2, int value, boolean privileged);

    /** MRRC: the 64-bit register's value or {@link #UNDEFINED}. */
    long mrrc(int opc1, int crm, boolean privileged);

    /** MCRR: {@code false} when the access is UNDEFINED. */
    boolean mcrr(int opc1, int crm, long value, boolean privileged);
}
