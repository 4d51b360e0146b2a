package brassboard.arm.t32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.UnpredictablePolicy;

/**
 * T32 load / store exclusive (ARM ARM A6.3.6, A8.8.75-A8.8.78, A8.8.212-A8.8.215) and CLREX. The
 * byte and halfword forms and CLREX are A32's and are rewritten to them; LDREX / STREX (with an
 * offset, imm8:'00') and LDREXD / STREXD (with any Rt2) have no A32 form and execute here, against
 * the same local and global monitor model ({@link ArmCore#setExclusiveMonitors}).
 */
final class Synchronization {
    private final ArmCore core;
    private final int[] r;

    /** A32's exclusives, whose doubleword accesses these share. */
    private final brassboard.arm.a32.Synchronization a32;

    Synchronization(ArmCore core) {
        this.core = core;
        this.r = core.r;
        this.a32 = new brassboard.arm.a32.Synchronization(core);
    }

    Binding bind(String name) {
        switch (name) {
            case "LDREX32": return Binding.execute(this::ldrex);
            case "STREX32": return Binding.execute(this::strex);
            case "LDREXD32": return Binding.execute(this::ldrexd);
            case "STREXD32": return Binding.execute(this::strexd);
            // LDREXB / LDREXH <Rt>, [<Rn>]: A32 Rn(19:16) Rt(15:12)
            case "LDREXB32": return Binding.asA32(w -> 0xE1D00F9F | (w & 0xF0000) | (w & 0xF000));
            case "LDREXH32": return Binding.asA32(w -> 0xE1F00F9F | (w & 0xF0000) | (w & 0xF000));
            // STREXB / STREXH <Rd>, <Rt>, [<Rn>]: A32 Rn(19:16) Rd(15:12) Rt(3:0)
            case "STREXB32": return Binding.asA32(w -> 0xE1C00F90 | (w & 0xF0000) | (w & 15) << 12 | (w >>> 12) & 15);
            case "STREXH32": return Binding.asA32(w -> 0xE1E00F90 | (w & 0xF0000) | (w & 15) << 12 | (w >>> 12) & 15);
            case "CLREX32": return Binding.asA32(w -> 0xF57FF01F);
            default: return null;
        }
    }

    /** Whether one of the registers is the PC and the policy stops the instruction (QEMU: UNDEFINED). */
    private boolean pcOperand(int... registers) {
        for (int n : registers) {
            if (n == 15) {
                return core.policy.unpredictable(UnpredictablePolicy.Case.EXCLUSIVE_PC_OPERAND);
            }
        }
        return false;
    }

    /** Whether status register {@code d} is also an operand and the policy stops the store (QEMU: UNDEFINED). */
    private boolean statusOverlap(int d, int... operands) {
        for (int n : operands) {
            if (n == d) {
                return core.policy.unpredictable(UnpredictablePolicy.Case.STORE_EXCLUSIVE_STATUS_OVERLAP);
            }
        }
        return false;
    }

    private static int rn(int w) {
        return (w >>> 16) & 15;
    }

    private static int rt(int w) {
        return (w >>> 12) & 15;
    }

    // LDREX<c> <Rt>, [<Rn>{, #<imm>}]
    private void ldrex(int w) {
        if (pcOperand(rt(w), rn(w))) {
            return;
        }
        int address = r[(w >>> 16) & 15] + ((w & 0xFF) << 2);
        long data = core.read(address, 4, true);
        if (data == ArmCore.ABORTED) {
            return;
        }
        core.setExclusiveMonitors(address, 4);
        core.observer.onExclusiveLoad(core.pc, address & 0xFFFF_FFFFL);
        core.setRegister((w >>> 12) & 15, (int) data);
    }

    // STREX<c> <Rd>, <Rt>, [<Rn>{, #<imm>}]
    private void strex(int w) {
        int d = (w >>> 8) & 15;
        if (pcOperand(d, rt(w), rn(w)) || statusOverlap(d, rt(w), rn(w))) {
            return;
        }
        int address = r[(w >>> 16) & 15] + ((w & 0xFF) << 2);
        if ((address & 3) != 0) {
            core.alignmentFault(address, true);
            return;
        }
        int status = 1;
        if (core.exclusiveMonitorsPass(address, 4)) {
            if (!core.write(address, 4, r[(w >>> 12) & 15], true)) {
                return;
            }
            status = 0;
        }
        core.observer.onExclusiveStore(core.pc, address & 0xFFFF_FFFFL, status == 0);
        core.setRegister((w >>> 8) & 15, status);
    }

    // LDREXD<c> <Rt>, <Rt2>, [<Rn>]
    private void ldrexd(int w) {
        int t2 = (w >>> 8) & 15;
        if (pcOperand(rt(w), t2, rn(w))) {
            return;
        }
        if (rt(w) == t2 && core.policy.unpredictable(UnpredictablePolicy.Case.DOUBLEWORD_REGISTER_PAIR)) {
            return;
        }
        a32.loadExclusiveDoubleword(r[rn(w)], rt(w), t2);
    }

    // STREXD<c> <Rd>, <Rt>, <Rt2>, [<Rn>]
    private void strexd(int w) {
        int d = w & 15;
        int t2 = (w >>> 8) & 15;
        if (pcOperand(d, rt(w), t2, rn(w)) || statusOverlap(d, rt(w), t2, rn(w))) {
            return;
        }
        a32.storeExclusiveDoubleword(r[rn(w)], d, rt(w), t2);
    }
}
