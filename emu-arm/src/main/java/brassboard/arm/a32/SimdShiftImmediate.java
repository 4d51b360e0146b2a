package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.vfp.FloatingPoint;

/**
 * Advanced SIMD two registers and a shift amount (ARM ARM A7.4.4): shifts right (truncating,
 * rounding, accumulating, inserting), shifts left (plain, inserting, saturating), the narrowing and
 * lengthening shifts, and VCVT between single precision and fixed point; plus the one-register
 * modified-immediate instructions (A7.4.6: VMOV, VMVN, VORR, VBIC), which share its encoding space.
 * The element size comes from L:imm6 (1xxxxxx: 64, 01xxxxx: 32, 001xxxx: 16, 0001xxx: 8).
 */
public final class SimdShiftImmediate extends Simd {
    private static final int SHR = 0, SRA = 1, RSHR = 2, RSRA = 3, SRI = 4, SHL = 5, SLI = 6, QSHLU = 7, QSHL = 8;

    private final FloatingPoint fp;
    private final SimdThreeRegisters shifter;

    public SimdShiftImmediate(ArmCore core, SimdThreeRegisters shifter) {
        super(core);
        this.fp = new FloatingPoint(core.vfp);
        this.shifter = shifter;
    }

    private static int esize(int w) {
        if ((w & (1 << 7)) != 0) {
            return 64;
        }
        return (w & (1 << 21)) != 0 ? 32 : (w & (1 << 20)) != 0 ? 16 : 8;
    }

    private static int imm6(int w) {
        return (w >>> 16) & 0x3F;
    }

    /** The right-shift amount: 2 * esize - imm6 (64 - imm6 for 64-bit elements). */
    private static int rightShift(int w, int esize) {
        return (esize == 64 ? 64 : 2 * esize) - imm6(w);
    }

    private static int leftShift(int w, int esize) {
        return imm6(w) - (esize == 64 ? 0 : esize);
    }

    private void shift(int w, int op) {
        int dd = vd(w);
        int m = vm(w);
        if (!check(w, oddQuad(w, dd, m))) {
            return;
        }
        int esize = esize(w);
        boolean unsigned = (w & (1 << 24)) != 0;
        boolean right = op <= SRI;
        int amount = right ? rightShift(w, esize) : leftShift(w, esize);
        long laneMask = mask(esize);
        int regs = quad(w) ? 2 : 1;
        for (int r = 0; r < regs; r++) {
            long src = d[m + r];
            long old = d[dd + r];
            long result = 0;
            for (int e = 0; e < 64 / esize; e++) {
                long xu = lane(src, e, esize);
                long x = op == QSHLU ? signed(xu, esize) : value(xu, esize, unsigned);
                long o = lane(old, e, esize);
                long v;
                switch (op) {
                    case SHR: v = shifter.shift(x, -amount, esize, unsigned, false, false); break;
                    case SRA: v = o + shifter.shift(x, -amount, esize, unsigned, false, false); break;
                    case RSHR: v = shifter.shift(x, -amount, esize, unsigned, true, false); break;
                    case RSRA: v = o + shifter.shift(x, -amount, esize, unsigned, true, false); break;
                    case SRI: {
                        long insert = amount == esize ? 0 : laneMask >>> amount;
                        v = (o & ~insert) | ((amount == 64 ? 0 : xu >>> amount) & insert);
                        break;
                    }
                    case SHL: v = xu << amount; break;
                    case SLI: {
                        long insert = (laneMask << amount) & laneMask;
                        v = (o & ~insert) | ((xu << amount) & insert);
                        break;
                    }
                    case QSHLU: v = shiftLeftUnsignedSaturating(x, amount, esize); break;
                    default: v = shifter.shift(x, amount, esize, unsigned, false, true); break;
                }
                result = withLane(result, e, esize, v);
            }
            d[dd + r] = result;
        }
    }

    /** VQSHLU: a signed value shifted left, saturated to unsigned. */
    private long shiftLeftUnsignedSaturating(long x, int amount, int esize) {
        if (x < 0) {
            vfp.fpscr |= brassboard.arm.vfp.Vfp.FPSCR_QC;
            return 0;
        }
        if (x == 0) {
            return 0;
        }
        if (esize == 64) {
            if (amount > 0 && (x >>> (64 - amount)) != 0) {
                vfp.fpscr |= brassboard.arm.vfp.Vfp.FPSCR_QC;
                return -1L;
            }
            return x << amount;
        }
        return saturate(x << amount, esize, true);
    }

