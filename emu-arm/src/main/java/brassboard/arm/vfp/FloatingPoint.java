package brassboard.arm.vfp;

import java.math.BigInteger;

/**
 * The ARM ARM floating-point pseudocode (DDI 0406C A2.7): FPUnpack, FPRound, FPProcessNaN(s), FPAdd,
 * FPSub, FPMul, FPDiv, FPSqrt, FPMulAdd, FPCompare, FPToFixed, FixedToFP and the precision
 * conversions, on bit patterns of half (16), single (32) and double (64) precision held in a {@code long}.
 *
 * <p>Every operation takes {@code fpscr}, the FPSCR value that controls it (the real FPSCR for VFP
 * instructions, {@link Vfp#STANDARD_FPSCR} for Advanced SIMD), and ORs the cumulative exception flags
 * it raises (IOC, DZC, OFC, UFC, IXC, IDC) into {@link Vfp#fpscr}.
 *
 * <p>Results are exact in all four rounding modes, with flush-to-zero and default NaN: values are
 * computed as integer significands and exponents (a value is {@code m * 2^e}), with the bits shifted
 * out folded into a sticky bit, and rounded once by {@link #round}. Quotients are found by long
 * division, fused multiply-adds in 128-bit integer arithmetic; square roots, which need more than 64
 * bits, use {@link BigInteger} (only off the fast path).
 * Single and double addition, subtraction, multiplication, division and square root first try a fast
 * path in Java arithmetic, which is IEEE 754 round-to-nearest: it is taken only when the controlling
 * rounding mode is round to nearest, the operands are normal and the result is normal and not the
 * smallest normal exponent (so neither flush-to-zero nor underflow can apply), and its inexact flag
 * is computed exactly (the error of a sum, product, quotient or root is itself representable and found
 * with {@code Math.fma} or an error-free transformation). FloatingPointTest checks the fast path against
 * the exact one.
 */
public final class FloatingPoint {
    /** FPUnpack types. */
    static final int ZERO = 0;
    static final int NONZERO = 1;
    static final int INFINITY = 2;
    static final int QNAN = 3;
    static final int SNAN = 4;

    private final Vfp vfp;
    /** 128-bit operands of a fused multiply-add (high word first), reused: a core's instructions run on one thread. */
    private final long[] productScratch = new long[2];
    private final long[] addendScratch = new long[2];

    public FloatingPoint(Vfp vfp) {
        this.vfp = vfp;
    }

    // ---------------------------------------------------------------- formats

    private static int fractionBits(int n) {
        return n == 64 ? 52 : n == 32 ? 23 : 10;
    }

    private static int exponentBits(int n) {
        return n == 64 ? 11 : n == 32 ? 8 : 5;
    }

    /** The exponent of the smallest normal number. */
    private static int minimumExponent(int n) {
        return n == 64 ? -1022 : n == 32 ? -126 : -14;
    }

    private static long signBit(int n) {
        return 1L << (n - 1);
    }

    private static int sign(long bits, int n) {
        return (int) (bits >>> (n - 1)) & 1;
    }

    public static long defaultNaN(int n) {
        return n == 64 ? 0x7FF8_0000_0000_0000L : n == 32 ? 0x7FC0_0000L : 0x7E00L;
    }

    public static long infinity(int sign, int n) {
        int f = fractionBits(n);
        long inf = ((1L << exponentBits(n)) - 1) << f;
        return sign == 0 ? inf : inf | signBit(n);
    }

    public static long zero(int sign, int n) {
        return sign == 0 ? 0 : signBit(n);
    }

    private static long maxNormal(int sign, int n) {
        int f = fractionBits(n);
        long max = (((1L << exponentBits(n)) - 2) << f) | ((1L << f) - 1);
        return sign == 0 ? max : max | signBit(n);
    }

    /** FPNeg: flips the sign bit, NaNs included. */
    public static long neg(long bits, int n) {
        return bits ^ signBit(n);
    }

    /** FPAbs. */
    public static long abs(long bits, int n) {
        return bits & ~signBit(n);
    }

    private void raise(int flags) {
        vfp.fpscr |= flags;
    }

    /**
     * FPUnpack: the type of {@code bits}. A denormal is NONZERO, or ZERO with IDC raised when
     * {@code fpscr.FZ} is set (never for half precision); with FPSCR.AHP set a half-precision
     * exponent of all ones is an ordinary number.
     */
    int type(long bits, int n, int fpscr) {
        int f = fractionBits(n);
        int emax = (1 << exponentBits(n)) - 1;
        int exp = (int) (bits >>> f) & emax;
        long frac = bits & ((1L << f) - 1);
        if (exp == 0) {
            if (frac == 0) {
                return ZERO;
            }
            if (n != 16 && (fpscr & Vfp.FPSCR_FZ) != 0) {
                raise(Vfp.IDC);
                return ZERO;
            }
            return NONZERO;
        }
        if (exp == emax && !(n == 16 && (fpscr & Vfp.FPSCR_AHP) != 0)) {
            if (frac == 0) {
                return INFINITY;
            }
            return (frac & (1L << (f - 1))) != 0 ? QNAN : SNAN;
        }
        return NONZERO;
    }

    /** The integer significand of a NONZERO value (the value is significand * 2^exponent). */
    static long significand(long bits, int n) {
        int f = fractionBits(n);
        long frac = bits & ((1L << f) - 1);
        int exp = (int) (bits >>> f) & ((1 << exponentBits(n)) - 1);
        return exp == 0 ? frac : frac | (1L << f);
    }

    /** The exponent of the value's significand's unit: value = {@link #significand} * 2^this. */
    static int exponent(long bits, int n) {
        int f = fractionBits(n);
        int exp = (int) (bits >>> f) & ((1 << exponentBits(n)) - 1);
        return (exp == 0 ? minimumExponent(n) : exp + minimumExponent(n) - 1) - f;
    }

    private static boolean isNaN(int type) {
        return type >= QNAN;
    }

