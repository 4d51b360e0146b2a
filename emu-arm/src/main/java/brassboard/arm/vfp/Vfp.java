package brassboard.arm.vfp;

/**
 * The VFP and Advanced SIMD state of one core (ARM ARM A2.6, B1.11, B6.1): the extension register
 * file D0-D31 (one backing array of 64-bit words; S0-S31 are the halves of D0-D15, Q0-Q15 pairs of D
 * registers), the system registers FPSID, FPSCR, FPEXC, MVFR0, MVFR1 with the values of QEMU's
 * cortex-a15 ({@code cortex_a15_initfn}), and the CPACR fields that gate access to them.
 *
 * <p>Access control (ARM ARM B1.11.1, pseudocode CheckAdvSIMDOrVFPEnabled): an instruction is
 * UNDEFINED unless CPACR.cp10 grants the current privilege level access (01: PL1 only, 11: PL1 and
 * PL0) and FPEXC.EN is set; Advanced SIMD instructions are also UNDEFINED while CPACR.ASEDIS is set,
 * and every instruction naming D16-D31 while CPACR.D32DIS is set. VMRS / VMSR of FPSID, FPEXC, MVFR0
 * and MVFR1 are checked without FPEXC.EN, which is how an operating system switches VFP contexts
 * lazily. As in QEMU, cp10 alone decides (the ARM ARM requires cp11 to be programmed the same). The core
 * models no Security Extensions, so there is no NSACR.
 */
public final class Vfp {
    /** FPSID of the Cortex-A15 (implementer ARM, VFPv3+ subarchitecture, part 0x30, variant 0xF). */
    public static final int FPSID = 0x410430F0;
    /** MVFR0: 32 D registers, single and double precision, divide, square root, rounding modes; no short vectors, no trapping. */
    public static final int MVFR0 = 0x10110222;
    /** MVFR1: full denormals and NaN propagation, Advanced SIMD load/store, integer, single-precision, half-precision conversion, fused multiply-add. */
    public static final int MVFR1 = 0x11111111;

    public static final int FPEXC_EN = 1 << 30;
    /** FPEXC bits software can write: EX (bit 31) and EN (bit 30). The Cortex-A15 has no trapped exceptions, so DEX and the rest are RAZ. */
    private static final int FPEXC_WRITABLE = 0x4000_0000;

    // FPSCR fields (ARM ARM A2.6.3)
    public static final int FPSCR_NZCV = 0xF000_0000;
    public static final int FPSCR_QC = 1 << 27;
    public static final int FPSCR_AHP = 1 << 26;
    public static final int FPSCR_DN = 1 << 25;
    public static final int FPSCR_FZ = 1 << 24;
    public static final int FPSCR_RMODE_SHIFT = 22;
    public static final int FPSCR_RMODE = 3 << FPSCR_RMODE_SHIFT;
    public static final int FPSCR_STRIDE = 3 << 20;
    public static final int FPSCR_LEN = 7 << 16;
    public static final int IOC = 1;
    public static final int DZC = 1 << 1;
    public static final int OFC = 1 << 2;
    public static final int UFC = 1 << 3;
    public static final int IXC = 1 << 4;
    public static final int IDC = 1 << 7;
    /**
     * FPSCR bits that hold what is written. The trap enables (IDE, IXE, UFE, OFE, DZE, IOE) are RAZ/WI:
     * the Cortex-A15 does not trap floating-point exceptions (MVFR0.Trapping == 0). Len and Stride hold
     * their value, but a non-zero value makes the VFP data-processing instructions UNDEFINED (no short
     * vectors: MVFR0.FPShVec == 0), as in QEMU.
     */
    public static final int FPSCR_WRITABLE = 0xFFF7_009F;
    /** The "standard FPSCR value" the Advanced SIMD instructions compute with: flush-to-zero, default NaN, round to nearest (ARM ARM A2.7.3). */
    public static final int STANDARD_FPSCR = FPSCR_DN | FPSCR_FZ;

    // CPACR fields (ARM ARM B4.1.40)
    public static final int CPACR_ASEDIS = 1 << 31;
    public static final int CPACR_D32DIS = 1 << 30;
    private static final int CPACR_CP10_SHIFT = 20;
    /** The CPACR bits this model keeps: ASEDIS, D32DIS, cp11 and cp10. Fields of absent coprocessors and TRCDIS are RAZ/WI. */
    public static final int CPACR_WRITABLE = CPACR_ASEDIS | CPACR_D32DIS | (0xF << CPACR_CP10_SHIFT);

