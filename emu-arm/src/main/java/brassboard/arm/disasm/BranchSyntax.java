package brassboard.arm.disasm;

import static brassboard.arm.disasm.Syntax.bit;
import static brassboard.arm.disasm.Syntax.cond;
import static brassboard.arm.disasm.Syntax.insn;
import static brassboard.arm.disasm.Syntax.isPc;
import static brassboard.arm.disasm.Syntax.r;
import static brassboard.arm.disasm.Syntax.unpredictableIf;

import java.util.Map;

/** Branches (A5.7) and branch and exchange (A5.2.12); targets are absolute, as objdump prints them. */
final class BranchSyntax {
    private BranchSyntax() {
    }

    static void register(Map<String, Formatter> table) {
        table.put("B", (w, a) -> insn("b" + cond(w), Syntax.address(target(w, a))));
        table.put("BL", (w, a) -> insn("bl" + cond(w), Syntax.address(target(w, a))));
        table.put("BLX_imm", (w, a) -> insn("blx", Syntax.address(target(w, a) + (bit(w, 24) ? 2 : 0))));
        table.put("BX", (w, a) -> exchange("bx", w, false));
        table.put("BXJ", (w, a) -> exchange("bxj", w, true));
        table.put("BLX_reg", (w, a) -> exchange("blx", w, true));
    }

    /** PC (address + 8) plus the sign-extended imm24 times 4. */
    private static int target(int word, int address) {
        return address + 8 + ((word << 8) >> 6);
    }

    // BX<c> <Rm>
    private static String exchange(String mnemonic, int word, boolean pcUnpredictable) {
        return insn(mnemonic + cond(word), r(word, 0)) + unpredictableIf(pcUnpredictable && isPc(word, 0));
    }
}
