package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.UnpredictablePolicy;

/**
 * Load/store word, byte, halfword and doubleword (ARM ARM A5.3, A5.2.8, A5.2.9): immediate and
 * register offsets, offset / pre-indexed / post-indexed addressing with writeback, and the
 * unprivileged (T) forms. Registers change only after every access of the instruction succeeded, so an
 * aborted instruction can be restarted.
 *
 * <p>The T forms differ from the normal post-indexed forms only in the privilege of the access: with the
 * MMU on they are checked against the PL0 permissions ({@link ArmCore#readUnprivileged}).
 */
public final class LoadStore {
    private static final int P = 1 << 24;
    private static final int U = 1 << 23;
    private static final int W = 1 << 21;

    private final ArmCore core;
    private final int[] r;

    public LoadStore(ArmCore core) {
        this.core = core;
        this.r = core.r;
    }

    // ---------------------------------------------------------------- offsets

    private static int imm12(int w) {
        return w & 0xFFF;
    }

    /** Shift(R[m], shift_t, shift_n, APSR.C). */
    private int shiftedRegister(int w) {
        return Alu.immShift(r[w & 15], w, core.carry());
    }

    private static int imm8(int w) {
        return ((w >>> 4) & 0xF0) | (w & 0xF);
    }

    private int registerOffset(int w) {
        return r[w & 15];
    }

    // ---------------------------------------------------------------- generic accesses

    private int offsetAddress(int w, int offset) {
        int base = r[(w >>> 16) & 15];
        return (w & U) != 0 ? base + offset : base - offset;
    }

    private int address(int w, int offsetAddress) {
        return (w & P) != 0 ? offsetAddress : r[(w >>> 16) & 15];
    }

    private void writeback(int w, int offsetAddress) {
        if ((w & P) == 0 || (w & W) != 0) {
            core.setRegister((w >>> 16) & 15, offsetAddress);
        }
    }

    private void load(int w, int offset, int size, boolean signed) {
        load(w, offset, size, signed, false);
    }

    private void load(int w, int offset, int size, boolean signed, boolean unprivileged) {
        int offsetAddress = offsetAddress(w, offset);
        int address = address(w, offsetAddress);
        long data = unprivileged ? core.readUnprivileged(address, size) : core.read(address, size, false);
        if (data == ArmCore.ABORTED) {
            return;
        }
        writeback(w, offsetAddress);
        int value = (int) data;
        if (signed) {
            value = size == 1 ? (byte) value : (short) value;
        }
        int t = (w >>> 12) & 15;
        if (t == 15 && size == 4) {
            core.loadWritePc(value);
        } else {
            core.setRegister(t, value);
        }
    }

    private void store(int w, int offset, int size) {
        store(w, offset, size, false);
    }

    private void store(int w, int offset, int size, boolean unprivileged) {
        int offsetAddress = offsetAddress(w, offset);
        int address = address(w, offsetAddress);
        int value = r[(w >>> 12) & 15];
        if (!(unprivileged ? core.writeUnprivileged(address, size, value) : core.write(address, size, value, false))) {
            return;
        }
        writeback(w, offsetAddress);
    }

    /**
     * The UNPREDICTABLE checks shared by LDRD and STRD; {@code true} when the instruction must stop
     * (the policy made it UNDEFINED or a NOP).
     */
    private boolean badDual(int w) {
        int t = (w >>> 12) & 15;
        if ((t & 1) != 0 && core.policy.unpredictable(UnpredictablePolicy.Case.DOUBLEWORD_REGISTER_PAIR)) {
            return true;
        }
        if (t == 14 && core.policy.unpredictable(UnpredictablePolicy.Case.LOAD_STORE_DUAL_PC)) {
            return true;
        }
        return (w & P) == 0 && (w & W) != 0
                && core.policy.unpredictable(UnpredictablePolicy.Case.LOAD_STORE_DUAL_POST_INDEX_WRITEBACK);
    }

