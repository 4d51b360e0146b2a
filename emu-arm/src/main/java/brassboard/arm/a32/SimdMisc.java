package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.vfp.FloatingPoint;

/**
 * Advanced SIMD two registers, miscellaneous (ARM ARM A7.4.5): reversals, pairwise add long, bit
 * counts, saturating absolute / negate, comparisons with zero, absolute / negate, swaps, transposes,
 * (un)zips, narrowing moves, the maximum-shift VSHLL, half-precision conversion, reciprocal and
 * reciprocal square root estimates, conversion between single precision and integers; and VEXT,
 * VTBL / VTBX, VDUP (scalar), which A7.4 lists beside them.
 */
public final class SimdMisc extends Simd {
    private final FloatingPoint fp;
    private final SimdShiftImmediate shifts;

    public SimdMisc(ArmCore core, SimdShiftImmediate shifts) {
        super(core);
        this.fp = new FloatingPoint(core.vfp);
        this.shifts = shifts;
    }

    private static int size(int w) {
        return (w >>> 18) & 3;
    }

    private static final int CLS = 0, CLZ = 1, CNT = 2, QABS = 3, QNEG = 4, CMP_ZERO = 5, ABS = 6, NEG = 7, RECPE = 8,
            RSQRTE = 9, CVT = 10;

    /** An element-wise operation of Qm into Qd (no allocation: {@code op} selects the element function). */
    private void elementwise(int w, boolean bad, int op) {
        int dd = vd(w);
        int m = vm(w);
        if (!check(w, bad || oddQuad(w, dd, m))) {
            return;
        }
        int esize = 8 << size(w);
        int fpscr = standard();
        int regs = quad(w) ? 2 : 1;
        for (int r = 0; r < regs; r++) {
            long src = d[m + r];
            long result = 0;
            for (int e = 0; e < 64 / esize; e++) {
                result = withLane(result, e, esize, element(op, w, lane(src, e, esize), esize, fpscr));
            }
            d[dd + r] = result;
        }
    }

    private long element(int op, int w, long x, int esize, int fpscr) {
        boolean isFloat = (w & (1 << 10)) != 0;
        switch (op) {
            case CLS: {
                long s = signed(x, esize);
                return Long.numberOfLeadingZeros(s < 0 ? ~s : s) - (64 - esize) - 1;
            }
            case CLZ: return Long.numberOfLeadingZeros(x) - (64 - esize);
            case CNT: return Long.bitCount(x);
            case QABS: return saturate(Math.abs(signed(x, esize)), esize, false);
            case QNEG: return saturate(-signed(x, esize), esize, false);
            case CMP_ZERO: return compareWithZero((w >>> 7) & 7, isFloat, x, esize, fpscr) ? -1 : 0;
            case ABS: return isFloat ? FloatingPoint.abs(x, 32) : Math.abs(signed(x, esize));
            case NEG: return isFloat ? FloatingPoint.neg(x, 32) : -signed(x, esize);
            case RECPE: return (w & (1 << 8)) != 0 ? fp.recipEstimate(x, fpscr) : FloatingPoint.unsignedRecipEstimate(x);
            case RSQRTE: return (w & (1 << 8)) != 0 ? fp.rsqrtEstimate(x, fpscr) : FloatingPoint.unsignedRsqrtEstimate(x);
            default: {
                int conversion = (w >>> 7) & 3; // 00 S32->F32, 01 U32->F32, 10 F32->S32, 11 F32->U32
                if (conversion >= 2) {
                    return fp.toFixed(x, 32, 32, 0, conversion == 3, true, fpscr);
                }
                return fp.fromFixed(conversion == 1 ? x : signed(x, 32), 32, 0, true, fpscr);
            }
        }
    }

