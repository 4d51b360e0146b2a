package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.Psr;

/**
 * Multiply instructions (ARM ARM A5.2.5, A5.2.7), the signed multiplies of the media space (A5.4.4:
 * dual 16-bit SMLAD / SMUAD / SMLSD / SMUSD / SMLALD / SMLSLD, most-significant-word SMMUL / SMMLA /
 * SMMLS) and the integer divides (A8.8.165, A8.8.248).
 * Flag-setting multiplies change only N and Z (C and V are unchanged in ARMv7).
 */
public final class Multiply {
    private static final int S_BIT = 1 << 20;

    private final ArmCore core;
    private final int[] r;

    public Multiply(ArmCore core) {
        this.core = core;
        this.r = core.r;
    }

    private static int rd(int w) {
        return (w >>> 16) & 15;
    }

    private int rn(int w) {
        return r[w & 15];
    }

    private int rm(int w) {
        return r[(w >>> 8) & 15];
    }

    private int ra(int w) {
        return r[(w >>> 12) & 15];
    }

    private void writeLong(int w, long result) {
        int lo = (w >>> 12) & 15;
        int hi = (w >>> 16) & 15;
        core.setRegister(lo, (int) result);
        core.setRegister(hi, (int) (result >>> 32));
        if ((w & S_BIT) != 0) {
            core.flags = (core.flags & (Psr.C | Psr.V)) | ((int) (result >>> 32) & Psr.N) | (result == 0 ? Psr.Z : 0);
        }
    }

    private void writeShort(int w, int result) {
        core.setRegister(rd(w), result);
        if ((w & S_BIT) != 0) {
            core.setNZ(result);
        }
    }

    // MUL{S}<c> <Rd>, <Rn>, <Rm>
    public void mul(int w) {
        writeShort(w, rn(w) * rm(w));
    }

    // MLA{S}<c> <Rd>, <Rn>, <Rm>, <Ra>
    public void mla(int w) {
        writeShort(w, rn(w) * rm(w) + ra(w));
    }

    // MLS<c> <Rd>, <Rn>, <Rm>, <Ra>
    public void mls(int w) {
        core.setRegister(rd(w), ra(w) - rn(w) * rm(w));
    }

    // UMULL{S}<c> <RdLo>, <RdHi>, <Rn>, <Rm>
    public void umull(int w) {
        writeLong(w, (rn(w) & 0xFFFF_FFFFL) * (rm(w) & 0xFFFF_FFFFL));
    }

    // UMLAL{S}<c> <RdLo>, <RdHi>, <Rn>, <Rm>
    public void umlal(int w) {
        long acc = ((long) r[(w >>> 16) & 15] << 32) | (r[(w >>> 12) & 15] & 0xFFFF_FFFFL);
        writeLong(w, (rn(w) & 0xFFFF_FFFFL) * (rm(w) & 0xFFFF_FFFFL) + acc);
    }

    // SMULL{S}<c> <RdLo>, <RdHi>, <Rn>, <Rm>
    public void smull(int w) {
        writeLong(w, (long) rn(w) * rm(w));
    }

    // SMLAL{S}<c> <RdLo>, <RdHi>, <Rn>, <Rm>
    public void smlal(int w) {
        long acc = ((long) r[(w >>> 16) & 15] << 32) | (r[(w >>> 12) & 15] & 0xFFFF_FFFFL);
        writeLong(w, (long) rn(w) * rm(w) + acc);
    }

    // UMAAL<c> <RdLo>, <RdHi>, <Rn>, <Rm>
    public void umaal(int w) {
        long result = (rn(w) & 0xFFFF_FFFFL) * (rm(w) & 0xFFFF_FFFFL)
                + (r[(w >>> 16) & 15] & 0xFFFF_FFFFL) + (r[(w >>> 12) & 15] & 0xFFFF_FFFFL);
        writeLong(w & ~S_BIT, result);
    }

    /** The halfword of {@code value} selected by {@code top}, sign-extended. */
    private static int half(int value, boolean top) {
        return top ? value >> 16 : (short) value;
    }

    private void setQ(boolean overflow) {
        if (overflow) {
            core.psr |= Psr.Q;
        }
    }

    // SMLA<x><y><c> <Rd>, <Rn>, <Rm>, <Ra>
    public void smlaxy(int w) {
        long product = (long) half(rn(w), (w & 0x20) != 0) * half(rm(w), (w & 0x40) != 0);
        long result = product + ra(w);
        core.setRegister(rd(w), (int) result);
        setQ(result != (int) result);
    }

    // SMUL<x><y><c> <Rd>, <Rn>, <Rm>
    public void smulxy(int w) {
        core.setRegister(rd(w), half(rn(w), (w & 0x20) != 0) * half(rm(w), (w & 0x40) != 0));
    }

    // SMLAW<y><c> <Rd>, <Rn>, <Rm>, <Ra>
    public void smlawy(int w) {
        long product = (long) rn(w) * half(rm(w), (w & 0x40) != 0);
        long result = (product >> 16) + ra(w);
        core.setRegister(rd(w), (int) result);
        setQ(result != (int) result);
    }

