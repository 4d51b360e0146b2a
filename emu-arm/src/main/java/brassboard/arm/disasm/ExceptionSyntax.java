package brassboard.arm.disasm;

import static brassboard.arm.disasm.Syntax.bits;
import static brassboard.arm.disasm.Syntax.cond;
import static brassboard.arm.disasm.Syntax.insn;
import static brassboard.arm.disasm.Syntax.valueComment;

import java.util.Map;

/** Exception-generating instructions: SVC, BKPT, HVC, SMC, UDF. */
final class ExceptionSyntax {
    private static final int AL = 14;

    private ExceptionSyntax() {
    }

    static void register(Map<String, Formatter> table) {
        // SVC<c> #<imm24>
        table.put("SVC", (w, a) -> insn("svc" + cond(w), String.format("0x%08x", w & 0xFFFFFF)));
        // BKPT #<imm16> (unconditional; objdump does not decode a condition other than AL)
        table.put("BKPT", ExceptionSyntax::bkpt);
        // HVC #<imm16>
        table.put("HVC", (w, a) -> insn("hvc" + cond(w), Integer.toString(imm16(w))) + valueComment(imm16(w)));
        // SMC<c> #<imm4>
        table.put("SMC", (w, a) -> insn("smc" + cond(w), Integer.toString(bits(w, 3, 0))));
        // UDF #<imm16> (permanently undefined only with cond == AL)
        table.put("UDF", (w, a) -> w >>> 28 != AL ? Syntax.undefined(w)
                : insn("udf", "#" + imm16(w)) + valueComment(imm16(w)));
    }

    // BKPT #<imm16>; with a condition objdump decodes no BKPT, and its banked-MSR pattern (which ignores
    // bits [7:4]) claims the words with [15:12] == 1111 and bit 9 set
    private static String bkpt(int word, int address) {
        if (word >>> 28 == AL) {
            return insn("bkpt", String.format("0x%04x", imm16(word)));
        }
        if (bits(word, 15, 12) == 15) {
            return Syntax.bit(word, 9) ? StatusRegisterSyntax.msrBanked(word, address) : StatusRegisterSyntax.msrShifted(word);
        }
        return Syntax.undefined(word);
    }

    private static int imm16(int word) {
        return bits(word, 19, 8) << 4 | bits(word, 3, 0);
    }
}
