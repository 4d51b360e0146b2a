package brassboard.arm.core;

/**
 * The one place that decides what UNDEFINED and UNPREDICTABLE encodings do.
 *
 * <p>UNDEFINED always takes the Undefined Instruction exception ({@link #undefined()}). For
 * UNPREDICTABLE, each {@link Case} the handlers check has a default {@link Choice} that follows what
 * QEMU does for a Cortex-A15 where known, else UNDEFINED; a test or a fuzzing campaign may change it
 * per case. UNPREDICTABLE cases the handlers do not check execute the ARM ARM pseudocode with the
 * check removed (QEMU does the same for them), with these fixed choices, documented here once:
 * <ul>
 *   <li>should-be-zero / should-be-one bits are ignored, except in the encodings where QEMU decodes
 *       them as fixed, which are UNDEFINED on a violation (see {@code encodings.txt});</li>
 *   <li>a single-register load (LDR, LDRB, LDRH, LDRSB, LDRSH and their T forms) with writeback whose
 *       base is also the destination: the loaded value wins, as the pseudocode writes the base first
 *       (QEMU the same). LDRD is different: its pseudocode writes the base last, so the writeback value
 *       wins ({@link Case#LOAD_DUAL_WRITEBACK_OVERLAP});</li>
 *   <li>STM / STR / STRD storing their own base register with writeback store the value from before
 *       the instruction, whether or not it is the lowest register in an STM's list (QEMU the same);</li>
 *   <li>PC written where only "R[d] = value" is specified (MOVW PC, MUL PC, ...): BranchWritePC;</li>
 *   <li>BX / ALU / load writes of an address with bits [1:0] == 10 in ARM state: bit 1 is cleared;</li>
 *   <li>an MSR / CPS / exception return naming an unimplemented mode (Hyp, Monitor, reserved):
 *       the mode field is left unchanged, every other field is written (QEMU's bad_mode_switch).</li>
 * </ul>
 */
public final class UnpredictablePolicy {
    /** What an UNPREDICTABLE case does. */
    public enum Choice {
        /** Take the Undefined Instruction exception. */
        UNDEFINED,
        /** Do nothing (the instruction retires as a NOP). */
        NOP,
        /** Execute the pseudocode as if the UNPREDICTABLE check were absent. */
        EXECUTE
    }

