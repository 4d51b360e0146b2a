package brassboard.arm.disasm;

import static brassboard.arm.disasm.Syntax.bit;
import static brassboard.arm.disasm.Syntax.bits;
import static brassboard.arm.disasm.Syntax.insn;

import java.util.Map;

/**
 * Advanced SIMD data processing (A7.4) and element / structure load / store (A7.7) as binutils prints
 * them: {@code vadd.i32 q0, q1, q2}, {@code vshr.u8 d4, d12, #4}, {@code vld1.8 {d0-d1}, [r0 :64]!}.
 * Reserved element sizes and odd Q register numbers print as binutils' {@code <illegal width 64>} and
 * {@code <illegal reg q3.5>}.
 */
final class NeonSyntax {
    private NeonSyntax() {
    }

    static String dReg(int n) {
        return "d" + n;
    }

    /** Q register from a D-register number: odd numbers print as binutils' illegal register. */
    static String qReg(int n) {
        return (n & 1) != 0 ? "<illegal reg q" + (n >>> 1) + ".5>" : "q" + (n >>> 1);
    }

    static String reg(int n, boolean q) {
        return q ? qReg(n) : dReg(n);
    }

    static int vd(int w) {
        return (bits(w, 22, 22) << 4) | bits(w, 15, 12);
    }

    static int vn(int w) {
        return (bits(w, 7, 7) << 4) | bits(w, 19, 16);
    }

    static int vm(int w) {
        return (bits(w, 5, 5) << 4) | bits(w, 3, 0);
    }

    /** An element size, or binutils' marker for 64 where it is reserved. */
    static String width(int esize, boolean allow64) {
        return esize == 64 && !allow64 ? "<illegal width 64>" : Integer.toString(esize);
    }

    private static String signedness(int w) {
        return bit(w, 24) ? "u" : "s";
    }

    static void register(Map<String, Formatter> table) {
        threeSame(table);
        table.put("VIMM", (w, a) -> modifiedImmediate(w));
        shifts(table);
        misc(table);
        loadStore(table);
        longForms(table);
    }

    // ------------------------------------------------------------------------------------ A7.4.2, A7.4.3

    private static String illegalUnless(int esize, boolean ok) {
        return ok ? Integer.toString(esize) : "<illegal width " + esize + ">";
    }

    private static String scalar(int w, int esize) {
        int vm = bits(w, 3, 0);
        int m = bits(w, 5, 5);
        return esize == 16 ? "d" + (vm & 7) + "[" + ((m << 1) | (vm >>> 3)) + "]" : "d" + vm + "[" + m + "]";
    }

    /** kind: 0 .s/.u, 1 .s (8 illegal), 2 .p (only 8), 3 .i of twice the size (narrowing). shape: 0 long (Q, D, D), 1 wide (Q, Q, D), 2 narrow (D, Q, Q). */
    private static void different(Map<String, Formatter> table, String name, String mnemonic, int kind, int shape) {
        for (String suffix : new String[] {"", "_S2"}) {
            table.put(name + suffix, (w, a) -> {
                int esize = 8 << bits(w, 21, 20);
                String type;
                switch (kind) {
                    case 0: type = "." + signedness(w) + esize; break;
                    case 1: type = ".s" + illegalUnless(esize, esize != 8); break;
                    case 2: type = ".p" + illegalUnless(esize, esize == 8); break;
                    default: type = ".i" + 2 * esize; break;
                }
                String operands;
                switch (shape) {
                    case 0: operands = qReg(vd(w)) + ", " + dReg(vn(w)) + ", " + dReg(vm(w)); break;
                    case 1: operands = qReg(vd(w)) + ", " + qReg(vn(w)) + ", " + dReg(vm(w)); break;
                    default: operands = dReg(vd(w)) + ", " + qReg(vn(w)) + ", " + qReg(vm(w)); break;
                }
                return insn(mnemonic + type, operands);
            });
        }
    }

