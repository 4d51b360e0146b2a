package brassboard.arm.t32;

import brassboard.arm.a32.A32Decoder;
import brassboard.arm.a32.A32Handler;
import brassboard.arm.a32.A32Interpreter;
import brassboard.arm.a32.BlockCompiler;
import brassboard.arm.a32.CompiledBlock;
import brassboard.arm.a32.CodeCache;
import brassboard.arm.a32.HandlerTable;
import brassboard.arm.core.ArmCore;
import brassboard.arm.core.Psr;
import brassboard.arm.core.UnpredictablePolicy;

/**
 * Fetches, decodes and executes T32 instructions on one {@link ArmCore}, one step at a time; the A32
 * interpreter's run loop hands it every step taken with CPSR.T set.
 *
 * <p>Each encoding of the T32 {@code encodings.txt} is bound once, by name, to a {@link Binding}: a
 * T32 handler, or a rewrite into the A32 word that does the same, executed by this core's A32
 * handler. Decoded instructions are cached per halfword in the A32 interpreter's {@link CodeCache}
 * pages, so they share its invalidation (self-modifying code, DMA, image loads) and its virtual-to-
 * physical lookups. A 32-bit instruction whose second halfword lies on the next page is never cached:
 * it is fetched through the core every time, and a fault on its second halfword is a Prefetch Abort
 * of the instruction with IFAR = that halfword's address.
 *
 * <p>ITSTATE (A2.5.2): inside an IT block an instruction executes only if the block's current
 * condition passes, and the state advances after it, unless it took an exception or returned from
 * one (those write ITSTATE themselves). 16-bit instructions whose flag setting depends on being
 * outside an IT block run with S cleared inside one.
 */
public final class T32Interpreter {
    // An instruction's kind: bits 1:0 its form, the bits above what a translated block needs to know.
    /** A 16-bit instruction. */
    private static final byte NARROW = 0;
    /** A 32-bit instruction. */
    private static final byte WIDE = 1;
    /** A 16-bit instruction rewritten to an A32 word whose S bit (20) is cleared inside an IT block. */
    private static final byte NARROW_FLAGS_OUTSIDE_IT = 2;
    private static final int FORM = 3;
    /** May sit inside a translated block (data processing, multiply, media, loads and stores, exclusives). */
    private static final int STRAIGHT = 1 << 2;
    /** A branch: may end a translated block. */
    private static final int BRANCH = 1 << 3;
    /** Accesses memory. */
    private static final int MEMORY = 1 << 4;
    /** Can neither branch nor raise an exception (data processing naming no r15). */
    private static final int QUIET = 1 << 5;
    private static final int S = 1 << 20;
    /** Marks a halfword where no translated block can start. */
    private static final CompiledBlock NO_BLOCK = new CompiledBlock(Integer.MAX_VALUE) {
        @Override
        public int run(ArmCore c, int budget) {
            throw new IllegalStateException("NO_BLOCK is a marker");
        }
    };
    private long blocksCompiled;

    private final ArmCore core;
    private final HandlerTable<A32Handler> a32;
    /** The A32 handlers wrapped to see r15 as Align(PC, 4) (coprocessor and Advanced SIMD space). */
    private final HandlerTable<A32Handler> a32AlignedPc;
    /** This core's bindings by T32 encoding, made on first use (see {@link HandlerTable}). */
    private final HandlerTable<Binding> bindings;
    private final A32Handler undefined;
    private final CodeCache cache;
    private CodeCache.Page page;

    // the result of resolve(): no allocation per decode
    private A32Handler resolvedHandler;
    private int resolvedWord;
    private byte resolvedKind;

    /**
     * @param a32Handlers this core's A32 handlers, indexed by {@link A32Decoder} encoding
     * @param cache       the A32 interpreter's code cache, or {@code null} (every fetch goes through the core)
     */
    public T32Interpreter(ArmCore core, HandlerTable<A32Handler> a32Handlers, CodeCache cache) {
        this.core = core;
        this.a32 = a32Handlers;
        this.cache = cache;
        this.undefined = w -> core.policy.undefined();
        this.a32AlignedPc = new HandlerTable<>(a32Handlers.size(), i -> {
            A32Handler h = a32Handlers.get(i);
            return w -> {
                core.r[15] &= ~3;
                h.execute(w);
            };
        });
        DataProcessing dp = new DataProcessing(core);
        Branch br = new Branch(core);
        LoadStore ls = new LoadStore(core);
        HintsBarriers hint = new HintsBarriers(core);
        ExceptionGenerating exc = new ExceptionGenerating(core);
        Synchronization sync = new Synchronization(core);
        bindings = new HandlerTable<>(T32Decoder.count(), i -> {
            T32Encoding e = T32Decoder.encoding(i);
            Binding b;
            switch (e.group()) {
                case "dataproc": b = dp.bind(e.name()); break;
                case "branch": b = br.bind(e.name()); break;
                case "loadstore": b = ls.bind(e.name()); break;
                case "hint": b = hint.bind(e.name()); break;
                case "exception": b = exc.bind(e.name()); break;
                case "sync": b = sync.bind(e.name()); break;
                default: b = SHARED_BINDINGS.get(i); break;
            }
            if (b == null) {
                throw noHandler(e);
            }
            return b;
        });
    }

