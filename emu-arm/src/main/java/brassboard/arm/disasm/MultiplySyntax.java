package brassboard.arm.disasm;

import static brassboard.arm.disasm.Syntax.bit;
import static brassboard.arm.disasm.Syntax.cond;
import static brassboard.arm.disasm.Syntax.insn;
import static brassboard.arm.disasm.Syntax.isPc;
import static brassboard.arm.disasm.Syntax.r;
import static brassboard.arm.disasm.Syntax.regNo;
import static brassboard.arm.disasm.Syntax.unpredictableIf;

import java.util.Map;

/**
 * Multiply and multiply accumulate (A5.2.5), halfword multiplies (A5.2.7), divide (A5.4.4).
 * Fields: Rd/RdHi = [19:16], Ra/RdLo = [15:12], Rm = [11:8], Rn = [3:0].
 */
final class MultiplySyntax {
    private MultiplySyntax() {
    }

    /** Which operand list an encoding prints, and whether objdump flags the PC in it. */
    private enum Form { THREE, FOUR, LONG, FOUR_LONG }

    static void register(Map<String, Formatter> table) {
        table.put("MUL", (w, a) -> multiply("mul" + s(w), Form.THREE, w, true));
        table.put("MLA", (w, a) -> multiply("mla" + s(w), Form.FOUR, w, true));
        table.put("MLS", (w, a) -> multiply("mls", Form.FOUR, w, true));
        table.put("UMAAL", (w, a) -> multiply("umaal", Form.FOUR_LONG, w, true));
        table.put("UMULL", (w, a) -> multiply("umull" + s(w), Form.LONG, w, true));
        table.put("UMLAL", (w, a) -> multiply("umlal" + s(w), Form.LONG, w, true));
        table.put("SMULL", (w, a) -> multiply("smull" + s(w), Form.LONG, w, true));
        table.put("SMLAL", (w, a) -> multiply("smlal" + s(w), Form.LONG, w, true));
        // SMLATT<c> ([7:4] == 1110): objdump only checks Rm and Ra for the PC
        table.put("SMLAxy", (w, a) -> ((w >>> 4) & 15) != 0xE ? multiply("smla" + xy(w), Form.FOUR, w, true)
                : multiply("smla" + xy(w), Form.FOUR, w, false) + unpredictableIf(isPc(w, 8) || isPc(w, 12)));
        // objdump does not flag Rn == 15 for SMLAWT
        table.put("SMLAWy", (w, a) -> multiply("smlaw" + y(w), Form.FOUR, w, true, bit(w, 6) ? 0 : -1));
        table.put("SMULWy", (w, a) -> multiply("smulw" + y(w), Form.THREE, w, true));
        table.put("SMLALxy", (w, a) -> multiply("smlal" + xy(w), Form.LONG, w, true));
        table.put("SMULxy", (w, a) -> multiply("smul" + xy(w), Form.THREE, w, true));
        // Signed multiplies (A5.4.4): X (exchange) / R (round) from bit 5
        table.put("SMLAD", (w, a) -> multiply("smlad" + x(w), Form.FOUR, w, true));
        table.put("SMUAD", (w, a) -> multiply("smuad" + x(w), Form.THREE, w, true));
        table.put("SMLSD", (w, a) -> multiply("smlsd" + x(w), Form.FOUR, w, true));
        table.put("SMUSD", (w, a) -> multiply("smusd" + x(w), Form.THREE, w, true));
        table.put("SMLALD", (w, a) -> multiply("smlald" + x(w), Form.LONG, w, true));
        table.put("SMLSLD", (w, a) -> multiply("smlsld" + x(w), Form.LONG, w, true));
        table.put("SMMLA", (w, a) -> multiply("smmla" + rounding(w), Form.FOUR, w, true));
        table.put("SMMUL", (w, a) -> multiply("smmul" + rounding(w), Form.THREE, w, true));
        table.put("SMMLS", (w, a) -> multiply("smmls" + rounding(w), Form.FOUR, w, true));
        table.put("USAD8", (w, a) -> multiply("usad8", Form.THREE, w, true));
        table.put("USADA8", (w, a) -> multiply("usada8", Form.FOUR, w, true));
        table.put("SDIV", (w, a) -> multiply("sdiv", Form.THREE, w, false));
        table.put("UDIV", (w, a) -> multiply("udiv", Form.THREE, w, false));
    }

    private static String s(int word) {
        return bit(word, 20) ? "s" : "";
    }

    /** The halfword selectors of SMLA/SMUL/SMLAL: N from bit 5, M from bit 6 ("b" bottom, "t" top). */
    private static String xy(int word) {
        return (bit(word, 5) ? "t" : "b") + y(word);
    }

    private static String x(int word) {
        return bit(word, 5) ? "x" : "";
    }

    private static String rounding(int word) {
        return bit(word, 5) ? "r" : "";
    }

    private static String y(int word) {
        return bit(word, 6) ? "t" : "b";
    }

    // <op><c> <Rd>, <Rn>, <Rm>{, <Ra>}  |  <op><c> <RdLo>, <RdHi>, <Rn>, <Rm>
    private static String multiply(String mnemonic, Form form, int word, boolean flagsPc) {
        return multiply(mnemonic, form, word, flagsPc, -1);
    }

    /** As above; {@code unflaggedField} is the low bit of a register field objdump does not check for the PC. */
    private static String multiply(String mnemonic, Form form, int word, boolean flagsPc, int unflaggedField) {
        String operands = switch (form) {
            case THREE -> r(word, 16) + ", " + r(word, 0) + ", " + r(word, 8);
            case FOUR -> r(word, 16) + ", " + r(word, 0) + ", " + r(word, 8) + ", " + r(word, 12);
            case LONG, FOUR_LONG -> r(word, 12) + ", " + r(word, 16) + ", " + r(word, 0) + ", " + r(word, 8);
        };
        boolean pc = false;
        for (int field : form == Form.THREE ? new int[] {16, 0, 8} : new int[] {16, 0, 8, 12}) {
            pc |= field != unflaggedField && isPc(word, field);
        }
        boolean sameDestinations = form == Form.LONG && regNo(word, 16) == regNo(word, 12);
        return insn(mnemonic + cond(word), operands) + unpredictableIf(flagsPc && pc || sameDestinations);
    }
}
