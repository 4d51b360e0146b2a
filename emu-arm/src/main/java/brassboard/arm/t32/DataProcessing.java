package brassboard.arm.t32;

import brassboard.arm.a32.Alu;
import brassboard.arm.core.ArmCore;

/**
 * T32 data-processing instructions (ARM ARM A6.2.1-A6.2.3, A6.3.1, A6.3.3, A6.3.11, A6.3.12 shifts).
 * The 16-bit forms, the shifted-register forms and the register-controlled shifts are the A32
 * instructions of the same operation and are rewritten to them; the modified-immediate forms
 * (ThumbExpandImm, which A32's rotation cannot always express), ORN, ADDW / SUBW and ADR execute here.
 */
final class DataProcessing {
    private static final int S = 1 << 20;

    private final ArmCore core;
    private final int[] r;
    private int shifterCarry;

    DataProcessing(ArmCore core) {
        this.core = core;
        this.r = core.r;
    }

    Binding bind(String name) {
        switch (name) {
            // 16-bit: shift (immediate), add, subtract, move, compare (A6.2.1)
            case "LSL_imm16": return Binding.asA32FlagsOutsideIt(h -> shiftImmediate16(h, Alu.SRTYPE_LSL));
            case "LSR_imm16": return Binding.asA32FlagsOutsideIt(h -> shiftImmediate16(h, Alu.SRTYPE_LSR));
            case "ASR_imm16": return Binding.asA32FlagsOutsideIt(h -> shiftImmediate16(h, Alu.SRTYPE_ASR));
            case "ADD_reg16": return Binding.asA32FlagsOutsideIt(h -> 0xE0900000 | low(h, 3) << 16 | low(h, 0) << 12 | low(h, 6));
            case "SUB_reg16": return Binding.asA32FlagsOutsideIt(h -> 0xE0500000 | low(h, 3) << 16 | low(h, 0) << 12 | low(h, 6));
            case "ADD_imm3": return Binding.asA32FlagsOutsideIt(h -> 0xE2900000 | low(h, 3) << 16 | low(h, 0) << 12 | low(h, 6));
            case "SUB_imm3": return Binding.asA32FlagsOutsideIt(h -> 0xE2500000 | low(h, 3) << 16 | low(h, 0) << 12 | low(h, 6));
            case "MOV_imm8": return Binding.asA32FlagsOutsideIt(h -> 0xE3B00000 | low(h, 8) << 12 | (h & 0xFF));
            case "CMP_imm8": return Binding.asA32(h -> 0xE3500000 | low(h, 8) << 16 | (h & 0xFF));
            case "ADD_imm8": return Binding.asA32FlagsOutsideIt(h -> 0xE2900000 | low(h, 8) * 0x1100 << 4 | (h & 0xFF));
            case "SUB_imm8": return Binding.asA32FlagsOutsideIt(h -> 0xE2500000 | low(h, 8) * 0x1100 << 4 | (h & 0xFF));
            // 16-bit data processing (A6.2.2): <op>S <Rdn>, <Rm>
            case "AND_reg16": return Binding.asA32FlagsOutsideIt(h -> rdnRm(0xE0100000, h));
            case "EOR_reg16": return Binding.asA32FlagsOutsideIt(h -> rdnRm(0xE0300000, h));
            case "LSL_reg16": return Binding.asA32FlagsOutsideIt(h -> shiftRegister16(h, Alu.SRTYPE_LSL));
            case "LSR_reg16": return Binding.asA32FlagsOutsideIt(h -> shiftRegister16(h, Alu.SRTYPE_LSR));
            case "ASR_reg16": return Binding.asA32FlagsOutsideIt(h -> shiftRegister16(h, Alu.SRTYPE_ASR));
            case "ADC_reg16": return Binding.asA32FlagsOutsideIt(h -> rdnRm(0xE0B00000, h));
            case "SBC_reg16": return Binding.asA32FlagsOutsideIt(h -> rdnRm(0xE0D00000, h));
            case "ROR_reg16": return Binding.asA32FlagsOutsideIt(h -> shiftRegister16(h, Alu.SRTYPE_ROR));
            case "TST_reg16": return Binding.asA32(h -> 0xE1100000 | low(h, 0) << 16 | low(h, 3));
            case "RSB_imm16": return Binding.asA32FlagsOutsideIt(h -> 0xE2700000 | low(h, 3) << 16 | low(h, 0) << 12);
            case "CMP_reg16": return Binding.asA32(h -> 0xE1500000 | low(h, 0) << 16 | low(h, 3));
            case "CMN_reg16": return Binding.asA32(h -> 0xE1700000 | low(h, 0) << 16 | low(h, 3));
            case "ORR_reg16": return Binding.asA32FlagsOutsideIt(h -> rdnRm(0xE1900000, h));
            case "BIC_reg16": return Binding.asA32FlagsOutsideIt(h -> rdnRm(0xE1D00000, h));
            case "MVN_reg16": return Binding.asA32FlagsOutsideIt(h -> 0xE1F00000 | low(h, 0) << 12 | low(h, 3));
            // 16-bit special data processing (A6.2.3): high registers, no flags (CMP always)
            case "ADD_hi": return Binding.asA32(h -> 0xE0800000 | high(h) * 0x1100 << 4 | (h >>> 3) & 15);
            case "CMP_hi": return Binding.asA32(h -> 0xE1500000 | high(h) << 16 | (h >>> 3) & 15);
            case "MOV_hi": return Binding.asA32(h -> 0xE1A00000 | high(h) << 12 | (h >>> 3) & 15);
            // SP-relative (A8.8.9, A8.8.226): #imm8:'00' and #imm7:'00' are imm8 ROR 30 in A32's rotation
            case "ADD_sp16": return Binding.asA32(h -> 0xE28D0F00 | low(h, 8) << 12 | (h & 0xFF));
            case "ADD_spsp": return Binding.asA32(h -> 0xE28DDF00 | (h & 0x7F));
            case "SUB_spsp": return Binding.asA32(h -> 0xE24DDF00 | (h & 0x7F));
            case "ADR16": return Binding.execute(this::adr16);
            // 32-bit modified immediate (A6.3.1)
            case "AND_imm32": return Binding.execute(w -> logical(w, rn(w) & expand(w)));
            case "TST_imm32": return Binding.execute(w -> test(rn(w) & expand(w)));
            case "BIC_imm32": return Binding.execute(w -> logical(w, rn(w) & ~expand(w)));
            case "ORR_imm32": return Binding.execute(w -> logical(w, rn(w) | expand(w)));
            case "MOV_imm32": return Binding.execute(w -> logical(w, expand(w)));
            case "ORN_imm32": return Binding.execute(w -> logical(w, rn(w) | ~expand(w)));
            case "MVN_imm32": return Binding.execute(w -> logical(w, ~expand(w)));
            case "EOR_imm32": return Binding.execute(w -> logical(w, rn(w) ^ expand(w)));
            case "TEQ_imm32": return Binding.execute(w -> test(rn(w) ^ expand(w)));
            case "ADD_imm32": return Binding.execute(w -> arithmetic(w, Alu.addWithCarry(rn(w), expand(w), 0)));
            case "CMN_imm32": return Binding.execute(w -> compare(Alu.addWithCarry(rn(w), expand(w), 0)));
            case "ADC_imm32": return Binding.execute(w -> arithmetic(w, Alu.addWithCarry(rn(w), expand(w), core.carry())));
            case "SBC_imm32": return Binding.execute(w -> arithmetic(w, Alu.addWithCarry(rn(w), ~expand(w), core.carry())));
            case "SUB_imm32": return Binding.execute(w -> arithmetic(w, Alu.addWithCarry(rn(w), ~expand(w), 1)));
            case "CMP_imm32": return Binding.execute(w -> compare(Alu.addWithCarry(rn(w), ~expand(w), 1)));
            case "RSB_imm32": return Binding.execute(w -> arithmetic(w, Alu.addWithCarry(~rn(w), expand(w), 1)));
            // 32-bit plain binary immediate (A6.3.3)
            case "ADDW": return Binding.execute(w -> write(w, rn(w) + imm12(w)));
            case "SUBW": return Binding.execute(w -> write(w, rn(w) - imm12(w)));
            case "ADR_add32": return Binding.execute(w -> write(w, (r[15] & ~3) + imm12(w)));
            case "ADR_sub32": return Binding.execute(w -> write(w, (r[15] & ~3) - imm12(w)));
            case "MOVW32": return Binding.asA32(w -> 0xE3000000 | imm16(w));
            case "MOVT32": return Binding.asA32(w -> 0xE3400000 | imm16(w));
            // 32-bit shifted register (A6.3.11): A32's immediate-shift forms, opcode renumbered
            case "AND_reg32": return Binding.asA32(w -> shiftedRegister(w, 0b0000));
            case "TST_reg32": return Binding.asA32(w -> shiftedRegister(w, 0b1000));
            case "BIC_reg32": return Binding.asA32(w -> shiftedRegister(w, 0b1110));
            case "ORR_reg32": return Binding.asA32(w -> shiftedRegister(w, 0b1100));
            case "MOV_reg32": return Binding.asA32(w -> shiftedRegister(w & ~0xF0000, 0b1101));
            case "MVN_reg32": return Binding.asA32(w -> shiftedRegister(w & ~0xF0000, 0b1111));
            case "EOR_reg32": return Binding.asA32(w -> shiftedRegister(w, 0b0001));
            case "TEQ_reg32": return Binding.asA32(w -> shiftedRegister(w, 0b1001));
            case "ADD_reg32": return Binding.asA32(w -> shiftedRegister(w, 0b0100));
            case "CMN_reg32": return Binding.asA32(w -> shiftedRegister(w, 0b1011));
            case "ADC_reg32": return Binding.asA32(w -> shiftedRegister(w, 0b0101));
            case "SBC_reg32": return Binding.asA32(w -> shiftedRegister(w, 0b0110));
            case "SUB_reg32": return Binding.asA32(w -> shiftedRegister(w, 0b0010));
            case "CMP_reg32": return Binding.asA32(w -> shiftedRegister(w, 0b1010));
            case "RSB_reg32": return Binding.asA32(w -> shiftedRegister(w, 0b0011));
            case "ORN_reg32": return Binding.execute(this::ornRegister);
            // 32-bit register-controlled shifts (A6.3.12): MOV{S} <Rd>, <Rn>, <shift> <Rm>
            case "LSL_reg32": return Binding.asA32(w -> shiftRegister32(w, Alu.SRTYPE_LSL));
            case "LSR_reg32": return Binding.asA32(w -> shiftRegister32(w, Alu.SRTYPE_LSR));
            case "ASR_reg32": return Binding.asA32(w -> shiftRegister32(w, Alu.SRTYPE_ASR));
            case "ROR_reg32": return Binding.asA32(w -> shiftRegister32(w, Alu.SRTYPE_ROR));
            default: return null;
        }
    }

