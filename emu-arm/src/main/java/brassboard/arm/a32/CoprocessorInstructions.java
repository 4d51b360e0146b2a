package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.Coprocessor;
import brassboard.arm.core.Psr;

/**
 * Coprocessor register transfers (ARM ARM A5.6): MCR / MRC / MCRR / MRRC, routed to the
 * {@link Coprocessor} the core has for the coprocessor number (only CP15 now). An access the
 * coprocessor refuses, and every other coprocessor instruction (LDC, STC, CDP, the *2 forms), is
 * UNDEFINED.
 */
public final class CoprocessorInstructions {
    private final ArmCore core;
    private final int[] r;

    public CoprocessorInstructions(ArmCore core) {
        this.core = core;
        this.r = core.r;
    }

    private Coprocessor coprocessor(int w) {
        return core.coprocessor((w >>> 8) & 15);
    }

    // MCR<c> <coproc>, <opc1>, <Rt>, <CRn>, <CRm>{, <opc2>}
    public void mcr(int w) {
        Coprocessor cp = coprocessor(w);
        if (cp == null || !cp.mcr((w >>> 21) & 7, (w >>> 16) & 15, w & 15, (w >>> 5) & 7,
                r[(w >>> 12) & 15], core.isPrivileged())) {
            core.policy.undefined();
        }
    }

    // MRC<c> <coproc>, <opc1>, <Rt>, <CRn>, <CRm>{, <opc2>}   (Rt == 15: APSR_nzcv)
    public void mrc(int w) {
        Coprocessor cp = coprocessor(w);
        long value = cp == null ? Coprocessor.UNDEFINED
                : cp.mrc((w >>> 21) & 7, (w >>> 16) & 15, w & 15, (w >>> 5) & 7, core.isPrivileged());
        if (value == Coprocessor.UNDEFINED) {
            core.policy.undefined();
            return;
        }
        int t = (w >>> 12) & 15;
        if (t == 15) {
            core.flags = (int) value & Psr.NZCV;
        } else {
            r[t] = (int) value;
        }
    }

    // MCRR<c> <coproc>, <opc1>, <Rt>, <Rt2>, <CRm>
    public void mcrr(int w) {
        Coprocessor cp = coprocessor(w);
        long value = ((long) r[(w >>> 16) & 15] << 32) | (r[(w >>> 12) & 15] & 0xFFFF_FFFFL);
        if (cp == null || !cp.mcrr((w >>> 4) & 15, w & 15, value, core.isPrivileged())) {
            core.policy.undefined();
        }
    }

    // MRRC<c> <coproc>, <opc>, <Rt>, <Rt2>, <CRm>
    public void mrrc(int w) {
        Coprocessor cp = coprocessor(w);
        long value = cp == null ? Coprocessor.UNDEFINED : cp.mrrc((w >>> 4) & 15, w & 15, core.isPrivileged());
        if (value == Coprocessor.UNDEFINED) {
            core.policy.undefined();
            return;
        }
        core.setRegister((w >>> 12) & 15, (int) value);
        core.setRegister((w >>> 16) & 15, (int) (value >>> 32));
    }
}
