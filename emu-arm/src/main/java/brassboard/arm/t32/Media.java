package brassboard.arm.t32;

import static brassboard.arm.t32.DataProcessing.low;

/**
 * T32 miscellaneous data processing (ARM ARM A6.2.5 extends and reverses, A6.3.3 saturate and
 * bitfield, A6.3.12-A6.3.15 extend-and-add, parallel add / subtract, saturating add / subtract,
 * REV / RBIT / SEL / CLZ, A6.3.16 USAD8 / USADA8, PKH): the A32 media instructions of the same
 * operation with the fields moved, rewritten to them.
 */
final class Media {
    private Media() {
    }

    private static int rd(int w) {
        return (w >>> 8) & 15;
    }

    /** imm3:imm2 (bits 14:12, 7:6), the lsb / shift amount of the 32-bit forms. */
    private static int imm5(int w) {
        return ((w >>> 10) & 0x1C) | ((w >>> 6) & 3);
    }

    /** An A32 word Rn(19:16) Rd(15:12) 1111 .... Rm(3:0) from T32's Rn(hw1) Rd(hw2 11:8) Rm(hw2 3:0). */
    private static int nDm(int a32, int w) {
        return a32 | (w & 0xF0000) | rd(w) << 12 | (w & 15);
    }

    /** A32 op1 (bits 22:20) of the parallel add / subtract prefix, by T32 hw2 bits 6:4 (U, op2); 0: UNDEFINED. */
    private static final int[] PARALLEL_PREFIX = {0b001, 0b010, 0b011, 0, 0b101, 0b110, 0b111, 0};
    /** A32 op2 (bits 7:5) of the parallel add / subtract operation, by T32 hw1 bits 6:4; -1: UNDEFINED. */
    private static final int[] PARALLEL_OP = {0b100, 0b000, 0b001, -1, 0b111, 0b011, 0b010, -1};

    /** SADD16 and its family; an unallocated combination becomes an A32 word that is UNDEFINED too. */
    private static int parallel(int w) {
        int prefix = PARALLEL_PREFIX[(w >>> 4) & 7];
        int op = PARALLEL_OP[(w >>> 20) & 7];
        if (prefix == 0 || op < 0) {
            return 0xE7F000F0; // UDF
        }
        return nDm(0xE6000F10, w) | prefix << 20 | op << 5;
    }

