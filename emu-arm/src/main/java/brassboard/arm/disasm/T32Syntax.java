package brassboard.arm.disasm;

import static brassboard.arm.disasm.T32Disassembler.reg;

import java.util.Set;

/**
 * The T32 syntax objdump prints where it is not A32's: branches and literal addresses from the Thumb
 * PC, ThumbExpandImm constants, the T32 load / store addressing forms, IT, two-operand 16-bit forms,
 * and {@code .w} on 32-bit encodings that have a 16-bit form.
 */
final class T32Syntax {
    /** 32-bit rewritten encodings objdump prints with {@code .w} (a 16-bit encoding of the mnemonic exists). */
    private static final Set<String> WIDE = Set.of("AND_reg32", "TST_reg32", "BIC_reg32", "ORR_reg32", "MVN_reg32",
            "EOR_reg32", "ADD_reg32", "CMN_reg32", "ADC_reg32", "SBC_reg32", "SUB_reg32", "CMP_reg32", "LSL_reg32",
            "LSR_reg32", "ASR_reg32", "ROR_reg32", "REV32", "REV16_32", "REVSH32", "MUL32");
    /** 32-bit extend-and-add encodings, printed with {@code .w} in their plain-extend form (Rn == 1111). */
    private static final Set<String> EXTEND = Set.of("SXTAH32", "UXTAH32", "SXTAB32", "UXTAB32");
    /** 16-bit <op> Rdn, Rdn, X rewritten forms objdump prints as <op> Rdn, X. */
    private static final Set<String> TWO_OPERAND = Set.of("AND_reg16", "EOR_reg16", "LSL_reg16", "LSR_reg16", "ASR_reg16",
            "ADC_reg16", "SBC_reg16", "ROR_reg16", "ORR_reg16", "BIC_reg16", "ADD_imm8", "SUB_imm8", "ADD_hi");
    private static final String[] MODIFIED_IMMEDIATE = {"and", "bic", "orr", "orn", "eor", null, null, null, "add", null, "adc",
        "sbc", null, "sub", "rsb", null};

    private T32Syntax() {
    }

    private static int bits(int w, int hi, int lo) {
        return Syntax.bits(w, hi, lo);
    }

    /** "#value" with objdump's hexadecimal comment when the (unsigned) value is above 32. */
    private static String imm(int value) {
        return "#" + Integer.toUnsignedString(value) + (Integer.compareUnsigned(value, 32) > 0 ? "\t@ 0x" + Integer.toHexString(value) : "");
    }

    private static String address(int a) {
        return "0x" + Integer.toHexString(a);
    }