    /** The UNPREDICTABLE cases the handlers check. */
    public enum Case {
        /**
         * LDRD / STRD / LDREXD / STREXD with an odd Rt, or LDREXD / STREXD with Rt == 14 (Rt2 == PC).
         * QEMU: UNDEFINED. (LDRD / STRD with Rt == 14 is {@link #LOAD_STORE_DUAL_PC}.)
         */
        DOUBLEWORD_REGISTER_PAIR(Choice.UNDEFINED),
        /**
         * LDRD / STRD with Rt == 14, so that Rt2 is the PC. QEMU: executes; LDRD writes the second word
         * to the PC as BranchWritePC (bits 1:0 cleared, no interworking), STRD stores the address + 8.
         */
        LOAD_STORE_DUAL_PC(Choice.EXECUTE),
        /** LDRD / STRD with P == 0 and W == 1 (there is no unprivileged doubleword form). QEMU: UNDEFINED. */
        LOAD_STORE_DUAL_POST_INDEX_WRITEBACK(Choice.UNDEFINED),
        /**
         * LDRD with writeback (pre- or post-indexed) whose base is Rt or Rt2. QEMU: executes with the
         * writeback value winning, which is the pseudocode's order (base written after the loads).
         */
        LOAD_DUAL_WRITEBACK_OVERLAP(Choice.EXECUTE),
        /**
         * LDM (any addressing mode, also the exception-return form) with writeback and the base register
         * in the list (ARMv7). QEMU: UNDEFINED. EXECUTE: the loaded value wins.
         */
        LOAD_MULTIPLE_WRITEBACK_BASE_IN_LIST(Choice.UNDEFINED),
        /**
         * STREX / STREXB / STREXH / STREXD whose status register Rd is also Rn, Rt or (STREXD) Rt2.
         * QEMU: UNDEFINED. EXECUTE: the store uses the old values, then Rd gets the status.
         */
        STORE_EXCLUSIVE_STATUS_OVERLAP(Choice.UNDEFINED),
        /**
         * LDREX* / STREX* with Rd, Rt or Rn == PC (the doubleword forms' Rt2 == PC is
         * {@link #DOUBLEWORD_REGISTER_PAIR}). QEMU: UNDEFINED. EXECUTE: PC reads as the address + 8, a
         * PC destination is BranchWritePC.
         */
        EXCLUSIVE_PC_OPERAND(Choice.UNDEFINED),
        /** SUBS PC, LR / MOVS PC / LDM ^ with PC / ERET / RFE in User or System mode (no SPSR). QEMU: UNDEFINED in User. */
        EXCEPTION_RETURN_WITHOUT_SPSR(Choice.UNDEFINED),
        /** MRS / MSR of the SPSR, or SRS, in User or System mode. QEMU: UNDEFINED in User. */
        SPSR_ACCESS_WITHOUT_SPSR(Choice.UNDEFINED),
        /** LDM / STM of the User registers (the ^ forms) executed in User mode. QEMU: UNDEFINED. */
        USER_REGISTERS_IN_USER_MODE(Choice.UNDEFINED),
        /** LDM / STM with an empty register list or with Rn == PC. QEMU: UNDEFINED. */
        BAD_REGISTER_LIST(Choice.UNDEFINED),
        /** SRS naming a mode that is not implemented or that has no SPSR. */
        SRS_BAD_MODE(Choice.UNDEFINED),
        /** SBFX / UBFX whose field runs past bit 31. QEMU: UNDEFINED. */
        BITFIELD_OUT_OF_RANGE(Choice.UNDEFINED),
        /** BFC / BFI with msb < lsb. QEMU: UNDEFINED. EXECUTE: Rd is rewritten unchanged. */
        BITFIELD_MSB_BELOW_LSB(Choice.UNDEFINED),
        /** MSR with an empty field mask. */
        MSR_EMPTY_MASK(Choice.NOP),
        /**
         * MRS / MSR (banked register) in User mode, with Rd / Rn == PC, or naming a register the current
         * mode can reach with an ordinary instruction (its own, or r8_usr-r12_usr outside FIQ mode, SP_usr /
         * LR_usr in System mode). QEMU: UNDEFINED. EXECUTE accesses the register named.
         */
        BANKED_REGISTER_ACCESS(Choice.UNDEFINED),
        /**
         * T32 LDM / STM (32-bit forms) with fewer than two registers, or an STM with writeback and Rn in the
         * list. QEMU: UNDEFINED (checked with qemu-arm: 0xE8950002, 0xE8A50022). EXECUTE: as A32 does.
         */
        T32_REGISTER_LIST(Choice.UNDEFINED),
        /** A T32 conditional branch (B{cond}, 16- or 32-bit) inside an IT block. QEMU: UNDEFINED (checked: BF08 D000). */
        T32_CONDITIONAL_BRANCH_IN_IT_BLOCK(Choice.UNDEFINED),
        /**
         * VFP / Advanced SIMD register lists that run past the last register: VLDM / VSTM of no register,
         * of more than 16 D registers or past D31 / S31, VLDM / VSTM with writeback of the PC, VLDn / VSTn
         * past D31 or with Rn == PC, VTBL / VTBX lists past D31. QEMU: UNDEFINED (checked for VLDM / VSTM).
         */
        VFP_REGISTER_RANGE(Choice.UNDEFINED),
        /**
         * VMOV between two core registers and S31 and the S register after it. QEMU (checked): executes,
         * the register after S31 being the low half of D16 ("S32"). EXECUTE does the same.
         */
        VMOV_S31_PAIR(Choice.EXECUTE),
        /**
         * VCVT between floating point and 16-bit fixed point with more than 16 fraction bits. QEMU
         * (checked): executes with the negative fraction-bit count, scaling by a power of two. EXECUTE
         * does the same.
         */
        VCVT_FRACTION_BITS(Choice.EXECUTE);

        final Choice defaultChoice;

        Case(Choice defaultChoice) {
            this.defaultChoice = defaultChoice;
        }
    }

    private final ArmCore core;
    private final Choice[] choices = new Choice[Case.values().length];

    UnpredictablePolicy(ArmCore core) {
        this.core = core;
        for (Case c : Case.values()) {
            choices[c.ordinal()] = c.defaultChoice;
        }
    }

    /** The instruction is UNDEFINED: take the Undefined Instruction exception. */
    public void undefined() {
        core.undefinedInstruction();
    }

    /**
     * The instruction hit UNPREDICTABLE case {@code c}. Returns {@code true} when the handler must stop
     * here (the policy made it UNDEFINED, and the exception is already taken, or a NOP), {@code false}
     * when it must go on executing as the pseudocode says.
     */
    public boolean unpredictable(Case c) {
        switch (choices[c.ordinal()]) {
            case UNDEFINED:
                core.undefinedInstruction();
                return true;
            case NOP:
                return true;
            default:
                return false;
        }
    }

    /** Changes the choice for one case (tests, differential fuzzing against another implementation). */
    public void setChoice(Case c, Choice choice) {
        choices[c.ordinal()] = choice;
    }

    public Choice choice(Case c) {
        return choices[c.ordinal()];
    }
}
