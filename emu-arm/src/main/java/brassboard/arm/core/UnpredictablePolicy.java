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
 *   <li>should-be-zero / should-be-one bits are ignored (see {@code encodings.txt});</li>
 *   <li>a load with writeback whose base is also the destination: the loaded value wins;</li>
 *   <li>STM / STR storing their own base register store the value from before the instruction;</li>
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
        /** LDRD / STRD / LDREXD / STREXD with an odd Rt or Rt == 14. QEMU: UNDEFINED. */
        DOUBLEWORD_REGISTER_PAIR(Choice.UNDEFINED),
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
        /** MSR with an empty field mask. */
        MSR_EMPTY_MASK(Choice.NOP),
        /**
         * MRS / MSR (banked register) in User mode, with Rd / Rn == PC, or naming a register the current
         * mode can reach with an ordinary instruction (its own, or r8_usr-r12_usr outside FIQ mode, SP_usr /
         * LR_usr in System mode). QEMU: UNDEFINED. EXECUTE accesses the register named.
         */
        BANKED_REGISTER_ACCESS(Choice.UNDEFINED);

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
