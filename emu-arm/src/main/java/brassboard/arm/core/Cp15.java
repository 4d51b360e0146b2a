package brassboard.arm.core;

import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * CP15, the system control coprocessor of a Cortex-A15 r2p1 without the Security and Virtualization
 * Extensions enabled (the configuration of QEMU's {@code virt} board), declared as a table of
 * registers: name, encoding (CRn, opc1, CRm, opc2), access and behaviour.
 *
 * <p>Identification registers report the Cortex-A15's values (as QEMU's {@code cortex_a15_initfn})
 * with the fields of features this model does not implement cleared, so that software probing them
 * does not use what is not there: ID_PFR1 without Security and Virtualization (and without the Generic
 * Timer unless one is {@linkplain #attachGenericTimer attached}). ID_DFR0 reports the v7.1 CP14 debug
 * interface that {@link Cp14} models, without the PMU and trace.
 * Cache and branch predictor maintenance are accepted as no-ops: there are no caches to maintain.
 * The MMU ({@link Mmu}) is configured here: SCTLR.M, TTBR0/1 (32-bit, and 64-bit through MCRR / MRRC),
 * TTBCR, DACR, PRRR / NMRR (MAIR0 / MAIR1 with TTBCR.EAE set: one register each, as in QEMU),
 * CONTEXTIDR; writing any of them flushes the TLB. TLB maintenance (c8) flushes the whole TLB, or by
 * address for the MVA forms; the inner-shareable forms act on every core of the Inner Shareable domain. ATS1C{P,U}{R,W} write
 * PAR (the 64-bit format when TTBCR.EAE is set). The c14 registers (MRC/MCR CRn 14, MRRC/MCRR CRm 14) are answered by the attached Generic
 * Timer. Everything not declared here is UNDEFINED.
 */
public final class Cp15 implements Coprocessor {
    public static final int SCTLR_M = 1;
    public static final int SCTLR_A = 1 << 1;
    public static final int SCTLR_CP15BEN = 1 << 5;
    public static final int SCTLR_V = 1 << 13;
    public static final int SCTLR_EE = 1 << 25;
    public static final int SCTLR_TE = 1 << 30;
    /** SCTLR reset value of the Cortex-A15. */
    public static final int SCTLR_RESET = 0x00C50078;
    /** Writable SCTLR bits: M A C CP15BEN SW Z I V RR WXN UWXN EE TRE AFE TE. */
    private static final int SCTLR_WRITABLE = 0x72187C27;
    /** TTBCR.EAE: the long-descriptor (LPAE) translation table format. */
    public static final int TTBCR_EAE = 1 << 31;
    /** SCTLR bits that read as one whatever is written. */
    private static final int SCTLR_RAO = 0x00C50058;

    /** Main ID: what QEMU 7.2's cortex-a15 reports (r4p0), read off a run of firmware/images/hello.elf. */
    public static final int MIDR = 0x414FC0F0;
    public static final int CTR = 0x8444C004;
    public static final int CORTEX_A15_ID_PFR1 = 0x00011011;
    /** ID_PFR1 Security [7:4], Virtualization [15:12] and GenTimer [19:16] fields. */
    private static final int ID_PFR1_UNIMPLEMENTED = 0x000F_F0F0;
    private static final int ID_PFR1_GEN_TIMER = 0x000F_0000;
    /** CRn (MRC / MCR) and CRm (MRRC / MCRR) of the Generic Timer registers. */
    private static final int C14 = 14;
    public static final int CORTEX_A15_ID_DFR0 = 0x02010555;
    /** ID_DFR0 CopDbg, CopSDbg and MMapDbg (v7.1 debug, {@link Cp14}); PerfMon and MMapTrc cleared: no PMU, no trace. */
    private static final int ID_DFR0_DEBUG_ONLY = 0x0000_0FFF;
    public static final int CLIDR = 0x0A200023;
    private static final int[] CCSIDR = {0x701FE00A, 0x201FE00A, 0x711FE07A};

    private static final int PL0_R = 1;
    private static final int PL0_W = 2;
    private static final int PL1_R = 4;
    private static final int PL1_W = 8;
    private static final int PL1_RW = PL1_R | PL1_W;
    private static final int PL0_RW = PL0_R | PL0_W | PL1_RW;

    private static final IntConsumer IGNORE = v -> { };

    /** One CP15 register or operation. */
    private static final class Register {
        final String name;
        final int access;
        final IntSupplier read;
        final IntConsumer write;
        final boolean barrier;

        Register(String name, int access, IntSupplier read, IntConsumer write, boolean barrier) {
            this.name = name;
            this.access = access;
            this.read = read;
            this.write = write;
            this.barrier = barrier;
        }
    }

    private final ArmCore core;
    private final Register[] registers = new Register[1 << 14];
    /** The Generic Timer's c14 registers, or null: c14 is then UNDEFINED. */
    private Coprocessor genericTimer;

    int sctlr;
    int actlr;
    int vbar;
    int dfsr;
    int ifsr;
    int dfar;
    int ifar;
    private int csselr;
    private int contextidr;
    private int tpidrurw;
    private int tpidruro;
    private int tpidrprw;
    long ttbr0;
    long ttbr1;
    int ttbcr;
    int dacr;
    private long par;
    int prrr;
    int nmrr;

    Cp15(ArmCore core) {
        this.core = core;
        declare();
        reset();
    }

    void reset() {
        sctlr = SCTLR_RESET;
        actlr = 0;
        vbar = 0;
        dfsr = 0;
        ifsr = 0;
        dfar = 0;
        ifar = 0;
        csselr = 0;
        contextidr = 0;
        tpidrurw = 0;
        tpidruro = 0;
        tpidrprw = 0;
        ttbr0 = 0;
        ttbr1 = 0;
        ttbcr = 0;
        dacr = 0;
        par = 0;
        prrr = 0;
        nmrr = 0;
    }

    private void declare() {
        int mpidr = 0x80000000 | (core.cpuId & 0xFF);
        // c0: identification (ARM ARM B4.1.105 MIDR .. B4.1.92 ID_ISAR5)
        constant("MIDR", 0, 0, 0, 0, MIDR);
        constant("CTR", 0, 0, 0, 1, CTR);
        constant("TCMTR", 0, 0, 0, 2, 0);
        constant("TLBTR", 0, 0, 0, 3, 0);
        constant("MIDR", 0, 0, 0, 4, MIDR);
        constant("MPIDR", 0, 0, 0, 5, mpidr);
        constant("REVIDR", 0, 0, 0, 6, 0);
        constant("MIDR", 0, 0, 0, 7, MIDR);
        constant("ID_PFR0", 0, 0, 1, 0, 0x00001131);
        register("ID_PFR1", 0, 0, 1, 1, PL1_R, () -> (CORTEX_A15_ID_PFR1 & ~ID_PFR1_UNIMPLEMENTED)
                | (genericTimer == null ? 0 : CORTEX_A15_ID_PFR1 & ID_PFR1_GEN_TIMER), IGNORE);
        constant("ID_DFR0", 0, 0, 1, 2, CORTEX_A15_ID_DFR0 & ID_DFR0_DEBUG_ONLY);
        constant("ID_AFR0", 0, 0, 1, 3, 0);
        constant("ID_MMFR0", 0, 0, 1, 4, 0x10201105);
        constant("ID_MMFR1", 0, 0, 1, 5, 0x20000000);
        constant("ID_MMFR2", 0, 0, 1, 6, 0x01240000);
        constant("ID_MMFR3", 0, 0, 1, 7, 0x02102211);
        constant("ID_ISAR0", 0, 0, 2, 0, 0x02101110);
        constant("ID_ISAR1", 0, 0, 2, 1, 0x13112111);
        constant("ID_ISAR2", 0, 0, 2, 2, 0x21232041);
        constant("ID_ISAR3", 0, 0, 2, 3, 0x11112131);
        constant("ID_ISAR4", 0, 0, 2, 4, 0x10011142);
        constant("ID_ISAR5", 0, 0, 2, 5, 0);
        constant("reserved ID", 0, 0, 2, 6, 0);
        constant("reserved ID", 0, 0, 2, 7, 0);
        for (int crm = 3; crm <= 7; crm++) {
            for (int opc2 = 0; opc2 < 8; opc2++) {
                constant("reserved ID", 0, 0, crm, opc2, 0);
            }
        }
        register("CCSIDR", 0, 1, 0, 0, PL1_R, () -> csselr < CCSIDR.length ? CCSIDR[csselr] : 0, IGNORE);
        constant("CLIDR", 0, 1, 0, 1, CLIDR);
        constant("AIDR", 0, 1, 0, 7, 0);
        register("CSSELR", 0, 2, 0, 0, PL1_RW, () -> csselr, v -> csselr = v & 0xF);
        // c1: system control
        register("SCTLR", 1, 0, 0, 0, PL1_RW, () -> sctlr, this::writeSctlr);
        register("ACTLR", 1, 0, 0, 1, PL1_RW, () -> actlr, v -> actlr = v);
        // cp10, cp11, ASEDIS and D32DIS hold what is written (they gate VFP and Advanced SIMD, see Vfp);
        // the fields of absent coprocessors and TRCDIS are RAZ/WI.
        register("CPACR", 1, 0, 0, 2, PL1_RW, () -> core.vfp.cpacr(), v -> core.vfp.writeCpacr(v));
        // c2, c3, c10, c13: the translation regime; a write flushes the TLB. A 32-bit write of a
        // TTBR sets its low word (the high word holds the LPAE ASID and address bits 39:32).
        register("TTBR0", 2, 0, 0, 0, PL1_RW, () -> (int) ttbr0,
                v -> translation(() -> ttbr0 = (ttbr0 & ~0xFFFF_FFFFL) | (v & 0xFFFF_FFFFL)));
        register("TTBR1", 2, 0, 0, 1, PL1_RW, () -> (int) ttbr1,
                v -> translation(() -> ttbr1 = (ttbr1 & ~0xFFFF_FFFFL) | (v & 0xFFFF_FFFFL)));
        // Short format: N, PD0, PD1, EAE. Long format: T0SZ, EPD0, IRGN0, ORGN0, SH0, T1SZ, A1, EPD1, IRGN1, ORGN1, SH1, EAE.
        register("TTBCR", 2, 0, 0, 2, PL1_RW, () -> ttbcr,
                v -> translation(() -> ttbcr = v & ((v & TTBCR_EAE) != 0 ? 0xBFC73F87 : 0x80000037)));
        register("DACR", 3, 0, 0, 0, PL1_RW, () -> dacr, v -> {
            int before = dacr;
            dacr = v;
            core.domainAccessChanged(before, v);
        });
        register("PRRR/MAIR0", 10, 0, 2, 0, PL1_RW, () -> prrr, v -> translation(() -> prrr = v));
        register("NMRR/MAIR1", 10, 0, 2, 1, PL1_RW, () -> nmrr, v -> translation(() -> nmrr = v));
        register("AMAIR0", 10, 0, 3, 0, PL1_RW, () -> 0, IGNORE);
        register("AMAIR1", 10, 0, 3, 1, PL1_RW, () -> 0, IGNORE);
        // c5, c6: fault status and address (short format: ExT, WnR, FS, Domain; long: ExT, WnR, LPAE, STATUS)
        register("DFSR", 5, 0, 0, 0, PL1_RW, () -> dfsr, v -> dfsr = v & 0x3EFF);
        register("IFSR", 5, 0, 0, 1, PL1_RW, () -> ifsr, v -> ifsr = v & 0x163F);
        register("ADFSR", 5, 0, 1, 0, PL1_RW, () -> 0, IGNORE);
        register("AIFSR", 5, 0, 1, 1, PL1_RW, () -> 0, IGNORE);
        register("DFAR", 6, 0, 0, 0, PL1_RW, () -> dfar, v -> dfar = v);
        register("IFAR", 6, 0, 0, 2, PL1_RW, () -> ifar, v -> ifar = v);
        // c7: cache and branch predictor maintenance (no-ops), PAR, CP15 barriers
        operation("ICIALLUIS", 7, 0, 1, 0);
        operation("BPIALLIS", 7, 0, 1, 6);
        register("PAR", 7, 0, 4, 0, PL1_RW, () -> (int) par, v -> par = v & 0xFFFF_FFFFL);
        // address translation operations (B4.2.6): stage 1, current or PL0 permissions, read or write
        register("ATS1CPR", 7, 0, 8, 0, PL1_W, () -> 0, v -> par = core.mmu.addressTranslate(v, false, true));
        register("ATS1CPW", 7, 0, 8, 1, PL1_W, () -> 0, v -> par = core.mmu.addressTranslate(v, true, true));
        register("ATS1CUR", 7, 0, 8, 2, PL1_W, () -> 0, v -> par = core.mmu.addressTranslate(v, false, false));
        register("ATS1CUW", 7, 0, 8, 3, PL1_W, () -> 0, v -> par = core.mmu.addressTranslate(v, true, false));
        operation("ICIALLU", 7, 0, 5, 0);
        operation("ICIMVAU", 7, 0, 5, 1);
        barrier("CP15ISB", 7, 0, 5, 4);
        operation("BPIALL", 7, 0, 5, 6);
        operation("BPIMVA", 7, 0, 5, 7);
        operation("DCIMVAC", 7, 0, 6, 1);
        operation("DCISW", 7, 0, 6, 2);
        operation("DCCMVAC", 7, 0, 10, 1);
        operation("DCCSW", 7, 0, 10, 2);
        barrier("CP15DSB", 7, 0, 10, 4);
        barrier("CP15DMB", 7, 0, 10, 5);
        operation("DCCMVAU", 7, 0, 11, 1);
        operation("DCCIMVAC", 7, 0, 14, 1);
        operation("DCCISW", 7, 0, 14, 2);
        // c8: TLB maintenance. CRm 3 = inner shareable, 5 = instruction, 6 = data, 7 = unified (one TLB
        // serves all); opc2 0 = all, 1 = by MVA and ASID, 2 = by ASID, 3 = by MVA, all ASIDs. Entries are
        // not tagged with an ASID, so "by ASID" flushes everything and "by MVA" ignores the ASID.
        // The inner-shareable forms (CRm 3) reach every core of the domain (ArmCore.setInnerShareableDomain).
        for (int crm : new int[] {3, 5, 6, 7}) {
            boolean is = crm == 3;
            register("TLBIALL", 8, 0, crm, 0, PL1_W, () -> 0, v -> core.invalidateAllTranslations(is));
            register("TLBIMVA", 8, 0, crm, 1, PL1_W, () -> 0, v -> core.invalidateTranslation(v & ~0xFFF, is));
            register("TLBIASID", 8, 0, crm, 2, PL1_W, () -> 0, v -> core.invalidateAllTranslations(is));
            register("TLBIMVAA", 8, 0, crm, 3, PL1_W, () -> 0, v -> core.invalidateTranslation(v & ~0xFFF, is));
        }
        // c12: vectors and interrupt status
        register("VBAR", 12, 0, 0, 0, PL1_RW, () -> vbar, v -> vbar = v & ~0x1F);
        register("ISR", 12, 0, 1, 0, PL1_R,
                () -> (core.irqLine ? 1 << 7 : 0) | (core.fiqLine ? 1 << 6 : 0), IGNORE);
        // c13: process, context and thread id
        register("FCSEIDR", 13, 0, 0, 0, PL1_RW, () -> 0, IGNORE);
        register("CONTEXTIDR", 13, 0, 0, 1, PL1_RW, () -> contextidr, v -> translation(() -> contextidr = v));
        register("TPIDRURW", 13, 0, 0, 2, PL0_RW, () -> tpidrurw, v -> tpidrurw = v);
        register("TPIDRURO", 13, 0, 0, 3, PL0_R | PL1_RW, () -> tpidruro, v -> tpidruro = v);
        register("TPIDRPRW", 13, 0, 0, 4, PL1_RW, () -> tpidrprw, v -> tpidrprw = v);
    }

    /**
     * Routes the c14 registers to {@code c14} (the core's Generic Timer, ARM ARM B8) and makes
     * ID_PFR1.GenTimer read 1, as on the Cortex-A15.
     */
    public void attachGenericTimer(Coprocessor c14) {
        if (genericTimer != null) {
            throw new IllegalStateException("CPU " + core.cpuId + " already has a generic timer");
        }
        genericTimer = Objects.requireNonNull(c14, "c14");
    }

    private static int key(int crn, int opc1, int crm, int opc2) {
        return (crn << 10) | (opc1 << 7) | (crm << 3) | opc2;
    }

    private void register(String name, int crn, int opc1, int crm, int opc2, int access,
                          IntSupplier read, IntConsumer write) {
        define(crn, opc1, crm, opc2, new Register(name, access, read, write, false));
    }

    private void constant(String name, int crn, int opc1, int crm, int opc2, int value) {
        register(name, crn, opc1, crm, opc2, PL1_R, () -> value, IGNORE);
    }

    private void operation(String name, int crn, int opc1, int crm, int opc2) {
        register(name, crn, opc1, crm, opc2, PL1_W, () -> 0, IGNORE);
    }

    private void barrier(String name, int crn, int opc1, int crm, int opc2) {
        define(crn, opc1, crm, opc2, new Register(name, PL0_W | PL1_W, () -> 0, IGNORE, true));
    }

    private void define(int crn, int opc1, int crm, int opc2, Register register) {
        int k = key(crn, opc1, crm, opc2);
        if (registers[k] != null) {
            throw new IllegalStateException("CP15 register declared twice: " + register.name);
        }
        registers[k] = register;
    }

    private void writeSctlr(int value) {
        sctlr = (value & SCTLR_WRITABLE) | SCTLR_RAO;
        core.translationRegimeChanged();
    }

    /** Writes a register of the translation regime, then flushes what was translated under the old one. */
    private void translation(Runnable write) {
        write.run();
        core.translationRegimeChanged();
    }

    /** Whether TTBCR.EAE selects the long-descriptor format (and the long fault status format). */
    boolean longDescriptorFormat() {
        return (ttbcr & TTBCR_EAE) != 0;
    }

    private Register lookup(int opc1, int crn, int crm, int opc2, boolean privileged, int needPl0, int needPl1) {
        Register reg = registers[key(crn, opc1 & 7, crm, opc2 & 7)];
        if (reg == null) {
            return null;
        }
        if (reg.barrier && (sctlr & SCTLR_CP15BEN) == 0) {
            return null;
        }
        return (reg.access & (privileged ? needPl1 : needPl0)) != 0 ? reg : null;
    }

    @Override
    public long mrc(int opc1, int crn, int crm, int opc2, boolean privileged) {
        if (crn == C14 && genericTimer != null) {
            return genericTimer.mrc(opc1, crn, crm, opc2, privileged);
        }
        Register reg = lookup(opc1, crn, crm, opc2, privileged, PL0_R, PL1_R);
        return reg == null ? UNDEFINED : reg.read.getAsInt() & 0xFFFF_FFFFL;
    }

    @Override
    public boolean mcr(int opc1, int crn, int crm, int opc2, int value, boolean privileged) {
        if (crn == C14 && genericTimer != null) {
            return genericTimer.mcr(opc1, crn, crm, opc2, value, privileged);
        }
        Register reg = lookup(opc1, crn, crm, opc2, privileged, PL0_W, PL1_W);
        if (reg == null) {
            return false;
        }
        reg.write.accept(value);
        return true;
    }

    /** 64-bit registers (LPAE): TTBR0 (opc1 0, c2), TTBR1 (opc1 1, c2), PAR (opc1 0, c7), PL1 only; c14: the Generic Timer's. */
    @Override
    public long mrrc(int opc1, int crm, boolean privileged) {
        if (crm == C14 && genericTimer != null) {
            return genericTimer.mrrc(opc1, crm, privileged);
        }
        if (!privileged) {
            return UNDEFINED;
        }
        if (crm == 2 && opc1 == 0) {
            return ttbr0;
        } else if (crm == 2 && opc1 == 1) {
            return ttbr1;
        } else if (crm == 7 && opc1 == 0) {
            return par;
        }
        return UNDEFINED;
    }

    @Override
    public boolean mcrr(int opc1, int crm, long value, boolean privileged) {
        if (crm == C14 && genericTimer != null) {
            return genericTimer.mcrr(opc1, crm, value, privileged);
        }
        if (!privileged) {
            return false;
        }
        if (crm == 2 && opc1 == 0) {
            ttbr0 = value & 0x00FF_FFFF_FFFF_FFFFL;
            core.translationRegimeChanged();
        } else if (crm == 2 && opc1 == 1) {
            ttbr1 = value & 0x00FF_FFFF_FFFF_FFFFL;
            core.translationRegimeChanged();
        } else if (crm == 7 && opc1 == 0) {
            par = value;
        } else {
            return false;
        }
        return true;
    }

    /** SCTLR, for tests and the board. */
    public int sctlr() {
        return sctlr;
    }

    public int dfsr() {
        return dfsr;
    }

    public int dfar() {
        return dfar;
    }

    public int ifsr() {
        return ifsr;
    }

    public int ifar() {
        return ifar;
    }

    public int vbar() {
        return vbar;
    }
}