    /**
     * The bindings that are the same for every core, made once per JVM on first use: those of the
     * groups whose binders are static (rewrites into A32 words, no handler object of a core).
     */
    private static final HandlerTable<Binding> SHARED_BINDINGS = new HandlerTable<>(T32Decoder.count(), i -> {
        T32Encoding e = T32Decoder.encoding(i);
        Binding b;
        switch (e.group()) {
            case "ldm": b = LoadStoreMultiple.bind(e.name()); break;
            case "multiply": b = Multiply.bind(e.name()); break;
            case "media": b = Media.bind(e.name()); break;
            case "status": b = StatusRegister.bind(e.name()); break;
            case "coproc": b = Coprocessor.bind(e.name()); break;
            default: b = null; break;
        }
        if (b == null) {
            throw noHandler(e);
        }
        return b;
    });

    private static IllegalStateException noHandler(T32Encoding e) {
        return new IllegalStateException("T32 encodings.txt line " + e.line() + ": " + e.name() + " (group "
                + e.group() + ") has no handler");
    }

    /**
     * Binds every T32 encoding now, and the aligned-PC form of every A32 handler; returns how many T32
     * encodings there are (see {@link brassboard.arm.a32.HandlerTable}: a test's completeness check).
     */
    public int bindAll() {
        for (int e = 0; e < bindings.size(); e++) {
            bindings.get(e);
        }
        for (int e = 0; e < a32AlignedPc.size(); e++) {
            a32AlignedPc.get(e);
        }
        return bindings.size();
    }

    /** Forgets the page looked up last (the code cache's virtual lookups were flushed). */
    public void forgetPage() {
        page = null;
    }

    /** T32 blocks translated so far. */
    public long blocksCompiled() {
        return blocksCompiled;
    }

    /** Drops the translated T32 blocks of {@code p} that run over {@code address} without stopping, or loop on it. */
    public static void dropBlocksAround(CodeCache.Page p, int address) {
        if (p.thumbBlocks == null) {
            return;
        }
        int at = (address >>> 1) & 2047;
        for (int i = Math.max(0, at - 2 * BlockCompiler.MAX_LENGTH); i <= at; i++) {
            CompiledBlock b = p.thumbBlocks[i];
            if (b != null && b != NO_BLOCK && (i < at ? 2 * i + b.span > 2 * at : b.loops)) {
                p.thumbBlocks[i] = null;
                p.thumbHeat[i] = 0;
            }
        }
    }

    /**
     * The A32 word T32 instruction {@code insn} (a halfword, or hw1:hw2 for a 32-bit one) executes as
     * outside an IT block (before its condition, which the interpreter checks), or -1 when a T32 handler executes it or it is UNDEFINED (the disassembler
     * prints the rewritten ones with A32's syntax).
     */
    public static int a32Equivalent(int insn) {
        return a32Equivalent(insn, false);
    }

    /** As {@link #a32Equivalent(int)}, inside an IT block when {@code inItBlock} (16-bit forms lose their S). */
    public static int a32Equivalent(int insn, boolean inItBlock) {
        boolean wide = T32Decoder.isWide(insn >>> 16);
        int e = wide ? T32Decoder.decodeWide(insn) : T32Decoder.decodeNarrow(insn);
        if (e == T32Decoder.UNDEFINED) {
            return -1;
        }
        Binding b = Detached.BINDINGS.get(e);
        if (b.kind() == Binding.Kind.NATIVE) {
            return -1;
        }
        int word = b.toA32().applyAsInt(insn);
        return inItBlock && b.kind() == Binding.Kind.A32_FLAGS_OUTSIDE_IT ? word & ~S : word;
    }

    /** ThumbExpandImm(imm12) (A6.3.2) as (value, carry) packed the way {@code Alu} does; the carry in is 0. */
    public static long thumbExpandImm(int imm12) {
        return DataProcessing.thumbExpandImmC(imm12, 0);
    }