    // ---------------------------------------------------------------- rewrites into A32 words

    /** A 3-bit register field of a 16-bit instruction at bit {@code at}. */
    static int low(int h, int at) {
        return (h >>> at) & 7;
    }

    /** D:Rdn of the 16-bit high-register forms. */
    private static int high(int h) {
        return ((h >>> 4) & 8) | (h & 7);
    }

    /** <op>S <Rdn>, <Rm>: Rdn in bits 2:0 is both Rd and Rn. */
    private static int rdnRm(int a32, int h) {
        return a32 | low(h, 0) << 16 | low(h, 0) << 12 | low(h, 3);
    }

    /** LSLS / LSRS / ASRS <Rd>, <Rm>, #imm5 = MOVS <Rd>, <Rm>, <shift> #imm5 (DecodeImmShift as A32). */
    private static int shiftImmediate16(int h, int type) {
        return 0xE1B00000 | low(h, 0) << 12 | ((h >>> 6) & 31) << 7 | type << 5 | low(h, 3);
    }

    /** LSLS <Rdn>, <Rm> = MOVS <Rdn>, <Rdn>, LSL <Rm>. */
    private static int shiftRegister16(int h, int type) {
        return 0xE1B00010 | low(h, 0) << 12 | low(h, 3) << 8 | type << 5 | low(h, 0);
    }