    /** kind: 0 .i, 1 .f, 2 .s/.u (long), 3 .s (long or same). long: Qd, Dn; else Q from bit 24. */
    private static void byScalar(Map<String, Formatter> table, String name, String mnemonic, int kind, boolean isLong) {
        for (String suffix : new String[] {"", "_S2"}) {
            table.put(name + suffix, (w, a) -> {
                int esize = 8 << bits(w, 21, 20);
                String type;
                switch (kind) {
                    case 0: type = ".i" + esize; break;
                    case 1: type = ".f" + illegalUnless(esize, esize != 8); break;
                    case 2: type = "." + signedness(w) + esize; break;
                    default: type = ".s" + illegalUnless(esize, esize != 8); break;
                }
                boolean q = bit(w, 24);
                String operands = isLong ? qReg(vd(w)) + ", " + dReg(vn(w)) : reg(vd(w), q) + ", " + reg(vn(w), q);
                return insn(mnemonic + type, operands + ", " + scalar(w, esize));
            });
        }
    }

    private static void longForms(Map<String, Formatter> t) {
        different(t, "VADDL", "vaddl", 0, 0);
        different(t, "VADDW", "vaddw", 0, 1);
        different(t, "VSUBL", "vsubl", 0, 0);
        different(t, "VSUBW", "vsubw", 0, 1);
        different(t, "VADDHN", "vaddhn", 3, 2);
        different(t, "VRADDHN", "vraddhn", 3, 2);
        different(t, "VABAL", "vabal", 0, 0);
        different(t, "VSUBHN", "vsubhn", 3, 2);
        different(t, "VRSUBHN", "vrsubhn", 3, 2);
        different(t, "VABDL", "vabdl", 0, 0);
        different(t, "VMLAL", "vmlal", 0, 0);
        different(t, "VQDMLAL", "vqdmlal", 1, 0);
        different(t, "VMLSL", "vmlsl", 0, 0);
        different(t, "VQDMLSL", "vqdmlsl", 1, 0);
        different(t, "VMULL", "vmull", 0, 0);
        different(t, "VQDMULL", "vqdmull", 1, 0);
        different(t, "VMULL_p", "vmull", 2, 0);
        byScalar(t, "VMLA_sc", "vmla", 0, false);
        byScalar(t, "VMLA_scf", "vmla", 1, false);
        byScalar(t, "VMLAL_sc", "vmlal", 2, true);
        byScalar(t, "VQDMLAL_sc", "vqdmlal", 3, true);
        byScalar(t, "VMLS_sc", "vmls", 0, false);
        byScalar(t, "VMLS_scf", "vmls", 1, false);
        byScalar(t, "VMLSL_sc", "vmlsl", 2, true);
        byScalar(t, "VQDMLSL_sc", "vqdmlsl", 3, true);
        byScalar(t, "VMUL_sc", "vmul", 0, false);
        byScalar(t, "VMUL_scf", "vmul", 1, false);
        byScalar(t, "VMULL_sc", "vmull", 2, true);
        byScalar(t, "VQDMULL_sc", "vqdmull", 3, true);
        byScalar(t, "VQDMULH_sc", "vqdmulh", 3, false);
        byScalar(t, "VQRDMULH_sc", "vqrdmulh", 3, false);
    }

    // ------------------------------------------------------------------------------------ A7.4.1

    private static void three(Map<String, Formatter> table, String name, String mnemonic, int kind, boolean swap) {
        table.put(name, (w, a) -> {
            int esize = 8 << bits(w, 21, 20);
            String type;
            switch (kind) {
                case 0: type = "." + signedness(w) + width(esize, false); break;   // .s / .u, no 64
                case 1: type = "." + signedness(w) + width(esize, true); break;    // .s / .u with 64
                case 2: type = ".i" + width(esize, true); break;
                case 3: type = ".i" + width(esize, false); break;
                case 4: type = "." + width(esize, false); break;
                case 5: type = ".p" + esize; break;
                case 6: type = ".s" + width(esize, false); break;
                case 7: type = bit(w, 20) ? ".f16" : ".f32"; break;
                default: type = ""; break;
            }
            boolean q = bit(w, 6);
            String first = reg(swap ? vm(w) : vn(w), q);
            String second = reg(swap ? vn(w) : vm(w), q);
            return insn(mnemonic + type, reg(vd(w), q) + ", " + first + ", " + second);
        });
    }