    private void loadDual(int w, int offset) {
        if (badDual(w)) {
            return;
        }
        int t = (w >>> 12) & 15;
        int n = (w >>> 16) & 15;
        boolean wback = (w & P) == 0 || (w & W) != 0;
        if (wback && (n == t || n == ((t + 1) & 15))
                && core.policy.unpredictable(UnpredictablePolicy.Case.LOAD_DUAL_WRITEBACK_OVERLAP)) {
            return;
        }
        int offsetAddress = offsetAddress(w, offset);
        int address = address(w, offsetAddress);
        long first = core.read(address, 4, true);
        if (first == ArmCore.ABORTED) {
            return;
        }
        long second = core.read(address + 4, 4, true);
        if (second == ArmCore.ABORTED) {
            return;
        }
        // The pseudocode's order: R[t], R[t2], then the base, so with Rn == Rt or Rt2 the writeback wins.
        core.setRegister(t, (int) first);
        core.setRegister((t + 1) & 15, (int) second);
        writeback(w, offsetAddress);
    }

    private void storeDual(int w, int offset) {
        if (badDual(w)) {
            return;
        }
        int t = (w >>> 12) & 15;
        int offsetAddress = offsetAddress(w, offset);
        int address = address(w, offsetAddress);
        if (!core.write(address, 4, r[t], true) || !core.write(address + 4, 4, r[(t + 1) & 15], true)) {
            return;
        }
        writeback(w, offsetAddress);
    }

    // ---------------------------------------------------------------- word and unsigned byte

    // STR<c> <Rt>, [<Rn>{, #+/-<imm12>}]{!}  /  STR<c> <Rt>, [<Rn>], #+/-<imm12>   (also PUSH {<Rt>})
    public void strImmediate(int w) {
        store(w, imm12(w), 4);
    }

    // LDR<c> <Rt>, [<Rn>{, #+/-<imm12>}]{!}  /  LDR<c> <Rt>, <label>   (also POP {<Rt>})
    public void ldrImmediate(int w) {
        load(w, imm12(w), 4, false);
    }

    // STRB<c> <Rt>, [<Rn>{, #+/-<imm12>}]{!}
    public void strbImmediate(int w) {
        store(w, imm12(w), 1);
    }

    // LDRB<c> <Rt>, [<Rn>{, #+/-<imm12>}]{!}
    public void ldrbImmediate(int w) {
        load(w, imm12(w), 1, false);
    }

    // STR<c> <Rt>, [<Rn>, +/-<Rm>{, <shift>}]{!}
    public void strRegister(int w) {
        store(w, shiftedRegister(w), 4);
    }

    // LDR<c> <Rt>, [<Rn>, +/-<Rm>{, <shift>}]{!}
    public void ldrRegister(int w) {
        load(w, shiftedRegister(w), 4, false);
    }

    // STRB<c> <Rt>, [<Rn>, +/-<Rm>{, <shift>}]{!}
    public void strbRegister(int w) {
        store(w, shiftedRegister(w), 1);
    }

    // LDRB<c> <Rt>, [<Rn>, +/-<Rm>{, <shift>}]{!}
    public void ldrbRegister(int w) {
        load(w, shiftedRegister(w), 1, false);
    }

    // STRT<c> <Rt>, [<Rn>] {, #+/-<imm12>}
    public void strtImmediate(int w) {
        store(w, imm12(w), 4, true);
    }

    // LDRT<c> <Rt>, [<Rn>] {, #+/-<imm12>}
    public void ldrtImmediate(int w) {
        load(w, imm12(w), 4, false, true);
    }

    // STRBT<c> <Rt>, [<Rn>], #+/-<imm12>
    public void strbtImmediate(int w) {
        store(w, imm12(w), 1, true);
    }

    // LDRBT<c> <Rt>, [<Rn>], #+/-<imm12>
    public void ldrbtImmediate(int w) {
        load(w, imm12(w), 1, false, true);
    }

    // STRT<c> <Rt>, [<Rn>], +/-<Rm>{, <shift>}
    public void strtRegister(int w) {
        store(w, shiftedRegister(w), 4, true);
    }

    // LDRT<c> <Rt>, [<Rn>], +/-<Rm>{, <shift>}
    public void ldrtRegister(int w) {
        load(w, shiftedRegister(w), 4, false, true);
    }