    /** A formatter's text, or {@code null} to print the A32 equivalent (then {@link #adjust}). */
    static String format(String name, int w, int address, String c, boolean inIt) {
        int pc = address + 4;
        switch (name) {
            case "IT": return it(w);
            case "NOP16": return "nop" + c;
            case "YIELD16": return "yield" + c;
            case "WFE16": return "wfe" + c;
            case "WFI16": return "wfi" + c;
            case "SEV16": return "sev" + c;
            case "NOP32": return "nop" + c + ".w";
            case "YIELD32": return "yield" + c + ".w";
            case "WFE32": return "wfe" + c + ".w";
            case "WFI32": return "wfi" + c + ".w";
            case "SEV32": return "sev" + c + ".w";
            case "HINT16_other": return bits(w, 7, 4) == 5 ? "sevl" + c : "nop" + c + "\t{" + bits(w, 7, 4) + "}";
            case "HINT32_other": return hint32(w & 0xFF, c);
            case "DBG32": return "dbg" + c + "\t#" + (w & 15);
            case "SVC16": return "svc" + c + "\t" + (w & 0xFF);
            case "UDF16": return "udf\t" + imm(w & 0xFF);
            case "UDF32": return "udf.w\t" + imm(bits(w, 19, 16) << 12 | (w & 0xFFF));
            case "HVC32": return "hvc\t" + imm(bits(w, 19, 16) << 12 | (w & 0xFFF));
            case "SMC32": return "smc" + c + "\t#" + bits(w, 19, 16);
            case "BLX_reg16": return "blx" + c + "\t" + reg(bits(w, 6, 3));
            case "B16": return "b" + c + ".n\t" + address(pc + ((w << 21) >> 20));
            case "B_cond16": return "b" + Syntax.COND[bits(w, 11, 8)] + ".n\t" + address(pc + ((w << 24) >> 23));
            case "B_cond32": {
                int off = (bits(w, 26, 26) << 20) | (bits(w, 11, 11) << 19) | (bits(w, 13, 13) << 18) | (bits(w, 21, 16) << 12)
                        | (bits(w, 10, 0) << 1);
                return "b" + Syntax.COND[bits(w, 25, 22)] + ".w\t" + address(pc + ((off << 11) >> 11));
            }
            case "B32": return "b" + c + ".w\t" + address(pc + offset24(w));
            case "BL32": return "bl" + c + "\t" + address(pc + offset24(w));
            case "BLX_imm32": return "blx" + c + "\t" + address((pc & ~3) + offset24(w));
            case "CBZ":
            case "CBNZ": return name.toLowerCase() + "\t" + reg(w & 7) + ", " + address(pc + (((w >>> 2) & 0x3E) | ((w >>> 3) & 0x40)));
            case "TBB": return "tbb" + c + "\t[" + reg(bits(w, 19, 16)) + ", " + reg(w & 15) + "]";
            case "TBH": return "tbh" + c + "\t[" + reg(bits(w, 19, 16)) + ", " + reg(w & 15) + ", lsl #1]";
            case "ADR16": {
                int target = (pc & ~3) + ((w & 0xFF) << 2);
                return "add" + c + "\t" + reg(bits(w, 10, 8)) + ", pc, #" + ((w & 0xFF) << 2) + "\t@ (adr " + reg(bits(w, 10, 8)) + ", "
                        + address(target) + ")";
            }
            case "ADD_sp16": return "add" + c + "\t" + reg(bits(w, 10, 8)) + ", sp, " + imm((w & 0xFF) << 2);
            case "ADD_spsp": return "add" + c + "\tsp, " + imm((w & 0x7F) << 2);
            case "SUB_spsp": return "sub" + c + "\tsp, " + imm((w & 0x7F) << 2);
            case "RSB_imm16": return "neg" + (inIt ? "" : "s") + c + "\t" + reg(w & 7) + ", " + reg(bits(w, 5, 3));
            case "MUL16": return "mul" + (inIt ? "" : "s") + c + "\t" + reg(w & 7) + ", " + reg(bits(w, 5, 3));
            case "LDM16": {
                int n = bits(w, 10, 8);
                return "ldmia" + c + "\t" + reg(n) + ((w & (1 << n)) == 0 ? "!" : "") + ", " + Syntax.registerList(w & 0xFF);
            }
            case "STM16": return "stmia" + c + "\t" + reg(bits(w, 10, 8)) + "!, " + Syntax.registerList(w & 0xFF);
            case "LDM32": return multiple("ldmia" + c + ".w", w, 0xDFFF);
            case "STM32": return multiple("stmia" + c + ".w", w, 0x5FFF);
            case "LDMDB32": return multiple("ldmdb" + c, w, 0xDFFF);
            case "STMDB32": return multiple("stmdb" + c, w, 0x5FFF);
            case "LDR_lit16": {
                int target = (pc & ~3) + ((w & 0xFF) << 2);
                return "ldr" + c + "\t" + reg(bits(w, 10, 8)) + ", [pc, #" + ((w & 0xFF) << 2) + "]\t@ (" + address(target) + ")";
            }
            case "ADDW": return "addw" + c + "\t" + reg(bits(w, 11, 8)) + ", " + reg(bits(w, 19, 16)) + ", " + imm(imm12(w));
            case "SUBW": return "subw" + c + "\t" + reg(bits(w, 11, 8)) + ", " + reg(bits(w, 19, 16)) + ", " + imm(imm12(w));
            case "ADR_add32": return "addw" + c + "\t" + reg(bits(w, 11, 8)) + ", pc, " + imm(imm12(w));
            case "ADR_sub32": return "subw" + c + "\t" + reg(bits(w, 11, 8)) + ", pc, " + imm(imm12(w));
            case "MOV_reg32": {
                String s = bits(w, 20, 20) != 0 ? "s" : "";
                int imm5 = (bits(w, 14, 12) << 2) | bits(w, 7, 6);
                return "mov" + s + c + ".w\t" + reg(bits(w, 11, 8)) + ", " + reg(w & 15) + Syntax.immShift(bits(w, 5, 4), imm5);
            }
            case "ORN_reg32": {
                int imm5 = (bits(w, 14, 12) << 2) | bits(w, 7, 6);
                return "orn" + (bits(w, 20, 20) != 0 ? "s" : "") + c + "\t" + reg(bits(w, 11, 8)) + ", " + reg(bits(w, 19, 16)) + ", "
                        + reg(w & 15) + Syntax.immShift(bits(w, 5, 4), imm5);
            }
            case "COPROC2_reg": return coprocessor2(w, c);
            default: break;
        }
        if (name.endsWith("_imm32")) {
            return modifiedImmediate(name, w, c);
        }
        if (name.startsWith("PLD") || name.startsWith("PLI")) {
            String m = name.startsWith("PLDW") || name.equals("PLD_litw") ? "pldw" : name.startsWith("PLI") ? "pli" : "pld";
            return m + c + "\t" + singleAddress(name, w, pc);
        }
        if (Set.of("LDREX32", "STREX32", "LDREXD32", "STREXD32").contains(name) || name.startsWith("LDRD_")
                || name.startsWith("STRD_")) {
            return dual(name, w, c, pc);
        }
        if ((name.startsWith("LDR") || name.startsWith("STR")) && !name.contains("EX")) {
            return w >>> 16 != 0 ? single(name, w, c, pc) : null;
        }
        return null;
    }

