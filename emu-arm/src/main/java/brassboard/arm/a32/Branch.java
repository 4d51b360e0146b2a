package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;

/**
 * Branch instructions (ARM ARM A5.5 B / BL / BLX (immediate), A5.2.12 BX / BLX (register) / BXJ).
 * An interworking branch to an odd address enters Thumb state, where the T32 interpreter takes over.
 */
public final class Branch {
    private final ArmCore core;
    private final int[] r;

    public Branch(ArmCore core) {
        this.core = core;
        this.r = core.r;
    }

    /** SignExtend(imm24:'00', 32). */
    static int branchOffset(int w) {
        return (w << 8) >> 6;
    }

    // B<c> <label>
    public void b(int w) {
        core.branchWritePc(r[15] + branchOffset(w));
    }

    // BL<c> <label>
    public void bl(int w) {
        r[14] = r[15] - 4;
        core.branchWritePc(r[15] + branchOffset(w));
    }

    // BLX <label>   (unconditional; always enters Thumb state)
    public void blxImmediate(int w) {
        int offset = branchOffset(w) | ((w >>> 23) & 2);
        r[14] = r[15] - 4;
        core.bxWritePc((r[15] + offset) | 1);
    }

    // BX<c> <Rm>
    public void bx(int w) {
        core.bxWritePc(r[w & 15]);
    }

    // BXJ<c> <Rm>   (Jazelle is the trivial implementation: BXJ behaves as BX)
    public void bxj(int w) {
        core.bxWritePc(r[w & 15]);
    }

    // BLX<c> <Rm>
    public void blxRegister(int w) {
        int target = r[w & 15];
        r[14] = r[15] - 4;
        core.bxWritePc(target);
    }
}