    static Binding bind(String name) {
        switch (name) {
            // 16-bit extends and reverses: <op> <Rd>, <Rm>
            case "SXTH16": return Binding.asA32(h -> 0xE6BF0070 | low(h, 0) << 12 | low(h, 3));
            case "SXTB16_16": return Binding.asA32(h -> 0xE6AF0070 | low(h, 0) << 12 | low(h, 3));
            case "UXTH16": return Binding.asA32(h -> 0xE6FF0070 | low(h, 0) << 12 | low(h, 3));
            case "UXTB16_16": return Binding.asA32(h -> 0xE6EF0070 | low(h, 0) << 12 | low(h, 3));
            case "REV_16": return Binding.asA32(h -> 0xE6BF0F30 | low(h, 0) << 12 | low(h, 3));
            case "REV16_16": return Binding.asA32(h -> 0xE6BF0FB0 | low(h, 0) << 12 | low(h, 3));
            case "REVSH16": return Binding.asA32(h -> 0xE6FF0FB0 | low(h, 0) << 12 | low(h, 3));
            // saturate and bitfield (A6.3.3)
            case "SSAT32": return Binding.asA32(w -> 0xE6A00010 | (w & 31) << 16 | rd(w) << 12 | imm5(w) << 7
                    | ((w >>> 21) & 1) << 6 | (w >>> 16) & 15);
            case "USAT32": return Binding.asA32(w -> 0xE6E00010 | (w & 31) << 16 | rd(w) << 12 | imm5(w) << 7
                    | ((w >>> 21) & 1) << 6 | (w >>> 16) & 15);
            case "SSAT16_32": return Binding.asA32(w -> 0xE6A00F30 | (w & 15) << 16 | rd(w) << 12 | (w >>> 16) & 15);
            case "USAT16_32": return Binding.asA32(w -> 0xE6E00F30 | (w & 15) << 16 | rd(w) << 12 | (w >>> 16) & 15);
            case "SBFX32": return Binding.asA32(w -> 0xE7A00050 | (w & 31) << 16 | rd(w) << 12 | imm5(w) << 7 | (w >>> 16) & 15);
            case "UBFX32": return Binding.asA32(w -> 0xE7E00050 | (w & 31) << 16 | rd(w) << 12 | imm5(w) << 7 | (w >>> 16) & 15);
            case "BFI32":
            case "BFC32": return Binding.asA32(w -> 0xE7C00010 | (w & 31) << 16 | rd(w) << 12 | imm5(w) << 7 | (w >>> 16) & 15);
            // PKHBT / PKHTB <Rd>, <Rn>, <Rm>{, <shift>}
            case "PKH32": return Binding.asA32(w -> nDm(0xE6800010, w) & ~0xF00 | imm5(w) << 7 | (w & 0x20) << 1);
            // extend and add: <op> <Rd>, <Rn>, <Rm>{, ROR #<rotation>} (Rn == 1111: the plain extend)
            case "SXTAH32": return Binding.asA32(w -> extend(0xE6B00070, w));
            case "UXTAH32": return Binding.asA32(w -> extend(0xE6F00070, w));
            case "SXTAB16_32": return Binding.asA32(w -> extend(0xE6800070, w));
            case "UXTAB16_32": return Binding.asA32(w -> extend(0xE6C00070, w));
            case "SXTAB32": return Binding.asA32(w -> extend(0xE6A00070, w));
            case "UXTAB32": return Binding.asA32(w -> extend(0xE6E00070, w));
            case "PARALLEL32": return Binding.asA32(Media::parallel);
            // QADD <Rd>, <Rm>, <Rn>: A32 has Rn in 19:16, Rm in 3:0 as T32 does
            case "QADD32": return Binding.asA32(w -> nDm(0xE1000050, w) & ~0xF00);
            case "QDADD32": return Binding.asA32(w -> nDm(0xE1400050, w) & ~0xF00);
            case "QSUB32": return Binding.asA32(w -> nDm(0xE1200050, w) & ~0xF00);
            case "QDSUB32": return Binding.asA32(w -> nDm(0xE1600050, w) & ~0xF00);
            // REV.W <Rd>, <Rm> and friends (Rm in both halfwords; hw2's is used)
            case "REV32": return Binding.asA32(w -> 0xE6BF0F30 | rd(w) << 12 | (w & 15));
            case "REV16_32": return Binding.asA32(w -> 0xE6BF0FB0 | rd(w) << 12 | (w & 15));
            case "RBIT32": return Binding.asA32(w -> 0xE6FF0F30 | rd(w) << 12 | (w & 15));
            case "REVSH32": return Binding.asA32(w -> 0xE6FF0FB0 | rd(w) << 12 | (w & 15));
            case "SEL32": return Binding.asA32(w -> nDm(0xE6800FB0, w));
            case "CLZ32": return Binding.asA32(w -> 0xE16F0F10 | rd(w) << 12 | (w & 15));
            // USADA8 <Rd>, <Rn>, <Rm>, <Ra>: A32 Rd(19:16) Ra(15:12) Rm(11:8) Rn(3:0)
            case "USADA8_32":
            case "USAD8_32": return Binding.asA32(w -> 0xE7800010 | rd(w) << 16 | (w & 0xF000) | (w & 15) << 8 | (w >>> 16) & 15);
            default: return null;
        }
    }

    /** A32 Rn(19:16) Rd(15:12) rotate(11:10) Rm(3:0); T32 has the rotation in hw2 bits 5:4. */
    private static int extend(int a32, int w) {
        return a32 | (w & 0xF0000) | rd(w) << 12 | ((w >>> 4) & 3) << 10 | (w & 15);
    }
}
