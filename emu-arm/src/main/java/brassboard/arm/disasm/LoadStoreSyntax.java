package brassboard.arm.disasm;

import static brassboard.arm.disasm.Syntax.PC;
import static brassboard.arm.disasm.Syntax.SP;
import static brassboard.arm.disasm.Syntax.bit;
import static brassboard.arm.disasm.Syntax.bits;
import static brassboard.arm.disasm.Syntax.cond;
import static brassboard.arm.disasm.Syntax.insn;
import static brassboard.arm.disasm.Syntax.isPc;
import static brassboard.arm.disasm.Syntax.r;
import static brassboard.arm.disasm.Syntax.regNo;
import static brassboard.arm.disasm.Syntax.unpredictableIf;
import static brassboard.arm.disasm.Syntax.valueComment;

import java.util.Map;

/**
 * Load/store word and unsigned byte (A5.3) and the extra load/stores (A5.2.8, A5.2.9), including the
 * unprivileged T forms. Fields: P = bit 24, U = bit 23, W = bit 21, Rn = [19:16], Rt = [15:12].
 */
final class LoadStoreSyntax {
    private LoadStoreSyntax() {
    }

    static void register(Map<String, Formatter> table) {
        word(table, "STR", "str");
        word(table, "LDR", "ldr");
        word(table, "STRB", "strb");
        word(table, "LDRB", "ldrb");
        table.put("STR_imm", LoadStoreSyntax::strImmediate);
        table.put("LDR_imm", LoadStoreSyntax::ldrImmediate);
        for (String op : new String[] {"STRT", "LDRT", "STRBT", "LDRBT"}) {
            String mnemonic = op.toLowerCase();
            boolean load = !op.equals("STRT");
            table.put(op + "_imm", (w, a) -> insn(mnemonic + cond(w), r(w, 12) + ", " + immediateAddress(w, a, bits(w, 11, 0)))
                    + unpredictableIf(load && isPc(w, 12)));
            table.put(op + "_reg", (w, a) -> insn(mnemonic + cond(w), r(w, 12) + ", " + registerAddress(w))
                    + unpredictableIf(load && isPc(w, 12)));
        }
        extra(table, "STRH", "strh", false);
        extra(table, "LDRH", "ldrh", false);
        extra(table, "LDRD", "ldrd", true);
        extra(table, "STRD", "strd", true);
        extra(table, "LDRSB", "ldrsb", false);
        extra(table, "LDRSH", "ldrsh", false);
        for (String op : new String[] {"STRHT", "LDRHT", "LDRSBT", "LDRSHT"}) {
            extra(table, op, op.toLowerCase(), false);
        }
    }

    /** LDR/STR (word and byte); objdump flags Rt == 15 for the byte forms. */
    private static void word(Map<String, Formatter> table, String name, String mnemonic) {
        boolean bytes = name.endsWith("B");
        table.put(name + "_imm", (w, a) -> insn(mnemonic + cond(w), r(w, 12) + ", " + immediateAddress(w, a, bits(w, 11, 0)))
                + unpredictableIf(bytes && isPc(w, 12)));
        table.put(name + "_reg", (w, a) -> insn(mnemonic + cond(w), r(w, 12) + ", " + registerAddress(w))
                + unpredictableIf(bytes && isPc(w, 12)));
    }

    /**
     * The extra load/stores. objdump flags Rt == 15 (for the halfword and signed forms), Rm == 15 or Rm == Rt
     * (register forms) and, for LDRD/STRD, the non-existent post-indexed-with-writeback form.
     */
    private static void extra(Map<String, Formatter> table, String name, String mnemonic, boolean dual) {
        table.put(name + "_imm", (w, a) -> {
            String text = insn(mnemonic + cond(w), r(w, 12) + ", " + extraImmediateAddress(w, a));
            boolean flagged = text.endsWith(Syntax.UNPREDICTABLE);
            return text + unpredictableIf(!flagged && (dual ? !bit(w, 24) && bit(w, 21) : isPc(w, 12)));
        });
        table.put(name + "_reg", (w, a) -> insn(mnemonic + cond(w), r(w, 12) + ", " + extraRegisterAddress(w))
                + unpredictableIf((dual ? !bit(w, 24) && bit(w, 21) : isPc(w, 12)) || registerIndexFlagged(w)));
    }

