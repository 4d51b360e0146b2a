package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.vfp.FloatingPoint;
import brassboard.arm.vfp.Vfp;

/**
 * Advanced SIMD three registers of different lengths (ARM ARM A7.4.2: long, wide and narrow forms,
 * VMULL including polynomial, the saturating doubling long multiplies) and two registers and a scalar
 * (A7.4.3: multiply, multiply-accumulate, long and doubling forms by an element of Dm).
 */
public final class SimdLong extends Simd {
    private static final int ADDL = 0, ADDW = 1, SUBL = 2, SUBW = 3, ABAL = 4, ABDL = 5, MLAL = 6, MLSL = 7, MULL = 8,
            QDMLAL = 9, QDMLSL = 10, QDMULL = 11, PMULL = 12;

    private final FloatingPoint fp;

    public SimdLong(ArmCore core) {
        super(core);
        this.fp = new FloatingPoint(core.vfp);
    }

    private static int esize(int w) {
        return 8 << ((w >>> 20) & 3);
    }

    private static boolean unsigned(int w) {
        return (w & (1 << 24)) != 0;
    }

    /** A lengthening operation: Qd (2*esize elements) from Dn (or Qn for the wide forms) and Dm or a scalar. */
    private void lengthen(int w, int op, boolean wide, long scalar, boolean byScalar) {
        int dd = vd(w);
        int n = vn(w);
        int esize = esize(w);
        boolean doubling = op == QDMLAL || op == QDMLSL || op == QDMULL;
        if ((dd & 1) != 0 || (wide && (n & 1) != 0) || (doubling && esize == 8) || (op == PMULL && esize != 8)) {
            undefined();
            return;
        }
        if (!enabled()) {
            return;
        }
        boolean unsigned = !doubling && op != PMULL && unsigned(w);
        long a = d[n];
        long b = byScalar ? 0 : d[vm(w)];
        long oldLo = d[dd];
        long oldHi = d[dd + 1];
        long wideLo = d[n];
        long wideHi = wide ? d[n + 1] : 0;
        long lo = 0;
        long hi = 0;
        int elements = 64 / esize;
        int big = 2 * esize;
        for (int e = 0; e < elements; e++) {
            long x;
            if (wide) {
                x = value(lane(e < elements / 2 ? wideLo : wideHi, e % (elements / 2), big), big, unsigned);
            } else {
                x = value(lane(a, e, esize), esize, unsigned);
            }
            long y = byScalar ? value(scalar, esize, unsigned) : value(lane(b, e, esize), esize, unsigned);
            long acc = value(lane(e < elements / 2 ? oldLo : oldHi, e % (elements / 2), big), big, unsigned);
            long v;
            switch (op) {
                case ADDL: case ADDW: v = x + y; break;
                case SUBL: case SUBW: v = x - y; break;
                case ABAL: v = acc + Math.abs(x - y); break;
                case ABDL: v = Math.abs(x - y); break;
                case MLAL: v = acc + x * y; break;
                case MLSL: v = acc - x * y; break;
                case MULL: v = x * y; break;
                case PMULL: v = polynomial(lane(a, e, 8), lane(b, e, 8)); break;
                default: {
                    long product = doublingProduct(x, y, esize);
                    v = op == QDMULL ? product : op == QDMLAL ? saturatingAdd(acc, product, big) : saturatingAdd(acc, -product, big);
                    break;
                }
            }
            if (e < elements / 2) {
                lo = withLane(lo, e, big, v);
            } else {
                hi = withLane(hi, e - elements / 2, big, v);
            }
        }
        d[dd] = lo;
        d[dd + 1] = hi;
    }

    private static long polynomial(long x, long y) {
        long r = 0;
        for (int i = 0; i < 8; i++) {
            if ((y & (1L << i)) != 0) {
                r ^= x << i;
            }
        }
        return r;
    }

    /** 2 * x * y saturated to 2 * esize bits (only MIN * MIN overflows). */
    private long doublingProduct(long x, long y, int esize) {
        long min = -(1L << (esize - 1));
        if (x == min && y == min) {
            vfp.fpscr |= Vfp.FPSCR_QC;
            return esize == 32 ? Long.MAX_VALUE : (1L << (2 * esize - 1)) - 1;
        }
        return 2 * x * y;
    }

    private long saturatingAdd(long a, long b, int size) {
        if (size < 64) {
            return saturate(a + b, size, false);
        }
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? saturated64(a >= 0) : r;
    }

