package brassboard.arm.disasm;

import static brassboard.arm.disasm.Syntax.bit;
import static brassboard.arm.disasm.Syntax.bits;
import static brassboard.arm.disasm.Syntax.cond;
import static brassboard.arm.disasm.Syntax.insn;
import static brassboard.arm.disasm.Syntax.valueComment;

import java.util.Map;

/** Hints (A5.2.11), barriers (A5.7.1) and preload hints (PLD, PLDW, PLI). */
final class HintSyntax {
    /** Barrier options by value, as objdump names them; null prints "#<option>". */
    private static final String[] BARRIER_OPTIONS = {null, "oshld", "oshst", "osh", null, "nshld", "unst", "un",
        null, "ishld", "ishst", "ish", null, "ld", "st", "sy"};

    private HintSyntax() {
    }

    static void register(Map<String, Formatter> table) {
        table.put("NOP", HintSyntax::hint);
        table.put("YIELD", HintSyntax::hint);
        table.put("WFE", HintSyntax::hint);
        table.put("WFI", HintSyntax::hint);
        table.put("SEV", HintSyntax::hint);
        table.put("DBG", HintSyntax::hint);
        table.put("HINT_other", HintSyntax::hint);
        table.put("DMB", (w, a) -> insn("dmb", option(w)));
        table.put("DSB", HintSyntax::dsb);
        table.put("ISB", (w, a) -> insn("isb", bits(w, 3, 0) == 15 ? "sy" : "#" + bits(w, 3, 0)));
        table.put("PLD_imm", (w, a) -> insn(bit(w, 22) ? "pld" : "pldw", LoadStoreSyntax.immediateAddress(w, a, bits(w, 11, 0))));
        // PLI's encodings have bit 24 clear but always use the offset addressing form
        table.put("PLI_imm", (w, a) -> insn("pli", LoadStoreSyntax.immediateAddress(w | 1 << 24, a, bits(w, 11, 0))));
        // Unallocated memory hints: objdump prints those with [15:12] == 1111 as a post-indexed PLDW
        table.put("MEMHINT_imm", (w, a) -> bits(w, 15, 12) != 15 ? Syntax.undefined(w)
                : insn("pldw", LoadStoreSyntax.immediateAddress(w, a, bits(w, 11, 0))));
        table.put("MEMHINT_reg", (w, a) -> bits(w, 15, 12) != 15 ? Syntax.undefined(w)
                : insn("pldw", LoadStoreSyntax.registerAddress(w)));
        table.put("PLD_reg", (w, a) -> insn(bit(w, 22) ? "pld" : "pldw", LoadStoreSyntax.registerAddress(w)));
        table.put("PLI_reg", (w, a) -> insn("pli", LoadStoreSyntax.registerAddress(w | 1 << 24)));
    }

    // NOP<c> / YIELD<c> / WFE<c> / WFI<c> / SEV<c> / DBG<c> #<option>; other hints print as NOP<c> {<hint>}
    private static String hint(int word, int address) {
        int hint = bits(word, 7, 0);
        String c = cond(word);
        switch (hint) {
            case 1: return "yield" + c;
            case 2: return "wfe" + c;
            case 3: return "wfi" + c;
            case 4: return "sev" + c;
            // binutils prints SEVL without its condition, ESB and CSDB only when unconditional, TSB never
            case 5: return "sevl";
            case 0x10:
                if (c.isEmpty()) {
                    return "esb";
                }
                break;
            case 0x14:
                if (c.isEmpty()) {
                    return "csdb";
                }
                break;
            default:
                break;
        }
        if ((hint & 0xF0) == 0xF0) {
            return insn("dbg" + c, "#" + (hint & 15));
        }
        return insn("nop" + c, "{" + hint + "}") + valueComment(hint);
    }

    private static String option(int word) {
        int option = bits(word, 3, 0);
        String name = BARRIER_OPTIONS[option];
        return name != null ? name : "#" + option;
    }

    // DSB <option>; options 0 and 4 are the speculation barriers SSBB and PSSBB
    private static String dsb(int word, int address) {
        int option = bits(word, 3, 0);
        if (option == 0) {
            return "ssbb";
        }
        if (option == 4) {
            return "pssbb";
        }
        if (option == 12) {
            return "dfb";
        }
        return insn("dsb", option(word));
    }
}