    /**
     * An unallocated ARMv7 hint (a NOP on this core), named as objdump names the later architectures'
     * hints in that space (SEVL, BTI, ESB, CSDB).
     */
    private static String hint32(int hint, String c) {
        switch (hint) {
            case 0x05: return "sevl" + c + ".w";
            case 0x0F: return "bti";
            case 0x10: return "esb";
            case 0x14: return "csdb";
            default: return "nop" + c + ".w\t{" + hint + "}" + (hint > 32 ? "\t@ 0x" + Integer.toHexString(hint) : "");
        }
    }

    private static int imm12(int w) {
        return (bits(w, 26, 26) << 11) | (bits(w, 14, 12) << 8) | (w & 0xFF);
    }

    private static int offset24(int w) {
        int s = bits(w, 26, 26);
        int i1 = ~(bits(w, 13, 13) ^ s) & 1;
        int i2 = ~(bits(w, 11, 11) ^ s) & 1;
        int off = (s << 24) | (i1 << 23) | (i2 << 22) | (bits(w, 25, 16) << 12) | (bits(w, 10, 0) << 1);
        return (off << 7) >> 7;
    }

    private static String it(int w) {
        int first = bits(w, 7, 4);
        int mask = w & 15;
        StringBuilder sb = new StringBuilder("it");
        int k = 4 - Integer.numberOfTrailingZeros(mask);
        for (int i = 1; i < k; i++) {
            sb.append(((mask >>> (4 - i)) & 1) == (first & 1) ? 't' : 'e');
        }
        return sb.append('\t').append(first == 14 ? "al" : Syntax.COND[first]).toString();
    }

    private static String multiple(String mnemonic, int w, int listMask) {
        return mnemonic + "\t" + reg(bits(w, 19, 16)) + (bits(w, 21, 21) != 0 ? "!" : "") + ", " + Syntax.registerList(w & listMask);
    }

    private static String modifiedImmediate(String name, int w, String c) {
        int op = bits(w, 24, 21);
        boolean s = bits(w, 20, 20) != 0;
        int value = brassboard.arm.a32.Alu.result(brassboard.arm.t32.T32Interpreter.thumbExpandImm(imm12(w)));
        String rd = reg(bits(w, 11, 8));
        String rn = reg(bits(w, 19, 16));
        switch (name) {
            case "TST_imm32": return "tst" + c + ".w\t" + rn + ", " + imm(value);
            case "TEQ_imm32": return "teq" + c + "\t" + rn + ", " + imm(value);
            case "CMN_imm32": return "cmn" + c + ".w\t" + rn + ", " + imm(value);
            case "CMP_imm32": return "cmp" + c + ".w\t" + rn + ", " + imm(value);
            case "MOV_imm32": return "mov" + (s ? "s" : "") + c + ".w\t" + rd + ", " + imm(value);
            case "MVN_imm32": return "mvn" + (s ? "s" : "") + c + ".w\t" + rd + ", " + imm(value);
            default: {
                String m = MODIFIED_IMMEDIATE[op];
                boolean wide = !m.equals("orn") && !m.equals("rsb");
                return m + (s ? "s" : "") + c + (wide ? ".w" : "") + "\t" + rd + ", " + rn + ", " + imm(value);
            }
        }
    }

    /** The address operand of a 32-bit single load / store or preload. */
    private static String singleAddress(String name, int w, int pc) {
        String rn = reg(bits(w, 19, 16));
        if (name.endsWith("_lit") || name.endsWith("_litw")) {
            int off = w & 0xFFF;
            int signed = bits(w, 23, 23) != 0 ? off : -off;
            return "[pc, #" + signed + "]\t@ " + address((pc & ~3) + signed);
        }
        if (name.endsWith("_imm12")) {
            int off = w & 0xFFF;
            return off == 0 ? "[" + rn + "]" : "[" + rn + ", #" + off + "]" + (off > 32 ? "\t@ 0x" + Integer.toHexString(off) : "");
        }
        if (name.endsWith("_reg") || name.endsWith("_reg32")) {
            int sh = bits(w, 5, 4);
            return "[" + rn + ", " + reg(w & 15) + (sh != 0 ? ", lsl #" + sh : "") + "]";
        }
        if (name.endsWith("T32")) {
            int off = w & 0xFF;
            return off == 0 ? "[" + rn + "]" : "[" + rn + ", #" + off + "]";
        }
        // imm8 with P U W
        int off = w & 0xFF;
        String signed = (bits(w, 9, 9) != 0 ? "#" : "#-") + off;
        boolean p = bits(w, 10, 10) != 0;
        boolean wb = bits(w, 8, 8) != 0;
        if (!p) {
            return "[" + rn + "], " + signed;
        }
        return "[" + rn + ", " + signed + "]" + (wb ? "!" : "");
    }

