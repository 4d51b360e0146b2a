package brassboard.boards.conformance;

import static brassboard.boards.conformance.A32Generator.setField;

import brassboard.arm.a32.Encoding;
import java.util.SplittableRandom;

/**
 * The VFP suite's generators (see {@link A32Generator}) and its initial values: D registers holding
 * singles or doubles that exercise the corner cases of the pseudocode (zeros and infinities of both
 * signs, quiet and signalling NaNs with random payloads, denormals, the smallest and largest normals,
 * integers and halves near the conversion limits), and an FPSCR with a random rounding mode, FZ, DN,
 * AHP, flags and cumulative exception bits. Len and Stride stay zero (the Cortex-A15 has no short
 * vectors: a non-zero value makes the arithmetic UNDEFINED), also through VMSR, whose value is first
 * cleared of them by a BIC.
 */
final class VfpCases {
    private VfpCases() {
    }

    static void register() {
        A32Generator.register(VfpCases::dataProcessing, "VMLA_f", "VMLS_f", "VNMLS", "VNMLA", "VMUL_f", "VNMUL", "VADD_f",
                "VSUB_f", "VDIV", "VFNMS", "VFNMA", "VFMA", "VFMS", "VMOV_imm_f", "VMOV_reg_f", "VABS_f", "VNEG_f", "VSQRT",
                "VCVTBT", "VCMP", "VCMP_zero", "VCVT_f_f", "VCVT_f_i", "VCVT_i_f", "VCVT_fx");
        A32Generator.register(VfpCases::single, "VMOV_s_r", "VMOV_r_s");
        A32Generator.register(VfpCases::vmsr, "VMSR");
        A32Generator.register(VfpCases::vmrs, "VMRS");
        A32Generator.register(VfpCases::scalar, "VMOV_x_r", "VMOV_r_x");
        A32Generator.register(VfpCases::vdup, "VDUP_r");
        A32Generator.register(VfpCases::pair, "VMOV_ss_rr", "VMOV_rr_ss", "VMOV_d_rr", "VMOV_rr_d");
        A32Generator.register(VfpCases::loadStore, "VLDR", "VSTR");
        A32Generator.register(VfpCases::loadStoreMultiple, "VLDM_ia", "VSTM_ia", "VLDM_db", "VSTM_db");
    }

    private static boolean dataProcessing(A32Generator.CaseBuilder b, Encoding e) {
        int w = b.fill(e);
        return b.add(w, e); // VCVT_fx with more than 16 fraction bits for 16 bits included: QEMU executes it
    }

    private static boolean single(A32Generator.CaseBuilder b, Encoding e) {
        int t = e.name().equals("VMOV_s_r") ? b.readable() : b.writable();
        return t >= 0 && b.add(setField(b.fill(e), 12, 4, t), e);
    }

    /** BIC rX, rY, #0x370000 (Len and Stride cleared), then VMSR FPSCR, rX. */
    private static boolean vmsr(A32Generator.CaseBuilder b, Encoding e) {
        if (b.remaining < 2) {
            return false;
        }
        int x = b.writable();
        int y = b.readable();
        if (x < 0 || y < 0) {
            return false;
        }
        Encoding bic = A32Generator.encoding("BIC_imm");
        if (!b.add(0xE3C0_0837 | y << 16 | x << 12, bic)) {
            return false;
        }
        return b.add(setField(setField(b.fill(e), 16, 4, 1), 12, 4, x), e);
    }

    /** VMRS of the FPSCR to a core register or (30 %) to the flags. */
    private static boolean vmrs(A32Generator.CaseBuilder b, Encoding e) {
        int t = b.rnd.nextInt(10) < 3 ? 15 : b.writable();
        return t >= 0 && b.add(setField(setField(b.fill(e), 16, 4, 1), 12, 4, t), e);
    }