    // STRBT<c> <Rt>, [<Rn>], +/-<Rm>{, <shift>}
    public void strbtRegister(int w) {
        store(w, shiftedRegister(w), 1, true);
    }

    // LDRBT<c> <Rt>, [<Rn>], +/-<Rm>{, <shift>}
    public void ldrbtRegister(int w) {
        load(w, shiftedRegister(w), 1, false, true);
    }

    // ---------------------------------------------------------------- halfword, signed, doubleword

    // STRH<c> <Rt>, [<Rn>{, #+/-<imm8>}]{!}
    public void strhImmediate(int w) {
        store(w, imm8(w), 2);
    }

    // LDRH<c> <Rt>, [<Rn>{, #+/-<imm8>}]{!}
    public void ldrhImmediate(int w) {
        load(w, imm8(w), 2, false);
    }

    // STRH<c> <Rt>, [<Rn>, +/-<Rm>]{!}
    public void strhRegister(int w) {
        store(w, registerOffset(w), 2);
    }

    // LDRH<c> <Rt>, [<Rn>, +/-<Rm>]{!}
    public void ldrhRegister(int w) {
        load(w, registerOffset(w), 2, false);
    }

    // LDRSB<c> <Rt>, [<Rn>{, #+/-<imm8>}]{!}
    public void ldrsbImmediate(int w) {
        load(w, imm8(w), 1, true);
    }

    // LDRSB<c> <Rt>, [<Rn>, +/-<Rm>]{!}
    public void ldrsbRegister(int w) {
        load(w, registerOffset(w), 1, true);
    }

    // LDRSH<c> <Rt>, [<Rn>{, #+/-<imm8>}]{!}
    public void ldrshImmediate(int w) {
        load(w, imm8(w), 2, true);
    }

    // LDRSH<c> <Rt>, [<Rn>, +/-<Rm>]{!}
    public void ldrshRegister(int w) {
        load(w, registerOffset(w), 2, true);
    }

    // LDRD<c> <Rt>, <Rt2>, [<Rn>{, #+/-<imm8>}]{!}
    public void ldrdImmediate(int w) {
        loadDual(w, imm8(w));
    }

    // LDRD<c> <Rt>, <Rt2>, [<Rn>, +/-<Rm>]{!}
    public void ldrdRegister(int w) {
        loadDual(w, registerOffset(w));
    }

    // STRD<c> <Rt>, <Rt2>, [<Rn>{, #+/-<imm8>}]{!}
    public void strdImmediate(int w) {
        storeDual(w, imm8(w));
    }

    // STRD<c> <Rt>, <Rt2>, [<Rn>, +/-<Rm>]{!}
    public void strdRegister(int w) {
        storeDual(w, registerOffset(w));
    }

    // STRHT<c> <Rt>, [<Rn>] {, #+/-<imm8>}
    public void strhtImmediate(int w) {
        store(w, imm8(w), 2, true);
    }

    // LDRHT<c> <Rt>, [<Rn>] {, #+/-<imm8>}
    public void ldrhtImmediate(int w) {
        load(w, imm8(w), 2, false, true);
    }

    // STRHT<c> <Rt>, [<Rn>], +/-<Rm>
    public void strhtRegister(int w) {
        store(w, registerOffset(w), 2, true);
    }

    // LDRHT<c> <Rt>, [<Rn>], +/-<Rm>
    public void ldrhtRegister(int w) {
        load(w, registerOffset(w), 2, false, true);
    }

    // LDRSBT<c> <Rt>, [<Rn>] {, #+/-<imm8>}
    public void ldrsbtImmediate(int w) {
        load(w, imm8(w), 1, true, true);
    }

    // LDRSBT<c> <Rt>, [<Rn>], +/-<Rm>
    public void ldrsbtRegister(int w) {
        load(w, registerOffset(w), 1, true, true);
    }

    // LDRSHT<c> <Rt>, [<Rn>] {, #+/-<imm8>}
    public void ldrshtImmediate(int w) {
        load(w, imm8(w), 2, true, true);
    }

    // LDRSHT<c> <Rt>, [<Rn>], +/-<Rm>
    public void ldrshtRegister(int w) {
        load(w, registerOffset(w), 2, true, true);
    }
}
