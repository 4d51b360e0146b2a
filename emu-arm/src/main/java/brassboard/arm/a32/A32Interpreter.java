package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.Psr;
import brassboard.arm.core.TranslationListener;
import brassboard.arm.t32.T32Interpreter;
import brassboard.bus.api.AddressSpace;

/**
 * Fetches, decodes and executes A32 instructions on one {@link ArmCore}.
 *
 * <p>Each encoding of {@code encodings.txt} is bound, by name, to a method of one of the handler objects
 * of this core, the first time an instruction of that encoding is decoded ({@link HandlerTable}); the
 * table is indexed by the decoder's encoding index, so executing an instruction is a table lookup and
 * one call, with no reflection and no allocation.
 */
public final class A32Interpreter {
    private final ArmCore core;
    /** This core's handlers by encoding, bound on first use. */
    private final HandlerTable<A32Handler> handlers;
    /** Pre-decoded pages; {@code null} when the core's bus is not an {@link AddressSpace} (test fakes). */
    private final CodeCache cache;
    /** Executes the steps taken in Thumb state (CPSR.T set). */
    private final T32Interpreter thumb;
    /** The page the last instruction came from (a one-entry lookaside in front of the cache). */
    private CodeCache.Page page;
    /** Whether hot straight-line code is translated to bytecode ({@link BlockCompiler}). */
    private boolean compileBlocks = DEFAULT_COMPILE_BLOCKS;
    private long blocksCompiled;
    /** Addresses where the observer's onPcHook runs first; {@code null} when there are none. */
    private PcHooks pcHooks;
    private final PcHooks hookSet = new PcHooks();
    /** Whether onPcHook runs before every instruction, each executed alone (a debugger stepping or watching). */
    private boolean everyInstruction;

    /**
     * Default steps of an instruction by the interpreter before the block starting there is translated
     * ({@code -Dbrassboard.jit.hot=N} overrides it). A translated block costs its generation, then
     * HotSpot's own compiles of the new class (C1, then C2): about a third of a millisecond, the time
     * the interpreter takes for some ten thousand instructions, so a block of a few instructions pays
     * back after a few thousand runs. Booting U-Boot runs ten million instructions of cold code: at 64
     * it translated 3,200 blocks and reached the prompt about 1 s later than with no translation at
     * all; at 4,000 and at 16,000 the two were indistinguishable (8 alternated runs each: median
     * 1.59 s against 1.63 s), at 2,000 slower. Since translations became regions that follow branches
     * (which a later translation chooses from more heat) and HotSpot's compiles came to dominate the
     * warm-up, 12,000 beats 4,000 everywhere it was measured (2026-12-07, alternated runs, quiet machine):
     * CoreMark 2,000 iterations 1.66 / 1.65 / 1.72 s against 2.14 / 2.08 / 2.02 s, 10,000 iterations
     * 4.80 s against 5.30 s, Linux to /init 11.40 / 11.23 s against 12.67 / 12.65 s, U-Boot's script
     * 0.15-0.17 s against 0.21-0.22 s; 20,000 and 30,000 were no better than 12,000. Hot loops (the
     * benchmarks) are translated within microseconds either way.
     */
    static final int DEFAULT_HOT = hotSetting(System.getProperty("brassboard.jit.hot"), 12_000);

    /** {@code value} if it is a valid threshold, else {@code fallback} (the CLI reports a bad setting before any run). */
    static int hotSetting(String value, int fallback) {
        return value != null && brassboard.arm.api.ArmCpu.compileThresholdProblem(value).isEmpty() ? Integer.parseInt(value.strip()) : fallback;
    }
    private int hot = DEFAULT_HOT;
    /**
     * The address after the instruction the interpreter stepped last, in the same page (1 after the page's
     * last one). Reaching the next instruction that way, from one a translation holds, adds nothing to its
     * heat: the interpreter is then only finishing a quantum inside translated code (a translation runs only
     * when the budget holds its whole length) or starting one there, and counting those steps made
     * translations start at every instruction of hot loops (a Linux boot: 168 of its 585 translations
     * started inside another; CoreMark 34 of 90). Arriving by a branch, an exception return or a
     * translation's exit counts as before, so a return address inside a translation still gets its own.
     */
    private int steppedOnTo = 1;
    /** Marks an instruction where no block can start (so translation is not tried again). */
    static final CompiledBlock NO_BLOCK = new CompiledBlock(Integer.MAX_VALUE) {
        @Override
        public int run(brassboard.arm.core.ArmCore c, int budget) {
            throw new IllegalStateException("NO_BLOCK is a marker");
        }
    };
    /** Whether {@code b}, a page's block slot, holds a translation (not empty, not {@link #NO_BLOCK}). */
    static boolean isTranslation(CompiledBlock b) {
        return b != null && b != NO_BLOCK;
    }

    /** {@code -Dbrassboard.jit=false} turns block translation off (the interpreter alone). */
    static final boolean DEFAULT_COMPILE_BLOCKS = !"false".equals(System.getProperty("brassboard.jit"));

    /** Turns translation of hot blocks on or off (on by default); semantics are the same either way. */
    public void setCompileBlocks(boolean on) {
        this.compileBlocks = on;
    }

    /**
     * Binds the handler of every A32 encoding and every T32 binding now, and returns how many there are:
     * a test's check that each encoding of the tables has one ({@link HandlerTable}).
     */
    int bindAll() {
        for (int e = 0; e < handlers.size(); e++) {
            handlers.get(e);
        }
        return handlers.size() + thumb.bindAll();
    }