    private static boolean scalar(A32Generator.CaseBuilder b, Encoding e) {
        int w = b.fill(e);
        int opc = ((w >>> 19) & 0xC) | ((w >>> 5) & 3);
        if ((opc & 0xB) == 2 || (e.name().equals("VMOV_r_x") && (w & (1 << 23)) != 0 && (opc & 0x9) == 0)) {
            return false; // opc1:opc2 == 0x10, and U with a word, are UNDEFINED
        }
        int t = e.name().equals("VMOV_x_r") ? b.readable() : b.writable();
        return t >= 0 && b.add(setField(w, 12, 4, t), e);
    }

    private static boolean vdup(A32Generator.CaseBuilder b, Encoding e) {
        int w = b.fill(e);
        if ((w & (1 << 22)) != 0 && (w & (1 << 5)) != 0) {
            return false; // B:E == 11 is UNDEFINED
        }
        if ((w & (1 << 21)) != 0) {
            w &= ~(1 << 16); // a Q register: Vd even
        }
        int t = b.readable();
        return t >= 0 && b.add(setField(w, 12, 4, t), e);
    }

    private static boolean pair(A32Generator.CaseBuilder b, Encoding e) {
        int w = b.fill(e); // S31 and its successor included: QEMU takes the low half of D16
        boolean toCore = e.name().startsWith("VMOV_rr");
        int t = toCore ? b.writable() : b.readable();
        int t2 = toCore ? b.writable(t) : b.readable();
        if (t < 0 || t2 < 0) {
            return false;
        }
        return b.add(setField(setField(w, 12, 4, t), 16, 4, t2), e);
    }

    private static boolean loadStore(A32Generator.CaseBuilder b, Encoding e) {
        if (b.base < 0) {
            return false;
        }
        int w = b.fill(e);
        int imm8 = b.rnd.nextInt(33);
        boolean add = b.rnd.nextBoolean();
        int size = (w & (1 << 8)) != 0 ? 8 : 4;
        if (!b.fits(add ? 4 * imm8 : -4 * imm8, size, 4)) {
            return false;
        }
        w = setField(setField(setField(w, 0, 8, imm8), 23, 1, add ? 1 : 0), 16, 4, b.base);
        if (!b.add(w, e)) {
            return false;
        }
        if (e.name().equals("VSTR")) {
            b.stored();
        }
        return true;
    }

    private static boolean loadStoreMultiple(A32Generator.CaseBuilder b, Encoding e) {
        if (b.base < 0 || b.baseAlign < 4) {
            return false;
        }
        int w = b.fill(e);
        boolean dbl = (w & (1 << 8)) != 0;
        int count = 1 + b.rnd.nextInt(4);
        int first = b.rnd.nextInt(33 - count);
        w = dbl ? setField(setField(w, 12, 4, first), 22, 1, first >>> 4) : setField(setField(w, 12, 4, first >>> 1), 22, 1, first);
        int bytes = (dbl ? 8 : 4) * count;
        w = setField(w, 0, 8, dbl ? 2 * count : count);
        boolean increment = e.name().endsWith("ia");
        boolean writeback = !increment || b.rnd.nextBoolean();
        w = setField(setField(w, 21, 1, writeback ? 1 : 0), 16, 4, b.base);
        if (!b.fits(increment ? 0 : -bytes, bytes, 4)) {
            return false;
        }
        if (!b.add(w, e)) {
            return false;
        }
        if (writeback) {
            b.writeback(increment ? bytes : -bytes);
        }
        if (e.name().startsWith("VSTM")) {
            b.stored();
        }
        return true;
    }

    // ------------------------------------------------------------------------------------ values

    /** A D register: two interesting singles or one interesting double. */
    static long interestingD(SplittableRandom rnd) {
        if (rnd.nextBoolean()) {
            return ((long) interestingSingle(rnd) << 32) | (interestingSingle(rnd) & 0xFFFF_FFFFL);
        }
        return interestingDouble(rnd);
    }

