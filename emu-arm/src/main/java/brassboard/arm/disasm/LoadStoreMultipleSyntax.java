package brassboard.arm.disasm;

import static brassboard.arm.disasm.Syntax.SP;
import static brassboard.arm.disasm.Syntax.bit;
import static brassboard.arm.disasm.Syntax.bits;
import static brassboard.arm.disasm.Syntax.cond;
import static brassboard.arm.disasm.Syntax.isPc;
import static brassboard.arm.disasm.Syntax.r;
import static brassboard.arm.disasm.Syntax.regNo;

import java.util.Map;

/**
 * Load/store multiple (A5.5), with objdump's PUSH/POP aliases and {@code ^} forms. P:U = [24:23],
 * W = bit 21, Rn = [19:16], register list = [15:0].
 */
final class LoadStoreMultipleSyntax {
    private LoadStoreMultipleSyntax() {
    }

    static void register(Map<String, Formatter> table) {
        for (String name : new String[] {"STMDA", "STM", "STMDB", "STMIB", "STM_usr"}) {
            table.put(name, (w, a) -> multiple(w, false));
        }
        for (String name : new String[] {"LDMDA", "LDM", "LDMDB", "LDMIB", "LDM_usr", "LDM_eret"}) {
            table.put(name, (w, a) -> multiple(w, true));
        }
    }

    // LDM{mode}<c> <Rn>{!}, <registers>{^}  |  PUSH<c> <registers>  |  POP<c> <registers>
    private static String multiple(int word, boolean load) {
        int mode = bits(word, 24, 23);
        boolean user = bit(word, 22);
        boolean writeBack = bit(word, 21);
        int list = word & 0xFFFF;
        String c = cond(word);
        boolean unpredictable = list == 0 || isPc(word, 16);
        String registers = Syntax.registerList(list);
        String tail = unpredictable ? Syntax.UNPREDICTABLE : "";
        boolean stack = !user && writeBack && regNo(word, 16) == SP;
        if (stack && !load && mode == 2) {
            return Integer.bitCount(list) == 1 ? "stmfd" + c + "\tsp!, " + registers : "push" + c + "\t" + registers + tail;
        }
        if (stack && load && mode == 1) {
            return Integer.bitCount(list) == 1 ? "ldmfd" + c + "\tsp!, " + registers : "pop" + c + "\t" + registers + tail;
        }
        String suffix = StatusRegisterSyntax.MODES[mode];
        if (mode == 1 && (load || !(writeBack || user))) {
            suffix = "";
        }
        return (load ? "ldm" : "stm") + suffix + c + "\t" + r(word, 16) + (writeBack ? "!" : "") + ", " + registers
                + (user ? "^" : "") + tail;
    }
}