    /** A32 handlers bound so far (a statistic for tests). */
    int boundHandlers() {
        return handlers.boundCount();
    }

    /** Blocks translated so far (a statistic for tests and benchmarks). */
    public long blocksCompiled() {
        return blocksCompiled + thumb.blocksCompiled();
    }

    /** How many interpreted steps of an instruction trigger translation of the block starting there (1: at once). */
    public void setCompileThreshold(int steps) {
        if (steps < 1 || steps > brassboard.arm.api.ArmCpu.MAX_COMPILE_THRESHOLD) {
            throw new IllegalArgumentException("compile threshold " + steps + " is outside 1.." + brassboard.arm.api.ArmCpu.MAX_COMPILE_THRESHOLD);
        }
        this.hot = steps;
    }

    /**
     * Replaces the PC hooks. Translated blocks never hold a hooked address except as their first
     * instruction, and a block starting at one never loops by itself, so the hook runs at every
     * execution of a hooked instruction: blocks that would break this are dropped here.
     */
    public void setPcHooks(java.util.Collection<Integer> addresses) {
        for (int a : hookSet.replace(addresses)) {
            dropBlocksAround(a);
        }
        pcHooks = hookSet.isEmpty() && !everyInstruction ? null : hookSet;
    }

    /**
     * Calls the observer's onPcHook before every instruction (not only at hooked addresses) and
     * executes instructions one at a time, never a translated block of several: a debugger's single
     * step, or its watch for a data access. Results are the same as without; only slower.
     */
    public void setHookEveryInstruction(boolean on) {
        everyInstruction = on;
        pcHooks = hookSet.isEmpty() && !on ? null : hookSet;
    }

    /** Whether {@link #setHookEveryInstruction} is on. */
    public boolean hooksEveryInstruction() {
        return everyInstruction;
    }

    /** Adds one PC hook (see {@link #setPcHooks}). */
    public void addPcHook(int address) {
        if (hookSet.add(address)) {
            dropBlocksAround(address & ~1);
        }
        pcHooks = hookSet;
    }

    /** Removes one PC hook; blocks translated around it stay valid. */
    public void removePcHook(int address) {
        hookSet.remove(address);
        pcHooks = hookSet.isEmpty() && !everyInstruction ? null : hookSet;
    }

    public java.util.Set<Integer> pcHooks() {
        return hookSet.addresses();
    }

    /** Whether any PC hook is set. */
    public boolean hasPcHooks() {
        return pcHooks != null;
    }

    /** Drops translated blocks that run over {@code address} without stopping, or loop on it. */
    private void dropBlocksAround(int address) {
        if (cache == null) {
            return;
        }
        for (CodeCache.Page p : cache.pagesAt(address)) {
            dropBlocksAround(p, address);
            T32Interpreter.dropBlocksAround(p, address);
        }
    }

    private static void dropBlocksAround(CodeCache.Page p, int address) {
        int at = (address >>> 2) & 1023;
        for (int i = 0; i < 1024; i++) { // a translation that follows branches may hold code before its start
            CompiledBlock b = p.blocks[i];
            if (isTranslation(b) && (i != at ? b.holds(i, at) : b.loops)) {
                p.blocks[i] = null;
                p.heat[i] = 0;
            }
        }
        java.util.Arrays.fill(p.held, 0);
        for (int i = 0; i < 1024; i++) {
            if (isTranslation(p.blocks[i])) {
                markHeld(p, i, p.blocks[i]);
            }
        }
    }

    /** Adds the instructions translation {@code b}, starting at page instruction {@code first}, holds to the page's {@link CodeCache.Page#held}. */
    static void markHeld(CodeCache.Page p, int first, CompiledBlock b) {
        for (int k = 0; k < 1024; k++) { // (a translation that follows branches may hold code before its start)
            if (b.holds(first, k)) {
                p.held[k >> 6] |= 1L << k;
            }
        }
    }

    public A32Interpreter(ArmCore core) {
        this.core = core;
        Handlers h = new Handlers(core);
        handlers = new HandlerTable<>(A32Decoder.count(), i -> bind(A32Decoder.encoding(i), HANDLER_NAMES[i], h));
        this.cache = core.bus() instanceof AddressSpace space
                ? new CodeCache(core, space, handlers, w -> core.policy.undefined())
                : null;
        this.thumb = new T32Interpreter(core, handlers, cache);
        core.setTranslationListener(new TranslationListener() {
            @Override
            public void translationsFlushed() {
                page = null;
                thumb.forgetPage();
                if (cache != null) {
                    cache.flushVirtual();
                }
            }

            @Override
            public void translationInvalidated(int address) {
                page = null;
                thumb.forgetPage();
                if (cache != null) {
                    cache.invalidateVirtual(address);
                }
            }

            @Override
            public void domainsChanged(int domains) {
                page = null;
                thumb.forgetPage();
                if (cache != null) {
                    cache.invalidateDomains(domains);
                }
            }

            @Override
            public void privilegeChanged() {
                page = null;
                thumb.forgetPage();
            }
        });
    }

    /**
     * Each encoding's handler name within its group's binder, worked out once per JVM (every core of
     * every machine binds the same table): its name, less a SIMD shift's element size or a long
     * operation's {@code _S2}.
     */
    private static final String[] HANDLER_NAMES = handlerNames();

