package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.Modes;
import brassboard.arm.core.Psr;
import brassboard.arm.core.UnpredictablePolicy;

/**
 * Status register access and exception return (ARM ARM A5.2.12, B9.3): MRS, MSR (immediate and
 * register, CPSR and SPSR), CPS, SETEND, and the exception returns RFE and ERET with SRS, their
 * counterpart, and the banked-register MRS / MSR (B9.3.9, B9.3.10). (SUBS PC, LR and LDM ^ live with
 * their instruction classes.)
 */
public final class StatusRegister {
    private static final int R_BIT = 1 << 22;

    private final ArmCore core;
    private final int[] r;

    public StatusRegister(ArmCore core) {
        this.core = core;
        this.r = core.r;
    }

    private boolean noSpsr(UnpredictablePolicy.Case c) {
        return !core.hasSpsr() && core.policy.unpredictable(c);
    }

    private void writePsr(int w, int value) {
        int mask = (w >>> 16) & 15;
        if (mask == 0 && core.policy.unpredictable(UnpredictablePolicy.Case.MSR_EMPTY_MASK)) {
            return;
        }
        if ((w & R_BIT) != 0) {
            if (noSpsr(UnpredictablePolicy.Case.SPSR_ACCESS_WITHOUT_SPSR)) {
                return;
            }
            core.spsrWriteByInstr(value, mask);
        } else {
            core.cpsrWriteByInstr(value, mask, false);
        }
    }

    // MRS<c> <Rd>, <spec_reg>   (CPSR / APSR or SPSR)
    public void mrs(int w) {
        int d = (w >>> 12) & 15;
        if ((w & R_BIT) != 0) {
            if (noSpsr(UnpredictablePolicy.Case.SPSR_ACCESS_WITHOUT_SPSR)) {
                return;
            }
            core.setRegister(d, core.spsr());
        } else {
            core.setRegister(d, core.cpsr() & Psr.MRS_MASK);
        }
    }

    // MSR<c> <spec_reg>, <Rn>
    public void msrRegister(int w) {
        writePsr(w, r[w & 15]);
    }

    // MSR<c> <spec_reg>, #<const>
    public void msrImmediate(int w) {
        writePsr(w, Alu.armExpandImm(w & 0xFFF));
    }

    // CPS<effect> <iflags>{, #<mode>}  /  CPS #<mode>   (a NOP in User mode)
    public void cps(int w) {
        if (!core.isPrivileged()) {
            return;
        }
        int imod = (w >>> 18) & 3;
        int value = core.cpsr();
        int affected = (w & 0x1C0); // A I F in bits 8:6, as in the CPSR
        if (imod == 2) {
            value &= ~affected;
        } else if (imod == 3) {
            value |= affected;
        }
        if ((w & (1 << 17)) != 0) {
            value = (value & ~Psr.M) | (w & Psr.M);
        }
        core.cpsrWriteByInstr(value, 0x3, false); // A is in byte 1, I F M in byte 0
    }

    // SETEND <endian_specifier>
    public void setend(int w) {
        core.setEndianState((w & (1 << 9)) != 0);
    }

    // RFE{<amode>}<c> <Rn>{!}
    public void rfe(int w) {
        if (!core.isPrivileged()
                && core.policy.unpredictable(UnpredictablePolicy.Case.EXCEPTION_RETURN_WITHOUT_SPSR)) {
            return;
        }
        int n = (w >>> 16) & 15;
        boolean increment = (w & (1 << 23)) != 0;
        boolean wordHigher = ((w >>> 24) & 1) == ((w >>> 23) & 1);
        int address = increment ? r[n] : r[n] - 8;
        if (wordHigher) {
            address += 4;
        }
        long newPc = core.read(address, 4, true);
        if (newPc == ArmCore.ABORTED) {
            return;
        }
        long newCpsr = core.read(address + 4, 4, true);
        if (newCpsr == ArmCore.ABORTED) {
            return;
        }
        if ((w & (1 << 21)) != 0) {
            core.setRegister(n, increment ? r[n] + 8 : r[n] - 8);
        }
        core.exceptionReturn((int) newPc, (int) newCpsr);
    }

    // SRS{<amode>}<c> SP{!}, #<mode>
    public void srs(int w) {
        if (noSpsr(UnpredictablePolicy.Case.SPSR_ACCESS_WITHOUT_SPSR)) {
            return;
        }
        int targetMode = w & Psr.M;
        if ((!Modes.isImplemented(targetMode) || targetMode == Modes.USR || targetMode == Modes.SYS)
                && core.policy.unpredictable(UnpredictablePolicy.Case.SRS_BAD_MODE)) {
            return;
        }
        boolean increment = (w & (1 << 23)) != 0;
        boolean wordHigher = ((w >>> 24) & 1) == ((w >>> 23) & 1);
        int base = core.bankedSp(targetMode);
        int address = increment ? base : base - 8;
        if (wordHigher) {
            address += 4;
        }
        if (!core.write(address, 4, r[14], true) || !core.write(address + 4, 4, core.spsr(), true)) {
            return;
        }
        if ((w & (1 << 21)) != 0) {
            core.setBankedSp(targetMode, increment ? base + 8 : base - 8);
        }
    }

