package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.UnpredictablePolicy;

/**
 * Data-processing instructions (ARM ARM A5.2.1-A5.2.3, A8.8): the 16 opcodes in immediate, register
 * (immediate shift) and register-shifted register forms, and MOVW / MOVT. Each form computes its
 * shifter operand (and shifter carry) and hands it to the opcode's operation.
 */
public final class DataProcessing {
    private static final int S_BIT = 1 << 20;

    private final ArmCore core;
    private final int[] r;
    /**
     * The shifter carry-out of the last operand computed, for the C flag of the logical operations.
     * Only flag-setting forms (S set; TST and TEQ always) read it, so only they store it: for a
     * translated block the word is a constant and the store folds away where it is not needed.
     */
    private int shifterCarry;

    public DataProcessing(ArmCore core) {
        this.core = core;
        this.r = core.r;
    }

    // ---------------------------------------------------------------- shifter operands

    /** ARMExpandImm_C(imm12, APSR.C). */
    private int immediate(int w) {
        long packed = Alu.armExpandImmC(w & 0xFFF, core.carry());
        if ((w & S_BIT) != 0) {
            shifterCarry = Alu.carry(packed);
        }
        return Alu.result(packed);
    }

    /** Shift_C(R[m], DecodeImmShift(type, imm5), APSR.C). */
    private int register(int w) {
        long packed = Alu.immShiftC(r[w & 15], (w >>> 5) & 3, (w >>> 7) & 31, core.carry());
        if ((w & S_BIT) != 0) {
            shifterCarry = Alu.carry(packed);
        }
        return Alu.result(packed);
    }

    /** Shift_C(R[m], DecodeRegShift(type), UInt(R[s]<7:0>), APSR.C). */
    private int registerShiftedRegister(int w) {
        int amount = r[(w >>> 8) & 15] & 0xFF;
        long packed = Alu.shiftC(r[w & 15], (w >>> 5) & 3, amount, core.carry());
        if ((w & S_BIT) != 0) {
            shifterCarry = Alu.carry(packed);
        }
        return Alu.result(packed);
    }

    private int rn(int w) {
        return r[(w >>> 16) & 15];
    }

    // ---------------------------------------------------------------- results

    /** Writes a logical result: R[d] (or the PC) and, with S, N Z C from the result and the shifter. */
    private void logical(int w, int result) {
        int d = (w >>> 12) & 15;
        if (d == 15) {
            writePc(w, result);
            return;
        }
        r[d] = result;
        if ((w & S_BIT) != 0) {
            core.setNZC(result, shifterCarry);
        }
    }

    /** Writes an arithmetic result from AddWithCarry: R[d] (or the PC) and, with S, N Z C V. */
    private void arithmetic(int w, long sum) {
        int d = (w >>> 12) & 15;
        int result = Alu.result(sum);
        if (d == 15) {
            writePc(w, result);
            return;
        }
        r[d] = result;
        if ((w & S_BIT) != 0) {
            core.setNZCV(result, Alu.carry(sum), Alu.overflow(sum));
        }
    }

    /** Rd == 15: ALUWritePC, or with S the exception return (SUBS PC, LR and friends, B9.3.20). */
    private void writePc(int w, int result) {
        if ((w & S_BIT) == 0) {
            core.aluWritePc(result);
            return;
        }
        if (!core.hasSpsr() && core.policy.unpredictable(UnpredictablePolicy.Case.EXCEPTION_RETURN_WITHOUT_SPSR)) {
            return;
        }
        core.exceptionReturn(result, core.spsr());
    }

    private void compareFlags(long sum) {
        core.setNZCV(Alu.result(sum), Alu.carry(sum), Alu.overflow(sum));
    }

    // ---------------------------------------------------------------- the operations

    private void and(int w, int op2) {
        logical(w, rn(w) & op2);
    }

    private void eor(int w, int op2) {
        logical(w, rn(w) ^ op2);
    }

    private void sub(int w, int op2) {
        arithmetic(w, Alu.addWithCarry(rn(w), ~op2, 1));
    }

    private void rsb(int w, int op2) {
        arithmetic(w, Alu.addWithCarry(~rn(w), op2, 1));
    }

    private void add(int w, int op2) {
        arithmetic(w, Alu.addWithCarry(rn(w), op2, 0));
    }

    private void adc(int w, int op2) {
        arithmetic(w, Alu.addWithCarry(rn(w), op2, core.carry()));
    }

    private void sbc(int w, int op2) {
        arithmetic(w, Alu.addWithCarry(rn(w), ~op2, core.carry()));
    }