    /** D0-D31; S[2n] is the low word of D[n], S[2n+1] the high word; Q[n] is D[2n+1]:D[2n]. */
    public final long[] d = new long[32];
    /** FPSCR, including the cumulative exception flags the arithmetic ORs in. */
    public int fpscr;
    private int fpexc;
    private int cpacr;

    /** Reset: every VFP register UNKNOWN (zero here), VFP disabled. */
    public void reset() {
        java.util.Arrays.fill(d, 0);
        fpscr = 0;
        fpexc = 0;
        cpacr = 0;
    }

    // ---------------------------------------------------------------- access control

    /**
     * Whether a VFP instruction (or, with {@code advsimd}, an Advanced SIMD one) may execute now: the
     * pseudocode's CheckAdvSIMDOrVFPEnabled(TRUE, advsimd) without the UNDEFINED, which the caller takes.
     */
    public boolean enabled(boolean privileged, boolean advsimd) {
        int cp10 = (cpacr >>> CPACR_CP10_SHIFT) & 3;
        boolean access = privileged ? (cp10 & 1) != 0 : cp10 == 3;
        return access && (fpexc & FPEXC_EN) != 0 && !(advsimd && (cpacr & CPACR_ASEDIS) != 0);
    }

    /** As {@link #enabled} for VMRS / VMSR of FPSID, FPEXC and the MVFRs: CPACR only (CheckVFPEnabled(FALSE)). */
    public boolean accessibleIgnoringFpexc(boolean privileged) {
        int cp10 = (cpacr >>> CPACR_CP10_SHIFT) & 3;
        return privileged ? (cp10 & 1) != 0 : cp10 == 3;
    }

    /** Whether CPACR.D32DIS makes D16-D31 inaccessible. */
    public boolean d32Disabled() {
        return (cpacr & CPACR_D32DIS) != 0;
    }

    /** Whether LEN or STRIDE is non-zero: VFP data-processing instructions are then UNDEFINED (no short vectors). */
    public boolean shortVectors() {
        return (fpscr & (FPSCR_LEN | FPSCR_STRIDE)) != 0;
    }

    public int cpacr() {
        return cpacr;
    }

    /** MCR to CPACR: the VFP fields hold what is written, the rest reads as zero. */
    public void writeCpacr(int value) {
        cpacr = value & CPACR_WRITABLE;
    }

    public int fpexc() {
        return fpexc;
    }

    public void writeFpexc(int value) {
        fpexc = value & FPEXC_WRITABLE;
    }

    public void writeFpscr(int value) {
        fpscr = value & FPSCR_WRITABLE;
    }

    /**
     * Enables VFP and Advanced SIMD for PL0 and PL1 (CPACR cp10 = cp11 = full access, FPEXC.EN = 1): what
     * Linux sets up before a process's first floating-point instruction, and what qemu-arm starts in.
     */
    public void enableForUserMode() {
        cpacr = 0xF << CPACR_CP10_SHIFT;
        fpexc = FPEXC_EN;
    }

    // ---------------------------------------------------------------- register views

    /** S[n] (n in 0..31; 32 names the low half of D16, which VMOV of S31 and its successor reaches, as in QEMU). */
    public int s(int n) {
        long v = d[n >>> 1];
        return (n & 1) == 0 ? (int) v : (int) (v >>> 32);
    }

    /** S[n] = value. */
    public void setS(int n, int value) {
        int i = n >>> 1;
        if ((n & 1) == 0) {
            d[i] = (d[i] & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL);
        } else {
            d[i] = (d[i] & 0xFFFF_FFFFL) | ((long) value << 32);
        }
    }

    /** D[n] (n in 0..31). */
    public long dReg(int n) {
        return d[n];
    }

    public void setD(int n, long value) {
        d[n] = value;
    }

    /** The low 64 bits of Q[n]. */
    public long qLow(int n) {
        return d[2 * n];
    }

    /** The high 64 bits of Q[n]. */
    public long qHigh(int n) {
        return d[2 * n + 1];
    }

    public void setQ(int n, long high, long low) {
        d[2 * n] = low;
        d[2 * n + 1] = high;
    }
}
