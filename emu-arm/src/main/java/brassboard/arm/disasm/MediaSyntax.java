package brassboard.arm.disasm;

import static brassboard.arm.disasm.Syntax.bit;
import static brassboard.arm.disasm.Syntax.bits;
import static brassboard.arm.disasm.Syntax.cond;
import static brassboard.arm.disasm.Syntax.insn;
import static brassboard.arm.disasm.Syntax.isPc;
import static brassboard.arm.disasm.Syntax.r;
import static brassboard.arm.disasm.Syntax.unpredictableIf;

import java.util.Map;

/**
 * Media instructions (A5.4) and the saturating/CLZ miscellany (A5.2.6, A5.2.12): packing, extension,
 * saturation, reversal, bit fields. Fields: Rn = [19:16] (Rd for some), Rd = [15:12], Rm = [3:0].
 */
final class MediaSyntax {
    private MediaSyntax() {
    }

    static void register(Map<String, Formatter> table) {
        // CLZ<c> <Rd>, <Rm>
        table.put("CLZ", (w, a) -> twoRegister("clz", w));
        // QADD<c> <Rd>, <Rm>, <Rn>
        for (String op : new String[] {"QADD", "QSUB", "QDADD", "QDSUB"}) {
            String mnemonic = op.toLowerCase();
            table.put(op, (w, a) -> insn(mnemonic + cond(w), r(w, 12) + ", " + r(w, 0) + ", " + r(w, 16))
                    + unpredictableIf(isPc(w, 12) || isPc(w, 0) || isPc(w, 16)));
        }
        table.put("PKH", MediaSyntax::pkh);
        table.put("SEL", (w, a) -> threeRegister("sel", w));
        table.put("SSAT", (w, a) -> saturate("ssat", bits(w, 20, 16) + 1, w));
        table.put("USAT", (w, a) -> saturate("usat", bits(w, 20, 16), w));
        for (String op : new String[] {"SXTAB16", "SXTAB", "SXTAH", "UXTAB16", "UXTAB", "UXTAH"}) {
            String mnemonic = op.toLowerCase();
            table.put(op, (w, a) -> extend(mnemonic, true, w));
        }
        for (String op : new String[] {"SXTB16", "SXTB", "SXTH", "UXTB16", "UXTB", "UXTH"}) {
            String mnemonic = op.toLowerCase();
            table.put(op, (w, a) -> extend(mnemonic, false, w));
        }
        for (String op : new String[] {"REV", "REV16", "RBIT", "REVSH"}) {
            String mnemonic = op.toLowerCase();
            table.put(op, (w, a) -> twoRegister(mnemonic, w));
        }
        // SSAT16<c> <Rd>, #<imm>, <Rn> (objdump flags a PC operand of USAT16 only)
        table.put("SSAT16", (w, a) -> insn("ssat16" + cond(w), r(w, 12) + ", #" + (bits(w, 19, 16) + 1) + ", " + r(w, 0)));
        table.put("USAT16", (w, a) -> insn("usat16" + cond(w), r(w, 12) + ", #" + bits(w, 19, 16) + ", " + r(w, 0))
                + unpredictableIf(isPc(w, 12) || isPc(w, 0)));
        // Parallel addition and subtraction (A5.4.1, A5.4.2): <prefix><op><c> <Rd>, <Rn>, <Rm>
        for (String prefix : new String[] {"S", "Q", "SH", "U", "UQ", "UH"}) {
            for (String op : new String[] {"ADD16", "ASX", "SAX", "SUB16", "ADD8", "SUB8"}) {
                String mnemonic = (prefix + op).toLowerCase();
                table.put(prefix + op, (w, a) -> threeRegister(mnemonic, w));
            }
        }
        table.put("SBFX", (w, a) -> extract("sbfx", w));
        table.put("UBFX", (w, a) -> extract("ubfx", w));
        table.put("BFI", (w, a) -> insn("bfi" + cond(w), r(w, 12) + ", " + r(w, 0) + ", " + bitField(w))
                + unpredictableIf(isPc(w, 12)));
        table.put("BFC", (w, a) -> insn("bfc" + cond(w), r(w, 12) + ", " + bitField(w)) + unpredictableIf(isPc(w, 12)));
    }

    // <op><c> <Rd>, <Rm>
    private static String twoRegister(String mnemonic, int word) {
        return insn(mnemonic + cond(word), r(word, 12) + ", " + r(word, 0)) + unpredictableIf(isPc(word, 12) || isPc(word, 0));
    }

    // <op><c> <Rd>, <Rn>, <Rm>
    private static String threeRegister(String mnemonic, int word) {
        return insn(mnemonic + cond(word), r(word, 12) + ", " + r(word, 16) + ", " + r(word, 0))
                + unpredictableIf(isPc(word, 12) || isPc(word, 16) || isPc(word, 0));
    }

    // PKHBT<c> <Rd>, <Rn>, <Rm>{, LSL #<imm>}  |  PKHTB<c> <Rd>, <Rn>, <Rm>{, ASR #<imm>}
    private static String pkh(int word, int address) {
        boolean tb = bit(word, 6);
        return insn((tb ? "pkhtb" : "pkhbt") + cond(word), r(word, 12) + ", " + r(word, 16) + ", " + r(word, 0)
                + Syntax.immShift(tb ? 2 : 0, bits(word, 11, 7)))
                + unpredictableIf(isPc(word, 12) || isPc(word, 16) || isPc(word, 0));
    }

    // SSAT<c> <Rd>, #<imm>, <Rn>{, <shift>}
    private static String saturate(String mnemonic, int saturateTo, int word) {
        int imm5 = bits(word, 11, 7);
        String shift = bit(word, 6) ? ", asr #" + imm5 : imm5 == 0 ? "" : ", lsl #" + imm5;
        return insn(mnemonic + cond(word), r(word, 12) + ", #" + saturateTo + ", " + r(word, 0) + shift)
                + unpredictableIf(isPc(word, 12) || isPc(word, 0));
    }

    // SXTAB<c> <Rd>, <Rn>, <Rm>{, <rotation>}  |  SXTB<c> <Rd>, <Rm>{, <rotation>}
    private static String extend(String mnemonic, boolean accumulate, int word) {
        int rotation = bits(word, 11, 10) * 8;
        return insn(mnemonic + cond(word), r(word, 12) + ", " + (accumulate ? r(word, 16) + ", " : "") + r(word, 0)
                + (rotation == 0 ? "" : (mnemonic.equals("uxtab16") && rotation == 24 ? ", ROR #" : ", ror #") + rotation))
                + unpredictableIf(isPc(word, 12) || isPc(word, 0));
    }

    // SBFX<c> <Rd>, <Rn>, #<lsb>, #<width>
    private static String extract(String mnemonic, int word) {
        return insn(mnemonic + cond(word), r(word, 12) + ", " + r(word, 0) + ", #" + bits(word, 11, 7) + ", #"
                + (bits(word, 20, 16) + 1));
    }

    /** "#<lsb>, #<width>" of BFI/BFC, or objdump's "(invalid: lsb:msb)" when msb < lsb. */
    private static String bitField(int word) {
        int msb = bits(word, 20, 16);
        int lsb = bits(word, 11, 7);
        if (msb < lsb) {
            return "(invalid: " + lsb + ":" + msb + ")";
        }
        return "#" + lsb + ", #" + (msb - lsb + 1);
    }
}