    /** <op>{S} <Rd>, <Rn>, <Rm>{, <shift> #imm3:imm2} as the A32 register form with opcode {@code opcode}. */
    private static int shiftedRegister(int w, int opcode) {
        int imm5 = ((w >>> 10) & 0x1C) | ((w >>> 6) & 3);
        int d = (opcode & 0b1100) == 0b1000 ? 0 : (w >>> 8) & 15;
        return 0xE0000000 | opcode << 21 | (w & S) | (w & 0xF0000) | d << 12 | imm5 << 7 | ((w >>> 4) & 3) << 5 | (w & 15);
    }

    /** LSL{S}.W <Rd>, <Rn>, <Rm> = MOV{S} <Rd>, <Rn>, LSL <Rm>. */
    private static int shiftRegister32(int w, int type) {
        return 0xE1A00010 | (w & S) | ((w >>> 8) & 15) << 12 | (w & 15) << 8 | type << 5 | ((w >>> 16) & 15);
    }

    /** imm4:i:imm3:imm8 into A32 MOVW / MOVT's imm4:imm12, with Rd. */
    private static int imm16(int w) {
        return (w & 0xF0000) | ((w >>> 15) & 0x800) | ((w >>> 4) & 0x700) | (w & 0xFF) | (w & 0xF00) << 4;
    }

