package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.vfp.FloatingPoint;

/**
 * Advanced SIMD data processing with three registers of the same length (ARM ARM A7.4.1): integer,
 * logical, shift-by-register, saturating, pairwise and polynomial operations on 8-, 16-, 32- and 64-bit
 * elements, and the single-precision operations under the standard FPSCR value. Operands are Dd, Dn,
 * Dm (Q == 0) or the Q registers of the same numbers halved (Q == 1: the register numbers must be even).
 */
public final class SimdThreeRegisters extends Simd {
    private static final int HADD = 0, QADD = 1, RHADD = 2, HSUB = 3, QSUB = 4, CGT = 5, CGE = 6, SHL = 7, QSHL = 8,
            RSHL = 9, QRSHL = 10, MAX = 11, MIN = 12, ABD = 13, ABA = 14, ADD = 15, SUB = 16, TST = 17, CEQ = 18, MLA = 19,
            MLS = 20, MUL = 21, PMUL = 22, QDMULH = 23, QRDMULH = 24;
    private static final int AND = 0, BIC = 1, ORR = 2, ORN = 3, EOR = 4, BSL = 5, BIT = 6, BIF = 7;
    private static final int FADD = 0, FSUB = 1, FMUL = 2, FMLA = 3, FMLS = 4, FMA = 5, FMS = 6, FABD = 7, FCEQ = 8, FCGE = 9,
            FCGT = 10, FACGE = 11, FACGT = 12, FMAX = 13, FMIN = 14, FRECPS = 15, FRSQRTS = 16;

    private final FloatingPoint fp;

    public SimdThreeRegisters(ArmCore core) {
        super(core);
        this.fp = new FloatingPoint(core.vfp);
    }

    private static int esize(int w) {
        return 8 << ((w >>> 20) & 3);
    }

    private static boolean unsigned(int w) {
        return (w & (1 << 24)) != 0;
    }

    /** An element-wise integer operation; {@code allow64}: whether size == 11 is allowed. */
    private void integer(int w, int op, boolean allow64) {
        int dd = vd(w);
        int n = vn(w);
        int m = vm(w);
        int esize = esize(w);
        if (!check(w, oddQuad(w, dd, n, m) || (esize == 64 && !allow64))) {
            return;
        }
        boolean unsigned = unsigned(w);
        int regs = quad(w) ? 2 : 1;
        if (op == ADD || op == SUB || op == CEQ || op == TST) {
            for (int r = 0; r < regs; r++) {
                d[dd + r] = lanewise(op, d[n + r], d[m + r], esize);
            }
            return;
        }
        for (int r = 0; r < regs; r++) {
            long a = d[n + r];
            long b = d[m + r];
            long old = d[dd + r];
            long result = 0;
            for (int e = 0; e < 64 / esize; e++) {
                long x = lane(a, e, esize);
                long y = lane(b, e, esize);
                result = withLane(result, e, esize, element(op, x, y, lane(old, e, esize), esize, unsigned));
            }
            d[dd + r] = result;
        }
    }

    /** Lane-parallel ADD / SUB / CEQ / TST on a whole 64-bit register (SWAR: no carry crosses a lane). */
    static long lanewise(int op, long a, long b, int esize) {
        if (esize == 64) {
            switch (op) {
                case ADD: return a + b;
                case SUB: return a - b;
                case CEQ: return a == b ? -1 : 0;
                default: return (a & b) != 0 ? -1 : 0;
            }
        }
        long high = HIGH_BITS[esize >>> 4];
        switch (op) {
            case ADD: return ((a & ~high) + (b & ~high)) ^ ((a ^ b) & high);
            case SUB: return ((a | high) - (b & ~high)) ^ ((a ^ ~b) & high);
            case CEQ: return ~nonZeroLanes(a ^ b, esize, high);
            default: return nonZeroLanes(a & b, esize, high);
        }
    }

    /** The high bit of each 8-, 16- and 32-bit lane, indexed by esize / 16. */
    private static final long[] HIGH_BITS = {0x8080_8080_8080_8080L, 0x8000_8000_8000_8000L, 0x8000_0000_8000_0000L};

    /** All ones in each lane of {@code x} that is not zero. */
    private static long nonZeroLanes(long x, int esize, long high) {
        long t = (((x & ~high) + ~high) | x) & high; // the high bit of each non-zero lane
        return (t >>> (esize - 1)) * ((1L << esize) - 1);
    }