    // SMULW<y><c> <Rd>, <Rn>, <Rm>
    public void smulwy(int w) {
        long product = (long) rn(w) * half(rm(w), (w & 0x40) != 0);
        core.setRegister(rd(w), (int) (product >> 16));
    }

    // SMLAL<x><y><c> <RdLo>, <RdHi>, <Rn>, <Rm>
    public void smlalxy(int w) {
        long acc = ((long) r[(w >>> 16) & 15] << 32) | (r[(w >>> 12) & 15] & 0xFFFF_FFFFL);
        long product = (long) half(rn(w), (w & 0x20) != 0) * half(rm(w), (w & 0x40) != 0);
        writeLong(w & ~S_BIT, acc + product);
    }

    // SDIV<c> <Rd>, <Rn>, <Rm>   (divide by zero gives 0: Cortex-A15, no divide-by-zero trap in A profile)
    public void sdiv(int w) {
        int divisor = rm(w);
        int dividend = rn(w);
        core.setRegister(rd(w), divisor == 0 ? 0 : divisor == -1 ? -dividend : dividend / divisor);
    }

    // UDIV<c> <Rd>, <Rn>, <Rm>
    public void udiv(int w) {
        int divisor = rm(w);
        core.setRegister(rd(w), divisor == 0 ? 0 : Integer.divideUnsigned(rn(w), divisor));
    }

    // ---------------------------------------------------------------- signed multiplies (A5.4.4)

    /** Bit 5 of the dual multiplies (M: swap the halves of Rm) and of SMMUL / SMMLA / SMMLS (R: round). */
    private static final int M_BIT = 1 << 5;
    private static final int R_BIT = 1 << 5;

    /** operand2 of the dual multiplies: Rm, with its halfwords swapped when M is set. */
    private int dualOperand2(int w) {
        return (w & M_BIT) != 0 ? Integer.rotateRight(rm(w), 16) : rm(w);
    }

    /** product1 = SInt(R[n][15:0]) * SInt(operand2[15:0]). */
    private int product1(int w) {
        return (short) rn(w) * (short) dualOperand2(w);
    }

    /** product2 = SInt(R[n][31:16]) * SInt(operand2[31:16]). */
    private int product2(int w) {
        return (rn(w) >> 16) * (dualOperand2(w) >> 16);
    }

    /** R[d] = result[31:0]; Q set when the result does not fit in 32 bits. */
    private void writeSaturating(int w, long result) {
        core.setRegister(rd(w), (int) result);
        setQ(result != (int) result);
    }

    // SMLAD{X}<c> <Rd>, <Rn>, <Rm>, <Ra>
    public void smlad(int w) {
        writeSaturating(w, (long) product1(w) + product2(w) + ra(w));
    }

    // SMUAD{X}<c> <Rd>, <Rn>, <Rm>
    public void smuad(int w) {
        writeSaturating(w, (long) product1(w) + product2(w));
    }

    // SMLSD{X}<c> <Rd>, <Rn>, <Rm>, <Ra>
    public void smlsd(int w) {
        writeSaturating(w, (long) product1(w) - product2(w) + ra(w));
    }

    // SMUSD{X}<c> <Rd>, <Rn>, <Rm>   (the difference always fits: no Q)
    public void smusd(int w) {
        core.setRegister(rd(w), product1(w) - product2(w));
    }

    // SMLALD{X}<c> <RdLo>, <RdHi>, <Rn>, <Rm>
    public void smlald(int w) {
        long acc = ((long) r[(w >>> 16) & 15] << 32) | (r[(w >>> 12) & 15] & 0xFFFF_FFFFL);
        writeLong(w, (long) product1(w) + product2(w) + acc);
    }

    // SMLSLD{X}<c> <RdLo>, <RdHi>, <Rn>, <Rm>
    public void smlsld(int w) {
        long acc = ((long) r[(w >>> 16) & 15] << 32) | (r[(w >>> 12) & 15] & 0xFFFF_FFFFL);
        writeLong(w, (long) product1(w) - product2(w) + acc);
    }

    /** R[d] = result[63:32], after adding 0x80000000 when R (round) is set. */
    private void writeMostSignificantWord(int w, long result) {
        if ((w & R_BIT) != 0) {
            result += 0x8000_0000L;
        }
        core.setRegister(rd(w), (int) (result >> 32));
    }

    // SMMLA{R}<c> <Rd>, <Rn>, <Rm>, <Ra>
    public void smmla(int w) {
        writeMostSignificantWord(w, ((long) ra(w) << 32) + (long) rn(w) * rm(w));
    }

    // SMMUL{R}<c> <Rd>, <Rn>, <Rm>
    public void smmul(int w) {
        writeMostSignificantWord(w, (long) rn(w) * rm(w));
    }

    // SMMLS{R}<c> <Rd>, <Rn>, <Rm>, <Ra>   (Ra == PC, UNPREDICTABLE: SMMUL{R}, as QEMU)
    public void smmls(int w) {
        long product = (long) rn(w) * rm(w);
        writeMostSignificantWord(w, ((w >>> 12) & 15) == 15 ? product : ((long) ra(w) << 32) - product);
    }
}
