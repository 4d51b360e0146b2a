package brassboard.arm.disasm;

import static brassboard.arm.disasm.Syntax.cond;
import static brassboard.arm.disasm.Syntax.insn;
import static brassboard.arm.disasm.Syntax.isPc;
import static brassboard.arm.disasm.Syntax.r;
import static brassboard.arm.disasm.Syntax.regNo;
import static brassboard.arm.disasm.Syntax.unpredictableIf;

import java.util.Map;

/** Synchronization primitives (A5.2.10): SWP{B}, LDREX*, STREX*, CLREX. Rn = [19:16], Rt/Rd = [15:12], Rt/Rt2 = [3:0]. */
final class SynchronizationSyntax {
    private SynchronizationSyntax() {
    }

    static void register(Map<String, Formatter> table) {
        table.put("SWP", (w, a) -> swap("swp", w));
        table.put("SWPB", (w, a) -> swap("swpb", w));
        table.put("STREX", (w, a) -> storeExclusive("strex", w));
        // objdump does not flag Rt == 15 for STREXD
        table.put("STREXD", (w, a) -> insn("strexd" + cond(w), r(w, 12) + ", " + r(w, 0) + ", [" + r(w, 16) + "]")
                + unpredictableIf(isPc(w, 12) || isPc(w, 16)));
        table.put("STREXB", (w, a) -> storeExclusive("strexb", w));
        table.put("STREXH", (w, a) -> storeExclusive("strexh", w));
        // LDREX<c> <Rt>, [<Rn>]: objdump names Rt by number (r10, r15)
        table.put("LDREX", (w, a) -> insn("ldrex" + cond(w), "r" + regNo(w, 12) + ", [" + r(w, 16) + "]")
                + unpredictableIf(isPc(w, 16)));
        table.put("LDREXD", (w, a) -> loadExclusive("ldrexd", w, false));
        table.put("LDREXB", (w, a) -> loadExclusive("ldrexb", w, true));
        table.put("LDREXH", (w, a) -> loadExclusive("ldrexh", w, true));
        table.put("CLREX", (w, a) -> "clrex");
    }

    // SWP{B}<c> <Rt>, <Rt2>, [<Rn>]
    private static String swap(String mnemonic, int word) {
        return insn(mnemonic + cond(word), r(word, 12) + ", " + r(word, 0) + ", [" + r(word, 16) + "]")
                + unpredictableIf(isPc(word, 12) || isPc(word, 0) || isPc(word, 16)
                        || regNo(word, 16) == regNo(word, 12) || regNo(word, 16) == regNo(word, 0));
    }

    // STREX{B,H,D}<c> <Rd>, <Rt>, [<Rn>]
    private static String storeExclusive(String mnemonic, int word) {
        return insn(mnemonic + cond(word), r(word, 12) + ", " + r(word, 0) + ", [" + r(word, 16) + "]")
                + unpredictableIf(isPc(word, 12) || isPc(word, 0) || isPc(word, 16));
    }

    // LDREX{B,H,D}<c> <Rt>, [<Rn>]
    private static String loadExclusive(String mnemonic, int word, boolean rtPcUnpredictable) {
        return insn(mnemonic + cond(word), r(word, 12) + ", [" + r(word, 16) + "]")
                + unpredictableIf(isPc(word, 16) || (rtPcUnpredictable && isPc(word, 12)));
    }
}
