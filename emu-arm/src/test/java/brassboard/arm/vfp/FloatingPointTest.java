package brassboard.arm.vfp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The floating-point pseudocode: values from the ARM ARM's rules, the exact path against BigDecimal, the fast path against the exact one. */
class FloatingPointTest {
    private static final int RN = 0;
    private static final int RP = 1 << 22;
    private static final int RM = 2 << 22;
    private static final int RZ = 3 << 22;
    private static final int FZ = Vfp.FPSCR_FZ;
    private static final int DN = Vfp.FPSCR_DN;

    private final Vfp vfp = new Vfp();
    private final FloatingPoint fp = new FloatingPoint(vfp);

    private static long f(float v) {
        return Float.floatToRawIntBits(v) & 0xFFFF_FFFFL;
    }

    private static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    /** The cumulative flags raised since the last call. */
    private int flags() {
        int flags = vfp.fpscr & 0x9F;
        vfp.fpscr = 0;
        return flags;
    }

    @Test
    void roundingModesDecideTheLastBit() {
        long one = f(1.0f);
        long tiny = f(0x1p-24f);
        assertThat(fp.add(one, tiny, 32, RN)).isEqualTo(f(1.0f));
        assertThat(flags()).isEqualTo(Vfp.IXC);
        assertThat(fp.add(one, tiny, 32, RP)).isEqualTo(0x3F80_0001L);
        assertThat(fp.add(one, tiny, 32, RZ)).isEqualTo(f(1.0f));
        assertThat(fp.sub(one, f(0x1p-25f), 32, RM)).isEqualTo(0x3F7F_FFFFL);
        assertThat(fp.sub(one, f(0x1p-25f), 32, RN)).isEqualTo(f(1.0f)); // a tie, to even
        flags();
        // an exact zero sum is +0, or -0 rounding towards minus infinity
        assertThat(fp.add(one, f(-1.0f), 32, RN)).isEqualTo(0L);
        assertThat(fp.add(one, f(-1.0f), 32, RM)).isEqualTo(0x8000_0000L);
        assertThat(fp.add(f(-0.0f), f(-0.0f), 32, RN)).isEqualTo(0x8000_0000L);
        assertThat(flags()).isZero();
    }

    @Test
    void nanProcessingPrefersSignallingThenTheFirstOperand() {
        long qnan1 = 0x7FC0_0001L;
        long qnan2 = 0x7FC0_0002L;
        long snan = 0x7F80_0003L;
        assertThat(fp.add(qnan1, qnan2, 32, RN)).isEqualTo(qnan1);
        assertThat(flags()).isZero();
        assertThat(fp.mul(qnan1, snan, 32, RN)).isEqualTo(0x7FC0_0003L);
        assertThat(flags()).isEqualTo(Vfp.IOC);
        assertThat(fp.add(qnan1, snan, 32, DN)).isEqualTo(0x7FC0_0000L);
        assertThat(flags()).isEqualTo(Vfp.IOC);
        // infinity minus infinity, zero times infinity: the default NaN
        assertThat(fp.sub(f(Float.POSITIVE_INFINITY), f(Float.POSITIVE_INFINITY), 32, RN)).isEqualTo(0x7FC0_0000L);
        assertThat(fp.mul(d(0.0), d(Double.NEGATIVE_INFINITY), 64, RN)).isEqualTo(0x7FF8_0000_0000_0000L);
        assertThat(flags()).isEqualTo(Vfp.IOC);
        // FPMulAdd: a quiet NaN addend with infinity times zero is the default NaN, with IOC
        assertThat(fp.mulAdd(qnan1, f(Float.POSITIVE_INFINITY), 0, 32, RN)).isEqualTo(0x7FC0_0000L);
        assertThat(flags()).isEqualTo(Vfp.IOC);
    }

    @Test
    void flushToZeroFlushesDenormalInputsWithIdcAndTinyResultsWithUfc() {
        long denormal = 0x0000_0001L;
        assertThat(fp.add(denormal, f(1.0f), 32, FZ)).isEqualTo(f(1.0f));
        assertThat(flags()).isEqualTo(Vfp.IDC);
        assertThat(fp.mul(f(0x1p-100f), f(0x1p-30f), 32, FZ)).isEqualTo(0L);
        assertThat(flags()).isEqualTo(Vfp.UFC);
        // without FZ: a denormal result, underflow and inexact
        assertThat(fp.mul(f(0x1.8p-100f), f(0x1p-30f), 32, RN)).isEqualTo(f(0x1.8p-130f));
        assertThat(flags()).isZero(); // exact denormal: no underflow
        assertThat(fp.mul(f(0x1.000002p-100f), f(0x1p-30f), 32, RN)).isEqualTo(f(0x1p-130f));
        assertThat(flags()).isEqualTo(Vfp.UFC | Vfp.IXC);
        // a result that rounds up to the smallest normal was tiny before rounding: flushed under FZ
        assertThat(fp.mul(f(0x1.fffffep-1f), f(0x1p-126f), 32, FZ | RP)).isEqualTo(0L);
        assertThat(flags()).isEqualTo(Vfp.UFC);
        assertThat(fp.mul(f(0x1.fffffep-1f), f(0x1p-126f), 32, RP)).isEqualTo(f(0x1p-126f));
        assertThat(flags()).isEqualTo(Vfp.UFC | Vfp.IXC);
    }

