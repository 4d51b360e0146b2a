package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.Psr;
import brassboard.arm.vfp.Vfp;

/**
 * Transfers between the core registers and the extension registers (ARM ARM A7.8 8, 16 and 32-bit
 * transfers, A7.9 64-bit transfers): VMOV between a core register and a single-precision register or
 * a scalar, VMOV of two core registers, VDUP from a core register, and VMRS / VMSR of the VFP system
 * registers. Register numbers are as the pseudocode computes them (S: Vx:x, D: x:Vx).
 */
public final class ExtensionRegisterTransfer {
    private final ArmCore core;
    private final Vfp vfp;
    private final int[] r;

    public ExtensionRegisterTransfer(ArmCore core) {
        this.core = core;
        this.vfp = core.vfp;
        this.r = core.r;
    }

    static int sn(int w) {
        return ((w >>> 15) & 0x1E) | ((w >>> 7) & 1);
    }

    static int sm(int w) {
        return ((w << 1) & 0x1E) | ((w >>> 5) & 1);
    }

    static int dn(int w) {
        return ((w >>> 3) & 0x10) | ((w >>> 16) & 15);
    }

    static int dm(int w) {
        return ((w >>> 1) & 0x10) | (w & 15);
    }

    static int dd(int w) {
        return ((w >>> 18) & 0x10) | ((w >>> 12) & 15);
    }

    static int sd(int w) {
        return ((w >>> 11) & 0x1E) | ((w >>> 22) & 1);
    }

    // VMOV<c> <Sn>, <Rt>
    public void vmovSingleFromCore(int w) {
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        vfp.setS(sn(w), r[(w >>> 12) & 15]);
    }

    // VMOV<c> <Rt>, <Sn>
    public void vmovCoreFromSingle(int w) {
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        core.setRegister((w >>> 12) & 15, vfp.s(sn(w)));
    }

    // VMOV<c> <Sm>, <Sm1>, <Rt>, <Rt2>
    public void vmovSinglesFromCore(int w) {
        int m = sm(w);
        if (m == 31 && core.policy.unpredictable(brassboard.arm.core.UnpredictablePolicy.Case.VMOV_S31_PAIR)) {
            return;
        }
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        vfp.setS(m, r[(w >>> 12) & 15]);
        vfp.setS(m + 1, r[(w >>> 16) & 15]); // "S32" is the low half of D16
    }

    // VMOV<c> <Rt>, <Rt2>, <Sm>, <Sm1>
    public void vmovCoreFromSingles(int w) {
        int m = sm(w);
        if (m == 31 && core.policy.unpredictable(brassboard.arm.core.UnpredictablePolicy.Case.VMOV_S31_PAIR)) {
            return;
        }
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        int lo = vfp.s(m);
        int hi = vfp.s(m + 1); // "S32" is the low half of D16
        core.setRegister((w >>> 12) & 15, lo);
        core.setRegister((w >>> 16) & 15, hi);
    }

    // VMOV<c> <Dm>, <Rt>, <Rt2>
    public void vmovDoubleFromCore(int w) {
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        vfp.d[dm(w)] = ((long) r[(w >>> 16) & 15] << 32) | (r[(w >>> 12) & 15] & 0xFFFF_FFFFL);
    }

    // VMOV<c> <Rt>, <Rt2>, <Dm>
    public void vmovCoreFromDouble(int w) {
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        long v = vfp.d[dm(w)];
        core.setRegister((w >>> 12) & 15, (int) v);
        core.setRegister((w >>> 16) & 15, (int) (v >>> 32));
    }

    // VMOV<c>.<size> <Dd[x]>, <Rt>
    public void vmovScalarFromCore(int w) {
        int opc = ((w >>> 19) & 0xC) | ((w >>> 5) & 3); // opc1:opc2
        int esize;
        int index;
        if ((opc & 8) != 0) {
            esize = 8;
            index = opc & 7;
        } else if ((opc & 1) != 0) {
            esize = 16;
            index = (opc >>> 1) & 3;
        } else if ((opc & 2) == 0) {
            esize = 32;
            index = (opc >>> 2) & 1;
        } else {
            core.policy.undefined();
            return;
        }
        if (!core.checkAdvSimdOrVfpEnabled(esize != 32)) {
            return;
        }
        int d = dn(w);
        int shift = index * esize;
        long mask = (esize == 32 ? 0xFFFF_FFFFL : (1L << esize) - 1) << shift;
        vfp.d[d] = (vfp.d[d] & ~mask) | (((long) r[(w >>> 12) & 15] << shift) & mask);
    }