    private long element(int op, long xu, long yu, long old, int esize, boolean unsigned) {
        long x = value(xu, esize, unsigned);
        long y = value(yu, esize, unsigned);
        switch (op) {
            case HADD: return (x + y) >> 1;
            case RHADD: return (x + y + 1) >> 1;
            case HSUB: return (x - y) >> 1;
            case QADD: return saturatingAdd(x, y, esize, unsigned);
            case QSUB: return saturatingSub(x, y, esize, unsigned);
            case CGT: return compare(x, y, esize, unsigned) > 0 ? -1 : 0;
            case CGE: return compare(x, y, esize, unsigned) >= 0 ? -1 : 0;
            // the shifts take the value from Dm (y) and the shift from the low byte of Dn (x)
            case SHL: return shift(y, (byte) xu, esize, unsigned, false, false);
            case RSHL: return shift(y, (byte) xu, esize, unsigned, true, false);
            case QSHL: return shift(y, (byte) xu, esize, unsigned, false, true);
            case QRSHL: return shift(y, (byte) xu, esize, unsigned, true, true);
            case MAX: return compare(x, y, esize, unsigned) >= 0 ? x : y;
            case MIN: return compare(x, y, esize, unsigned) >= 0 ? y : x;
            case ABD: return Math.abs(x - y);
            case ABA: return old + Math.abs(x - y);
            case ADD: return x + y;
            case SUB: return x - y;
            case TST: return (xu & yu) != 0 ? -1 : 0;
            case CEQ: return xu == yu ? -1 : 0;
            case MLA: return old + x * y;
            case MLS: return old - x * y;
            case MUL: return x * y;
            case PMUL: return polynomialMultiply(xu, yu);
            // always signed: U selects the rounding form
            case QDMULH: return doublingMultiplyHigh(signed(xu, esize), signed(yu, esize), esize, false);
            default: return doublingMultiplyHigh(signed(xu, esize), signed(yu, esize), esize, true);
        }
    }

    private static int compare(long x, long y, int esize, boolean unsigned) {
        return unsigned && esize == 64 ? Long.compareUnsigned(x, y) : Long.compare(x, y);
    }

    private long saturatingAdd(long x, long y, int esize, boolean unsigned) {
        if (esize < 64) {
            return saturate(x + y, esize, unsigned);
        }
        long r = x + y;
        if (unsigned) {
            if (Long.compareUnsigned(r, x) < 0) {
                vfp.fpscr |= brassboard.arm.vfp.Vfp.FPSCR_QC;
                return -1L;
            }
            return r;
        }
        return ((x ^ r) & (y ^ r)) < 0 ? saturated64(x >= 0) : r;
    }

    private long saturatingSub(long x, long y, int esize, boolean unsigned) {
        if (esize < 64) {
            return saturate(x - y, esize, unsigned);
        }
        long r = x - y;
        if (unsigned) {
            if (Long.compareUnsigned(x, y) < 0) {
                vfp.fpscr |= brassboard.arm.vfp.Vfp.FPSCR_QC;
                return 0;
            }
            return r;
        }
        return ((x ^ y) & (x ^ r)) < 0 ? saturated64(x >= 0) : r;
    }

    /**
     * VSHL / VRSHL / VQSHL / VQRSHL (register): {@code x} shifted left by {@code shift} (right when
     * negative), rounding right shifts when {@code round}, saturating left shifts when {@code saturate}.
     */
    long shift(long x, int shift, int esize, boolean unsigned, boolean round, boolean saturate) {
        if (shift >= 0) {
            if (!saturate) {
                return shift >= 64 ? 0 : x << shift;
            }
            return saturatingShiftLeft(x, shift, esize, unsigned);
        }
        int k = -shift;
        if (!round) {
            if (k >= esize) {
                return unsigned ? 0 : x >> 63;
            }
            return unsigned ? x >>> k : x >> k;
        }
        // floor((x + 2^(k-1)) / 2^k): the truncated shift plus the last bit shifted out
        if (k > esize) {
            return 0;
        }
        long half = (x >>> (k - 1)) & 1;
        if (k == esize) {
            return (unsigned ? 0 : x >> 63) + half;
        }
        return (unsigned ? x >>> k : x >> k) + half;
    }

