package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.UnpredictablePolicy;
import brassboard.arm.vfp.Vfp;

/**
 * Extension register load / store (ARM ARM A7.6): VLDR, VSTR, VLDM, VSTM (VPUSH and VPOP are VSTMDB /
 * VLDMIA of SP with writeback). Accesses are word accesses that must be aligned (MemA); a doubleword
 * register is two words, low word first in little-endian state. The PC as a base reads as
 * Align(PC, 4), so the handlers serve the T32 forms too.
 */
public final class ExtensionRegisterLoadStore {
    private final ArmCore core;
    private final Vfp vfp;
    private final int[] r;

    public ExtensionRegisterLoadStore(ArmCore core) {
        this.core = core;
        this.vfp = core.vfp;
        this.r = core.r;
    }

    private static int offset(int w) {
        return (w & 0xFF) << 2;
    }

    private int base(int n) {
        return n == 15 ? r[15] & ~3 : r[n];
    }

    // VLDR<c> <Sd>, [<Rn>{, #+/-<imm>}] / <Dd>
    public void vldr(int w) {
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        int base = base((w >>> 16) & 15);
        int address = (w & (1 << 23)) != 0 ? base + offset(w) : base - offset(w);
        if ((w & (1 << 8)) != 0) {
            loadDouble(ExtensionRegisterTransfer.dd(w), address);
        } else {
            long v = core.read(address, 4, true);
            if (v != ArmCore.ABORTED) {
                vfp.setS(ExtensionRegisterTransfer.sd(w), (int) v);
            }
        }
    }

    // VSTR<c> <Sd>, [<Rn>{, #+/-<imm>}] / <Dd>
    public void vstr(int w) {
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        int base = base((w >>> 16) & 15);
        int address = (w & (1 << 23)) != 0 ? base + offset(w) : base - offset(w);
        if ((w & (1 << 8)) != 0) {
            storeDouble(ExtensionRegisterTransfer.dd(w), address);
        } else {
            core.write(address, 4, vfp.s(ExtensionRegisterTransfer.sd(w)), true);
        }
    }

    private boolean loadDouble(int d, int address) {
        long first = core.read(address, 4, true);
        if (first == ArmCore.ABORTED) {
            return false;
        }
        long second = core.read(address + 4, 4, true);
        if (second == ArmCore.ABORTED) {
            return false;
        }
        vfp.d[d] = core.bigEndian() ? (first << 32) | second : (second << 32) | first;
        return true;
    }

    private boolean storeDouble(int d, int address) {
        long v = vfp.d[d];
        int lo = (int) v;
        int hi = (int) (v >>> 32);
        boolean big = core.bigEndian();
        return core.write(address, 4, big ? hi : lo, true) && core.write(address + 4, 4, big ? lo : hi, true);
    }

    // VLDM{IA}<c> <Rn>{!}, <list>   (VPOP<c> <list>)
    public void vldmIncrementAfter(int w) {
        transfer(w, true, true);
    }

    // VLDMDB<c> <Rn>!, <list>
    public void vldmDecrementBefore(int w) {
        transfer(w, false, true);
    }

    // VSTM{IA}<c> <Rn>{!}, <list>
    public void vstmIncrementAfter(int w) {
        transfer(w, true, false);
    }

    // VSTMDB<c> <Rn>!, <list>   (VPUSH<c> <list>)
    public void vstmDecrementBefore(int w) {
        transfer(w, false, false);
    }

    /**
     * VLDM / VSTM. With a doubleword list and an odd imm8 this is FLDMX / FSTMX: imm8 / 2 registers,
     * and writeback by imm8 words (as QEMU does).
     */
    private void transfer(int w, boolean increment, boolean load) {
        boolean single = (w & (1 << 8)) == 0;
        int n = (w >>> 16) & 15;
        boolean writeback = (w & (1 << 21)) != 0;
        int imm8 = w & 0xFF;
        int first = single ? ExtensionRegisterTransfer.sd(w) : ExtensionRegisterTransfer.dd(w);
        int count = single ? imm8 : imm8 >>> 1;
        boolean bad = count == 0 || first + count > 32 || (!single && count > 16) || (writeback && n == 15);
        if (bad && core.policy.unpredictable(UnpredictablePolicy.Case.VFP_REGISTER_RANGE)) {
            return;
        }
        if (!core.checkAdvSimdOrVfpEnabled(false)) {
            return;
        }
        int bytes = imm8 << 2;
        int base = base(n);
        int address = increment ? base : base - bytes;
        for (int i = 0; i < count; i++) {
            int reg = (first + i) & 31;
            boolean ok;
            if (single) {
                if (load) {
                    long v = core.read(address, 4, true);
                    ok = v != ArmCore.ABORTED;
                    if (ok) {
                        vfp.setS(reg, (int) v);
                    }
                } else {
                    ok = core.write(address, 4, vfp.s(reg), true);
                }
                address += 4;
            } else {
                ok = load ? loadDouble(reg, address) : storeDouble(reg, address);
                address += 8;
            }
            if (!ok) {
                return;
            }
        }
        if (writeback) {
            core.setRegister(n, increment ? r[n] + bytes : r[n] - bytes);
        }
    }
}