    /** The bindings of an interpreter on a core without memory, for {@link #a32Equivalent} (rewrites only). */
    private static final class Detached {
        static final HandlerTable<Binding> BINDINGS = new T32Interpreter(new ArmCore(0, new brassboard.bus.api.MemoryBus() {
            @Override
            public long read(long address, int size, int master) {
                return BUS_ERROR;
            }

            @Override
            public boolean write(long address, int size, long value, int master) {
                return false;
            }
        }, brassboard.arm.api.CpuCallbacks.NONE, null), new HandlerTable<>(0, i -> null), null).bindings;
    }

    /** Decodes {@code insn} into {@link #resolvedHandler}, {@link #resolvedWord}, {@link #resolvedKind}. */
    private void resolve(int insn, boolean wide) {
        int e = wide ? T32Decoder.decodeWide(insn) : T32Decoder.decodeNarrow(insn);
        resolvedKind = wide ? WIDE : NARROW;
        if (e == T32Decoder.UNDEFINED) {
            resolvedHandler = undefined;
            resolvedWord = insn;
            return;
        }
        Binding b = bindings.get(e);
        if (b.kind() == Binding.Kind.NATIVE) {
            resolvedHandler = b.handler();
            resolvedWord = insn;
            resolvedKind |= blockKind(T32Decoder.encoding(e).group(), false, insn);
            return;
        }
        int word = b.toA32().applyAsInt(insn);
        int a = A32Decoder.decode(word);
        resolvedWord = word;
        if (a != A32Decoder.UNDEFINED && b.kind() != Binding.Kind.A32_ALIGNED_PC) {
            resolvedKind |= blockKind(A32Decoder.encodings()[a].group(), true, word);
        }
        if (a == A32Decoder.UNDEFINED) {
            resolvedHandler = undefined;
        } else {
            resolvedHandler = b.kind() == Binding.Kind.A32_ALIGNED_PC ? a32AlignedPc.get(a) : a32.get(a);
            if (b.when() != null && b.when().test(insn)) {
                // an UNPREDICTABLE T32 form of an instruction A32 allows: the policy decides, at every execution
                A32Handler h = resolvedHandler;
                UnpredictablePolicy.Case c = b.unpredictable();
                resolvedHandler = w -> {
                    if (!core.policy.unpredictable(c)) {
                        h.execute(w);
                    }
                };
            }
        }
        if (b.kind() == Binding.Kind.A32_FLAGS_OUTSIDE_IT) {
            resolvedKind = (byte) ((resolvedKind & ~FORM) | NARROW_FLAGS_OUTSIDE_IT);
        }
    }

    /**
     * What a translated block needs to know of an instruction of handler group {@code group} (T32's for a
     * T32 handler, A32's for a rewritten one): whether it may sit in a block, end one, touch memory, or
     * be quiet (an A32 data-processing word naming no r15, as the A32 translator has it).
     */
    private static int blockKind(String group, boolean rewritten, int word) {
        switch (group) {
            case "dataproc":
                return STRAIGHT | (rewritten && !namesR15(word) ? QUIET : 0);
            case "multiply":
            case "media":
                return STRAIGHT;
            case "loadstore":
            case "sync":
            case "ldm":
                return STRAIGHT | MEMORY;
            case "branch":
                return BRANCH | MEMORY; // TBB / TBH read memory
            default:
                return 0;
        }
    }

    private static boolean namesR15(int w) {
        return ((w >>> 16) & 15) == 15 || ((w >>> 12) & 15) == 15 || ((w >>> 8) & 15) == 15 || (w & 15) == 15;
    }

    /** Executes the instruction at the PC (core in Thumb state), interpreted only; returns the steps taken. */
    public int step() {
        return step(1, 0, null);
    }

    /**
     * Executes the instruction at the PC (core in Thumb state), or the translated block starting there
     * when ITSTATE is clear and the block fits in {@code budget}; returns the steps taken. {@code hot}:
     * interpreted steps of an instruction after which the block starting there is translated (0: never).
     */
    public int step(int budget, int hot, brassboard.arm.a32.PcHooks hooks) {
        ArmCore c = core;
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
        int i = (pc >>> 1) & 2047;
        A32Handler[] handlers = p.thumbHandlers;
        if (handlers == null) {
            handlers = p.allocateThumb();
        }
        if (hot > 0 && (c.psr & Psr.IT) == 0) {
            CompiledBlock b = p.thumbBlocks[i];
            if (b != null) {
                if (b.length <= budget) {
                    return b.run(c, budget);
                }
            } else if (++p.thumbHeat[i] >= hot) {
                b = compile(p, i, hooks);
                p.thumbBlocks[i] = b == null ? NO_BLOCK : b;
                if (b != null) {
                    blocksCompiled++;
                    // the halfwords the block covers count from zero again (see A32Interpreter.coolCoveredInstructions)
                    A32Interpreter.coolCoveredInstructions(p.thumbHeat, i, b.span / 2);
                    if (b.length <= budget) {
                        return b.run(c, budget); // the new translation runs now, not from the next visit on
                    }
                }
            }
        }
        A32Handler h = handlers[i];
        if (h == null) {
            h = decode(p, i);
            if (h == null) {
                stepUncached(c, pc); // the second halfword is on the next page
                return 1;
            }
        }
        execute(c, pc, h, p.thumbWords[i], p.thumbKinds[i]);
        return 1;
    }

