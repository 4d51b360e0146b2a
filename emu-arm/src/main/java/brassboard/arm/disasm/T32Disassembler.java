package brassboard.arm.disasm;

import static brassboard.arm.disasm.Syntax.REG;

import brassboard.arm.t32.T32Decoder;
import brassboard.arm.t32.T32Encoding;
import brassboard.arm.t32.T32Interpreter;

/**
 * Disassembles T32 instructions to the unified assembler syntax as {@code arm-none-eabi-objdump -d}
 * prints Thumb code (without symbols). An instruction is a halfword, or hw1:hw2 (hw1 in bits 31:16).
 *
 * <p>Instructions the T32 interpreter rewrites to an equivalent A32 word are printed from that word
 * with {@link A32Disassembler}'s syntax, adjusted as objdump prints Thumb (two-operand 16-bit forms,
 * {@code .w} on 32-bit encodings that have a 16-bit one); the others have formatters here. Inside an
 * IT block ({@link Listing}) the block's condition is printed and 16-bit instructions lose their S.
 */
public final class T32Disassembler {
    private static final T32Encoding[] ENCODINGS = T32Decoder.encodings();

    private T32Disassembler() {
    }

    /** Disassembles a run of instructions, following IT blocks as objdump does. */
    public static final class Listing {
        private int itState;

        /** The text for {@code insn} at {@code address}, the next instruction of the run. */
        public String next(int insn, int address) {
            int cond = (itState & 0xF) != 0 ? itState >>> 4 : -1;
            String text = format(insn, address, cond);
            if ((itState & 0xF) != 0) {
                itState = (itState & 7) == 0 ? 0 : (itState & 0xE0) | ((itState << 1) & 0x1F);
            }
            if (!T32Decoder.isWide(insn >>> 16) && (insn & 0xFF00) == 0xBF00 && (insn & 0xF) != 0) {
                itState = insn & 0xFF;
            }
            return text;
        }
    }

    /** The text for one instruction outside an IT block. */
    public static String disassemble(int insn, int address) {
        return format(insn, address, -1);
    }

    private static String name(int insn) {
        boolean wide = T32Decoder.isWide(insn >>> 16);
        int e = wide ? T32Decoder.decodeWide(insn) : T32Decoder.decodeNarrow(insn);
        return e < 0 ? null : ENCODINGS[e].name();
    }

    /** {@code cond}: the IT block's condition for this instruction, or -1 outside a block. */
    static String format(int insn, int address, int cond) {
        String name = name(insn);
        if (name == null) {
            return T32Decoder.isWide(insn >>> 16) ? String.format("\t\t@ <UNDEFINED> instruction: 0x%08x", insn)
                    : String.format("\t\t@ <UNDEFINED> instruction: 0x%04x", insn);
        }
        String c = cond < 0 || cond >= 14 ? "" : Syntax.COND[cond];
        String text = T32Syntax.format(name, insn, address, c, cond >= 0);
        if (text != null) {
            return text;
        }
        int a32 = T32Interpreter.a32Equivalent(insn, cond >= 0);
        if (cond >= 0 && (a32 >>> 28) == 0xE) {
            a32 = (a32 & 0x0FFF_FFFF) | (cond == 14 ? 0xE : cond) << 28;
        }
        String t = A32Disassembler.disassemble(a32, address);
        return T32Syntax.adjust(name, insn, t);
    }

    static String reg(int n) {
        return REG[n & 15];
    }
}
