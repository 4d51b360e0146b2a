package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.Psr;
import brassboard.arm.core.UnpredictablePolicy;

/**
 * Media instructions (ARM ARM A5.4) and the other bit-manipulation instructions: CLZ, the saturating
 * QADD family, packing (PKH), selection (SEL), saturation (SSAT / USAT), extension with optional add
 * (SXT* / UXT*), byte and bit reversal, and bit-field operations. Not implemented yet (UNDEFINED):
 * parallel add/subtract (SADD8, UQSUB16, ...), SSAT16 / USAT16, USAD8 / USADA8 and the dual / most-
 * significant-word signed multiplies (SMLAD, SMMUL, ...).
 */
public final class Media {
    private final ArmCore core;
    private final int[] r;

    public Media(ArmCore core) {
        this.core = core;
        this.r = core.r;
    }

    private static int rd(int w) {
        return (w >>> 12) & 15;
    }

    private int rn(int w) {
        return r[(w >>> 16) & 15];
    }

    private int rm(int w) {
        return r[w & 15];
    }

    /** ROR(R[m], rotation) for the extend instructions: rotation = 8 * rotate (bits 11:10). */
    private int rotated(int w) {
        return Integer.rotateRight(rm(w), 8 * ((w >>> 10) & 3));
    }

    private void setQ(long saturated) {
        if (Alu.carry(saturated) != 0) {
            core.psr |= Psr.Q;
        }
    }

    // CLZ<c> <Rd>, <Rm>
    public void clz(int w) {
        core.setRegister(rd(w), Integer.numberOfLeadingZeros(rm(w)));
    }

    // QADD<c> <Rd>, <Rm>, <Rn>
    public void qadd(int w) {
        long sat = Alu.signedSatQ((long) rm(w) + rn(w), 32);
        core.setRegister(rd(w), Alu.result(sat));
        setQ(sat);
    }

    // QSUB<c> <Rd>, <Rm>, <Rn>
    public void qsub(int w) {
        long sat = Alu.signedSatQ((long) rm(w) - rn(w), 32);
        core.setRegister(rd(w), Alu.result(sat));
        setQ(sat);
    }

    // QDADD<c> <Rd>, <Rm>, <Rn>
    public void qdadd(int w) {
        long doubled = Alu.signedSatQ(2L * rn(w), 32);
        long sat = Alu.signedSatQ((long) rm(w) + Alu.result(doubled), 32);
        core.setRegister(rd(w), Alu.result(sat));
        setQ(doubled);
        setQ(sat);
    }

    // QDSUB<c> <Rd>, <Rm>, <Rn>
    public void qdsub(int w) {
        long doubled = Alu.signedSatQ(2L * rn(w), 32);
        long sat = Alu.signedSatQ((long) rm(w) - Alu.result(doubled), 32);
        core.setRegister(rd(w), Alu.result(sat));
        setQ(doubled);
        setQ(sat);
    }

    // PKHBT<c> <Rd>, <Rn>, <Rm>{, LSL #<imm>}  /  PKHTB<c> <Rd>, <Rn>, <Rm>{, ASR #<imm>}
    public void pkh(int w) {
        boolean tbform = (w & (1 << 6)) != 0;
        int operand2 = Alu.immShift(rm(w), w & ~(1 << 5), core.carry()); // type is LSL (BT) or ASR (TB)
        int result = tbform
                ? (rn(w) & 0xFFFF0000) | (operand2 & 0xFFFF)
                : (operand2 & 0xFFFF0000) | (rn(w) & 0xFFFF);
        core.setRegister(rd(w), result);
    }

    // SEL<c> <Rd>, <Rn>, <Rm>
    public void sel(int w) {
        int ge = (core.psr & Psr.GE) >>> 16;
        int result = 0;
        for (int i = 0; i < 4; i++) {
            int laneMask = 0xFF << (8 * i);
            result |= ((ge & (1 << i)) != 0 ? rn(w) : rm(w)) & laneMask;
        }
        core.setRegister(rd(w), result);
    }

    // SSAT<c> <Rd>, #<imm>, <Rn>{, <shift>}
    public void ssat(int w) {
        int saturateTo = ((w >>> 16) & 31) + 1;
        int operand = Alu.immShift(r[w & 15], w & ~(1 << 5), core.carry());
        long sat = Alu.signedSatQ(operand, saturateTo);
        core.setRegister(rd(w), Alu.result(sat));
        setQ(sat);
    }

    // USAT<c> <Rd>, #<imm>, <Rn>{, <shift>}
    public void usat(int w) {
        int saturateTo = (w >>> 16) & 31;
        int operand = Alu.immShift(r[w & 15], w & ~(1 << 5), core.carry());
        long sat = Alu.unsignedSatQ(operand, saturateTo);
        core.setRegister(rd(w), Alu.result(sat));
        setQ(sat);
    }

    // SXTAB16<c> <Rd>, <Rn>, <Rm>{, <rotation>}
    public void sxtab16(int w) {
        int rot = rotated(w);
        int lo = rn(w) + (byte) rot;
        int hi = (rn(w) >>> 16) + (byte) (rot >>> 16);
        core.setRegister(rd(w), (hi << 16) | (lo & 0xFFFF));
    }