    private void rsc(int w, int op2) {
        arithmetic(w, Alu.addWithCarry(~rn(w), op2, core.carry()));
    }

    private void tst(int w, int op2) {
        core.setNZC(rn(w) & op2, shifterCarry);
    }

    private void teq(int w, int op2) {
        core.setNZC(rn(w) ^ op2, shifterCarry);
    }

    private void cmp(int w, int op2) {
        compareFlags(Alu.addWithCarry(rn(w), ~op2, 1));
    }

    private void cmn(int w, int op2) {
        compareFlags(Alu.addWithCarry(rn(w), op2, 0));
    }

    private void orr(int w, int op2) {
        logical(w, rn(w) | op2);
    }

    private void mov(int w, int op2) {
        logical(w, op2);
    }

    private void bic(int w, int op2) {
        logical(w, rn(w) & ~op2);
    }

    private void mvn(int w, int op2) {
        logical(w, ~op2);
    }

    // ---------------------------------------------------------------- encodings

    // AND{S}<c> <Rd>, <Rn>, #<const>
    public void andImmediate(int w) {
        and(w, immediate(w));
    }

    // AND{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
    public void andRegister(int w) {
        and(w, register(w));
    }

    // AND{S}<c> <Rd>, <Rn>, <Rm>, <type> <Rs>
    public void andRegisterShiftedRegister(int w) {
        and(w, registerShiftedRegister(w));
    }

    // EOR{S}<c> <Rd>, <Rn>, #<const>
    public void eorImmediate(int w) {
        eor(w, immediate(w));
    }

    // EOR{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
    public void eorRegister(int w) {
        eor(w, register(w));
    }

    // EOR{S}<c> <Rd>, <Rn>, <Rm>, <type> <Rs>
    public void eorRegisterShiftedRegister(int w) {
        eor(w, registerShiftedRegister(w));
    }

    // SUB{S}<c> <Rd>, <Rn>, #<const>   (also ADR, SUBS PC, LR, #<const>)
    public void subImmediate(int w) {
        sub(w, immediate(w));
    }

    // SUB{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
    public void subRegister(int w) {
        sub(w, register(w));
    }

    // SUB{S}<c> <Rd>, <Rn>, <Rm>, <type> <Rs>
    public void subRegisterShiftedRegister(int w) {
        sub(w, registerShiftedRegister(w));
    }

    // RSB{S}<c> <Rd>, <Rn>, #<const>
    public void rsbImmediate(int w) {
        rsb(w, immediate(w));
    }

    // RSB{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
    public void rsbRegister(int w) {
        rsb(w, register(w));
    }

    // RSB{S}<c> <Rd>, <Rn>, <Rm>, <type> <Rs>
    public void rsbRegisterShiftedRegister(int w) {
        rsb(w, registerShiftedRegister(w));
    }

    // ADD{S}<c> <Rd>, <Rn>, #<const>   (also ADR)
    public void addImmediate(int w) {
        add(w, immediate(w));
    }

    // ADD{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
    public void addRegister(int w) {
        add(w, register(w));
    }

    // ADD{S}<c> <Rd>, <Rn>, <Rm>, <type> <Rs>
    public void addRegisterShiftedRegister(int w) {
        add(w, registerShiftedRegister(w));
    }

    // ADC{S}<c> <Rd>, <Rn>, #<const>
    public void adcImmediate(int w) {
        adc(w, immediate(w));
    }

    // ADC{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
    public void adcRegister(int w) {
        adc(w, register(w));
    }

    // ADC{S}<c> <Rd>, <Rn>, <Rm>, <type> <Rs>
    public void adcRegisterShiftedRegister(int w) {
        adc(w, registerShiftedRegister(w));
    }

    // SBC{S}<c> <Rd>, <Rn>, #<const>
    public void sbcImmediate(int w) {
        sbc(w, immediate(w));
    }

    // SBC{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
    public void sbcRegister(int w) {
        sbc(w, register(w));
    }

    // SBC{S}<c> <Rd>, <Rn>, <Rm>, <type> <Rs>
    public void sbcRegisterShiftedRegister(int w) {
        sbc(w, registerShiftedRegister(w));
    }

    // RSC{S}<c> <Rd>, <Rn>, #<const>
    public void rscImmediate(int w) {
        rsc(w, immediate(w));
    }

    // RSC{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
    public void rscRegister(int w) {
        rsc(w, register(w));
    }