    private static String single(String name, int w, String c, int pc) {
        String base = name.substring(0, name.indexOf('_') > 0 ? name.indexOf('_') : name.length() - 2).toLowerCase();
        boolean t = name.endsWith("T32");
        String mnemonic = t ? name.substring(0, name.length() - 2).toLowerCase() : base;
        return mnemonic + c + (t ? "" : ".w") + "\t" + reg(bits(w, 15, 12)) + ", " + singleAddress(name, w, pc);
    }

    /** LDRD / STRD and the word and doubleword exclusives. */
    private static String dual(String name, int w, String c, int pc) {
        String rn = reg(bits(w, 19, 16));
        String rt = reg(bits(w, 15, 12));
        String rt2 = reg(bits(w, 11, 8));
        switch (name) {
            case "LDREX32": {
                int off = (w & 0xFF) << 2;
                return "ldrex" + c + "\t" + rt + ", [" + rn + (off == 0 ? "]" : ", #" + off + "]" + (off > 32 ? "\t@ 0x" + Integer.toHexString(off) : ""));
            }
            case "STREX32": {
                int off = (w & 0xFF) << 2;
                return "strex" + c + "\t" + rt2 + ", " + rt + ", [" + rn + (off == 0 ? "]" : ", #" + off + "]"
                        + (off > 32 ? "\t@ 0x" + Integer.toHexString(off) : ""));
            }
            case "LDREXD32": return "ldrexd" + c + "\t" + rt + ", " + rt2 + ", [" + rn + "]";
            case "STREXD32": return "strexd" + c + "\t" + reg(w & 15) + ", " + rt + ", " + rt2 + ", [" + rn + "]";
            default: break;
        }
        String m = (name.startsWith("LDRD") ? "ldrd" : "strd") + c;
        int off = (w & 0xFF) << 2;
        boolean u = bits(w, 23, 23) != 0;
        String comment = off > 32 ? "\t@ 0x" + Integer.toHexString(off) : "";
        if (name.equals("LDRD_lit")) {
            int signed = u ? off : -off;
            return m + "\t" + rt + ", " + rt2 + ", [pc, #" + signed + "]\t@ " + address((pc & ~3) + signed) + comment;
        }
        String signed = (u ? "#" : "#-") + off;
        if (name.endsWith("_post")) {
            return m + "\t" + rt + ", " + rt2 + ", [" + rn + "], " + signed + comment;
        }
        boolean wb = bits(w, 21, 21) != 0;
        if (off == 0 && u && !wb) {
            return m + "\t" + rt + ", " + rt2 + ", [" + rn + "]";
        }
        return m + "\t" + rt + ", " + rt2 + ", [" + rn + ", " + signed + "]" + (wb ? "!" : "") + comment;
    }

    /** MCR2 / MRC2 (T32 hw1 bit 12 set), which the A32 decoder does not know. */
    private static String coprocessor2(int w, String c) {
        if (bits(w, 4, 4) == 0) {
            return null;
        }
        return (bits(w, 20, 20) != 0 ? "mrc2" : "mcr2") + c + "\t" + bits(w, 11, 8) + ", " + bits(w, 23, 21) + ", "
                + reg(bits(w, 15, 12)) + ", cr" + bits(w, 19, 16) + ", cr" + (w & 15) + ", {" + bits(w, 7, 5) + "}";
    }

    /** objdump's Thumb form of the A32 text of a rewritten instruction. */
    static String adjust(String name, int w, String a32) {
        int tab = a32.indexOf('\t');
        String mnemonic = tab < 0 ? a32 : a32.substring(0, tab);
        String operands = tab < 0 ? "" : a32.substring(tab + 1);
        if (TWO_OPERAND.contains(name)) {
            int comma = operands.indexOf(", ");
            operands = operands.substring(comma + 2);
        }
        if (name.endsWith("_imm16") || name.endsWith("_sp16")) {
            operands = operands.replaceAll("\\[(\\w+)\\]", "[$1, #0]");
        }
        if (name.equals("CPS32")) {
            operands = operands.replace(",#", ", #");
        }
        if (WIDE.contains(name) || EXTEND.contains(name) && bits(w, 19, 16) == 15) {
            mnemonic = mnemonic + ".w";
        }
        return operands.isEmpty() ? mnemonic : mnemonic + "\t" + operands;
    }
}