    static int interestingSingle(SplittableRandom rnd) {
        int sign = rnd.nextBoolean() ? 0x8000_0000 : 0;
        int mantissa = rnd.nextInt(1 << 23);
        switch (rnd.nextInt(14)) {
            case 0: return sign;
            case 1: return sign | 0x7F80_0000;
            case 2: return sign | 0x7FC0_0000 | rnd.nextInt(1 << 22);
            case 3: return sign | 0x7F80_0000 | (1 + rnd.nextInt((1 << 22) - 1));
            case 4: return sign | Math.max(1, mantissa >>> rnd.nextInt(23));
            case 5: return sign | (1 + rnd.nextInt(2)) << 23 | mantissa;
            case 6: return sign | (0xFD + rnd.nextInt(2)) << 23 | mantissa;
            case 7: return Float.floatToRawIntBits((rnd.nextInt(401) - 200) / 2.0f);
            case 8: {
                double[] limits = {0x1p31, 0x1p32, 0x1p15, 0x1p16, 0x1p63};
                double v = limits[rnd.nextInt(limits.length)] * (sign != 0 ? -1 : 1) + (rnd.nextInt(5) - 2) * Math.ulp((float) limits[0]);
                return Float.floatToRawIntBits((float) v);
            }
            case 9: return sign | (100 + rnd.nextInt(55)) << 23 | mantissa;
            case 10: return sign | (0x3F8 << 20) | (mantissa & ~0xFFF) | rnd.nextInt(4) << 10; // near rounding points of half precision
            case 11: return rnd.nextInt();
            default: return sign | (120 + rnd.nextInt(16)) << 23 | mantissa;
        }
    }

    static long interestingDouble(SplittableRandom rnd) {
        long sign = rnd.nextBoolean() ? Long.MIN_VALUE : 0;
        long mantissa = rnd.nextLong() & ((1L << 52) - 1);
        switch (rnd.nextInt(15)) {
            case 0: return sign;
            case 1: return sign | 0x7FF0_0000_0000_0000L;
            case 2: return sign | 0x7FF8_0000_0000_0000L | (mantissa >>> 1);
            case 3: return sign | 0x7FF0_0000_0000_0000L | Math.max(1, mantissa >>> 1);
            case 4: return sign | Math.max(1, mantissa >>> rnd.nextInt(52));
            case 5: return sign | (long) (1 + rnd.nextInt(2)) << 52 | mantissa;
            case 6: return sign | (long) (0x7FD + rnd.nextInt(2)) << 52 | mantissa;
            case 7: return Double.doubleToRawLongBits((rnd.nextInt(401) - 200) / 2.0);
            case 8: {
                double[] limits = {0x1p31, 0x1p32, 0x1p15, 0x1p16};
                double v = limits[rnd.nextInt(limits.length)] * (sign != 0 ? -1 : 1) + (rnd.nextInt(9) - 4) * 0.25;
                return Double.doubleToRawLongBits(v);
            }
            case 9: return sign | (long) (0x380 - 30 + rnd.nextInt(60)) << 52 | mantissa; // near the single-precision range ends
            case 10: return sign | (long) (0x47F - 30 + rnd.nextInt(60)) << 52 | mantissa;
            case 11: return sign | 0x3FF0_0000_0000_0000L | (mantissa & ~0x1FFF_FFFFL) | (long) rnd.nextInt(4) << 27; // near single rounding points
            case 12: return rnd.nextLong();
            default: return sign | (long) (0x3F0 + rnd.nextInt(32)) << 52 | mantissa;
        }
    }

    /** NZCV, QC, AHP, DN, FZ, RMode and the cumulative flags random; Len, Stride and the RAZ bits zero. */
    static int randomFpscr(SplittableRandom rnd) {
        int v = rnd.nextInt() & 0xFFC0_009F;
        if (rnd.nextBoolean()) {
            v &= ~0x9F;
        }
        return v;
    }
}