    private long saturatingShiftLeft(long x, int shift, int esize, boolean unsigned) {
        if (x == 0 || shift == 0) {
            return x;
        }
        if (unsigned) {
            boolean over = shift >= esize || (esize == 64 ? (x >>> (64 - shift)) != 0 : (x << shift) > mask(esize));
            if (over) {
                vfp.fpscr |= brassboard.arm.vfp.Vfp.FPSCR_QC;
                return -1L;
            }
            return x << shift;
        }
        if (shift >= esize) {
            return esize == 64 ? saturated64(x > 0) : saturate(x > 0 ? Long.MAX_VALUE : Long.MIN_VALUE, esize, false);
        }
        long r = x << shift;
        if (esize == 64) {
            return (r >> shift) != x ? saturated64(x > 0) : r;
        }
        return saturate(r, esize, false);
    }

    private static long polynomialMultiply(long x, long y) {
        long r = 0;
        for (int i = 0; i < 8; i++) {
            if ((y & (1L << i)) != 0) {
                r ^= x << i;
            }
        }
        return r;
    }

    private long doublingMultiplyHigh(long x, long y, int esize, boolean round) {
        long min = -(1L << (esize - 1));
        if (x == min && y == min) {
            vfp.fpscr |= brassboard.arm.vfp.Vfp.FPSCR_QC;
            return (1L << (esize - 1)) - 1;
        }
        long product = 2 * x * y + (round ? 1L << (esize - 1) : 0);
        return product >> esize;
    }

    /** VPADD / VPMAX / VPMIN (integer): pairs of adjacent elements of Dn, then of Dm. */
    private void pairwise(int w, int op) {
        int dd = vd(w);
        int n = vn(w);
        int m = vm(w);
        int esize = esize(w);
        if (!check(w, quad(w) || esize == 64)) {
            return;
        }
        boolean unsigned = unsigned(w);
        int elements = 64 / esize;
        int half = elements / 2;
        long result = 0;
        for (int e = 0; e < elements; e++) {
            long src = e < half ? d[n] : d[m];
            int i = 2 * (e % half);
            long x = value(lane(src, i, esize), esize, unsigned);
            long y = value(lane(src, i + 1, esize), esize, unsigned);
            long r;
            switch (op) {
                case ADD: r = x + y; break;
                case MAX: r = Math.max(x, y); break;
                default: r = Math.min(x, y); break;
            }
            result = withLane(result, e, esize, r);
        }
        d[dd] = result;
    }

    /** Whole-register logical operations (VAND ... VBIF). */
    private void logical(int w, int op) {
        int dd = vd(w);
        int n = vn(w);
        int m = vm(w);
        if (!check(w, oddQuad(w, dd, n, m))) {
            return;
        }
        int regs = quad(w) ? 2 : 1;
        for (int r = 0; r < regs; r++) {
            long a = d[n + r];
            long b = d[m + r];
            long c = d[dd + r];
            long result;
            switch (op) {
                case AND: result = a & b; break;
                case BIC: result = a & ~b; break;
                case ORR: result = a | b; break;
                case ORN: result = a | ~b; break;
                case EOR: result = a ^ b; break;
                case BSL: result = (a & c) | (b & ~c); break;
                case BIT: result = (a & b) | (c & ~b); break;
                default: result = (c & b) | (a & ~b); break;
            }
            d[dd + r] = result;
        }
    }

    /** Single-precision element-wise operations under the standard FPSCR value (sz == 1 is UNDEFINED). */
    private void floating(int w, int op) {
        int dd = vd(w);
        int n = vn(w);
        int m = vm(w);
        if (!check(w, oddQuad(w, dd, n, m) || (w & (1 << 20)) != 0)) {
            return;
        }
        int fpscr = standard();
        int regs = quad(w) ? 2 : 1;
        for (int r = 0; r < regs; r++) {
            long a = d[n + r];
            long b = d[m + r];
            long c = d[dd + r];
            long lo = floatElement(op, a & 0xFFFF_FFFFL, b & 0xFFFF_FFFFL, c & 0xFFFF_FFFFL, fpscr);
            long hi = floatElement(op, a >>> 32, b >>> 32, c >>> 32, fpscr);
            d[dd + r] = (hi << 32) | (lo & 0xFFFF_FFFFL);
        }
    }

