package brassboard.arm.disasm;

import static brassboard.arm.disasm.Syntax.bit;
import static brassboard.arm.disasm.Syntax.bits;
import static brassboard.arm.disasm.Syntax.cond;
import static brassboard.arm.disasm.Syntax.insn;
import static brassboard.arm.disasm.Syntax.r;

import java.math.BigDecimal;
import java.util.Map;

/**
 * VFP data-processing (A7.5), extension register load / store (A7.6) and core / extension register
 * transfers (A7.8, A7.9) as binutils prints them: {@code vadd.f32 s0, s1, s2}, {@code vldr d16, [r0, #8]},
 * {@code vmov.s16 r0, d1[1]}, {@code vmrs APSR_nzcv, fpscr}; the condition comes before the type
 * suffixes ({@code vaddeq.f64}).
 */
final class VfpSyntax {
    private static final String[] SYSTEM_REGISTERS = {
        "fpsid", "fpscr", "fpscr_nzcvqc", "<impl def 0x3>", "<impl def 0x4>", "mvfr2", "mvfr1", "mvfr0",
        "fpexc", "fpinst", "fpinst2", "<impl def 0xb>", "<impl def 0xc>", "<impl def 0xd>", "fpcxt_ns", "fpcxt_s",
    };

    private VfpSyntax() {
    }

    static void register(Map<String, Formatter> table) {
        threeRegister(table, "VMLA_f", "vmla");
        threeRegister(table, "VMLS_f", "vmls");
        threeRegister(table, "VNMLS", "vnmls");
        threeRegister(table, "VNMLA", "vnmla");
        threeRegister(table, "VMUL_f", "vmul");
        threeRegister(table, "VNMUL", "vnmul");
        threeRegister(table, "VADD_f", "vadd");
        threeRegister(table, "VSUB_f", "vsub");
        threeRegister(table, "VDIV", "vdiv");
        threeRegister(table, "VFNMS", "vfnms");
        threeRegister(table, "VFNMA", "vfnma");
        threeRegister(table, "VFMA", "vfma");
        threeRegister(table, "VFMS", "vfms");
        twoRegister(table, "VMOV_reg_f", "vmov");
        twoRegister(table, "VABS_f", "vabs");
        twoRegister(table, "VNEG_f", "vneg");
        twoRegister(table, "VSQRT", "vsqrt");
        table.put("VMOV_imm_f", (w, a) -> vmovImmediate(w));
        table.put("VCVTBT", (w, a) -> insn((bit(w, 7) ? "vcvtt" : "vcvtb") + cond(w) + (bit(w, 16) ? ".f16.f32" : ".f32.f16"),
                s(w, 12, 22) + ", " + s(w, 0, 5)));
        table.put("VCMP", (w, a) -> insn((bit(w, 7) ? "vcmpe" : "vcmp") + cond(w) + type(w), fd(w) + ", " + fm(w)));
        table.put("VCMP_zero", (w, a) -> insn((bit(w, 7) ? "vcmpe" : "vcmp") + cond(w) + type(w), fd(w) + ", #0.0"));
        table.put("VCVT_f_f", (w, a) -> bit(w, 8)
                ? insn("vcvt" + cond(w) + ".f32.f64", s(w, 12, 22) + ", " + d(w, 0, 5))
                : insn("vcvt" + cond(w) + ".f64.f32", d(w, 12, 22) + ", " + s(w, 0, 5)));
        table.put("VCVT_f_i", (w, a) -> insn("vcvt" + cond(w) + type(w) + (bit(w, 7) ? ".s32" : ".u32"), fd(w) + ", " + s(w, 0, 5)));
        table.put("VCVT_i_f", (w, a) -> insn((bit(w, 7) ? "vcvt" : "vcvtr") + cond(w) + (bit(w, 16) ? ".s32" : ".u32") + type(w),
                s(w, 12, 22) + ", " + fm(w)));
        table.put("VCVT_fx", (w, a) -> vcvtFixed(w));

        table.put("VLDR", (w, a) -> loadStore("vldr", w, a));
        table.put("VSTR", (w, a) -> loadStore("vstr", w, a));
        table.put("VLDM_ia", (w, a) -> multiple("vldm", "ia", w));
        table.put("VSTM_ia", (w, a) -> multiple("vstm", "ia", w));
        table.put("VLDM_db", (w, a) -> multiple("vldm", "db", w));
        table.put("VSTM_db", (w, a) -> multiple("vstm", "db", w));

        table.put("VMOV_s_r", (w, a) -> insn("vmov" + cond(w), s(w, 16, 7) + ", " + r(w, 12)));
        table.put("VMOV_r_s", (w, a) -> insn("vmov" + cond(w), r(w, 12) + ", " + s(w, 16, 7)));
        table.put("VMSR", (w, a) -> insn("vmsr" + cond(w), SYSTEM_REGISTERS[bits(w, 19, 16)] + ", " + r(w, 12)) + implementationDefined(w));
        table.put("VMRS", (w, a) -> insn("vmrs" + cond(w), (bits(w, 19, 12) == 0x1F ? "APSR_nzcv" : r(w, 12)) + ", "
                + SYSTEM_REGISTERS[bits(w, 19, 16)]) + implementationDefined(w));
        table.put("VMOV_x_r", (w, a) -> scalarFromCore(w));
        table.put("VMOV_r_x", (w, a) -> coreFromScalar(w));
        table.put("VDUP_r", (w, a) -> vdup(w));
        table.put("VMOV_ss_rr", (w, a) -> insn("vmov" + cond(w), s(w, 0, 5) + ", " + sNext(w) + ", " + r(w, 12) + ", " + r(w, 16)));
        table.put("VMOV_rr_ss", (w, a) -> insn("vmov" + cond(w), r(w, 12) + ", " + r(w, 16) + ", " + s(w, 0, 5) + ", " + sNext(w)));
        table.put("VMOV_d_rr", (w, a) -> insn("vmov" + cond(w), d(w, 0, 5) + ", " + r(w, 12) + ", " + r(w, 16)));
        table.put("VMOV_rr_d", (w, a) -> insn("vmov" + cond(w), r(w, 12) + ", " + r(w, 16) + ", " + d(w, 0, 5)));
    }

