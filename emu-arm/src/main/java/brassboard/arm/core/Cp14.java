package brassboard.arm.core;

import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * CP14 of a Cortex-A15: the v7.1 debug architecture's CP14 interface (ARM ARM C6, C11) and the
 * ThumbEE configuration registers (A2.11, B4.1.142-143), declared as a table of registers like
 * {@link Cp15}: name, encoding (opc1, CRn, CRm, opc2), access and behaviour.
 *
 * <p>Values are the Cortex-A15's as QEMU reports them ({@code cortex_a15_initfn}: DBGDIDR 0x3515f021
 * — 4 watchpoints, 6 breakpoints, 2 context comparators, debug architecture v7.1; DBGDEVID
 * 0x01110f13), and the registers behave as QEMU's {@code debug_cp_reginfo}: DBGDRAR and DBGDSAR read
 * as zero (no memory-mapped debug), DBGDSCRext holds what is written to its monitor-debug fields and
 * DBGDSCRint mirrors it, the OS Lock is set out of reset and cleared by any OSLAR write other than the
 * CoreSight key, OSDLR holds its lock bit, DBGVCR and DBGDCCINT ignore writes, DBGBVR/BCR/WVR/WCR hold
 * their values. This is what Linux's {@code hw_breakpoint} probes and programs at boot
 * ({@code get_debug_arch}, {@code reset_ctrl_regs}, {@code enable_monitor_mode}) and what
 * {@code ptrace} reads back.
 *
 * <p>Not modelled yet: debug events. A breakpoint or watchpoint programmed here never fires (no
 * Prefetch Abort / Data Abort debug exception); Brassboard's own debugger attaches from the outside
 * (PC hooks) instead.
 *
 * <p>ThumbEE: TEECR (opc1 6, c0) holds XED; TEEHBR (opc1 6, c1) is a PL0 read/write register unless
 * TEECR.XED forbids unprivileged access. Linux saves and restores TEEHBR on every context switch
 * because ID_PFR0 advertises ThumbEE. ThumbEE instructions themselves (ENTERX) are not implemented.
 */
public final class Cp14 implements Coprocessor {
    /** DBGDIDR of the Cortex-A15 (QEMU cortex_a15_initfn). */
    public static final int DBGDIDR = 0x3515F021;
    /** DBGDEVID of the Cortex-A15 (QEMU cortex_a15_initfn). */
    public static final int DBGDEVID = 0x01110F13;
    /** Breakpoint and watchpoint register pairs, from DBGDIDR.BRPs and .WRPs. */
    public static final int BREAKPOINTS = ((DBGDIDR >>> 24) & 0xF) + 1;
    public static final int WATCHPOINTS = ((DBGDIDR >>> 28) & 0xF) + 1;
    /** DBGDSCR.MDBGen: monitor debug-mode enable. */
    public static final int DSCR_MDBGEN = 1 << 15;
    /** DBGDSCR bits software can write through DBGDSCRext (as QEMU keeps MDSCR_EL1's). */
    private static final int DSCR_WRITABLE = 0xFFFF_FFFF;
    /** The CoreSight lock key: an OSLAR write of this value sets the OS Lock, any other clears it. */
    public static final int CORESIGHT_KEY = 0xC5ACCE55;
    /** OSLSR out of reset: OSLM = 0b10 (OS Lock implemented, v7.1), OSLK = 1 (locked). */
    private static final int OSLSR_RESET = 0b1010;
    private static final int OSLSR_OSLK = 1 << 1;

    private static final int PL0_R = 1;
    private static final int PL0_W = 2;
    private static final int PL1_R = 4;
    private static final int PL1_W = 8;
    private static final int PL1_RW = PL1_R | PL1_W;
    private static final int PL0_RW = PL0_R | PL0_W | PL1_RW;
    private static final IntConsumer IGNORE = v -> { };

    private record Register(String name, int access, IntSupplier read, IntConsumer write) {
    }

    private final Register[] registers = new Register[1 << 14];

    private int dscr;
    private int oslsr;
    private int osdlr;
    private final int[] bvr = new int[BREAKPOINTS];
    private final int[] bcr = new int[BREAKPOINTS];
    private final int[] wvr = new int[WATCHPOINTS];
    private final int[] wcr = new int[WATCHPOINTS];
    private int teecr;
    private int teehbr;

    Cp14() {
        declare();
        reset();
    }

    void reset() {
        dscr = 0;
        oslsr = OSLSR_RESET;
        osdlr = 0;
        java.util.Arrays.fill(bvr, 0);
        java.util.Arrays.fill(bcr, 0);
        java.util.Arrays.fill(wvr, 0);
        java.util.Arrays.fill(wcr, 0);
        teecr = 0;
        teehbr = 0;
    }