    /** VADDHN / VRADDHN / VSUBHN / VRSUBHN: the high halves of Qn +/- Qm (rounded), into Dd. */
    private void narrowHigh(int w, boolean subtract, boolean round) {
        int n = vn(w);
        int m = vm(w);
        int esize = esize(w);
        if (!check(w, (n & 1) != 0 || (m & 1) != 0)) {
            return;
        }
        int big = 2 * esize;
        int elements = 64 / esize;
        long result = 0;
        for (int e = 0; e < elements; e++) {
            long x = lane(d[n + e / (elements / 2)], e % (elements / 2), big);
            long y = lane(d[m + e / (elements / 2)], e % (elements / 2), big);
            long v = subtract ? x - y : x + y;
            if (round) {
                v += 1L << (esize - 1);
            }
            result = withLane(result, e, esize, big == 64 ? v >>> 32 : v >>> esize);
        }
        d[vd(w)] = result;
    }

    // VADDL<c>.<dt> <Qd>, <Dn>, <Dm>
    public void vaddl(int w) { lengthen(w, ADDL, false, 0, false); }
    // VADDW<c>.<dt> <Qd>, <Qn>, <Dm>
    public void vaddw(int w) { lengthen(w, ADDW, true, 0, false); }
    // VSUBL<c>.<dt> <Qd>, <Dn>, <Dm>
    public void vsubl(int w) { lengthen(w, SUBL, false, 0, false); }
    // VSUBW<c>.<dt> <Qd>, <Qn>, <Dm>
    public void vsubw(int w) { lengthen(w, SUBW, true, 0, false); }
    // VABAL<c>.<dt> <Qd>, <Dn>, <Dm>
    public void vabal(int w) { lengthen(w, ABAL, false, 0, false); }
    // VABDL<c>.<dt> <Qd>, <Dn>, <Dm>
    public void vabdl(int w) { lengthen(w, ABDL, false, 0, false); }
    // VMLAL<c>.<dt> <Qd>, <Dn>, <Dm>
    public void vmlal(int w) { lengthen(w, MLAL, false, 0, false); }
    // VMLSL<c>.<dt> <Qd>, <Dn>, <Dm>
    public void vmlsl(int w) { lengthen(w, MLSL, false, 0, false); }
    // VMULL<c>.<dt> <Qd>, <Dn>, <Dm>
    public void vmull(int w) { lengthen(w, MULL, false, 0, false); }
    // VMULL<c>.P8 <Qd>, <Dn>, <Dm>
    public void vmullPolynomial(int w) { lengthen(w, PMULL, false, 0, false); }
    // VQDMLAL<c>.S<size> <Qd>, <Dn>, <Dm>
    public void vqdmlal(int w) { lengthen(w, QDMLAL, false, 0, false); }
    // VQDMLSL<c>.S<size> <Qd>, <Dn>, <Dm>
    public void vqdmlsl(int w) { lengthen(w, QDMLSL, false, 0, false); }
    // VQDMULL<c>.S<size> <Qd>, <Dn>, <Dm>
    public void vqdmull(int w) { lengthen(w, QDMULL, false, 0, false); }
    // VADDHN<c>.<dt> <Dd>, <Qn>, <Qm>
    public void vaddhn(int w) { narrowHigh(w, false, false); }
    // VRADDHN<c>.<dt> <Dd>, <Qn>, <Qm>
    public void vraddhn(int w) { narrowHigh(w, false, true); }
    // VSUBHN<c>.<dt> <Dd>, <Qn>, <Qm>
    public void vsubhn(int w) { narrowHigh(w, true, false); }
    // VRSUBHN<c>.<dt> <Dd>, <Qn>, <Qm>
    public void vrsubhn(int w) { narrowHigh(w, true, true); }

    // ------------------------------------------------------------------------------------ by scalar (A7.4.3)

    /** The scalar Dm[x]: Vm<2:0> and index M:Vm<3> for 16-bit elements, Vm and index M for 32-bit; -1 (UNDEFINED) for 8 or 64. */
    private long scalar(int w, int esize) {
        int vm = w & 15;
        int mBit = (w >>> 5) & 1;
        if (esize == 16) {
            return lane(d[vm & 7], (mBit << 1) | (vm >>> 3), 16);
        }
        return lane(d[vm], mBit, 32);
    }

    private boolean badScalarSize(int w) {
        int size = (w >>> 20) & 3;
        return size == 0 || size == 3;
    }

    private void scalarLong(int w, int op) {
        if (badScalarSize(w)) {
            undefined();
            return;
        }
        lengthen(w, op, false, scalar(w, esize(w)), true);
    }