    // VMOV<c>.<dt> <Rt>, <Dn[x]>
    public void vmovCoreFromScalar(int w) {
        boolean unsigned = (w & (1 << 23)) != 0;
        int opc = ((w >>> 19) & 0xC) | ((w >>> 5) & 3); // opc1:opc2
        int esize;
        int index;
        if ((opc & 8) != 0) {
            esize = 8;
            index = opc & 7;
        } else if ((opc & 1) != 0) {
            esize = 16;
            index = (opc >>> 1) & 3;
        } else if ((opc & 2) == 0 && !unsigned) {
            esize = 32; // U == 1 is UNDEFINED (QEMU too; binutils prints it as VMOV.32)
            index = (opc >>> 2) & 1;
        } else {
            core.policy.undefined();
            return;
        }
        if (!core.checkAdvSimdOrVfpEnabled(esize != 32)) {
            return;
        }
        long v = vfp.d[dn(w)] >>> (index * esize);
        int value;
        if (esize == 32) {
            value = (int) v;
        } else if (unsigned) {
            value = (int) (v & ((1L << esize) - 1));
        } else {
            value = (int) (v << (64 - esize) >> (64 - esize));
        }
        core.setRegister((w >>> 12) & 15, value);
    }

    // VDUP<c>.<size> <Qd>, <Rt> / <Dd>, <Rt>
    public void vdupFromCore(int w) {
        boolean q = (w & (1 << 21)) != 0;
        int be = ((w >>> 21) & 2) | ((w >>> 5) & 1);
        int d = dn(w);
        if ((q && (d & 1) != 0) || be == 3) {
            core.policy.undefined();
            return;
        }
        if (!core.checkAdvSimdOrVfpEnabled(true)) {
            return;
        }
        int x = r[(w >>> 12) & 15];
        long v;
        switch (be) {
            case 0: v = (x & 0xFFFF_FFFFL) * 0x0000_0001_0000_0001L; break;
            case 1: v = (x & 0xFFFFL) * 0x0001_0001_0001_0001L; break;
            default: v = (x & 0xFFL) * 0x0101_0101_0101_0101L; break;
        }
        vfp.d[d] = v;
        if (q) {
            vfp.d[d + 1] = v;
        }
    }

    // VMSR<c> <spec_reg>, <Rt>
    public void vmsr(int w) {
        int reg = (w >>> 16) & 15;
        int value = r[(w >>> 12) & 15];
        if (reg == 1) {
            if (core.checkAdvSimdOrVfpEnabled(false)) {
                vfp.writeFpscr(value);
            }
            return;
        }
        if (!systemRegisterAccessible(reg)) {
            return;
        }
        if (reg == 8) {
            vfp.writeFpexc(value);
        }
        // FPSID, MVFR0, MVFR1: writes are ignored (as in QEMU)
    }

    // VMRS<c> <Rt>, <spec_reg>   (Rt == 15: APSR_nzcv)
    public void vmrs(int w) {
        int reg = (w >>> 16) & 15;
        int value;
        if (reg == 1) {
            if (!core.checkAdvSimdOrVfpEnabled(false)) {
                return;
            }
            value = vfp.fpscr;
        } else {
            if (!systemRegisterAccessible(reg)) {
                return;
            }
            switch (reg) {
                case 0: value = Vfp.FPSID; break;
                case 6: value = Vfp.MVFR1; break;
                case 7: value = Vfp.MVFR0; break;
                default: value = vfp.fpexc(); break;
            }
        }
        int t = (w >>> 12) & 15;
        if (t == 15) {
            core.flags = value & Psr.NZCV;
        } else {
            r[t] = value;
        }
    }

    /**
     * FPSID, MVFR1, MVFR0 and FPEXC: PL1 only, checked against CPACR but not FPEXC.EN (the pseudocode's
     * CheckVFPEnabled(FALSE)), so that an operating system can turn VFP on; every other register
     * number (FPINST / FPINST2 included: VFPv3 and later have none) is UNDEFINED. Takes the exception
     * and returns false when the access is not allowed.
     */
    private boolean systemRegisterAccessible(int reg) {
        boolean known = reg == 0 || reg == 6 || reg == 7 || reg == 8;
        if (!known || !core.isPrivileged() || !vfp.accessibleIgnoringFpexc(true)) {
            core.policy.undefined();
            return false;
        }
        return true;
    }
}
