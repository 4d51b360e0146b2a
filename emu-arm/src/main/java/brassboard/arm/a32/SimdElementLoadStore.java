package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.UnpredictablePolicy;

/**
 * Advanced SIMD element and structure load / store (ARM ARM A7.7): VLD1-VLD4 / VST1-VST4 of multiple
 * structures, of one lane, and VLD1-VLD4 to all lanes. Elements are little-endian MemU accesses (an
 * unaligned element faults only under SCTLR.A); the alignment the instruction asks for faults when the
 * address lacks it. Rm == 15: no writeback; Rm == 13: Rn advances by the bytes transferred; else by Rm.
 */
public final class SimdElementLoadStore extends Simd {
    private final int[] r;

    /** The elements of one structure (VLDn to all lanes), reused. */
    private final long[] structure = new long[4];

    public SimdElementLoadStore(ArmCore core) {
        super(core);
        this.r = core.r;
    }

    /** Registers, interleave (structure size), spacing, by the type field of the multiple-structures form. */
    private static final int[] TYPE_REGS = {4, 4, 4, 2, 3, 3, 3, 1, 2, 2, 2, -1, -1, -1, -1, -1};
    private static final int[] TYPE_STRUCT = {4, 4, 1, 2, 3, 3, 1, 1, 2, 2, 1, 0, 0, 0, 0, 0};
    private static final int[] TYPE_INC = {1, 2, 1, 2, 1, 2, 1, 1, 1, 2, 1, 0, 0, 0, 0, 0};

    private long readElement(int address, int ebytes) {
        if (ebytes == 8) {
            long lo = core.read(address, 4, false);
            if (lo == ArmCore.ABORTED) {
                return ArmCore.ABORTED;
            }
            long hi = core.read(address + 4, 4, false);
            return hi == ArmCore.ABORTED ? ArmCore.ABORTED : (hi << 32) | lo;
        }
        return core.read(address, ebytes, false);
    }

    private boolean writeElement(int address, int ebytes, long value) {
        if (ebytes == 8) {
            return core.write(address, 4, (int) value, false) && core.write(address + 4, 4, (int) (value >>> 32), false);
        }
        return core.write(address, ebytes, (int) value, false);
    }

    /** Loads or stores lane {@code lane} of D{@code reg} at {@code address}; false when the access aborted. */
    private boolean transferLane(boolean load, int address, int ebytes, int reg, int lane, int esize) {
        if (load) {
            long v = readElement(address, ebytes);
            if (v == ArmCore.ABORTED) {
                return false;
            }
            d[reg] = withLane(d[reg], lane, esize, v);
            return true;
        }
        return writeElement(address, ebytes, lane(d[reg], lane, esize));
    }

    // VLD1-4<c>.<size> <list>, [<Rn>{:<align>}]{!} / , <Rm>
    public void vldMultiple(int w) {
        multiple(w, true);
    }

    // VST1-4<c>.<size> <list>, [<Rn>{:<align>}]{!} / , <Rm>
    public void vstMultiple(int w) {
        multiple(w, false);
    }

    private void multiple(int w, boolean load) {
        int type = (w >>> 8) & 15;
        int size = (w >>> 6) & 3;
        int align = (w >>> 4) & 3;
        int regs = TYPE_REGS[type];
        int structure = TYPE_STRUCT[type];
        int inc = TYPE_INC[type];
        boolean bad;
        if (regs < 0) {
            bad = true;
        } else if (structure == 1) {
            bad = ((regs == 1 || regs == 3) && (align & 2) != 0) || (regs == 2 && align == 3);
        } else if (structure == 2) {
            bad = size == 3 || (regs == 1 && align == 3);
            regs = type == 3 ? 2 : 1;
        } else if (structure == 3) {
            bad = size == 3 || (align & 2) != 0;
            regs = 1;
        } else {
            bad = size == 3;
            regs = 1;
        }
        if (bad) {
            undefined();
            return;
        }
        int dd = vd(w);
        int n = (w >>> 16) & 15;
        int m = w & 15;
        int structures = structure == 1 ? 1 : structure;
        int lastReg = structure == 1 ? dd + regs - 1 : dd + inc * (structure - 1) + regs - 1;
        if ((lastReg > 31 || n == 15) && core.policy.unpredictable(UnpredictablePolicy.Case.VFP_REGISTER_RANGE)) {
            return;
        }
        if (!enabled()) {
            return;
        }
        int ebytes = 1 << size;
        int elements = 8 / ebytes;
        int alignment = align == 0 ? 1 : 4 << align;
        int address = r[n];
        if ((address & (alignment - 1)) != 0) {
            core.alignmentFault(address, !load);
            return;
        }
        int esize = 8 * ebytes;
        int a = address;
        int total = 8 * regs * structures;
        for (int rg = 0; rg < regs; rg++) {
            for (int e = 0; e < elements; e++) {
                for (int s = 0; s < structures; s++) {
                    int reg = structure == 1 ? dd + rg : dd + rg + s * inc;
                    reg &= 31;
                    if (!transferLane(load, a, ebytes, reg, e, esize)) {
                        return;
                    }
                    a += ebytes;
                }
            }
        }
        writeback(n, m, total);
    }

    private void writeback(int n, int m, int bytes) {
        if (m == 15) {
            return;
        }
        core.setRegister(n, r[n] + (m == 13 ? bytes : r[m]));
    }