    /** FPProcessNaN: quietens a signalling NaN (raising IOC), then the default NaN if FPSCR.DN. */
    long processNaN(int type, long bits, int n, int fpscr) {
        long result = bits;
        if (type == SNAN) {
            result |= 1L << (fractionBits(n) - 1);
            raise(Vfp.IOC);
        }
        if ((fpscr & Vfp.FPSCR_DN) != 0) {
            result = defaultNaN(n);
        }
        return result;
    }

    /** FPProcessNaNs: signalling NaNs first, then quiet ones, each in operand order; 0 when neither is a NaN (0 is no NaN). */
    private long processNaNs(int t1, int t2, long a, long b, int n, int fpscr) {
        if (t1 == SNAN) {
            return processNaN(t1, a, n, fpscr);
        } else if (t2 == SNAN) {
            return processNaN(t2, b, n, fpscr);
        } else if (t1 == QNAN) {
            return processNaN(t1, a, n, fpscr);
        } else if (t2 == QNAN) {
            return processNaN(t2, b, n, fpscr);
        }
        return 0;
    }

    /** FPProcessNaNs3. */
    private long processNaNs3(int t1, int t2, int t3, long a, long b, long c, int n, int fpscr) {
        if (t1 == SNAN) {
            return processNaN(t1, a, n, fpscr);
        } else if (t2 == SNAN) {
            return processNaN(t2, b, n, fpscr);
        } else if (t3 == SNAN) {
            return processNaN(t3, c, n, fpscr);
        } else if (t1 == QNAN) {
            return processNaN(t1, a, n, fpscr);
        } else if (t2 == QNAN) {
            return processNaN(t2, b, n, fpscr);
        } else if (t3 == QNAN) {
            return processNaN(t3, c, n, fpscr);
        }
        return 0;
    }

    /** An exact zero result whose sign the rounding mode decides: -0 only when rounding towards minus infinity. */
    private static long exactZero(int n, int fpscr) {
        return zero(rmode(fpscr) == 2 ? 1 : 0, n);
    }

    private static int rmode(int fpscr) {
        return (fpscr >>> Vfp.FPSCR_RMODE_SHIFT) & 3;
    }

    // ---------------------------------------------------------------- FPRound

    /**
     * FPRound of the non-zero value {@code m * 2^e} ({@code m > 0}) to precision {@code n}. Bits below
     * {@code m}'s bit 0 that were shifted out are folded into bit 0 (sticky); callers keep at least two
     * bits below the rounding point, so the fold never changes how the value compares with a half.
     */
    long round(int sign, long m, int e, int n, int fpscr) {
        int f = fractionBits(n);
        int minExp = minimumExponent(n);
        int top = 63 - Long.numberOfLeadingZeros(m);
        int exponent = e + top;
        if (n != 16 && (fpscr & Vfp.FPSCR_FZ) != 0 && exponent < minExp) {
            raise(Vfp.UFC);
            return zero(sign, n);
        }
        int biasedExp = Math.max(exponent - minExp + 1, 0);
        int scale = biasedExp == 0 ? minExp : exponent;
        int shift = scale - f - e;
        long intMant;
        int error; // 0 exact, 1 below a half, 2 a half, 3 above a half
        if (shift <= 0) {
            intMant = m << -shift;
            error = 0;
        } else if (shift >= 64) {
            intMant = 0;
            error = 1;
        } else {
            intMant = m >>> shift;
            long rem = m & ((1L << shift) - 1);
            long half = 1L << (shift - 1);
            error = rem == 0 ? 0 : rem < half ? 1 : rem == half ? 2 : 3;
        }
        if (biasedExp == 0 && error != 0) {
            raise(Vfp.UFC);
        }
        boolean roundUp;
        boolean overflowToInf;
        switch (rmode(fpscr)) {
            case 0:
                roundUp = error == 3 || (error == 2 && (intMant & 1) != 0);
                overflowToInf = true;
                break;
            case 1:
                roundUp = error != 0 && sign == 0;
                overflowToInf = sign == 0;
                break;
            case 2:
                roundUp = error != 0 && sign == 1;
                overflowToInf = sign == 1;
                break;
            default:
                roundUp = false;
                overflowToInf = false;
                break;
        }
        if (roundUp) {
            intMant++;
            if (intMant == 1L << f) {
                biasedExp = 1;
            }
            if (intMant == 1L << (f + 1)) {
                biasedExp++;
                intMant >>>= 1;
            }
        }
        int eBits = exponentBits(n);
        long result;
        if (n != 16 || (fpscr & Vfp.FPSCR_AHP) == 0) {
            if (biasedExp >= (1 << eBits) - 1) {
                result = overflowToInf ? infinity(sign, n) : maxNormal(sign, n);
                raise(Vfp.OFC);
                error = 1;
            } else {
                result = ((long) biasedExp << f) | (intMant & ((1L << f) - 1));
                if (sign != 0) {
                    result |= signBit(n);
                }
            }
        } else {
            if (biasedExp >= 1 << eBits) {
                result = (sign != 0 ? signBit(n) : 0) | (signBit(n) - 1);
                raise(Vfp.IOC);
                error = 0;
            } else {
                result = ((long) biasedExp << f) | (intMant & ((1L << f) - 1));
                if (sign != 0) {
                    result |= signBit(n);
                }
            }
        }
        if (error != 0) {
            raise(Vfp.IXC);
        }
        return result;
    }

    /** FPRound of a non-zero BigInteger times 2^e. */
    private long round(int sign, BigInteger m, int e, int n, int fpscr) {
        int length = m.bitLength();
        if (length <= 62) {
            return round(sign, m.longValue(), e, n, fpscr);
        }
        int shift = length - 62;
        long sticky = m.getLowestSetBit() < shift ? 1 : 0;
        return round(sign, m.shiftRight(shift).longValue() | sticky, e + shift, n, fpscr);
    }

    // ---------------------------------------------------------------- arithmetic