    private void reverse(int w, int group) {
        int dd = vd(w);
        int m = vm(w);
        int esize = 8 << size(w);
        if (!check(w, esize >= group || oddQuad(w, dd, m))) {
            return;
        }
        int perGroup = group / esize;
        int regs = quad(w) ? 2 : 1;
        for (int r = 0; r < regs; r++) {
            long v = d[m + r];
            long result = 0;
            for (int e = 0; e < 64 / esize; e++) {
                int target = e - e % perGroup + (perGroup - 1 - e % perGroup);
                result = withLane(result, target, esize, lane(v, e, esize));
            }
            d[dd + r] = result;
        }
    }

    // VREV64<c>.<size> <Qd>, <Qm>
    public void vrev64(int w) { reverse(w, 64); }
    // VREV32<c>.<size> <Qd>, <Qm>
    public void vrev32(int w) { reverse(w, 32); }
    // VREV16<c>.<size> <Qd>, <Qm>
    public void vrev16(int w) { reverse(w, 16); }

    // VPADDL<c>.<dt> <Qd>, <Qm>
    public void vpaddl(int w) { pairwiseLong(w, false); }
    // VPADAL<c>.<dt> <Qd>, <Qm>
    public void vpadal(int w) { pairwiseLong(w, true); }

    private void pairwiseLong(int w, boolean accumulate) {
        int dd = vd(w);
        int m = vm(w);
        if (!check(w, size(w) == 3 || oddQuad(w, dd, m))) {
            return;
        }
        int esize = 8 << size(w);
        boolean unsigned = (w & (1 << 7)) != 0;
        int regs = quad(w) ? 2 : 1;
        for (int r = 0; r < regs; r++) {
            long src = d[m + r];
            long result = accumulate ? d[dd + r] : 0;
            for (int e = 0; e < 32 / esize; e++) {
                long sum = value(lane(src, 2 * e, esize), esize, unsigned) + value(lane(src, 2 * e + 1, esize), esize, unsigned);
                long acc = accumulate ? lane(result, e, 2 * esize) : 0;
                result = withLane(result, e, 2 * esize, acc + sum);
            }
            d[dd + r] = result;
        }
    }

    // VCLS<c>.<dt> <Qd>, <Qm>
    public void vcls(int w) {
        elementwise(w, size(w) == 3, CLS);
    }

    // VCLZ<c>.<dt> <Qd>, <Qm>
    public void vclz(int w) {
        elementwise(w, size(w) == 3, CLZ);
    }

    // VCNT<c>.8 <Qd>, <Qm>
    public void vcnt(int w) {
        elementwise(w, size(w) != 0, CNT);
    }

    // VMVN<c> <Qd>, <Qm>
    public void vmvn(int w) {
        int dd = vd(w);
        int m = vm(w);
        if (!check(w, size(w) != 0 || oddQuad(w, dd, m))) {
            return;
        }
        d[dd] = ~d[m];
        if (quad(w)) {
            d[dd + 1] = ~d[m + 1];
        }
    }

    // VQABS<c>.S<size> <Qd>, <Qm>
    public void vqabs(int w) {
        elementwise(w, size(w) == 3, QABS);
    }

    // VQNEG<c>.S<size> <Qd>, <Qm>
    public void vqneg(int w) {
        elementwise(w, size(w) == 3, QNEG);
    }

    private static final int GT = 0, GE = 1, EQ = 2, LE = 3, LT = 4;

    private void compareZero(int w) {
        boolean isFloat = (w & (1 << 10)) != 0;
        elementwise(w, isFloat ? size(w) != 2 : size(w) == 3, CMP_ZERO);
    }

    /** The comparisons with zero; {@code cond} is bits 9:7 of the word. */
    private boolean compareWithZero(int cond, boolean isFloat, long x, int esize, int fpscr) {
        if (isFloat) {
            switch (cond) {
                case GT: return fp.compareGreater(x, 0, 32, false, fpscr);
                case GE: return fp.compareGreater(x, 0, 32, true, fpscr);
                case EQ: return fp.compareEqual(x, 0, 32, fpscr);
                case LE: return fp.compareGreater(0, x, 32, true, fpscr);
                default: return fp.compareGreater(0, x, 32, false, fpscr);
            }
        }
        long s = signed(x, esize);
        switch (cond) {
            case GT: return s > 0;
            case GE: return s >= 0;
            case EQ: return s == 0;
            case LE: return s <= 0;
            default: return s < 0;
        }
    }

