package brassboard.arm.a32;

import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.I2B;
import static org.objectweb.asm.Opcodes.I2L;
import static org.objectweb.asm.Opcodes.I2S;
import static org.objectweb.asm.Opcodes.IADD;
import static org.objectweb.asm.Opcodes.IF_ICMPNE;
import static org.objectweb.asm.Opcodes.IALOAD;
import static org.objectweb.asm.Opcodes.IAND;
import static org.objectweb.asm.Opcodes.IASTORE;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFLT;
import static org.objectweb.asm.Opcodes.IFNE;
import static org.objectweb.asm.Opcodes.IF_ICMPGT;
import static org.objectweb.asm.Opcodes.IF_ICMPGE;
import static org.objectweb.asm.Opcodes.IF_ICMPLE;
import static org.objectweb.asm.Opcodes.IF_ICMPLT;
import static org.objectweb.asm.Opcodes.IF_ICMPEQ;
import static org.objectweb.asm.Opcodes.IFGE;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.IMUL;
import static org.objectweb.asm.Opcodes.INVOKEINTERFACE;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.IOR;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.ISHL;
import static org.objectweb.asm.Opcodes.ISHR;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.ISUB;
import static org.objectweb.asm.Opcodes.IUSHR;
import static org.objectweb.asm.Opcodes.IXOR;
import static org.objectweb.asm.Opcodes.L2I;
import static org.objectweb.asm.Opcodes.LADD;
import static org.objectweb.asm.Opcodes.LAND;
import static org.objectweb.asm.Opcodes.LCMP;
import static org.objectweb.asm.Opcodes.LLOAD;
import static org.objectweb.asm.Opcodes.LMUL;
import static org.objectweb.asm.Opcodes.LSTORE;
import static org.objectweb.asm.Opcodes.LUSHR;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.PUTFIELD;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.Psr;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Translates hot A32 code into JVM bytecode that does the guest's work itself, with the guest's
 * registers and NZCV flags in JVM locals for the translation's whole run — the second-generation
 * translator of issue 12 (docs/speed.md, "Round 3").
 *
 * <p><b>What a translation covers.</b> A run of up to {@link BlockCompiler#MAX_LENGTH} instructions
 * of one page (up to {@link #LOOP_LENGTH} when that takes in the back edge of a loop it is in), through
 * no-op hints and barriers and MRS/MRC reads: it goes on past a conditional {@code B} (taken, it leaves the translation, or jumps
 * inside it), and past an unconditional forward {@code B} when a branch before it targets a later
 * instruction (an if/else). A {@code B} to an instruction of the translation is a jump: backwards, a JVM
 * loop that checks the budget and the IRQ/FIQ lines at its back edge, so C2 compiles the guest's loop
 * as a loop.
 *
 * <p><b>Direct instructions.</b> Data processing (immediate, immediate shift, register-shifted
 * register), MOVW/MOVT, MUL/MLA/MLS and the long multiplies, word/byte/halfword loads and stores (not the
 * unprivileged, exclusive or doubleword forms), {@code B}, {@code BL}, {@code BX} and {@code BLX}
 * (register) are emitted as JVM arithmetic on the locals. A load or store probes the data TLB inline
 * ({@link ArmCore#tryRead}/{@link ArmCore#tryWrite}); on a miss (a TLB refill, a device, a fault plan, a
 * misaligned or big-endian access, a page holding code) it writes the locals back and runs the
 * instruction's handler, out of line, exactly as the interpreter would. Every other instruction runs its
 * handler (a constant of the class, inlined by C2, as {@link BlockCompiler} does) with the locals written
 * back before and read again after.
 *
 * <p><b>What stays exact.</b> The core's registers, flags, PC and retired count are written back at
 * every exit, before every handler and before every slow memory access (an abort's exception entry
 * banks registers, a device may read the time, a debugger the registers), so exceptions stay precise
 * and the instruction count exact; a store into the page ends the run (self-modifying code).
 */
final class A32Translator {
    private static final String CORE = Type.getInternalName(ArmCore.class);
    private static final String BASE = Type.getInternalName(CompiledBlock.class);
    private static final String HANDLER = Type.getInternalName(A32Handler.class);
    private static final String PAGE = Type.getInternalName(CodeCache.Page.class);
    private static final String SELF = Type.getInternalName(A32Translator.class);
    private static final String ALU = Type.getInternalName(Alu.class);
    private static final String PREFIX = "brassboard/arm/a32/A32At_";
    /** The class's name: {@code A32At_} and the guest address, so profiles (perf, JFR, HotSpot's logs) name the code. */
    private String name;

    // locals of run(ArmCore c, int budget)
    private static final int CORE_LOCAL = 1;
    private static final int BUDGET = 2;
    /** Instructions executed so far minus the index of the next one (see {@link #jump}). */
    private static final int STEPS = 3;
    /** r0..r14 in locals 4..18. */
    private static final int R0 = 4;
    private static final int FLAGS = 19;
    private static final int ADDRESS = 20;
    private static final int OFFSET_ADDRESS = 21;
    private static final int OPERAND = 22;
    private static final int CARRY = 23;
    private static final int VALUE = 24; // long: 24-25
    private static final int NEXT_PC = 28;
    private static final int RESULT = 29;
    private static final int RETIRE = 30;
    private static final int REGS = 31;
    private static final int ARRAY = 48;
    /** An inline data-TLB probe's address and entry index. */
    private static final int PROBE_ADDRESS = 49;
    private static final int PROBE_INDEX = 50;
    /** The operands (or result and carry) of the last flag-setting instruction while its NZCV is lazy: see {@link #lazy}. */
    private static final int FA = 51;
    private static final int FB = 52;
    /** Where control flow merges: which LAZY_ kind FA, FB and the flags local hold, at run time ({@link #LAZY_DYNAMIC}). */
    private static final int FK = 53;
    /** What a load's inline probe read (the second word of LDRD in LOADED2). */
    private static final int LOADED = 55;
    private static final int LOADED2 = 56;
    /** The highest local (see {@link Frames}). */
    private static final int LAST_LOCAL = 56;
    /** LDM's loaded words before they are written to registers: 32..47. */
    private static final int TEMP0 = 32;

    private static final int S_BIT = 1 << 20;

    /** How an instruction is translated. */
    private enum Kind { NOP, DP_IMM, DP_REG, DP_RSR, MOVW, MOVT, MUL, MULL, HALF_MUL, EXTEND, BITFIELD, CLZ, REV, LOAD_STORE, DUAL, MULTIPLE, B, BL, BX, BLX, HANDLER }

    /** One instruction of the translation. */
    private static final class Insn {
        final int w;
        final int pc;
        final A32Handler handler;
        final String group;
        final String name;
        Kind kind = Kind.HANDLER;
        /** Registers a direct instruction reads and writes (r0..r14). */
        int reads;
        int writes;
        boolean readsFlags;
        boolean writesFlags;
        /** B/BL: index of the target inside the translation, or -1 (outside). */
        int target = -1;
        /** Index of the instruction at pc + 4 inside the translation, or -1 (outside). */
        int next = -1;
        int targetPc;
        /**
         * A MULTIPLE instruction's LDM/STM encoding: its own word, or for {@code LDR PC, [Rn], #4} (POP {PC})
         * the LDMIA Rn!, {PC} that does the same.
         */
        int multiple;

        Insn(int w, int pc, A32Handler handler, String group, String name) {
            this.w = w;
            this.pc = pc;
            this.handler = handler;
            this.group = group;
            this.name = name;
        }

        /** A MULTIPLE instruction that loads the PC: a return. */
        boolean returns() {
            return kind == Kind.MULTIPLE && (multiple & (1 << 20 | 0x8000)) == (1 << 20 | 0x8000);
        }

        /** Whether the instruction has a condition that matters (a no-op's does not). */
        boolean conditional() {
            return kind != Kind.NOP && (w >>> 28) < 0xE;
        }
    }

    private A32Translator() {
    }

    /** Class-data index of the core's first data-TLB array ({@link ArmCore#dataTlbArrays}), and the TLB's index mask. */
    private int tlbConstants;
    private int tlbMask;

    private static final String[] TLB_DESCRIPTORS = {"[I", "[[B", "[I", "[[B"};

    /** The same, then {@link RawPageAccess#UNSAFE} (class-data constant {@code tlbConstants + 4}). */
    private static final String[] RAW_DESCRIPTORS = {"[I", "[[B", "[I", "[[B", "L" + RawPageAccess.CLASS + ";"};

    /**
     * Whether new translations access RAM pages without bounds checks ({@link RawPageAccess}); tests
     * switch it off to cover the checked accesses in the same JVM.
     */
    static volatile boolean rawPages = RawPageAccess.available();

    /** This translation's RAM page accesses are unchecked ones. */
    private boolean raw;

    /** Pushes data-TLB array {@code which} of {@link ArmCore#dataTlbArrays} (a constant of the class). */
    private void tlbArray(int which) {
        mv.visitLdcInsn(BlockCompiler.classDataConstant(tlbConstants + which, TLB_DESCRIPTORS[which]));
    }

    /** PROBE_INDEX = the data-TLB index of the address in int local {@code address} ({@code ArmCore.tlbIndex}). */
    private void tlbIndexOf(int address) {
        mv.visitVarInsn(ILOAD, address);
        ldc(12);
        mv.visitInsn(IUSHR);
        ldc(tlbMask);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, PROBE_INDEX);
    }

    /**
     * Pushes entry PROBE_INDEX's RAM array of TLB {@code set} (0 reads, 2 writes), then the address's
     * index in it: its low 12 bits (the array is one RAM chunk, one page).
     */
    private void tlbArrayAndIndex(int set, int address) {
        tlbArray(set + 1);
        mv.visitVarInsn(ILOAD, PROBE_INDEX);
        mv.visitInsn(AALOAD);
        mv.visitVarInsn(ILOAD, address);
        ldc(0xFFF);
        mv.visitInsn(IAND);
    }

    /**
     * A raw translation's chunk: entry PROBE_INDEX's RAM array of TLB {@code set} into local ARRAY, and to
     * {@code miss} if there is none. A hit's entry always has one; the test tells C2 the reference is not
     * null, without which it must treat an Unsafe access as one that may be off the heap and order every
     * memory access around it (fences that kept the crc32 loop's field loads from being combined).
     */
    private void rawChunk(int set, Label miss) {
        tlbArray(set + 1);
        mv.visitVarInsn(ILOAD, PROBE_INDEX);
        mv.visitInsn(AALOAD);
        mv.visitVarInsn(org.objectweb.asm.Opcodes.ASTORE, ARRAY);
        mv.visitVarInsn(ALOAD, ARRAY);
        mv.visitJumpInsn(org.objectweb.asm.Opcodes.IFNULL, miss);
    }

    /**
     * The data fast path inline ({@link ArmCore#tryRead} / {@link ArmCore#tryWrite}, on the TLB's arrays as
     * constants) at the address in int local {@code address}: for a load leaves the value, zero-extended, in
     * int local {@code value}; for a store writes R[{@code t}]; goes to {@code miss} having done nothing when
     * the TLB does not hold the page.
     */
    private void probe(boolean load, int size, int address, int value, int t, Insn insn, Label miss) {
        tlbIndexOf(address);
        int set = load ? 0 : 2;
        tlbArray(set);
        mv.visitVarInsn(ILOAD, PROBE_INDEX);
        mv.visitInsn(IALOAD);
        mv.visitVarInsn(ILOAD, address);
        ldc(0xFFFF_F000 | (size - 1)); // a misaligned address never equals a page's tag
        mv.visitInsn(IAND);
        mv.visitJumpInsn(IF_ICMPNE, miss);
        if (raw) {
            rawChunk(set, miss);
            mv.visitLdcInsn(BlockCompiler.classDataConstant(tlbConstants + 4, RAW_DESCRIPTORS[4]));
            mv.visitVarInsn(ALOAD, ARRAY);
            mv.visitVarInsn(ILOAD, address);
            ldc(0xFFF);
            mv.visitInsn(IAND);
        } else {
            tlbArrayAndIndex(set, address);
        }
        pageIndex();
        if (load) {
            pageLoad(size);
            mv.visitVarInsn(ISTORE, value);
        } else {
            read(t, insn);
            pageStore(size);
        }
    }

    /**
     * Array and index ({@link #pageIndex} done; in a raw translation Unsafe before them) on the stack:
     * pushes the little-endian value of {@code size} bytes there, zero-extended.
     */
    private void pageLoad(int size) {
        if (raw) {
            String[] m = size == 4 ? new String[] {"getInt", "I"} : size == 2 ? new String[] {"getChar", "C"} : new String[] {"getByte", "B"};
            mv.visitMethodInsn(INVOKEVIRTUAL, RawPageAccess.CLASS, m[0], "(Ljava/lang/Object;J)" + m[1], false);
            if (size == 1) {
                ldc(0xFF);
                mv.visitInsn(IAND);
            }
        } else {
            String unit = size == 4 ? "Word" : size == 2 ? "Half" : "Byte";
            mv.visitMethodInsn(INVOKESTATIC, SELF, "get" + unit, "([BI)I", false); // zero-extended
        }
    }

    /**
     * Array, index ({@link #pageIndex} done) and an int value (in a raw translation Unsafe before them)
     * on the stack: stores the value's low {@code size} bytes there, little-endian.
     */
    private void pageStore(int size) {
        if (raw) {
            if (size == 4) {
                mv.visitMethodInsn(INVOKEVIRTUAL, RawPageAccess.CLASS, "putInt", "(Ljava/lang/Object;JI)V", false);
            } else if (size == 2) {
                mv.visitInsn(org.objectweb.asm.Opcodes.I2S);
                mv.visitMethodInsn(INVOKEVIRTUAL, RawPageAccess.CLASS, "putShort", "(Ljava/lang/Object;JS)V", false);
            } else {
                mv.visitInsn(org.objectweb.asm.Opcodes.I2B);
                mv.visitMethodInsn(INVOKEVIRTUAL, RawPageAccess.CLASS, "putByte", "(Ljava/lang/Object;JB)V", false);
            }
        } else {
            String unit = size == 4 ? "Word" : size == 2 ? "Half" : "Byte";
            mv.visitMethodInsn(INVOKESTATIC, SELF, "put" + unit, "([BII)V", false);
        }
    }

    /** An int index into the page's array on the stack becomes what the access takes: in a raw translation Unsafe's long offset. */
    private void pageIndex() {
        if (!raw) {
            return;
        }
        mv.visitInsn(org.objectweb.asm.Opcodes.I2L);
        mv.visitLdcInsn(RawPageAccess.BYTE_BASE);
        mv.visitInsn(org.objectweb.asm.Opcodes.LADD);
    }

    /** {@code -Dbrassboard.jit.stopAtTranslations=true}: a translation ends where another starts (for measurements). */
    static final boolean STOP_AT_TRANSLATIONS = Boolean.getBoolean("brassboard.jit.stopAtTranslations");

    /**
     * Writes the class file of the translation at {@code pc} into {@code dir} ({@code -Dbrassboard.jit.dump});
     * false, with one line on {@code err} naming the directory and what went wrong, when it cannot.
     */
    static boolean dump(String dir, int pc, byte[] bytes, java.io.PrintStream err) {
        try {
            java.nio.file.Files.write(java.nio.file.Path.of(dir, String.format("block_%08x.class", pc)), bytes);
            return true;
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            err.println("brassboard: -Dbrassboard.jit.dump=" + dir + ": cannot write translations there (" + e.getMessage()
                    + "); expected an existing, writable directory; no more are written");
            return false;
        }
    }

    /** Longest translation, in instructions ({@code -Dbrassboard.jit.maxLength}, for measurements). */
    static final int MAX_LENGTH = maxLengthSetting(System.getProperty("brassboard.jit.maxLength"), System.err);

    /**
     * The region limit {@code value} names (null: the default, {@link BlockCompiler#MAX_LENGTH}); anything but a
     * whole number from 1 to 1024 is reported on {@code err} in one line and the default is used (a measurement
     * switch must not stop a run).
     */
    static int maxLengthSetting(String value, java.io.PrintStream err) {
        if (value == null) {
            return BlockCompiler.MAX_LENGTH;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= 1024) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        err.println("brassboard: -Dbrassboard.jit.maxLength=" + value + " ignored: expected a whole number from 1 to 1024 (instructions); using "
                + BlockCompiler.MAX_LENGTH);
        return BlockCompiler.MAX_LENGTH;
    }

    /** {@code -Dbrassboard.jit.notDirect=KIND,...}: instruction kinds run by their handlers instead (for bisecting). */
    private static final java.util.Set<String> NOT_DIRECT =
            new java.util.HashSet<>(java.util.Arrays.asList(System.getProperty("brassboard.jit.notDirect", "").split(",")));

    /** {@code -Dbrassboard.jit.dump=DIR}: each translation's class file is written there (for javap). */
    private static volatile String dump = System.getProperty("brassboard.jit.dump");

    static final java.util.Map<String, Integer> STATS = Boolean.getBoolean("brassboard.jit.stats") ? new java.util.TreeMap<>() : null;

    private static long runs;
    private static long runSteps;
    private static final long[] RUN_LENGTHS = new long[8];

    private static final java.util.HashMap<Long, long[]> EXITS = new java.util.HashMap<>();

    /**
     * Statistics only: the translation starting at {@code start} ran {@code steps} instructions and
     * left with the PC at {@code next} (the most frequent ways out are printed at exit).
     */
    static void countRun(int start, int next, int steps) {
        long[] n = EXITS.computeIfAbsent(((long) start << 32) | (next & 0xFFFF_FFFFL), k -> new long[2]);
        n[0]++;
        n[1] += steps;
        runs++;
        runSteps += steps;
        RUN_LENGTHS[Math.min(7, 31 - Integer.numberOfLeadingZeros(Math.max(1, steps)))]++;
    }

    static {
        if (STATS != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("jitstat runs " + runs + ", instructions "
                    + runSteps + ", per run " + (runs == 0 ? 0 : runSteps / (double) runs) + ", by log2 length "
                    + java.util.Arrays.toString(RUN_LENGTHS))));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> EXITS.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(40)
                    .forEach(e -> System.err.printf("jitstat exit %08x -> %08x: %d runs, %.1f instructions each%n", e.getKey() >>> 32,
                            e.getKey() & 0xFFFF_FFFFL, e.getValue()[0], e.getValue()[1] / (double) e.getValue()[0]))));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> STATS.entrySet().stream()
                    .sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> System.err.println("jitstat " + e.getValue() + " " + e.getKey()))));
        }
    }

    /** {@code -Dbrassboard.jit.direct=false}: translate with {@link BlockCompiler}'s handler template instead. */
    static final boolean ENABLED = !"false".equals(System.getProperty("brassboard.jit.direct"));

    /**
     * Translates the code starting at instruction {@code first} of {@code page}; {@code null} when the
     * instruction there cannot start a translation. Stops before any address in {@code hooks} (may be
     * {@code null}) and does not jump back to its start when that is hooked.
     */
    static CompiledBlock compile(CodeCache cache, CodeCache.Page page, int first, PcHooks hooks) {
        List<Insn> code = new ArrayList<>();
        int[] index = new int[1024]; // page index -> index in code, or -1
        java.util.Arrays.fill(index, -1);
        java.util.BitSet forwardTargets = new java.util.BitSet(); // page indices that branches so far go to
        // Chunks: straight runs of the page, the first at `first`, the others where a branch of an earlier
        // one goes (an unconditional one always, a conditional one when its target is hot), in this order.
        java.util.ArrayDeque<Integer> chunks = new java.util.ArrayDeque<>();
        chunks.add(first);
        // An entry into the middle of a loop another translation already runs (where a quantum ended, or
        // an interrupt returned) follows nothing: a copy of the loop would cost a compile for nothing.
        boolean follow = FOLLOW && !insideLoop(page, first);
        // a quarter of the start's own steps (the translation threshold) and at most HOT_EDGE
        int edge = Math.max(1, Math.min(HOT_EDGE, page.heat[first] / 4));
        while (!chunks.isEmpty() && code.size() < MAX_LENGTH) {
            int start = chunks.poll();
            if (index[start] < 0 && (start == first || hooks == null || !hooks.contains(page.base + 4 * start))) {
                scanChunk(cache, page, first, start, hooks, code, index, forwardTargets, chunks, edge, follow);
            }
        }
        return code.isEmpty() ? null : translate(page, code, index, hooks, cache.core().dataTlbArrays());
    }

    /**
     * Interpreter steps of a branch target that make it worth following into the same translation (fewer
     * when the translation threshold is low: a quarter of it).
     */
    static final int HOT_EDGE = 16;

    /** {@code -Dbrassboard.jit.follow=false}: translations do not follow branches (straight runs only; for measurements). */
    static final boolean FOLLOW = followSetting(System.getProperty("brassboard.jit.follow"), System.err);

    /**
     * The setting {@code value} names (null: on); anything but {@code true} or {@code false} is reported on
     * {@code err} in one line and following stays on (a measurement switch must not stop a run).
     */
    static boolean followSetting(String value, java.io.PrintStream err) {
        return Switches.on("brassboard.jit.follow", value, "translations follow branches", err);
    }

    /** Translations made so far that go into a function they call and hold a return to the call: for tests and statistics. */
    static final java.util.concurrent.atomic.AtomicLong CALLING = new java.util.concurrent.atomic.AtomicLong();

    /** Translations made so far that follow branches (hold more than one straight run): for tests and statistics. */
    static final java.util.concurrent.atomic.AtomicLong FOLLOWING = new java.util.concurrent.atomic.AtomicLong();

    /** Whether a translation of the page that holds a loop also holds its instruction {@code at}. */
    private static boolean insideLoop(CodeCache.Page page, int at) {
        for (int i = 0; i < page.blocks.length; i++) {
            CompiledBlock b = page.blocks[i];
            if (A32Interpreter.isTranslation(b) && b.cyclic && b.holds(i, at)) {
                return true;
            }
        }
        return false;
    }

    /** Whether page instruction {@code i} is hot enough to follow a branch to: a translation starts there, or it ran {@code edge} times. */
    private static boolean hot(CodeCache.Page page, int i, int edge) {
        if (i < 0 || i >= 1024) {
            return false;
        }
        return A32Interpreter.isTranslation(page.blocks[i]) || page.heat[i] >= edge;
    }

    /**
     * Adds the straight run of the page from instruction {@code start} to {@code code}: up to an instruction
     * that cannot be translated, an unconditional branch, a return, a hooked address, code already in the
     * translation (the run then ends with a jump there) or the length limit. Queues the in-page targets of
     * its branches as further chunks.
     */
    private static void scanChunk(CodeCache cache, CodeCache.Page page, int first, int start, PcHooks hooks, List<Insn> code,
            int[] index, java.util.BitSet forwardTargets, java.util.ArrayDeque<Integer> chunks, int edge, boolean follow) {
        int limit = MAX_LENGTH;
        for (int i = start; i < 1024; i++) {
            if (code.size() >= limit) {
                // at the limit: go on only to close a loop a few instructions on, once
                int closer = limit == MAX_LENGTH ? loopCloser(cache, page, i, hooks, index, LOOP_LENGTH - code.size()) : -1;
                if (closer < 0) {
                    break;
                }
                limit = code.size() + closer - i + 1;
            }
            if (index[i] >= 0) {
                break; // falls into code already translated here
            }
            if (i != first && hooks != null && hooks.contains(page.base + 4 * i)) {
                break;
            }
            if (STOP_AT_TRANSLATIONS && i != first && A32Interpreter.isTranslation(page.blocks[i])) {
                break; // another translation starts here: end this one there instead of copying it
            }
            A32Handler h = page.handlers[i];
            if (h == null) {
                h = cache.decode(page, i);
            }
            int w = page.words[i];
            int e = A32Decoder.decode(w);
            if (e == A32Decoder.UNDEFINED) {
                break;
            }
            Encoding enc = A32Decoder.encoding(e);
            String group = enc.group();
            boolean branch = group.equals("branch");
            if (!branch && !runsOnThrough(enc)) {
                break;
            }
            Insn insn = new Insn(w, page.base + 4 * i, h, group, enc.name());
            classify(insn);
            if (NOT_DIRECT.contains(insn.kind.name()) || NOT_DIRECT.contains(insn.name)) {
                insn.kind = Kind.HANDLER; // -Dbrassboard.jit.notDirect: bisecting a translation bug
                insn.reads = 0;
                insn.writes = 0;
                insn.readsFlags = false;
                insn.writesFlags = false;
            }
            index[i] = code.size();
            code.add(insn);
            if (insn.returns()) {
                break; // POP {..., pc}: a return
            }
            if (!branch) {
                continue;
            }
            if (insn.kind == Kind.BL && follow && CALLS && !insn.conditional()) {
                // a call of a short function in this page: the translation goes into it and, where it
                // returns to an address the translation holds, on from there (see returnSites)
                int target = (insn.targetPc - page.base) >> 2;
                if ((insn.targetPc & ~0xFFF) == page.base && i + 1 < 1024 && shortFunction(cache, page, target, hooks)) {
                    chunks.addFirst(target);
                    chunks.add(i + 1);
                }
                break;
            }
            if (insn.kind == Kind.B) {
                boolean inPage = (insn.targetPc & ~0xFFF) == page.base;
                int target = (insn.targetPc - page.base) >> 2;
                if (inPage && target > i && target < first + MAX_LENGTH) {
                    forwardTargets.set(target);
                }
                if (inPage && follow && !insn.conditional()) {
                    chunks.addFirst(target); // where the code goes on
                } else if (inPage && follow && index[target] < 0 && hot(page, target, edge)) {
                    chunks.addLast(target);
                    if (!hot(page, i + 1, edge) && i + 1 < 1024 && index[i + 1] < 0) {
                        break; // the branch is mostly taken: its fall-through leaves the translation, its target joins it
                    }
                }
                // past a conditional branch, and past an unconditional one when an earlier branch targets
                // the instruction after it (the else of an if/else)
                if (insn.conditional() || forwardTargets.get(i + 1)) {
                    continue;
                }
            }
            break;
        }
    }

    /**
     * {@code -Dbrassboard.jit.calls=false}: translations do not go into the functions they call (for
     * measurements and bisecting).
     */
    static final boolean CALLS = Switches.on("brassboard.jit.calls", System.getProperty("brassboard.jit.calls"),
            "translations go into short functions they call", System.err);

    /** Longest function a translation goes into at a call: its instructions up to its return. */
    static final int CALLEE_LENGTH = 12;

    /**
     * Whether the code at page instruction {@code at} returns (BX LR, POP {..., PC}, LDR PC, [SP], #4)
     * within {@link #CALLEE_LENGTH} instructions of the page, all translatable, none of them hooked, none
     * a call or another branch that leaves for good: a leaf function short enough that copying it into its
     * callers' translations costs less than the dispatch around each call (the kernel's division helpers,
     * CoreMark's crcu8). Its conditional branches may skip ahead within that stretch.
     */
    private static boolean shortFunction(CodeCache cache, CodeCache.Page page, int at, PcHooks hooks) {
        for (int j = at; j < 1024 && j < at + CALLEE_LENGTH; j++) {
            if (hooks != null && hooks.contains(page.base + 4 * j)) {
                return false;
            }
            if (page.handlers[j] == null) {
                cache.decode(page, j);
            }
            int w = page.words[j];
            int e = A32Decoder.decode(w);
            if (e == A32Decoder.UNDEFINED) {
                return false;
            }
            Encoding enc = A32Decoder.encoding(e);
            String name = enc.name();
            boolean always = (w >>> 28) == 0xE;
            if (enc.group().equals("branch")) {
                if (name.equals("BX") && (w & 15) == 14) {
                    if (always) {
                        return true;
                    }
                    continue;
                }
                if (!name.equals("B") || always) {
                    return false; // a call, or a jump elsewhere
                }
                int target = j + 2 + (Branch.branchOffset(w) >> 2);
                if (target <= j || target >= at + CALLEE_LENGTH) {
                    return false; // a loop or a jump past the stretch
                }
            } else if (!runsOnThrough(enc)) {
                return false;
            } else if (enc.group().equals("ldm") && (w & 0x8000) != 0 && name.startsWith("LDM") || popPc(w, name)) {
                if (always) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Longest translation when the length limit falls inside a loop whose back edge is near: the
     * translation goes on to that branch, so that the loop runs inside it (the XZ decoder of the kernel's
     * decompressor has loops of 33 and 39 instructions, which at 32 ran as two translations each pass,
     * through the dispatcher both ways). Also the bound on instructions between two interrupt checks.
     */
    static final int LOOP_LENGTH = 64;

    /**
     * The page index of a branch back into the translation (a B whose target {@code index} holds) within
     * {@code room} instructions from page instruction {@code from}, all of them translatable and none of
     * them leaving unconditionally first; -1 if there is none.
     */
    private static int loopCloser(CodeCache cache, CodeCache.Page page, int from, PcHooks hooks, int[] index, int room) {
        for (int j = from; j < 1024 && j < from + room; j++) {
            if (index[j] >= 0 || hooks != null && hooks.contains(page.base + 4 * j)) {
                return -1;
            }
            if (page.handlers[j] == null) {
                cache.decode(page, j);
            }
            int w = page.words[j];
            int e = A32Decoder.decode(w);
            if (e == A32Decoder.UNDEFINED) {
                return -1;
            }
            Encoding enc = A32Decoder.encoding(e);
            String group = enc.group();
            if (group.equals("branch")) {
                if (!enc.name().equals("B")) {
                    return -1; // a call or a return
                }
                int target = page.base + 4 * j + 8 + Branch.branchOffset(w);
                if ((target & ~0xFFF) == page.base && index[(target - page.base) >> 2] >= 0) {
                    return j;
                }
                if ((w >>> 28) == 0xE) {
                    return -1;
                }
            } else if (!runsOnThrough(enc)) {
                return -1;
            } else if (group.equals("ldm") && (w & 0x8000) != 0 && enc.name().startsWith("LDM") || popPc(w, enc.name())) {
                return -1; // POP {..., pc}
            }
        }
        return -1;
    }

    /** Generates and loads the translation of {@code code}, whose page instructions {@code index} maps. */
    private static CompiledBlock translate(CodeCache.Page page, List<Insn> code, int[] index, PcHooks hooks, Object[] tlb) {
        int n = code.size();
        int pc0 = code.get(0).pc;
        boolean loops = false;
        boolean chunked = false;
        for (int k = 0; k < n; k++) {
            Insn insn = code.get(k);
            chunked |= k > 0 && insn.pc != code.get(k - 1).pc + 4;
            if ((insn.kind == Kind.B || insn.kind == Kind.BL) && (insn.targetPc & ~0xFFF) == page.base) {
                int t = index[(insn.targetPc - page.base) >> 2];
                if (t >= 0 && !(t == 0 && hooks != null && hooks.contains(pc0))) {
                    insn.target = t;
                    loops |= t == 0;
                }
            }
            // where the code goes on after it, when that is not the next in the list
            int after = (insn.pc + 4 - page.base) >> 2;
            insn.next = after < 1024 ? index[after] : -1;
            if (insn.next == 0 && hooks != null && hooks.contains(pc0)) {
                insn.next = -1;
            }
            loops |= insn.next == 0 && k == n - 1 || insn.next == 0 && k + 1 < n && code.get(k + 1).pc != insn.pc + 4;
        }
        // the return addresses of the calls it holds, where a return inside it goes on within it
        int[] sites = returnSites(code, hooks);
        boolean returnsHere = false;
        for (Insn x : code) {
            returnsHere |= returns(x);
        }
        if (!returnsHere) {
            sites = new int[0];
        }
        if (sites.length > 0) {
            CALLING.incrementAndGet();
        }
        for (int site : sites) {
            loops |= site == 0;
        }
        if (STATS != null) {
            synchronized (STATS) {
                STATS.merge("blocks", 1, Integer::sum);
                STATS.merge("insns", n, Integer::sum);
                if (chunked) {
                    STATS.merge("blocks following branches", 1, Integer::sum);
                }
                for (Insn x : code) {
                    STATS.merge(x.kind == Kind.HANDLER ? "H " + x.name : "D " + x.kind, 1, Integer::sum);
                }
            }
        }
        A32Handler[] handlers = new A32Handler[n];
        for (int k = 0; k < n; k++) {
            handlers[k] = code.get(k).handler;
        }
        A32Translator generator = new A32Translator();
        generator.raw = rawPages;
        if (generator.raw) {
            tlb = java.util.Arrays.copyOf(tlb, RAW_DESCRIPTORS.length);
            tlb[RAW_DESCRIPTORS.length - 1] = RawPageAccess.UNSAFE;
        }
        generator.tlbConstants = n;
        generator.returnSites = sites;
        generator.tlbMask = ((int[]) tlb[0]).length - 1;
        byte[] bytes = generator.generate(code);
        String dir = dump;
        if (dir != null && !dump(dir, pc0, bytes, System.err)) {
            dump = null; // reported once; the run goes on
        }
        CompiledBlock block = BlockCompiler.load(page, bytes, handlers, n, loops, 4 * n, tlb);
        for (int k = 0; k < n; k++) {
            Insn x = code.get(k);
            block.cyclic |= x.target >= 0 && x.target <= k || x.next >= 0 && x.next <= k;
            if (returns(x)) {
                for (int site : sites) {
                    block.cyclic |= site <= k;
                }
            }
        }
        if (chunked) {
            FOLLOWING.incrementAndGet();
            long[] covers = new long[16];
            for (Insn x : code) {
                int i = (x.pc - page.base) >> 2;
                covers[i >> 6] |= 1L << i;
            }
            block.covers = covers;
        }
        return block;
    }

    /**
     * Indices in {@code code} of the instructions after its calls (BL) that went into a function it holds
     * (their targets are inside), sorted: a return of the translation whose address is one of them jumps
     * there instead of leaving. None is the start when {@code hooks} hold the start's address.
     */
    private static int[] returnSites(List<Insn> code, PcHooks hooks) {
        java.util.TreeSet<Integer> sites = new java.util.TreeSet<>();
        for (Insn x : code) {
            if (x.kind == Kind.BL && x.target >= 0 && x.next >= 0 && !(x.next == 0 && hooks != null && hooks.contains(code.get(0).pc))) {
                sites.add(x.next);
            }
        }
        return sites.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether {@code insn} returns: BX LR, or a load of the PC (POP {..., PC}, LDR PC, [SP], #4). */
    private static boolean returns(Insn insn) {
        return insn.kind == Kind.BX && (insn.w & 15) == 14 || insn.returns();
    }

    // ---------------------------------------------------------------- classification

    private static int bit(int reg) {
        return reg == 15 ? 0 : 1 << reg;
    }

    /**
     * The hints and barriers that do nothing here (A32Interpreter's HintsBarriers): a translation runs on
     * through them, where it used to end (the kernel's memcpy loop has a PLD, its atomics DMBs). Not WFE,
     * WFI or SEV, which act on the core.
     */
    private static final java.util.Set<String> NO_OPS = java.util.Set.of("NOP", "YIELD", "DBG", "HINT_other", "DMB", "DSB", "ISB",
            "PLD_imm", "PLI_imm", "PLD_reg", "PLI_reg", "MEMHINT_imm", "MEMHINT_reg");

    /**
     * Instructions outside the straight-line groups that only read the core's state into registers (or,
     * MRC to APSR_nzcv, the flags): MRS, MRC, MRRC. Their handlers run inside a translation, which goes on
     * after them (the kernel reads TPIDRPRW for its per-CPU data and the CPSR around every interrupt-masking
     * section). The instructions that write system state (MSR, CPS, MCR, ...) still end a translation.
     */
    private static final java.util.Set<String> READERS = java.util.Set.of("MRS", "MRC", "MRRC");

    /** Whether a translation goes on through an instruction of encoding {@code enc} (branches aside). */
    private static boolean runsOnThrough(Encoding enc) {
        return BlockCompiler.straightLine(enc.group()) || NO_OPS.contains(enc.name()) || READERS.contains(enc.name());
    }

    /** Decides whether {@code insn} is emitted directly and what it reads and writes. */
    private static void classify(Insn insn) {
        int w = insn.w;
        String name = insn.name;
        if (insn.group.equals("hint")) {
            if (NO_OPS.contains(name)) {
                insn.kind = Kind.NOP; // retires, condition passed or not, and does nothing else
            }
            return;
        }
        int rn = (w >>> 16) & 15;
        int rd = (w >>> 12) & 15;
        int rs = (w >>> 8) & 15;
        int rm = w & 15;
        boolean s = (w & S_BIT) != 0;
        boolean cond = insn.conditional();
        switch (insn.group) {
            case "dataproc": {
                if (name.equals("MOVW") || name.equals("MOVT")) {
                    if (rd == 15) {
                        return;
                    }
                    insn.kind = name.equals("MOVW") ? Kind.MOVW : Kind.MOVT;
                    insn.writes = bit(rd);
                    insn.reads = name.equals("MOVT") ? bit(rd) : 0;
                    break;
                }
                int op = (w >>> 21) & 15;
                boolean compare = op >= 8 && op <= 11;
                if (!compare && rd == 15) {
                    return; // a PC write: the handler (ALUWritePC, exception return)
                }
                boolean usesRn = op != 13 && op != 15;
                if (name.endsWith("_imm")) {
                    insn.kind = Kind.DP_IMM;
                } else if (name.endsWith("_reg")) {
                    insn.kind = Kind.DP_REG;
                    insn.reads |= bit(rm);
                } else if (name.endsWith("_rsr")) {
                    if (rn == 15 && usesRn || rm == 15 || rs == 15) {
                        return; // UNPREDICTABLE: the handler decides
                    }
                    insn.kind = Kind.DP_RSR;
                    insn.reads |= bit(rm) | bit(rs);
                    insn.readsFlags = true; // the shifter's carry in
                } else {
                    return;
                }
                if (usesRn) {
                    insn.reads |= bit(rn);
                }
                if (!compare) {
                    insn.writes = bit(rd);
                }
                boolean setsFlags = s || compare;
                insn.writesFlags = setsFlags;
                // the carry in (ADC, SBC, RSC, RRX, an unchanged shifter carry) or the unchanged bits
                insn.readsFlags |= setsFlags || op == 5 || op == 6 || op == 7
                        || (insn.kind == Kind.DP_REG && ((w >>> 5) & 3) == 3 && ((w >>> 7) & 31) == 0);
                break;
            }
            case "multiply": {
                if (name.equals("SMULxy") || name.equals("SMLAxy") || name.equals("SMULWy") || name.equals("SMLAWy")) {
                    // the signed halfword multiplies (A8.8.176 SMLA<x><y>, A8.8.180 SMLAW<y>, A8.8.188
                    // SMUL<x><y>, A8.8.190 SMULW<y>): Rd in bits 19:16, Ra 15:12, Rm 11:8, Rn 3:0
                    boolean accumulate = name.startsWith("SMLA");
                    if (rn == 15 || rs == 15 || rm == 15 || accumulate && rd == 15) {
                        return; // UNPREDICTABLE: the handler's choice
                    }
                    insn.kind = Kind.HALF_MUL;
                    insn.reads = bit(rm) | bit(rs) | (accumulate ? bit(rd) : 0);
                    insn.writes = bit(rn);
                    break;
                }
                boolean mul = name.equals("MUL") || name.equals("MLA") || name.equals("MLS");
                boolean mull = name.equals("UMULL") || name.equals("SMULL") || name.equals("UMLAL") || name.equals("SMLAL");
                if (!mul && !mull) {
                    return;
                }
                int d = rn; // bits 19:16: Rd, or RdHi
                if (d == 15 || rm == 15 || rs == 15) {
                    return;
                }
                if (mul) {
                    boolean accumulate = !name.equals("MUL");
                    if (accumulate && rd == 15) {
                        return;
                    }
                    insn.kind = Kind.MUL;
                    insn.reads = bit(rm) | bit(rs) | (accumulate ? bit(rd) : 0);
                    insn.writes = bit(d);
                } else {
                    if (rd == 15 || rd == d) {
                        return; // RdLo == RdHi is UNPREDICTABLE: the handler's choice
                    }
                    insn.kind = Kind.MULL;
                    boolean accumulate = name.endsWith("LAL");
                    insn.reads = bit(rm) | bit(rs) | (accumulate ? bit(rd) | bit(d) : 0);
                    insn.writes = bit(rd) | bit(d);
                }
                insn.writesFlags = s && !name.equals("MLS");
                insn.readsFlags = insn.writesFlags;
                break;
            }
            case "media": {
                switch (name) {
                    case "SXTB":
                    case "SXTH":
                    case "UXTB":
                    case "UXTH":
                    case "SXTAB":
                    case "SXTAH":
                    case "UXTAB":
                    case "UXTAH":
                        if (rd == 15 || rm == 15) {
                            return;
                        }
                        insn.kind = Kind.EXTEND;
                        insn.reads = bit(rm) | (name.contains("A") ? bit(rn) : 0);
                        insn.writes = bit(rd);
                        break;
                    case "UBFX":
                    case "SBFX":
                        if (rd == 15 || rm == 15 || ((w >>> 7) & 31) + ((w >>> 16) & 31) > 31) {
                            return;
                        }
                        insn.kind = Kind.BITFIELD;
                        insn.reads = bit(rm);
                        insn.writes = bit(rd);
                        break;
                    case "BFI":
                    case "BFC":
                        if (rd == 15 || ((w >>> 16) & 31) < ((w >>> 7) & 31)) {
                            return;
                        }
                        insn.kind = Kind.BITFIELD;
                        insn.reads = bit(rd) | (name.equals("BFI") ? bit(rm) : 0);
                        insn.writes = bit(rd);
                        break;
                    case "CLZ":
                    case "REV":
                    case "REV16":
                        if (rd == 15 || rm == 15) {
                            return;
                        }
                        insn.kind = name.equals("CLZ") ? Kind.CLZ : Kind.REV;
                        insn.reads = bit(rm);
                        insn.writes = bit(rd);
                        break;
                    default:
                        return;
                }
                break;
            }
            case "ldm": {
                // LDM/STM (IA, IB, DA, DB) of the current mode's registers: PUSH and POP among them. Not the
                // user-register or exception-return forms; not the UNPREDICTABLE ones (empty list, base in
                // the list with writeback, STM of the PC, base = PC).
                boolean load = name.startsWith("LDM");
                boolean plain = name.equals("LDM") || name.equals("LDMIB") || name.equals("LDMDA") || name.equals("LDMDB")
                        || name.equals("STM") || name.equals("STMIB") || name.equals("STMDA") || name.equals("STMDB");
                int list = w & 0xFFFF;
                boolean wback = (w & (1 << 21)) != 0;
                if (!plain || list == 0 || rn == 15 || wback && (list & (1 << rn)) != 0 || !load && (list & 0x8000) != 0) {
                    return;
                }
                insn.kind = Kind.MULTIPLE;
                insn.multiple = w;
                insn.reads = bit(rn) | (load ? 0 : list & 0x7FFF);
                insn.writes = (wback ? bit(rn) : 0) | (load ? list & 0x7FFF : 0);
                break;
            }
            case "loadstore": {
                if (name.equals("LDRD_imm") || name.equals("STRD_imm") || name.equals("LDRD_reg") || name.equals("STRD_reg")) {
                    boolean p = (w & (1 << 24)) != 0;
                    boolean wback = !p || (w & (1 << 21)) != 0;
                    boolean register = name.endsWith("_reg");
                    int t2 = rd + 1;
                    if ((rd & 1) != 0 || rd == 14 || (!p && (w & (1 << 21)) != 0)
                            || wback && (rn == 15 || rn == rd || rn == t2)
                            || register && (rm == 15 || name.startsWith("LDR") && (rm == rd || rm == t2))) {
                        return; // UNPREDICTABLE or UNDEFINED cases: the handler's choice
                    }
                    insn.kind = Kind.DUAL;
                    boolean load = name.startsWith("LDR");
                    insn.reads = bit(rn) | (register ? bit(rm) : 0) | (load ? 0 : bit(rd) | bit(t2));
                    insn.writes = (wback ? bit(rn) : 0) | (load ? bit(rd) | bit(t2) : 0);
                    break;
                }
                boolean word = name.equals("LDR_imm") || name.equals("STR_imm") || name.equals("LDRB_imm")
                        || name.equals("STRB_imm") || name.equals("LDR_reg") || name.equals("STR_reg")
                        || name.equals("LDRB_reg") || name.equals("STRB_reg");
                boolean half = name.equals("LDRH_imm") || name.equals("STRH_imm") || name.equals("LDRSB_imm")
                        || name.equals("LDRSH_imm") || name.equals("LDRH_reg") || name.equals("STRH_reg")
                        || name.equals("LDRSB_reg") || name.equals("LDRSH_reg");
                if (!word && !half) {
                    return;
                }
                boolean p = (w & (1 << 24)) != 0;
                boolean wb = (w & (1 << 21)) != 0;
                if (!p && wb) {
                    return; // the unprivileged (T) forms
                }
                boolean wback = !p || wb;
                boolean register = name.endsWith("_reg");
                if (popPc(w, name)) {
                    // POP {PC}: LDR_imm post-indexed (A8.8.63) loads the word at Rn, adds 4 to Rn and, the
                    // address word-aligned, does LoadWritePC, as LDMIA Rn!, {PC} (A8.8.58) does. The translation
                    // takes the LDM's fast path (aligned, in a page the TLB holds); anything else goes to the
                    // LDR's own handler, which keeps what an unaligned address means for an LDR.
                    insn.kind = Kind.MULTIPLE;
                    insn.multiple = (w & 0xF000_0000) | 0x08B0_0000 | (rn << 16) | 0x8000;
                    insn.reads = bit(rn);
                    insn.writes = bit(rn);
                    break;
                }
                if (rd == 15 || wback && (rn == 15 || rn == rd) || register && rm == 15) {
                    return;
                }
                insn.kind = Kind.LOAD_STORE;
                boolean load = name.startsWith("LDR");
                insn.reads = bit(rn) | (register ? bit(rm) : 0) | (load ? 0 : bit(rd));
                insn.writes = (wback ? bit(rn) : 0) | (load ? bit(rd) : 0);
                if (word && register && ((w >>> 5) & 3) == 3 && ((w >>> 7) & 31) == 0) {
                    insn.readsFlags = true; // RRX of the offset reads C
                }
                break;
            }
            case "branch": {
                switch (name) {
                    case "B":
                    case "BL":
                        insn.kind = name.equals("B") ? Kind.B : Kind.BL;
                        insn.targetPc = insn.pc + 8 + Branch.branchOffset(w);
                        insn.writes = name.equals("BL") ? bit(14) : 0;
                        break;
                    case "BX":
                    case "BLX_reg":
                        if (rm == 15) {
                            return;
                        }
                        insn.kind = name.equals("BX") ? Kind.BX : Kind.BLX;
                        insn.reads = bit(rm);
                        insn.writes = name.equals("BX") ? 0 : bit(14);
                        break;
                    default:
                        return;
                }
                break;
            }
            default:
                return;
        }
        if (cond) {
            insn.readsFlags = true;
            // a conditional write keeps the old value when the condition fails: the local must hold it
            insn.reads |= insn.writes;
        }
    }

    // ---------------------------------------------------------------- generation state

    private MethodVisitor mv;
    private List<Insn> code;
    /** Registers any direct instruction reads or writes: held in locals for the whole run. */
    private int used;
    private boolean usesFlags;
    /**
     * Where NZCV is at this point of the generated code: {@link #FLAGS_LOCAL}, in the flags local, or lazy,
     * known only as the last flag-setting instruction's operands in {@link #FA}/{@link #FB} ({@link #LAZY_SUB}:
     * FA - FB; {@link #LAZY_ADD}: FA + FB; {@link #LAZY_LOGIC}: N and Z of the result FA, C and V in the flags
     * local; {@link #LAZY_LOGIC_C}: the same with C = FB). A condition after a compare then becomes one JVM
     * compare of the operands (cmp r0, r1; bgt → if (r0 > r1)), which C2 turns into one x86 cmp/jcc, and
     * the NZCV word is built only where something needs it: an exit, a handler, a carry in.
     * Where control flow merges the state is {@link #LAZY_DYNAMIC}.
     */
    private int lazy;
    private static final int FLAGS_LOCAL = 0;
    private static final int LAZY_SUB = 1;
    private static final int LAZY_ADD = 2;
    private static final int LAZY_LOGIC = 3;
    private static final int LAZY_LOGIC_C = 4;
    /**
     * At a jump target: each way in stores its own state's kind in the local {@link #FK} (a constant: C2
     * sees a phi of constants), with FA, FB and the flags local as that state left them. So a loop whose
     * back edge follows a compare keeps its NZCV lazy round the loop instead of building the flags word
     * on every pass; the word is built from FK by {@link #flagsOf} only where something needs it.
     */
    private static final int LAZY_DYNAMIC = 5;
    /** Registers (and flags) written since the last write-back; conservative. */
    private int dirty;
    private boolean flagsDirty;
    /** Instructions retired but not yet added to c.retired. */
    private int pending;
    /** Union of what direct instructions write anywhere: the state assumed at a jump target. */
    private int allWrites;
    private boolean allWritesFlags;
    private Label[] starts;
    private boolean[] isTarget;
    /** Jump targets where the flags arrive {@link #LAZY_DYNAMIC}; at the others they arrive in the flags local. */
    private boolean[] dynamicAt;
    private final List<Runnable> outOfLine = new ArrayList<>();

    /** Queues code to emit after the main line, with the flags' compile-time state of this point. */
    private void addOutOfLine(Runnable r) {
        int here = lazy;
        outOfLine.add(() -> {
            lazy = here;
            r.run();
        });
    }
    /** Indices of the return addresses a return may jump to inside this translation ({@link #returnSites}). */
    private int[] returnSites = new int[0];
    private final Label exitTail = new Label();
    private boolean exitTailUsed;
    /**
     * Write-back blocks that exits share, one per set of dirty registers, flags and flags state, each
     * going on to {@link #exitTail}: a translation's exits mostly leave the same registers dirty, and
     * writing them back at each exit was a quarter of its bytecode, which HotSpot's C1 compiles whole.
     */
    private final java.util.Map<Long, Label> writeBackTails = new java.util.LinkedHashMap<>();

    private byte[] generate(List<Insn> insns) {
        this.code = insns;
        int n = insns.size();
        starts = new Label[n];
        isTarget = new boolean[n];
        boolean anyMemory = false;
        for (int k = 0; k < n; k++) {
            starts[k] = new Label();
            Insn insn = insns.get(k);
            used |= insn.reads | insn.writes;
            // (a conditional instruction run by its handler tests its condition on the local too)
            usesFlags |= insn.readsFlags || insn.writesFlags || insn.conditional();
            allWrites |= insn.writes;
            allWritesFlags |= insn.writesFlags;
            anyMemory |= BlockCompiler.touchesMemory(insn.group);
            if (insn.target >= 0) {
                isTarget[insn.target] = true;
            }
            if (k > 0 && insn.pc != insns.get(k - 1).pc + 4) {
                isTarget[k] = true; // a chunk's start: reached by jumps only
            }
            if (insn.next >= 0 && insn.next != k + 1) {
                isTarget[insn.next] = true;
            }
        }
        for (int site : returnSites) {
            isTarget[site] = true;
        }
        // a loop's head takes the flags lazy only when the loop sets them all (a compare) before it needs
        // them: else each pass would build the word through flagsOf's switch on a kind that is not
        // constant there, where building it at the back edge from a known kind is cheaper (C2 keeps only
        // the bits read); other targets take them lazy (their ways in usually agree on the kind, which
        // C2 then folds)
        dynamicAt = new boolean[n];
        boolean[] loopHead = new boolean[n];
        for (int k = 0; k < n; k++) {
            Insn insn = insns.get(k);
            if (insn.target >= 0 && insn.target <= k) {
                loopHead[insn.target] = true;
            }
            if (insn.next >= 0 && insn.next <= k) {
                loopHead[insn.next] = true;
            }
            if (returns(insn)) {
                for (int site : returnSites) {
                    loopHead[site] |= site <= k;
                }
            }
        }
        for (int k = 0; k < n; k++) {
            dynamicAt[k] = usesFlags && isTarget[k] && (!loopHead[k] || setsAllFlagsFirst(insns, k));
        }
        name = String.format("%s%08x", PREFIX, insns.get(0).pc);
        ClassWriter cw = BlockCompiler.classWithConstructor(name, n, raw ? RAW_DESCRIPTORS : TLB_DESCRIPTORS, false);

        mv = new Frames(cw.visitMethod(ACC_PUBLIC, "run", "(L" + CORE + ";I)I", null, null), name);
        mv.visitCode();
        Frames.initialiseLocals(mv);
        ldc(0);
        mv.visitVarInsn(ISTORE, STEPS);
        core();
        mv.visitFieldInsn(GETFIELD, CORE, "r", "[I");
        mv.visitVarInsn(org.objectweb.asm.Opcodes.ASTORE, REGS);
        core();
        ldc(0);
        mv.visitFieldInsn(PUTFIELD, CORE, "exceptionTaken", "Z");
        if (anyMemory) {
            core();
            ldc(0);
            mv.visitFieldInsn(PUTFIELD, CORE, "leaveBlock", "I");
        }
        loadLocals();
        // the flags arrive in the flags local
        ldc(FLAGS_LOCAL);
        mv.visitVarInsn(ISTORE, FK);
        lazy = FLAGS_LOCAL;
        for (int k = 0; k < n; k++) {
            Insn insn = insns.get(k);
            if (isTarget[k]) {
                // a jump target: every way in has nothing pending, at most allWrites dirty, and its
                // flags' kind in FK (or the flags in the flags local)
                intoTarget(k);
                flushRetired();
                dirty = allWrites;
                flagsDirty = allWritesFlags;
            }
            mv.visitLabel(starts[k]);
            if (isTarget[k] && usesFlags) {
                lazy = dynamicAt[k] ? LAZY_DYNAMIC : FLAGS_LOCAL;
            }
            if (needsFlagsLocal(insn)) {
                materialize();
            }
            switch (insn.kind) {
                case NOP:
                    pending++;
                    break;
                case HANDLER:
                    handler(k, insn);
                    break;
                case LOAD_STORE:
                case DUAL:
                    loadStore(k, insn);
                    break;
                case MULTIPLE:
                    loadStoreMultiple(k, insn);
                    break;
                case B:
                case BL:
                case BX:
                case BLX:
                    branch(k, insn);
                    break;
                default:
                    alu(insn);
                    pending++;
                    break;
            }
            if ((k == n - 1 || insns.get(k + 1).pc != insn.pc + 4) && fallsThrough(insn)) {
                // the end of a chunk: on to the instruction after it, in this translation or not
                if (insn.next >= 0) {
                    jump(k, insn.next);
                } else {
                    exit(insn.pc + 4, k + 1);
                }
                pending = 0; // nothing reaches the next chunk's start but jumps
            }
        }
        for (Runnable r : outOfLine) {
            r.run();
        }
        for (java.util.Map.Entry<Long, Label> tail : writeBackTails.entrySet()) {
            long key = tail.getKey();
            mv.visitLabel(tail.getValue());
            lazy = (int) (key >>> 32);
            writeBack((int) key & 0xFFFF, (key & (1L << 16)) != 0);
            mv.visitJumpInsn(GOTO, exitTail);
        }
        if (exitTailUsed) {
            emitExitTail();
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * Writes {@code run}'s stack map frames itself, so that ASM need not compute them (its data-flow
     * analysis ran for every translation, hot enough for HotSpot's C2 to spend 0.46 s of a CoreMark run
     * compiling it, time the translations waited for). The translator keeps two rules that make one frame right
     * everywhere: every local has one type for the whole method and is assigned at its start
     * ({@link #initialiseLocals}), and the operand stack is empty at every label. So each label that
     * follows an instruction gets the same full frame; the class verifier checks the rules on every load.
     */
    private static final class Frames extends MethodVisitor {
        /** The locals: this, the core, then ints, but for VALUE (a long), REGS (int[]) and ARRAY (byte[]). */
        private final Object[] locals;
        /** Whether an instruction was written since the last frame (two frames may not share an offset). */
        private boolean code;
        /**
         * Whether the last instruction written was a GOTO, a return or a throw: what follows up to the next
         * label cannot run (the translator writes a jump target's way in from the instruction before it
         * even when that one never falls through), and is dropped, as it would need a frame of its own.
         */
        private boolean dead;
        /** Whether the next instruction written starts with a frame (a label came after an instruction). */
        private boolean framePending;

        Frames(MethodVisitor mv, String name) {
            super(org.objectweb.asm.Opcodes.ASM9, mv);
            List<Object> l = new ArrayList<>();
            l.add(name);
            l.add(CORE);
            for (int slot = BUDGET; slot <= LAST_LOCAL; slot++) {
                if (slot == VALUE) {
                    l.add(org.objectweb.asm.Opcodes.LONG);
                    slot++; // a long takes two slots and one entry
                } else if (slot == REGS) {
                    l.add("[I");
                } else if (slot == ARRAY) {
                    l.add("[B");
                } else {
                    l.add(org.objectweb.asm.Opcodes.INTEGER);
                }
            }
            locals = l.toArray();
        }

        /** Assigns every local after the parameters its type's zero (C2 drops the stores nothing reads). */
        static void initialiseLocals(MethodVisitor mv) {
            for (int slot = STEPS; slot <= LAST_LOCAL; slot++) {
                if (slot == VALUE) {
                    mv.visitInsn(org.objectweb.asm.Opcodes.LCONST_0);
                    mv.visitVarInsn(LSTORE, slot++);
                } else if (slot == REGS || slot == ARRAY) {
                    mv.visitInsn(org.objectweb.asm.Opcodes.ACONST_NULL);
                    mv.visitVarInsn(org.objectweb.asm.Opcodes.ASTORE, slot);
                } else {
                    mv.visitInsn(org.objectweb.asm.Opcodes.ICONST_0);
                    mv.visitVarInsn(ISTORE, slot);
                }
            }
        }

        @Override
        public void visitLabel(Label label) {
            super.visitLabel(label);
            dead = false;
            framePending |= code;
            code = false;
        }

        /**
         * Whether the next instruction is written: false while {@link #dead}. Writes the frame a label
         * asked for first (not at the label itself: a frame may not stand at the method's very end).
         */
        private boolean live() {
            if (dead) {
                return false;
            }
            if (framePending) {
                super.visitFrame(org.objectweb.asm.Opcodes.F_NEW, locals.length, locals, 0, null);
                framePending = false;
            }
            code = true;
            return true;
        }

        @Override
        public void visitInsn(int opcode) {
            if (live()) {
                super.visitInsn(opcode);
                dead = opcode >= org.objectweb.asm.Opcodes.IRETURN && opcode <= org.objectweb.asm.Opcodes.RETURN
                        || opcode == org.objectweb.asm.Opcodes.ATHROW;
            }
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            if (live()) {
                super.visitIntInsn(opcode, operand);
            }
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            if (live()) {
                super.visitVarInsn(opcode, var);
            }
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (live()) {
                super.visitTypeInsn(opcode, type);
            }
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            if (live()) {
                super.visitFieldInsn(opcode, owner, name, descriptor);
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (live()) {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            }
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (live()) {
                super.visitJumpInsn(opcode, label);
                dead = opcode == GOTO;
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            if (live()) {
                super.visitLdcInsn(value);
            }
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            if (live()) {
                super.visitIincInsn(var, increment);
            }
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            if (live()) {
                super.visitTableSwitchInsn(min, max, dflt, labels);
                dead = true;
            }
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            if (live()) {
                super.visitLookupSwitchInsn(dflt, keys, labels);
                dead = true;
            }
        }
    }

    /**
     * {@code LDR PC, [Rn], #4} with Rn not the PC: POP {PC}, the return of a function that saved only LR
     * (CoreMark's crcu8, crcu16, core_state_transition and others).
     */
    static boolean popPc(int w, String name) {
        return name.equals("LDR_imm") && (w & 0x0FFF_F000 | 0x000F_0000) == 0x049F_F000 && (w & 0xFFF) == 4
                && ((w >>> 16) & 15) != 15;
    }

    /** Whether the code can go on at the instruction after {@code insn} (it is not an unconditional branch or return). */
    private static boolean fallsThrough(Insn insn) {
        boolean returns = insn.returns();
        return insn.conditional()
                || !(insn.kind == Kind.B || insn.kind == Kind.BL || insn.kind == Kind.BX || insn.kind == Kind.BLX || returns);
    }

    // ---------------------------------------------------------------- locals

    /** Pushes an int constant in the shortest form (ICONST, BIPUSH, SIPUSH, LDC). */
    private void ldc(int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(org.objectweb.asm.Opcodes.ICONST_0 + v);
        } else if (v == (byte) v) {
            mv.visitIntInsn(org.objectweb.asm.Opcodes.BIPUSH, v);
        } else if (v == (short) v) {
            mv.visitIntInsn(org.objectweb.asm.Opcodes.SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    /** Pushes a long or dynamic constant. */
    private void ldc(Object v) {
        if (Long.valueOf(0).equals(v)) {
            mv.visitInsn(org.objectweb.asm.Opcodes.LCONST_0);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    /** Pushes the core's register array (cached in a local: the field is final). */
    private void regs() {
        mv.visitVarInsn(ALOAD, REGS);
    }

    private void core() {
        mv.visitVarInsn(ALOAD, CORE_LOCAL);
    }

    /** Reads every register and the flags the run keeps in locals from the core. */
    private void loadLocals() {
        loadLocals(used, usesFlags);
    }

    /** Reads the registers of {@code regs} and (when {@code flags}) NZCV that the run keeps in locals from the core. */
    private void loadLocals(int regs, boolean flags) {
        for (int i = 0; i < 15; i++) {
            if ((regs & used & (1 << i)) != 0) {
                regs();
                ldc(i);
                mv.visitInsn(IALOAD);
                mv.visitVarInsn(ISTORE, R0 + i);
            }
        }
        if (flags && usesFlags) {
            core();
            mv.visitFieldInsn(GETFIELD, CORE, "flags", "I");
            mv.visitVarInsn(ISTORE, FLAGS);
        }
    }

    /** Writes the locals changed since the last write-back to the core (the compile-time state is unchanged). */
    private void writeBack(int regs, boolean flags) {
        for (int i = 0; i < 15; i++) {
            if ((regs & (1 << i)) != 0) {
                regs();
                ldc(i);
                mv.visitVarInsn(ILOAD, R0 + i);
                mv.visitInsn(IASTORE);
            }
        }
        if (flags) {
            core();
            pushFlags();
            mv.visitFieldInsn(PUTFIELD, CORE, "flags", "I");
        }
    }

    /** Pushes the NZCV word: the flags local, or built from the lazy operands (the compile-time state is unchanged). */
    private void pushFlags() {
        switch (lazy) {
            case LAZY_SUB:
                flagsHelper("sub", FA, FB);
                break;
            case LAZY_ADD:
                flagsHelper("add", FA, FB);
                break;
            case LAZY_LOGIC:
                flagsHelper("logical", FA, FLAGS);
                break;
            case LAZY_LOGIC_C:
                flagsHelper("logicalC", FA, FLAGS, FB);
                break;
            case LAZY_DYNAMIC:
                flagsHelper("flagsOf", FK, FA, FB, FLAGS);
                break;
            default:
                mv.visitVarInsn(ILOAD, FLAGS);
                break;
        }
    }

    /** Calls this class's static int helper {@code name} on the int locals given. */
    private void flagsHelper(String name, int... locals) {
        for (int local : locals) {
            mv.visitVarInsn(ILOAD, local);
        }
        mv.visitMethodInsn(INVOKESTATIC, SELF, name, "(" + "I".repeat(locals.length) + ")I", false);
    }

    /**
     * On a way into jump target {@code to}: FK = this point's kind (see {@link #LAZY_DYNAMIC}), or the
     * flags local built, as the target expects; the compile-time state is unchanged.
     */
    private void intoTarget(int to) {
        if (!usesFlags) {
            return;
        }
        if (dynamicAt[to]) {
            if (lazy != LAZY_DYNAMIC) {
                ldc(lazy);
                mv.visitVarInsn(ISTORE, FK);
            }
        } else {
            int here = lazy;
            materialize();
            lazy = here;
        }
    }

    /**
     * Whether the code from instruction {@code k} on (its straight run) sets all of NZCV (an
     * unconditional compare, add or subtract) before anything reads them but an exit.
     */
    private static boolean setsAllFlagsFirst(List<Insn> insns, int k) {
        for (int j = k; j < insns.size(); j++) {
            Insn x = insns.get(j);
            if (j > k && x.pc != insns.get(j - 1).pc + 4) {
                return true;
            }
            if (x.conditional() || needsFlagsLocal(x)) {
                return false;
            }
            if (x.writesFlags || x.kind == Kind.B || x.kind == Kind.BL || x.kind == Kind.BX || x.kind == Kind.BLX) {
                return true;
            }
        }
        return true;
    }

    /** Builds the flags local from lazy flags, here, on every path through this point. */
    private void materialize() {
        if (lazy != FLAGS_LOCAL) {
            pushFlags();
            mv.visitVarInsn(ISTORE, FLAGS);
            lazy = FLAGS_LOCAL;
        }
    }

    /**
     * Whether {@code insn} needs NZCV in the flags local before it starts: it reads the carry (ADC, SBC, RSC,
     * RRX, a register-shifted operand), sets only some of the flags (logical operations, multiplies), is
     * run by its handler, or sets the flags conditionally (the two ways past it must agree).
     */
    private static boolean needsFlagsLocal(Insn insn) {
        if (insn.kind == Kind.HANDLER || insn.writesFlags && insn.conditional()) {
            return true;
        }
        if (insn.kind == Kind.DP_IMM || insn.kind == Kind.DP_REG || insn.kind == Kind.DP_RSR) {
            if (insn.kind == Kind.DP_RSR) {
                return true;
            }
            int op = (insn.w >>> 21) & 15;
            boolean arithmetic = op == 2 || op == 3 || op == 4 || op == 10 || op == 11;
            if (op >= 5 && op <= 7 || insn.writesFlags && !arithmetic) {
                return true;
            }
            int w = insn.w;
            return insn.kind == Kind.DP_REG && ((w >>> 5) & 3) == 3 && ((w >>> 7) & 31) == 0; // RRX
        }
        if (insn.kind == Kind.MUL || insn.kind == Kind.MULL) {
            return insn.writesFlags;
        }
        if (insn.kind == Kind.LOAD_STORE) {
            int w = insn.w;
            return insn.name.endsWith("_reg") && ((w >>> 5) & 3) == 3 && ((w >>> 7) & 31) == 0; // an RRX offset
        }
        return false;
    }

    private void addRetired(int count) {
        if (count == 0) {
            return;
        }
        core();
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, CORE, "retired", "J");
        ldc((long) count);
        mv.visitInsn(LADD);
        mv.visitFieldInsn(PUTFIELD, CORE, "retired", "J");
    }

    private void flushRetired() {
        addRetired(pending);
        pending = 0;
    }

    /** Pushes R[n] (r15: the instruction's address + 8, a constant). */
    private void read(int n, Insn insn) {
        if (n == 15) {
            ldc(insn.pc + 8);
        } else {
            mv.visitVarInsn(ILOAD, R0 + n);
        }
    }

    /** Pops the stack into R[d] (d is never 15 here). */
    private void write(int d) {
        mv.visitVarInsn(ISTORE, R0 + d);
        dirty |= 1 << d;
    }

    /** Jumps to {@code skip} unless the instruction's condition passes (on the flags local). */
    private void conditionOrSkip(Insn insn, Label skip) {
        if (!insn.conditional()) {
            return;
        }
        int cond = insn.w >>> 28;
        if (lazyCondition(cond, skip)) {
            return;
        }
        materialize();
        ldc(ArmCore.conditionMask(cond));
        mv.visitVarInsn(ILOAD, FLAGS);
        ldc(28);
        mv.visitInsn(IUSHR);
        mv.visitInsn(IUSHR);
        ldc(1);
        mv.visitInsn(IAND);
        mv.visitJumpInsn(IFEQ, skip);
    }

    /**
     * After a compare a - b, by condition: the jump to the skip label, taken when the condition fails (the
     * opposite comparison), on a and b signed, or on a and b both moved by 2^31 (unsigned); -1 where the
     * condition is not such a comparison.
     */
    private static final int[] SKIP_SIGNED = {IF_ICMPNE, IF_ICMPEQ, -1, -1, -1, -1, -1, -1, -1, -1,
        IF_ICMPLT, IF_ICMPGE, IF_ICMPLE, IF_ICMPGT};
    private static final int[] SKIP_UNSIGNED = {-1, -1, IF_ICMPLT, IF_ICMPGE, -1, -1, -1, -1, IF_ICMPLE, IF_ICMPGT};
    /** EQ, NE, MI, PL on a result: the jump to the skip label, taken when the condition fails. */
    private static final int[] SKIP_ON_RESULT = {IFNE, IFEQ, -1, -1, IFGE, IFLT};

    /**
     * Jumps to {@code skip} unless condition {@code cond} holds, tested on the lazy flags' operands
     * (A8.3, the conditions after a compare: GE is a signed a >= b, HS an unsigned one, ...); false
     * when the flags are not lazy or the condition needs the flags word.
     */
    private boolean lazyCondition(int cond, Label skip) {
        switch (lazy) {
            case LAZY_SUB: {
                if (cond < SKIP_UNSIGNED.length && SKIP_UNSIGNED[cond] >= 0) {
                    // unsigned a vs b: both moved by 2^31, then signed
                    mv.visitVarInsn(ILOAD, FA);
                    ldc(Integer.MIN_VALUE);
                    mv.visitInsn(IADD);
                    mv.visitVarInsn(ILOAD, FB);
                    ldc(Integer.MIN_VALUE);
                    mv.visitInsn(IADD);
                    mv.visitJumpInsn(SKIP_UNSIGNED[cond], skip);
                    return true;
                }
                if (SKIP_SIGNED[cond] >= 0) {
                    mv.visitVarInsn(ILOAD, FA);
                    mv.visitVarInsn(ILOAD, FB);
                    mv.visitJumpInsn(SKIP_SIGNED[cond], skip);
                    return true;
                }
                if (cond == 4 || cond == 5) { // MI, PL: the sign of a - b
                    mv.visitVarInsn(ILOAD, FA);
                    mv.visitVarInsn(ILOAD, FB);
                    mv.visitInsn(ISUB);
                    mv.visitJumpInsn(cond == 4 ? IFGE : IFLT, skip);
                    return true;
                }
                return false;
            }
            case LAZY_ADD:
            case LAZY_LOGIC:
            case LAZY_LOGIC_C:
                if (cond <= 1 || cond == 4 || cond == 5) { // EQ, NE, MI, PL: the result
                    mv.visitVarInsn(ILOAD, FA);
                    if (lazy == LAZY_ADD) {
                        mv.visitVarInsn(ILOAD, FB);
                        mv.visitInsn(IADD);
                    }
                    mv.visitJumpInsn(SKIP_ON_RESULT[cond], skip);
                    return true;
                }
                if (lazy == LAZY_LOGIC_C && (cond == 2 || cond == 3)) { // CS, CC: the shifter's carry
                    mv.visitVarInsn(ILOAD, FB);
                    mv.visitJumpInsn(cond == 2 ? IFEQ : IFNE, skip);
                    return true;
                }
                return false;
            default:
                return false;
        }
    }

    // ---------------------------------------------------------------- exits

    /**
     * Leaves the run with the next PC {@code nextPc} after {@code executed} instructions of this pass,
     * writing every dirty local back.
     */
    private void exit(int nextPc, int executed) {
        exitVia(nextPc, executed, pending, dirty, flagsDirty);
    }

    /**
     * Leaves with the next PC, the value to return ({@code STEPS + executed}) and the instructions still to
     * add to the retired count in locals, through the write-back block this way out's dirty locals share
     * with other exits ({@link #writeBackTails}) and then the run's one exit tail: shared blocks keep the
     * method small for HotSpot.
     */
    private void exitVia(int nextPc, int executed, int retire, int dirtyRegs, boolean dirtyFlags) {
        ldc(nextPc);
        mv.visitVarInsn(ISTORE, NEXT_PC);
        mv.visitVarInsn(ILOAD, STEPS);
        ldc(executed);
        mv.visitInsn(IADD);
        mv.visitVarInsn(ISTORE, RESULT);
        ldc(retire);
        mv.visitVarInsn(ISTORE, RETIRE);
        exitTailUsed = true;
        if (dirtyRegs == 0 && !dirtyFlags) {
            mv.visitJumpInsn(GOTO, exitTail);
            return;
        }
        // the write-back reads only the register, flags and lazy-operand locals, which hold the same
        // values here and at the shared block; what it builds the flags word from is this point's state
        long key = (long) (dirtyFlags ? lazy : 0) << 32 | (dirtyFlags ? 1L << 16 : 0) | (dirtyRegs & 0xFFFF);
        mv.visitJumpInsn(GOTO, writeBackTails.computeIfAbsent(key, k -> new Label()));
    }

    private void emitExitTail() {
        mv.visitLabel(exitTail);
        core();
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, CORE, "retired", "J");
        mv.visitVarInsn(ILOAD, RETIRE);
        mv.visitInsn(I2L);
        mv.visitInsn(LADD);
        mv.visitFieldInsn(PUTFIELD, CORE, "retired", "J");
        core();
        mv.visitVarInsn(ILOAD, NEXT_PC);
        mv.visitFieldInsn(PUTFIELD, CORE, "nextPc", "I");
        core();
        mv.visitMethodInsn(INVOKEVIRTUAL, CORE, "commitPc", "()V", false);
        mv.visitVarInsn(ILOAD, RESULT);
        mv.visitInsn(IRETURN);
    }

    /**
     * The branch at index {@code from} (already counted in {@link #pending}) goes to instruction
     * {@code to} of this translation. Backwards, this is a loop's back edge: it goes round again only
     * when the budget holds another whole pass and no IRQ/FIQ line is high, else it leaves with the PC
     * at the target.
     */
    private void jump(int from, int to) {
        int n = code.size();
        // on the target's way in nothing is pending and allWrites are (assumed) dirty
        addRetired(pending);
        // STEPS = executed - index of the next instruction: executed grows by from + 1 - (its value's
        // index part), the next index becomes `to`
        int delta = from + 1 - to;
        if (delta != 0) {
            mv.visitIincInsn(STEPS, delta);
        }
        if (to > from) {
            intoTarget(to);
            mv.visitJumpInsn(GOTO, starts[to]);
            return;
        }
        Label leave = new Label();
        mv.visitVarInsn(ILOAD, STEPS);
        ldc(n);
        mv.visitInsn(IADD);
        mv.visitVarInsn(ILOAD, BUDGET);
        mv.visitJumpInsn(IF_ICMPGT, leave);
        core();
        mv.visitFieldInsn(GETFIELD, CORE, "irqLine", "Z");
        mv.visitJumpInsn(IFNE, leave);
        core();
        mv.visitFieldInsn(GETFIELD, CORE, "fiqLine", "Z");
        mv.visitJumpInsn(IFNE, leave);
        intoTarget(to);
        mv.visitJumpInsn(GOTO, starts[to]);
        mv.visitLabel(leave);
        // STEPS already counts this pass; the retired count is up to date
        exitVia(code.get(to).pc, to, 0, dirty, flagsDirty);
    }

    // ---------------------------------------------------------------- branches

    private void branch(int k, Insn insn) {
        Label notTaken = new Label();
        conditionOrSkip(insn, notTaken);
        int savedDirty = dirty;
        boolean savedFlagsDirty = flagsDirty;
        int savedPending = pending;
        int savedLazy = lazy;
        pending++; // the branch retires
        switch (insn.kind) {
            case B:
                if (insn.target >= 0) {
                    jump(k, insn.target);
                } else {
                    exit(insn.targetPc, k + 1);
                }
                break;
            case BL:
                ldc(insn.pc + 4);
                write(14);
                if (insn.target >= 0) {
                    jump(k, insn.target); // into a function this translation holds
                } else {
                    exit(insn.targetPc, k + 1);
                }
                break;
            default: { // BX, BLX (register): BXWritePC of Rm read before LR is written
                int m = insn.w & 15;
                read(m, insn);
                mv.visitVarInsn(ISTORE, OPERAND);
                if (returns(insn)) {
                    returnWithin(k, OPERAND);
                }
                if (insn.kind == Kind.BLX) {
                    ldc(insn.pc + 4);
                    write(14);
                }
                writeBack(dirty, flagsDirty);
                addRetired(pending);
                core();
                mv.visitVarInsn(ILOAD, OPERAND);
                mv.visitMethodInsn(INVOKEVIRTUAL, CORE, "bxWritePc", "(I)V", false);
                core();
                mv.visitMethodInsn(INVOKEVIRTUAL, CORE, "commitPc", "()V", false);
                mv.visitVarInsn(ILOAD, STEPS);
                ldc(k + 1);
                mv.visitInsn(IADD);
                mv.visitInsn(IRETURN);
                break;
            }
        }
        // not taken: on to the next instruction, the branch retired
        dirty = savedDirty;
        flagsDirty = savedFlagsDirty;
        pending = savedPending + 1;
        lazy = savedLazy;
        mv.visitLabel(notTaken);
    }

    /**
     * Return instruction {@code k} (retired, in {@link #pending}) branches to the address in int local
     * {@code target}: where that is one of {@link #returnSites}, jump there (a word-aligned address with
     * bit 0 clear: BXWritePC and LoadWritePC stay in ARM state, A2.3.2); else fall on to the code after,
     * which leaves. The compile-time state is the same after as before.
     */
    private void returnWithin(int k, int target) {
        for (int site : returnSites) {
            Label other = new Label();
            mv.visitVarInsn(ILOAD, target);
            ldc(code.get(site).pc);
            mv.visitJumpInsn(org.objectweb.asm.Opcodes.IF_ICMPNE, other);
            int savedDirty = dirty;
            boolean savedFlagsDirty = flagsDirty;
            int savedPending = pending;
            int savedLazy = lazy;
            jump(k, site);
            dirty = savedDirty;
            flagsDirty = savedFlagsDirty;
            pending = savedPending;
            lazy = savedLazy;
            mv.visitLabel(other);
        }
    }

    // ---------------------------------------------------------------- data processing and multiplies

    /** Emits a direct ALU or multiply instruction; its condition skips it. */
    private void alu(Insn insn) {
        Label skip = new Label();
        conditionOrSkip(insn, skip);
        int w = insn.w;
        switch (insn.kind) {
            case MOVW:
                ldc(((w >>> 4) & 0xF000) | (w & 0xFFF));
                write((w >>> 12) & 15);
                break;
            case MOVT: {
                int d = (w >>> 12) & 15;
                read(d, insn);
                ldc(0xFFFF);
                mv.visitInsn(IAND);
                ldc((((w >>> 4) & 0xF000) | (w & 0xFFF)) << 16);
                mv.visitInsn(IOR);
                write(d);
                break;
            }
            case MUL:
                multiply(insn);
                break;
            case MULL:
                multiplyLong(insn);
                break;
            case HALF_MUL:
                halfwordMultiply(insn);
                break;
            case EXTEND:
                extend(insn);
                break;
            case BITFIELD:
                bitfield(insn);
                break;
            case CLZ:
                read(w & 15, insn);
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "numberOfLeadingZeros", "(I)I", false);
                write((w >>> 12) & 15);
                break;
            case REV:
                read(w & 15, insn);
                if (insn.name.equals("REV")) {
                    mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "reverseBytes", "(I)I", false);
                } else {
                    mv.visitMethodInsn(INVOKESTATIC, SELF, "rev16", "(I)I", false);
                }
                write((w >>> 12) & 15);
                break;
            default:
                dataProcessing(insn);
                break;
        }
        if (insn.writesFlags) {
            flagsDirty = true;
            if (insn.conditional()) {
                materialize(); // the way past it that skips it has the flags local
            }
        }
        mv.visitLabel(skip);
    }

    /**
     * Computes the shifter operand into {@link #OPERAND} and, when {@code needCarry}, its carry out
     * (0 or 1) into {@link #CARRY}; returns false when the carry out is APSR.C unchanged (then CARRY is
     * not set). A5.2.1-A5.2.3.
     */
    private boolean shifterOperand(Insn insn, boolean needCarry) {
        int w = insn.w;
        switch (insn.kind) {
            case DP_IMM: {
                int rot = 2 * ((w >>> 8) & 15);
                int value = Integer.rotateRight(w & 0xFF, rot);
                ldc(value);
                mv.visitVarInsn(ISTORE, OPERAND);
                if (rot == 0) {
                    return false;
                }
                if (needCarry) {
                    ldc(value >>> 31);
                    mv.visitVarInsn(ISTORE, CARRY);
                }
                return true;
            }
            case DP_REG:
                return immediateShift(insn, w & 15, (w >>> 5) & 3, (w >>> 7) & 31, needCarry);
            default: { // DP_RSR: Shift_C(R[m], type, R[s]<7:0>, C)
                read(w & 15, insn);
                ldc((w >>> 5) & 3);
                read((w >>> 8) & 15, insn);
                ldc(0xFF);
                mv.visitInsn(IAND);
                carryIn();
                mv.visitMethodInsn(INVOKESTATIC, ALU, "shiftC", "(IIII)J", false);
                mv.visitVarInsn(LSTORE, VALUE);
                mv.visitVarInsn(LLOAD, VALUE);
                mv.visitInsn(L2I);
                mv.visitVarInsn(ISTORE, OPERAND);
                if (needCarry) {
                    mv.visitVarInsn(LLOAD, VALUE);
                    ldc(32);
                    mv.visitInsn(LUSHR);
                    mv.visitInsn(L2I);
                    ldc(1);
                    mv.visitInsn(IAND);
                    mv.visitVarInsn(ISTORE, CARRY);
                }
                return true;
            }
        }
    }

    /** Pushes APSR.C (0 or 1) from the flags local. */
    private void carryIn() {
        mv.visitVarInsn(ILOAD, FLAGS);
        ldc(29);
        mv.visitInsn(IUSHR);
        ldc(1);
        mv.visitInsn(IAND);
    }

    /** Shift_C(R[m], DecodeImmShift(type, imm5), C) into OPERAND (and CARRY); see {@link #shifterOperand}. */
    private boolean immediateShift(Insn insn, int m, int type, int imm5, boolean needCarry) {
        boolean carryOut = true;
        switch (type) {
            case 0: // LSL
                read(m, insn);
                if (imm5 == 0) {
                    carryOut = false;
                } else {
                    ldc(imm5);
                    mv.visitInsn(ISHL);
                    if (needCarry) {
                        shiftedBit(insn, m, 32 - imm5);
                    }
                }
                break;
            case 1: // LSR #1..32
                if (imm5 == 0) {
                    ldc(0);
                } else {
                    read(m, insn);
                    ldc(imm5);
                    mv.visitInsn(IUSHR);
                }
                if (needCarry) {
                    shiftedBit(insn, m, (imm5 == 0 ? 32 : imm5) - 1);
                }
                break;
            case 2: // ASR #1..32
                read(m, insn);
                ldc(imm5 == 0 ? 31 : imm5);
                mv.visitInsn(ISHR);
                if (needCarry) {
                    shiftedBit(insn, m, (imm5 == 0 ? 32 : imm5) - 1);
                }
                break;
            default:
                if (imm5 == 0) { // RRX
                    mv.visitVarInsn(ILOAD, FLAGS);
                    ldc(Psr.C);
                    mv.visitInsn(IAND);
                    ldc(2);
                    mv.visitInsn(ISHL);
                    read(m, insn);
                    ldc(1);
                    mv.visitInsn(IUSHR);
                    mv.visitInsn(IOR);
                    if (needCarry) {
                        shiftedBit(insn, m, 0);
                    }
                } else {
                    read(m, insn);
                    ldc(imm5);
                    mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "rotateRight", "(II)I", false);
                    if (needCarry) {
                        shiftedBit(insn, m, imm5 - 1);
                    }
                }
                break;
        }
        mv.visitVarInsn(ISTORE, OPERAND);
        return carryOut;
    }

    /** CARRY = (R[m] >>> bit) & 1. */
    private void shiftedBit(Insn insn, int m, int bit) {
        read(m, insn);
        ldc(bit);
        mv.visitInsn(IUSHR);
        ldc(1);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, CARRY);
    }

    private void dataProcessing(Insn insn) {
        int w = insn.w;
        int op = (w >>> 21) & 15;
        boolean compare = op >= 8 && op <= 11;
        boolean setFlags = compare || (w & S_BIT) != 0;
        boolean logical = op == 0 || op == 1 || op == 8 || op == 9 || op >= 12;
        boolean carryOut = shifterOperand(insn, setFlags && logical);
        int n = (w >>> 16) & 15;
        int d = (w >>> 12) & 15;
        if (logical) {
            switch (op) {
                case 0:
                case 8:
                    read(n, insn);
                    mv.visitVarInsn(ILOAD, OPERAND);
                    mv.visitInsn(IAND);
                    break;
                case 1:
                case 9:
                    read(n, insn);
                    mv.visitVarInsn(ILOAD, OPERAND);
                    mv.visitInsn(IXOR);
                    break;
                case 12:
                    read(n, insn);
                    mv.visitVarInsn(ILOAD, OPERAND);
                    mv.visitInsn(IOR);
                    break;
                case 13:
                    mv.visitVarInsn(ILOAD, OPERAND);
                    break;
                case 14:
                    read(n, insn);
                    mv.visitVarInsn(ILOAD, OPERAND);
                    ldc(-1);
                    mv.visitInsn(IXOR);
                    mv.visitInsn(IAND);
                    break;
                default: // MVN
                    mv.visitVarInsn(ILOAD, OPERAND);
                    ldc(-1);
                    mv.visitInsn(IXOR);
                    break;
            }
            if (setFlags) {
                // lazy: N and Z from the result, C from the shifter or unchanged, V unchanged (the flags
                // local holds the old ones: needsFlagsLocal)
                mv.visitInsn(DUP);
                mv.visitVarInsn(ISTORE, FA);
                if (carryOut) {
                    mv.visitVarInsn(ILOAD, CARRY);
                    mv.visitVarInsn(ISTORE, FB);
                }
                lazy = carryOut ? LAZY_LOGIC_C : LAZY_LOGIC;
            }
            if (compare) {
                mv.visitInsn(POP);
            } else {
                write(d);
            }
            return;
        }
        // arithmetic: a (+/-) b (+ carry)
        boolean reverse = op == 3 || op == 7;
        if (reverse) {
            mv.visitVarInsn(ILOAD, OPERAND);
            read(n, insn);
        } else {
            read(n, insn);
            mv.visitVarInsn(ILOAD, OPERAND);
        }
        String flagsOp;
        switch (op) {
            case 2:  // SUB
            case 3:  // RSB
            case 10: // CMP
                flagsOp = "sub";
                break;
            case 4:  // ADD
            case 11: // CMN
                flagsOp = "add";
                break;
            case 5: // ADC
                flagsOp = "adc";
                break;
            default: // SBC, RSC
                flagsOp = "sbc";
                break;
        }
        if (setFlags) {
            if (flagsOp.equals("sub") || flagsOp.equals("add")) {
                // lazy: the operands are kept, NZCV is built where something needs it (a compare has
                // no result)
                mv.visitVarInsn(ISTORE, FB);
                mv.visitVarInsn(ISTORE, FA);
                lazy = flagsOp.equals("sub") ? LAZY_SUB : LAZY_ADD;
                if (!compare) {
                    mv.visitVarInsn(ILOAD, FA);
                    mv.visitVarInsn(ILOAD, FB);
                    arithmeticResult(flagsOp);
                    write(d);
                }
                return;
            }
            // a b -> a b a b: the flags from the operands, then the result
            mv.visitVarInsn(ISTORE, ADDRESS);
            mv.visitVarInsn(ISTORE, OFFSET_ADDRESS);
            mv.visitVarInsn(ILOAD, OFFSET_ADDRESS);
            mv.visitVarInsn(ILOAD, ADDRESS);
            if (flagsOp.equals("adc") || flagsOp.equals("sbc")) {
                mv.visitVarInsn(ILOAD, FLAGS);
                mv.visitMethodInsn(INVOKESTATIC, SELF, flagsOp, "(III)I", false);
            } else {
                mv.visitMethodInsn(INVOKESTATIC, SELF, flagsOp, "(II)I", false);
            }
            // the result uses the old carry: compute it before the flags local changes
            mv.visitVarInsn(ILOAD, OFFSET_ADDRESS);
            mv.visitVarInsn(ILOAD, ADDRESS);
            arithmeticResult(flagsOp);
            mv.visitVarInsn(ISTORE, OPERAND);
            mv.visitVarInsn(ISTORE, FLAGS);
            if (!compare) {
                mv.visitVarInsn(ILOAD, OPERAND);
                write(d);
            }
        } else {
            arithmeticResult(flagsOp);
            write(d);
        }
    }

    /** a b on the stack -> the result of the operation (adc: a + b + C; sbc: a - b - NOT C). */
    private void arithmeticResult(String op) {
        switch (op) {
            case "sub":
                mv.visitInsn(ISUB);
                break;
            case "add":
                mv.visitInsn(IADD);
                break;
            case "adc":
                mv.visitInsn(IADD);
                carryIn();
                mv.visitInsn(IADD);
                break;
            default: // sbc: a + ~b + C = a - b - 1 + C
                mv.visitInsn(ISUB);
                ldc(1);
                mv.visitInsn(ISUB);
                carryIn();
                mv.visitInsn(IADD);
                break;
        }
    }

    private void multiply(Insn insn) {
        int w = insn.w;
        String name = insn.name;
        int d = (w >>> 16) & 15;
        read(w & 15, insn);
        read((w >>> 8) & 15, insn);
        mv.visitInsn(IMUL);
        if (name.equals("MLA")) {
            read((w >>> 12) & 15, insn);
            mv.visitInsn(IADD);
        } else if (name.equals("MLS")) {
            mv.visitVarInsn(ISTORE, OPERAND);
            read((w >>> 12) & 15, insn);
            mv.visitVarInsn(ILOAD, OPERAND);
            mv.visitInsn(ISUB);
        }
        if (insn.writesFlags) {
            mv.visitInsn(DUP);
            mv.visitVarInsn(ISTORE, FA);
            lazy = LAZY_LOGIC;
        }
        write(d);
    }

    /**
     * SMUL<x><y>, SMLA<x><y>, SMULW<y>, SMLAW<y>: the halfwords bit 5 (x, of Rn) and bit 6 (y, of Rm) select,
     * sign-extended; the W forms multiply all of Rn and keep bits 47:16. The accumulating forms set the
     * sticky Q flag (in the core's PSR, which translations do not hold in a local) when adding Ra
     * overflows as a signed 32-bit sum, and leave NZCV alone.
     */
    private void halfwordMultiply(Insn insn) {
        int w = insn.w;
        String name = insn.name;
        boolean wide = name.endsWith("Wy");
        read(w & 15, insn);
        if (wide) {
            mv.visitInsn(I2L);
        } else {
            half((w & 0x20) != 0);
        }
        read((w >>> 8) & 15, insn);
        half((w & 0x40) != 0);
        if (wide) {
            mv.visitInsn(I2L);
            mv.visitInsn(LMUL);
            ldc(16);
            mv.visitInsn(org.objectweb.asm.Opcodes.LSHR);
            mv.visitInsn(L2I);
        } else {
            mv.visitInsn(IMUL); // two 16-bit halves: the product fits
        }
        if (name.startsWith("SMLA")) {
            // OPERAND = the product, RESULT = product + Ra; Q if both addends' signs differ from the sum's
            mv.visitVarInsn(ISTORE, OPERAND);
            mv.visitVarInsn(ILOAD, OPERAND);
            read((w >>> 12) & 15, insn);
            mv.visitInsn(IADD);
            mv.visitVarInsn(ISTORE, RESULT);
            mv.visitVarInsn(ILOAD, OPERAND);
            mv.visitVarInsn(ILOAD, RESULT);
            mv.visitInsn(IXOR);
            read((w >>> 12) & 15, insn);
            mv.visitVarInsn(ILOAD, RESULT);
            mv.visitInsn(IXOR);
            mv.visitInsn(IAND);
            Label noOverflow = new Label();
            mv.visitJumpInsn(IFGE, noOverflow);
            core();
            mv.visitInsn(DUP);
            mv.visitFieldInsn(GETFIELD, CORE, "psr", "I");
            ldc(Psr.Q);
            mv.visitInsn(IOR);
            mv.visitFieldInsn(PUTFIELD, CORE, "psr", "I");
            mv.visitLabel(noOverflow);
            mv.visitVarInsn(ILOAD, RESULT);
        }
        write((w >>> 16) & 15);
    }

    /** Replaces the int on the stack by its top ({@code top}) or bottom halfword, sign-extended. */
    private void half(boolean top) {
        if (top) {
            ldc(16);
            mv.visitInsn(ISHR);
        } else {
            mv.visitInsn(I2S);
        }
    }

    private void multiplyLong(Insn insn) {
        int w = insn.w;
        String name = insn.name;
        boolean signed = name.startsWith("S");
        int hi = (w >>> 16) & 15;
        int lo = (w >>> 12) & 15;
        widen(insn, w & 15, signed);
        widen(insn, (w >>> 8) & 15, signed);
        mv.visitInsn(LMUL);
        if (name.endsWith("LAL")) {
            read(hi, insn);
            mv.visitInsn(I2L);
            ldc(32);
            mv.visitInsn(org.objectweb.asm.Opcodes.LSHL);
            widen(insn, lo, false);
            mv.visitInsn(org.objectweb.asm.Opcodes.LOR);
            mv.visitInsn(LADD);
        }
        mv.visitVarInsn(LSTORE, VALUE);
        if (insn.writesFlags) {
            mv.visitVarInsn(LLOAD, VALUE);
            mv.visitVarInsn(ILOAD, FLAGS);
            mv.visitMethodInsn(INVOKESTATIC, SELF, "logicalLong", "(JI)I", false);
            mv.visitVarInsn(ISTORE, FLAGS);
        }
        mv.visitVarInsn(LLOAD, VALUE);
        mv.visitInsn(L2I);
        write(lo);
        mv.visitVarInsn(LLOAD, VALUE);
        ldc(32);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
        write(hi);
    }

    /** Pushes R[r] as a long, sign- or zero-extended. */
    private void widen(Insn insn, int r, boolean signed) {
        read(r, insn);
        mv.visitInsn(I2L);
        if (!signed) {
            ldc(0xFFFF_FFFFL);
            mv.visitInsn(LAND);
        }
    }

    /** SXTB/SXTH/UXTB/UXTH and the accumulating forms (A8.8.221 ff.): extend(ROR(R[m], rotation)) (+ R[n]). */
    private void extend(Insn insn) {
        int w = insn.w;
        String name = insn.name;
        read(w & 15, insn);
        int rotation = 8 * ((w >>> 10) & 3);
        if (rotation != 0) {
            ldc(rotation);
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "rotateRight", "(II)I", false);
        }
        boolean half = name.endsWith("H");
        if (name.startsWith("S")) {
            mv.visitInsn(half ? I2S : I2B);
        } else {
            ldc(half ? 0xFFFF : 0xFF);
            mv.visitInsn(IAND);
        }
        if (name.contains("A")) {
            read((w >>> 16) & 15, insn);
            mv.visitInsn(IADD);
        }
        write((w >>> 12) & 15);
    }

    /** UBFX/SBFX (A8.8.246, A8.8.164) and BFI/BFC (A8.8.19, A8.8.18). */
    private void bitfield(Insn insn) {
        int w = insn.w;
        int d = (w >>> 12) & 15;
        int lsb = (w >>> 7) & 31;
        int field = (w >>> 16) & 31; // widthminus1, or msb
        switch (insn.name) {
            case "UBFX":
            case "SBFX": {
                int width = field + 1;
                read(w & 15, insn);
                ldc(32 - lsb - width);
                mv.visitInsn(ISHL);
                ldc(32 - width);
                mv.visitInsn(insn.name.equals("UBFX") ? IUSHR : ISHR);
                break;
            }
            default: { // BFI, BFC: bits msb:lsb of Rd replaced
                int mask = (int) (((1L << (field - lsb + 1)) - 1) << lsb);
                read(d, insn);
                ldc(~mask);
                mv.visitInsn(IAND);
                if (insn.name.equals("BFI")) {
                    read(w & 15, insn);
                    ldc(lsb);
                    mv.visitInsn(ISHL);
                    ldc(mask);
                    mv.visitInsn(IAND);
                    mv.visitInsn(IOR);
                }
                break;
            }
        }
        write(d);
    }

    // ---------------------------------------------------------------- loads and stores

    private void loadStore(int k, Insn insn) {
        int w = insn.w;
        String name = insn.name;
        boolean load = name.startsWith("LDR");
        boolean p = (w & (1 << 24)) != 0;
        boolean u = (w & (1 << 23)) != 0;
        boolean wback = !p || (w & (1 << 21)) != 0;
        int n = (w >>> 16) & 15;
        int t = (w >>> 12) & 15;
        boolean dual = insn.kind == Kind.DUAL;
        boolean half = dual || name.contains("H") || name.contains("SB");
        int size = dual ? 4 : half ? (name.contains("B") ? 1 : 2) : (name.contains("B") ? 1 : 4);
        boolean register = name.endsWith("_reg");
        Label done = new Label();
        Label slow = new Label();
        conditionOrSkip(insn, done);
        // offset: imm12, imm8 (halfword and dual forms), R[m] shifted (word/byte) or R[m]
        int imm = half ? ((w >>> 4) & 0xF0) | (w & 0xF) : w & 0xFFF;
        if (register && !half) {
            immediateShift(insn, w & 15, (w >>> 5) & 3, (w >>> 7) & 31, false); // into OPERAND
        }
        // offset address (R[n] +/- the offset) and address (the offset address, or R[n] post-indexed)
        read(n, insn);
        if (register) {
            if (half) {
                read(w & 15, insn);
            } else {
                mv.visitVarInsn(ILOAD, OPERAND);
            }
            mv.visitInsn(u ? IADD : ISUB);
        } else if (imm != 0) {
            ldc(imm);
            mv.visitInsn(u ? IADD : ISUB);
        }
        if (p) {
            if (wback) {
                mv.visitInsn(org.objectweb.asm.Opcodes.DUP);
                mv.visitVarInsn(ISTORE, OFFSET_ADDRESS);
            }
        } else {
            mv.visitVarInsn(ISTORE, OFFSET_ADDRESS);
            read(n, insn);
        }
        mv.visitVarInsn(ISTORE, ADDRESS);
        // the accesses: each probe that misses sends the whole instruction to its handler (the fast path
        // touches RAM only, so a first access done again there has no other effect)
        int accesses = dual ? 2 : 1;
        for (int a = 0; a < accesses; a++) {
            if (a > 0) {
                mv.visitVarInsn(ILOAD, ADDRESS);
                ldc(4 * a);
                mv.visitInsn(IADD);
                mv.visitVarInsn(ISTORE, PROBE_ADDRESS);
            }
            probe(load, size, a == 0 ? ADDRESS : PROBE_ADDRESS, a == 0 ? LOADED : LOADED2, t + a, insn, slow);
        }
        if (load) {
            // R[t] (and R[t2]), then the base: the pseudocode's order
            for (int a = 0; a < accesses; a++) {
                mv.visitVarInsn(ILOAD, a == 0 ? LOADED : LOADED2);
                if (name.startsWith("LDRSB")) {
                    mv.visitInsn(I2B);
                } else if (name.startsWith("LDRSH")) {
                    mv.visitInsn(I2S);
                }
                write(t + a);
            }
        }
        if (wback) {
            mv.visitVarInsn(ILOAD, OFFSET_ADDRESS);
            write(n);
        }
        // the slow path, out of line: the handler does the access as the interpreter would
        int dirtyHere = dirty;
        boolean flagsDirtyHere = flagsDirty;
        int pendingHere = pending;
        if (k > 0) {
            // off the fast path, later in a translation: leave it before this instruction, which the
            // interpreter (or the translation starting there) then runs; no rejoin, so HotSpot compiles a
            // simpler method (the miss is rare: a TLB refill, a device, a fault plan)
            addOutOfLine(() -> {
                mv.visitLabel(slow);
                exitVia(insn.pc, k, pendingHere, dirtyHere, flagsDirtyHere);
            });
            pending++;
            mv.visitLabel(done);
            return;
        }
        addOutOfLine(() -> {
            mv.visitLabel(slow);
            callSlowPath(k, insn, dirtyHere, flagsDirtyHere, pendingHere, false);
            Label leave = new Label();
            core();
            mv.visitFieldInsn(GETFIELD, CORE, "leaveBlock", "I");
            mv.visitJumpInsn(IFNE, leave);
            pageValidOrGo(leave);
            rejoin(insn, pendingHere, done);
            mv.visitLabel(leave);
            leaveAfterMemoryHandler(k, insn);
        });
        pending++;
        mv.visitLabel(done);
    }

    /**
     * LDM/STM in their four addressing modes (A8.8.57 ff., A8.8.198 ff.): one probe of the data fast path
     * for the whole range; loads go to temporaries first. A miss in the first
     * instruction runs the handler (as {@link #loadStore}); later, it leaves the translation before the
     * instruction. A load of the PC is a return: LoadWritePC, then the translation ends.
     */
    private void loadStoreMultiple(int k, Insn insn) {
        int w = insn.multiple;
        boolean load = (w & (1 << 20)) != 0;
        int n = (w >>> 16) & 15;
        int list = w & 0xFFFF;
        int count = Integer.bitCount(list);
        boolean wback = (w & (1 << 21)) != 0;
        boolean increment = (w & (1 << 23)) != 0;
        boolean before = (w & (1 << 24)) != 0;
        // the lowest address: IA Rn, IB Rn + 4, DA Rn - 4*count + 4, DB Rn - 4*count
        int start = increment ? (before ? 4 : 0) : (before ? -4 * count : -4 * count + 4);
        Label done = new Label();
        Label slow = new Label();
        conditionOrSkip(insn, done);
        read(n, insn);
        if (start != 0) {
            ldc(start);
            mv.visitInsn(IADD);
        }
        mv.visitVarInsn(ISTORE, ADDRESS);
        // one probe for the whole range (word-aligned, inside one page the data fast path holds), then
        // the words straight from the RAM array, as LoadStoreMultiple's own fast path does
        // (ArmCore.fastReadIndex / fastWriteIndex inline, on the TLB's arrays as constants)
        int set = load ? 0 : 2;
        tlbIndexOf(ADDRESS);
        tlbArray(set);
        mv.visitVarInsn(ILOAD, PROBE_INDEX);
        mv.visitInsn(IALOAD);
        mv.visitVarInsn(ISTORE, PROBE_ADDRESS); // the entry's tag
        mv.visitVarInsn(ILOAD, ADDRESS);
        ldc(0xFFFF_F003); // word-aligned, in the entry's page
        mv.visitInsn(IAND);
        mv.visitVarInsn(ILOAD, PROBE_ADDRESS);
        mv.visitJumpInsn(IF_ICMPNE, slow);
        mv.visitVarInsn(ILOAD, ADDRESS);
        ldc(4 * count - 1); // the last byte too
        mv.visitInsn(IADD);
        ldc(0xFFFF_F000);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ILOAD, PROBE_ADDRESS);
        mv.visitJumpInsn(IF_ICMPNE, slow);
        tlbArrayAndIndex(set, ADDRESS);
        mv.visitVarInsn(ISTORE, OFFSET_ADDRESS);
        mv.visitVarInsn(org.objectweb.asm.Opcodes.ASTORE, ARRAY);
        if (raw) {
            mv.visitVarInsn(ALOAD, ARRAY);
            mv.visitJumpInsn(org.objectweb.asm.Opcodes.IFNULL, slow); // see rawChunk
        }
        int slot = 0;
        for (int r = 0; r < 16; r++) {
            if ((list & (1 << r)) == 0) {
                continue;
            }
            if (raw) {
                mv.visitLdcInsn(BlockCompiler.classDataConstant(tlbConstants + 4, RAW_DESCRIPTORS[4]));
            }
            mv.visitVarInsn(ALOAD, ARRAY);
            mv.visitVarInsn(ILOAD, OFFSET_ADDRESS);
            if (slot > 0) {
                ldc(4 * slot);
                mv.visitInsn(IADD);
            }
            pageIndex();
            if (load) {
                pageLoad(4);
                mv.visitVarInsn(ISTORE, TEMP0 + slot);
            } else {
                read(r, insn);
                pageStore(4);
            }
            slot++;
        }
        if (load) {
            slot = 0;
            for (int r = 0; r < 15; r++) {
                if ((list & (1 << r)) != 0) {
                    mv.visitVarInsn(ILOAD, TEMP0 + slot++);
                    write(r);
                }
            }
        }
        if (wback) {
            read(n, insn);
            ldc(increment ? 4 * count : -4 * count);
            mv.visitInsn(IADD);
            write(n);
        }
        int dirtyHere = dirty;
        boolean flagsDirtyHere = flagsDirty;
        int pendingHere = pending;
        if (load && (list & 0x8000) != 0) {
            // the PC: LoadWritePC (interworking), everything written back, the translation ends, unless
            // it returns to a call of this translation
            pending++;
            returnWithin(k, TEMP0 + count - 1);
            writeBack(allWrites, allWritesFlags);
            addRetired(pending);
            core();
            mv.visitVarInsn(ILOAD, TEMP0 + count - 1);
            mv.visitMethodInsn(INVOKEVIRTUAL, CORE, "loadWritePc", "(I)V", false);
            core();
            mv.visitMethodInsn(INVOKEVIRTUAL, CORE, "commitPc", "()V", false);
            mv.visitVarInsn(ILOAD, STEPS);
            ldc(k + 1);
            mv.visitInsn(IADD);
            mv.visitInsn(IRETURN);
            pending = pendingHere;
        }
        addOutOfLine(() -> {
            mv.visitLabel(slow);
            if (k > 0) {
                exitVia(insn.pc, k, pendingHere, dirtyHere, flagsDirtyHere);
                return;
            }
            // the first instruction: its handler, which leaves the translation when it changed the PC
            callSlowPath(k, insn, dirtyHere, flagsDirtyHere, pendingHere, true);
            Label leave = new Label();
            core();
            mv.visitFieldInsn(GETFIELD, CORE, "leaveBlock", "I");
            mv.visitJumpInsn(IFNE, leave);
            core();
            mv.visitFieldInsn(GETFIELD, CORE, "nextPc", "I");
            ldc(insn.pc + 4);
            mv.visitJumpInsn(org.objectweb.asm.Opcodes.IF_ICMPNE, leave);
            pageValidOrGo(leave);
            rejoin(insn, pendingHere, done);
            mv.visitLabel(leave);
            // retired unless it took an exception; the next PC is what the handler (or a callback) left
            retireUnlessExceptionAndLeave(k);
        });
        pending++;
        mv.visitLabel(done);
    }

    /**
     * After the handler of memory instruction k (everything written back, the retired count up to date
     * before it) took an exception, halted or was redirected, or a store rewrote this page: leave.
     */
    private void leaveAfterMemoryHandler(int k, Insn insn) {
        Label keep = new Label();
        // if it retired, the next PC is the next instruction's, unless a callback redirected it
        core();
        mv.visitFieldInsn(GETFIELD, CORE, "exceptionTaken", "Z");
        mv.visitJumpInsn(IFNE, keep);
        core();
        mv.visitFieldInsn(GETFIELD, CORE, "leaveBlock", "I");
        ldc(ArmCore.LEAVE_REDIRECT);
        mv.visitInsn(IAND);
        mv.visitJumpInsn(IFNE, keep);
        core();
        ldc(insn.pc + 4);
        mv.visitFieldInsn(PUTFIELD, CORE, "nextPc", "I");
        mv.visitLabel(keep);
        retireUnlessExceptionAndLeave(k);
    }

    /** Instruction k retired unless it took an exception: count it, make the next PC current, return. */
    private void retireUnlessExceptionAndLeave(int k) {
        Label noRetire = new Label();
        core();
        mv.visitFieldInsn(GETFIELD, CORE, "exceptionTaken", "Z");
        mv.visitJumpInsn(IFNE, noRetire);
        addRetired(1);
        mv.visitLabel(noRetire);
        core();
        mv.visitMethodInsn(INVOKEVIRTUAL, CORE, "commitPc", "()V", false);
        mv.visitVarInsn(ILOAD, STEPS);
        ldc(k + 1);
        mv.visitInsn(IADD);
        mv.visitInsn(IRETURN);
    }

    /**
     * Memory instruction k off the fast path: the locals changed so far and the retired count written
     * back, the core's PC, word and r15 (the address + 8: a literal load's base) set as the interpreter
     * sets them (with {@code nextPc} too when the handler may change it), then the handler, through one
     * shared call site that sees every handler, so C2 does not inline the handler and the whole slow path
     * (translation, the bus, devices) into each translation.
     */
    private void callSlowPath(int k, Insn insn, int dirtyHere, boolean flagsDirtyHere, int pendingHere, boolean nextPc) {
        writeBack(dirtyHere, flagsDirtyHere);
        addRetired(pendingHere);
        core();
        ldc(insn.pc);
        mv.visitFieldInsn(PUTFIELD, CORE, "pc", "I");
        core();
        ldc(insn.w);
        mv.visitFieldInsn(PUTFIELD, CORE, "word", "I");
        regs();
        ldc(15);
        ldc(insn.pc + 8);
        mv.visitInsn(IASTORE);
        if (nextPc) {
            core();
            ldc(insn.pc + 4);
            mv.visitFieldInsn(PUTFIELD, CORE, "nextPc", "I");
        }
        ldc(BlockCompiler.handlerConstant(k));
        ldc(insn.w);
        mv.visitMethodInsn(INVOKESTATIC, SELF, "slowPath", "(L" + HANDLER + ";I)V", false);
    }

    /**
     * Back from a memory instruction's handler, still in the translation: the count its earlier
     * instructions were flushed with is taken back (they are counted again at the exit), R[t] (R[t2], the
     * list) and the base are read again — nothing else changed, since a register written from outside
     * (a debugger stopped in the access) set LEAVE_STATE and the run has left — and on to {@code done}.
     */
    private void rejoin(Insn insn, int pendingHere, Label done) {
        if (pendingHere > 0) {
            addRetired(-pendingHere);
        }
        loadLocals(insn.writes, false);
        mv.visitJumpInsn(GOTO, done);
    }

    private void pageValidOrGo(Label exit) {
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, name, "page", "L" + PAGE + ";");
        mv.visitFieldInsn(GETFIELD, PAGE, "valid", "Z");
        mv.visitJumpInsn(IFEQ, exit);
    }

    // ---------------------------------------------------------------- instructions run by their handlers

    /**
     * Runs instruction k's handler as {@link BlockCompiler} does, with the locals written back before
     * (only when its condition passes) and read again after.
     */
    private void handler(int k, Insn insn) {
        int w = insn.w;
        boolean memory = BlockCompiler.touchesMemory(insn.group);
        boolean readsPc = insn.group.equals("branch") || insn.group.equals("ldm") || BlockCompiler.namesR15(w);
        boolean quiet = (insn.group.equals("dataproc") || insn.group.equals("multiply")) && !readsPc;
        if (!quiet) {
            // an exception entry (its observers, the trace) or a device reads the time, which derives from
            // the count: it must be exact when the handler runs
            flushRetired();
        }
        int pendingAtExit = pending;
        Label skip = new Label();
        conditionOrSkip(insn, skip);
        writeBack(dirty, flagsDirty);
        if (!quiet) {
            core();
            ldc(insn.pc);
            mv.visitFieldInsn(PUTFIELD, CORE, "pc", "I");
            core();
            ldc(w);
            mv.visitFieldInsn(PUTFIELD, CORE, "word", "I");
            if (readsPc) {
                regs();
                ldc(15);
                ldc(insn.pc + 8);
                mv.visitInsn(IASTORE);
            }
            core();
            ldc(insn.pc + 4);
            mv.visitFieldInsn(PUTFIELD, CORE, "nextPc", "I");
        }
        ldc(BlockCompiler.handlerConstant(k));
        ldc(w);
        mv.visitMethodInsn(INVOKEINTERFACE, HANDLER, "execute", "(I)V", true);
        if (!quiet) {
            Label leave = new Label();
            // left the straight line? c.nextPc != pc + 4 || c.exceptionTaken || entered Thumb state
            core();
            mv.visitFieldInsn(GETFIELD, CORE, "nextPc", "I");
            ldc(insn.pc + 4);
            mv.visitJumpInsn(org.objectweb.asm.Opcodes.IF_ICMPNE, leave);
            core();
            mv.visitFieldInsn(GETFIELD, CORE, "exceptionTaken", "Z");
            mv.visitJumpInsn(IFNE, leave);
            if (readsPc) {
                core();
                mv.visitFieldInsn(GETFIELD, CORE, "psr", "I");
                ldc(Psr.T);
                mv.visitInsn(IAND);
                mv.visitJumpInsn(IFNE, leave);
            }
            if (memory) {
                core();
                mv.visitFieldInsn(GETFIELD, CORE, "leaveBlock", "I");
                mv.visitJumpInsn(IFNE, leave);
                pageValidOrGo(leave);
            }
            addOutOfLine(() -> {
                mv.visitLabel(leave);
                addRetired(pendingAtExit);
                retireUnlessExceptionAndLeave(k);
            });
        }
        // read again what the handler may have written
        reloadAfterHandler(insn);
        if (!insn.conditional()) {
            dirty = 0; // written back, and the locals now hold the core's values
            flagsDirty = false;
        }
        mv.visitLabel(skip);
        pending++;
    }

    /**
     * After a handler: LDM writes its list and the base, STM the base, other loads and stores registers
     * but never NZCV; anything else may write any register or the flags.
     */
    private void reloadAfterHandler(Insn insn) {
        int w = insn.w;
        int base = (w & (1 << 21)) != 0 ? 1 << ((w >>> 16) & 15) : 0;
        if (insn.name.startsWith("STM")) {
            loadLocals(base, false);
        } else if (insn.name.startsWith("LDM")) {
            loadLocals((w & 0x7FFF) | base, false);
        } else {
            boolean memory = BlockCompiler.touchesMemory(insn.group);
            loadLocals(used, !memory);
        }
    }

    // ---------------------------------------------------------------- flag helpers (inlined by C2)

    private static final java.lang.invoke.VarHandle WORD =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The little-endian word at {@code index} of a RAM array (LDM's fast path). */
    static int getWord(byte[] bytes, int index) {
        return (int) WORD.get(bytes, index);
    }

    private static final java.lang.invoke.VarHandle HALF =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(short[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The little-endian halfword at {@code index} of a RAM array, zero-extended. */
    static int getHalf(byte[] bytes, int index) {
        return (short) HALF.get(bytes, index) & 0xFFFF;
    }

    /** The byte at {@code index} of a RAM array, zero-extended. */
    static int getByte(byte[] bytes, int index) {
        return bytes[index] & 0xFF;
    }

    /** Stores a byte at {@code index} of a RAM array. */
    static void putByte(byte[] bytes, int index, int value) {
        bytes[index] = (byte) value;
    }

    /** Stores a little-endian halfword at {@code index} of a RAM array. */
    static void putHalf(byte[] bytes, int index, int value) {
        HALF.set(bytes, index, (short) value);
    }

    /** Stores a little-endian word at {@code index} of a RAM array (STM's fast path). */
    static void putWord(byte[] bytes, int index, int value) {
        WORD.set(bytes, index, value);
    }

    /** A load or store off the fast path: its handler, called from one place for every translation. */
    static void slowPath(A32Handler handler, int w) {
        handler.execute(w);
    }

    /** REV16: the bytes of each halfword swapped. */
    static int rev16(int x) {
        return ((x & 0x00FF_00FF) << 8) | ((x >>> 8) & 0x00FF_00FF);
    }

    /** N and Z from {@code result}, C and V unchanged. */
    static int logical(int result, int flags) {
        return (flags & (Psr.C | Psr.V)) | (result & Psr.N) | (result == 0 ? Psr.Z : 0);
    }

    /** N and Z from {@code result}, C from the shifter, V unchanged. */
    static int logicalC(int result, int flags, int carry) {
        return (flags & Psr.V) | (result & Psr.N) | (result == 0 ? Psr.Z : 0) | (carry << 29);
    }

    /** N and Z of a 64-bit result (the long multiplies), C and V unchanged. */
    static int logicalLong(long result, int flags) {
        return (flags & (Psr.C | Psr.V)) | ((int) (result >>> 32) & Psr.N) | (result == 0 ? Psr.Z : 0);
    }

    /** The NZCV word of lazy flags of kind {@code kind} (a LAZY_ constant) with operands a, b and the flags local {@code flags}. */
    static int flagsOf(int kind, int a, int b, int flags) {
        switch (kind) {
            case LAZY_SUB:
                return sub(a, b);
            case LAZY_ADD:
                return add(a, b);
            case LAZY_LOGIC:
                return logical(a, flags);
            case LAZY_LOGIC_C:
                return logicalC(a, flags, b);
            default:
                return flags;
        }
    }

    /** NZCV of AddWithCarry(a, b, 0). */
    static int add(int a, int b) {
        int r = a + b;
        int c = Integer.compareUnsigned(r, a) < 0 ? Psr.C : 0;
        int v = (((a ^ r) & (b ^ r)) >>> 31) << 28;
        return (r & Psr.N) | (r == 0 ? Psr.Z : 0) | c | v;
    }

    /** NZCV of AddWithCarry(a, NOT b, 1): a - b. */
    static int sub(int a, int b) {
        int r = a - b;
        int c = Integer.compareUnsigned(a, b) >= 0 ? Psr.C : 0;
        int v = (((a ^ b) & (a ^ r)) >>> 31) << 28;
        return (r & Psr.N) | (r == 0 ? Psr.Z : 0) | c | v;
    }

    /** NZCV of AddWithCarry(a, b, C). */
    static int adc(int a, int b, int flags) {
        long sum = Alu.addWithCarry(a, b, (flags >>> 29) & 1);
        int r = (int) sum;
        return (r & Psr.N) | (r == 0 ? Psr.Z : 0) | (Alu.carry(sum) << 29) | (Alu.overflow(sum) << 28);
    }

    /** NZCV of AddWithCarry(a, NOT b, C). */
    static int sbc(int a, int b, int flags) {
        return adc(a, ~b, flags);
    }
}
