package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.UnpredictablePolicy;

/**
 * Synchronization primitives (ARM ARM A5.2.10): LDREX / STREX in byte, halfword, word and doubleword
 * sizes against this core's local exclusive monitor, CLREX, and the deprecated SWP / SWPB (which,
 * as in QEMU, execute whatever SCTLR.SW says). The global monitor that lets other masters' stores
 * break a reservation comes with multi-core support; until then only CLREX, exception entry and
 * STREX itself clear the local monitor.
 */
public final class Synchronization {
    private final ArmCore core;
    private final int[] r;

    public Synchronization(ArmCore core) {
        this.core = core;
        this.r = core.r;
    }

    private boolean pcOperand(boolean pc) {
        return pc && core.policy.unpredictable(UnpredictablePolicy.Case.EXCLUSIVE_PC_OPERAND);
    }

    /** STREX*: Rd == Rn or Rd == Rt (and, for STREXD, Rd == Rt2 == Rt + 1). */
    private boolean statusOverlap(int w, boolean dual) {
        int d = (w >>> 12) & 15;
        int t = w & 15;
        return (d == ((w >>> 16) & 15) || d == t || (dual && d == t + 1))
                && core.policy.unpredictable(UnpredictablePolicy.Case.STORE_EXCLUSIVE_STATUS_OVERLAP);
    }

    private void loadExclusive(int w, int size) {
        if (pcOperand(((w >>> 12) & 15) == 15 || ((w >>> 16) & 15) == 15)) {
            return;
        }
        int address = r[(w >>> 16) & 15];
        long data = core.read(address, size, true);
        if (data == ArmCore.ABORTED) {
            return;
        }
        core.setExclusiveMonitors(address, size);
        core.observer.onExclusiveLoad(core.pc, address & 0xFFFF_FFFFL);
        core.setRegister((w >>> 12) & 15, (int) data);
    }

    private void storeExclusive(int w, int size) {
        if (pcOperand(((w >>> 12) & 15) == 15 || (w & 15) == 15 || ((w >>> 16) & 15) == 15)
                || statusOverlap(w, false)) {
            return;
        }
        int address = r[(w >>> 16) & 15];
        if ((address & (size - 1)) != 0) {
            core.alignmentFault(address, true);
            return;
        }
        int status = 1;
        if (core.exclusiveMonitorsPass(address, size)) {
            if (!core.write(address, size, r[w & 15], true)) {
                return;
            }
            status = 0;
        }
        core.observer.onExclusiveStore(core.pc, address & 0xFFFF_FFFFL, status == 0);
        core.setRegister((w >>> 12) & 15, status);
    }

    // LDREX<c> <Rt>, [<Rn>]
    public void ldrex(int w) {
        loadExclusive(w, 4);
    }

    // STREX<c> <Rd>, <Rt>, [<Rn>]
    public void strex(int w) {
        storeExclusive(w, 4);
    }

    // LDREXB<c> <Rt>, [<Rn>]
    public void ldrexb(int w) {
        loadExclusive(w, 1);
    }

    // STREXB<c> <Rd>, <Rt>, [<Rn>]
    public void strexb(int w) {
        storeExclusive(w, 1);
    }

    // LDREXH<c> <Rt>, [<Rn>]
    public void ldrexh(int w) {
        loadExclusive(w, 2);
    }

    // STREXH<c> <Rd>, <Rt>, [<Rn>]
    public void strexh(int w) {
        storeExclusive(w, 2);
    }

    // LDREXD<c> <Rt>, <Rt2>, [<Rn>]
    public void ldrexd(int w) {
        int t = (w >>> 12) & 15;
        if (((t & 1) != 0 || t == 14)
                && core.policy.unpredictable(UnpredictablePolicy.Case.DOUBLEWORD_REGISTER_PAIR)) {
            return;
        }
        if (pcOperand(((w >>> 16) & 15) == 15)) {
            return;
        }
        loadExclusiveDoubleword(r[(w >>> 16) & 15], t, (t + 1) & 15);
    }

    /**
     * LDREXD's access once its operands are checked (shared with T32, whose Rt2 is any register):
     * doubleword-aligned, both words read before R[t] and R[t2] are written.
     */
    public void loadExclusiveDoubleword(int address, int t, int t2) {
        if ((address & 7) != 0) {
            core.alignmentFault(address, false);
            return;
        }
        long first = core.read(address, 4, true);
        if (first == ArmCore.ABORTED) {
            return;
        }
        long second = core.read(address + 4, 4, true);
        if (second == ArmCore.ABORTED) {
            return;
        }
        core.setExclusiveMonitors(address, 8);
        core.observer.onExclusiveLoad(core.pc, address & 0xFFFF_FFFFL);
        core.setRegister(t, (int) first);
        core.setRegister(t2, (int) second);
    }

    // STREXD<c> <Rd>, <Rt>, <Rt2>, [<Rn>]
    public void strexd(int w) {
        int t = w & 15;
        if (((t & 1) != 0 || t == 14)
                && core.policy.unpredictable(UnpredictablePolicy.Case.DOUBLEWORD_REGISTER_PAIR)) {
            return;
        }
        if (pcOperand(((w >>> 12) & 15) == 15 || ((w >>> 16) & 15) == 15) || statusOverlap(w, true)) {
            return;
        }
        storeExclusiveDoubleword(r[(w >>> 16) & 15], (w >>> 12) & 15, t, (t + 1) & 15);
    }

    /** STREXD's access once its operands are checked (shared with T32): R[d] = 0 when stored, 1 when not. */
    public void storeExclusiveDoubleword(int address, int d, int t, int t2) {
        if ((address & 7) != 0) {
            core.alignmentFault(address, true);
            return;
        }
        int status = 1;
        if (core.exclusiveMonitorsPass(address, 8)) {
            if (!core.write(address, 4, r[t], true) || !core.write(address + 4, 4, r[t2], true)) {
                return;
            }
            status = 0;
        }
        core.observer.onExclusiveStore(core.pc, address & 0xFFFF_FFFFL, status == 0);
        core.setRegister(d, status);
    }

    // CLREX
    public void clrex(int w) {
        core.clearExclusiveLocal();
    }

    // SWP<c> <Rt>, <Rt2>, [<Rn>]
    public void swp(int w) {
        swap(w, 4);
    }

    // SWPB<c> <Rt>, <Rt2>, [<Rn>]
    public void swpb(int w) {
        swap(w, 1);
    }

    private void swap(int w, int size) {
        int address = r[(w >>> 16) & 15];
        long data = core.read(address, size, true);
        if (data == ArmCore.ABORTED) {
            return;
        }
        if (!core.write(address, size, r[w & 15], true)) {
            return;
        }
        int value = (int) data;
        if (size == 4) {
            value = Integer.rotateRight(value, 8 * (address & 3));
        }
        core.setRegister((w >>> 12) & 15, value);
    }
}