    // VCGT<c>.<dt> <Qd>, <Qm>, #0
    public void vcgtZero(int w) { compareZero(w); }
    // VCGE<c>.<dt> <Qd>, <Qm>, #0
    public void vcgeZero(int w) { compareZero(w); }
    // VCEQ<c>.<dt> <Qd>, <Qm>, #0
    public void vceqZero(int w) { compareZero(w); }
    // VCLE<c>.<dt> <Qd>, <Qm>, #0
    public void vcleZero(int w) { compareZero(w); }
    // VCLT<c>.<dt> <Qd>, <Qm>, #0
    public void vcltZero(int w) { compareZero(w); }

    // VABS<c>.<dt> <Qd>, <Qm>
    public void vabs(int w) {
        boolean isFloat = (w & (1 << 10)) != 0;
        elementwise(w, isFloat ? size(w) != 2 : size(w) == 3, ABS);
    }

    // VNEG<c>.<dt> <Qd>, <Qm>
    public void vneg(int w) {
        boolean isFloat = (w & (1 << 10)) != 0;
        elementwise(w, isFloat ? size(w) != 2 : size(w) == 3, NEG);
    }

    // VSWP<c> <Qd>, <Qm>
    public void vswp(int w) {
        int dd = vd(w);
        int m = vm(w);
        if (!check(w, size(w) != 0 || oddQuad(w, dd, m))) {
            return;
        }
        int regs = quad(w) ? 2 : 1;
        for (int r = 0; r < regs; r++) {
            long t = d[dd + r];
            d[dd + r] = d[m + r];
            d[m + r] = t;
        }
    }

    /** Scratch lanes (reused: no allocation per instruction). */
    private final long[] laneA = new long[16];
    private final long[] laneB = new long[16];
    private final long[] outA = new long[16];
    private final long[] outB = new long[16];
    private final long[] joined = new long[32];

    /** The elements of {@code regs} registers from {@code reg} into {@code out}; returns their number. */
    private int lanes(int reg, int regs, int esize, long[] out) {
        int per = 64 / esize;
        int count = regs * per;
        for (int i = 0; i < count; i++) {
            out[i] = lane(d[reg + i / per], i % per, esize);
        }
        return count;
    }

    private void store(int reg, int regs, int esize, long[] lanes) {
        int per = 64 / esize;
        for (int r = 0; r < regs; r++) {
            long v = 0;
            for (int e = 0; e < per; e++) {
                v = withLane(v, e, esize, lanes[r * per + e]);
            }
            d[reg + r] = v;
        }
    }

    // VTRN<c>.<size> <Qd>, <Qm>
    public void vtrn(int w) {
        permute(w, size(w) == 3, 0);
    }

    // VUZP<c>.<size> <Qd>, <Qm>
    public void vuzp(int w) {
        permute(w, size(w) == 3 || (!quad(w) && size(w) == 2), 1);
    }

    // VZIP<c>.<size> <Qd>, <Qm>
    public void vzip(int w) {
        permute(w, size(w) == 3 || (!quad(w) && size(w) == 2), 2);
    }