    private static String[] handlerNames() {
        java.util.regex.Pattern elementSize = java.util.regex.Pattern.compile("_(8|16|32|64)$");
        String[] names = new String[A32Decoder.count()];
        for (int i = 0; i < names.length; i++) {
            Encoding e = A32Decoder.encoding(i);
            names[i] = switch (e.group()) {
                case "simdshift" -> elementSize.matcher(e.name()).replaceAll("");
                case "simdlong" -> e.name().replace("_S2", "");
                default -> e.name();
            };
        }
        return names;
    }

    /** The handler objects of one core. */
    private static final class Handlers {
        final DataProcessing dp;
        final Multiply mul;
        final LoadStore ls;
        final LoadStoreMultiple lsm;
        final Branch br;
        final StatusRegister sr;
        final Media media;
        final CoprocessorInstructions cp;
        final HintsBarriers hint;
        final ExceptionGenerating exc;
        final Synchronization sync;
        final VfpDataProcessing vfp;
        final ExtensionRegisterLoadStore vfpLoadStore;
        final ExtensionRegisterTransfer vfpTransfer;
        final SimdThreeRegisters simd3;
        final SimdShiftImmediate simdShift;
        final SimdMisc simdMisc;
        final SimdElementLoadStore simdLoadStore;
        final SimdLong simdLong;

        Handlers(ArmCore core) {
            dp = new DataProcessing(core);
            mul = new Multiply(core);
            ls = new LoadStore(core);
            lsm = new LoadStoreMultiple(core);
            br = new Branch(core);
            sr = new StatusRegister(core);
            media = new Media(core);
            cp = new CoprocessorInstructions(core);
            hint = new HintsBarriers(core);
            exc = new ExceptionGenerating(core);
            sync = new Synchronization(core);
            vfp = new VfpDataProcessing(core);
            vfpLoadStore = new ExtensionRegisterLoadStore(core);
            vfpTransfer = new ExtensionRegisterTransfer(core);
            simd3 = new SimdThreeRegisters(core);
            simdShift = new SimdShiftImmediate(core, simd3);
            simdMisc = new SimdMisc(core, simdShift);
            simdLoadStore = new SimdElementLoadStore(core);
            simdLong = new SimdLong(core);
        }
    }

    /**
     * The handler of encoding {@code e} ({@code name}: its {@link #HANDLER_NAMES handler name}): every encoding in {@code encodings.txt} must have one, in the
     * handler class of its group. One binder per group keeps each method small.
     */
    static A32Handler bind(Encoding e, String name, Handlers h) {
        A32Handler handler;
        switch (e.group()) {
            case "dataproc": handler = dataProcessing(name, h.dp); break;
            case "multiply": handler = multiply(name, h.mul); break;
            case "status": handler = statusRegister(name, h.sr); break;
            case "branch": handler = branch(name, h.br); break;
            case "media": handler = media(name, h.media); break;
            case "exception": handler = exceptionGenerating(name, h.exc); break;
            case "hint": handler = hintsBarriers(name, h.hint); break;
            case "loadstore": handler = loadStore(name, h.ls); break;
            case "sync": handler = synchronization(name, h.sync); break;
            case "ldm": handler = loadStoreMultiple(name, h.lsm); break;
            case "coproc": handler = coprocessor(name, h.cp); break;
            case "vfp": handler = vfpDataProcessing(name, h.vfp); break;
            case "vfpldst": handler = extensionRegisterLoadStore(name, h.vfpLoadStore); break;
            case "vfpxfer": handler = extensionRegisterTransfer(name, h.vfpTransfer); break;
            case "simd3": handler = simdThreeRegisters(name, h.simd3); break;
            case "simdimm": handler = name.equals("VIMM") ? h.simdShift::modifiedImmediate : null; break;
            case "simdshift": handler = simdShift(name, h.simdShift); break;
            case "simdmisc": handler = simdMisc(name, h.simdMisc); break;
            case "simdldst": handler = simdLoadStore(name, h.simdLoadStore); break;
            case "simdlong": handler = simdLong(name, h.simdLong); break;
            default: handler = null; break;
        }
        if (handler == null) {
            throw new IllegalStateException("encodings.txt line " + e.line() + ": " + e.name() + " (group " + e.group()
                    + ") has no handler");
        }
        return handler;
    }