    /** S register Vx:x from the 4-bit field at {@code lo} and the extra bit {@code extra}. */
    static String s(int w, int lo, int extra) {
        return "s" + ((bits(w, lo + 3, lo) << 1) | bits(w, extra, extra));
    }

    /** D register x:Vx. */
    static String d(int w, int lo, int extra) {
        return "d" + ((bits(w, extra, extra) << 4) | bits(w, lo + 3, lo));
    }

    private static String sNext(int w) {
        return "s" + (((bits(w, 3, 0) << 1) | bits(w, 5, 5)) + 1);
    }

    private static String type(int w) {
        return bit(w, 8) ? ".f64" : ".f32";
    }

    private static String fd(int w) {
        return bit(w, 8) ? d(w, 12, 22) : s(w, 12, 22);
    }

    private static String fn(int w) {
        return bit(w, 8) ? d(w, 16, 7) : s(w, 16, 7);
    }

    private static String fm(int w) {
        return bit(w, 8) ? d(w, 0, 5) : s(w, 0, 5);
    }

    private static void threeRegister(Map<String, Formatter> table, String name, String mnemonic) {
        table.put(name, (w, a) -> insn(mnemonic + cond(w) + type(w), fd(w) + ", " + fn(w) + ", " + fm(w)));
    }

    private static void twoRegister(Map<String, Formatter> table, String name, String mnemonic) {
        table.put(name, (w, a) -> insn(mnemonic + cond(w) + type(w), fd(w) + ", " + fm(w)));
    }

    // VMOV<c>.F32 <Sd>, #<imm>: binutils prints imm8, then the single-precision value in hex and decimal
    private static String vmovImmediate(int w) {
        int imm8 = (bits(w, 19, 16) << 4) | bits(w, 3, 0);
        int single = (imm8 & 0x80) << 24 | ((imm8 & 0x40) != 0 ? 0x3E00_0000 : 0x4000_0000) | (imm8 & 0x3F) << 19;
        float value = Float.intBitsToFloat(single);
        // as many decimals as binutils: 1 for up to one fraction bit, 3 for up to three, else 7
        // (a value with k fraction bits has k decimals)
        BigDecimal magnitude = new BigDecimal(Math.abs(value));
        int fractionBits = Math.max(0, magnitude.stripTrailingZeros().scale());
        int decimals = fractionBits <= 1 ? 1 : fractionBits <= 3 ? 3 : 7;
        String text = magnitude.setScale(decimals).toPlainString();
        return insn("vmov" + cond(w) + type(w), fd(w) + ", #" + imm8) + String.format("\t@ 0x%08x %s%s", single, value < 0 ? "-" : " ", text);
    }

    // VCVT<c>.<Td>.F32 <Sd>, <Sd>, #<fbits>
    private static String vcvtFixed(int w) {
        int size = bit(w, 7) ? 32 : 16;
        String fixed = (bit(w, 16) ? ".u" : ".s") + size;
        String types = bit(w, 18) ? fixed + type(w) : type(w) + fixed;
        int fractionBits = size - ((bits(w, 3, 0) << 1) | bits(w, 5, 5));
        return insn("vcvt" + cond(w) + types, fd(w) + ", " + fd(w) + ", #" + fractionBits);
    }

    private static String implementationDefined(int w) {
        int reg = bits(w, 19, 16);
        return reg == 9 || reg == 10 ? "\t@ Impl def" : "";
    }