    // ---------------------------------------------------------------- T32 handlers

    private int rn(int w) {
        return r[(w >>> 16) & 15];
    }

    /** i:imm3:imm8 of the 32-bit immediate forms. */
    private static int imm12(int w) {
        return ((w >>> 15) & 0x800) | ((w >>> 4) & 0x700) | (w & 0xFF);
    }

    /** ThumbExpandImm_C(i:imm3:imm8, APSR.C), remembering the carry for the logical operations. */
    private int expand(int w) {
        long packed = thumbExpandImmC(imm12(w), core.carry());
        shifterCarry = Alu.carry(packed);
        return Alu.result(packed);
    }

    /** ThumbExpandImm_C(imm12, carry_in) (A6.3.2): (result, carry) packed as {@link Alu} does. */
    static long thumbExpandImmC(int imm12, int carryIn) {
        int imm8 = imm12 & 0xFF;
        if ((imm12 & 0xC00) == 0) {
            switch ((imm12 >>> 8) & 3) {
                case 0: return Alu.pack(imm8, carryIn);
                case 1: return Alu.pack(imm8 * 0x00010001, carryIn);
                case 2: return Alu.pack(imm8 * 0x01000100, carryIn);
                default: return Alu.pack(imm8 * 0x01010101, carryIn);
            }
        }
        int result = Integer.rotateRight(0x80 | (imm12 & 0x7F), (imm12 >>> 7) & 31);
        return Alu.pack(result, result >>> 31);
    }

    /** R[d] = result; d == 15 is UNPREDICTABLE, taken as BranchWritePC (as QEMU). */
    private void write(int w, int result) {
        core.setRegister((w >>> 8) & 15, result);
    }

    private void logical(int w, int result) {
        write(w, result);
        if ((w & S) != 0) {
            core.setNZC(result, shifterCarry);
        }
    }

    private void test(int result) {
        core.setNZC(result, shifterCarry);
    }

    private void arithmetic(int w, long sum) {
        write(w, Alu.result(sum));
        if ((w & S) != 0) {
            core.setNZCV(Alu.result(sum), Alu.carry(sum), Alu.overflow(sum));
        }
    }

    private void compare(long sum) {
        core.setNZCV(Alu.result(sum), Alu.carry(sum), Alu.overflow(sum));
    }

    // ADR <Rd>, <label>   (T1: Align(PC, 4) + imm8:'00')
    private void adr16(int h) {
        r[low(h, 8)] = (r[15] & ~3) + ((h & 0xFF) << 2);
    }

    // ORN{S} <Rd>, <Rn>, <Rm>{, <shift>}
    private void ornRegister(int w) {
        int imm5 = ((w >>> 10) & 0x1C) | ((w >>> 6) & 3);
        long packed = Alu.immShiftC(r[w & 15], (w >>> 4) & 3, imm5, core.carry());
        shifterCarry = Alu.carry(packed);
        logical(w, rn(w) | ~Alu.result(packed));
    }
}