    /** FPAdd. */
    public long add(long a, long b, int n, int fpscr) {
        if (n == 32 && rmode(fpscr) == 0) {
            long fast = fastAdd32((int) a, (int) b);
            if (fast != SLOW) {
                return fast;
            }
        } else if (n == 64 && rmode(fpscr) == 0) {
            long fast = fastAdd64(a, b);
            if (fast != SLOW) {
                return fast;
            }
        }
        return exactAdd(a, b, n, fpscr);
    }

    /** FPSub: FPAdd with the second operand negated, except that NaNs keep their sign. */
    public long sub(long a, long b, int n, int fpscr) {
        if (n == 32 && rmode(fpscr) == 0) {
            long fast = fastAdd32((int) a, (int) b ^ 0x8000_0000);
            if (fast != SLOW) {
                return fast;
            }
        } else if (n == 64 && rmode(fpscr) == 0) {
            long fast = fastAdd64(a, b ^ Long.MIN_VALUE);
            if (fast != SLOW) {
                return fast;
            }
        }
        int t1 = type(a, n, fpscr);
        int t2 = type(b, n, fpscr);
        if (isNaN(t1) || isNaN(t2)) {
            return processNaNs(t1, t2, a, b, n, fpscr);
        }
        return addUnpacked(t1, t2, a, neg(b, n), n, fpscr);
    }

    long exactAdd(long a, long b, int n, int fpscr) {
        int t1 = type(a, n, fpscr);
        int t2 = type(b, n, fpscr);
        if (isNaN(t1) || isNaN(t2)) {
            return processNaNs(t1, t2, a, b, n, fpscr);
        }
        return addUnpacked(t1, t2, a, b, n, fpscr);
    }

    private long addUnpacked(int t1, int t2, long a, long b, int n, int fpscr) {
        int s1 = sign(a, n);
        int s2 = sign(b, n);
        boolean inf1 = t1 == INFINITY;
        boolean inf2 = t2 == INFINITY;
        if (inf1 && inf2 && s1 != s2) {
            raise(Vfp.IOC);
            return defaultNaN(n);
        }
        if (inf1 || inf2) {
            return infinity(inf1 ? s1 : s2, n);
        }
        boolean zero1 = t1 == ZERO;
        boolean zero2 = t2 == ZERO;
        if (zero1 && zero2) {
            return s1 == s2 ? zero(s1, n) : exactZero(n, fpscr);
        }
        if (zero1) {
            return round(s2, significand(b, n), exponent(b, n), n, fpscr);
        }
        if (zero2) {
            return round(s1, significand(a, n), exponent(a, n), n, fpscr);
        }
        return addValues(s1, significand(a, n), exponent(a, n), s2, significand(b, n), exponent(b, n), n, fpscr);
    }

    /** Rounds (-1)^s1 * m1 * 2^e1 + (-1)^s2 * m2 * 2^e2 for non-zero m1, m2 of at most 53 bits. */
    private long addValues(int s1, long m1, int e1, int s2, long m2, int e2, int n, int fpscr) {
        // both significands with their top bit at bit 61: sums stay below 2^63, and at least 8 zero
        // bits below the 53 significant ones, so an alignment shift of up to 8 bits loses nothing
        int k1 = Long.numberOfLeadingZeros(m1) - 2;
        int k2 = Long.numberOfLeadingZeros(m2) - 2;
        m1 <<= k1;
        e1 -= k1;
        m2 <<= k2;
        e2 -= k2;
        if (e1 < e2 || (e1 == e2 && m1 < m2)) {
            long tm = m1; m1 = m2; m2 = tm;
            int te = e1; e1 = e2; e2 = te;
            int ts = s1; s1 = s2; s2 = ts;
        }
        int d = e1 - e2;
        long q;
        long lost;
        if (d >= 63) {
            q = 0;
            lost = 1;
        } else {
            q = m2 >>> d;
            lost = (m2 & ((1L << d) - 1)) != 0 ? 1 : 0;
        }
        long sum;
        if (s1 == s2) {
            sum = (m1 + q) | lost;
        } else {
            // floor(m1 - (q + fraction)) = m1 - q - 1 when bits were lost, with a non-zero fraction
            sum = (m1 - q - lost) | lost;
            if (sum == 0) {
                return exactZero(n, fpscr);
            }
        }
        return round(s1, sum, e1, n, fpscr);
    }

    /** FPMul. */
    public long mul(long a, long b, int n, int fpscr) {
        if (n == 32 && rmode(fpscr) == 0) {
            long fast = fastMul32((int) a, (int) b);
            if (fast != SLOW) {
                return fast;
            }
        } else if (n == 64 && rmode(fpscr) == 0) {
            long fast = fastMul64(a, b);
            if (fast != SLOW) {
                return fast;
            }
        }
        return exactMul(a, b, n, fpscr);
    }

    long exactMul(long a, long b, int n, int fpscr) {
        int t1 = type(a, n, fpscr);
        int t2 = type(b, n, fpscr);
        if (isNaN(t1) || isNaN(t2)) {
            return processNaNs(t1, t2, a, b, n, fpscr);
        }
        int s = sign(a, n) ^ sign(b, n);
        if ((t1 == INFINITY && t2 == ZERO) || (t1 == ZERO && t2 == INFINITY)) {
            raise(Vfp.IOC);
            return defaultNaN(n);
        }
        if (t1 == INFINITY || t2 == INFINITY) {
            return infinity(s, n);
        }
        if (t1 == ZERO || t2 == ZERO) {
            return zero(s, n);
        }
        return roundProduct(s, significand(a, n), significand(b, n), exponent(a, n) + exponent(b, n), n, fpscr);
    }