    /** Decodes the instruction at halfword {@code i} of {@code p} into its arrays; {@code null} when it straddles the page end. */
    private A32Handler decode(CodeCache.Page p, int i) {
        int hw1 = p.halfword(i << 1);
        boolean wide = T32Decoder.isWide(hw1);
        if (wide && i == 2047) {
            return null;
        }
        resolve(wide ? hw1 << 16 | p.halfword((i << 1) + 2) : hw1, wide);
        p.thumbWords[i] = resolvedWord;
        p.thumbKinds[i] = resolvedKind;
        p.thumbHandlers[i] = resolvedHandler;
        return resolvedHandler;
    }

    /**
     * Translates the straight run of T32 code starting at halfword {@code first} of {@code p}: up to
     * {@link BlockCompiler#MAX_LENGTH} instructions that may sit in a block, ending after a branch and
     * before anything else (IT, hints, status register access, exception generation, coprocessor space,
     * an instruction across the page end, a PC hook); {@code null} when none can start there.
     */
    private CompiledBlock compile(CodeCache.Page p, int first, brassboard.arm.a32.PcHooks hooks) {
        int max = BlockCompiler.MAX_LENGTH;
        int[] pcs = new int[max];
        int[] sizes = new int[max];
        int[] words = new int[max];
        A32Handler[] handlers = new A32Handler[max];
        boolean[] memory = new boolean[max];
        boolean[] quiet = new boolean[max];
        int n = 0;
        int i = first;
        while (i < 2048 && n < max) {
            int address = p.base + 2 * i;
            if (n > 0 && hooks != null && hooks.contains(address)) {
                break;
            }
            A32Handler h = p.thumbHandlers[i];
            if (h == null && (h = decode(p, i)) == null) {
                break;
            }
            int kind = p.thumbKinds[i];
            boolean branch = (kind & BRANCH) != 0;
            if ((kind & STRAIGHT) == 0 && !branch) {
                break;
            }
            pcs[n] = address;
            sizes[n] = (kind & FORM) == WIDE ? 4 : 2;
            words[n] = p.thumbWords[i];
            handlers[n] = h;
            memory[n] = (kind & MEMORY) != 0;
            quiet[n] = (kind & QUIET) != 0;
            n++;
            if (branch) {
                break;
            }
            i += sizes[n - 1] / 2;
        }
        if (n == 0) {
            return null;
        }
        boolean selfLoop = Branch.staticTarget(words[n - 1], pcs[n - 1]) == pcs[0] && (hooks == null || !hooks.contains(pcs[0]));
        return BlockCompiler.compileThumb(p, pcs, sizes, words, handlers, memory, quiet, selfLoop, n);
    }

    private void execute(ArmCore c, int pc, A32Handler h, int w, byte kind) {
        c.exceptionTaken = false;
        c.word = w;
        c.r[15] = pc + 4;
        c.nextPc = pc + ((kind & FORM) == WIDE ? 4 : 2);
        if ((c.psr & Psr.IT) == 0) {
            h.execute(w);
        } else {
            if ((kind & FORM) == NARROW_FLAGS_OUTSIDE_IT) {
                w &= ~S;
            }
            c.itStateWritten = false;
            if (c.conditionPassed(c.itState() >>> 4)) {
                h.execute(w);
            }
            if (!c.exceptionTaken && !c.itStateWritten) {
                c.itAdvance();
            }
        }
        c.commitPc();
        if (!c.exceptionTaken) {
            c.retired++;
        }
    }

    /** Fetches through the core and decodes every time: MMIO, unmapped memory, page-straddling instructions. */
    private void stepUncached(ArmCore c, int pc) {
        c.exceptionTaken = false;
        long hw1 = c.fetch(pc, 2);
        if (hw1 == ArmCore.ABORTED) {
            c.commitPc();
            return;
        }
        int insn = (int) hw1;
        boolean wide = T32Decoder.isWide(insn);
        if (wide) {
            long hw2 = c.fetch(pc + 2, 2);
            if (hw2 == ArmCore.ABORTED) {
                c.commitPc();
                return;
            }
            insn = insn << 16 | (int) hw2;
        }
        resolve(insn, wide);
        execute(c, pc, resolvedHandler, resolvedWord, resolvedKind);
    }
}