    private static A32Handler dataProcessing(String name, DataProcessing x) {
        switch (name) {
            case "AND_imm": return x::andImmediate;
            case "AND_reg": return x::andRegister;
            case "AND_rsr": return x::andRegisterShiftedRegister;
            case "EOR_imm": return x::eorImmediate;
            case "EOR_reg": return x::eorRegister;
            case "EOR_rsr": return x::eorRegisterShiftedRegister;
            case "SUB_imm": return x::subImmediate;
            case "SUB_reg": return x::subRegister;
            case "SUB_rsr": return x::subRegisterShiftedRegister;
            case "RSB_imm": return x::rsbImmediate;
            case "RSB_reg": return x::rsbRegister;
            case "RSB_rsr": return x::rsbRegisterShiftedRegister;
            case "ADD_imm": return x::addImmediate;
            case "ADD_reg": return x::addRegister;
            case "ADD_rsr": return x::addRegisterShiftedRegister;
            case "ADC_imm": return x::adcImmediate;
            case "ADC_reg": return x::adcRegister;
            case "ADC_rsr": return x::adcRegisterShiftedRegister;
            case "SBC_imm": return x::sbcImmediate;
            case "SBC_reg": return x::sbcRegister;
            case "SBC_rsr": return x::sbcRegisterShiftedRegister;
            case "RSC_imm": return x::rscImmediate;
            case "RSC_reg": return x::rscRegister;
            case "RSC_rsr": return x::rscRegisterShiftedRegister;
            case "TST_imm": return x::tstImmediate;
            case "TST_reg": return x::tstRegister;
            case "TST_rsr": return x::tstRegisterShiftedRegister;
            case "TEQ_imm": return x::teqImmediate;
            case "TEQ_reg": return x::teqRegister;
            case "TEQ_rsr": return x::teqRegisterShiftedRegister;
            case "CMP_imm": return x::cmpImmediate;
            case "CMP_reg": return x::cmpRegister;
            case "CMP_rsr": return x::cmpRegisterShiftedRegister;
            case "CMN_imm": return x::cmnImmediate;
            case "CMN_reg": return x::cmnRegister;
            case "CMN_rsr": return x::cmnRegisterShiftedRegister;
            case "ORR_imm": return x::orrImmediate;
            case "ORR_reg": return x::orrRegister;
            case "ORR_rsr": return x::orrRegisterShiftedRegister;
            case "MOV_imm": return x::movImmediate;
            case "MOV_reg": return x::movRegister;
            case "MOV_rsr": return x::movRegisterShiftedRegister;
            case "BIC_imm": return x::bicImmediate;
            case "BIC_reg": return x::bicRegister;
            case "BIC_rsr": return x::bicRegisterShiftedRegister;
            case "MVN_imm": return x::mvnImmediate;
            case "MVN_reg": return x::mvnRegister;
            case "MVN_rsr": return x::mvnRegisterShiftedRegister;
            case "MOVW": return x::movw;
            case "MOVT": return x::movt;
            default: return null;
        }
    }

    private static A32Handler multiply(String name, Multiply x) {
        switch (name) {
            case "MUL": return x::mul;
            case "MLA": return x::mla;
            case "UMAAL": return x::umaal;
            case "MLS": return x::mls;
            case "UMULL": return x::umull;
            case "UMLAL": return x::umlal;
            case "SMULL": return x::smull;
            case "SMLAL": return x::smlal;
            case "SMLAxy": return x::smlaxy;
            case "SMLAWy": return x::smlawy;
            case "SMULWy": return x::smulwy;
            case "SMLALxy": return x::smlalxy;
            case "SMULxy": return x::smulxy;
            case "SDIV": return x::sdiv;
            case "UDIV": return x::udiv;
            case "SMLAD": return x::smlad;
            case "SMUAD": return x::smuad;
            case "SMLSD": return x::smlsd;
            case "SMUSD": return x::smusd;
            case "SMLALD": return x::smlald;
            case "SMLSLD": return x::smlsld;
            case "SMMLA": return x::smmla;
            case "SMMUL": return x::smmul;
            case "SMMLS": return x::smmls;
            default: return null;
        }
    }

    private static A32Handler statusRegister(String name, StatusRegister x) {
        switch (name) {
            case "MRS": return x::mrs;
            case "MSR_reg": return x::msrRegister;
            case "MSR_imm": return x::msrImmediate;
            case "CPS": return x::cps;
            case "SETEND": return x::setend;
            case "RFE": return x::rfe;
            case "SRS": return x::srs;
            case "ERET": return x::eret;
            case "MRS_banked": return x::mrsBanked;
            case "MSR_banked": return x::msrBanked;
            default: return null;
        }
    }

    private static A32Handler branch(String name, Branch x) {
        switch (name) {
            case "BX": return x::bx;
            case "BXJ": return x::bxj;
            case "BLX_reg": return x::blxRegister;
            case "B": return x::b;
            case "BL": return x::bl;
            case "BLX_imm": return x::blxImmediate;
            default: return null;
        }
    }

    private static A32Handler media(String name, Media x) {
        switch (name) {
            case "CLZ": return x::clz;
            case "QADD": return x::qadd;
            case "QSUB": return x::qsub;
            case "QDADD": return x::qdadd;
            case "QDSUB": return x::qdsub;
            case "PKH": return x::pkh;
            case "SEL": return x::sel;
            case "SSAT": return x::ssat;
            case "USAT": return x::usat;
            case "SXTAB16": return x::sxtab16;
            case "SXTB16": return x::sxtb16;
            case "SXTAB": return x::sxtab;
            case "SXTB": return x::sxtb;
            case "SXTAH": return x::sxtah;
            case "SXTH": return x::sxth;
            case "UXTAB16": return x::uxtab16;
            case "UXTB16": return x::uxtb16;
            case "UXTAB": return x::uxtab;
            case "UXTB": return x::uxtb;
            case "UXTAH": return x::uxtah;
            case "UXTH": return x::uxth;
            case "REV": return x::rev;
            case "REV16": return x::rev16;
            case "RBIT": return x::rbit;
            case "REVSH": return x::revsh;
            case "SBFX": return x::sbfx;
            case "UBFX": return x::ubfx;
            case "BFI": return x::bfi;
            case "BFC": return x::bfc;
            case "SSAT16": return x::ssat16;
            case "USAT16": return x::usat16;
            case "USAD8": return x::usad8;
            case "USADA8": return x::usada8;
            case "SADD16": return x::sadd16;
            case "SASX": return x::sasx;
            case "SSAX": return x::ssax;
            case "SSUB16": return x::ssub16;
            case "SADD8": return x::sadd8;
            case "SSUB8": return x::ssub8;
            case "QADD16": return x::qadd16;
            case "QASX": return x::qasx;
            case "QSAX": return x::qsax;
            case "QSUB16": return x::qsub16;
            case "QADD8": return x::qadd8;
            case "QSUB8": return x::qsub8;
            case "SHADD16": return x::shadd16;
            case "SHASX": return x::shasx;
            case "SHSAX": return x::shsax;
            case "SHSUB16": return x::shsub16;
            case "SHADD8": return x::shadd8;
            case "SHSUB8": return x::shsub8;
            case "UADD16": return x::uadd16;
            case "UASX": return x::uasx;
            case "USAX": return x::usax;
            case "USUB16": return x::usub16;
            case "UADD8": return x::uadd8;
            case "USUB8": return x::usub8;
            case "UQADD16": return x::uqadd16;
            case "UQASX": return x::uqasx;
            case "UQSAX": return x::uqsax;
            case "UQSUB16": return x::uqsub16;
            case "UQADD8": return x::uqadd8;
            case "UQSUB8": return x::uqsub8;
            case "UHADD16": return x::uhadd16;
            case "UHASX": return x::uhasx;
            case "UHSAX": return x::uhsax;
            case "UHSUB16": return x::uhsub16;
            case "UHADD8": return x::uhadd8;
            case "UHSUB8": return x::uhsub8;
            default: return null;
        }
    }