    // VSHR<c>.<type><size> <Qd>, <Qm>, #<imm>
    public void vshr(int w) { shift(w, SHR); }
    // VSRA<c>.<type><size> <Qd>, <Qm>, #<imm>
    public void vsra(int w) { shift(w, SRA); }
    // VRSHR<c>.<type><size> <Qd>, <Qm>, #<imm>
    public void vrshr(int w) { shift(w, RSHR); }
    // VRSRA<c>.<type><size> <Qd>, <Qm>, #<imm>
    public void vrsra(int w) { shift(w, RSRA); }
    // VSRI<c>.<size> <Qd>, <Qm>, #<imm>
    public void vsri(int w) { shift(w, SRI); }
    // VSHL<c>.I<size> <Qd>, <Qm>, #<imm>
    public void vshl(int w) { shift(w, SHL); }
    // VSLI<c>.<size> <Qd>, <Qm>, #<imm>
    public void vsli(int w) { shift(w, SLI); }
    // VQSHLU<c>.S<size> <Qd>, <Qm>, #<imm>
    public void vqshlu(int w) { shift(w, QSHLU); }
    // VQSHL<c>.<type><size> <Qd>, <Qm>, #<imm>
    public void vqshl(int w) { shift(w, QSHL); }

    /**
     * VSHRN / VRSHRN / VQSHRN / VQRSHRN / VQSHRUN / VQRSHRUN: each 2*esize element of Qm shifted right,
     * narrowed to esize (truncated, or saturated signed / unsigned).
     */
    private void narrow(int w, boolean round, boolean saturate, boolean signedIn, boolean unsignedOut) {
        int m = vm(w);
        if (!check(w, (m & 1) != 0)) {
            return;
        }
        int esize = esize(w);
        int amount = rightShift(w, esize);
        long result = 0;
        for (int e = 0; e < 64 / esize; e++) {
            long src = d[m + (e * 2 * esize) / 64];
            long x = lane(src, e % (32 / esize), 2 * esize);
            x = signedIn ? signed(x, 2 * esize) : x;
            long v = shifter.shift(x, -amount, 2 * esize, !signedIn, round, false);
            if (saturate) {
                v = saturate(v, esize, unsignedOut);
            }
            result = withLane(result, e, esize, v);
        }
        d[vd(w)] = result;
    }

    // VSHRN<c>.I<size> <Dd>, <Qm>, #<imm>
    public void vshrn(int w) { narrow(w, false, false, false, true); }
    // VRSHRN<c>.I<size> <Dd>, <Qm>, #<imm>
    public void vrshrn(int w) { narrow(w, true, false, false, true); }
    // VQSHRUN<c>.S<size> <Dd>, <Qm>, #<imm>
    public void vqshrun(int w) { narrow(w, false, true, true, true); }
    // VQRSHRUN<c>.S<size> <Dd>, <Qm>, #<imm>
    public void vqrshrun(int w) { narrow(w, true, true, true, true); }

    // VQSHRN<c>.<type><size> <Dd>, <Qm>, #<imm>
    public void vqshrn(int w) {
        boolean unsigned = (w & (1 << 24)) != 0;
        narrow(w, false, true, !unsigned, unsigned);
    }

    // VQRSHRN<c>.<type><size> <Dd>, <Qm>, #<imm>
    public void vqrshrn(int w) {
        boolean unsigned = (w & (1 << 24)) != 0;
        narrow(w, true, true, !unsigned, unsigned);
    }

    // VSHLL<c>.<type><size> <Qd>, <Dm>, #<imm>   (VMOVL when the shift is 0)
    public void vshll(int w) {
        int dd = vd(w);
        if (!check(w, (dd & 1) != 0)) {
            return;
        }
        int esize = esize(w);
        lengthen(dd, d[vm(w)], esize, (w & (1 << 24)) != 0, leftShift(w, esize));
    }

