package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.vfp.Vfp;

/**
 * What the Advanced SIMD handler classes share: register numbers as the pseudocode computes them,
 * element access within a 64-bit D register (Elem[]), saturation with FPSCR.QC (SatQ), and the
 * enable check. Elements are held as {@code long}: unsigned (zero-extended) by {@link #lane}, signed
 * after {@link #signed}.
 */
abstract class Simd {
    final ArmCore core;
    final Vfp vfp;
    final long[] d;

    Simd(ArmCore core) {
        this.core = core;
        this.vfp = core.vfp;
        this.d = core.vfp.d;
    }

    static int vd(int w) {
        return ((w >>> 18) & 0x10) | ((w >>> 12) & 15);
    }

    static int vn(int w) {
        return ((w >>> 3) & 0x10) | ((w >>> 16) & 15);
    }

    static int vm(int w) {
        return ((w >>> 1) & 0x10) | (w & 15);
    }

    static boolean quad(int w) {
        return (w & (1 << 6)) != 0;
    }

    static long mask(int esize) {
        return esize == 64 ? -1L : (1L << esize) - 1;
    }

    /** Elem[v, i, esize], zero-extended. */
    static long lane(long v, int i, int esize) {
        return esize == 64 ? v : (v >>> (i * esize)) & ((1L << esize) - 1);
    }

    static long withLane(long v, int i, int esize, long x) {
        if (esize == 64) {
            return x;
        }
        long m = ((1L << esize) - 1) << (i * esize);
        return (v & ~m) | ((x << (i * esize)) & m);
    }

    /** The element as a signed value. */
    static long signed(long x, int esize) {
        return esize == 64 ? x : (x << (64 - esize)) >> (64 - esize);
    }

    /** The element as a signed or unsigned value (unsigned ones of 64 bits stay a bit pattern). */
    static long value(long x, int esize, boolean unsigned) {
        return unsigned ? x : signed(x, esize);
    }

    /** SatQ for esize < 64: {@code x} saturated to a signed or unsigned esize-bit integer, setting QC when it was not. */
    long saturate(long x, int esize, boolean unsigned) {
        long min = unsigned ? 0 : -(1L << (esize - 1));
        long max = unsigned ? (1L << esize) - 1 : (1L << (esize - 1)) - 1;
        if (x < min) {
            vfp.fpscr |= Vfp.FPSCR_QC;
            return min & mask(esize);
        }
        if (x > max) {
            vfp.fpscr |= Vfp.FPSCR_QC;
            return max & mask(esize);
        }
        return x & mask(esize);
    }

    /** The saturated value of an overflowing 64-bit signed result in the direction of {@code positive}. */
    long saturated64(boolean positive) {
        vfp.fpscr |= Vfp.FPSCR_QC;
        return positive ? Long.MAX_VALUE : Long.MIN_VALUE;
    }

    /** CheckAdvSIMDEnabled; false (UNDEFINED taken) when not. */
    boolean enabled() {
        return core.checkAdvSimdOrVfpEnabled(true);
    }

    /** UNDEFINED (always returns false, for {@code return undefined();}). */
    boolean undefined() {
        core.policy.undefined();
        return false;
    }

    /** Q == 1 with an odd register among {@code regs} is UNDEFINED: checks it and the enable. */
    boolean check(int w, boolean bad) {
        if (bad) {
            return undefined();
        }
        return enabled();
    }

    static boolean oddQuad(int w, int... regs) {
        if (!quad(w)) {
            return false;
        }
        for (int r : regs) {
            if ((r & 1) != 0) {
                return true;
            }
        }
        return false;
    }

    /** The FPSCR value Advanced SIMD floating point computes with: standard, with FPSCR.AHP. */
    int standard() {
        return Vfp.STANDARD_FPSCR | (vfp.fpscr & Vfp.FPSCR_AHP);
    }
}