    @Test
    void overflowDivideByZeroAndInvalid() {
        assertThat(fp.mul(f(Float.MAX_VALUE), f(2.0f), 32, RZ)).isEqualTo(f(Float.MAX_VALUE));
        assertThat(flags()).isEqualTo(Vfp.OFC | Vfp.IXC);
        assertThat(fp.mul(f(-Float.MAX_VALUE), f(2.0f), 32, RP)).isEqualTo(f(-Float.MAX_VALUE));
        assertThat(fp.mul(f(-Float.MAX_VALUE), f(2.0f), 32, RN)).isEqualTo(f(Float.NEGATIVE_INFINITY));
        flags();
        assertThat(fp.div(d(-1.0), d(0.0), 64, RN)).isEqualTo(d(Double.NEGATIVE_INFINITY));
        assertThat(flags()).isEqualTo(Vfp.DZC);
        assertThat(fp.div(d(0.0), d(0.0), 64, RN)).isEqualTo(0x7FF8_0000_0000_0000L);
        assertThat(flags()).isEqualTo(Vfp.IOC);
        assertThat(fp.sqrt(d(-1.0), 64, RN)).isEqualTo(0x7FF8_0000_0000_0000L);
        assertThat(flags()).isEqualTo(Vfp.IOC);
        assertThat(fp.sqrt(d(-0.0), 64, RN)).isEqualTo(d(-0.0));
        assertThat(fp.sqrt(f(2.0f), 32, RZ)).isEqualTo(f((float) Math.sqrt(2.0)) - 0); // sqrt(2) rounds down in single
        assertThat(flags()).isEqualTo(Vfp.IXC);
    }

    @Test
    void conversionsToIntegersSaturateAndRound() {
        assertThat(fp.toFixed(f(Float.NaN), 32, 32, 0, false, true, RN)).isZero();
        assertThat(flags()).isEqualTo(Vfp.IOC);
        assertThat(fp.toFixed(f(0x1p31f), 32, 32, 0, false, true, RN)).isEqualTo(0x7FFF_FFFFL);
        assertThat(flags()).isEqualTo(Vfp.IOC);
        assertThat(fp.toFixed(f(-0.5f), 32, 32, 0, true, true, RN)).isZero();
        assertThat(flags()).isEqualTo(Vfp.IXC);
        assertThat(fp.toFixed(d(2.5), 64, 32, 0, false, false, RN)).isEqualTo(2);
        assertThat(fp.toFixed(d(-2.5), 64, 32, 0, false, false, RM)).isEqualTo(-3);
        assertThat(fp.toFixed(d(-2.5), 64, 32, 0, false, false, RP)).isEqualTo(-2);
        assertThat(fp.toFixed(f(1.75f), 32, 16, 2, false, true, RN)).isEqualTo(7);
        assertThat(fp.toFixed(f(-40000f), 32, 16, 0, false, true, RN)).isEqualTo(-32768);
        assertThat(fp.fromFixed(-1, 32, 0, false, RN)).isEqualTo(f(-1.0f));
        assertThat(fp.fromFixed(0xFFFF_FFFFL, 32, 0, false, RZ)).isEqualTo(f(0x1.fffffep31f));
        assertThat(fp.fromFixed(0xFFFF_FFFFL, 32, 0, false, RN)).isEqualTo(f(0x1p32f));
        assertThat(fp.fromFixed(3, 64, 1, false, RN)).isEqualTo(d(1.5));
    }

