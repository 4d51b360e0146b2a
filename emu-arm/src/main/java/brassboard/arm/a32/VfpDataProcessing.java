package brassboard.arm.a32;

import static brassboard.arm.a32.ExtensionRegisterTransfer.dd;
import static brassboard.arm.a32.ExtensionRegisterTransfer.dm;
import static brassboard.arm.a32.ExtensionRegisterTransfer.dn;
import static brassboard.arm.a32.ExtensionRegisterTransfer.sd;
import static brassboard.arm.a32.ExtensionRegisterTransfer.sm;
import static brassboard.arm.a32.ExtensionRegisterTransfer.sn;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.UnpredictablePolicy;
import brassboard.arm.vfp.FloatingPoint;
import brassboard.arm.vfp.Vfp;

/**
 * VFP data-processing instructions (ARM ARM A7.5), single (sz == 0) and double precision (sz == 1),
 * computed by the ARM ARM pseudocode in {@link FloatingPoint} under the FPSCR. The Cortex-A15 has no
 * short vectors (MVFR0.FPShVec == 0): with FPSCR.LEN or STRIDE non-zero the arithmetic, VMOV, VABS,
 * VNEG and VSQRT are UNDEFINED (as in QEMU); VCMP and VCVT are always scalar.
 */
public final class VfpDataProcessing {
    private static final long WORD = 0xFFFF_FFFFL;
    private static final int ADD = 0;
    private static final int SUB = 1;
    private static final int MUL = 2;
    private static final int DIV = 3;

    private final ArmCore core;
    private final Vfp vfp;
    private final long[] d;
    private final FloatingPoint fp;

    public VfpDataProcessing(ArmCore core) {
        this.core = core;
        this.vfp = core.vfp;
        this.d = core.vfp.d;
        this.fp = new FloatingPoint(core.vfp);
    }

    private static boolean isDouble(int w) {
        return (w & (1 << 8)) != 0;
    }

    /** CheckVFPEnabled(TRUE), and the short-vector check of the instructions that would be vector ones. */
    private boolean vectorCapableAllowed() {
        if (vfp.shortVectors()) {
            core.policy.undefined();
            return false;
        }
        return core.checkAdvSimdOrVfpEnabled(false);
    }

    private long s(int n) {
        return vfp.s(n) & WORD;
    }

    private long arithmetic(int op, long a, long b, int n) {
        int fpscr = vfp.fpscr;
        switch (op) {
            case ADD: return fp.add(a, b, n, fpscr);
            case SUB: return fp.sub(a, b, n, fpscr);
            case MUL: return fp.mul(a, b, n, fpscr);
            default: return fp.div(a, b, n, fpscr);
        }
    }

    private void binary(int w, int op) {
        if (!vectorCapableAllowed()) {
            return;
        }
        if (isDouble(w)) {
            d[dd(w)] = arithmetic(op, d[dn(w)], d[dm(w)], 64);
        } else {
            vfp.setS(sd(w), (int) arithmetic(op, s(sn(w)), s(sm(w)), 32));
        }
    }

    // VADD<c>.F64 <Dd>, <Dn>, <Dm>   VADD<c>.F32 <Sd>, <Sn>, <Sm>
    public void vadd(int w) {
        binary(w, ADD);
    }

    // VSUB<c>.F64 <Dd>, <Dn>, <Dm>
    public void vsub(int w) {
        binary(w, SUB);
    }

    // VMUL<c>.F64 <Dd>, <Dn>, <Dm>
    public void vmul(int w) {
        binary(w, MUL);
    }

    // VDIV<c>.F64 <Dd>, <Dn>, <Dm>
    public void vdiv(int w) {
        binary(w, DIV);
    }

    // VNMUL<c>.F64 <Dd>, <Dn>, <Dm>
    public void vnmul(int w) {
        if (!vectorCapableAllowed()) {
            return;
        }
        if (isDouble(w)) {
            d[dd(w)] = FloatingPoint.neg(fp.mul(d[dn(w)], d[dm(w)], 64, vfp.fpscr), 64);
        } else {
            vfp.setS(sd(w), (int) FloatingPoint.neg(fp.mul(s(sn(w)), s(sm(w)), 32, vfp.fpscr), 32));
        }
    }

    /**
     * VMLA / VMLS / VNMLA / VNMLS: FPAdd(addend, product) with two roundings, the addend and the
     * product negated as {@code negateAddend} and {@code negateProduct} say (ARM ARM A8.8.337, A8.8.350).
     */
    private void multiplyAccumulate(int w, boolean negateAddend, boolean negateProduct) {
        if (!vectorCapableAllowed()) {
            return;
        }
        int n = isDouble(w) ? 64 : 32;
        int dr = n == 64 ? dd(w) : sd(w);
        long product = n == 64 ? fp.mul(d[dn(w)], d[dm(w)], 64, vfp.fpscr) : fp.mul(s(sn(w)), s(sm(w)), 32, vfp.fpscr);
        long addend = n == 64 ? d[dr] : s(dr);
        if (negateAddend) {
            addend = FloatingPoint.neg(addend, n);
        }
        if (negateProduct) {
            product = FloatingPoint.neg(product, n);
        }
        long result = fp.add(addend, product, n, vfp.fpscr);
        if (n == 64) {
            d[dr] = result;
        } else {
            vfp.setS(dr, (int) result);
        }
    }