    private static void threeSame(Map<String, Formatter> t) {
        three(t, "VHADD", "vhadd", 0, false);
        three(t, "VQADD", "vqadd", 1, false);
        three(t, "VRHADD", "vrhadd", 0, false);
        three(t, "VAND", "vand", 8, false);
        three(t, "VBIC_reg", "vbic", 8, false);
        three(t, "VORR_reg", "vorr", 8, false);
        three(t, "VORN", "vorn", 8, false);
        three(t, "VEOR", "veor", 8, false);
        three(t, "VBSL", "vbsl", 8, false);
        three(t, "VBIT", "vbit", 8, false);
        three(t, "VBIF", "vbif", 8, false);
        three(t, "VHSUB", "vhsub", 0, false);
        three(t, "VQSUB", "vqsub", 1, false);
        three(t, "VCGT_reg", "vcgt", 0, false);
        three(t, "VCGE_reg", "vcge", 0, false);
        three(t, "VSHL_reg", "vshl", 1, true);
        three(t, "VQSHL_reg", "vqshl", 1, true);
        three(t, "VRSHL", "vrshl", 1, true);
        three(t, "VQRSHL", "vqrshl", 1, true);
        three(t, "VMAX_i", "vmax", 0, false);
        three(t, "VMIN_i", "vmin", 0, false);
        three(t, "VABD_i", "vabd", 0, false);
        three(t, "VABA", "vaba", 0, false);
        three(t, "VADD_i", "vadd", 2, false);
        three(t, "VSUB_i", "vsub", 2, false);
        three(t, "VTST", "vtst", 4, false);
        three(t, "VCEQ_reg", "vceq", 3, false);
        three(t, "VMLA_i", "vmla", 3, false);
        three(t, "VMLS_i", "vmls", 3, false);
        three(t, "VMUL_i", "vmul", 3, false);
        three(t, "VMUL_p", "vmul", 5, false);
        three(t, "VPMAX_i", "vpmax", 0, false);
        three(t, "VPMIN_i", "vpmin", 0, false);
        three(t, "VQDMULH", "vqdmulh", 6, false);
        three(t, "VQRDMULH", "vqrdmulh", 6, false);
        three(t, "VPADD_i", "vpadd", 3, false);
        three(t, "VFMA_s", "vfma", 7, false);
        three(t, "VFMS_s", "vfms", 7, false);
        three(t, "VADD_fs", "vadd", 7, false);
        three(t, "VSUB_fs", "vsub", 7, false);
        three(t, "VPADD_f", "vpadd", 7, false);
        three(t, "VABD_f", "vabd", 7, false);
        three(t, "VMLA_fs", "vmla", 7, false);
        three(t, "VMLS_fs", "vmls", 7, false);
        three(t, "VMUL_fs", "vmul", 7, false);
        three(t, "VCEQ_f", "vceq", 7, false);
        three(t, "VCGE_f", "vcge", 7, false);
        three(t, "VCGT_f", "vcgt", 7, false);
        three(t, "VACGE", "vacge", 7, false);
        three(t, "VACGT", "vacgt", 7, false);
        three(t, "VMAX_f", "vmax", 7, false);
        three(t, "VMIN_f", "vmin", 7, false);
        three(t, "VPMAX_f", "vpmax", 7, false);
        three(t, "VPMIN_f", "vpmin", 7, false);
        three(t, "VRECPS", "vrecps", 7, false);
        three(t, "VRSQRTS", "vrsqrts", 7, false);
    }

    // ------------------------------------------------------------------------------------ A7.4.6