    // VLDR<c> <Dd>, [<Rn>{, #+/-<imm>}]
    private static String loadStore(String mnemonic, int w, int address) {
        boolean add = bit(w, 23);
        int offset = bits(w, 7, 0) << 2;
        String reg = bit(w, 8) ? d(w, 12, 22) : s(w, 12, 22);
        String operand;
        if (offset == 0 && add) {
            operand = "[" + r(w, 16) + "]";
        } else {
            operand = "[" + r(w, 16) + ", #" + (add ? "" : "-") + offset + "]";
        }
        String comment;
        if (Syntax.isPc(w, 16)) {
            int target = ((address + 8) & ~3) + (add ? offset : -offset);
            comment = "\t@ " + Syntax.address(target);
        } else {
            comment = Syntax.valueComment(add ? offset : -offset);
        }
        return insn(mnemonic + cond(w), reg + ", " + operand) + comment;
    }

    // VLDM{IA,DB}<c> <Rn>{!}, <list>; VPUSH / VPOP; FLDMX / FSTMX (a doubleword list with an odd imm8)
    private static String multiple(String mnemonic, String mode, int w) {
        boolean dbl = bit(w, 8);
        int imm8 = bits(w, 7, 0);
        boolean x = dbl && (imm8 & 1) != 0;
        boolean writeback = bit(w, 21);
        int first = dbl ? (bits(w, 22, 22) << 4) | bits(w, 15, 12) : (bits(w, 15, 12) << 1) | bits(w, 22, 22);
        int count = !dbl ? imm8 : x ? imm8 >>> 1 : (imm8 >>> 1) & 0x3F;
        char kind = dbl ? 'd' : 's';
        String list;
        if (count == 1) {
            list = "{" + kind + first + "}";
        } else {
            int last = first + count - 1;
            boolean overflow = dbl && !x && last > 31;
            list = "{" + kind + first + "-" + (overflow ? "<overflow reg d" + last + ">" : kind + "" + last) + "}";
        }
        if (x) {
            return insn("f" + mnemonic.substring(1) + mode + "x" + cond(w), r(w, 16) + (writeback ? "!" : "") + ", " + list) + "\t@ Deprecated";
        }
        boolean stack = writeback && Syntax.regNo(w, 16) == Syntax.SP
                && (mnemonic.equals("vldm") ? mode.equals("ia") : mode.equals("db"));
        if (stack) {
            return insn((mnemonic.equals("vldm") ? "vpop" : "vpush") + cond(w), list);
        }
        return insn(mnemonic + mode + cond(w), r(w, 16) + (writeback ? "!" : "") + ", " + list);
    }

    // VMOV<c>.<size> <Dd[x]>, <Rt>
    private static String scalarFromCore(int w) {
        int opc = (bits(w, 22, 21) << 2) | bits(w, 6, 5);
        String size;
        int index;
        if ((opc & 8) != 0) {
            size = ".8";
            index = opc & 7;
        } else if ((opc & 1) != 0) {
            size = ".16";
            index = (opc >>> 1) & 3;
        } else if ((opc & 2) == 0) {
            size = ".32";
            index = opc >>> 2;
        } else {
            return Syntax.undefined(w);
        }
        return insn("vmov" + cond(w) + size, d(w, 16, 7) + "[" + index + "], " + r(w, 12));
    }

    // VMOV<c>.<dt> <Rt>, <Dn[x]>
    private static String coreFromScalar(int w) {
        int opc = (bits(w, 22, 21) << 2) | bits(w, 6, 5);
        boolean unsigned = bit(w, 23);
        String size;
        int index;
        if ((opc & 8) != 0) {
            size = unsigned ? ".u8" : ".s8";
            index = opc & 7;
        } else if ((opc & 1) != 0) {
            size = unsigned ? ".u16" : ".s16";
            index = (opc >>> 1) & 3;
        } else if ((opc & 2) == 0) {
            size = ".32"; // binutils ignores U, which makes the instruction UNDEFINED
            index = opc >>> 2;
        } else {
            // binutils: the generic MRC to APSR_nzcv when Rt is 15, else UNDEFINED
            return !Syntax.isPc(w, 12) ? Syntax.undefined(w) : CoprocessorSyntax.transfer("mrc", w, Syntax.isPc(w, 12) ? "APSR_nzcv" : r(w, 12));
        }
        return insn("vmov" + cond(w) + size, r(w, 12) + ", " + d(w, 16, 7) + "[" + index + "]");
    }

    // VDUP<c>.<size> <Qd>, <Rt>
    private static String vdup(int w) {
        int be = (bits(w, 22, 22) << 1) | bits(w, 5, 5);
        if (be == 3) {
            return Syntax.undefined(w);
        }
        int reg = (bits(w, 7, 7) << 4) | bits(w, 19, 16);
        String dest;
        if (bit(w, 21)) {
            dest = (reg & 1) != 0 ? "<illegal reg q" + (reg >>> 1) + ".5>" : "q" + (reg >>> 1);
        } else {
            dest = "d" + reg;
        }
        return insn("vdup" + cond(w) + (be == 0 ? ".32" : be == 1 ? ".16" : ".8"), dest + ", " + r(w, 12));
    }
}