    // ERET<c>   (outside Hyp mode: SUBS PC, LR, #0)
    public void eret(int w) {
        if (!core.isPrivileged()) {
            core.policy.undefined();
            return;
        }
        if (!core.hasSpsr()
                && core.policy.unpredictable(UnpredictablePolicy.Case.EXCEPTION_RETURN_WITHOUT_SPSR)) {
            return;
        }
        core.exceptionReturn(r[14], core.spsr());
    }

    // ---------------------------------------------------------------- banked registers (B9.2.3)

    /** The mode whose register SYSm names (R == 0), by SYSm; 0 where unallocated or Monitor / Hyp. */
    private static final int[] BANKED_MODE = new int[32];
    /** The register number SYSm names (R == 0). */
    private static final int[] BANKED_REGISTER = new int[32];
    /** The mode whose SPSR SYSm names (R == 1); 0 where unallocated or Monitor / Hyp. */
    private static final int[] BANKED_SPSR_MODE = new int[32];

    static {
        for (int sysm = 0; sysm <= 6; sysm++) {
            BANKED_MODE[sysm] = Modes.USR;
            BANKED_REGISTER[sysm] = sysm + 8;
            BANKED_MODE[sysm + 8] = Modes.FIQ;
            BANKED_REGISTER[sysm + 8] = sysm + 8;
        }
        int[] modes = {Modes.IRQ, Modes.SVC, Modes.ABT, Modes.UND};
        for (int i = 0; i < modes.length; i++) {
            int sysm = 0b10000 + 2 * i;
            BANKED_MODE[sysm] = modes[i];
            BANKED_REGISTER[sysm] = 14;
            BANKED_MODE[sysm + 1] = modes[i];
            BANKED_REGISTER[sysm + 1] = 13;
            BANKED_SPSR_MODE[sysm] = modes[i];
        }
        BANKED_SPSR_MODE[0b01110] = Modes.FIQ;
        // 0b1110x (Monitor) and 0b1111x (Hyp): this core has neither mode, so they stay 0 (UNDEFINED).
    }

    /** SYSm = M:M1, bits 8 and 19:16. */
    private static int sysm(int w) {
        return ((w >>> 4) & 0x10) | ((w >>> 16) & 15);
    }

    /**
     * BankedRegisterAccessValid / SPSRaccessValid (B9.3.9): whether the current mode may name register
     * {@code n} of {@code target} (n == 16: its SPSR) with a banked access, rather than reach it
     * directly or not at all.
     */
    private boolean bankedAccessValid(int target, int n) {
        int mode = core.mode;
        if (mode == Modes.USR || mode == target) {
            return false;
        }
        if (target != Modes.USR) {
            return true;
        }
        if (n <= 12) {
            return mode == Modes.FIQ;
        }
        return mode != Modes.SYS;
    }

    /**
     * The register a banked access names, as (mode << 8) | n with n == 16 for the SPSR; or -1 when the
     * access stops here: an unallocated SYSm or a Monitor / Hyp register is UNDEFINED (this core has
     * neither mode), an UNPREDICTABLE access goes through the policy.
     */
    private int bankedTarget(int w, int t) {
        int sysm = sysm(w);
        boolean spsr = (w & R_BIT) != 0;
        int target = spsr ? BANKED_SPSR_MODE[sysm] : BANKED_MODE[sysm];
        if (target == 0) {
            core.policy.undefined();
            return -1;
        }
        int n = spsr ? 16 : BANKED_REGISTER[sysm];
        if ((t == 15 || !bankedAccessValid(target, n))
                && core.policy.unpredictable(UnpredictablePolicy.Case.BANKED_REGISTER_ACCESS)) {
            return -1;
        }
        return (target << 8) | n;
    }

    // MRS<c> <Rd>, <banked_reg>
    public void mrsBanked(int w) {
        int d = (w >>> 12) & 15;
        int target = bankedTarget(w, d);
        if (target < 0) {
            return;
        }
        int n = target & 0xFF;
        int mode = target >>> 8;
        core.setRegister(d, n == 16 ? core.bankedSpsr(mode) : core.bankedRegister(mode, n));
    }

    // MSR<c> <banked_reg>, <Rn>
    public void msrBanked(int w) {
        int t = w & 15;
        int target = bankedTarget(w, t);
        if (target < 0) {
            return;
        }
        int n = target & 0xFF;
        int mode = target >>> 8;
        if (n == 16) {
            core.setBankedSpsr(mode, r[t]);
        } else {
            core.setBankedRegister(mode, n, r[t]);
        }
    }
}