    private void permute(int w, boolean bad, int kind) {
        int dd = vd(w);
        int m = vm(w);
        if (!check(w, bad || oddQuad(w, dd, m))) {
            return;
        }
        int esize = 8 << size(w);
        int regs = quad(w) ? 2 : 1;
        if (kind == 0 && esize == 32) {
            // 32-bit VTRN swaps element 2k+1 of Dd with element 2k of Dm in place (with Dd == Dm, UNKNOWN
            // in the ARM ARM, this swaps the halves of each D register, as QEMU does: checked)
            for (int r = 0; r < regs; r++) {
                long fromM = d[m + r] & 0xFFFF_FFFFL;
                long fromD = d[dd + r] >>> 32;
                d[m + r] = (d[m + r] & 0xFFFF_FFFF_0000_0000L) | fromD;
                d[dd + r] = (d[dd + r] & 0xFFFF_FFFFL) | (fromM << 32);
            }
            return;
        }
        long[] a = laneA;
        long[] b = laneB;
        int n = lanes(dd, regs, esize, a);
        lanes(m, regs, esize, b);
        long[] ra = outA;
        long[] rb = outB;
        switch (kind) {
            case 0: // VTRN: swap the odd elements of Dd with the even ones of Dm
                for (int e = 0; e < n; e += 2) {
                    ra[e] = a[e];
                    ra[e + 1] = b[e];
                    rb[e] = a[e + 1];
                    rb[e + 1] = b[e + 1];
                }
                break;
            case 1: // VUZP: the even elements of (Dd:Dm) to Dd, the odd ones to Dm
                System.arraycopy(a, 0, joined, 0, n);
                System.arraycopy(b, 0, joined, n, n);
                for (int e = 0; e < n; e++) {
                    ra[e] = joined[2 * e];
                    rb[e] = joined[2 * e + 1];
                }
                break;
            default: // VZIP: interleave Dd and Dm
                for (int e = 0; e < n; e++) {
                    joined[2 * e] = a[e];
                    joined[2 * e + 1] = b[e];
                }
                System.arraycopy(joined, 0, ra, 0, n);
                System.arraycopy(joined, n, rb, 0, n);
                break;
        }
        // Dd == Dm is UNKNOWN (A8.8.419, A8.8.425, A8.8.426): Dd's result written last, as QEMU does (checked)
        store(m, regs, esize, rb);
        store(dd, regs, esize, ra);
    }

    /** VMOVN / VQMOVN / VQMOVUN: each 2*esize element of Qm narrowed to esize. */
    private void narrow(int w, int kind) {
        int m = vm(w);
        if (!check(w, size(w) == 3 || (m & 1) != 0)) {
            return;
        }
        int esize = 8 << size(w);
        long result = 0;
        for (int e = 0; e < 64 / esize; e++) {
            long x = lane(d[m + (e * 2 * esize) / 64], e % (32 / esize), 2 * esize);
            long v;
            switch (kind) {
                case 0: v = x; break;                                              // VMOVN
                case 1: v = saturate(signed(x, 2 * esize), esize, true); break;  // VQMOVUN
                case 2: v = saturate(signed(x, 2 * esize), esize, false); break; // VQMOVN.S
                default: v = x < 0 ? saturate(Long.MAX_VALUE, esize, true) : saturate(x, esize, true); break; // VQMOVN.U (x may be 64 bits unsigned)
            }
            result = withLane(result, e, esize, v);
        }
        d[vd(w)] = result;
    }

    // VMOVN<c>.<dt> <Dd>, <Qm>
    public void vmovn(int w) { narrow(w, 0); }
    // VQMOVUN<c>.<type><size> <Dd>, <Qm>
    public void vqmovun(int w) { narrow(w, 1); }
    // VQMOVN<c>.<type><size> <Dd>, <Qm>
    public void vqmovn(int w) { narrow(w, (w & (1 << 6)) != 0 ? 3 : 2); }

    // VSHLL<c>.<type><size> <Qd>, <Dm>, #<imm>   (imm == size)
    public void vshllMaximum(int w) {
        int dd = vd(w);
        if (!check(w, size(w) == 3 || (dd & 1) != 0)) {
            return;
        }
        int esize = 8 << size(w);
        shifts.lengthen(dd, d[vm(w)], esize, true, esize);
    }

