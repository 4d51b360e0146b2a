package brassboard.boards.conformance;

import java.util.Arrays;

/**
 * The architectural state a test case starts from or ends in: r0-r12 and r14, the flags, the
 * scratch window's bytes, and the VFP / Advanced SIMD state (D0-D31 and the FPSCR).
 *
 * @param regs   14 values: r0-r12 then r14 (index 13 is r14)
 * @param cpsr   at the start, the APSR flags (N Z C V Q and GE[3:0]) to load; at the end, the CPSR read back
 * @param window {@link Harness#WINDOW_SIZE} bytes at {@link Harness#WINDOW}
 * @param d      D0-D31
 * @param fpscr  the FPSCR (its Len and Stride fields are zero at the start)
 */
public record CpuState(int[] regs, int cpsr, byte[] window, long[] d, int fpscr) {
    /** The CPSR bits compared: N Z C V Q (31:27) and GE[3:0] (19:16). */
    public static final int FLAGS_MASK = 0xF80F_0000;
    /** Registers in the order of {@link #regs}: r0-r12, r14. */
    public static final int[] REG_NUMBERS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14};

    public CpuState {
        if (regs.length != 14 || window.length != Harness.WINDOW_SIZE || d.length != 32) {
            throw new IllegalArgumentException("a state has 14 registers, a " + Harness.WINDOW_SIZE + "-byte window and 32 D registers");
        }
    }

    /** A state whose VFP registers and FPSCR are zero. */
    public CpuState(int[] regs, int cpsr, byte[] window) {
        this(regs, cpsr, window, new long[32], 0);
    }

    /** Register {@code n} (0-12 or 14). */
    public int reg(int n) {
        return regs[n == 14 ? 13 : n];
    }

    public int flags() {
        return cpsr & FLAGS_MASK;
    }

    /** r0=... r14=... and the flags, on one line. */
    public String describeRegisters() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 14; i++) {
            sb.append(i == 0 ? "" : " ").append('r').append(REG_NUMBERS[i]).append('=').append(hex(regs[i]));
        }
        return sb.append(' ').append(describeFlags(cpsr)).toString();
    }

    /** The non-zero D registers and the FPSCR, on one line. */
    public String describeVfp() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            if (d[i] != 0) {
                sb.append('d').append(i).append('=').append(String.format("0x%016x", d[i])).append(' ');
            }
        }
        return sb.append("fpscr=").append(hex(fpscr)).toString();
    }

    static String describeFlags(int psr) {
        return String.format("NZCVQ=%s%s%s%s%s GE=%s", bit(psr, 31), bit(psr, 30), bit(psr, 29), bit(psr, 28), bit(psr, 27),
                String.format("%4s", Integer.toBinaryString((psr >>> 16) & 0xF)).replace(' ', '0'));
    }

    private static String bit(int v, int b) {
        return ((v >>> b) & 1) == 1 ? "1" : "0";
    }

    static String hex(int v) {
        return String.format("0x%08x", v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuState s && Arrays.equals(regs, s.regs) && cpsr == s.cpsr && Arrays.equals(window, s.window)
                && Arrays.equals(d, s.d) && fpscr == s.fpscr;
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(regs) * 31 + cpsr + Arrays.hashCode(window)) * 31 + Arrays.hashCode(d) + fpscr;
    }

    @Override
    public String toString() {
        return describeRegisters();
    }
}