    // RSC{S}<c> <Rd>, <Rn>, <Rm>, <type> <Rs>
    public void rscRegisterShiftedRegister(int w) {
        rsc(w, registerShiftedRegister(w));
    }

    // TST<c> <Rn>, #<const>
    public void tstImmediate(int w) {
        tst(w, immediate(w));
    }

    // TST<c> <Rn>, <Rm>{, <shift>}
    public void tstRegister(int w) {
        tst(w, register(w));
    }

    // TST<c> <Rn>, <Rm>, <type> <Rs>
    public void tstRegisterShiftedRegister(int w) {
        tst(w, registerShiftedRegister(w));
    }

    // TEQ<c> <Rn>, #<const>
    public void teqImmediate(int w) {
        teq(w, immediate(w));
    }

    // TEQ<c> <Rn>, <Rm>{, <shift>}
    public void teqRegister(int w) {
        teq(w, register(w));
    }

    // TEQ<c> <Rn>, <Rm>, <type> <Rs>
    public void teqRegisterShiftedRegister(int w) {
        teq(w, registerShiftedRegister(w));
    }

    // CMP<c> <Rn>, #<const>
    public void cmpImmediate(int w) {
        cmp(w, immediate(w));
    }

    // CMP<c> <Rn>, <Rm>{, <shift>}
    public void cmpRegister(int w) {
        cmp(w, register(w));
    }

    // CMP<c> <Rn>, <Rm>, <type> <Rs>
    public void cmpRegisterShiftedRegister(int w) {
        cmp(w, registerShiftedRegister(w));
    }

    // CMN<c> <Rn>, #<const>
    public void cmnImmediate(int w) {
        cmn(w, immediate(w));
    }

    // CMN<c> <Rn>, <Rm>{, <shift>}
    public void cmnRegister(int w) {
        cmn(w, register(w));
    }

    // CMN<c> <Rn>, <Rm>, <type> <Rs>
    public void cmnRegisterShiftedRegister(int w) {
        cmn(w, registerShiftedRegister(w));
    }

    // ORR{S}<c> <Rd>, <Rn>, #<const>
    public void orrImmediate(int w) {
        orr(w, immediate(w));
    }

    // ORR{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
    public void orrRegister(int w) {
        orr(w, register(w));
    }

    // ORR{S}<c> <Rd>, <Rn>, <Rm>, <type> <Rs>
    public void orrRegisterShiftedRegister(int w) {
        orr(w, registerShiftedRegister(w));
    }

    // MOV{S}<c> <Rd>, #<const>
    public void movImmediate(int w) {
        mov(w, immediate(w));
    }

    // MOV{S}<c> <Rd>, <Rm>{, <shift>}   (also LSL/LSR/ASR/ROR #<imm>, RRX, MOVS PC, LR)
    public void movRegister(int w) {
        mov(w, register(w));
    }

    // MOV{S}<c> <Rd>, <Rm>, <type> <Rs>   (also LSL/LSR/ASR/ROR <Rs>)
    public void movRegisterShiftedRegister(int w) {
        mov(w, registerShiftedRegister(w));
    }

    // BIC{S}<c> <Rd>, <Rn>, #<const>
    public void bicImmediate(int w) {
        bic(w, immediate(w));
    }

    // BIC{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
    public void bicRegister(int w) {
        bic(w, register(w));
    }

    // BIC{S}<c> <Rd>, <Rn>, <Rm>, <type> <Rs>
    public void bicRegisterShiftedRegister(int w) {
        bic(w, registerShiftedRegister(w));
    }

    // MVN{S}<c> <Rd>, #<const>
    public void mvnImmediate(int w) {
        mvn(w, immediate(w));
    }

    // MVN{S}<c> <Rd>, <Rm>{, <shift>}
    public void mvnRegister(int w) {
        mvn(w, register(w));
    }

    // MVN{S}<c> <Rd>, <Rm>, <type> <Rs>
    public void mvnRegisterShiftedRegister(int w) {
        mvn(w, registerShiftedRegister(w));
    }

    // MOVW<c> <Rd>, #<imm16>
    public void movw(int w) {
        core.setRegister((w >>> 12) & 15, ((w >>> 4) & 0xF000) | (w & 0xFFF));
    }

    // MOVT<c> <Rd>, #<imm16>
    public void movt(int w) {
        int d = (w >>> 12) & 15;
        int imm16 = ((w >>> 4) & 0xF000) | (w & 0xFFF);
        core.setRegister(d, (imm16 << 16) | (r[d] & 0xFFFF));
    }
}