    /** Rounds (-1)^s * m1 * m2 * 2^e (a product of up to 106 bits). */
    private long roundProduct(int s, long m1, long m2, int e, int n, int fpscr) {
        long hi = Math.multiplyHigh(m1, m2);
        long lo = m1 * m2;
        if (hi == 0 && lo > 0) {
            return round(s, lo, e, n, fpscr);
        }
        int top = hi == 0 ? 63 : 127 - Long.numberOfLeadingZeros(hi);
        int shift = top - 61;
        long m = (hi << (64 - shift)) | (lo >>> shift);
        long sticky = (lo & ((1L << shift) - 1)) != 0 ? 1 : 0;
        return round(s, m | sticky, e + shift, n, fpscr);
    }

    /** FPDiv. */
    public long div(long a, long b, int n, int fpscr) {
        if (n == 32 && rmode(fpscr) == 0) {
            long fast = fastDiv32((int) a, (int) b);
            if (fast != SLOW) {
                return fast;
            }
        } else if (n == 64 && rmode(fpscr) == 0) {
            long fast = fastDiv64(a, b);
            if (fast != SLOW) {
                return fast;
            }
        }
        return exactDiv(a, b, n, fpscr);
    }

    long exactDiv(long a, long b, int n, int fpscr) {
        int t1 = type(a, n, fpscr);
        int t2 = type(b, n, fpscr);
        if (isNaN(t1) || isNaN(t2)) {
            return processNaNs(t1, t2, a, b, n, fpscr);
        }
        int s = sign(a, n) ^ sign(b, n);
        if ((t1 == INFINITY && t2 == INFINITY) || (t1 == ZERO && t2 == ZERO)) {
            raise(Vfp.IOC);
            return defaultNaN(n);
        }
        if (t1 == INFINITY || t2 == ZERO) {
            if (t1 != INFINITY) {
                raise(Vfp.DZC);
            }
            return infinity(s, n);
        }
        if (t1 == ZERO || t2 == INFINITY) {
            return zero(s, n);
        }
        long m1 = significand(a, n);
        long m2 = significand(b, n);
        int k1 = Long.numberOfLeadingZeros(m1) - 2;
        int k2 = Long.numberOfLeadingZeros(m2) - 2;
        m1 <<= k1;
        m2 <<= k2;
        int e = exponent(a, n) - k1 - exponent(b, n) + k2;
        // restoring division: 63 quotient bits of m1 / m2 (in (1/2, 2)), so q = m1 * 2^62 / m2
        long q = 0;
        long r = m1;
        for (int i = 0; i < 63; i++) {
            q <<= 1;
            if (r >= m2) {
                r -= m2;
                q |= 1;
            }
            r <<= 1;
        }
        return round(s, q | (r != 0 ? 1 : 0), e - 62, n, fpscr);
    }

    /** FPSqrt. */
    public long sqrt(long a, int n, int fpscr) {
        if (rmode(fpscr) == 0) {
            long fast = n == 32 ? fastSqrt32((int) a) : n == 64 ? fastSqrt64(a) : SLOW;
            if (fast != SLOW) {
                return fast;
            }
        }
        return exactSqrt(a, n, fpscr);
    }

    long exactSqrt(long a, int n, int fpscr) {
        int t = type(a, n, fpscr);
        if (isNaN(t)) {
            return processNaN(t, a, n, fpscr);
        }
        int s = sign(a, n);
        if (t == ZERO) {
            return zero(s, n);
        }
        if (t == INFINITY && s == 0) {
            return infinity(0, n);
        }
        if (s == 1) {
            raise(Vfp.IOC);
            return defaultNaN(n);
        }
        long m = significand(a, n);
        int e = exponent(a, n);
        // sqrt(m * 2^e) with e even = isqrt(m * 2^(2k)) * 2^(e / 2 - k), k chosen for a root of 61-62 bits
        if ((e & 1) != 0) {
            m <<= 1;
            e--;
        }
        int k = (124 - (64 - Long.numberOfLeadingZeros(m))) / 2;
        BigInteger x = BigInteger.valueOf(m).shiftLeft(2 * k);
        BigInteger[] root = x.sqrtAndRemainder();
        long r = root[0].longValueExact();
        long sticky = root[1].signum() != 0 ? 1 : 0;
        return round(0, r | sticky, e / 2 - k, n, fpscr);
    }

    /**
     * FPMulAdd: addend + op1 * op2 with one rounding (VFMA and friends; the caller negates operands
     * as the instruction says). A QNaN addend with infinity times zero is the default NaN with IOC.
     */
    public long mulAdd(long addend, long op1, long op2, int n, int fpscr) {
        int tA = type(addend, n, fpscr);
        int t1 = type(op1, n, fpscr);
        int t2 = type(op2, n, fpscr);
        boolean inf1 = t1 == INFINITY;
        boolean zero1 = t1 == ZERO;
        boolean inf2 = t2 == INFINITY;
        boolean zero2 = t2 == ZERO;
        long nan = processNaNs3(tA, t1, t2, addend, op1, op2, n, fpscr);
        if (tA == QNAN && ((inf1 && zero2) || (zero1 && inf2))) {
            raise(Vfp.IOC);
            return defaultNaN(n);
        }
        if (isNaN(tA) || isNaN(t1) || isNaN(t2)) {
            return nan;
        }
        int sA = sign(addend, n);
        int sP = sign(op1, n) ^ sign(op2, n);
        boolean infA = tA == INFINITY;
        boolean zeroA = tA == ZERO;
        boolean infP = inf1 || inf2;
        boolean zeroP = zero1 || zero2;
        if ((inf1 && zero2) || (zero1 && inf2) || (infA && infP && sA != sP)) {
            raise(Vfp.IOC);
            return defaultNaN(n);
        }
        if ((infA && sA == 0) || (infP && sP == 0)) {
            return infinity(0, n);
        }
        if (infA || infP) {
            return infinity(1, n);
        }
        if (zeroA && zeroP && sA == sP) {
            return zero(sA, n);
        }
        if (zeroP) {
            return zeroA ? exactZero(n, fpscr) : round(sA, significand(addend, n), exponent(addend, n), n, fpscr);
        }
        if (zeroA) {
            return roundProduct(sP, significand(op1, n), significand(op2, n), exponent(op1, n) + exponent(op2, n), n, fpscr);
        }
        long m1 = significand(op1, n);
        long m2 = significand(op2, n);
        int eP = exponent(op1, n) + exponent(op2, n);
        long mA = significand(addend, n);
        int eA = exponent(addend, n);
        if (n == 32) {
            // a single-precision product has at most 48 bits: exact in a long, then one exact sum
            return addValues(sP, m1 * m2, eP, sA, mA, eA, n, fpscr);
        }
        return fusedSum128(sP, Math.multiplyHigh(m1, m2), m1 * m2, eP, sA, mA, eA, n, fpscr);
    }