    private long floatElement(int op, long x, long y, long old, int fpscr) {
        switch (op) {
            case FADD: return fp.add(x, y, 32, fpscr);
            case FSUB: return fp.sub(x, y, 32, fpscr);
            case FMUL: return fp.mul(x, y, 32, fpscr);
            case FMLA: return fp.add(old, fp.mul(x, y, 32, fpscr), 32, fpscr);
            case FMLS: return fp.sub(old, fp.mul(x, y, 32, fpscr), 32, fpscr);
            case FMA: return fp.mulAdd(old, x, y, 32, fpscr);
            case FMS: return fp.mulAdd(old, FloatingPoint.neg(x, 32), y, 32, fpscr);
            case FABD: return FloatingPoint.abs(fp.sub(x, y, 32, fpscr), 32);
            case FCEQ: return fp.compareEqual(x, y, 32, fpscr) ? 0xFFFF_FFFFL : 0;
            case FCGE: return fp.compareGreater(x, y, 32, true, fpscr) ? 0xFFFF_FFFFL : 0;
            case FCGT: return fp.compareGreater(x, y, 32, false, fpscr) ? 0xFFFF_FFFFL : 0;
            case FACGE: return fp.compareGreater(FloatingPoint.abs(x, 32), FloatingPoint.abs(y, 32), 32, true, fpscr) ? 0xFFFF_FFFFL : 0;
            case FACGT: return fp.compareGreater(FloatingPoint.abs(x, 32), FloatingPoint.abs(y, 32), 32, false, fpscr) ? 0xFFFF_FFFFL : 0;
            case FMAX: return fp.max(x, y, 32, fpscr);
            case FMIN: return fp.min(x, y, 32, fpscr);
            case FRECPS: return fp.recipStep(x, y, fpscr);
            default: return fp.rsqrtStep(x, y, fpscr);
        }
    }

    /** VPADD / VPMAX / VPMIN (F32). */
    private void floatingPairwise(int w, int op) {
        if (!check(w, quad(w) || (w & (1 << 20)) != 0)) {
            return;
        }
        int fpscr = standard();
        long a = d[vn(w)];
        long b = d[vm(w)];
        long lo = floatElement(op, a & 0xFFFF_FFFFL, a >>> 32, 0, fpscr);
        long hi = floatElement(op, b & 0xFFFF_FFFFL, b >>> 32, 0, fpscr);
        d[vd(w)] = (hi << 32) | (lo & 0xFFFF_FFFFL);
    }

    // VHADD<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vhadd(int w) { integer(w, HADD, false); }
    // VQADD<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vqadd(int w) { integer(w, QADD, true); }
    // VRHADD<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vrhadd(int w) { integer(w, RHADD, false); }
    // VHSUB<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vhsub(int w) { integer(w, HSUB, false); }
    // VQSUB<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vqsub(int w) { integer(w, QSUB, true); }
    // VCGT<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vcgt(int w) { integer(w, CGT, false); }
    // VCGE<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vcge(int w) { integer(w, CGE, false); }
    // VSHL<c>.<dt> <Qd>, <Qm>, <Qn>
    public void vshl(int w) { integer(w, SHL, true); }
    // VQSHL<c>.<dt> <Qd>, <Qm>, <Qn>
    public void vqshl(int w) { integer(w, QSHL, true); }
    // VRSHL<c>.<dt> <Qd>, <Qm>, <Qn>
    public void vrshl(int w) { integer(w, RSHL, true); }
    // VQRSHL<c>.<dt> <Qd>, <Qm>, <Qn>
    public void vqrshl(int w) { integer(w, QRSHL, true); }
    // VMAX<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vmax(int w) { integer(w, MAX, false); }
    // VMIN<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vmin(int w) { integer(w, MIN, false); }
    // VABD<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vabd(int w) { integer(w, ABD, false); }
    // VABA<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vaba(int w) { integer(w, ABA, false); }
    // VADD<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vadd(int w) { integer(w, ADD, true); }
    // VSUB<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vsub(int w) { integer(w, SUB, true); }
    // VTST<c>.<size> <Qd>, <Qn>, <Qm>
    public void vtst(int w) { integer(w, TST, false); }
    // VCEQ<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vceq(int w) { integer(w, CEQ, false); }
    // VMLA<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vmla(int w) { integer(w, MLA, false); }
    // VMLS<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vmls(int w) { integer(w, MLS, false); }
    // VMUL<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vmul(int w) { integer(w, MUL, false); }

    // VMUL<c>.P8 <Qd>, <Qn>, <Qm>
    public void vmulPolynomial(int w) {
        if (((w >>> 20) & 3) != 0) {
            undefined();
            return;
        }
        integer(w, PMUL, false);
    }