    private static String modifiedImmediate(int w) {
        int cmode = bits(w, 11, 8);
        int op = bits(w, 5, 5);
        if (cmode == 15 && op == 1) {
            return Syntax.undefined(w);
        }
        int imm8 = (bits(w, 24, 24) << 7) | (bits(w, 18, 16) << 4) | bits(w, 3, 0);
        String dest = reg(vd(w), bit(w, 6));
        String mnemonic;
        String operand;
        if (cmode == 15) {
            int single = (imm8 & 0x80) << 24 | ((imm8 & 0x40) != 0 ? 0x3E00_0000 : 0x4000_0000) | (imm8 & 0x3F) << 19;
            float value = Float.intBitsToFloat(single);
            String text = value == (int) value ? Integer.toString((int) value) : floatText(value);
            return insn("vmov.f32", dest + ", #" + text) + String.format("\t@ 0x%08x", single);
        }
        if (cmode == 14 && op == 1) {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                if ((imm8 & (1 << i)) != 0) {
                    v |= 0xFFL << (8 * i);
                }
            }
            return insn("vmov.i64", dest + ", #0x" + String.format("%016x", v));
        }
        if (cmode == 14) {
            return insn("vmov.i8", dest + ", #" + imm8) + String.format("\t@ 0x%02x", imm8);
        }
        boolean logical = cmode < 12 && (cmode & 1) == 1;
        if (cmode >= 8 && cmode < 12) {
            int v = (cmode & 2) != 0 ? imm8 << 8 : imm8;
            mnemonic = logical ? (op == 0 ? "vorr" : "vbic") : (op == 0 ? "vmov" : "vmvn");
            operand = "#" + v + String.format("\t@ 0x%04x", v);
            return insn(mnemonic + ".i16", dest + ", " + operand.substring(0, operand.indexOf('\t'))) + operand.substring(operand.indexOf('\t'));
        }
        int v;
        if (cmode < 8) {
            v = imm8 << (8 * (cmode >>> 1));
        } else {
            v = (cmode & 1) == 0 ? (imm8 << 8) | 0xFF : (imm8 << 16) | 0xFFFF;
        }
        mnemonic = logical ? (op == 0 ? "vorr" : "vbic") : (op == 0 ? "vmov" : "vmvn");
        return insn(mnemonic + ".i32", dest + ", #" + v) + String.format("\t@ 0x%08x", v);
    }

    private static String floatText(float value) {
        String s = Float.toString(value);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    // ------------------------------------------------------------------------------------ A7.4.4

    private static int shiftEsize(int w) {
        if (bit(w, 7)) {
            return 64;
        }
        return bit(w, 21) ? 32 : bit(w, 20) ? 16 : 8;
    }

    private static int rightShift(int w, int esize) {
        return (esize == 64 ? 64 : 2 * esize) - bits(w, 21, 16);
    }

    private static int leftShift(int w, int esize) {
        return bits(w, 21, 16) - (esize == 64 ? 0 : esize);
    }

    /** kind: 0 .s/.u, 1 plain size, 2 .s; right: a right shift. */
    private static void shift(Map<String, Formatter> table, String name, String mnemonic, int kind, boolean right) {
        for (String size : new String[] {"_8", "_16", "_32", "_64"}) {
            table.put(name + size, (w, a) -> {
                int esize = shiftEsize(w);
                String type = kind == 0 ? "." + signedness(w) + esize : kind == 1 ? "." + esize : ".s" + esize;
                int amount = right ? rightShift(w, esize) : leftShift(w, esize);
                boolean q = bit(w, 6);
                return insn(mnemonic + type, reg(vd(w), q) + ", " + reg(vm(w), q) + ", #" + amount) + (right ? "" : Syntax.valueComment(amount));
            });
        }
    }

    private static void narrowShift(Map<String, Formatter> table, String name, String mnemonic, String kind) {
        for (String size : new String[] {"_8", "_16", "_32"}) {
            table.put(name + size, (w, a) -> {
                int esize = shiftEsize(w);
                String type = "." + (kind.equals("su") ? signedness(w) : kind) + 2 * esize;
                int amount = rightShift(w, esize);
                return insn(mnemonic + type, dReg(vd(w)) + ", " + qReg(vm(w)) + ", #" + amount) + Syntax.valueComment(amount);
            });
        }
    }

    private static void shifts(Map<String, Formatter> t) {
        shift(t, "VSHR", "vshr", 0, true);
        shift(t, "VSRA", "vsra", 0, true);
        shift(t, "VRSHR", "vrshr", 0, true);
        shift(t, "VRSRA", "vrsra", 0, true);
        shift(t, "VSRI", "vsri", 1, true);
        shift(t, "VSHL_imm", "vshl", 2, false);
        shift(t, "VSLI", "vsli", 1, false);
        shift(t, "VQSHLU", "vqshlu", 2, false);
        shift(t, "VQSHL_imm", "vqshl", 0, false);
        narrowShift(t, "VSHRN", "vshrn", "i");
        narrowShift(t, "VRSHRN", "vrshrn", "i");
        narrowShift(t, "VQSHRUN", "vqshrun", "s");
        narrowShift(t, "VQRSHRUN", "vqrshrun", "s");
        narrowShift(t, "VQSHRN", "vqshrn", "su");
        narrowShift(t, "VQRSHRN", "vqrshrn", "su");
        for (String size : new String[] {"_8", "_16", "_32"}) {
            t.put("VSHLL" + size, (w, a) -> {
                int esize = shiftEsize(w);
                int amount = leftShift(w, esize);
                String operands = qReg(vd(w)) + ", " + dReg(vm(w));
                return amount == 0 ? insn("vmovl." + signedness(w) + esize, operands)
                        : insn("vshll." + signedness(w) + esize, operands + ", #" + amount) + Syntax.valueComment(amount);
            });
        }
        t.put("VCVT_fx_s", (w, a) -> {
            String fixed = "." + signedness(w) + "32";
            String types = bit(w, 8) ? fixed + ".f32" : ".f32" + fixed;
            boolean q = bit(w, 6);
            int fbits = 64 - bits(w, 21, 16);
            return insn("vcvt" + types, reg(vd(w), q) + ", " + reg(vm(w), q) + ", #" + fbits) + Syntax.valueComment(fbits);
        });
    }

    // ------------------------------------------------------------------------------------ A7.4.5

    private static void two(Map<String, Formatter> table, String name, String mnemonic, String type) {
        table.put(name, (w, a) -> {
            int esize = 8 << bits(w, 19, 18);
            String ty = type.replace("#", width(esize, false)).replace("$", bit(w, 7) ? "u" : "s");
            boolean q = bit(w, 6);
            return insn(mnemonic + ty, reg(vd(w), q) + ", " + reg(vm(w), q));
        });
    }

    private static void zero(Map<String, Formatter> table, String name, String mnemonic) {
        table.put(name, (w, a) -> {
            int esize = 8 << bits(w, 19, 18);
            String type = bit(w, 10) ? ".f" + esize : (mnemonic.equals("vceq") ? ".i" : ".s") + width(esize, false);
            boolean q = bit(w, 6);
            return insn(mnemonic + type, reg(vd(w), q) + ", " + reg(vm(w), q) + ", #0");
        });
    }

    private static void misc(Map<String, Formatter> t) {
        two(t, "VREV64", "vrev64", ".#");
        two(t, "VREV32", "vrev32", ".#");
        two(t, "VREV16", "vrev16", ".#");
        two(t, "VPADDL", "vpaddl", ".$#");
        two(t, "VPADAL", "vpadal", ".$#");
        two(t, "VCLS", "vcls", ".s#");
        two(t, "VCLZ", "vclz", ".i#");
        two(t, "VCNT", "vcnt", ".#");
        t.put("VMVN_reg", (w, a) -> bits(w, 19, 18) != 0 ? Syntax.undefined(w)
                : insn("vmvn", reg(vd(w), bit(w, 6)) + ", " + reg(vm(w), bit(w, 6))));
        two(t, "VQABS", "vqabs", ".s#");
        two(t, "VQNEG", "vqneg", ".s#");
        zero(t, "VCGT_z", "vcgt");
        zero(t, "VCGE_z", "vcge");
        zero(t, "VCEQ_z", "vceq");
        zero(t, "VCLE_z", "vcle");
        zero(t, "VCLT_z", "vclt");
        for (String[] n : new String[][] {{"VABS_s", "vabs"}, {"VNEG_s", "vneg"}}) {
            t.put(n[0], (w, a) -> {
                int esize = 8 << bits(w, 19, 18);
                String type = bit(w, 10) ? ".f" + esize : ".s" + width(esize, false);
                return insn(n[1] + type, reg(vd(w), bit(w, 6)) + ", " + reg(vm(w), bit(w, 6)));
            });
        }
        t.put("VSWP", (w, a) -> insn("vswp", reg(vd(w), bit(w, 6)) + ", " + reg(vm(w), bit(w, 6))));
        two(t, "VTRN", "vtrn", ".#");
        two(t, "VUZP", "vuzp", ".#");
        two(t, "VZIP", "vzip", ".#");
        for (String[] n : new String[][] {{"VMOVN", "vmovn", "i"}, {"VQMOVUN", "vqmovun", "s"}}) {
            t.put(n[0], (w, a) -> insn(n[1] + "." + n[2] + (16 << bits(w, 19, 18)), dReg(vd(w)) + ", " + qReg(vm(w))));
        }
        t.put("VQMOVN", (w, a) -> insn("vqmovn." + (bit(w, 6) ? "u" : "s") + (16 << bits(w, 19, 18)), dReg(vd(w)) + ", " + qReg(vm(w))));
        t.put("VSHLL_max", (w, a) -> {
            int esize = 8 << bits(w, 19, 18);
            return insn("vshll.i" + esize, qReg(vd(w)) + ", " + dReg(vm(w)) + ", #" + esize) + Syntax.valueComment(esize);
        });
        t.put("VCVT_hs", (w, a) -> bit(w, 8) ? insn("vcvt.f32.f16", qReg(vd(w)) + ", " + dReg(vm(w)))
                : insn("vcvt.f16.f32", dReg(vd(w)) + ", " + qReg(vm(w))));
        for (String[] n : new String[][] {{"VRECPE", "vrecpe"}, {"VRSQRTE", "vrsqrte"}}) {
            t.put(n[0], (w, a) -> {
                String type = bit(w, 8) ? (bits(w, 19, 18) == 1 ? ".f16" : ".f32") : ".u32";
                return insn(n[1] + type, reg(vd(w), bit(w, 6)) + ", " + reg(vm(w), bit(w, 6)));
            });
        }
        t.put("VCVT_fi", (w, a) -> {
            String[] types = {".f32.s32", ".f32.u32", ".s32.f32", ".u32.f32"};
            return insn("vcvt" + types[bits(w, 8, 7)], reg(vd(w), bit(w, 6)) + ", " + reg(vm(w), bit(w, 6)));
        });
        t.put("VEXT", (w, a) -> {
            boolean q = bit(w, 6);
            int imm = bits(w, 11, 8);
            return insn("vext.8", reg(vd(w), q) + ", " + reg(vn(w), q) + ", " + reg(vm(w), q) + ", #" + imm);
        });
        for (String[] n : new String[][] {{"VTBL", "vtbl"}, {"VTBX", "vtbx"}}) {
            t.put(n[0], (w, a) -> {
                int first = vn(w);
                int length = bits(w, 9, 8) + 1;
                String list = length == 1 ? "{d" + first + "}" : "{d" + first + "-d" + (first + length - 1) + "}";
                return insn(n[1] + ".8", dReg(vd(w)) + ", " + list + ", " + dReg(vm(w)));
            });
        }
        t.put("VDUP_s", (w, a) -> {
            int imm4 = bits(w, 19, 16);
            String size;
            int index;
            if ((imm4 & 1) != 0) {
                size = ".8";
                index = imm4 >>> 1;
            } else if ((imm4 & 2) != 0) {
                size = ".16";
                index = imm4 >>> 2;
            } else if ((imm4 & 4) != 0) {
                size = ".32";
                index = imm4 >>> 3;
            } else {
                return Syntax.undefined(w);
            }
            return insn("vdup" + size, reg(vd(w), bit(w, 6)) + ", " + dReg(vm(w)) + "[" + index + "]");
        });
    }

    // ------------------------------------------------------------------------------------ A7.7

    private static String address(int w, int alignmentBits) {
        String base = "[" + Syntax.r(w, 16) + (alignmentBits > 0 ? " :" + alignmentBits : "") + "]";
        int m = bits(w, 3, 0);
        return m == 15 ? base : m == 13 ? base + "!" : base + ", " + Syntax.REG[m];
    }

    /** A register list of {@code count} registers from {@code first}, {@code inc} apart, each with {@code suffix}. */
    private static String list(int first, int count, int inc, String suffix) {
        if (count == 1) {
            return "{d" + first + suffix + "}";
        }
        if (inc == 1 && !suffix.startsWith("[") || suffix.equals("[]") && inc == 1) {
            return "{d" + first + suffix + "-d" + (first + count - 1) + suffix + "}";
        }
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ",").append('d').append(first + i * inc).append(suffix);
        }
        return sb.append('}').toString();
    }

    private static final int[] TYPE_STRUCT = {4, 4, 1, 2, 3, 3, 1, 1, 2, 2, 1};
    private static final int[] TYPE_REGS = {4, 4, 4, 4, 3, 3, 3, 1, 2, 2, 2};
    private static final int[] TYPE_INC = {1, 2, 1, 1, 1, 2, 1, 1, 1, 2, 1};

    private static void loadStore(Map<String, Formatter> t) {
        t.put("VST_multi", (w, a) -> multiple("vst", w));
        t.put("VLD_multi", (w, a) -> multiple("vld", w));
        t.put("VST_lane", (w, a) -> lane("vst", w));
        t.put("VLD_lane", (w, a) -> lane("vld", w));
        t.put("VLD_all", (w, a) -> allLanes(w));
    }

    private static String multiple(String mnemonic, int w) {
        int type = bits(w, 11, 8);
        if (type > 10) {
            return Syntax.undefined(w);
        }
        int structures = TYPE_STRUCT[type];
        int esize = 8 << bits(w, 7, 6);
        int align = bits(w, 5, 4);
        String size = "." + width(esize, structures == 1);
        String regs = list(vd(w), TYPE_REGS[type], TYPE_INC[type], "");
        return insn(mnemonic + structures + size, regs + ", " + address(w, align == 0 ? 0 : 32 << align));
    }

    private static String lane(String mnemonic, int w) {
        int size = bits(w, 11, 10);
        int structures = bits(w, 9, 8) + 1;
        int ia = bits(w, 7, 4);
        int ebytes = 1 << size;
        int index = ia >>> (size + 1);
        int inc = size == 0 ? 1 : ((ia >>> size) & 1) != 0 && structures > 1 ? 2 : 1;
        int alignment = 0;
        if (size == 0 && (ia & 1) != 0) {
            alignment = structures == 1 || structures == 3 ? -1 : structures == 2 ? 16 : 32;
        } else if (size == 1 && (ia & 1) != 0) {
            alignment = structures == 1 ? 16 : structures == 2 ? 32 : structures == 4 ? 64 : -1;
        } else if (size == 2 && (ia & 3) != 0) {
            alignment = structures == 1 ? ((ia & 3) == 3 ? 32 : -1) : structures == 2 ? ((ia & 1) != 0 ? 64 : -1)
                    : structures == 4 ? ((ia & 3) == 3 ? -1 : 32 << (ia & 3)) : -1;
        }
        if (alignment < 0) {
            return Syntax.undefined(w);
        }
        return insn(mnemonic + structures + "." + ebytes * 8, list(vd(w), structures, inc, "[" + index + "]") + ", "
                + address(w, alignment));
    }

    private static String allLanes(int w) {
        int size = bits(w, 7, 6);
        int structures = bits(w, 9, 8) + 1;
        boolean tbit = bit(w, 5);
        boolean abit = bit(w, 4);
        int esize = 8 << size;
        int count = structures == 1 ? (tbit ? 2 : 1) : structures;
        int inc = structures == 1 ? 1 : tbit ? 2 : 1;
        int alignment = 0;
        if (abit) {
            switch (structures) {
                case 1: alignment = esize; break;
                case 2: alignment = 2 * esize; break;
                case 4: alignment = size == 2 ? 64 : size == 3 ? 128 : 4 * esize; break;
                default: alignment = -1; break;
            }
        }
        if (alignment < 0) {
            return Syntax.undefined(w);
        }
        String type = structures == 4 && size == 3 ? ".32" : "." + width(esize, false);
        return insn("vld" + structures + type, list(vd(w), count, inc, "[]") + ", " + address(w, alignment));
    }
}
