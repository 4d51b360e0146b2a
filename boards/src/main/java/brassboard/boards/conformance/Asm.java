package brassboard.boards.conformance;

/** The few A32 encodings the harness itself is written in (condition AL unless stated). */
public final class Asm {
    static final int SP = 13;
    static final int LR = 14;

    private Asm() {
    }

    static final int VLDMIA_R0_D0_D15 = 0xECB0_0B20;
    static final int VLDMIA_R0_D16_D31 = 0xECF0_0B20;
    static final int VSTMIA_R0_D0_D15 = 0xECA0_0B20;
    static final int VSTMIA_R0_D16_D31 = 0xECE0_0B20;
    static final int VMSR_FPSCR_R1 = 0xEEE1_1A10;
    static final int VMRS_R1_FPSCR = 0xEEF1_1A10;

    // MOVW<c> <Rd>, #<imm16>
    public static int movw(int rd, int imm16) {
        return 0xE300_0000 | ((imm16 >>> 12) & 0xF) << 16 | rd << 12 | (imm16 & 0xFFF);
    }

    // MOVT<c> <Rd>, #<imm16>
    public static int movt(int rd, int imm16) {
        return 0xE340_0000 | ((imm16 >>> 12) & 0xF) << 16 | rd << 12 | (imm16 & 0xFFF);
    }

    // MOV<c> <Rd>, #<imm8>
    static int movImm(int rd, int imm8) {
        return 0xE3A0_0000 | rd << 12 | checkImm8(imm8);
    }

    // MOV<c> <Rd>, <Rm>
    static int movReg(int rd, int rm) {
        return 0xE1A0_0000 | rd << 12 | rm;
    }

    // ADD<c> <Rd>, <Rn>, #<imm8>
    static int addImm(int rd, int rn, int imm8) {
        return 0xE280_0000 | rn << 16 | rd << 12 | checkImm8(imm8);
    }

    // ADD<c> <Rd>, <Rn>, <Rm>
    static int addReg(int rd, int rn, int rm) {
        return 0xE080_0000 | rn << 16 | rd << 12 | rm;
    }

    // SUBS<c> <Rd>, <Rn>, #<imm8>
    static int subsImm(int rd, int rn, int imm8) {
        return 0xE250_0000 | rn << 16 | rd << 12 | checkImm8(imm8);
    }

    // SUBS<c> <Rd>, <Rn>, <Rm>
    static int subsReg(int rd, int rn, int rm) {
        return 0xE050_0000 | rn << 16 | rd << 12 | rm;
    }

    // CMP<c> <Rn>, #<imm8>
    static int cmpImm(int rn, int imm8) {
        return 0xE350_0000 | rn << 16 | checkImm8(imm8);
    }

    // LDR<c> <Rt>, [<Rn>, #<imm12>]
    static int ldrImm(int rt, int rn, int imm12) {
        return 0xE590_0000 | rn << 16 | rt << 12 | imm12;
    }

    // STR<c> <Rt>, [<Rn>, #<imm12>]
    static int strImm(int rt, int rn, int imm12) {
        return 0xE580_0000 | rn << 16 | rt << 12 | imm12;
    }

    // LDM<c> <Rn>{!}, <registers>
    static int ldm(int rn, boolean writeback, int list) {
        return 0xE890_0000 | (writeback ? 1 << 21 : 0) | rn << 16 | list;
    }

    // STM<c> <Rn>{!}, <registers>
    static int stm(int rn, boolean writeback, int list) {
        return 0xE880_0000 | (writeback ? 1 << 21 : 0) | rn << 16 | list;
    }

    // MSR<c> APSR_nzcvqg, <Rn>
    static int msrApsrNzcvqg(int rn) {
        return 0xE12C_F000 | rn;
    }

    // MRS<c> <Rd>, APSR
    static int mrsApsr(int rd) {
        return 0xE10F_0000 | rd << 12;
    }

    // CLREX
    static int clrex() {
        return 0xF57F_F01F;
    }

