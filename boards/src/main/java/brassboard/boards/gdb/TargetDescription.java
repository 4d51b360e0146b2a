package brassboard.boards.gdb;

/**
 * The target description GDB reads with {@code qXfer:features:read:target.xml} (GDB manual, "Target
 * Descriptions" and "ARM Features"): an {@code arm} with the {@code org.gnu.gdb.arm.core} feature
 * (r0-r12, sp, lr, pc and cpsr as register 25) and {@code org.gnu.gdb.arm.vfp} (d0-d31, fpscr) for
 * the core's VFPv4-D32 / Advanced SIMD. The numbers below are GDB's register numbers for {@code p} /
 * {@code P}; a {@code g} packet holds the registers in this order.
 */
final class TargetDescription {
    /** GDB's number for cpsr (16-24 are the old FPA registers, absent here). */
    static final int CPSR = 25;
    /** GDB's number for d0; d31 is {@code D0 + 31}. */
    static final int D0 = 26;
    static final int FPSCR = D0 + 32;
    /** Registers in a {@code g} packet: r0-r15, cpsr, d0-d31, fpscr. */
    static final int[] G_ORDER;

    static {
        G_ORDER = new int[16 + 1 + 32 + 1];
        for (int i = 0; i < 16; i++) {
            G_ORDER[i] = i;
        }
        G_ORDER[16] = CPSR;
        for (int i = 0; i < 32; i++) {
            G_ORDER[17 + i] = D0 + i;
        }
        G_ORDER[49] = FPSCR;
    }

    private TargetDescription() {
    }

    /** The size in bytes of register {@code n}, or 0 if there is no such register. */
    static int size(int n) {
        if (n >= 0 && n <= 15 || n == CPSR || n == FPSCR) {
            return 4;
        }
        return n >= D0 && n < D0 + 32 ? 8 : 0;
    }

    static final String XML = buildXml();

    private static String buildXml() {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        x.append("  <architecture>arm</architecture>\n");
        x.append("  <feature name=\"org.gnu.gdb.arm.core\">\n");
        for (int i = 0; i <= 12; i++) {
            x.append("    <reg name=\"r").append(i).append("\" bitsize=\"32\" type=\"uint32\"/>\n");
        }
        x.append("    <reg name=\"sp\" bitsize=\"32\" type=\"data_ptr\"/>\n");
        x.append("    <reg name=\"lr\" bitsize=\"32\"/>\n");
        x.append("    <reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\"/>\n");
        x.append("    <reg name=\"cpsr\" bitsize=\"32\" regnum=\"").append(CPSR).append("\"/>\n");
        x.append("  </feature>\n");
        x.append("  <feature name=\"org.gnu.gdb.arm.vfp\">\n");
        for (int i = 0; i < 32; i++) {
            x.append("    <reg name=\"d").append(i).append("\" bitsize=\"64\" type=\"ieee_double\"");
            if (i == 0) {
                x.append(" regnum=\"").append(D0).append('"');
            }
            x.append("/>\n");
        }
        x.append("    <reg name=\"fpscr\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n");
        x.append("  </feature>\n</target>\n");
        return x.toString();
    }
}