    // SXTB16<c> <Rd>, <Rm>{, <rotation>}
    public void sxtb16(int w) {
        int rot = rotated(w);
        core.setRegister(rd(w), ((byte) (rot >>> 16) << 16) | ((byte) rot & 0xFFFF));
    }

    // SXTAB<c> <Rd>, <Rn>, <Rm>{, <rotation>}
    public void sxtab(int w) {
        core.setRegister(rd(w), rn(w) + (byte) rotated(w));
    }

    // SXTB<c> <Rd>, <Rm>{, <rotation>}
    public void sxtb(int w) {
        core.setRegister(rd(w), (byte) rotated(w));
    }

    // SXTAH<c> <Rd>, <Rn>, <Rm>{, <rotation>}
    public void sxtah(int w) {
        core.setRegister(rd(w), rn(w) + (short) rotated(w));
    }

    // SXTH<c> <Rd>, <Rm>{, <rotation>}
    public void sxth(int w) {
        core.setRegister(rd(w), (short) rotated(w));
    }

    // UXTAB16<c> <Rd>, <Rn>, <Rm>{, <rotation>}
    public void uxtab16(int w) {
        int rot = rotated(w);
        int lo = rn(w) + (rot & 0xFF);
        int hi = (rn(w) >>> 16) + ((rot >>> 16) & 0xFF);
        core.setRegister(rd(w), (hi << 16) | (lo & 0xFFFF));
    }

    // UXTB16<c> <Rd>, <Rm>{, <rotation>}
    public void uxtb16(int w) {
        core.setRegister(rd(w), rotated(w) & 0x00FF00FF);
    }

    // UXTAB<c> <Rd>, <Rn>, <Rm>{, <rotation>}
    public void uxtab(int w) {
        core.setRegister(rd(w), rn(w) + (rotated(w) & 0xFF));
    }

    // UXTB<c> <Rd>, <Rm>{, <rotation>}
    public void uxtb(int w) {
        core.setRegister(rd(w), rotated(w) & 0xFF);
    }

    // UXTAH<c> <Rd>, <Rn>, <Rm>{, <rotation>}
    public void uxtah(int w) {
        core.setRegister(rd(w), rn(w) + (rotated(w) & 0xFFFF));
    }

    // UXTH<c> <Rd>, <Rm>{, <rotation>}
    public void uxth(int w) {
        core.setRegister(rd(w), rotated(w) & 0xFFFF);
    }

    // REV<c> <Rd>, <Rm>
    public void rev(int w) {
        core.setRegister(rd(w), Integer.reverseBytes(rm(w)));
    }

    // REV16<c> <Rd>, <Rm>
    public void rev16(int w) {
        int m = rm(w);
        core.setRegister(rd(w), ((m & 0x00FF00FF) << 8) | ((m >>> 8) & 0x00FF00FF));
    }

    // RBIT<c> <Rd>, <Rm>
    public void rbit(int w) {
        core.setRegister(rd(w), Integer.reverse(rm(w)));
    }

    // REVSH<c> <Rd>, <Rm>
    public void revsh(int w) {
        core.setRegister(rd(w), Short.reverseBytes((short) rm(w)));
    }

    // SBFX<c> <Rd>, <Rn>, #<lsb>, #<width>
    public void sbfx(int w) {
        int lsb = (w >>> 7) & 31;
        int widthMinus1 = (w >>> 16) & 31;
        if (lsb + widthMinus1 > 31
                && core.policy.unpredictable(UnpredictablePolicy.Case.BITFIELD_OUT_OF_RANGE)) {
            return;
        }
        int value = r[w & 15] << (31 - lsb - widthMinus1);
        core.setRegister(rd(w), value >> (31 - widthMinus1));
    }

    // UBFX<c> <Rd>, <Rn>, #<lsb>, #<width>
    public void ubfx(int w) {
        int lsb = (w >>> 7) & 31;
        int widthMinus1 = (w >>> 16) & 31;
        if (lsb + widthMinus1 > 31
                && core.policy.unpredictable(UnpredictablePolicy.Case.BITFIELD_OUT_OF_RANGE)) {
            return;
        }
        int value = r[w & 15] << (31 - lsb - widthMinus1);
        core.setRegister(rd(w), value >>> (31 - widthMinus1));
    }

    /** Bits lsb..msb set; empty (msb < lsb is UNPREDICTABLE) when msb < lsb. */
    private static int fieldMask(int lsb, int msb) {
        if (msb < lsb) {
            return 0;
        }
        return (int) (((1L << (msb - lsb + 1)) - 1) << lsb);
    }

    // BFI<c> <Rd>, <Rn>, #<lsb>, #<width>
    public void bfi(int w) {
        int lsb = (w >>> 7) & 31;
        int msb = (w >>> 16) & 31;
        int mask = fieldMask(lsb, msb);
        int d = rd(w);
        core.setRegister(d, (r[d] & ~mask) | ((r[w & 15] << lsb) & mask));
    }

    // BFC<c> <Rd>, #<lsb>, #<width>
    public void bfc(int w) {
        int lsb = (w >>> 7) & 31;
        int msb = (w >>> 16) & 31;
        int d = rd(w);
        core.setRegister(d, r[d] & ~fieldMask(lsb, msb));
    }
}