    // VQDMULH<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vqdmulh(int w) {
        doubling(w, QDMULH);
    }

    // VQRDMULH<c>.<dt> <Qd>, <Qn>, <Qm>
    public void vqrdmulh(int w) {
        doubling(w, QRDMULH);
    }

    private void doubling(int w, int op) {
        int size = (w >>> 20) & 3;
        if (size == 0 || size == 3) {
            undefined();
            return;
        }
        integer(w, op, false);
    }

    // VPADD<c>.<dt> <Dd>, <Dn>, <Dm>
    public void vpadd(int w) { pairwise(w, ADD); }
    // VPMAX<c>.<dt> <Dd>, <Dn>, <Dm>
    public void vpmax(int w) { pairwise(w, MAX); }
    // VPMIN<c>.<dt> <Dd>, <Dn>, <Dm>
    public void vpmin(int w) { pairwise(w, MIN); }

    // VAND<c> <Qd>, <Qn>, <Qm>
    public void vand(int w) { logical(w, AND); }
    // VBIC<c> <Qd>, <Qn>, <Qm>
    public void vbic(int w) { logical(w, BIC); }
    // VORR<c> <Qd>, <Qn>, <Qm>   (VMOV <Qd>, <Qm> when n == m)
    public void vorr(int w) { logical(w, ORR); }
    // VORN<c> <Qd>, <Qn>, <Qm>
    public void vorn(int w) { logical(w, ORN); }
    // VEOR<c> <Qd>, <Qn>, <Qm>
    public void veor(int w) { logical(w, EOR); }
    // VBSL<c> <Qd>, <Qn>, <Qm>
    public void vbsl(int w) { logical(w, BSL); }
    // VBIT<c> <Qd>, <Qn>, <Qm>
    public void vbit(int w) { logical(w, BIT); }
    // VBIF<c> <Qd>, <Qn>, <Qm>
    public void vbif(int w) { logical(w, BIF); }

    // VADD<c>.F32 <Qd>, <Qn>, <Qm>
    public void vaddFloat(int w) { floating(w, FADD); }
    // VSUB<c>.F32 <Qd>, <Qn>, <Qm>
    public void vsubFloat(int w) { floating(w, FSUB); }
    // VMUL<c>.F32 <Qd>, <Qn>, <Qm>
    public void vmulFloat(int w) { floating(w, FMUL); }
    // VMLA<c>.F32 <Qd>, <Qn>, <Qm>
    public void vmlaFloat(int w) { floating(w, FMLA); }
    // VMLS<c>.F32 <Qd>, <Qn>, <Qm>
    public void vmlsFloat(int w) { floating(w, FMLS); }
    // VFMA<c>.F32 <Qd>, <Qn>, <Qm>
    public void vfma(int w) { floating(w, FMA); }
    // VFMS<c>.F32 <Qd>, <Qn>, <Qm>
    public void vfms(int w) { floating(w, FMS); }
    // VABD<c>.F32 <Qd>, <Qn>, <Qm>
    public void vabdFloat(int w) { floating(w, FABD); }
    // VCEQ<c>.F32 <Qd>, <Qn>, <Qm>
    public void vceqFloat(int w) { floating(w, FCEQ); }
    // VCGE<c>.F32 <Qd>, <Qn>, <Qm>
    public void vcgeFloat(int w) { floating(w, FCGE); }
    // VCGT<c>.F32 <Qd>, <Qn>, <Qm>
    public void vcgtFloat(int w) { floating(w, FCGT); }
    // VACGE<c>.F32 <Qd>, <Qn>, <Qm>
    public void vacge(int w) { floating(w, FACGE); }
    // VACGT<c>.F32 <Qd>, <Qn>, <Qm>
    public void vacgt(int w) { floating(w, FACGT); }
    // VMAX<c>.F32 <Qd>, <Qn>, <Qm>
    public void vmaxFloat(int w) { floating(w, FMAX); }
    // VMIN<c>.F32 <Qd>, <Qn>, <Qm>
    public void vminFloat(int w) { floating(w, FMIN); }
    // VRECPS<c>.F32 <Qd>, <Qn>, <Qm>
    public void vrecps(int w) { floating(w, FRECPS); }
    // VRSQRTS<c>.F32 <Qd>, <Qn>, <Qm>
    public void vrsqrts(int w) { floating(w, FRSQRTS); }
    // VPADD<c>.F32 <Dd>, <Dn>, <Dm>
    public void vpaddFloat(int w) { floatingPairwise(w, FADD); }
    // VPMAX<c>.F32 <Dd>, <Dn>, <Dm>
    public void vpmaxFloat(int w) { floatingPairwise(w, FMAX); }
    // VPMIN<c>.F32 <Dd>, <Dn>, <Dm>
    public void vpminFloat(int w) { floatingPairwise(w, FMIN); }
}