    private static A32Handler exceptionGenerating(String name, ExceptionGenerating x) {
        switch (name) {
            case "BKPT": return x::bkpt;
            case "HVC": return x::hvc;
            case "SMC": return x::smc;
            case "SVC": return x::svc;
            case "UDF": return x::udf;
            default: return null;
        }
    }

    private static A32Handler hintsBarriers(String name, HintsBarriers x) {
        switch (name) {
            case "NOP": return x::nop;
            case "YIELD": return x::yield;
            case "WFE": return x::wfe;
            case "WFI": return x::wfi;
            case "SEV": return x::sev;
            case "DBG": return x::dbg;
            case "HINT_other": return x::hintOther;
            case "DMB": return x::dmb;
            case "DSB": return x::dsb;
            case "ISB": return x::isb;
            case "PLD_imm": return x::pldImmediate;
            case "PLI_imm": return x::pliImmediate;
            case "PLD_reg": return x::pldRegister;
            case "PLI_reg": return x::pliRegister;
            case "MEMHINT_imm": return x::memoryHintImmediate;
            case "MEMHINT_reg": return x::memoryHintRegister;
            default: return null;
        }
    }

    private static A32Handler loadStore(String name, LoadStore x) {
        switch (name) {
            case "STR_imm": return x::strImmediate;
            case "LDR_imm": return x::ldrImmediate;
            case "STRB_imm": return x::strbImmediate;
            case "LDRB_imm": return x::ldrbImmediate;
            case "STR_reg": return x::strRegister;
            case "LDR_reg": return x::ldrRegister;
            case "STRB_reg": return x::strbRegister;
            case "LDRB_reg": return x::ldrbRegister;
            case "STRT_imm": return x::strtImmediate;
            case "LDRT_imm": return x::ldrtImmediate;
            case "STRBT_imm": return x::strbtImmediate;
            case "LDRBT_imm": return x::ldrbtImmediate;
            case "STRT_reg": return x::strtRegister;
            case "LDRT_reg": return x::ldrtRegister;
            case "STRBT_reg": return x::strbtRegister;
            case "LDRBT_reg": return x::ldrbtRegister;
            case "STRH_imm": return x::strhImmediate;
            case "LDRH_imm": return x::ldrhImmediate;
            case "STRH_reg": return x::strhRegister;
            case "LDRH_reg": return x::ldrhRegister;
            case "LDRD_imm": return x::ldrdImmediate;
            case "LDRD_reg": return x::ldrdRegister;
            case "LDRSB_imm": return x::ldrsbImmediate;
            case "LDRSB_reg": return x::ldrsbRegister;
            case "STRD_imm": return x::strdImmediate;
            case "STRD_reg": return x::strdRegister;
            case "LDRSH_imm": return x::ldrshImmediate;
            case "LDRSH_reg": return x::ldrshRegister;
            case "STRHT_imm": return x::strhtImmediate;
            case "LDRHT_imm": return x::ldrhtImmediate;
            case "STRHT_reg": return x::strhtRegister;
            case "LDRHT_reg": return x::ldrhtRegister;
            case "LDRSBT_imm": return x::ldrsbtImmediate;
            case "LDRSBT_reg": return x::ldrsbtRegister;
            case "LDRSHT_imm": return x::ldrshtImmediate;
            case "LDRSHT_reg": return x::ldrshtRegister;
            default: return null;
        }
    }

    private static A32Handler synchronization(String name, Synchronization x) {
        switch (name) {
            case "SWP": return x::swp;
            case "SWPB": return x::swpb;
            case "STREX": return x::strex;
            case "LDREX": return x::ldrex;
            case "STREXD": return x::strexd;
            case "LDREXD": return x::ldrexd;
            case "STREXB": return x::strexb;
            case "LDREXB": return x::ldrexb;
            case "STREXH": return x::strexh;
            case "LDREXH": return x::ldrexh;
            case "CLREX": return x::clrex;
            default: return null;
        }
    }

    private static A32Handler loadStoreMultiple(String name, LoadStoreMultiple x) {
        switch (name) {
            case "STMDA": return x::stmda;
            case "LDMDA": return x::ldmda;
            case "STM": return x::stm;
            case "LDM": return x::ldm;
            case "STMDB": return x::stmdb;
            case "LDMDB": return x::ldmdb;
            case "STMIB": return x::stmib;
            case "LDMIB": return x::ldmib;
            case "STM_usr": return x::stmUserRegisters;
            case "LDM_usr": return x::ldmUserRegisters;
            case "LDM_eret": return x::ldmExceptionReturn;
            default: return null;
        }
    }