    // VMLA<c>.F64 <Dd>, <Dn>, <Dm>
    public void vmla(int w) {
        multiplyAccumulate(w, false, false);
    }

    // VMLS<c>.F64 <Dd>, <Dn>, <Dm>
    public void vmls(int w) {
        multiplyAccumulate(w, false, true);
    }

    // VNMLA<c>.F64 <Dd>, <Dn>, <Dm>
    public void vnmla(int w) {
        multiplyAccumulate(w, true, true);
    }

    // VNMLS<c>.F64 <Dd>, <Dn>, <Dm>
    public void vnmls(int w) {
        multiplyAccumulate(w, true, false);
    }

    /** VFMA / VFMS / VFNMA / VFNMS: FPMulAdd(addend, op1, Dm) with one rounding (A8.8.318, A8.8.319). */
    private void fusedMultiplyAccumulate(int w, boolean negateAddend, boolean negateOp1) {
        if (!vectorCapableAllowed()) {
            return;
        }
        int n = isDouble(w) ? 64 : 32;
        int dr = n == 64 ? dd(w) : sd(w);
        long op1 = n == 64 ? d[dn(w)] : s(sn(w));
        long op2 = n == 64 ? d[dm(w)] : s(sm(w));
        long addend = n == 64 ? d[dr] : s(dr);
        if (negateAddend) {
            addend = FloatingPoint.neg(addend, n);
        }
        if (negateOp1) {
            op1 = FloatingPoint.neg(op1, n);
        }
        long result = fp.mulAdd(addend, op1, op2, n, vfp.fpscr);
        if (n == 64) {
            d[dr] = result;
        } else {
            vfp.setS(dr, (int) result);
        }
    }

    // VFMA<c>.F64 <Dd>, <Dn>, <Dm>
    public void vfma(int w) {
        fusedMultiplyAccumulate(w, false, false);
    }

    // VFMS<c>.F64 <Dd>, <Dn>, <Dm>
    public void vfms(int w) {
        fusedMultiplyAccumulate(w, false, true);
    }

    // VFNMA<c>.F64 <Dd>, <Dn>, <Dm>
    public void vfnma(int w) {
        fusedMultiplyAccumulate(w, true, true);
    }

    // VFNMS<c>.F64 <Dd>, <Dn>, <Dm>
    public void vfnms(int w) {
        fusedMultiplyAccumulate(w, true, false);
    }

    /** VFPExpandImm (A7.5.1): the 8-bit immediate as a single or double. */
    static long vfpExpandImm(int imm8, boolean dbl) {
        long sign = (imm8 >>> 7) & 1;
        boolean b6 = (imm8 & 0x40) != 0;
        if (dbl) {
            return (sign << 63) | ((b6 ? 0x3FC0L : 0x4000L) << 48) | ((long) (imm8 & 0x3F) << 48);
        }
        return (sign << 31) | (b6 ? 0x3E00_0000L : 0x4000_0000L) | ((long) (imm8 & 0x3F) << 19);
    }

    // VMOV<c>.F64 <Dd>, #<imm>
    public void vmovImmediate(int w) {
        if (!vectorCapableAllowed()) {
            return;
        }
        int imm8 = ((w >>> 12) & 0xF0) | (w & 15);
        if (isDouble(w)) {
            d[dd(w)] = vfpExpandImm(imm8, true);
        } else {
            vfp.setS(sd(w), (int) vfpExpandImm(imm8, false));
        }
    }

    private static final int MOV = 0;
    private static final int ABS = 1;
    private static final int NEG = 2;
    private static final int SQRT = 3;

    private void unary(int w, int op) {
        if (!vectorCapableAllowed()) {
            return;
        }
        int n = isDouble(w) ? 64 : 32;
        long x = n == 64 ? d[dm(w)] : s(sm(w));
        long result;
        switch (op) {
            case MOV: result = x; break;
            case ABS: result = FloatingPoint.abs(x, n); break;
            case NEG: result = FloatingPoint.neg(x, n); break;
            default: result = fp.sqrt(x, n, vfp.fpscr); break;
        }
        if (n == 64) {
            d[dd(w)] = result;
        } else {
            vfp.setS(sd(w), (int) result);
        }
    }

    // VMOV<c>.F64 <Dd>, <Dm>
    public void vmovRegister(int w) {
        unary(w, MOV);
    }

    // VABS<c>.F64 <Dd>, <Dm>
    public void vabs(int w) {
        unary(w, ABS);
    }

    // VNEG<c>.F64 <Dd>, <Dm>
    public void vneg(int w) {
        unary(w, NEG);
    }

