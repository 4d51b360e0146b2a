package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.Psr;
import brassboard.arm.core.UnpredictablePolicy;

/**
 * Media instructions (ARM ARM A5.4) and the other bit-manipulation instructions: CLZ, the saturating
 * QADD family, packing (PKH), selection (SEL), saturation (SSAT / USAT), extension with optional add
 * (SXT* / UXT*), byte and bit reversal, bit-field operations, parallel addition and subtraction
 * (SADD16, UQSUB8, ...), SSAT16 / USAT16 and USAD8 / USADA8. (The dual and most-significant-word signed
 * multiplies of A5.4.4 live in {@link Multiply}.)
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
        if (msb < lsb && core.policy.unpredictable(UnpredictablePolicy.Case.BITFIELD_MSB_BELOW_LSB)) {
            return;
        }
        int mask = fieldMask(lsb, msb);
        int d = rd(w);
        core.setRegister(d, (r[d] & ~mask) | ((r[w & 15] << lsb) & mask));
    }

    // BFC<c> <Rd>, #<lsb>, #<width>
    public void bfc(int w) {
        int lsb = (w >>> 7) & 31;
        int msb = (w >>> 16) & 31;
        if (msb < lsb && core.policy.unpredictable(UnpredictablePolicy.Case.BITFIELD_MSB_BELOW_LSB)) {
            return;
        }
        int d = rd(w);
        core.setRegister(d, r[d] & ~fieldMask(lsb, msb));
    }

    // ---------------------------------------------------------------- parallel add / subtract (A5.4.1)

    /** Bits 22:20 of a parallel add / subtract: the prefix. */
    private static final int PREFIX_S = 1;
    private static final int PREFIX_Q = 2;
    private static final int PREFIX_SH = 3;
    private static final int PREFIX_U = 5;
    private static final int PREFIX_UQ = 6;
    private static final int PREFIX_UH = 7;

    /** One lane of {@code value}: {@code bits} wide at bit {@code lsb}, signed for the S / Q / SH prefixes. */
    private static int lane(int value, int lsb, int bits, boolean signed) {
        int v = value << (32 - lsb - bits);
        return signed ? v >> (32 - bits) : v >>> (32 - bits);
    }

    /**
     * Whether a lane sets its APSR.GE bits: for the signed (S) forms, a result >= 0; for the unsigned (U)
     * forms, a sum that carries out of the lane or a difference >= 0 (no borrow).
     */
    private static boolean laneGe(int result, boolean add, boolean signed, int bits) {
        return signed || !add ? result >= 0 : result >= (1 << bits);
    }

    /** A lane's full-precision result as the prefix writes it: modulo, SignedSat / UnsignedSat, or halved. */
    private int laneResult(int result, int prefix, int bits) {
        switch (prefix) {
            case PREFIX_Q: return Alu.result(Alu.signedSatQ(result, bits));
            case PREFIX_UQ: return Alu.result(Alu.unsignedSatQ(result, bits));
            case PREFIX_SH: case PREFIX_UH: return result >> 1;
            default: return result;
        }
    }

    private void setGe(int prefix, int ge) {
        if (prefix == PREFIX_S || prefix == PREFIX_U) {
            core.psr = (core.psr & ~Psr.GE) | (ge << 16);
        }
    }

    /**
     * The halfword forms: low lane = Rn[15:0] op Rm[15:0] (Rm[31:16] when {@code exchange}), high lane =
     * Rn[31:16] op Rm[31:16] (Rm[15:0]); op is + or - per lane.
     */
    private void parallel16(int w, boolean exchange, boolean lowAdd, boolean highAdd) {
        int prefix = (w >>> 20) & 7;
        boolean signed = prefix < 4;
        int n = rn(w);
        int m = exchange ? Integer.rotateRight(rm(w), 16) : rm(w);
        int lo = lowAdd ? lane(n, 0, 16, signed) + lane(m, 0, 16, signed)
                : lane(n, 0, 16, signed) - lane(m, 0, 16, signed);
        int hi = highAdd ? lane(n, 16, 16, signed) + lane(m, 16, 16, signed)
                : lane(n, 16, 16, signed) - lane(m, 16, 16, signed);
        core.setRegister(rd(w), (laneResult(hi, prefix, 16) << 16) | (laneResult(lo, prefix, 16) & 0xFFFF));
        setGe(prefix, (laneGe(lo, lowAdd, signed, 16) ? 0b0011 : 0) | (laneGe(hi, highAdd, signed, 16) ? 0b1100 : 0));
    }

    /** The byte forms: each byte lane of Rn plus / minus the same lane of Rm. */
    private void parallel8(int w, boolean add) {
        int prefix = (w >>> 20) & 7;
        boolean signed = prefix < 4;
        int n = rn(w);
        int m = rm(w);
        int result = 0;
        int ge = 0;
        for (int i = 0; i < 4; i++) {
            int a = lane(n, 8 * i, 8, signed);
            int b = lane(m, 8 * i, 8, signed);
            int x = add ? a + b : a - b;
            result |= (laneResult(x, prefix, 8) & 0xFF) << (8 * i);
            ge |= laneGe(x, add, signed, 8) ? 1 << i : 0;
        }
        core.setRegister(rd(w), result);
        setGe(prefix, ge);
    }

    // SADD16<c> <Rd>, <Rn>, <Rm>
    public void sadd16(int w) {
        parallel16(w, false, true, true);
    }

    // SASX<c> <Rd>, <Rn>, <Rm>
    public void sasx(int w) {
        parallel16(w, true, false, true);
    }

    // SSAX<c> <Rd>, <Rn>, <Rm>
    public void ssax(int w) {
        parallel16(w, true, true, false);
    }

    // SSUB16<c> <Rd>, <Rn>, <Rm>
    public void ssub16(int w) {
        parallel16(w, false, false, false);
    }

    // SADD8<c> <Rd>, <Rn>, <Rm>
    public void sadd8(int w) {
        parallel8(w, true);
    }

    // SSUB8<c> <Rd>, <Rn>, <Rm>
    public void ssub8(int w) {
        parallel8(w, false);
    }

    // QADD16<c> <Rd>, <Rn>, <Rm>
    public void qadd16(int w) {
        parallel16(w, false, true, true);
    }

    // QASX<c> <Rd>, <Rn>, <Rm>
    public void qasx(int w) {
        parallel16(w, true, false, true);
    }

    // QSAX<c> <Rd>, <Rn>, <Rm>
    public void qsax(int w) {
        parallel16(w, true, true, false);
    }

    // QSUB16<c> <Rd>, <Rn>, <Rm>
    public void qsub16(int w) {
        parallel16(w, false, false, false);
    }

    // QADD8<c> <Rd>, <Rn>, <Rm>
    public void qadd8(int w) {
        parallel8(w, true);
    }

    // QSUB8<c> <Rd>, <Rn>, <Rm>
    public void qsub8(int w) {
        parallel8(w, false);
    }

    // SHADD16<c> <Rd>, <Rn>, <Rm>
    public void shadd16(int w) {
        parallel16(w, false, true, true);
    }

    // SHASX<c> <Rd>, <Rn>, <Rm>
    public void shasx(int w) {
        parallel16(w, true, false, true);
    }

    // SHSAX<c> <Rd>, <Rn>, <Rm>
    public void shsax(int w) {
        parallel16(w, true, true, false);
    }

    // SHSUB16<c> <Rd>, <Rn>, <Rm>
    public void shsub16(int w) {
        parallel16(w, false, false, false);
    }

    // SHADD8<c> <Rd>, <Rn>, <Rm>
    public void shadd8(int w) {
        parallel8(w, true);
    }

    // SHSUB8<c> <Rd>, <Rn>, <Rm>
    public void shsub8(int w) {
        parallel8(w, false);
    }

    // UADD16<c> <Rd>, <Rn>, <Rm>
    public void uadd16(int w) {
        parallel16(w, false, true, true);
    }

    // UASX<c> <Rd>, <Rn>, <Rm>
    public void uasx(int w) {
        parallel16(w, true, false, true);
    }

    // USAX<c> <Rd>, <Rn>, <Rm>
    public void usax(int w) {
        parallel16(w, true, true, false);
    }

    // USUB16<c> <Rd>, <Rn>, <Rm>
    public void usub16(int w) {
        parallel16(w, false, false, false);
    }

    // UADD8<c> <Rd>, <Rn>, <Rm>
    public void uadd8(int w) {
        parallel8(w, true);
    }

    // USUB8<c> <Rd>, <Rn>, <Rm>
    public void usub8(int w) {
        parallel8(w, false);
    }

    // UQADD16<c> <Rd>, <Rn>, <Rm>
    public void uqadd16(int w) {
        parallel16(w, false, true, true);
    }

    // UQASX<c> <Rd>, <Rn>, <Rm>
    public void uqasx(int w) {
        parallel16(w, true, false, true);
    }

    // UQSAX<c> <Rd>, <Rn>, <Rm>
    public void uqsax(int w) {
        parallel16(w, true, true, false);
    }

    // UQSUB16<c> <Rd>, <Rn>, <Rm>
    public void uqsub16(int w) {
        parallel16(w, false, false, false);
    }

    // UQADD8<c> <Rd>, <Rn>, <Rm>
    public void uqadd8(int w) {
        parallel8(w, true);
    }

    // UQSUB8<c> <Rd>, <Rn>, <Rm>
    public void uqsub8(int w) {
        parallel8(w, false);
    }

    // UHADD16<c> <Rd>, <Rn>, <Rm>
    public void uhadd16(int w) {
        parallel16(w, false, true, true);
    }

    // UHASX<c> <Rd>, <Rn>, <Rm>
    public void uhasx(int w) {
        parallel16(w, true, false, true);
    }

    // UHSAX<c> <Rd>, <Rn>, <Rm>
    public void uhsax(int w) {
        parallel16(w, true, true, false);
    }

    // UHSUB16<c> <Rd>, <Rn>, <Rm>
    public void uhsub16(int w) {
        parallel16(w, false, false, false);
    }

    // UHADD8<c> <Rd>, <Rn>, <Rm>
    public void uhadd8(int w) {
        parallel8(w, true);
    }

    // UHSUB8<c> <Rd>, <Rn>, <Rm>
    public void uhsub8(int w) {
        parallel8(w, false);
    }

    // ---------------------------------------------------------------- halfword saturation, sum of absolute differences

    // SSAT16<c> <Rd>, #<imm>, <Rn>
    public void ssat16(int w) {
        int saturateTo = ((w >>> 16) & 15) + 1;
        int n = r[w & 15];
        long lo = Alu.signedSatQ((short) n, saturateTo);
        long hi = Alu.signedSatQ(n >> 16, saturateTo);
        core.setRegister(rd(w), (Alu.result(hi) << 16) | (Alu.result(lo) & 0xFFFF));
        setQ(lo);
        setQ(hi);
    }

    // USAT16<c> <Rd>, #<imm>, <Rn>
    public void usat16(int w) {
        int saturateTo = (w >>> 16) & 15;
        int n = r[w & 15];
        long lo = Alu.unsignedSatQ((short) n, saturateTo);
        long hi = Alu.unsignedSatQ(n >> 16, saturateTo);
        core.setRegister(rd(w), (Alu.result(hi) << 16) | (Alu.result(lo) & 0xFFFF));
        setQ(lo);
        setQ(hi);
    }

    /** The sum of the absolute differences of the four unsigned byte lanes of R[n] and R[m]. */
    private int sumOfAbsoluteDifferences(int w) {
        int n = r[w & 15];
        int m = r[(w >>> 8) & 15];
        int sum = 0;
        for (int i = 0; i < 32; i += 8) {
            sum += Math.abs(((n >>> i) & 0xFF) - ((m >>> i) & 0xFF));
        }
        return sum;
    }

    // USAD8<c> <Rd>, <Rn>, <Rm>
    public void usad8(int w) {
        core.setRegister((w >>> 16) & 15, sumOfAbsoluteDifferences(w));
    }

    // USADA8<c> <Rd>, <Rn>, <Rm>, <Ra>
    public void usada8(int w) {
        core.setRegister((w >>> 16) & 15, r[(w >>> 12) & 15] + sumOfAbsoluteDifferences(w));
    }
}
