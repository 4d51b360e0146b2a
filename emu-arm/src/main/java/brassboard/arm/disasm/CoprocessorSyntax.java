package brassboard.arm.disasm;

import static brassboard.arm.disasm.Syntax.bits;
import static brassboard.arm.disasm.Syntax.cond;
import static brassboard.arm.disasm.Syntax.insn;
import static brassboard.arm.disasm.Syntax.isPc;
import static brassboard.arm.disasm.Syntax.r;

import java.util.Map;

/**
 * Coprocessor register transfers (A5.6) in binutils' style: {@code mcr 15, 0, r0, cr1, cr0, {0}}.
 * Fields: opc1 = [23:21] ([7:4] for MCRR), CRn = [19:16], Rt = [15:12], coproc = [11:8], opc2 = [7:5], CRm = [3:0].
 */
final class CoprocessorSyntax {
    private CoprocessorSyntax() {
    }

    static void register(Map<String, Formatter> table) {
        table.put("MCR", (w, a) -> transfer("mcr", w, r(w, 12)) + Syntax.unpredictableIf(isPc(w, 12)));
        // MRC with Rt == 15 transfers to the condition flags
        table.put("MRC", (w, a) -> transfer("mrc", w, isPc(w, 12) ? "APSR_nzcv" : r(w, 12)));
        table.put("MCRR", (w, a) -> transfer64("mcrr", w));
        table.put("MRRC", (w, a) -> transfer64("mrrc", w));
    }

    // MCR<c> <coproc>, <opc1>, <Rt>, <CRn>, <CRm>{, <opc2>}
    static String transfer(String mnemonic, int word, String rt) {
        return insn(mnemonic + cond(word), bits(word, 11, 8) + ", " + bits(word, 23, 21) + ", " + rt + ", cr"
                + bits(word, 19, 16) + ", cr" + bits(word, 3, 0) + ", {" + bits(word, 7, 5) + "}");
    }

    // MCRR<c> <coproc>, <opc1>, <Rt>, <Rt2>, <CRm>
    private static String transfer64(String mnemonic, int word) {
        // objdump flags Rt == 15, and for MRRC Rt2 == 15 or Rt == Rt2
        boolean mrrc = mnemonic.equals("mrrc");
        boolean unpredictable = isPc(word, 12) || (mrrc && (isPc(word, 16) || Syntax.regNo(word, 12) == Syntax.regNo(word, 16)));
        return insn(mnemonic + cond(word), bits(word, 11, 8) + ", " + bits(word, 7, 4) + ", " + r(word, 12) + ", "
                + r(word, 16) + ", cr" + bits(word, 3, 0)) + Syntax.unpredictableIf(unpredictable);
    }
}