    /**
     * Rounds (-1)^sP * (pHi:pLo) * 2^eP + (-1)^sA * mA * 2^eA exactly: the product (up to 106 bits) and
     * the addend are placed with their top bits at bit 125 of 128-bit magnitudes, the one with the
     * smaller exponent shifted right with the bits shifted out kept as a sticky bit, and the 128-bit
     * sum or difference rounded once.
     */
    private long fusedSum128(int sP, long pHi, long pLo, int eP, int sA, long mA, int eA, int n, int fpscr) {
        int topP = pHi != 0 ? 127 - Long.numberOfLeadingZeros(pHi) : 63 - Long.numberOfLeadingZeros(pLo);
        int shiftP = 125 - topP;
        long[] p = productScratch;
        p[0] = pHi;
        p[1] = pLo;
        shiftLeft(p, shiftP);
        eP -= shiftP;
        int shiftA = 125 - (63 - Long.numberOfLeadingZeros(mA));
        long[] a = addendScratch;
        a[0] = 0;
        a[1] = mA;
        shiftLeft(a, shiftA);
        eA -= shiftA;
        // big: the larger magnitude (larger exponent, or equal exponents and larger value)
        boolean productBigger = eP > eA || (eP == eA && compareUnsigned128(p, a) >= 0);
        long[] big = productBigger ? p : a;
        long[] small = productBigger ? a : p;
        int e = productBigger ? eP : eA;
        int sign = productBigger ? sP : sA;
        boolean same = sP == sA;
        int dist = productBigger ? eP - eA : eA - eP;
        long lost = shiftRightSticky(small, dist);
        long hi;
        long lo;
        if (same) {
            lo = big[1] + small[1];
            hi = big[0] + small[0] + (Long.compareUnsigned(lo, big[1]) < 0 ? 1 : 0);
            lo |= lost;
        } else {
            // floor(big - (small + fraction)) = big - small - 1 when bits were lost
            long subLo = small[1] + lost;
            long subHi = small[0] + (Long.compareUnsigned(subLo, small[1]) < 0 ? 1 : 0);
            lo = big[1] - subLo;
            hi = big[0] - subHi - (Long.compareUnsigned(big[1], subLo) < 0 ? 1 : 0);
            lo |= lost;
            if (hi == 0 && lo == 0) {
                return exactZero(n, fpscr);
            }
        }
        // the top 62 bits, the rest folded into a sticky bit
        int top = hi != 0 ? 127 - Long.numberOfLeadingZeros(hi) : 63 - Long.numberOfLeadingZeros(lo);
        if (top <= 61) {
            return round(sign, lo, e, n, fpscr);
        }
        int shift = top - 61;
        long m;
        long sticky;
        if (shift >= 64) {
            m = hi >>> (shift - 64);
            sticky = lo != 0 || (hi & ((1L << (shift - 64)) - 1)) != 0 ? 1 : 0;
        } else {
            m = (hi << (64 - shift)) | (lo >>> shift);
            sticky = (lo & ((1L << shift) - 1)) != 0 ? 1 : 0;
        }
        return round(sign, m | sticky, e + shift, n, fpscr);
    }

    private static void shiftLeft(long[] v, int k) {
        if (k == 0) {
            return;
        }
        if (k >= 64) {
            v[0] = v[1] << (k - 64);
            v[1] = 0;
        } else {
            v[0] = (v[0] << k) | (v[1] >>> (64 - k));
            v[1] <<= k;
        }
    }

    /** Shifts the 128-bit value right by {@code k}; returns 1 when non-zero bits were shifted out. */
    private static long shiftRightSticky(long[] v, int k) {
        if (k == 0) {
            return 0;
        }
        long lost;
        if (k >= 128) {
            lost = (v[0] | v[1]) != 0 ? 1 : 0;
            v[0] = 0;
            v[1] = 0;
        } else if (k >= 64) {
            lost = v[1] != 0 || (k > 64 && (v[0] & ((1L << (k - 64)) - 1)) != 0) ? 1 : 0;
            v[1] = k == 64 ? v[0] : v[0] >>> (k - 64);
            v[0] = 0;
        } else {
            lost = (v[1] & ((1L << k) - 1)) != 0 ? 1 : 0;
            v[1] = (v[1] >>> k) | (v[0] << (64 - k));
            v[0] >>>= k;
        }
        return lost;
    }

    private static int compareUnsigned128(long[] a, long[] b) {
        int c = Long.compareUnsigned(a[0], b[0]);
        return c != 0 ? c : Long.compareUnsigned(a[1], b[1]);
    }

    /** FPCompare: the NZCV flags; IOC for a signalling NaN, or any NaN when {@code quietNaNExc} (VCMPE). */
    public int compare(long a, long b, int n, boolean quietNaNExc, int fpscr) {
        int t1 = type(a, n, fpscr);
        int t2 = type(b, n, fpscr);
        if (isNaN(t1) || isNaN(t2)) {
            if (t1 == SNAN || t2 == SNAN || quietNaNExc) {
                raise(Vfp.IOC);
            }
            return 0b0011;
        }
        long k1 = orderKey(a, t1, n);
        long k2 = orderKey(b, t2, n);
        return k1 == k2 ? 0b0110 : k1 < k2 ? 0b1000 : 0b0010;
    }

