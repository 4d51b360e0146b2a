package brassboard.arm.disasm;

import static brassboard.arm.disasm.Syntax.bit;
import static brassboard.arm.disasm.Syntax.bits;
import static brassboard.arm.disasm.Syntax.cond;
import static brassboard.arm.disasm.Syntax.insn;
import static brassboard.arm.disasm.Syntax.isPc;
import static brassboard.arm.disasm.Syntax.r;
import static brassboard.arm.disasm.Syntax.unpredictableIf;
import static brassboard.arm.disasm.Syntax.valueComment;

import java.util.Map;

/** Data-processing (A5.2.1-A5.2.3) and MOVW/MOVT: {@code <op>{S}<c> <Rd>, <Rn>, <operand2>}. */
final class DataProcessingSyntax {
    private static final String[] OPS = {"and", "eor", "sub", "rsb", "add", "adc", "sbc", "rsc",
        "tst", "teq", "cmp", "cmn", "orr", "mov", "bic", "mvn"};

    private DataProcessingSyntax() {
    }

    static void register(Map<String, Formatter> table) {
        for (String op : OPS) {
            String name = op.toUpperCase();
            table.put(name + "_imm", DataProcessingSyntax::immediate);
            table.put(name + "_reg", DataProcessingSyntax::register);
            table.put(name + "_rsr", DataProcessingSyntax::registerShiftedRegister);
        }
        table.put("MOV_reg", DataProcessingSyntax::moveRegister);
        table.put("MOV_rsr", DataProcessingSyntax::moveRegisterShiftedRegister);
        table.put("MOVW", (w, a) -> moveWide("movw", w));
        table.put("MOVT", (w, a) -> moveWide("movt", w));
    }

    private static int op(int word) {
        return bits(word, 24, 21);
    }

    private static boolean isTest(int op) {
        return op >= 8 && op <= 11;
    }

    private static boolean isMove(int op) {
        return op == 13 || op == 15;
    }

    private static String mnemonic(int word) {
        int op = op(word);
        return OPS[op] + (bit(word, 20) && !isTest(op) ? "s" : "") + cond(word);
    }

    /** The operands before operand2: "Rd, Rn, ", "Rn, " (tests) or "Rd, " (moves). */
    private static String leading(int word) {
        int op = op(word);
        if (isTest(op)) {
            return r(word, 16) + ", ";
        }
        if (isMove(op)) {
            return r(word, 12) + ", ";
        }
        return r(word, 12) + ", " + r(word, 16) + ", ";
    }

    /** A modified immediate (ARMExpandImm) as objdump prints it, with its value comment. */
    static String modifiedImmediate(int word) {
        int rotate = bits(word, 11, 8) * 2;
        int imm8 = bits(word, 7, 0);
        int value = Integer.rotateRight(imm8, rotate);
        int canonical = 0;
        while (canonical < 32 && (Integer.rotateLeft(value, canonical) & ~0xFF) != 0) {
            canonical += 2;
        }
        String text = canonical != rotate ? "#" + imm8 + ", " + rotate : "#" + value;
        return text + valueComment(value);
    }

    // <op>{S}<c> <Rd>, <Rn>, #<const>
    static String immediate(int word, int address) {
        return insn(mnemonic(word), leading(word) + modifiedImmediate(word));
    }

    // <op>{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
    static String register(int word, int address) {
        return insn(mnemonic(word), leading(word) + Syntax.shiftedRegister(word));
    }

    // <op>{S}<c> <Rd>, <Rn>, <Rm>, <type> <Rs>
    static String registerShiftedRegister(int word, int address) {
        int op = op(word);
        boolean unpredictable = isTest(op) ? isPc(word, 16) : isPc(word, 12) || (!isMove(op) && isPc(word, 16));
        return insn(mnemonic(word), leading(word) + r(word, 0) + ", " + Syntax.SHIFT[bits(word, 6, 5)] + " "
                + r(word, 8)) + unpredictableIf(unpredictable);
    }

    // MOV{S}<c> <Rd>, <Rm> and its shift aliases LSL/LSR/ASR/ROR/RRX <Rd>, <Rm>, #<n>
    static String moveRegister(int word, int address) {
        int type = bits(word, 6, 5);
        int imm5 = bits(word, 11, 7);
        String s = bit(word, 20) ? "s" : "";
        String operands = r(word, 12) + ", " + r(word, 0);
        if (type == 0 && imm5 == 0) {
            if ((word & 0x0FFFFFFF) == 0x01A00000) {
                return "nop" + cond(word) + "\t\t\t@ (mov r0, r0)";
            }
            return insn("mov" + s + cond(word), operands);
        }
        String unpredictable = unpredictableIf(isPc(word, 12));
        if (type == 3 && imm5 == 0) {
            return insn("rrx" + s + cond(word), operands);
        }
        return insn(Syntax.SHIFT[type] + s + cond(word), operands + ", #" + (imm5 == 0 ? 32 : imm5)) + unpredictable;
    }

    // LSL/LSR/ASR/ROR{S}<c> <Rd>, <Rn>, <Rm>
    static String moveRegisterShiftedRegister(int word, int address) {
        String s = bit(word, 20) ? "s" : "";
        return insn(Syntax.SHIFT[bits(word, 6, 5)] + s + cond(word), r(word, 12) + ", " + r(word, 0) + ", "
                + r(word, 8)) + unpredictableIf(isPc(word, 12));
    }

    // MOVW<c> <Rd>, #<imm16> / MOVT<c> <Rd>, #<imm16>
    static String moveWide(String mnemonic, int word) {
        int imm16 = bits(word, 19, 16) << 12 | bits(word, 11, 0);
        return insn(mnemonic + cond(word), r(word, 12) + ", #" + imm16) + valueComment(imm16)
                + unpredictableIf(isPc(word, 12));
    }
}
