package brassboard.arm.core;

/** Bit positions of the CPSR / SPSR (ARM ARM B1.3.3). */
public final class Psr {
    public static final int N = 1 << 31;
    public static final int Z = 1 << 30;
    public static final int C = 1 << 29;
    public static final int V = 1 << 28;
    public static final int Q = 1 << 27;
    /** IT[1:0] (bits 26:25) and IT[7:2] (bits 15:10): Thumb If-Then state. */
    public static final int IT = 0x0600FC00;
    public static final int J = 1 << 24;
    public static final int GE = 0x000F0000;
    public static final int E = 1 << 9;
    public static final int A = 1 << 8;
    public static final int I = 1 << 7;
    public static final int F = 1 << 6;
    public static final int T = 1 << 5;
    public static final int M = 0x1F;
    public static final int NZCV = 0xF0000000;
    /** Bits that exist in this implementation; bits 23:20 are reserved (RAZ/SBZP). */
    public static final int IMPLEMENTED = 0xFF0FFFFF;
    /** What MRS returns of the CPSR: the execution state bits (IT, J, T) read as zero (ARM ARM B9.3.9). */
    public static final int MRS_MASK = 0xF8FF03DF;

    private Psr() {
    }
}