    /** A signed integer ordered as the values are (zeros of either sign are 0). */
    private static long orderKey(long bits, int type, int n) {
        if (type == ZERO) {
            return 0;
        }
        long magnitude = bits & (signBit(n) - 1);
        return sign(bits, n) == 0 ? magnitude : -magnitude;
    }

    // ---------------------------------------------------------------- conversions

    /**
     * FPToFixed: {@code bits} times 2^fractionBits rounded to an integer of {@code m} bits (8, 16, 32),
     * saturated with IOC; NaN gives 0 with IOC. Returns the integer (sign-extended when signed).
     */
    public long toFixed(long bits, int n, int m, int fractionBits, boolean unsigned, boolean roundTowardsZero, int fpscr) {
        int mode = roundTowardsZero ? 3 : rmode(fpscr);
        int t = type(bits, n, fpscr);
        if (isNaN(t)) {
            raise(Vfp.IOC);
            return 0;
        }
        int s = sign(bits, n);
        long magnitude;
        boolean inexact = false;
        boolean huge = false;
        if (t == ZERO) {
            magnitude = 0;
        } else if (t == INFINITY) {
            magnitude = 0;
            huge = true;
        } else {
            long sig = significand(bits, n);
            int e = exponent(bits, n) + fractionBits;
            if (e >= 0) {
                if (e > Long.numberOfLeadingZeros(sig) - 2) {
                    huge = true;
                    magnitude = 0;
                } else {
                    magnitude = sig << e;
                }
            } else {
                int shift = -e;
                long rem;
                int error;
                if (shift >= 64) {
                    magnitude = 0;
                    error = 1;
                } else {
                    magnitude = sig >>> shift;
                    rem = sig & ((1L << shift) - 1);
                    long half = 1L << (shift - 1);
                    error = rem == 0 ? 0 : rem < half ? 1 : rem == half ? 2 : 3;
                }
                inexact = error != 0;
                boolean up;
                switch (mode) {
                    case 0: up = error == 3 || (error == 2 && (magnitude & 1) != 0); break;
                    case 1: up = error != 0 && s == 0; break;
                    case 2: up = error != 0 && s == 1; break;
                    default: up = false; break;
                }
                if (up) {
                    magnitude++;
                }
            }
        }
        long min = unsigned ? 0 : -(1L << (m - 1));
        long max = unsigned ? (1L << m) - 1 : (1L << (m - 1)) - 1;
        long value;
        boolean overflow;
        if (huge) {
            value = s == 0 ? max : min;
            overflow = true;
        } else {
            long v = s == 0 ? magnitude : -magnitude;
            value = Math.max(min, Math.min(max, v));
            overflow = value != v;
        }
        if (overflow) {
            raise(Vfp.IOC);
        } else if (inexact) {
            raise(Vfp.IXC);
        }
        return value;
    }

    /** FixedToFP: the integer {@code value} (already sign- or zero-extended) divided by 2^fractionBits, rounded. */
    public long fromFixed(long value, int n, int fractionBits, boolean roundToNearest, int fpscr) {
        if (value == 0) {
            return zero(0, n);
        }
        int mode = roundToNearest ? fpscr & ~Vfp.FPSCR_RMODE : fpscr;
        int s = value < 0 ? 1 : 0;
        return round(s, Math.abs(value), -fractionBits, n, mode);
    }

    /**
     * FPDoubleToSingle / FPSingleToDouble / FPHalfToSingle / FPSingleToHalf: {@code bits} of precision
     * {@code from} converted to precision {@code to}.
     */
    public long convert(long bits, int from, int to, int fpscr) {
        int t = type(bits, from, fpscr);
        int s = sign(bits, from);
        if (isNaN(t)) {
            if (to == 16 && (fpscr & Vfp.FPSCR_AHP) != 0) {
                raise(Vfp.IOC);
                return zero(s, 16);
            }
            if (t == SNAN) {
                raise(Vfp.IOC);
            }
            if ((fpscr & Vfp.FPSCR_DN) != 0) {
                return defaultNaN(to);
            }
            // the quiet bit set, then the top fraction bits that fit
            int ff = fractionBits(from);
            int ft = fractionBits(to);
            long frac = (bits & ((1L << ff) - 1)) | (1L << (ff - 1));
            frac = ft >= ff ? frac << (ft - ff) : frac >>> (ff - ft);
            return infinity(s, to) | frac;
        }
        if (t == INFINITY) {
            if (to == 16 && (fpscr & Vfp.FPSCR_AHP) != 0) {
                raise(Vfp.IOC);
                return (s != 0 ? 0x8000 : 0) | 0x7FFF;
            }
            return infinity(s, to);
        }
        if (t == ZERO) {
            return zero(s, to);
        }
        return round(s, significand(bits, from), exponent(bits, from), to, fpscr);
    }


    // ---------------------------------------------------------------- Advanced SIMD helpers

    /** FPMax (A2.7.x): the larger value; +0 beats -0; NaNs as FPProcessNaNs. */
    public long max(long a, long b, int n, int fpscr) {
        return maxMin(a, b, n, fpscr, true);
    }

    /** FPMin: the smaller value; -0 beats +0. */
    public long min(long a, long b, int n, int fpscr) {
        return maxMin(a, b, n, fpscr, false);
    }

    private long maxMin(long a, long b, int n, int fpscr, boolean max) {
        int t1 = type(a, n, fpscr);
        int t2 = type(b, n, fpscr);
        if (isNaN(t1) || isNaN(t2)) {
            return processNaNs(t1, t2, a, b, n, fpscr);
        }
        if (t1 == ZERO && t2 == ZERO) {
            int s = max ? sign(a, n) & sign(b, n) : sign(a, n) | sign(b, n);
            return zero(s, n);
        }
        long k1 = orderKey(a, t1, n);
        long k2 = orderKey(b, t2, n);
        boolean first = max ? k1 > k2 : k1 < k2;
        long pick = first ? a : b;
        int t = first ? t1 : t2;
        if (t == ZERO) {
            return zero(sign(pick, n), n); // a flushed denormal
        }
        return pick;
    }

