package brassboard.devices.primecell;

import brassboard.bus.api.regs.Access;
import brassboard.bus.api.regs.RegisterBank;

/**
 * The identification registers every PrimeCell carries at the top of its 4 KiB window
 * (PL011 TRM DDI 0183 §3.3.15-3.3.16, PL031 TRM DDI 0224 §3.3.9-3.3.10): four PeriphID
 * registers holding the part number, designer, revision and configuration, and four PCellID
 * registers holding the fixed PrimeCell preamble. Each register carries one byte.
 */
public final class PrimeCellId {
    /** Offset of PeriphID0; PeriphID1-3 follow a word apart. */
    public static final int PERIPH_ID0 = 0xFE0;
    /** Offset of PCellID0; PCellID1-3 follow a word apart. */
    public static final int PCELL_ID0 = 0xFF0;
    /** The PrimeCell preamble, PCellID0-3. */
    private static final int[] PCELL_ID = {0x0D, 0xF0, 0x05, 0xB1};
    /** ARM's JEP106 designer code, in PeriphID1[7:4] and PeriphID2[3:0]. */
    public static final int DESIGNER_ARM = 0x41;

    private static final int WORD = 4;
    private static final int BYTE_BITS = 8;
    private static final int NIBBLE_BITS = 4;
    private static final int NIBBLE_MASK = 0xF;
    private static final int BYTE_MASK = 0xFF;

    private PrimeCellId() {
    }

    /**
     * Declares RO {@code <prefix>PeriphID0-3} and {@code <prefix>PCellID0-3} in {@code bank}.
     *
     * @param prefix        the spec prefix of the register names ({@code UART}, {@code RTC})
     * @param partNumber    12-bit part number ({@code 0x011} for the PL011)
     * @param designer      8-bit designer code ({@link #DESIGNER_ARM})
     * @param revision      4-bit revision
     * @param configuration 8-bit configuration
     */
    public static void declare(RegisterBank bank, String prefix, int partNumber, int designer, int revision, int configuration) {
        bank.define(prefix + "PeriphID0", PERIPH_ID0)
                .field("PartNumber0", 0, BYTE_BITS, Access.RO, partNumber & BYTE_MASK);
        bank.define(prefix + "PeriphID1", PERIPH_ID0 + WORD)
                .field("PartNumber1", 0, NIBBLE_BITS, Access.RO, (partNumber >>> BYTE_BITS) & NIBBLE_MASK)
                .field("Designer0", NIBBLE_BITS, NIBBLE_BITS, Access.RO, designer & NIBBLE_MASK);
        bank.define(prefix + "PeriphID2", PERIPH_ID0 + 2 * WORD)
                .field("Designer1", 0, NIBBLE_BITS, Access.RO, (designer >>> NIBBLE_BITS) & NIBBLE_MASK)
                .field("Revision", NIBBLE_BITS, NIBBLE_BITS, Access.RO, revision & NIBBLE_MASK);
        bank.define(prefix + "PeriphID3", PERIPH_ID0 + 3 * WORD)
                .field("Configuration", 0, BYTE_BITS, Access.RO, configuration & BYTE_MASK);
        for (int i = 0; i < PCELL_ID.length; i++) {
            bank.define(prefix + "PCellID" + i, PCELL_ID0 + i * WORD)
                    .field("PCellID" + i, 0, BYTE_BITS, Access.RO, PCELL_ID[i]);
        }
    }
}
