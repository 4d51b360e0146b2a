package brassboard.arm.t32;

import static brassboard.arm.t32.DataProcessing.low;

/**
 * T32 multiplies, long multiplies and divides (ARM ARM A6.2.2 MULS, A6.3.16, A6.3.17): the A32
 * instructions of the same operation with the register fields moved, rewritten to them.
 */
final class Multiply {
    private Multiply() {
    }

    private static int rn(int w) {
        return (w >>> 16) & 15;
    }

    private static int ra(int w) {
        return (w >>> 12) & 15;
    }

    private static int rd(int w) {
        return (w >>> 8) & 15;
    }

    private static int rm(int w) {
        return w & 15;
    }

    /** A32 layout Rd(19:16) Ra(15:12) Rm(11:8) Rn(3:0); {@code low} = bits 7:4 and whatever else is fixed. */
    private static int accumulate(int a32, int w) {
        return a32 | rd(w) << 16 | ra(w) << 12 | rm(w) << 8 | rn(w);
    }

    /** SMLAxy / SMULxy / SMLALxy: T32 N (bit 5) and M (bit 4) are A32's x (bit 5) and y (bit 6). */
    private static int xy(int w) {
        return (w & 0x20) | (w & 0x10) << 2;
    }

    /** A32 long layout RdHi(19:16) RdLo(15:12) Rm(11:8) Rn(3:0); T32 has RdLo in 15:12 and RdHi in 11:8. */
    private static int lng(int a32, int w) {
        return a32 | rd(w) << 16 | ra(w) << 12 | rm(w) << 8 | rn(w);
    }

    static Binding bind(String name) {
        switch (name) {
            // MULS <Rdm>, <Rn>, <Rdm>
            case "MUL16": return Binding.asA32FlagsOutsideIt(h -> 0xE0100090 | low(h, 0) << 16 | low(h, 0) << 8 | low(h, 3));
            case "MLA32": return Binding.asA32(w -> accumulate(0xE0200090, w));
            case "MUL32": return Binding.asA32(w -> accumulate(0xE0000090, w) & ~0xF000);
            case "MLS32": return Binding.asA32(w -> accumulate(0xE0600090, w));
            case "SMLAxy32": return Binding.asA32(w -> accumulate(0xE1000080, w) | xy(w));
            case "SMULxy32": return Binding.asA32(w -> accumulate(0xE1600080, w) & ~0xF000 | xy(w));
            case "SMLAD32": return Binding.asA32(w -> accumulate(0xE7000010, w) | (w & 0x10) << 1);
            case "SMUAD32": return Binding.asA32(w -> accumulate(0xE7000010, w) | (w & 0x10) << 1);
            case "SMLAWy32": return Binding.asA32(w -> accumulate(0xE1200080, w) | (w & 0x10) << 2);
            case "SMULWy32": return Binding.asA32(w -> accumulate(0xE12000A0, w) & ~0xF000 | (w & 0x10) << 2);
            case "SMLSD32": return Binding.asA32(w -> accumulate(0xE7000050, w) | (w & 0x10) << 1);
            case "SMUSD32": return Binding.asA32(w -> accumulate(0xE7000050, w) | (w & 0x10) << 1);
            case "SMMLA32": return Binding.asA32(w -> accumulate(0xE7500010, w) | (w & 0x10) << 1);
            case "SMMUL32": return Binding.asA32(w -> accumulate(0xE7500010, w) | (w & 0x10) << 1);
            case "SMMLS32": return Binding.asA32(w -> accumulate(0xE75000D0, w) | (w & 0x10) << 1);
            case "SMULL32": return Binding.asA32(w -> lng(0xE0C00090, w));
            case "UMULL32": return Binding.asA32(w -> lng(0xE0800090, w));
            case "SMLAL32": return Binding.asA32(w -> lng(0xE0E00090, w));
            case "UMLAL32": return Binding.asA32(w -> lng(0xE0A00090, w));
            case "UMAAL32": return Binding.asA32(w -> lng(0xE0400090, w));
            case "SMLALxy32": return Binding.asA32(w -> lng(0xE1400080, w) | xy(w));
            case "SMLALD32": return Binding.asA32(w -> lng(0xE7400010, w) | (w & 0x10) << 1);
            case "SMLSLD32": return Binding.asA32(w -> lng(0xE7400050, w) | (w & 0x10) << 1);
            // SDIV / UDIV <Rd>, <Rn>, <Rm>: A32 Rd(19:16) 1111 Rm(11:8) 0001 Rn(3:0)
            case "SDIV32": return Binding.asA32(w -> 0xE710F010 | rd(w) << 16 | rm(w) << 8 | rn(w));
            case "UDIV32": return Binding.asA32(w -> 0xE730F010 | rd(w) << 16 | rm(w) << 8 | rn(w));
            default: return null;
        }
    }
}