    /** FPCompareEQ: IOC for a signalling NaN. */
    public boolean compareEqual(long a, long b, int n, int fpscr) {
        int t1 = type(a, n, fpscr);
        int t2 = type(b, n, fpscr);
        if (isNaN(t1) || isNaN(t2)) {
            if (t1 == SNAN || t2 == SNAN) {
                raise(Vfp.IOC);
            }
            return false;
        }
        return orderKey(a, t1, n) == orderKey(b, t2, n);
    }

    /** FPCompareGE ({@code orEqual}) or FPCompareGT: IOC for any NaN. */
    public boolean compareGreater(long a, long b, int n, boolean orEqual, int fpscr) {
        int t1 = type(a, n, fpscr);
        int t2 = type(b, n, fpscr);
        if (isNaN(t1) || isNaN(t2)) {
            raise(Vfp.IOC);
            return false;
        }
        long k1 = orderKey(a, t1, n);
        long k2 = orderKey(b, t2, n);
        return orEqual ? k1 >= k2 : k1 > k2;
    }

    private static final long TWO = 0x4000_0000L;
    private static final long THREE = 0x4040_0000L;
    private static final long ONE_POINT_FIVE = 0x3FC0_0000L;

    /** FPRecipStep (single): 2 - op1 * op2, two roundings; infinity times zero gives 2. */
    public long recipStep(long a, long b, int fpscr) {
        int t1 = type(a, 32, fpscr);
        int t2 = type(b, 32, fpscr);
        if ((t1 == INFINITY && t2 == ZERO) || (t1 == ZERO && t2 == INFINITY)) {
            return TWO;
        }
        return sub(TWO, mul(a, b, 32, fpscr), 32, fpscr);
    }

    /** FPRSqrtStep (single): (3 - op1 * op2) / 2; infinity times zero gives 1.5. */
    public long rsqrtStep(long a, long b, int fpscr) {
        int t1 = type(a, 32, fpscr);
        int t2 = type(b, 32, fpscr);
        if ((t1 == INFINITY && t2 == ZERO) || (t1 == ZERO && t2 == INFINITY)) {
            return ONE_POINT_FIVE;
        }
        return div(sub(THREE, mul(a, b, 32, fpscr), 32, fpscr), TWO, 32, fpscr);
    }

    /** recip_estimate (A2.7): 1 / a to 8 bits for 0.5 <= a < 1, as 256..511 (the estimate times 256). */
    static int recipEstimate(int q) {
        // q = floor(a * 512), 256..511; r = 1 / ((q + 0.5) / 512); s = floor(r * 256 + 0.5)
        return (int) ((2 * 262144L / (2 * q + 1) + 1) / 2);
    }

    /** recip_sqrt_estimate (A2.7), computed in double as the ARM ARM's C code does; a in [0.25, 1). */
    static double recipSqrtEstimate(double a) {
        double r;
        if (a < 0.5) {
            int q0 = (int) (a * 512.0);
            r = 1.0 / Math.sqrt((q0 + 0.5) / 512.0);
        } else {
            int q1 = (int) (a * 256.0);
            r = 1.0 / Math.sqrt((q1 + 0.5) / 256.0);
        }
        int s = (int) (256.0 * r + 0.5);
        return s / 256.0;
    }

    /** FPRecipEstimate (single, Advanced SIMD). */
    public long recipEstimate(long a, int fpscr) {
        int t = type(a, 32, fpscr);
        int s = sign(a, 32);
        if (isNaN(t)) {
            return processNaN(t, a, 32, fpscr);
        }
        if (t == INFINITY) {
            return zero(s, 32);
        }
        if (t == ZERO) {
            raise(Vfp.DZC);
            return infinity(s, 32);
        }
        int exp = (int) (a >>> 23) & 0xFF;
        if (exp >= 253) {
            raise(Vfp.UFC);
            return zero(s, 32);
        }
        int q = 256 | (int) ((a >>> 15) & 0xFF); // floor(0.1fraction * 512)
        long estimate = recipEstimate(q); // 256..511: 1 + 8 fraction bits
        long resultExp = 253 - exp;
        return ((long) s << 31) | (resultExp << 23) | ((estimate & 0xFF) << 15);
    }

    /** FPRSqrtEstimate (single, Advanced SIMD). */
    public long rsqrtEstimate(long a, int fpscr) {
        int t = type(a, 32, fpscr);
        int s = sign(a, 32);
        if (isNaN(t)) {
            return processNaN(t, a, 32, fpscr);
        }
        if (t == ZERO) {
            raise(Vfp.DZC);
            return infinity(s, 32);
        }
        if (s == 1) {
            raise(Vfp.IOC);
            return defaultNaN(32);
        }
        if (t == INFINITY) {
            return 0;
        }
        int exp = (int) (a >>> 23) & 0xFF;
        long frac = a & 0x7F_FFFF;
        double scaled = Double.longBitsToDouble(((exp & 1) == 0 ? 0x3FE0_0000_0000_0000L : 0x3FD0_0000_0000_0000L) | (frac << 29));
        long estimate = Double.doubleToRawLongBits(recipSqrtEstimate(scaled));
        long resultExp = ((380 - exp) / 2) & 0xFF;
        return (resultExp << 23) | ((estimate >>> 29) & 0x7F_FFFF);
    }

    /** UnsignedRecipEstimate. */
    public static long unsignedRecipEstimate(long a) {
        if ((a & 0x8000_0000L) == 0) {
            return 0xFFFF_FFFFL;
        }
        int q = (int) ((a >>> 23) & 0x1FF); // floor(a / 2^32 * 512), 256..511
        long estimate = recipEstimate(q);
        return estimate << 23; // '1' : estimate<51:21> of a double whose fraction has 8 bits
    }