    private static A32Handler coprocessor(String name, CoprocessorInstructions x) {
        switch (name) {
            case "MCR": return x::mcr;
            case "MRC": return x::mrc;
            case "MCRR": return x::mcrr;
            case "MRRC": return x::mrrc;
            default: return null;
        }
    }

    private static A32Handler vfpDataProcessing(String name, VfpDataProcessing x) {
        switch (name) {
            case "VMLA_f": return x::vmla;
            case "VMLS_f": return x::vmls;
            case "VNMLS": return x::vnmls;
            case "VNMLA": return x::vnmla;
            case "VMUL_f": return x::vmul;
            case "VNMUL": return x::vnmul;
            case "VADD_f": return x::vadd;
            case "VSUB_f": return x::vsub;
            case "VDIV": return x::vdiv;
            case "VFNMS": return x::vfnms;
            case "VFNMA": return x::vfnma;
            case "VFMA": return x::vfma;
            case "VFMS": return x::vfms;
            case "VMOV_imm_f": return x::vmovImmediate;
            case "VMOV_reg_f": return x::vmovRegister;
            case "VABS_f": return x::vabs;
            case "VNEG_f": return x::vneg;
            case "VSQRT": return x::vsqrt;
            case "VCVTBT": return x::vcvtHalf;
            case "VCMP": return x::vcmp;
            case "VCMP_zero": return x::vcmpZero;
            case "VCVT_f_f": return x::vcvtDoubleSingle;
            case "VCVT_f_i": return x::vcvtFromInteger;
            case "VCVT_i_f": return x::vcvtToInteger;
            case "VCVT_fx": return x::vcvtFixed;
            default: return null;
        }
    }

    private static A32Handler extensionRegisterLoadStore(String name, ExtensionRegisterLoadStore x) {
        switch (name) {
            case "VSTM_ia": return x::vstmIncrementAfter;
            case "VLDM_ia": return x::vldmIncrementAfter;
            case "VSTM_db": return x::vstmDecrementBefore;
            case "VLDM_db": return x::vldmDecrementBefore;
            case "VSTR": return x::vstr;
            case "VLDR": return x::vldr;
            default: return null;
        }
    }

    private static A32Handler extensionRegisterTransfer(String name, ExtensionRegisterTransfer x) {
        switch (name) {
            case "VMOV_s_r": return x::vmovSingleFromCore;
            case "VMOV_r_s": return x::vmovCoreFromSingle;
            case "VMSR": return x::vmsr;
            case "VMRS": return x::vmrs;
            case "VMOV_x_r": return x::vmovScalarFromCore;
            case "VMOV_r_x": return x::vmovCoreFromScalar;
            case "VDUP_r": return x::vdupFromCore;
            case "VMOV_ss_rr": return x::vmovSinglesFromCore;
            case "VMOV_rr_ss": return x::vmovCoreFromSingles;
            case "VMOV_d_rr": return x::vmovDoubleFromCore;
            case "VMOV_rr_d": return x::vmovCoreFromDouble;
            default: return null;
        }
    }

    private static A32Handler simdThreeRegisters(String name, SimdThreeRegisters x) {
        switch (name) {
            case "VHADD": return x::vhadd;
            case "VQADD": return x::vqadd;
            case "VRHADD": return x::vrhadd;
            case "VAND": return x::vand;
            case "VBIC_reg": return x::vbic;
            case "VORR_reg": return x::vorr;
            case "VORN": return x::vorn;
            case "VEOR": return x::veor;
            case "VBSL": return x::vbsl;
            case "VBIT": return x::vbit;
            case "VBIF": return x::vbif;
            case "VHSUB": return x::vhsub;
            case "VQSUB": return x::vqsub;
            case "VCGT_reg": return x::vcgt;
            case "VCGE_reg": return x::vcge;
            case "VSHL_reg": return x::vshl;
            case "VQSHL_reg": return x::vqshl;
            case "VRSHL": return x::vrshl;
            case "VQRSHL": return x::vqrshl;
            case "VMAX_i": return x::vmax;
            case "VMIN_i": return x::vmin;
            case "VABD_i": return x::vabd;
            case "VABA": return x::vaba;
            case "VADD_i": return x::vadd;
            case "VSUB_i": return x::vsub;
            case "VTST": return x::vtst;
            case "VCEQ_reg": return x::vceq;
            case "VMLA_i": return x::vmla;
            case "VMLS_i": return x::vmls;
            case "VMUL_i": return x::vmul;
            case "VMUL_p": return x::vmulPolynomial;
            case "VPMAX_i": return x::vpmax;
            case "VPMIN_i": return x::vpmin;
            case "VQDMULH": return x::vqdmulh;
            case "VQRDMULH": return x::vqrdmulh;
            case "VPADD_i": return x::vpadd;
            case "VFMA_s": return x::vfma;
            case "VFMS_s": return x::vfms;
            case "VADD_fs": return x::vaddFloat;
            case "VSUB_fs": return x::vsubFloat;
            case "VPADD_f": return x::vpaddFloat;
            case "VABD_f": return x::vabdFloat;
            case "VMLA_fs": return x::vmlaFloat;
            case "VMLS_fs": return x::vmlsFloat;
            case "VMUL_fs": return x::vmulFloat;
            case "VCEQ_f": return x::vceqFloat;
            case "VCGE_f": return x::vcgeFloat;
            case "VCGT_f": return x::vcgtFloat;
            case "VACGE": return x::vacge;
            case "VACGT": return x::vacgt;
            case "VMAX_f": return x::vmaxFloat;
            case "VMIN_f": return x::vminFloat;
            case "VPMAX_f": return x::vpmaxFloat;
            case "VPMIN_f": return x::vpminFloat;
            case "VRECPS": return x::vrecps;
            case "VRSQRTS": return x::vrsqrts;
            default: return null;
        }
    }