    @Test
    void precisionConversions() {
        assertThat(fp.convert(d(0.1), 64, 32, RN)).isEqualTo(f(0.1f));
        assertThat(flags()).isEqualTo(Vfp.IXC);
        assertThat(fp.convert(d(1e-40), 64, 32, FZ)).isZero();
        assertThat(flags()).isEqualTo(Vfp.UFC);
        assertThat(fp.convert(0x7FF0_0000_0000_0001L, 64, 32, RN)).isEqualTo(0x7FC0_0000L);
        assertThat(flags()).isEqualTo(Vfp.IOC);
        assertThat(fp.convert(0x7F80_0001L, 32, 64, RN)).isEqualTo(0x7FF8_0000_2000_0000L);
        // half precision: 1.0, the largest half, overflow, and the alternative format without infinities
        assertThat(fp.convert(f(1.0f), 32, 16, RN)).isEqualTo(0x3C00L);
        assertThat(fp.convert(f(65504f), 32, 16, RN)).isEqualTo(0x7BFFL);
        assertThat(fp.convert(f(70000f), 32, 16, RN)).isEqualTo(0x7C00L);
        flags();
        assertThat(fp.convert(f(70000f), 32, 16, Vfp.FPSCR_AHP)).isEqualTo(0x7C46L); // 2^16 * (1 + 70 / 1024)
        assertThat(flags()).isEqualTo(Vfp.IXC);
        assertThat(fp.convert(f(140000f), 32, 16, Vfp.FPSCR_AHP)).isEqualTo(0x7FFFL); // beyond the largest: saturated, IOC, no IXC
        assertThat(fp.convert(f(Float.POSITIVE_INFINITY), 32, 16, Vfp.FPSCR_AHP)).isEqualTo(0x7FFFL);
        assertThat(flags()).isEqualTo(Vfp.IOC);
        assertThat(fp.convert(0x7C00L, 16, 32, Vfp.FPSCR_AHP)).isEqualTo(f(65536f));
        assertThat(fp.convert(0x0001L, 16, 32, FZ)).isEqualTo(f(0x1p-24f)); // half denormals are never flushed
        assertThat(flags()).isZero();
    }

    @Test
    void compareGivesTheArmFlags() {
        assertThat(fp.compare(f(1f), f(2f), 32, false, RN)).isEqualTo(0b1000);
        assertThat(fp.compare(f(2f), f(1f), 32, false, RN)).isEqualTo(0b0010);
        assertThat(fp.compare(f(0f), f(-0f), 32, false, RN)).isEqualTo(0b0110);
        assertThat(fp.compare(f(Float.NaN), f(1f), 32, false, RN)).isEqualTo(0b0011);
        assertThat(flags()).isZero();
        assertThat(fp.compare(f(Float.NaN), f(1f), 32, true, RN)).isEqualTo(0b0011);
        assertThat(flags()).isEqualTo(Vfp.IOC);
        assertThat(fp.compare(1, 0, 32, false, FZ)).isEqualTo(0b0110); // a flushed denormal equals zero
        assertThat(flags()).isEqualTo(Vfp.IDC);
    }

    // ------------------------------------------------------------------------------------ oracles

    private static double randomDouble(SplittableRandom rnd) {
        long bits = rnd.nextLong();
        switch (rnd.nextInt(6)) {
            case 0: bits &= 0x800F_FFFF_FFFF_FFFFL; break; // denormal
            case 1: bits = (bits & 0x800F_FFFF_FFFF_FFFFL) | (long) rnd.nextInt(3) << 52; break; // near the smallest normal
            case 2: bits = (bits & 0x800F_FFFF_FFFF_FFFFL) | (long) (0x3FF + rnd.nextInt(8) - 4) << 52; break;
            case 3: bits = (bits & 0x800F_FFFF_FFFF_FFFFL) | (long) (0x7FE - rnd.nextInt(3)) << 52; break; // near overflow
            default: bits = (bits & 0x800F_FFFF_FFFF_FFFFL) | (long) (0x3FF + rnd.nextInt(200) - 100) << 52; break;
        }
        return Double.longBitsToDouble(bits);
    }

    /** {@code exact} rounded to a double in {@code mode}, from Java's round-to-nearest result. */
    private static double directed(BigDecimal exact, double nearest, int mode) {
        if (Double.isInfinite(nearest)) {
            return Double.NaN; // not compared
        }
        int c = new BigDecimal(nearest).compareTo(exact);
        switch (mode) {
            case RP: return c < 0 ? Math.nextUp(nearest) : nearest;
            case RM: return c > 0 ? Math.nextDown(nearest) : nearest;
            case RZ: return c != 0 && (c > 0) == (exact.signum() > 0) ? (c > 0 ? Math.nextDown(nearest) : Math.nextUp(nearest)) : nearest;
            default: return nearest;
        }
    }

