package brassboard.arm.disasm;

import static brassboard.arm.disasm.Syntax.bit;
import static brassboard.arm.disasm.Syntax.bits;
import static brassboard.arm.disasm.Syntax.cond;
import static brassboard.arm.disasm.Syntax.insn;
import static brassboard.arm.disasm.Syntax.isPc;
import static brassboard.arm.disasm.Syntax.r;
import static brassboard.arm.disasm.Syntax.unpredictableIf;

import java.util.Map;

/** Status register access and processor state changes (A5.2.12, B9): MRS, MSR, CPS, SETEND, RFE, SRS, ERET. */
final class StatusRegisterSyntax {
    /** Addressing-mode suffixes of RFE/SRS (and LDM/STM) indexed by P:U. */
    static final String[] MODES = {"da", "ia", "db", "ib"};

    private StatusRegisterSyntax() {
    }

    static void register(Map<String, Formatter> table) {
        table.put("MRS", StatusRegisterSyntax::mrs);
        table.put("MSR_reg", (w, a) -> insn("msr" + cond(w), psrFields(w) + ", " + r(w, 0)));
        table.put("MSR_imm", (w, a) -> insn("msr" + cond(w), psrFields(w) + ", " + DataProcessingSyntax.modifiedImmediate(w)));
        table.put("MRS_banked", (w, a) -> insn("mrs" + cond(w), r(w, 12) + ", " + bankedRegister(w)) + unpredictableIf(isPc(w, 12)));
        table.put("MSR_banked", StatusRegisterSyntax::msrBanked);
        table.put("CPS", StatusRegisterSyntax::cps);
        table.put("SETEND", (w, a) -> insn("setend", bit(w, 9) ? "be" : "le"));
        table.put("RFE", (w, a) -> insn("rfe" + MODES[bits(w, 24, 23)], r(w, 16) + (bit(w, 21) ? "!" : "")));
        table.put("SRS", (w, a) -> insn("srs" + MODES[bits(w, 24, 23)], "sp" + (bit(w, 21) ? "!" : "") + ", #" + bits(w, 4, 0)));
        table.put("ERET", (w, a) -> "eret" + cond(w));
    }

    // MRS<c> <Rd>, <spec_reg>
    private static String mrs(int word, int address) {
        return insn("mrs" + cond(word), r(word, 12) + ", " + (bit(word, 22) ? "SPSR" : "CPSR"))
                + unpredictableIf(isPc(word, 12));
    }

    /** Banked registers by SYSm (B9.2.3), for R == 0 and R == 1; null is not allocated. */
    private static final String[][] BANKED = new String[2][32];

    static {
        String[] usr = {"R8_usr", "R9_usr", "R10_usr", "R11_usr", "R12_usr", "SP_usr", "LR_usr"};
        String[] fiq = {"R8_fiq", "R9_fiq", "R10_fiq", "R11_fiq", "R12_fiq", "SP_fiq", "LR_fiq"};
        System.arraycopy(usr, 0, BANKED[0], 0, 7);
        System.arraycopy(fiq, 0, BANKED[0], 8, 7);
        String[] modes = {"irq", "svc", "abt", "und"};
        for (int i = 0; i < 4; i++) {
            BANKED[0][16 + 2 * i] = "LR_" + modes[i];
            BANKED[0][17 + 2 * i] = "SP_" + modes[i];
            BANKED[1][16 + 2 * i] = "SPSR_" + modes[i];
        }
        BANKED[0][28] = "LR_mon";
        BANKED[0][29] = "SP_mon";
        BANKED[0][30] = "ELR_hyp";
        BANKED[0][31] = "SP_hyp";
        BANKED[1][14] = "SPSR_fiq";
        BANKED[1][28] = "SPSR_mon";
        BANKED[1][30] = "SPSR_hyp";
    }

    /** The banked register of MRS/MSR (banked): R = bit 22, SYSm = bit 8 : [19:16]; objdump's "(UNDEF: n)" if unallocated. */
    static String bankedRegister(int word) {
        int sysm = (bit(word, 8) ? 16 : 0) | bits(word, 19, 16);
        String name = BANKED[bit(word, 22) ? 1 : 0][sysm];
        return name != null ? name : "(UNDEF: " + ((bit(word, 22) ? 64 : 0) | 32 | sysm) + ")";
    }

    // MSR<c> <banked_reg>, <Rn>
    static String msrBanked(int word, int address) {
        return insn("msr" + cond(word), bankedRegister(word) + ", " + r(word, 0));
    }

    // objdump's MSR (register) pattern with a register-shifted operand: MSR<c> <spec_reg>, <Rm>, <type> <Rs>
    static String msrShifted(int word) {
        return insn("msr" + cond(word), psrFields(word) + ", " + r(word, 0) + ", " + Syntax.SHIFT[bits(word, 6, 5)] + " "
                + r(word, 8));
    }

    /** "CPSR_fsxc" / "SPSR_c": the register and the mask bits [19:16] as field letters. */
    private static String psrFields(int word) {
        StringBuilder sb = new StringBuilder(bit(word, 22) ? "SPSR_" : "CPSR_");
        String letters = "fsxc";
        for (int i = 0; i < 4; i++) {
            if (bit(word, 19 - i)) {
                sb.append(letters.charAt(i));
            }
        }
        return sb.toString();
    }

    // CPS<effect> <iflags>{, #<mode>}  |  CPS #<mode>
    private static String cps(int word, int address) {
        int imod = bits(word, 19, 18);
        String mode = "#" + bits(word, 4, 0);
        if (imod < 2 || (!bit(word, 17) && bits(word, 4, 0) != 0)) {
            return insn("cps", mode);
        }
        StringBuilder flags = new StringBuilder();
        if (bit(word, 8)) {
            flags.append('a');
        }
        if (bit(word, 7)) {
            flags.append('i');
        }
        if (bit(word, 6)) {
            flags.append('f');
        }
        return (imod == 2 ? "cpsie" : "cpsid") + "\t" + flags + (bit(word, 17) ? "," + mode : "");
    }
}