    /** Shift encodings come one per element size (VSHR_8 ... VSHR_64); {@code name} is without the size. */
    private static A32Handler simdShift(String name, SimdShiftImmediate x) {
        switch (name) {
            case "VSHR": return x::vshr;
            case "VSRA": return x::vsra;
            case "VRSHR": return x::vrshr;
            case "VRSRA": return x::vrsra;
            case "VSRI": return x::vsri;
            case "VSHL_imm": return x::vshl;
            case "VSLI": return x::vsli;
            case "VQSHLU": return x::vqshlu;
            case "VQSHL_imm": return x::vqshl;
            case "VSHRN": return x::vshrn;
            case "VRSHRN": return x::vrshrn;
            case "VQSHRUN": return x::vqshrun;
            case "VQRSHRUN": return x::vqrshrun;
            case "VQSHRN": return x::vqshrn;
            case "VQRSHRN": return x::vqrshrn;
            case "VSHLL": return x::vshll;
            case "VCVT_fx_s": return x::vcvtFixed;
            default: return null;
        }
    }

    private static A32Handler simdMisc(String name, SimdMisc x) {
        switch (name) {
            case "VREV64": return x::vrev64;
            case "VREV32": return x::vrev32;
            case "VREV16": return x::vrev16;
            case "VPADDL": return x::vpaddl;
            case "VCLS": return x::vcls;
            case "VCLZ": return x::vclz;
            case "VCNT": return x::vcnt;
            case "VMVN_reg": return x::vmvn;
            case "VPADAL": return x::vpadal;
            case "VQABS": return x::vqabs;
            case "VQNEG": return x::vqneg;
            case "VCGT_z": return x::vcgtZero;
            case "VCGE_z": return x::vcgeZero;
            case "VCEQ_z": return x::vceqZero;
            case "VCLE_z": return x::vcleZero;
            case "VCLT_z": return x::vcltZero;
            case "VABS_s": return x::vabs;
            case "VNEG_s": return x::vneg;
            case "VSWP": return x::vswp;
            case "VTRN": return x::vtrn;
            case "VUZP": return x::vuzp;
            case "VZIP": return x::vzip;
            case "VMOVN": return x::vmovn;
            case "VQMOVUN": return x::vqmovun;
            case "VQMOVN": return x::vqmovn;
            case "VSHLL_max": return x::vshllMaximum;
            case "VCVT_hs": return x::vcvtHalf;
            case "VRECPE": return x::vrecpe;
            case "VRSQRTE": return x::vrsqrte;
            case "VCVT_fi": return x::vcvtInteger;
            case "VEXT": return x::vext;
            case "VTBL": return x::vtbl;
            case "VTBX": return x::vtbx;
            case "VDUP_s": return x::vdupScalar;
            default: return null;
        }
    }

    /** Long, wide, narrow and by-scalar encodings come as size 0x and size 10 (_S2) lines; {@code name} is without the suffix. */
    private static A32Handler simdLong(String name, SimdLong x) {
        switch (name) {
            case "VADDL": return x::vaddl;
            case "VADDW": return x::vaddw;
            case "VSUBL": return x::vsubl;
            case "VSUBW": return x::vsubw;
            case "VADDHN": return x::vaddhn;
            case "VRADDHN": return x::vraddhn;
            case "VABAL": return x::vabal;
            case "VSUBHN": return x::vsubhn;
            case "VRSUBHN": return x::vrsubhn;
            case "VABDL": return x::vabdl;
            case "VMLAL": return x::vmlal;
            case "VQDMLAL": return x::vqdmlal;
            case "VMLSL": return x::vmlsl;
            case "VQDMLSL": return x::vqdmlsl;
            case "VMULL": return x::vmull;
            case "VQDMULL": return x::vqdmull;
            case "VMULL_p": return x::vmullPolynomial;
            case "VMLA_sc": return x::vmlaScalar;
            case "VMLA_scf": return x::vmlaScalarFloat;
            case "VMLAL_sc": return x::vmlalScalar;
            case "VQDMLAL_sc": return x::vqdmlalScalar;
            case "VMLS_sc": return x::vmlsScalar;
            case "VMLS_scf": return x::vmlsScalarFloat;
            case "VMLSL_sc": return x::vmlslScalar;
            case "VQDMLSL_sc": return x::vqdmlslScalar;
            case "VMUL_sc": return x::vmulScalar;
            case "VMUL_scf": return x::vmulScalarFloat;
            case "VMULL_sc": return x::vmullScalar;
            case "VQDMULL_sc": return x::vqdmullScalar;
            case "VQDMULH_sc": return x::vqdmulhScalar;
            case "VQRDMULH_sc": return x::vqrdmulhScalar;
            default: return null;
        }
    }

    private static A32Handler simdLoadStore(String name, SimdElementLoadStore x) {
        switch (name) {
            case "VST_multi": return x::vstMultiple;
            case "VLD_multi": return x::vldMultiple;
            case "VST_lane": return x::vstLane;
            case "VLD_lane": return x::vldLane;
            case "VLD_all": return x::vldAllLanes;
            default: return null;
        }
    }