    // VSQRT<c>.F64 <Dd>, <Dm>
    public void vsqrt(int w) {
        unary(w, SQRT);
    }

    // VCMP{E}<c>.F64 <Dd>, <Dm>
    public void vcmp(int w) {
        compare(w, isDouble(w) ? d[dm(w)] : s(sm(w)));
    }

    // VCMP{E}<c>.F64 <Dd>, #0.0
    public void vcmpZero(int w) {
        compare(w, 0);
    }

    private void compare(int w, long operand2) {
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        boolean quietNaNExc = (w & (1 << 7)) != 0;
        int nzcv = isDouble(w) ? fp.compare(d[dd(w)], operand2, 64, quietNaNExc, vfp.fpscr)
                : fp.compare(s(sd(w)), operand2, 32, quietNaNExc, vfp.fpscr);
        vfp.fpscr = (vfp.fpscr & ~Vfp.FPSCR_NZCV) | (nzcv << 28);
    }

    // VCVT<c>.F64.F32 <Dd>, <Sm>   VCVT<c>.F32.F64 <Sd>, <Dm>
    public void vcvtDoubleSingle(int w) {
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        if (isDouble(w)) {
            vfp.setS(sd(w), (int) fp.convert(d[dm(w)], 64, 32, vfp.fpscr));
        } else {
            d[dd(w)] = fp.convert(s(sm(w)), 32, 64, vfp.fpscr);
        }
    }

    // VCVT{B,T}<c>.F32.F16 <Sd>, <Sm>   VCVT{B,T}<c>.F16.F32 <Sd>, <Sm>
    public void vcvtHalf(int w) {
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        int shift = (w & (1 << 7)) != 0 ? 16 : 0;
        if ((w & (1 << 16)) == 0) {
            long half = (vfp.s(sm(w)) >>> shift) & 0xFFFF;
            vfp.setS(sd(w), (int) fp.convert(half, 16, 32, vfp.fpscr));
        } else {
            long half = fp.convert(s(sm(w)), 32, 16, vfp.fpscr);
            int dr = sd(w);
            vfp.setS(dr, (vfp.s(dr) & ~(0xFFFF << shift)) | ((int) half << shift));
        }
    }

    // VCVT<c>.F64.<dt> <Dd>, <Sm>   (dt: S32 when bit 7 is set, else U32)
    public void vcvtFromInteger(int w) {
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        int x = vfp.s(sm(w));
        long value = (w & (1 << 7)) != 0 ? x : x & WORD;
        if (isDouble(w)) {
            d[dd(w)] = fp.fromFixed(value, 64, 0, false, vfp.fpscr);
        } else {
            vfp.setS(sd(w), (int) fp.fromFixed(value, 32, 0, false, vfp.fpscr));
        }
    }

    // VCVT{R}<c>.S32.F64 <Sd>, <Dm>   (R: the FPSCR rounding mode when bit 7 is clear; else towards zero)
    public void vcvtToInteger(int w) {
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        boolean unsigned = (w & (1 << 16)) == 0;
        boolean towardsZero = (w & (1 << 7)) != 0;
        long result = isDouble(w) ? fp.toFixed(d[dm(w)], 64, 32, 0, unsigned, towardsZero, vfp.fpscr)
                : fp.toFixed(s(sm(w)), 32, 32, 0, unsigned, towardsZero, vfp.fpscr);
        vfp.setS(sd(w), (int) result);
    }

    // VCVT<c>.<Td>.F64 <Dd>, <Dd>, #<fbits>   VCVT<c>.F64.<Td> <Dd>, <Dd>, #<fbits>
    public void vcvtFixed(int w) {
        boolean toFixed = (w & (1 << 18)) != 0;
        boolean unsigned = (w & (1 << 16)) != 0;
        int size = (w & (1 << 7)) != 0 ? 32 : 16;
        int fractionBits = size - (((w & 15) << 1) | ((w >>> 5) & 1));
        if (fractionBits < 0 && core.policy.unpredictable(UnpredictablePolicy.Case.VCVT_FRACTION_BITS)) {
            return;
        }
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        boolean dbl = isDouble(w);
        int n = dbl ? 64 : 32;
        int r = dbl ? dd(w) : sd(w);
        long operand = dbl ? d[r] : s(r);
        long result;
        if (toFixed) {
            result = fp.toFixed(operand, n, size, fractionBits, unsigned, true, vfp.fpscr);
            if (unsigned) {
                result &= (1L << size) - 1;
            }
        } else {
            long fixed = operand & ((1L << size) - 1);
            if (!unsigned) {
                fixed = fixed << (64 - size) >> (64 - size);
            }
            result = fp.fromFixed(fixed, n, fractionBits, true, vfp.fpscr); // round_nearest = TRUE (A8.8.309)
        }
        if (dbl) {
            d[r] = result;
        } else {
            vfp.setS(r, (int) result);
        }
    }
}