    // VLD1-4<c>.<size> <list>, [<Rn>{:<align>}]{!}   (one lane)
    public void vldLane(int w) {
        lane(w, true);
    }

    // VST1-4<c>.<size> <list>, [<Rn>{:<align>}]{!}   (one lane)
    public void vstLane(int w) {
        if (((w >>> 10) & 3) == 3) {
            undefined();
            return;
        }
        lane(w, false);
    }

    private void lane(int w, boolean load) {
        int size = (w >>> 10) & 3;
        int structures = ((w >>> 8) & 3) + 1;
        int ia = (w >>> 4) & 15;
        int ebytes = 1 << size;
        int index;
        int inc = 1;
        int alignment = 1;
        boolean bad = false;
        switch (size) {
            case 0:
                index = ia >>> 1;
                if (structures == 1 || structures == 3) {
                    bad = (ia & 1) != 0;
                } else {
                    alignment = (ia & 1) != 0 ? (structures == 2 ? 2 : 4) : 1;
                }
                break;
            case 1:
                index = ia >>> 2;
                if (structures == 1) {
                    bad = (ia & 2) != 0;
                    alignment = (ia & 1) != 0 ? 2 : 1;
                } else {
                    inc = (ia & 2) != 0 ? 2 : 1;
                    if (structures == 3) {
                        bad = (ia & 1) != 0;
                    } else {
                        alignment = (ia & 1) != 0 ? (structures == 2 ? 4 : 8) : 1;
                    }
                }
                break;
            default:
                index = ia >>> 3;
                if (structures == 1) {
                    bad = (ia & 4) != 0 || ((ia & 3) != 0 && (ia & 3) != 3);
                    alignment = (ia & 3) == 3 ? 4 : 1;
                } else {
                    inc = (ia & 4) != 0 ? 2 : 1;
                    if (structures == 2) {
                        bad = (ia & 2) != 0;
                        alignment = (ia & 1) != 0 ? 8 : 1;
                    } else if (structures == 3) {
                        bad = (ia & 3) != 0;
                    } else {
                        bad = (ia & 3) == 3;
                        alignment = (ia & 3) == 0 ? 1 : 4 << (ia & 3);
                    }
                }
                break;
        }
        if (bad) {
            undefined();
            return;
        }
        int dd = vd(w);
        int n = (w >>> 16) & 15;
        int m = w & 15;
        if ((dd + inc * (structures - 1) > 31 || n == 15) && core.policy.unpredictable(UnpredictablePolicy.Case.VFP_REGISTER_RANGE)) {
            return;
        }
        if (!enabled()) {
            return;
        }
        int address = r[n];
        if ((address & (alignment - 1)) != 0) {
            core.alignmentFault(address, !load);
            return;
        }
        int esize = 8 * ebytes;
        int a = address;
        for (int s = 0; s < structures; s++) {
            int reg = (dd + s * inc) & 31;
            if (!transferLane(load, a, ebytes, reg, index, esize)) {
                return;
            }
            a += ebytes;
        }
        writeback(n, m, ebytes * structures);
    }

    // VLD1-4<c>.<size> <list>, [<Rn>{:<align>}]{!}   (to all lanes)
    public void vldAllLanes(int w) {
        int size = (w >>> 6) & 3;
        int structures = ((w >>> 8) & 3) + 1;
        boolean t = (w & (1 << 5)) != 0;
        boolean a = (w & (1 << 4)) != 0;
        int ebytes = 1 << size;
        int alignment = 1;
        int regs = 1;
        int inc = t ? 2 : 1;
        boolean bad;
        switch (structures) {
            case 1:
                bad = size == 3 || (size == 0 && a);
                regs = t ? 2 : 1;
                inc = 1;
                alignment = a ? ebytes : 1;
                break;
            case 2:
                bad = size == 3;
                alignment = a ? 2 * ebytes : 1;
                break;
            case 3:
                bad = size == 3 || a;
                break;
            default:
                bad = size == 3 && !a;
                if (size == 3) {
                    ebytes = 4;
                    alignment = 16;
                } else {
                    alignment = a ? (size == 2 ? 8 : 4 * ebytes) : 1;
                }
                break;
        }
        if (bad) {
            undefined();
            return;
        }
        int dd = vd(w);
        int n = (w >>> 16) & 15;
        int m = w & 15;
        int last = structures == 1 ? dd + regs - 1 : dd + inc * (structures - 1);
        if ((last > 31 || n == 15) && core.policy.unpredictable(UnpredictablePolicy.Case.VFP_REGISTER_RANGE)) {
            return;
        }
        if (!enabled()) {
            return;
        }
        int address = r[n];
        if ((address & (alignment - 1)) != 0) {
            core.alignmentFault(address, false);
            return;
        }
        int esize = 8 * ebytes;
        long[] values = structure;
        int at = address;
        for (int s = 0; s < structures; s++) {
            long v = readElement(at, ebytes);
            if (v == ArmCore.ABORTED) {
                return;
            }
            values[s] = v;
            at += ebytes;
        }
        for (int s = 0; s < structures; s++) {
            long rep = 0;
            for (int e = 0; e < 64 / esize; e++) {
                rep = withLane(rep, e, esize, values[s]);
            }
            if (structures == 1) {
                for (int k = 0; k < regs; k++) {
                    d[(dd + k) & 31] = rep;
                }
            } else {
                d[(dd + s * inc) & 31] = rep;
            }
        }
        writeback(n, m, ebytes * structures);
    }
}