    // VMLAL<c>.<dt> <Qd>, <Dn>, <Dm[x]>
    public void vmlalScalar(int w) { scalarLong(w, MLAL); }
    // VMLSL<c>.<dt> <Qd>, <Dn>, <Dm[x]>
    public void vmlslScalar(int w) { scalarLong(w, MLSL); }
    // VMULL<c>.<dt> <Qd>, <Dn>, <Dm[x]>
    public void vmullScalar(int w) { scalarLong(w, MULL); }
    // VQDMLAL<c>.S<size> <Qd>, <Dn>, <Dm[x]>
    public void vqdmlalScalar(int w) { scalarLong(w, QDMLAL); }
    // VQDMLSL<c>.S<size> <Qd>, <Dn>, <Dm[x]>
    public void vqdmlslScalar(int w) { scalarLong(w, QDMLSL); }
    // VQDMULL<c>.S<size> <Qd>, <Dn>, <Dm[x]>
    public void vqdmullScalar(int w) { scalarLong(w, QDMULL); }

    private static final int SMLA = 0, SMLS = 1, SMUL = 2, SQDMULH = 3, SQRDMULH = 4;

    /** VMLA / VMLS / VMUL / VQDMULH / VQRDMULH by scalar, integer or (floating) F32; Q is bit 24. */
    private void scalarSame(int w, int op, boolean floating) {
        boolean q = (w & (1 << 24)) != 0;
        int dd = vd(w);
        int n = vn(w);
        int esize = esize(w);
        boolean bad = badScalarSize(w) || (floating && esize != 32) || (q && ((dd & 1) != 0 || (n & 1) != 0));
        if (!check(w, bad)) {
            return;
        }
        long s = scalar(w, esize);
        int fpscr = standard();
        int regs = q ? 2 : 1;
        for (int r = 0; r < regs; r++) {
            long a = d[n + r];
            long old = d[dd + r];
            long result = 0;
            for (int e = 0; e < 64 / esize; e++) {
                long xu = lane(a, e, esize);
                long o = lane(old, e, esize);
                long v;
                if (floating) {
                    long product = fp.mul(xu, s, 32, fpscr);
                    v = op == SMLA ? fp.add(o, product, 32, fpscr) : op == SMLS ? fp.sub(o, product, 32, fpscr) : product;
                } else {
                    long x = signed(xu, esize);
                    long y = signed(s, esize);
                    switch (op) {
                        case SMLA: v = o + x * y; break;
                        case SMLS: v = o - x * y; break;
                        case SMUL: v = x * y; break;
                        default: {
                            long min = -(1L << (esize - 1));
                            if (x == min && y == min) {
                                vfp.fpscr |= Vfp.FPSCR_QC;
                                v = -min - 1;
                            } else {
                                v = (2 * x * y + (op == SQRDMULH ? 1L << (esize - 1) : 0)) >> esize;
                            }
                            break;
                        }
                    }
                }
                result = withLane(result, e, esize, v);
            }
            d[dd + r] = result;
        }
    }

    // VMLA<c>.<dt> <Qd>, <Qn>, <Dm[x]>
    public void vmlaScalar(int w) { scalarSame(w, SMLA, false); }
    // VMLA<c>.F32 <Qd>, <Qn>, <Dm[x]>
    public void vmlaScalarFloat(int w) { scalarSame(w, SMLA, true); }
    // VMLS<c>.<dt> <Qd>, <Qn>, <Dm[x]>
    public void vmlsScalar(int w) { scalarSame(w, SMLS, false); }
    // VMLS<c>.F32 <Qd>, <Qn>, <Dm[x]>
    public void vmlsScalarFloat(int w) { scalarSame(w, SMLS, true); }
    // VMUL<c>.<dt> <Qd>, <Qn>, <Dm[x]>
    public void vmulScalar(int w) { scalarSame(w, SMUL, false); }
    // VMUL<c>.F32 <Qd>, <Qn>, <Dm[x]>
    public void vmulScalarFloat(int w) { scalarSame(w, SMUL, true); }
    // VQDMULH<c>.S<size> <Qd>, <Qn>, <Dm[x]>
    public void vqdmulhScalar(int w) { scalarSame(w, SQDMULH, false); }
    // VQRDMULH<c>.S<size> <Qd>, <Qn>, <Dm[x]>
    public void vqrdmulhScalar(int w) { scalarSame(w, SQRDMULH, false); }
}