    /** Elem[Qd, e, 2 * esize] = Extend(Elem[src, e, esize]) << shift. */
    void lengthen(int dd, long src, int esize, boolean unsigned, int shift) {
        long lo = 0;
        long hi = 0;
        int elements = 64 / esize;
        for (int e = 0; e < elements; e++) {
            long x = value(lane(src, e, esize), esize, unsigned) << shift;
            if (e < elements / 2) {
                lo = withLane(lo, e, 2 * esize, x);
            } else {
                hi = withLane(hi, e - elements / 2, 2 * esize, x);
            }
        }
        d[dd] = lo;
        d[dd + 1] = hi;
    }

    // VCVT<c>.<Td>.<Tm> <Qd>, <Qm>, #<fbits>
    public void vcvtFixed(int w) {
        int dd = vd(w);
        int m = vm(w);
        if (!check(w, oddQuad(w, dd, m))) {
            return;
        }
        boolean toFixed = (w & (1 << 8)) != 0;
        boolean unsigned = (w & (1 << 24)) != 0;
        int fractionBits = 64 - imm6(w);
        int fpscr = standard();
        int regs = quad(w) ? 2 : 1;
        for (int r = 0; r < regs; r++) {
            long src = d[m + r];
            long result = 0;
            for (int e = 0; e < 2; e++) {
                long x = lane(src, e, 32);
                long v = toFixed ? fp.toFixed(x, 32, 32, fractionBits, unsigned, true, fpscr)
                        : fp.fromFixed(unsigned ? x : signed(x, 32), 32, fractionBits, true, fpscr);
                result = withLane(result, e, 32, v);
            }
            d[dd + r] = result;
        }
    }

    /** AdvSIMDExpandImm (A7.4.6): the 64-bit value of imm8 under cmode:op (op 1 with cmode 1111, UNDEFINED, is the caller's). */
    static long expandImmediate(int op, int cmode, int imm8) {
        long imm = imm8 & 0xFFL;
        switch (cmode >>> 1) {
            case 0: return imm * 0x0000_0001_0000_0001L;
            case 1: return (imm << 8) * 0x0000_0001_0000_0001L;
            case 2: return (imm << 16) * 0x0000_0001_0000_0001L;
            case 3: return (imm << 24) * 0x0000_0001_0000_0001L;
            case 4: return imm * 0x0001_0001_0001_0001L;
            case 5: return (imm << 8) * 0x0001_0001_0001_0001L;
            case 6:
                return ((cmode & 1) == 0 ? (imm << 8) | 0xFF : (imm << 16) | 0xFFFF) * 0x0000_0001_0000_0001L;
            default:
                if ((cmode & 1) == 0) {
                    if (op == 0) {
                        return imm * 0x0101_0101_0101_0101L;
                    }
                    long v = 0;
                    for (int i = 0; i < 8; i++) {
                        if ((imm8 & (1 << i)) != 0) {
                            v |= 0xFFL << (8 * i);
                        }
                    }
                    return v;
                }
                long f = ((imm & 0x80) << 24) | ((imm & 0x40) != 0 ? 0x3E00_0000L : 0x4000_0000L) | ((imm & 0x3F) << 19);
                return f * 0x0000_0001_0000_0001L;
        }
    }

    // VMOV<c>.<dt> <Qd>, #<imm>  /  VMVN, VORR, VBIC (immediate)
    public void modifiedImmediate(int w) {
        int dd = vd(w);
        int cmode = (w >>> 8) & 15;
        int op = (w >>> 5) & 1;
        if (!check(w, oddQuad(w, dd) || (op == 1 && cmode == 15))) {
            return;
        }
        int imm8 = ((w >>> 17) & 0x80) | ((w >>> 12) & 0x70) | (w & 15);
        long imm = expandImmediate(op, cmode, imm8);
        boolean logical = cmode < 12 && (cmode & 1) == 1; // VORR (op 0) / VBIC (op 1)
        boolean invert = op == 1 && cmode != 14;           // VMVN
        int regs = quad(w) ? 2 : 1;
        for (int r = 0; r < regs; r++) {
            long v;
            if (logical) {
                v = op == 0 ? d[dd + r] | imm : d[dd + r] & ~imm;
            } else {
                v = invert ? ~imm : imm;
            }
            d[dd + r] = v;
        }
    }
}