    // STR<c> <Rt>, [SP, #-4]! is PUSH<c> {<Rt>}
    private static String strImmediate(int word, int address) {
        if (regNo(word, 16) == SP && bits(word, 24, 21) == 0b1001 && bits(word, 11, 0) == 4) {
            return "push" + cond(word) + "\t{" + r(word, 12) + "}\t\t@ (str" + cond(word) + " " + r(word, 12)
                    + ", [sp, #-4]!)";
        }
        return insn("str" + cond(word), r(word, 12) + ", " + immediateAddress(word, address, bits(word, 11, 0)));
    }

    // LDR<c> <Rt>, [SP], #4 is POP<c> {<Rt>}
    private static String ldrImmediate(int word, int address) {
        if (regNo(word, 16) == SP && bits(word, 24, 21) == 0b0100 && bits(word, 11, 0) == 4) {
            return "pop" + cond(word) + "\t{" + r(word, 12) + "}\t\t@ (ldr" + cond(word) + " " + r(word, 12)
                    + ", [sp], #4)";
        }
        return insn("ldr" + cond(word), r(word, 12) + ", " + immediateAddress(word, address, bits(word, 11, 0)));
    }

    /** "[Rn, #+/-imm]{!}" or "[Rn], #+/-imm", with objdump's comment (the literal's address when Rn is the PC). */
    static String immediateAddress(int word, int address, int imm) {
        boolean add = bit(word, 23);
        int offset = add ? imm : -imm;
        String rn = r(word, 16);
        String text;
        if (bit(word, 24)) {
            text = imm == 0 && add && !bit(word, 21) ? "[" + rn + "]" : "[" + rn + ", #" + (add ? "" : "-") + imm + "]";
            text += bit(word, 21) ? "!" : "";
        } else {
            text = "[" + rn + "], #" + (add ? "" : "-") + imm;
        }
        if (regNo(word, 16) == PC) {
            return text + "\t@ " + Syntax.address(address + 8 + (bit(word, 24) ? offset : 0));
        }
        return text + valueComment(offset);
    }

    /** "[Rn, +/-Rm{, shift}]{!}" or "[Rn], +/-Rm{, shift}". */
    static String registerAddress(int word) {
        String index = (bit(word, 23) ? "" : "-") + Syntax.shiftedRegister(word);
        String rn = r(word, 16);
        if (bit(word, 24)) {
            return "[" + rn + ", " + index + "]" + (bit(word, 21) ? "!" : "");
        }
        return "[" + rn + "], " + index;
    }

    /** The extra load/store immediate addressing mode (imm8 = [11:8]:[3:0]). */
    static String extraImmediateAddress(int word, int address) {
        int imm = bits(word, 11, 8) << 4 | bits(word, 3, 0);
        boolean add = bit(word, 23);
        int offset = add ? imm : -imm;
        String rn = r(word, 16);
        boolean pc = regNo(word, 16) == PC;
        if (bit(word, 24)) {
            String text = imm == 0 && add && !bit(word, 21) ? "[" + rn + "]" : "[" + rn + ", #" + (add ? "" : "-") + imm + "]";
            text += bit(word, 21) && !pc ? "!" : "";
            return text + (pc ? "\t@ " + Syntax.address(address + 8 + offset) : valueComment(offset));
        }
        String text = "[" + rn + "], #" + (add ? "" : "-") + imm;
        if (pc) {
            return text + unpredictableIf(!bit(word, 21));
        }
        return text + valueComment(offset);
    }

    /**
     * objdump's checks of an extra load/store register index: Rm == Rt with writeback, or Rm == 15
     * post-indexed (not for the T forms, P == 0 and W == 1).
     */
    private static boolean registerIndexFlagged(int word) {
        boolean p = bit(word, 24);
        boolean w = bit(word, 21);
        boolean sameAsRt = regNo(word, 0) == regNo(word, 12);
        if (!p && !w) {
            return sameAsRt || isPc(word, 0);
        }
        return p && w && sameAsRt;
    }

    /** "[Rn, +/-Rm]{!}" or "[Rn], +/-Rm". */
    static String extraRegisterAddress(int word) {
        String index = (bit(word, 23) ? "" : "-") + r(word, 0);
        String rn = r(word, 16);
        if (bit(word, 24)) {
            return "[" + rn + ", " + index + "]" + (bit(word, 21) ? "!" : "");
        }
        return "[" + rn + "], " + index;
    }
}