    /**
     * Executes up to {@code maxSteps} steps (an instruction, or an exception entry at a boundary) and
     * returns how many instructions retired. Returns early when the core halts or starts waiting (WFI /
     * WFE). IRQ and FIQ are sampled only here, between instructions.
     */
    public int run(int maxSteps) {
        ArmCore c = core;
        long retiredBefore = c.retired;
        c.updateWaiting();
        c.yieldRequested = false;
        int steps = 0;
        while (steps < maxSteps && !c.halted && !c.waiting && !c.yieldRequested) {
            if (c.irqLine | c.fiqLine) {
                if (c.takePendingInterrupt()) {
                    steps++;
                    continue;
                }
            }
            PcHooks hooks = pcHooks;
            int budget = maxSteps - steps;
            if (hooks != null) {
                if (everyInstruction || hooks.contains(c.pc)) {
                    c.observer.onPcHook(c.pc);
                    if (c.halted) {
                        break;
                    }
                }
                if (everyInstruction) {
                    budget = 1; // one instruction: a block of several would run past the next hook
                }
            }
            if ((c.psr & Psr.T) != 0) {
                steps += thumb.step(budget, compileBlocks ? hot : 0, pcHooks);
            } else {
                steps += step(c, budget);
            }
        }
        return (int) (c.retired - retiredBefore);
    }

    /** Executes the instruction at the PC, or the translated block starting there; returns the steps taken. */
    private int step(ArmCore c, int budget) {
        int pc = c.pc;
        CodeCache.Page p = page;
        if (p == null || !p.valid || p.base != (pc & 0xFFFF_F000)) {
            p = cache == null ? null : cache.page(pc);
            page = p;
            if (p == null) {
                stepUncached(c, pc);
                return 1;
            }
        }
        int i = (pc >>> 2) & 1023;
        CompiledBlock b = p.blocks[i];
        if (b != null) {
            if (b.length <= budget) {
                steppedOnTo = 1;
                if (A32Translator.STATS != null) {
                    int done = b.run(c, budget);
                    A32Translator.countRun(pc, c.pc, done);
                    return done;
                }
                return b.run(c, budget);
            }
        } else if (compileBlocks && (pc != steppedOnTo || (p.held[(i - 1) >> 6] & (1L << (i - 1))) == 0) && ++p.heat[i] >= hot) {
            b = BlockCompiler.compile(cache, p, i, pcHooks);
            p.blocks[i] = b == null ? NO_BLOCK : b;
            if (b != null) {
                blocksCompiled++;
                coolCoveredInstructions(p.heat, i, b);
                markHeld(p, i, b);
                if (b.length <= budget) {
                    return b.run(c, budget); // the new translation runs now, not from the next visit on
                }
            }
        }
        A32Handler h = p.handlers[i];
        if (h == null) {
            h = cache.decode(p, i);
        }
        int w = p.words[i];
        c.exceptionTaken = false;
        c.word = w;
        c.r[15] = pc + 8;
        c.nextPc = pc + 4;
        int cond = w >>> 28;
        if (cond >= 0xE || c.conditionPassed(cond)) {
            h.execute(w);
        }
        c.commitPc();
        if (!c.exceptionTaken) {
            c.retired++;
        }
        steppedOnTo = (pc & 0xFFF) != 0xFFC ? pc + 4 : 1; // (1: no instruction's address)
        return 1;
    }

    /**
     * A block was just translated at instruction {@code first} of a page and covers the {@code length - 1}
     * instructions after it: their interpreter steps count from zero again. In a loop stepped by the
     * interpreter every instruction of the body is about as hot as the first; without this each of them
     * would reach the threshold within the same iteration and be translated as the start of a block of its
     * own that then almost never runs, because the loop now runs as the first block (a Linux boot to
     * /init translated 2,300 such blocks, each a hidden class to define, run fewer than ten times).
     * An instruction in the middle of a block that is also entered by a branch still gets a block of its
     * own once it is stepped {@code hot} times more.
     */
    static void coolCoveredInstructions(short[] heat, int first, CompiledBlock b) {
        if (b.covers == null) {
            coolCoveredInstructions(heat, first, b.length);
            return;
        }
        for (int k = 0; k < heat.length; k++) {
            if (k != first && b.holds(first, k)) {
                heat[k] = 0;
            }
        }
    }

    /** {@link #coolCoveredInstructions(short[], int, CompiledBlock)} for a block of {@code length} from {@code first} on. */
    public static void coolCoveredInstructions(short[] heat, int first, int length) {
        int end = Math.min(heat.length, first + length);
        for (int k = first + 1; k < end; k++) {
            heat[k] = 0;
        }
    }

    /** Fetch through the bus and decode every time: MMIO, unmapped memory, or a bus without a cache. */
    private void stepUncached(ArmCore c, int pc) {
        c.exceptionTaken = false;
        long fetched = c.fetch(pc);
        if (fetched == ArmCore.ABORTED) {
            c.commitPc();
            return;
        }
        int w = (int) fetched;
        c.word = w;
        c.r[15] = pc + 8;
        c.nextPc = pc + 4;
        int cond = w >>> 28;
        if (cond >= 0xE || c.conditionPassed(cond)) {
            int e = A32Decoder.decode(w);
            if (e == A32Decoder.UNDEFINED) {
                c.policy.undefined();
            } else {
                handlers.get(e).execute(w);
            }
        }
        c.commitPc();
        if (!c.exceptionTaken) {
            c.retired++;
        }
    }
}