    // VCVT<c>.F32.F16 <Qd>, <Dm>   VCVT<c>.F16.F32 <Dd>, <Qm>
    public void vcvtHalf(int w) {
        boolean toSingle = (w & (1 << 8)) != 0;
        int dd = vd(w);
        int m = vm(w);
        if (!check(w, size(w) != 1 || (toSingle ? (dd & 1) != 0 : (m & 1) != 0))) {
            return;
        }
        int fpscr = standard();
        if (toSingle) {
            long src = d[m];
            long lo = 0;
            long hi = 0;
            for (int e = 0; e < 4; e++) {
                long single = fp.convert(lane(src, e, 16), 16, 32, fpscr);
                if (e < 2) {
                    lo = withLane(lo, e, 32, single);
                } else {
                    hi = withLane(hi, e - 2, 32, single);
                }
            }
            d[dd] = lo;
            d[dd + 1] = hi;
        } else {
            long result = 0;
            for (int e = 0; e < 4; e++) {
                long x = lane(d[m + e / 2], e % 2, 32);
                result = withLane(result, e, 16, fp.convert(x, 32, 16, fpscr));
            }
            d[dd] = result;
        }
    }

    // VRECPE<c>.<dt> <Qd>, <Qm>
    public void vrecpe(int w) {
        elementwise(w, size(w) != 2, RECPE);
    }

    // VRSQRTE<c>.<dt> <Qd>, <Qm>
    public void vrsqrte(int w) {
        elementwise(w, size(w) != 2, RSQRTE);
    }

    // VCVT<c>.<Td>.<Tm> <Qd>, <Qm>
    public void vcvtInteger(int w) {
        elementwise(w, size(w) != 2, CVT);
    }

    // VEXT<c>.8 <Qd>, <Qn>, <Qm>, #<imm>
    public void vext(int w) {
        int dd = vd(w);
        int n = vn(w);
        int m = vm(w);
        int imm4 = (w >>> 8) & 15;
        if (!check(w, oddQuad(w, dd, n, m) || (!quad(w) && imm4 >= 8))) {
            return;
        }
        int regs = quad(w) ? 2 : 1;
        int count = lanes(n, regs, 8, joined);
        lanes(m, regs, 8, laneB);
        System.arraycopy(laneB, 0, joined, count, count);
        System.arraycopy(joined, imm4, outA, 0, count);
        store(dd, regs, 8, outA);
    }

    // VTBL<c>.8 <Dd>, <list>, <Dm>   VTBX<c>.8 <Dd>, <list>, <Dm>
    public void vtbl(int w) {
        table(w, false);
    }

    public void vtbx(int w) {
        table(w, true);
    }

    private void table(int w, boolean extension) {
        int n = vn(w);
        int length = ((w >>> 8) & 3) + 1;
        if (n + length > 32 && core.policy.unpredictable(brassboard.arm.core.UnpredictablePolicy.Case.VFP_REGISTER_RANGE)) {
            return;
        }
        if (!enabled()) {
            return;
        }
        long index = d[vm(w)];
        long old = d[vd(w)];
        long result = 0;
        for (int e = 0; e < 8; e++) {
            int i = (int) lane(index, e, 8);
            long v;
            if (i < 8 * length) {
                v = lane(d[(n + i / 8) & 31], i % 8, 8);
            } else {
                v = extension ? lane(old, e, 8) : 0;
            }
            result = withLane(result, e, 8, v);
        }
        d[vd(w)] = result;
    }

    // VDUP<c>.<size> <Qd>, <Dm[x]>
    public void vdupScalar(int w) {
        int imm4 = (w >>> 16) & 15;
        int esize;
        int index;
        if ((imm4 & 1) != 0) {
            esize = 8;
            index = imm4 >>> 1;
        } else if ((imm4 & 2) != 0) {
            esize = 16;
            index = imm4 >>> 2;
        } else if ((imm4 & 4) != 0) {
            esize = 32;
            index = imm4 >>> 3;
        } else {
            undefined();
            return;
        }
        int dd = vd(w);
        if (!check(w, oddQuad(w, dd))) {
            return;
        }
        long x = lane(d[vm(w)], index, esize);
        long v = 0;
        for (int e = 0; e < 64 / esize; e++) {
            v = withLane(v, e, esize, x);
        }
        d[dd] = v;
        if (quad(w)) {
            d[dd + 1] = v;
        }
    }
}
