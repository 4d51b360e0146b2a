package brassboard.arm.core;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.api.CpuObserver;
import brassboard.arm.api.StopReason;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.Masters;
import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Rom;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The architectural state of one ARMv7-A core and the operations the ARM ARM pseudocode performs on
 * it: register banking, CPSR / SPSR writes, PC writes, exception entry and return, and memory access
 * with precise aborts. Instruction-set handlers ({@code brassboard.arm.a32}) work directly on these
 * fields; the board sees only {@link ArmCpu}.
 *
 * <p>During an instruction, {@code r[15]} reads as the instruction's address + 8 in ARM state and + 4 in
 * Thumb state,
 * {@link #pc} is the instruction's address and a PC write goes to {@link #nextPc}; between
 * instructions all three name the next instruction to fetch. Nothing here throws for control flow: an
 * access that aborts takes the exception and returns {@link #ABORTED} / {@code false}, and the handler
 * returns without touching registers.
 */
public final class ArmCore {
    /** What the read methods return when the access aborted (the exception is already taken). */
    public static final long ABORTED = -1L;
    /** {@link #tryRead}: the data fast path does not hold the address (nothing was done). */
    public static final long MISS = -2L;

    /** Short-descriptor fault status codes FS[4:0] (ARM ARM B3.13.3). */
    public static final int FS_ALIGNMENT = 0b00001;
    public static final int FS_DEBUG_EVENT = 0b00010;
    public static final int FS_SYNC_EXTERNAL_ABORT = 0b01000;

    private static final long ADDRESS_MASK = 0xFFFF_FFFFL;

    /**
     * Plain RAM or ROM, whose array holds what the bus would answer. Subclasses (a flash chip in
     * command mode, say) may answer differently, so they never get the fast paths.
     */
    public static boolean isPlainMemory(brassboard.bus.api.Region region) {
        return region.getClass() == Ram.class || region.getClass() == Rom.class;
    }

    private static final boolean[] CONDITION = new boolean[256];

    static {
        for (int cond = 0; cond < 16; cond++) {
            for (int nzcv = 0; nzcv < 16; nzcv++) {
                boolean n = (nzcv & 8) != 0;
                boolean z = (nzcv & 4) != 0;
                boolean c = (nzcv & 2) != 0;
                boolean v = (nzcv & 1) != 0;
                boolean result;
                switch (cond >> 1) {
                    case 0: result = z; break;
                    case 1: result = c; break;
                    case 2: result = n; break;
                    case 3: result = v; break;
                    case 4: result = c && !z; break;
                    case 5: result = n == v; break;
                    case 6: result = n == v && !z; break;
                    default: result = true; break;
                }
                if ((cond & 1) != 0 && cond != 15) {
                    result = !result;
                }
                CONDITION[(cond << 4) | nzcv] = result;
            }
        }
    }

    public final int cpuId;
    public final ArmCpu owner;
    public final CpuCallbacks callbacks;
    public final Cp15 cp15;
    public final Cp14 cp14;
    public final UnpredictablePolicy policy;
    /** The VFP / Advanced SIMD register file and system registers. */
    public final brassboard.arm.vfp.Vfp vfp = new brassboard.arm.vfp.Vfp();
    public CpuObserver observer = CpuObserver.NONE;
    private final MemoryBus bus;
    private final int master;

    // The data fast path: a direct-mapped TLB of RAM pages for reads and one for writes, accessed
    // straight in the region's array. Entry (page number mod DATA_TLB) holds the page's virtual base,
    // or 1 (no page: a page base never has bit 0 set). More than one entry because real code
    // alternates between pages (stack, heap, globals): CoreMark read through a one-page cache spent a
    // seventh of its time in the slow path (docs/speed.md).
    //
    // A hit is the tag compare alone: the conditions under which the array may not be used are kept
    // out of the TLB instead of tested on every access. No entry exists while
    //  - CPSR.E is set (big-endian data): every write of E that sets it empties the TLB
    //    (dataEndiannessWritten: reset, writeCpsr (MSR, CPS, RFE, exception return, a debugger),
    //    takeException with SCTLR.EE, SETEND via setEndianState), and nothing is filled while it is set;
    //  - a fault plan or access watcher watches the bus: AddressSpace.onFaultPointsArmed empties it,
    //    and nothing is filled while space.faultPointsArmed();
    // and no write entry exists for a page that holds decoded code (Ram.isWatched): none is filled
    // for one, and Ram's watch listener (pageWatched) drops those of a page when code is decoded
    // there, whichever core decoded it. Such writes go through the bus, whose write invalidates the code.
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int DATA_TLB = 64;
    private final AddressSpace space;
    private final int[] readPage = new int[DATA_TLB];
    private final byte[][] readBytes = new byte[DATA_TLB][];
    /** Each read entry's physical page address (for {@link #peekTranslation}). */
    private final long[] readPa = new long[DATA_TLB];
    /**
     * log2 of the size of the block or page each read entry's translation came from (32 with the MMU
     * off): TLB maintenance by an address anywhere in that block drops the entry, as it drops the TLB's.
     */
    private final byte[] readBits = new byte[DATA_TLB];
    private final byte[] writeBits = new byte[DATA_TLB];
    /** The domain each entry's translation was checked in ({@link Mmu#NO_DOMAIN}: none): a DACR write changing it drops the entry. */
    private final byte[] readDomain = new byte[DATA_TLB];
    private final byte[] writeDomain = new byte[DATA_TLB];
    /** Entries made in the data fast path and the code cache's virtual table ({@link brassboard.arm.api.ArmCpu#translationCacheFills}). */
    public long translationCacheFills;
    private final int[] writePage = new int[DATA_TLB];
    private final byte[][] writeBytes = new byte[DATA_TLB][];
    private final long[] writePa = new long[DATA_TLB];
    /** Each write entry's page offset within its {@link #writeRam}. */
    private final long[] writeRegionPage = new long[DATA_TLB];
    private final Ram[] writeRam = new Ram[DATA_TLB];
    /** The RAM regions whose watch listener ({@link #pageWatched}) is set: the only ones write entries may point into. */
    private Ram[] listenedRams = new Ram[0];
    /** The array the last successful {@link #fastReadIndex} / {@link #fastWriteIndex} indexes. */
    private byte[] fastRead;
    private byte[] fastWrite;

    /**
     * The tag of an empty data-TLB entry: no access's key ({@code (address & ~0xFFF) | (address & (size - 1))},
     * bits 11:2 always clear) equals it. (It was 1, the key of a misaligned access at 0x001, 0x005, ...)
     */
    private static final int NO_PAGE = 0x800;

    private static int tlbIndex(int address) {
        return (address >>> 12) & (DATA_TLB - 1);
    }

    /** Empties both data fast paths. */
    private void flushDataTlb() {
        java.util.Arrays.fill(readPage, NO_PAGE);
        java.util.Arrays.fill(writePage, NO_PAGE);
    }

    /** After a write of CPSR that may have changed E: setting it empties the data fast path (see above). */
    private void dataEndiannessWritten(int before) {
        if ((psr & ~before & Psr.E) != 0) {
            flushDataTlb();
        }
    }

    /** Page {@code offset} of {@code source} now holds decoded code: drops the write entries into it. */
    private void pageWatched(brassboard.bus.api.CodeSource source, long offset) {
        for (int t = 0; t < DATA_TLB; t++) {
            if (writeRam[t] == source && writeRegionPage[t] == offset) {
                writePage[t] = NO_PAGE;
            }
        }
    }

    /** Sets {@link #pageWatched} listening to {@code ram}, once per region, before a write entry points into it. */
    private void listenTo(Ram ram) {
        for (Ram known : listenedRams) {
            if (known == ram) {
                return;
            }
        }
        ram.addWatchListener(this::pageWatched);
        listenedRams = java.util.Arrays.copyOf(listenedRams, listenedRams.length + 1);
        listenedRams[listenedRams.length - 1] = ram;
    }

    /** Drops the data fast path's entries whose translation covers {@code va} (TLB maintenance by address). */
    private void dropDataTlbEntries(int va) {
        for (int t = 0; t < DATA_TLB; t++) {
            if (covers(readPage[t], readBits[t], va)) {
                readPage[t] = NO_PAGE;
            }
            if (covers(writePage[t], writeBits[t], va)) {
                writePage[t] = NO_PAGE;
            }
        }
    }

    /** Drops the data fast path's entries checked in one of the domains of {@code mask} (bit d: domain d). */
    private void dropDataTlbDomains(int mask) {
        for (int t = 0; t < DATA_TLB; t++) {
            if ((mask >>> readDomain[t] & 1) != 0) {
                readPage[t] = NO_PAGE;
            }
            if ((mask >>> writeDomain[t] & 1) != 0) {
                writePage[t] = NO_PAGE;
            }
        }
    }

    /**
     * Whether the entry for virtual page {@code page} (1: empty), translated from a block of 2^{@code bits}
     * bytes, holds a translation of {@code va}.
     */
    static boolean covers(int page, int bits, int va) {
        return page != 1 && ((page ^ va) & ADDRESS_MASK) >>> bits == 0;
    }

    private final Coprocessor[] coprocessors = new Coprocessor[16];
    /** Stage 1 translation; used only while {@link #mmuOn}. */
    final Mmu mmu;
    /** SCTLR.M, cached: fetches and data accesses are translated. */
    private boolean mmuOn;
    private TranslationListener translationListener = TranslationListener.NONE;

    /** The registers of the current mode. */
    public final int[] r = new int[16];
    public int pc;
    public int nextPc;
    /** The instruction word being executed (for diagnostics). */
    public int word;
    /** CPSR bits 31:28 (N, Z, C, V), kept apart so that flag updates and condition checks are cheap. */
    public int flags;
    /** CPSR bits 27:0. */
    public int psr;
    /** CPSR.M, cached. */
    public int mode;

    private final int[] usrHigh = new int[5];
    private final int[] fiqHigh = new int[5];
    private final int[] bankedSp = new int[Modes.BANK_COUNT];
    private final int[] bankedLr = new int[Modes.BANK_COUNT];
    private final int[] bankedSpsr = new int[Modes.BANK_COUNT];

    public boolean irqLine;
    public boolean fiqLine;
    /** In WFI or WFE: {@code run} does nothing until a wake-up event. */
    public boolean waiting;
    private boolean waitingForEvent;
    private boolean eventRegister;

    public boolean halted;
    /** Set by the board to end the current {@code run} at the next instruction boundary (an event is due). */
    public boolean yieldRequested;
    public StopReason stopReason = StopReason.NONE;
    public String haltReason = "";
    public long retired;
    /** Set when the current instruction was UNDEFINED or aborted, so did not retire. */
    public boolean exceptionTaken;
    /**
     * Why a translated block must stop after the instruction it is running, for the block's loads and
     * stores that cannot write the PC themselves and so skip the next-PC bookkeeping: {@link #LEAVE_STOP}
     * (an exception entry, a halt), {@link #LEAVE_REDIRECT} (a callback set the PC). The block clears it
     * on entry; the interpreter ignores it.
     */
    public int leaveBlock;
    /** {@link #leaveBlock}: an exception was taken or the core halted. */
    public static final int LEAVE_STOP = 1;
    /** {@link #leaveBlock}: the PC was set from outside the instruction; {@link #nextPc} holds the target. */
    public static final int LEAVE_REDIRECT = 2;
    /**
     * {@link #leaveBlock}: a register or the CPSR was written from outside the instruction (a debugger
     * stopped inside an access, a callback): a translated block, which holds registers in JVM locals, stops
     * after the instruction and reads nothing stale.
     */
    public static final int LEAVE_STATE = 4;
    /**
     * Set by exception entry and exception return, which write ITSTATE themselves: the T32 interpreter
     * then does not apply ITAdvance() to the state they wrote.
     */
    public boolean itStateWritten;

    private long exclusiveAddress = -1;
    private int exclusiveSize;
    private long exclusiveValue;

    /** The memory port this core was built with. */
    public MemoryBus bus() {
        return bus;
    }

    public ArmCore(int cpuId, MemoryBus bus, CpuCallbacks callbacks, ArmCpu owner) {
        this.cpuId = cpuId;
        this.bus = bus;
        this.space = bus instanceof AddressSpace a ? a : null;
        flushDataTlb();
        if (space != null) {
            space.onFaultPointsArmed(this::flushDataTlb);
        }
        this.master = Masters.cpu(cpuId);
        this.callbacks = callbacks;
        this.owner = owner;
        this.cp15 = new Cp15(this);
        this.mmu = new Mmu(this, cp15, bus, master);
        this.policy = new UnpredictablePolicy(this);
        coprocessors[15] = cp15;
        this.cp14 = new Cp14();
        coprocessors[14] = cp14;
    }

    /** The coprocessor answering {@code cp}, or {@code null} (its instructions are then UNDEFINED). */
    public Coprocessor coprocessor(int cp) {
        return coprocessors[cp];
    }

    /** Reset (ARM ARM B1.8.2): SVC mode, A, I and F masked, ARM state (Thumb when {@code resetPc} is odd). */
    public void reset(int resetPc) {
        int before = psr;
        java.util.Arrays.fill(r, 0);
        java.util.Arrays.fill(usrHigh, 0);
        java.util.Arrays.fill(fiqHigh, 0);
        java.util.Arrays.fill(bankedSp, 0);
        java.util.Arrays.fill(bankedLr, 0);
        java.util.Arrays.fill(bankedSpsr, 0);
        cp15.reset();
        cp14.reset();
        vfp.reset();
        translationRegimeChanged();
        mode = Modes.SVC;
        flags = 0;
        psr = Modes.SVC | Psr.A | Psr.I | Psr.F | ((resetPc & 1) != 0 ? Psr.T : 0);
        if ((cp15.sctlr & Cp15.SCTLR_EE) != 0) {
            psr |= Psr.E;
        }
        dataEndiannessWritten(before);
        setPcBetweenInstructions(resetPc & ~1);
        waiting = false;
        waitingForEvent = false;
        eventRegister = false;
        halted = false;
        stopReason = StopReason.NONE;
        haltReason = "";
        // retired counts from power-on across resets: the machine's instruction budget and
        // virtual time are derived from it.
        clearExclusiveLocal();
        observer.onExceptionEntry(ArmException.RESET.kind, resetPc, resetPc & ~1, Modes.SVC);
        reportMaskChange(before, resetPc & ~1);
    }

    // ---------------------------------------------------------------- flags and conditions

    /** ConditionPassed() for condition {@code cond} (0..14; 15 is the unconditional space, handled by the decoder). */
    public boolean conditionPassed(int cond) {
        return CONDITION[(cond << 4) | (flags >>> 28)];
    }

    /**
     * ConditionPassed() (A8.3.1) for condition {@code cond} as a 16-bit mask over NZCV: bit {@code nzcv}
     * is set when the condition passes with those flags. A translated block tests
     * {@code (mask >>> (flags >>> 28)) & 1} with the mask as a constant: no table load, no bounds check.
     */
    public static int conditionMask(int cond) {
        int mask = 0;
        for (int nzcv = 0; nzcv < 16; nzcv++) {
            if (CONDITION[(cond << 4) | nzcv]) {
                mask |= 1 << nzcv;
            }
        }
        return mask;
    }

    /** APSR.C as 0 or 1. */
    public int carry() {
        return (flags >>> 29) & 1;
    }

    public void setNZ(int result) {
        flags = (flags & (Psr.C | Psr.V)) | (result & Psr.N) | (result == 0 ? Psr.Z : 0);
    }

    public void setNZC(int result, int carry) {
        flags = (flags & Psr.V) | (result & Psr.N) | (result == 0 ? Psr.Z : 0) | (carry << 29);
    }

    public void setNZCV(int result, int carry, int overflow) {
        flags = (result & Psr.N) | (result == 0 ? Psr.Z : 0) | (carry << 29) | (overflow << 28);
    }

    // ---------------------------------------------------------------- PSRs and modes

    public int cpsr() {
        return flags | psr;
    }

    public boolean isPrivileged() {
        return mode != Modes.USR;
    }

    /**
     * The physical address a privileged read of {@code va} would use now, for a debugger or tracer:
     * walks the tables if need be without touching the TLB, taking an exception or being seen by
     * fault rules; -1 when the read would fault (with the MMU off: {@code va} itself).
     */
    public long debugTranslate(int va) {
        if (!mmuOn) {
            return va & 0xFFFF_FFFFL;
        }
        long pa = mmu.debugTranslate(va);
        return pa == Mmu.FAULT ? -1 : pa;
    }

    /**
     * The physical address a data access to {@code va} would use now, looked up without walking
     * the tables, touching the TLB or taking an exception; -1 when the TLB does not hold it (with
     * the MMU off: {@code va} itself).
     */
    public long peekTranslation(int va, boolean write) {
        if (!mmuOn) {
            return va & 0xFFFF_FFFFL;
        }
        long pa = mmu.peek(va, write ? Mmu.WRITE : Mmu.READ, isPrivileged());
        if (pa != Mmu.FAULT) {
            return pa;
        }
        // The data fast path holds translations too (checked for this privilege level and access when
        // it was filled, dropped with the TLB): its hits never reach the MMU, whose entry for the page
        // may have been evicted since. (A poll-warp probe asking about a loop's code or data found
        // nothing here once the fast path held 64 pages instead of one, and U-Boot's udelay loops ran
        // for real: ten times slower.)
        int t = tlbIndex(va);
        if ((va & ~0xFFF) == (write ? writePage[t] : readPage[t])) {
            return (write ? writePa[t] : readPa[t]) | (va & 0xFFF);
        }
        return -1;
    }

    /**
     * Writes every implemented CPSR bit (reset, debugger, exception return after masking). A mode field
     * naming an unimplemented mode leaves the mode unchanged (see {@link UnpredictablePolicy}).
     */
    public void writeCpsr(int value) {
        int before = psr;
        int newMode = value & Psr.M;
        if (!Modes.isImplemented(newMode)) {
            newMode = mode;
        }
        if (newMode != mode) {
            if ((newMode == Modes.USR) != (mode == Modes.USR)) {
                privilegeChanged();
            }
            switchBanks(mode, newMode);
            mode = newMode;
        }
        flags = value & Psr.NZCV;
        psr = (value & Psr.IMPLEMENTED & ~Psr.NZCV & ~Psr.M) | newMode;
        dataEndiannessWritten(before);
        reportMaskChange(before, pc);
    }

    /** Tells the observer when CPSR.I or CPSR.F differ from {@code before}'s. */
    private void reportMaskChange(int before, int atPc) {
        if (((before ^ psr) & (Psr.I | Psr.F)) != 0) {
            observer.onInterruptMaskChange((psr & Psr.I) != 0, (psr & Psr.F) != 0, atPc);
        }
    }

    /** CPSRWriteByInstr (ARM ARM B1.3.3), for a core without the Security Extensions. */
    public void cpsrWriteByInstr(int value, int byteMask, boolean isExceptionReturn) {
        boolean privileged = isPrivileged();
        int mask = 0;
        if ((byteMask & 8) != 0) {
            mask |= Psr.N | Psr.Z | Psr.C | Psr.V | Psr.Q;
            if (isExceptionReturn) {
                mask |= 0x07000000; // IT[1:0], J
            }
        }
        if ((byteMask & 4) != 0) {
            mask |= Psr.GE;
        }
        if ((byteMask & 2) != 0) {
            if (isExceptionReturn) {
                mask |= 0x0000FC00; // IT[7:2]
            }
            mask |= Psr.E;
            if (privileged) {
                mask |= Psr.A;
            }
        }
        if ((byteMask & 1) != 0) {
            if (privileged) {
                mask |= Psr.I | Psr.F | Psr.M;
            }
            if (isExceptionReturn) {
                mask |= Psr.T;
            }
        }
        writeCpsr((cpsr() & ~mask) | (value & mask));
    }

    /** Whether the current mode has an SPSR (not User or System). */
    public boolean hasSpsr() {
        return Modes.bank(mode) != Modes.BANK_USR;
    }

    public int spsr() {
        return bankedSpsr[Modes.bank(mode)];
    }

    public void setSpsr(int value) {
        bankedSpsr[Modes.bank(mode)] = value & Psr.IMPLEMENTED;
    }

    /** SPSRWriteByInstr: each set bit of {@code byteMask} writes one byte of the SPSR. */
    public void spsrWriteByInstr(int value, int byteMask) {
        int mask = 0;
        for (int i = 0; i < 4; i++) {
            if ((byteMask & (1 << i)) != 0) {
                mask |= 0xFF << (8 * i);
            }
        }
        setSpsr((spsr() & ~mask) | (value & mask));
    }

    private void switchBanks(int from, int to) {
        int fromBank = Modes.bank(from);
        int toBank = Modes.bank(to);
        if (fromBank == toBank) {
            return;
        }
        bankedSp[fromBank] = r[13];
        bankedLr[fromBank] = r[14];
        if (from == Modes.FIQ) {
            System.arraycopy(r, 8, fiqHigh, 0, 5);
            System.arraycopy(usrHigh, 0, r, 8, 5);
        } else if (to == Modes.FIQ) {
            System.arraycopy(r, 8, usrHigh, 0, 5);
            System.arraycopy(fiqHigh, 0, r, 8, 5);
        }
        r[13] = bankedSp[toBank];
        r[14] = bankedLr[toBank];
    }

    /** A User-mode register (for LDM / STM ^), whatever the current mode. */
    public int userRegister(int n) {
        if (n >= 8 && n <= 12 && mode == Modes.FIQ) {
            return usrHigh[n - 8];
        }
        if ((n == 13 || n == 14) && hasSpsr()) {
            return n == 13 ? bankedSp[Modes.BANK_USR] : bankedLr[Modes.BANK_USR];
        }
        return r[n];
    }

    public void setUserRegister(int n, int value) {
        if (n >= 8 && n <= 12 && mode == Modes.FIQ) {
            usrHigh[n - 8] = value;
        } else if ((n == 13 || n == 14) && hasSpsr()) {
            if (n == 13) {
                bankedSp[Modes.BANK_USR] = value;
            } else {
                bankedLr[Modes.BANK_USR] = value;
            }
        } else if (n == 15) {
            branchWritePc(value);
        } else {
            r[n] = value;
        }
    }

    /** SP of another mode (SRS). */
    public int bankedSp(int ofMode) {
        return Modes.bank(ofMode) == Modes.bank(mode) ? r[13] : bankedSp[Modes.bank(ofMode)];
    }

    public void setBankedSp(int ofMode, int value) {
        if (Modes.bank(ofMode) == Modes.bank(mode)) {
            r[13] = value;
        } else {
            bankedSp[Modes.bank(ofMode)] = value;
        }
    }

    // ---------------------------------------------------------------- register and PC writes

    /** R[d] = value, where d may be 15 only in UNPREDICTABLE cases: then BranchWritePC (see the policy). */
    public void setRegister(int d, int value) {
        if (d == 15) {
            if ((psr & Psr.T) != 0) {
                thumbBranchWritePc(value);
            } else {
                branchWritePc(value);
            }
        } else {
            r[d] = value;
        }
    }

    /** BranchWritePC in ARM state (A32 handlers; the T32 ones call {@link #thumbBranchWritePc}). */
    public void branchWritePc(int address) {
        nextPc = address & ~3;
    }

    /** BranchWritePC in Thumb state: bit 0 cleared, the instruction set unchanged. */
    public void thumbBranchWritePc(int address) {
        nextPc = address & ~1;
    }

    /** BXWritePC: interworking branch; bit 0 selects Thumb state. */
    public void bxWritePc(int address) {
        if ((address & 1) != 0) {
            psr |= Psr.T;
            nextPc = address & ~1;
        } else {
            psr &= ~Psr.T;
            nextPc = address & ~3;
        }
    }

    /** ALUWritePC: interworking in ARM state from ARMv7; in Thumb state BranchWritePC (A2.3.1). */
    public void aluWritePc(int address) {
        if ((psr & Psr.T) != 0) {
            thumbBranchWritePc(address);
        } else {
            bxWritePc(address);
        }
    }

    /** LoadWritePC: interworking from ARMv5T. */
    public void loadWritePc(int address) {
        bxWritePc(address);
    }

    /** Sets the PC from outside an instruction (reset, a debugger, a callback redirecting execution). */
    public void setPcBetweenInstructions(int address) {
        pc = address;
        nextPc = address;
        r[15] = address;
        leaveBlock |= LEAVE_REDIRECT;
    }

    /** Makes the next instruction's address current; called after every instruction and exception entry. */
    public void commitPc() {
        pc = nextPc;
        r[15] = nextPc;
    }

    // ---------------------------------------------------------------- exceptions

    private int vectorBase() {
        return (cp15.sctlr & Cp15.SCTLR_V) != 0 ? 0xFFFF0000 : cp15.vbar;
    }

    /** Enters exception {@code e} with LR = {@code lr} (ARM ARM B1.8.3, B1.9). */
    public void takeException(ArmException e, int lr, int fromPc) {
        int before = psr;
        int saved = cpsr();
        int newPsr = (psr & ~(Psr.M | Psr.IT | Psr.J | Psr.T | Psr.E)) | Psr.I | e.mode;
        if (e.masksAsyncAbort) {
            newPsr |= Psr.A;
        }
        if (e.masksFiq) {
            newPsr |= Psr.F;
        }
        if ((cp15.sctlr & Cp15.SCTLR_TE) != 0) {
            newPsr |= Psr.T;
        }
        if ((cp15.sctlr & Cp15.SCTLR_EE) != 0) {
            newPsr |= Psr.E;
        }
        if (mode == Modes.USR) {
            privilegeChanged();
        }
        if (e.mode != mode) {
            switchBanks(mode, e.mode);
            mode = e.mode;
        }
        psr = newPsr;
        dataEndiannessWritten(before);
        itStateWritten = true;
        bankedSpsr[Modes.bank(e.mode)] = saved;
        r[14] = lr;
        int vector = vectorBase() + e.vectorOffset;
        nextPc = vector;
        r[15] = vector;
        exceptionTaken = e != ArmException.SUPERVISOR_CALL; // an SVC retires; a faulting instruction does not
        leaveBlock |= LEAVE_STOP;
        clearExclusiveLocal();
        observer.onExceptionEntry(e.kind, fromPc, vector, e.mode);
        reportMaskChange(before, vector);
    }

    /** The current instruction is UNDEFINED. Handlers go through {@link UnpredictablePolicy#undefined()}. */
    void undefinedInstruction() {
        observer.onUndefined(pc, word);
        // LR = the instruction's address + 4 in ARM state, + 2 in Thumb state, whatever its size (B1.8.3)
        takeException(ArmException.UNDEFINED, pc + ((psr & Psr.T) != 0 ? 2 : 4), pc);
    }

    /**
     * CheckAdvSIMDOrVFPEnabled(TRUE, advsimd) (ARM ARM B1.11.1): whether the current VFP (or, with
     * {@code advsimd}, Advanced SIMD) instruction may execute; if not, takes the Undefined Instruction
     * exception and returns false.
     */
    public boolean checkAdvSimdOrVfpEnabled(boolean advsimd) {
        if (vfp.enabled(mode != Modes.USR, advsimd)) {
            return true;
        }
        policy.undefined();
        return false;
    }

    /** Whether the CPSR.E bit selects big-endian data. */
    public boolean bigEndian() {
        return (psr & Psr.E) != 0;
    }

    /** ENDIANSTATE = {@code bigEndian} (SETEND, A8.8.169): CPSR.E alone. */
    public void setEndianState(boolean bigEndian) {
        int before = psr;
        psr = bigEndian ? psr | Psr.E : psr & ~Psr.E;
        dataEndiannessWritten(before);
    }

    /**
     * SVC not handled by the board: LR is the next instruction's address, and in Thumb state the SPSR
     * gets ITSTATE advanced past the SVC (TakeSVCException, B1.9.4).
     */
    public void supervisorCall() {
        if ((psr & Psr.IT) != 0) {
            itAdvance();
        }
        takeException(ArmException.SUPERVISOR_CALL, nextPc, pc);
    }

    // ---------------------------------------------------------------- ITSTATE (A2.5.2)

    /** ITSTATE, IT[7:0], from CPSR bits 15:10 and 26:25. */
    public int itState() {
        return ((psr >>> 25) & 3) | ((psr >>> 8) & 0xFC);
    }

    /** Writes ITSTATE (the IT instruction). */
    public void setItState(int it) {
        psr = (psr & ~Psr.IT) | ((it & 3) << 25) | ((it & 0xFC) << 8);
    }

    /** ITAdvance(): the state for the next instruction of the IT block, or 0 after its last. */
    public void itAdvance() {
        int it = itState();
        setItState((it & 7) == 0 ? 0 : (it & 0xE0) | ((it << 1) & 0x1F));
    }

    /** Prefetch Abort for the current instruction; IFAR is written when {@code writeIfar}. */
    public void prefetchAbort(int faultStatus, int address, boolean writeIfar) {
        prefetchAbortWithFsr(faultStatusRegister(faultStatus), address, writeIfar);
    }

    private void prefetchAbortWithFsr(int fsr, int address, boolean writeIfar) {
        cp15.ifsr = fsr;
        if (writeIfar) {
            cp15.ifar = address;
        }
        takeException(ArmException.PREFETCH_ABORT, pc + 4, pc);
    }

    /** Data Abort for an access of the current instruction to {@code address}. */
    public void dataAbort(int address, int faultStatus, boolean write) {
        dataAbortWithFsr(address, faultStatusRegister(faultStatus), write);
    }

    private void dataAbortWithFsr(int address, int fsr, boolean write) {
        cp15.dfsr = fsr | (write ? 1 << 11 : 0);
        cp15.dfar = address;
        takeException(ArmException.DATA_ABORT, pc + 8, pc);
    }

    /**
     * The DFSR / IFSR value (without WnR) for the short-descriptor fault status {@code fs} of a fault
     * that is not the MMU's: in the long-descriptor format (LPAE bit set, B3.13.4) when TTBCR.EAE is set.
     */
    private int faultStatusRegister(int fs) {
        if (cp15.longDescriptorFormat()) {
            int status;
            switch (fs) {
                case FS_ALIGNMENT: status = 0b100001; break;
                case FS_DEBUG_EVENT: status = 0b100010; break;
                case FS_SYNC_EXTERNAL_ABORT: status = 0b010000; break;
                default: throw new IllegalArgumentException("no long-descriptor status for FS " + fs);
            }
            return 1 << 9 | status;
        }
        return ((fs & 0x10) << 6) | (fs & 0xF);
    }

    /** Alignment fault (FS 0b00001) on an access of the current instruction. */
    public void alignmentFault(int address, boolean write) {
        dataAbort(address, FS_ALIGNMENT, write);
    }

    /**
     * At an instruction boundary: takes FIQ or IRQ if its line is high and not masked (FIQ first).
     * Returns whether an exception was taken.
     */
    public boolean takePendingInterrupt() {
        if (fiqLine && (psr & Psr.F) == 0) {
            takeException(ArmException.FIQ, pc + 4, pc);
            commitPc();
            return true;
        }
        if (irqLine && (psr & Psr.I) == 0) {
            takeException(ArmException.IRQ, pc + 4, pc);
            commitPc();
            return true;
        }
        return false;
    }

    /**
     * Exception return: CPSR from {@code newCpsr} (an SPSR or a word from memory), then BranchWritePC in
     * the restored instruction set state.
     */
    public void exceptionReturn(int address, int newCpsr) {
        cpsrWriteByInstr(newCpsr, 0xF, true);
        itStateWritten = true;
        nextPc = (psr & Psr.T) != 0 ? address & ~1 : address & ~3;
        observer.onExceptionReturn(nextPc, mode);
    }

    // ---------------------------------------------------------------- WFI / WFE / halt

    public void waitForInterrupt() {
        waiting = true;
        waitingForEvent = false;
        observer.onWaitBegin(pc, false);
    }

    /** In WFE (not WFI): waits for an event rather than for an interrupt. */
    public boolean isWaitingForEvent() {
        return waiting && waitingForEvent;
    }

    /** WFE: consumes a registered event, or waits for one. */
    public void waitForEvent() {
        if (eventRegister) {
            eventRegister = false;
        } else {
            waiting = true;
            waitingForEvent = true;
            observer.onWaitBegin(pc, true);
        }
    }

    /** An event (SEV on any core) arrives. */
    public void signalEvent() {
        if (waiting && waitingForEvent) {
            waiting = false;
            observer.onWaitEnd();
        } else {
            eventRegister = true;
        }
    }

    /**
     * Leaves WFI when an IRQ or FIQ line is high, masked or not (ARM ARM B1.8.13 WFI wake-up events), and
     * WFE when one is high and not masked.
     */
    public void updateWaiting() {
        if (!waiting) {
            return;
        }
        if (waitingForEvent) {
            if ((irqLine && (psr & Psr.I) == 0) || (fiqLine && (psr & Psr.F) == 0)) {
                waiting = false;
                observer.onWaitEnd();
            }
        } else if (irqLine || fiqLine) {
            waiting = false;
            observer.onWaitEnd();
        }
    }

    public void halt(StopReason reason, String text) {
        if (halted) {
            return;
        }
        halted = true;
        leaveBlock |= LEAVE_STOP;
        stopReason = reason;
        haltReason = text;
        observer.onHalt(text);
    }

    // ---------------------------------------------------------------- memory

    /** Whether SCTLR.M is set, so that fetches and data accesses are translated (ARM ARM B3). */
    public boolean mmuEnabled() {
        return mmuOn;
    }

    /** Registers the one listener told when cached translations go stale (the interpreter's code cache). */
    public void setTranslationListener(TranslationListener listener) {
        this.translationListener = listener == null ? TranslationListener.NONE : listener;
    }

    /**
     * The translation regime changed (SCTLR, TTBR0/1, TTBCR, DACR, PRRR/NMRR, CONTEXTIDR written) or
     * TLB maintenance invalidated everything: the TLB, the data fast paths and the code cache's
     * virtual lookups are flushed.
     */
    void translationRegimeChanged() {
        mmuOn = (cp15.sctlr & Cp15.SCTLR_M) != 0;
        mmu.flushAll();
        flushDataTlb();
        translationListener.translationsFlushed();
    }

    /**
     * The cores an inner-shareable TLB operation reaches (ARM ARM B3.10.5: TLBIALLIS, TLBIMVAIS,
     * TLBIASIDIS and TLBIMVAAIS act on every core of the Inner Shareable domain); this core alone
     * until a board puts its cores in one domain.
     */
    private ArmCore[] innerShareable = {this};

    /** Makes {@code cores} (this one among them) this core's Inner Shareable domain. */
    public void setInnerShareableDomain(ArmCore[] cores) {
        innerShareable = cores.clone();
    }

    /** TLBIALL on every core of the domain (or this one only, when {@code broadcast} is false). */
    void invalidateAllTranslations(boolean broadcast) {
        for (ArmCore c : broadcast ? innerShareable : new ArmCore[] {this}) {
            c.translationRegimeChanged();
        }
    }

    /** TLBIMVA on every core of the domain (or this one only, when {@code broadcast} is false). */
    void invalidateTranslation(int address, boolean broadcast) {
        for (ArmCore c : broadcast ? innerShareable : new ArmCore[] {this}) {
            c.invalidateTranslation(address);
        }
    }

    /**
     * TLB maintenance by address (TLBIMVA, TLBIMVAA and their variants): the TLB entries translating
     * {@code address} go (a section's or supersection's whole entry), and with them what was cached from
     * them — the data fast path's entries and the code cache's lookups within the same block — while
     * every other translation stays. (Linux does this tens of thousands of times while booting; flushing
     * everything each time cost millions of refills of the data fast path and of the code cache's lookups.)
     */
    void invalidateTranslation(int address) {
        mmu.flushAddress(address);
        dropDataTlbEntries(address);
        translationListener.translationInvalidated(address);
    }

    /** Between PL0 and PL1 the permissions of a page differ: the fast paths were filled for the old level. */
    private void privilegeChanged() {
        if (mmuOn) {
            flushDataTlb();
            translationListener.privilegeChanged();
        }
    }

    /**
     * The physical address the current privilege level may fetch an instruction from at
     * {@code address}, or -1 when the fetch would abort (the abort is not taken: {@link #fetch} takes it).
     */
    public long fetchAddress(int address) {
        if (!mmuOn) {
            return address & ADDRESS_MASK;
        }
        long pa = mmu.translate(address, Mmu.FETCH, mode != Modes.USR, false);
        return pa == Mmu.FAULT ? -1 : pa;
    }

    /**
     * log2 of the size of the block or page the last successful {@link #fetchAddress} (or data
     * translation) came from; 32 with the MMU off, so that any TLB maintenance by address covers it.
     * A cache of translations keeps it to drop exactly what {@link TranslationListener#translationInvalidated} hits.
     */
    public int lastTranslationBlockBits() {
        return mmuOn ? mmu.lastBlockBits : 32;
    }

    /**
     * The domain (0–15) whose DACR field the last successful {@link #fetchAddress} (or data translation)
     * was checked against; 16 when none was (the long-descriptor format, the MMU off). A cache of
     * translations keeps it to drop exactly what {@link TranslationListener#domainsChanged} names.
     */
    public int lastTranslationDomain() {
        return mmuOn ? mmu.lastDomain : Mmu.NO_DOMAIN;
    }

    /**
     * DACR was written: the permissions cached for the domains whose field changed no longer
     * hold, those of every other domain do, and no mapping changed. Linux with software PAN writes DACR
     * at every kernel entry from user space and around every user access (tens of thousands of times in
     * a short shell session); flushing every translation each time made user space ten times slower.
     */
    void domainAccessChanged(int before, int after) {
        int changed = 0;
        for (int d = 0; d < 16; d++) {
            if (((before ^ after) >>> (2 * d) & 3) != 0) {
                changed |= 1 << d;
            }
        }
        if (changed == 0) {
            return;
        }
        mmu.flushDomains(changed);
        dropDataTlbDomains(changed);
        translationListener.domainsChanged(changed);
    }

    private boolean isVectorFetch(int address) {
        int offset = address - vectorBase();
        return offset >= 0 && offset < 0x20;
    }

    /**
     * Fetches the A32 instruction at {@code address} (instructions are little-endian in ARMv7). On a
     * translation fault or a bus error takes a Prefetch Abort and returns {@link #ABORTED}.
     */
    public long fetch(int address) {
        return fetch(address, 4);
    }

    /**
     * Fetches {@code size} (4: an A32 instruction, 2: a T32 halfword) bytes at {@code address}; on a
     * translation fault or a bus error takes a Prefetch Abort for the current instruction, with IFAR =
     * {@code address} (the second halfword's address when that is what faulted), and returns {@link #ABORTED}.
     */
    public long fetch(int address, int size) {
        long pa = address & ADDRESS_MASK;
        if (mmuOn) {
            pa = mmu.translate(address, Mmu.FETCH, mode != Modes.USR, false);
            if (pa == Mmu.FAULT) {
                if (isVectorFetch(address)) {
                    halt(StopReason.VECTOR_FETCH_ABORT, String.format(
                            "Prefetch Abort fetching the exception vector at 0x%08x (IFSR would be 0x%x: not mapped?)",
                            address, mmu.faultStatus));
                    return ABORTED;
                }
                prefetchAbortWithFsr(mmu.faultStatus, address, true);
                return ABORTED;
            }
        }
        long value = bus.fetch(pa, size, master);
        if (value == MemoryBus.BUS_ERROR) {
            observer.onBusError(address, pa, false);
            if (isVectorFetch(address)) {
                halt(StopReason.VECTOR_FETCH_ABORT, String.format(
                        "Bus error fetching the exception vector at 0x%08x (nothing mapped there?)", address));
                return ABORTED;
            }
            prefetchAbort(FS_SYNC_EXTERNAL_ABORT, address, true);
            return ABORTED;
        }
        return value;
    }

    /**
     * Reads {@code size} (1, 2, 4) bytes for the current instruction, in CPSR.E byte order, returning the
     * value zero-extended or {@link #ABORTED}. {@code alignedOnly} accesses (MemA: LDM, LDRD, LDREX, SWP)
     * always fault when misaligned; others (MemU) fault only when SCTLR.A is set and are otherwise split
     * into byte accesses (ARM ARM A3.2.1).
     */
    public long read(int address, int size, boolean alignedOnly) {
        long value = tryRead(address, size);
        return value >= 0 ? value : readSlow(address, size, alignedOnly);
    }

    /**
     * The fast path of {@link #read} alone: the value zero-extended when the data TLB holds the page
     * and the address is aligned, else {@link #MISS} without touching anything: no translation, no bus
     * access, no exception. (The TLB holds nothing while data is big-endian or a fault plan watches the
     * bus.) A translated block inlines this probe and calls the instruction's handler only on a miss.
     */
    public long tryRead(int address, int size) {
        // small enough for HotSpot to inline into every load: a misaligned address never equals a
        // page base, so one compare checks the page and the alignment
        int t = tlbIndex(address);
        if (((address & ~0xFFF) | (address & (size - 1))) == readPage[t]) {
            int o = address & 0xFFF; // each RAM chunk is one page (Ram.CHUNK)
            byte[] bytes = readBytes[t];
            switch (size) {
                case 4:
                    return ((int) INT_LE.get(bytes, o)) & 0xFFFF_FFFFL;
                case 2:
                    return ((short) SHORT_LE.get(bytes, o)) & 0xFFFFL;
                default:
                    return bytes[o] & 0xFFL;
            }
        }
        return MISS;
    }

    /** {@link #read} off the fast path: misaligned, not in the data TLB, big-endian or watched by a fault plan. */
    private long readSlow(int address, int size, boolean alignedOnly) {
        if ((address & (size - 1)) != 0) {
            if (alignedOnly || (cp15.sctlr & Cp15.SCTLR_A) != 0) {
                alignmentFault(address, false);
                return ABORTED;
            }
            return readUnaligned(address, size, mode != Modes.USR);
        }
        return readAligned(address, size, mode != Modes.USR, true);
    }

    /**
     * For LDM and friends: where in {@link #fastReadArray()} the word at {@code address} is, when all
     * of [address, address + bytes) can be read straight from it (word-aligned, inside the page the
     * data fast path holds); -1 otherwise, and the caller reads through {@link #read} (which fills the
     * fast path for next time).
     */
    public int fastReadIndex(int address, int bytes) {
        int t = tlbIndex(address);
        int page = readPage[t];
        if ((address & 3) != 0 || (address & ~0xFFF) != page || ((address + bytes - 1) & ~0xFFF) != page) {
            return -1;
        }
        fastRead = readBytes[t];
        return address & 0xFFF;
    }

    /** The array the last {@link #fastReadIndex} that did not return -1 indexes. */
    public byte[] fastReadArray() {
        return fastRead;
    }

    /** For STM: as {@link #fastReadIndex}, for writes (never into a page that holds decoded code: the TLB has no write entry for one). */
    public int fastWriteIndex(int address, int bytes) {
        int t = tlbIndex(address);
        int page = writePage[t];
        if ((address & 3) != 0 || (address & ~0xFFF) != page || ((address + bytes - 1) & ~0xFFF) != page) {
            return -1;
        }
        fastWrite = writeBytes[t];
        return address & 0xFFF;
    }

    /** The array the last {@link #fastWriteIndex} that did not return -1 indexes. */
    public byte[] fastWriteArray() {
        return fastWrite;
    }

    /** A read with PL0 permissions whatever the mode (LDRT, LDRBT, LDRHT, LDRSBT, LDRSHT). */
    public long readUnprivileged(int address, int size) {
        if (!mmuOn) {
            return read(address, size, false);
        }
        if ((address & (size - 1)) != 0) {
            if ((cp15.sctlr & Cp15.SCTLR_A) != 0) {
                alignmentFault(address, false);
                return ABORTED;
            }
            return readUnaligned(address, size, false);
        }
        return readAligned(address, size, false, false);
    }

    /** The slow path of an aligned read: translation, the bus, then (when {@code fill}) the fast path. */
    private long readAligned(int address, int size, boolean privileged, boolean fill) {
        long pa = address & ADDRESS_MASK;
        if (mmuOn) {
            pa = mmu.translate(address, Mmu.READ, privileged, false);
            if (pa == Mmu.FAULT) {
                dataAbortWithFsr(address, mmu.faultStatus, false);
                return ABORTED;
            }
        }
        int bits = lastTranslationBlockBits();
        int domain = lastTranslationDomain();
        long value = bus.read(pa, size, master);
        if (value == MemoryBus.BUS_ERROR) {
            externalAbort(address, pa, false);
            return ABORTED;
        }
        if ((psr & Psr.E) != 0 && size > 1) {
            value = reverse(value, size);
        }
        if (fill && space != null) {
            AddressSpace.Mapping m = space.mappingAt(pa);
            if (m != null && isPlainMemory(m.region()) && !space.faultPointsArmed() && (psr & Psr.E) == 0
                    && wholePage((Ram) m.region(), (pa & ~0xFFFL) - m.base())) {
                Ram ram = (Ram) m.region();
                long page = (pa & ~0xFFFL) - m.base();
                int t = tlbIndex(address);
                readPage[t] = address & ~0xFFF;
                readBytes[t] = ram.chunk(page); // the page's own chunk (regions are page-aligned, a chunk is a page)
                readPa[t] = pa & ~0xFFFL;
                readBits[t] = (byte) bits;
                readDomain[t] = (byte) domain;
                translationCacheFills++;
            }
        }
        return value;
    }

    /**
     * The physical addresses of the first byte of an unaligned access and of the first byte on the
     * next page ({@code address + pageRest}): translated (with the alignment check of Device memory)
     * when the MMU is on. Returns false after taking the abort.
     */
    private boolean translateUnaligned(int address, int size, int access, boolean privileged) {
        int pageRest = 0x1000 - (address & 0xFFF);
        splitFirst = address & ADDRESS_MASK;
        splitSecond = (address + pageRest) & ADDRESS_MASK;
        if (!mmuOn) {
            return true;
        }
        boolean write = access == Mmu.WRITE;
        splitFirst = mmu.translate(address, access, privileged, true);
        if (splitFirst == Mmu.FAULT) {
            dataAbortWithFsr(address, mmu.faultStatus, write);
            return false;
        }
        if (pageRest < size) {
            splitSecond = mmu.translate(address + pageRest, access, privileged, true);
            if (splitSecond == Mmu.FAULT) {
                dataAbortWithFsr(address + pageRest, mmu.faultStatus, write);
                return false;
            }
        }
        return true;
    }

    private long splitFirst;
    private long splitSecond;

    private long splitByte(int address, int i) {
        int pageRest = 0x1000 - (address & 0xFFF);
        return i < pageRest ? splitFirst + i : splitSecond + (i - pageRest);
    }

    private long readUnaligned(int address, int size, boolean privileged) {
        if (!translateUnaligned(address, size, Mmu.READ, privileged)) {
            return ABORTED;
        }
        boolean bigEndian = (psr & Psr.E) != 0;
        long value = 0;
        for (int i = 0; i < size; i++) {
            long pa = splitByte(address, i);
            long b = bus.read(pa, 1, master);
            if (b == MemoryBus.BUS_ERROR) {
                externalAbort(address, pa, false);
                return ABORTED;
            }
            value = bigEndian ? (value << 8) | b : value | (b << (8 * i));
        }
        return value;
    }

    /** Writes the low {@code size} bytes of {@code value}; {@code false} when the access aborted. See {@link #read}. */
    public boolean write(int address, int size, int value, boolean alignedOnly) {
        return tryWrite(address, size, value) || writeSlow(address, size, value, alignedOnly);
    }

    /**
     * The fast path of {@link #write} alone: writes and returns {@code true} when the data TLB holds the
     * page for writing and the address is aligned, else returns {@code false} having done nothing. (No
     * write entry exists for a page that holds decoded code.) See {@link #tryRead}.
     */
    public boolean tryWrite(int address, int size, int value) {
        int t = tlbIndex(address);
        if (((address & ~0xFFF) | (address & (size - 1))) == writePage[t]) {
            int o = address & 0xFFF;
            byte[] bytes = writeBytes[t];
            switch (size) {
                case 4:
                    INT_LE.set(bytes, o, value);
                    break;
                case 2:
                    SHORT_LE.set(bytes, o, (short) value);
                    break;
                default:
                    bytes[o] = (byte) value;
                    break;
            }
            return true;
        }
        // (a page holding cached instructions goes through the bus, whose write invalidates them)
        return false;
    }

    /** {@link #write} off the fast path (see {@link #readSlow}), or into a page that holds decoded code. */
    private boolean writeSlow(int address, int size, int value, boolean alignedOnly) {
        if ((address & (size - 1)) != 0) {
            if (alignedOnly || (cp15.sctlr & Cp15.SCTLR_A) != 0) {
                alignmentFault(address, true);
                return false;
            }
            return writeUnaligned(address, size, value, mode != Modes.USR);
        }
        return writeAligned(address, size, value, mode != Modes.USR, true);
    }

    /** A write with PL0 permissions whatever the mode (STRT, STRBT, STRHT). */
    public boolean writeUnprivileged(int address, int size, int value) {
        if (!mmuOn) {
            return write(address, size, value, false);
        }
        if ((address & (size - 1)) != 0) {
            if ((cp15.sctlr & Cp15.SCTLR_A) != 0) {
                alignmentFault(address, true);
                return false;
            }
            return writeUnaligned(address, size, value, false);
        }
        return writeAligned(address, size, value, false, false);
    }

    private boolean writeUnaligned(int address, int size, int value, boolean privileged) {
        if (!translateUnaligned(address, size, Mmu.WRITE, privileged)) {
            return false;
        }
        boolean bigEndian = (psr & Psr.E) != 0;
        for (int i = 0; i < size; i++) {
            int shift = bigEndian ? 8 * (size - 1 - i) : 8 * i;
            long pa = splitByte(address, i);
            if (!bus.write(pa, 1, (value >>> shift) & 0xFF, master)) {
                externalAbort(address, pa, true);
                return false;
            }
        }
        return true;
    }

    /** The slow path of an aligned write: translation, the bus, then (when {@code fill}) the fast path. */
    private boolean writeAligned(int address, int size, int value, boolean privileged, boolean fill) {
        long pa = address & ADDRESS_MASK;
        if (mmuOn) {
            pa = mmu.translate(address, Mmu.WRITE, privileged, false);
            if (pa == Mmu.FAULT) {
                dataAbortWithFsr(address, mmu.faultStatus, true);
                return false;
            }
        }
        int bits = lastTranslationBlockBits();
        int domain = lastTranslationDomain();
        long data = value & ADDRESS_MASK;
        if ((psr & Psr.E) != 0 && size > 1) {
            data = reverse(data, size);
        }
        if (!bus.write(pa, size, data, master)) {
            externalAbort(address, pa, true);
            return false;
        }
        if (fill && space != null) {
            AddressSpace.Mapping m = space.mappingAt(pa);
            long page = m == null ? 0 : (pa & ~0xFFFL) - m.base();
            if (m != null && m.region().getClass() == Ram.class && !space.faultPointsArmed() && (psr & Psr.E) == 0
                    && !((Ram) m.region()).isWatched(page) && wholePage((Ram) m.region(), page)) {
                Ram ram = (Ram) m.region();
                listenTo(ram);
                int t = tlbIndex(address);
                writePage[t] = address & ~0xFFF;
                writeBytes[t] = ram.chunk(page);
                writePa[t] = pa & ~0xFFFL;
                writeBits[t] = (byte) bits;
                writeDomain[t] = (byte) domain;
                translationCacheFills++;
                writeRegionPage[t] = page;
                writeRam[t] = ram;
            }
        }
        return true;
    }

    private void externalAbort(int address, long physical, boolean write) {
        observer.onBusError(pc, physical, write);
        dataAbort(address, FS_SYNC_EXTERNAL_ABORT, write);
    }

    private static long reverse(long value, int size) {
        return size == 4 ? Integer.reverseBytes((int) value) & ADDRESS_MASK
                : Short.reverseBytes((short) value) & 0xFFFFL;
    }

    // ---------------------------------------------------------------- local exclusive monitor

    /**
     * SetExclusiveMonitors: marks [address, address + size) for exclusive access by this core and
     * remembers what memory holds there (see {@link #exclusiveMonitorsPass}).
     */
    public void setExclusiveMonitors(int address, int size) {
        exclusiveAddress = address & ADDRESS_MASK;
        exclusiveSize = size;
        exclusiveValue = monitoredValue(address, size);
    }

    /**
     * ExclusiveMonitorsPass (alignment already checked): whether the store may go ahead; clears the
     * monitor. Besides this core's local monitor (same address and size as the last load-exclusive),
     * the global monitor is modelled as QEMU models it (target/arm translate.c gen_store_exclusive: a
     * compare-and-swap against the value the load-exclusive saw): a store by any other core or DMA
     * master that changed the location since, including another core's successful store-exclusive,
     * makes the store fail. An intervening write of the same value goes unnoticed, as in QEMU.
     */
    public boolean exclusiveMonitorsPass(int address, int size) {
        boolean pass = exclusiveAddress == (address & ADDRESS_MASK) && exclusiveSize == size
                && monitoredValue(address, size) == exclusiveValue;
        clearExclusiveLocal();
        return pass;
    }

    /**
     * What RAM holds at a monitored location, read without side effects or fault points; device
     * registers (not plain memory) are not compared and read as 0.
     */
    private long monitoredValue(int address, int size) {
        if (space == null) {
            return 0;
        }
        long a = address & ADDRESS_MASK;
        if (mmuOn) {
            a = mmu.peek(address, Mmu.READ, mode != Modes.USR);
            if (a == Mmu.FAULT) {
                return 0;
            }
        }
        AddressSpace.Mapping m = space.mappingAt(a);
        if (m == null || !isPlainMemory(m.region())) {
            return 0;
        }
        if (size == 8) {
            long lo = space.read(a, 4, Masters.DEBUG);
            long hi = space.read(a + 4, 4, Masters.DEBUG);
            return (hi << 32) | (lo & ADDRESS_MASK);
        }
        return space.read(a, size, Masters.DEBUG);
    }

    /** ClearExclusiveLocal (CLREX, exception entry). */
    public void clearExclusiveLocal() {
        exclusiveAddress = -1;
        exclusiveSize = 0;
    }

    // ---------------------------------------------------------------- banked registers (MRS / MSR banked)

    /**
     * R[n] (8 to 14) as mode {@code ofMode} sees it, whatever the current mode: the banked-register
     * MRS (ARM ARM B9.3.9).
     */
    public int bankedRegister(int ofMode, int n) {
        if (n <= 12) {
            boolean fiqBank = ofMode == Modes.FIQ;
            if (fiqBank == (mode == Modes.FIQ)) {
                return r[n];
            }
            return fiqBank ? fiqHigh[n - 8] : usrHigh[n - 8];
        }
        int bank = Modes.bank(ofMode);
        if (bank == Modes.bank(mode)) {
            return r[n];
        }
        return n == 13 ? bankedSp[bank] : bankedLr[bank];
    }

    /** Writes R[n] (8 to 14) of mode {@code ofMode}: the banked-register MSR (ARM ARM B9.3.10). */
    public void setBankedRegister(int ofMode, int n, int value) {
        if (n <= 12) {
            boolean fiqBank = ofMode == Modes.FIQ;
            if (fiqBank == (mode == Modes.FIQ)) {
                r[n] = value;
            } else if (fiqBank) {
                fiqHigh[n - 8] = value;
            } else {
                usrHigh[n - 8] = value;
            }
            return;
        }
        int bank = Modes.bank(ofMode);
        if (bank == Modes.bank(mode)) {
            r[n] = value;
        } else if (n == 13) {
            bankedSp[bank] = value;
        } else {
            bankedLr[bank] = value;
        }
    }

    /** SPSR_{@code ofMode} (a mode with an SPSR). */
    public int bankedSpsr(int ofMode) {
        return bankedSpsr[Modes.bank(ofMode)];
    }

    public void setBankedSpsr(int ofMode, int value) {
        bankedSpsr[Modes.bank(ofMode)] = value & Psr.IMPLEMENTED;
    }

    /**
     * The data TLB holds only whole pages: translations access an entry's array without bounds checks
     * (A32Translator's raw accesses), which is sound only because every entry's array is {@link Ram#CHUNK}
     * bytes long. Mapped regions are whole pages ({@link AddressSpace#map}), so this refuses nothing today.
     */
    private static boolean wholePage(Ram ram, long page) {
        return ram.chunk(page).length == Ram.CHUNK;
    }

    /**
     * The data fast path's arrays, for translations that probe it inline (A32Translator holds them as
     * constants of each translation's class, so that HotSpot drops their loads and bounds checks): read
     * tags and read arrays, then write tags and write arrays. A translation's probe must mean exactly
     * what {@link #tryRead} and {@link #tryWrite} mean: a tag equal to {@code (address & ~0xFFF) |
     * (address & (size - 1))} at index {@code (address >>> 12) & (length - 1)} is a hit, and the access
     * is to that entry's array at {@code address & 0xFFF}, little-endian (an entry's array is one RAM
     * chunk, which is one page: {@link Ram#CHUNK}).
     */
    public Object[] dataTlbArrays() {
        return new Object[] {readPage, readBytes, writePage, writeBytes};
    }
}