    // BX<c> <Rm>
    static int bx(int rm) {
        return 0xE12F_FF10 | rm;
    }

    // SVC<c> #<imm24>
    static int svc(int imm24) {
        return 0xEF00_0000 | imm24;
    }

    // B<c> <label>, from the word at index {@code from} to the word at index {@code to}
    static int b(int cond, int from, int to) {
        return cond << 28 | 0x0A00_0000 | ((to - from - 2) & 0x00FF_FFFF);
    }

    // BL<c> <label>
    static int bl(int from, int to) {
        return 0xEB00_0000 | ((to - from - 2) & 0x00FF_FFFF);
    }

    private static int checkImm8(int imm8) {
        if (imm8 < 0 || imm8 > 255) {
            throw new IllegalArgumentException("immediate " + imm8 + " is not an 8-bit value");
        }
        return imm8;
    }

    // ------------------------------------------------------------------ interworking and the T32 harness

    /** BLX <label> from A32 at {@code from} to T32 code at {@code to}. */
    static int blxToThumb(int from, int to) {
        int offset = to - (from + 8);
        return 0xFA00_0000 | ((offset >>> 1) & 1) << 24 | ((offset >> 2) & 0x00FF_FFFF);
    }

    /** T32 BLX <label> (hw1:hw2) from {@code from} to A32 code at {@code to} (word-aligned). */
    static int t32BlxToArm(int from, int to) {
        int offset = to - ((from + 4) & ~3);
        int s = (offset >>> 24) & 1;
        int j1 = ~(((offset >>> 23) & 1) ^ s) & 1;
        int j2 = ~(((offset >>> 22) & 1) ^ s) & 1;
        int hw1 = 0xF000 | s << 10 | ((offset >>> 12) & 0x3FF);
        int hw2 = 0xC000 | j1 << 13 | j2 << 11 | ((offset >>> 1) & 0x7FE);
        return hw1 << 16 | hw2;
    }

    /** T32 MOVW <Rd>, #<imm16>. */
    static int t32Movw(int rd, int imm16) {
        return t32Mov16(0xF240_0000, rd, imm16);
    }

    /** T32 MOVT <Rd>, #<imm16>. */
    static int t32Movt(int rd, int imm16) {
        return t32Mov16(0xF2C0_0000, rd, imm16);
    }

    private static int t32Mov16(int base, int rd, int imm16) {
        return base | ((imm16 >>> 12) & 15) << 16 | ((imm16 >>> 11) & 1) << 26 | ((imm16 >>> 8) & 7) << 12 | rd << 8 | (imm16 & 0xFF);
    }

    /** MOV sp, r0 (16-bit). */
    static final int T16_MOV_SP_R0 = 0x4685;
    static final int T32_CLREX = 0xF3BF_8F2F;
    /** LDR.W r0, [sp, #56] (the PSR word of the state block). */
    static final int T32_LDR_R0_SP_PSR = 0xF8DD_0000 | Harness.PSR_OFFSET;
    /** STR.W r0, [sp, #56]. */
    static final int T32_STR_R0_SP_PSR = 0xF8CD_0000 | Harness.PSR_OFFSET;
    static final int T32_MSR_APSR_NZCVQG_R0 = 0xF380_8C00;
    static final int T32_MRS_R0_APSR = 0xF3EF_8000;
    /** LDMIA.W sp, {r0-r12, lr}. */
    static final int T32_LDM_SP_R0_R12_LR = 0xE89D_5FFF;
    /** STMIA.W sp, {r0-r12, lr}. */
    static final int T32_STM_SP_R0_R12_LR = 0xE88D_5FFF;
    /** add.w r0, sp, r1 (ADD (SP plus register), encoding T3). */
    static final int T32_ADD_R0_SP_R1 = 0xEB0D_0001;
    /** ldr r1, [r0] (16-bit). */
    static final int T16_LDR_R1_R0 = 0x6801;
    /** str r1, [r0] (16-bit). */
    static final int T16_STR_R1_R0 = 0x6001;
}