    /** UnsignedRSqrtEstimate. */
    public static long unsignedRsqrtEstimate(long a) {
        if ((a & 0xC000_0000L) == 0) {
            return 0xFFFF_FFFFL;
        }
        long dp = (a & 0x8000_0000L) != 0
                ? 0x3FE0_0000_0000_0000L | ((a & 0x7FFF_FFFFL) << 21)
                : 0x3FD0_0000_0000_0000L | ((a & 0x3FFF_FFFFL) << 22);
        long estimate = Double.doubleToRawLongBits(recipSqrtEstimate(Double.longBitsToDouble(dp)));
        return 0x8000_0000L | ((estimate >>> 21) & 0x7FFF_FFFFL);
    }

    // ---------------------------------------------------------------- fast paths (round to nearest)

    /** Marks "take the exact path"; no fast path returns it (it is no 32-bit pattern, and a negative denormal as a double). */
    static final long SLOW = Long.MIN_VALUE + 1;

    private static boolean normal32(int bits) {
        int e = (bits >>> 23) & 0xFF;
        return e != 0 && e != 0xFF;
    }

    /** A result the fast path may return: normal, and above the smallest normal exponent. */
    private static boolean safe32(int bits) {
        int e = (bits >>> 23) & 0xFF;
        return e > 1 && e != 0xFF;
    }

    private static boolean normal64(long bits) {
        int e = (int) (bits >>> 52) & 0x7FF;
        return e != 0 && e != 0x7FF;
    }

    private static boolean safe64(long bits) {
        int e = (int) (bits >>> 52) & 0x7FF;
        return e > 1 && e != 0x7FF;
    }

    private long fastAdd32(int a, int b) {
        if (!normal32(a) || !normal32(b)) {
            return SLOW;
        }
        float x = Float.intBitsToFloat(a);
        float y = Float.intBitsToFloat(b);
        float s = x + y;
        int r = Float.floatToRawIntBits(s);
        if (!safe32(r)) {
            return SLOW;
        }
        // TwoSum (Knuth): the rounding error of x + y, exactly
        float yy = s - x;
        float err = (x - (s - yy)) + (y - yy);
        if (err != 0) {
            raise(Vfp.IXC);
        }
        return r & 0xFFFF_FFFFL;
    }

    private long fastAdd64(long a, long b) {
        if (!normal64(a) || !normal64(b)) {
            return SLOW;
        }
        double x = Double.longBitsToDouble(a);
        double y = Double.longBitsToDouble(b);
        double s = x + y;
        long r = Double.doubleToRawLongBits(s);
        if (!safe64(r)) {
            return SLOW;
        }
        double yy = s - x;
        double err = (x - (s - yy)) + (y - yy);
        if (err != 0) {
            raise(Vfp.IXC);
        }
        return r;
    }

    private long fastMul32(int a, int b) {
        if (!normal32(a) || !normal32(b)) {
            return SLOW;
        }
        double exact = (double) Float.intBitsToFloat(a) * Float.intBitsToFloat(b);
        float p = (float) exact;
        int r = Float.floatToRawIntBits(p);
        if (!safe32(r)) {
            return SLOW;
        }
        if (p != exact) {
            raise(Vfp.IXC);
        }
        return r & 0xFFFF_FFFFL;
    }

    private long fastMul64(long a, long b) {
        if (!normal64(a) || !normal64(b)) {
            return SLOW;
        }
        double x = Double.longBitsToDouble(a);
        double y = Double.longBitsToDouble(b);
        double p = x * y;
        long r = Double.doubleToRawLongBits(p);
        if (!safe64(r)) {
            return SLOW;
        }
        // x * y - p is exactly representable unless it underflows: keep p far from the denormals
        if (Math.getExponent(p) < -1022 + 106) {
            return SLOW;
        }
        if (Math.fma(x, y, -p) != 0) {
            raise(Vfp.IXC);
        }
        return r;
    }

    private long fastDiv32(int a, int b) {
        if (!normal32(a) || !normal32(b)) {
            return SLOW;
        }
        float x = Float.intBitsToFloat(a);
        float y = Float.intBitsToFloat(b);
        float q = x / y;
        int r = Float.floatToRawIntBits(q);
        if (!safe32(r)) {
            return SLOW;
        }
        if ((double) q * y != x) { // q * y is exact in double
            raise(Vfp.IXC);
        }
        return r & 0xFFFF_FFFFL;
    }

    private long fastDiv64(long a, long b) {
        if (!normal64(a) || !normal64(b)) {
            return SLOW;
        }
        double x = Double.longBitsToDouble(a);
        double y = Double.longBitsToDouble(b);
        double q = x / y;
        long r = Double.doubleToRawLongBits(q);
        if (!safe64(r) || Math.getExponent(x) < -1022 + 106) {
            return SLOW;
        }
        // the remainder x - q * y is representable exactly (x is far from underflow)
        if (Math.fma(q, y, -x) != 0) {
            raise(Vfp.IXC);
        }
        return r;
    }

    private long fastSqrt32(int a) {
        if (!normal32(a) || a < 0) {
            return SLOW;
        }
        double x = Float.intBitsToFloat(a);
        double root = Math.sqrt(x);
        float s = (float) root; // double rounding is innocuous for sqrt: 53 >= 2 * 24 + 2
        // exact iff s * s == x (s * s is exact in double)
        if ((double) s * s != x) {
            raise(Vfp.IXC);
        }
        return Float.floatToRawIntBits(s) & 0xFFFF_FFFFL;
    }

    private long fastSqrt64(long a) {
        if (!normal64(a) || a < 0 || Math.getExponent(Double.longBitsToDouble(a)) < -1022 + 106) {
            return SLOW;
        }
        double x = Double.longBitsToDouble(a);
        double s = Math.sqrt(x);
        if (Math.fma(s, s, -x) != 0) {
            raise(Vfp.IXC);
        }
        return Double.doubleToRawLongBits(s);
    }
}