    private void declare() {
        // Debug (opc1 0), ARM ARM C11.11 table "CP14 debug register map".
        register("DBGDIDR", 0, 0, 0, 0, PL0_R | PL1_R, () -> DBGDIDR, IGNORE);
        register("DBGDSCRint", 0, 0, 1, 0, PL1_R, () -> dscr, IGNORE);
        register("DBGDCCINT", 0, 0, 2, 0, PL1_RW, () -> 0, IGNORE);
        register("DBGDSCRext", 0, 0, 2, 2, PL1_RW, () -> dscr, v -> dscr = v & DSCR_WRITABLE);
        register("DBGVCR", 0, 0, 7, 0, PL1_RW, () -> 0, IGNORE);
        for (int n = 0; n < BREAKPOINTS; n++) {
            int i = n;
            register("DBGBVR" + n, 0, 0, n, 4, PL1_RW, () -> bvr[i], v -> bvr[i] = v & ~3);
            // BAS[3] reads as BAS[2] and BAS[1] as BAS[0] (A32 breakpoints cover a whole word or halfwords).
            register("DBGBCR" + n, 0, 0, n, 5, PL1_RW, () -> bcr[i], v -> bcr[i] = bcrValue(v));
        }
        for (int n = 0; n < WATCHPOINTS; n++) {
            int i = n;
            register("DBGWVR" + n, 0, 0, n, 6, PL1_RW, () -> wvr[i], v -> wvr[i] = v & ~3);
            register("DBGWCR" + n, 0, 0, n, 7, PL1_RW, () -> wcr[i], v -> wcr[i] = v);
        }
        register("DBGDRAR", 0, 1, 0, 0, PL0_R | PL1_R, () -> 0, IGNORE);
        register("DBGOSLAR", 0, 1, 0, 4, PL1_W, () -> 0,
                v -> oslsr = v == CORESIGHT_KEY ? oslsr | OSLSR_OSLK : oslsr & ~OSLSR_OSLK);
        register("DBGOSLSR", 0, 1, 1, 4, PL1_R, () -> oslsr, IGNORE);
        register("DBGOSDLR", 0, 1, 3, 4, PL1_RW, () -> osdlr, v -> osdlr = v & 1);
        register("DBGDSAR", 0, 2, 0, 0, PL0_R | PL1_R, () -> 0, IGNORE);
        register("DBGDEVID2", 0, 7, 0, 7, PL1_R, () -> 0, IGNORE);
        register("DBGDEVID1", 0, 7, 1, 7, PL1_R, () -> 0x2, IGNORE);
        register("DBGDEVID", 0, 7, 2, 7, PL1_R, () -> DBGDEVID, IGNORE);
        // ThumbEE (opc1 6): TEECR.XED is the only field.
        register("TEECR", 6, 0, 0, 0, PL1_RW, () -> teecr, v -> teecr = v & 1);
        register("TEEHBR", 6, 1, 0, 0, PL0_RW, () -> teehbr, v -> teehbr = v);
    }

    private static int bcrValue(int v) {
        int bas0 = (v >>> 5) & 1;
        int bas2 = (v >>> 7) & 1;
        return (v & ~((1 << 6) | (1 << 8))) | (bas0 << 6) | (bas2 << 8);
    }

    private static int key(int opc1, int crn, int crm, int opc2) {
        return (opc1 << 11) | (crn << 7) | (crm << 3) | opc2;
    }

    private void register(String name, int opc1, int crn, int crm, int opc2, int access, IntSupplier read, IntConsumer write) {
        int k = key(opc1, crn, crm, opc2);
        if (registers[k] != null) {
            throw new IllegalStateException("CP14 register declared twice: " + name);
        }
        registers[k] = new Register(name, access, read, write);
    }

    private Register lookup(int opc1, int crn, int crm, int opc2, boolean privileged, int needPl0, int needPl1) {
        Register reg = registers[key(opc1 & 7, crn & 15, crm & 15, opc2 & 7)];
        if (reg == null) {
            return null;
        }
        if (!privileged && reg.name.equals("TEEHBR") && (teecr & 1) != 0) {
            return null; // TEECR.XED: unprivileged access to TEEHBR is UNDEFINED
        }
        return (reg.access & (privileged ? needPl1 : needPl0)) != 0 ? reg : null;
    }

    @Override
    public long mrc(int opc1, int crn, int crm, int opc2, boolean privileged) {
        Register reg = lookup(opc1, crn, crm, opc2, privileged, PL0_R, PL1_R);
        return reg == null ? UNDEFINED : reg.read.getAsInt() & 0xFFFF_FFFFL;
    }

    @Override
    public boolean mcr(int opc1, int crn, int crm, int opc2, int value, boolean privileged) {
        Register reg = lookup(opc1, crn, crm, opc2, privileged, PL0_W, PL1_W);
        if (reg == null) {
            return false;
        }
        reg.write.accept(value);
        return true;
    }

    /** DBGDRAR and DBGDSAR as 64-bit registers (MRRC p14, 0, Rt, Rt2, c1 / c2), read as zero as in QEMU with LPAE. */
    @Override
    public long mrrc(int opc1, int crm, boolean privileged) {
        return opc1 == 0 && (crm == 1 || crm == 2) ? 0 : UNDEFINED;
    }

    @Override
    public boolean mcrr(int opc1, int crm, long value, boolean privileged) {
        return false;
    }

    /** DBGDSCR as software last wrote it (tests, the debugger). */
    public int dscr() {
        return dscr;
    }
}
