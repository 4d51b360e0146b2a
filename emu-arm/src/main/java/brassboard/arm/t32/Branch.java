package brassboard.arm.t32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.Psr;
import brassboard.arm.core.UnpredictablePolicy;

/**
 * T32 branches (ARM ARM A6.2.6, A6.3.4, A8.8.18 B, A8.8.25 BL / BLX (immediate), A8.8.27 BLX
 * (register), A8.8.29 CBNZ / CBZ, A8.8.238 TBB / TBH). PC-relative targets are computed from r15,
 * the instruction's address + 4; BX and BXJ are A32's (they only read a register).
 */
final class Branch {
    private final ArmCore core;
    private final int[] r;

    Branch(ArmCore core) {
        this.core = core;
        this.r = core.r;
    }

    Binding bind(String name) {
        switch (name) {
            case "B_cond16": return Binding.execute(this::bConditional16);
            case "B16": return Binding.execute(this::b16);
            case "B_cond32": return Binding.execute(this::bConditional32);
            case "B32": return Binding.execute(this::b32);
            case "BL32": return Binding.execute(this::bl);
            case "BLX_imm32": return Binding.execute(this::blxImmediate);
            case "CBZ": return Binding.execute(w -> compareAndBranch(w, false));
            case "CBNZ": return Binding.execute(w -> compareAndBranch(w, true));
            case "BX16": return Binding.asA32(h -> 0xE12FFF10 | (h >>> 3) & 15);
            case "BLX_reg16": return Binding.execute(this::blxRegister);
            case "BXJ32": return Binding.asA32(w -> 0xE12FFF20 | (w >>> 16) & 15);
            case "TBB": return Binding.execute(w -> tableBranch(w, false));
            case "TBH": return Binding.execute(w -> tableBranch(w, true));
            default: return null;
        }
    }

    /** Whether this conditional branch is inside an IT block and the policy stops it there. */
    private boolean inItBlock() {
        return (core.psr & Psr.IT) != 0
                && core.policy.unpredictable(UnpredictablePolicy.Case.T32_CONDITIONAL_BRANCH_IN_IT_BLOCK);
    }

    /**
     * The target of a B / B{cond} (16- or 32-bit) at {@code pc}, whatever the condition; -1 for any
     * other instruction (a block's self-loop test: the run-time check is the PC it left at).
     */
    static int staticTarget(int insn, int pc) {
        boolean wide = T32Decoder.isWide(insn >>> 16);
        int e = wide ? T32Decoder.decodeWide(insn) : T32Decoder.decodeNarrow(insn);
        if (e == T32Decoder.UNDEFINED) {
            return -1;
        }
        switch (T32Decoder.encoding(e).name()) {
            case "B16": return pc + 4 + ((insn << 21) >> 20);
            case "B_cond16": return pc + 4 + ((insn << 24) >> 23);
            case "B32": return pc + 4 + offset24(insn);
            case "B_cond32": {
                int s = (insn >>> 26) & 1;
                int offset = (s << 20) | (((insn >>> 11) & 1) << 19) | (((insn >>> 13) & 1) << 18) | ((insn >>> 4) & 0x3F000)
                        | ((insn & 0x7FF) << 1);
                return pc + 4 + ((offset << 11) >> 11);
            }
            default: return -1;
        }
    }

    // B<c> <label>   (T1, outside an IT block)
    private void bConditional16(int h) {
        if (!inItBlock() && core.conditionPassed((h >>> 8) & 15)) {
            core.thumbBranchWritePc(r[15] + ((h << 24) >> 23));
        }
    }

    // B <label>   (T2)
    private void b16(int h) {
        core.thumbBranchWritePc(r[15] + ((h << 21) >> 20));
    }

    // B<c>.W <label>   (T3: SignExtend(S:J2:J1:imm6:imm11:'0', 32))
    private void bConditional32(int w) {
        if (!inItBlock() && core.conditionPassed((w >>> 22) & 15)) {
            int s = (w >>> 26) & 1;
            int j1 = (w >>> 13) & 1;
            int j2 = (w >>> 11) & 1;
            int offset = (s << 20) | (j2 << 19) | (j1 << 18) | ((w >>> 4) & 0x3F000) | ((w & 0x7FF) << 1);
            core.thumbBranchWritePc(r[15] + ((offset << 11) >> 11));
        }
    }

    /** SignExtend(S:I1:I2:imm10:imm11:'0', 32), I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S) (T4, BL). */
    private static int offset24(int w) {
        int s = (w >>> 26) & 1;
        int i1 = ~((w >>> 13) ^ s) & 1;
        int i2 = ~((w >>> 11) ^ s) & 1;
        int offset = (s << 24) | (i1 << 23) | (i2 << 22) | ((w >>> 4) & 0x3FF000) | ((w & 0x7FF) << 1);
        return (offset << 7) >> 7;
    }

    // B<c>.W <label>   (T4)
    private void b32(int w) {
        core.thumbBranchWritePc(r[15] + offset24(w));
    }

    // BL<c> <label>
    private void bl(int w) {
        r[14] = core.nextPc | 1;
        core.thumbBranchWritePc(r[15] + offset24(w));
    }

    // BLX<c> <label>   (to ARM state, target Align(PC, 4) + imm32)
    private void blxImmediate(int w) {
        r[14] = core.nextPc | 1;
        core.bxWritePc(((r[15] & ~3) + offset24(w)) & ~3);
    }

    // BLX<c> <Rm>
    private void blxRegister(int h) {
        int target = r[(h >>> 3) & 15];
        r[14] = core.nextPc | 1;
        core.bxWritePc(target);
    }

    // CB{N}Z <Rn>, <label>
    private void compareAndBranch(int h, boolean nonZero) {
        if ((r[h & 7] != 0) == nonZero) {
            core.thumbBranchWritePc(r[15] + (((h >>> 2) & 0x3E) | ((h >>> 3) & 0x40)));
        }
    }

    // TBB<c> [<Rn>, <Rm>]  /  TBH<c> [<Rn>, <Rm>, LSL #1]
    private void tableBranch(int w, boolean halfword) {
        int base = r[(w >>> 16) & 15];
        int index = r[w & 15];
        long entry = halfword ? core.read(base + (index << 1), 2, false) : core.read(base + index, 1, false);
        if (entry == ArmCore.ABORTED) {
            return;
        }
        core.thumbBranchWritePc(r[15] + 2 * (int) entry);
    }
}