    @Test
    void exactArithmeticMatchesBigDecimalInEveryRoundingMode() {
        SplittableRandom rnd = new SplittableRandom(5);
        // a quotient or root that is not a double differs from every double by more than 2^-110 of it
        MathContext wide = new MathContext(60);
        for (int i = 0; i < 5_000; i++) {
            double a = randomDouble(rnd);
            double b = randomDouble(rnd);
            double c = rnd.nextInt(4) == 0 && Double.isFinite(a * b) ? -(a * b) : randomDouble(rnd); // the product's rounding error
            int mode = rnd.nextInt(4) << 22;
            BigDecimal x = new BigDecimal(a);
            BigDecimal y = new BigDecimal(b);
            check("add", a, b, fp.exactAdd(d(a), d(b), 64, mode), x.add(y), a + b, mode);
            check("mul", a, b, fp.exactMul(d(a), d(b), 64, mode), x.multiply(y), a * b, mode);
            check("fma", a, b, fp.mulAdd(d(c), d(a), d(b), 64, mode), x.multiply(y).add(new BigDecimal(c)), Math.fma(a, b, c), mode);
            float fa = (float) a;
            float fb = (float) b;
            float fc = rnd.nextBoolean() ? -(fa * fb) : (float) c;
            if (!Float.isFinite(fa) || !Float.isFinite(fb) || !Float.isFinite(fc)) {
                continue;
            }
            BigDecimal exactF = new BigDecimal(fa).multiply(new BigDecimal(fb)).add(new BigDecimal(fc));
            long single = fp.mulAdd(f(fc), f(fa), f(fb), 32, mode);
            float nearestF = Math.fma(fa, fb, fc);
            if (!Float.isInfinite(nearestF) && !Float.isNaN(fa * fb) && exactF.signum() != 0) {
                int cmp = new BigDecimal(nearestF).compareTo(exactF);
                float expectedF = mode == RP && cmp < 0 ? Math.nextUp(nearestF) : mode == RM && cmp > 0 ? Math.nextDown(nearestF)
                        : mode == RZ && cmp != 0 && (cmp > 0) == (exactF.signum() > 0) ? (cmp > 0 ? Math.nextDown(nearestF) : Math.nextUp(nearestF))
                        : nearestF;
                assertThat(Float.intBitsToFloat((int) single)).as("fma.f32 %a %a %a mode %d", fa, fb, fc, mode >>> 22).isEqualTo(expectedF);
            }
            if (b != 0) {
                check("div", a, b, fp.exactDiv(d(a), d(b), 64, mode), x.divide(y, wide), a / b, mode);
            }
            double s = Math.abs(a);
            check("sqrt", s, 0, fp.exactSqrt(d(s), 64, mode), new BigDecimal(s).sqrt(wide), Math.sqrt(s), mode);
        }
    }

    private static void check(String op, double a, double b, long actual, BigDecimal exact, double nearest, int mode) {
        double expected = directed(exact, nearest, mode);
        if (Double.isNaN(expected)) {
            return;
        }
        if (expected == 0 && exact.signum() == 0) {
            return; // the sign of an exact zero is tested on its own
        }
        assertThat(Double.longBitsToDouble(actual)).as("%s %a %a mode %d", op, a, b, mode >>> 22).isEqualTo(expected);
    }

    @Test
    void theFastPathGivesTheExactPathsResultsAndFlags() {
        SplittableRandom rnd = new SplittableRandom(9);
        Vfp other = new Vfp();
        FloatingPoint exact = new FloatingPoint(other);
        for (int i = 0; i < 20_000; i++) {
            int mode = rnd.nextBoolean() ? FZ : 0;
            long a = d(randomDouble(rnd));
            long b = d(randomDouble(rnd));
            long fa = f((float) randomDouble(rnd) * 0x1p60f);
            long fb = f((float) randomDouble(rnd) * 0x1p-60f);
            vfp.fpscr = 0;
            other.fpscr = 0;
            assertThat(fp.add(a, b, 64, mode)).isEqualTo(exact.exactAdd(a, b, 64, mode));
            assertThat(fp.sub(fa, fb, 32, mode)).isEqualTo(exact.exactAdd(fa, fb ^ 0x8000_0000L, 32, mode));
            assertThat(fp.mul(a, b, 64, mode)).isEqualTo(exact.exactMul(a, b, 64, mode));
            assertThat(fp.mul(fa, fb, 32, mode)).isEqualTo(exact.exactMul(fa, fb, 32, mode));
            assertThat(fp.div(a, b, 64, mode)).isEqualTo(exact.exactDiv(a, b, 64, mode));
            assertThat(fp.div(fa, fb, 32, mode)).isEqualTo(exact.exactDiv(fa, fb, 32, mode));
            assertThat(fp.sqrt(a & Long.MAX_VALUE, 64, mode)).isEqualTo(exact.exactSqrt(a & Long.MAX_VALUE, 64, mode));
            assertThat(fp.sqrt(fa & 0x7FFF_FFFFL, 32, mode)).isEqualTo(exact.exactSqrt(fa & 0x7FFF_FFFFL, 32, mode));
            assertThat(vfp.fpscr).as("flags").isEqualTo(other.fpscr);
        }
    }
}
