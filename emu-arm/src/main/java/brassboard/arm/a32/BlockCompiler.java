package brassboard.arm.a32;

import static org.objectweb.asm.Opcodes.H_INVOKESTATIC;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PRIVATE;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.IASTORE;
import static org.objectweb.asm.Opcodes.IF_ICMPGT;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.IADD;
import static org.objectweb.asm.Opcodes.IAND;
import static org.objectweb.asm.Opcodes.IUSHR;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFNE;
import static org.objectweb.asm.Opcodes.IF_ICMPNE;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKEINTERFACE;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.LADD;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.PUTFIELD;
import static org.objectweb.asm.Opcodes.RETURN;
import static org.objectweb.asm.Opcodes.V17;

import brassboard.arm.core.ArmCore;
import java.lang.invoke.MethodHandles;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Translates hot straight-line A32 code into JVM bytecode, one hidden class per block, so that
 * HotSpot compiles guest code the way QEMU's TCG compiles it to host code.
 *
 * <p>The translation is a template: for each instruction it emits what the interpreter's step
 * does — set r15 and the next PC, test the condition, call the instruction's handler with the
 * instruction word as a constant, check whether execution left the straight line — but as its
 * own call site. Each call site then sees exactly one handler, so HotSpot inlines the handler
 * and folds the constant word into it: register numbers and shift amounts become constants.
 * Semantics stay those of the handlers; the conformance suite and the unit tests run through
 * blocks as much as through the interpreter.
 *
 * <p>A block is at most {@link #MAX_LENGTH} instructions from one page. It ends before an
 * instruction that changes state the run loop must look at between instructions — mode and
 * mask changes (status register access), coprocessor access, hints (WFI/WFE/SEV), exception
 * generation — or that does not decode; VFP instructions (whose UNDEFINED cases, FPEXC.EN off
 * included, are exits like any other exception) stay inside; it ends after a branch. Inside a block, an instruction
 * that writes the PC, takes an exception, halts the core or writes to the block's own page
 * ends the run there, and so does one naming r15 that entered Thumb state (an interworking write of
 * the next instruction's address): translated blocks only ever run in ARM state.
 */
public final class BlockCompiler {
    /** Longest block, in instructions. */
    public static final int MAX_LENGTH = 32;

    private static final String CORE = Type.getInternalName(ArmCore.class);
    private static final String BASE = Type.getInternalName(CompiledBlock.class);
    private static final String HANDLER = Type.getInternalName(A32Handler.class);
    private static final String PAGE = Type.getInternalName(CodeCache.Page.class);
    private static final String NAME = "brassboard/arm/a32/GeneratedBlock";
    /** The bootstrap of a constant taken from the hidden class's class data (a list): element {@code k}. */
    private static final Handle CLASS_DATA_AT = new Handle(H_INVOKESTATIC, "java/lang/invoke/MethodHandles", "classDataAt",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)Ljava/lang/Object;", false);

    private BlockCompiler() {
    }

    /** Whether instructions of this encoding group may sit inside a block (before its last instruction). */
    static boolean straightLine(String group) {
        switch (group) {
            case "dataproc":
            case "multiply":
            case "media":
            case "loadstore":
            case "sync":
            case "ldm":
            case "vfp":
            case "vfpldst":
            case "vfpxfer":
            case "simd3":
            case "simdimm":
            case "simdshift":
            case "simdmisc":
            case "simdldst":
            case "simdlong":
                return true;
            default:
                return false;
        }
    }

    static boolean touchesMemory(String group) {
        return group.equals("loadstore") || group.equals("sync") || group.equals("ldm") || group.equals("vfpldst") || group.equals("simdldst");
    }

    /**
     * Compiles the block starting at instruction {@code first} of {@code page}; {@code null} when
     * the instruction there cannot start a block. The block stops before any address in
     * {@code hooks} (may be {@code null}) and does not loop by itself when it starts at one.
     */
    static CompiledBlock compile(CodeCache cache, CodeCache.Page page, int first, PcHooks hooks) {
        if (A32Translator.ENABLED) {
            return A32Translator.compile(cache, page, first, hooks);
        }
        int n = 0;
        int[] words = new int[MAX_LENGTH];
        A32Handler[] handlers = new A32Handler[MAX_LENGTH];
        boolean[] memory = new boolean[MAX_LENGTH];
        boolean[] readsPc = new boolean[MAX_LENGTH];
        boolean[] quiet = new boolean[MAX_LENGTH];
        for (int i = first; i < 1024 && n < MAX_LENGTH; i++) {
            if (i > first && hooks != null && hooks.contains(page.base + 4 * i)) {
                break;
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
            String group = A32Decoder.encoding(e).group();
            boolean branch = group.equals("branch");
            if (!straightLine(group) && !branch) {
                break;
            }
            words[n] = w;
            handlers[n] = h;
            memory[n] = touchesMemory(group);
            readsPc[n] = branch || group.equals("ldm") || namesR15(w);
            // A data-processing or multiply instruction that names no r15 can neither branch nor raise
            // an exception (every UNPREDICTABLE case of these classes that the handlers act on involves
            // the PC; the multiplies' others, such as RdHi == RdLo, are computed through): it needs no
            // PC bookkeeping and no check afterwards.
            quiet[n] = (group.equals("dataproc") || group.equals("multiply")) && !readsPc[n];
            n++;
            if (branch) {
                break;
            }
        }
        if (n == 0) {
            return null;
        }
        int pc0 = page.base + first * 4;
        int last = words[n - 1];
        // "B<c> <start>" closing the block: a loop the block can run by itself
        boolean selfLoop = A32Decoder.encoding(A32Decoder.decode(last)).name().equals("B")
                && pc0 + 4 * (n - 1) + 8 + ((last << 8) >> 6) == pc0
                && (hooks == null || !hooks.contains(pc0));
        int[] pcs = new int[n];
        int[] sizes = new int[n];
        for (int k = 0; k < n; k++) {
            pcs[k] = pc0 + 4 * k;
            sizes[k] = 4;
        }
        // A load or store naming no r15 (not LDM, whose list may hold the PC) cannot write the PC: only
        // an abort, an UNDEFINED case, a halt or a callback's redirect take it off the straight line,
        // and each of those sets c.leaveBlock, so it needs no next-PC store and read-back.
        boolean[] noPcWrite = new boolean[n];
        for (int k = 0; k < n; k++) {
            noPcWrite[k] = memory[k] && !readsPc[k];
        }
        return load(page, generate(pcs, sizes, false, words, memory, readsPc, quiet, noPcWrite, selfLoop, n), handlers, n,
                selfLoop, 4 * n);
    }

    /**
     * Translates a straight run of T32 instructions of {@code page} (decoded by the T32 interpreter):
     * instruction k at {@code pcs[k]}, {@code sizes[k]} bytes, executed by {@code handlers[k]} with
     * {@code words[k]}. The block runs only with ITSTATE clear and holds no IT instruction, so every
     * instruction executes unconditionally; r15 reads as the address + 4; it stops after an instruction
     * that left Thumb state. {@code quiet[k]}: can neither branch nor raise an exception (no PC
     * bookkeeping, no check); {@code memory[k]}: accesses memory. {@code selfLoop}: the last instruction
     * branches to the first.
     */
    public static CompiledBlock compileThumb(CodeCache.Page page, int[] pcs, int[] sizes, int[] words, A32Handler[] handlers,
                                             boolean[] memory, boolean[] quiet, boolean selfLoop, int n) {
        boolean[] readsPc = new boolean[n];
        java.util.Arrays.fill(readsPc, true);
        int span = pcs[n - 1] + sizes[n - 1] - pcs[0];
        return load(page, generate(pcs, sizes, true, words, memory, readsPc, quiet, new boolean[n], selfLoop, n), handlers, n,
                selfLoop, span);
    }

    static CompiledBlock load(CodeCache.Page page, byte[] bytes, A32Handler[] handlers, int n, boolean selfLoop, int span) {
        return load(page, bytes, handlers, n, selfLoop, span, new Object[0]);
    }

    /**
     * Defines and instantiates a translation whose class data is its {@code n} handlers followed by
     * {@code constants} (class-data constant {@code n + j} is {@code constants[j]}, see {@link #classDataConstant}).
     */
    static CompiledBlock load(CodeCache.Page page, byte[] bytes, A32Handler[] handlers, int n, boolean selfLoop, int span,
            Object[] constants) {
        Object[] data = java.util.Arrays.copyOf(handlers, n + constants.length, Object[].class);
        System.arraycopy(constants, 0, data, n, constants.length);
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup()
                    .defineHiddenClassWithClassData(bytes, java.util.List.of(data), true);
            CompiledBlock block = (CompiledBlock) lookup.lookupClass()
                    .getDeclaredConstructor(A32Handler[].class, CodeCache.Page.class)
                    .newInstance(java.util.Arrays.copyOf(handlers, n), page);
            block.loops = selfLoop;
            block.cyclic = selfLoop;
            block.span = span;
            return block;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the translation of a block of page 0x"
                    + Integer.toHexString(page.base), e);
        }
    }

    /**
     * Whether any register field of a straight-line encoding (bits 19:16, 15:12, 11:8, 3:0) could
     * name r15; only then does the instruction need r15 set to its address + 8. Conservative: an
     * immediate that happens to hold 1111 there counts too.
     */
    static boolean namesR15(int w) {
        return ((w >>> 16) & 15) == 15 || ((w >>> 12) & 15) == 15 || ((w >>> 8) & 15) == 15 || (w & 15) == 15;
    }

    /** c.retired += count */
    private static void addRetired(MethodVisitor mv, int count) {
        mv.visitVarInsn(ALOAD, 1);
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, CORE, "retired", "J");
        mv.visitLdcInsn((long) count);
        mv.visitInsn(LADD);
        mv.visitFieldInsn(PUTFIELD, CORE, "retired", "J");
    }

    /**
     * The block's class. Instruction k is at {@code pcs[k]} and {@code sizes[k]} bytes long; in a
     * {@code thumb} block r15 reads as the address + 4 (else + 8), instructions execute unconditionally
     * (else under their condition field), and leaving the straight line includes leaving Thumb state
     * (else entering it). {@code noPcWrite[k]}: a memory access that cannot write the PC, whose leaving the
     * straight line {@code c.leaveBlock} alone tells.
     */
    private static byte[] generate(int[] pcs, int[] sizes, boolean thumb, int[] words, boolean[] memory, boolean[] readsPc,
                                   boolean[] quiet, boolean[] noPcWrite, boolean selfLoop, int n) {
        int pc0 = pcs[0];
        ClassWriter cw = classWithConstructor(NAME, n);

        // int run(ArmCore c, int budget); local 3: steps of earlier passes of a self-loop
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "run", "(L" + CORE + ";I)I", null, null);
        mv.visitCode();
        mv.visitLdcInsn(0);
        mv.visitVarInsn(ISTORE, 3);
        Label loop = new Label();
        mv.visitLabel(loop);
        // c.exceptionTaken = false
        mv.visitVarInsn(ALOAD, 1);
        mv.visitLdcInsn(0);
        mv.visitFieldInsn(PUTFIELD, CORE, "exceptionTaken", "Z");
        boolean anyMemory = false;
        for (int k = 0; k < n; k++) {
            anyMemory |= memory[k];
        }
        if (anyMemory) {
            // c.leaveBlock = 0: after a memory access the block tests it instead of c.halted
            mv.visitVarInsn(ALOAD, 1);
            mv.visitLdcInsn(0);
            mv.visitFieldInsn(PUTFIELD, CORE, "leaveBlock", "I");
        }
        Label[] exits = new Label[n];
        // Instructions retired but not yet added to c.retired: the count is flushed before every
        // instruction that may access memory or raise an exception (a device or an exception's observers
        // read the core's time, which derives from it) and at exits.
        int[] pendingAtExit = new int[n];
        int pending = 0;
        for (int k = 0; k < n; k++) {
            int pc = pcs[k];
            int w = words[k];
            exits[k] = new Label();
            if (!quiet[k] && pending > 0) {
                // an exception entry (its observers) or a device reads the time: the count must be exact
                addRetired(mv, pending);
                pending = 0;
            }
            pendingAtExit[k] = pending;
            if (quiet[k]) {
                executeIfConditionPasses(mv, k, w, thumb);
                pending++;
                continue;
            }
            if (noPcWrite[k]) {
                setPcAndWord(mv, pc, w); // no c.nextPc: the exit sets it
                executeIfConditionPasses(mv, k, w, thumb);
                // an exception, a halt or a redirect: c.leaveBlock != 0
                mv.visitVarInsn(ALOAD, 1);
                mv.visitFieldInsn(GETFIELD, CORE, "leaveBlock", "I");
                mv.visitJumpInsn(IFNE, exits[k]);
                pageStillValid(mv, exits[k]);
                pending++;
                continue;
            }
            setPcAndWord(mv, pc, w);
            if (readsPc[k]) {
                // c.r[15] = pc + 8 (Thumb: pc + 4)
                mv.visitVarInsn(ALOAD, 1);
                mv.visitFieldInsn(GETFIELD, CORE, "r", "[I");
                mv.visitLdcInsn(15);
                mv.visitLdcInsn(pc + (thumb ? 4 : 8));
                mv.visitInsn(IASTORE);
            }
            // c.nextPc = pc + size
            mv.visitVarInsn(ALOAD, 1);
            mv.visitLdcInsn(pc + sizes[k]);
            mv.visitFieldInsn(PUTFIELD, CORE, "nextPc", "I");
            executeIfConditionPasses(mv, k, w, thumb);
            if (selfLoop && k == n - 1) {
                // taken back to the start: another pass if the budget allows and no interrupt waits
                Label notLoop = new Label();
                Label done = new Label();
                mv.visitVarInsn(ALOAD, 1);
                mv.visitFieldInsn(GETFIELD, CORE, "nextPc", "I");
                mv.visitLdcInsn(pc0);
                mv.visitJumpInsn(IF_ICMPNE, notLoop);
                mv.visitVarInsn(ALOAD, 1);
                mv.visitFieldInsn(GETFIELD, CORE, "exceptionTaken", "Z");
                mv.visitJumpInsn(IFNE, notLoop);
                addRetired(mv, pending + 1);
                mv.visitIincInsn(3, n);
                mv.visitVarInsn(ILOAD, 3);
                mv.visitLdcInsn(n);
                mv.visitInsn(IADD);
                mv.visitVarInsn(ILOAD, 2);
                mv.visitJumpInsn(IF_ICMPGT, done);
                mv.visitVarInsn(ALOAD, 1);
                mv.visitFieldInsn(GETFIELD, CORE, "irqLine", "Z");
                mv.visitJumpInsn(IFNE, done);
                mv.visitVarInsn(ALOAD, 1);
                mv.visitFieldInsn(GETFIELD, CORE, "fiqLine", "Z");
                mv.visitJumpInsn(IFNE, done);
                mv.visitVarInsn(ALOAD, 1);
                mv.visitMethodInsn(INVOKEVIRTUAL, CORE, "commitPc", "()V", false);
                mv.visitJumpInsn(GOTO, loop);
                mv.visitLabel(done);
                mv.visitVarInsn(ALOAD, 1);
                mv.visitMethodInsn(INVOKEVIRTUAL, CORE, "commitPc", "()V", false);
                mv.visitVarInsn(ILOAD, 3);
                mv.visitInsn(IRETURN);
                mv.visitLabel(notLoop);
            }
            // left the straight line? c.nextPc != pc + size || c.exceptionTaken (|| c.halted || !page.valid)
            mv.visitVarInsn(ALOAD, 1);
            mv.visitFieldInsn(GETFIELD, CORE, "nextPc", "I");
            mv.visitLdcInsn(pc + sizes[k]);
            mv.visitJumpInsn(IF_ICMPNE, exits[k]);
            mv.visitVarInsn(ALOAD, 1);
            mv.visitFieldInsn(GETFIELD, CORE, "exceptionTaken", "Z");
            mv.visitJumpInsn(IFNE, exits[k]);
            if (readsPc[k]) {
                // an interworking PC write (ALU or load) to the very next address entered Thumb state:
                // the rest of the block is not A32 code any more
                mv.visitVarInsn(ALOAD, 1);
                mv.visitFieldInsn(GETFIELD, CORE, "psr", "I");
                mv.visitLdcInsn(brassboard.arm.core.Psr.T);
                mv.visitInsn(IAND);
                mv.visitJumpInsn(thumb ? IFEQ : IFNE, exits[k]);
            }
            if (memory[k]) {
                // a device access may have halted the core (e.g. --until matched on UART output) or a
                // callback redirected it (c.leaveBlock): stop at the instruction that did it
                mv.visitVarInsn(ALOAD, 1);
                mv.visitFieldInsn(GETFIELD, CORE, "leaveBlock", "I");
                mv.visitJumpInsn(IFNE, exits[k]);
                pageStillValid(mv, exits[k]);
            }
            pending++;
        }
        // fell through the whole block: the next instruction is the one after the last
        if (pending > 0) {
            addRetired(mv, pending);
        }
        mv.visitVarInsn(ALOAD, 1);
        mv.visitLdcInsn(pcs[n - 1] + sizes[n - 1]);
        mv.visitFieldInsn(PUTFIELD, CORE, "nextPc", "I");
        mv.visitVarInsn(ALOAD, 1);
        mv.visitMethodInsn(INVOKEVIRTUAL, CORE, "commitPc", "()V", false);
        mv.visitVarInsn(ILOAD, 3);
        mv.visitLdcInsn(n);
        mv.visitInsn(IADD);
        mv.visitInsn(IRETURN);
        for (int k = 0; k < n; k++) {
            if (quiet[k]) {
                continue; // never leaves the straight line: no exit
            }
            // instruction k left the straight line: it retired unless it took an exception
            mv.visitLabel(exits[k]);
            if (pendingAtExit[k] > 0) {
                addRetired(mv, pendingAtExit[k]);
            }
            Label noRetire = new Label();
            mv.visitVarInsn(ALOAD, 1);
            mv.visitFieldInsn(GETFIELD, CORE, "exceptionTaken", "Z");
            mv.visitJumpInsn(IFNE, noRetire);
            addRetired(mv, 1);
            if (noPcWrite[k]) {
                // it retired: the next PC is the next instruction's, unless a callback redirected it
                mv.visitVarInsn(ALOAD, 1);
                mv.visitFieldInsn(GETFIELD, CORE, "leaveBlock", "I");
                mv.visitLdcInsn(ArmCore.LEAVE_REDIRECT);
                mv.visitInsn(IAND);
                mv.visitJumpInsn(IFNE, noRetire);
                mv.visitVarInsn(ALOAD, 1);
                mv.visitLdcInsn(pcs[k] + sizes[k]);
                mv.visitFieldInsn(PUTFIELD, CORE, "nextPc", "I");
            }
            mv.visitLabel(noRetire);
            mv.visitVarInsn(ALOAD, 1);
            mv.visitMethodInsn(INVOKEVIRTUAL, CORE, "commitPc", "()V", false);
            mv.visitVarInsn(ILOAD, 3);
            mv.visitLdcInsn(k + 1);
            mv.visitInsn(IADD);
            mv.visitInsn(IRETURN);
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * A translation's class {@code name} (a {@link CompiledBlock} of {@code n} instructions with a final
     * {@code page} field), with its constructor {@code (A32Handler[] handlers, CodeCache.Page page)}
     * written; the caller adds {@code run}.
     */
    static ClassWriter classWithConstructor(String name, int n) {
        return classWithConstructor(name, n, new String[0]);
    }

    /**
     * {@link #classWithConstructor(String, int)} for a class whose class data also holds, after its {@code n}
     * handlers, constants of the types {@code constants} (descriptors), resolved by the constructor too.
     */
    static ClassWriter classWithConstructor(String name, int n, String[] constants) {
        return classWithConstructor(name, n, constants, true);
    }

    /**
     * {@link #classWithConstructor(String, int, String[])}, with ASM computing {@code run}'s stack map
     * frames when {@code computeFrames} (else the caller writes them: {@link A32Translator} does, which
     * spares ASM's data-flow analysis and HotSpot's compiles of it).
     */
    static ClassWriter classWithConstructor(String name, int n, String[] constants, boolean computeFrames) {
        ClassWriter cw = new ClassWriter(computeFrames ? ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS : ClassWriter.COMPUTE_MAXS);
        cw.visit(V17, ACC_FINAL | ACC_SUPER, name, null, BASE, null);
        cw.visitField(ACC_PRIVATE | ACC_FINAL, "page", "L" + PAGE + ";", null, null).visitEnd();
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "([L" + HANDLER + ";L" + PAGE + ";)V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitLdcInsn(n);
        init.visitMethodInsn(INVOKESPECIAL, BASE, "<init>", "(I)V", false);
        for (int k = 0; k < n; k++) {
            // resolves handler constant k now: HotSpot does not compile a method with an unresolved
            // dynamic constant (an instruction whose condition never passed yet would keep run() interpreted)
            init.visitLdcInsn(handlerConstant(k));
            init.visitInsn(POP);
        }
        for (int j = 0; j < constants.length; j++) {
            init.visitLdcInsn(classDataConstant(n + j, constants[j]));
            init.visitInsn(POP);
        }
        init.visitVarInsn(ALOAD, 0);
        init.visitVarInsn(ALOAD, 2);
        init.visitFieldInsn(PUTFIELD, name, "page", "L" + PAGE + ";");
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        return cw;
    }

    /** {@code c.pc = pc; c.word = w}: exception entry and UNDEFINED reports read them. */
    private static void setPcAndWord(MethodVisitor mv, int pc, int w) {
        mv.visitVarInsn(ALOAD, 1);
        mv.visitLdcInsn(pc);
        mv.visitFieldInsn(PUTFIELD, CORE, "pc", "I");
        mv.visitVarInsn(ALOAD, 1);
        mv.visitLdcInsn(w);
        mv.visitFieldInsn(PUTFIELD, CORE, "word", "I");
    }

    /** A store into this page (self-modifying code) invalidated it: go to {@code exit}. */
    private static void pageStillValid(MethodVisitor mv, Label exit) {
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, NAME, "page", "L" + PAGE + ";");
        mv.visitFieldInsn(GETFIELD, PAGE, "valid", "Z");
        mv.visitJumpInsn(IFEQ, exit);
    }

    /** Handler k of the block: element k of the class data. */
    /** Class-data constant {@code index} of a translation, of type {@code descriptor}. */
    static ConstantDynamic classDataConstant(int index, String descriptor) {
        return new ConstantDynamic("_", descriptor, CLASS_DATA_AT, index);
    }

    static ConstantDynamic handlerConstant(int k) {
        return new ConstantDynamic("_", "L" + HANDLER + ";", CLASS_DATA_AT, k);
    }

    /** {@code if (cond >= AL || ConditionPassed(cond)) h<k>.execute(w);} for instruction word {@code w}. */
    private static void executeIfConditionPasses(MethodVisitor mv, int k, int w, boolean thumb) {
        Label skip = new Label();
        int cond = w >>> 28;
        if (cond < 0xE && !thumb) {
            // ConditionPassed() as (mask >>> (c.flags >>> 28)) & 1 with the condition's NZCV mask a
            // constant: a few ALU operations instead of a call and a table load with its bounds check
            mv.visitLdcInsn(ArmCore.conditionMask(cond));
            mv.visitVarInsn(ALOAD, 1);
            mv.visitFieldInsn(GETFIELD, CORE, "flags", "I");
            mv.visitLdcInsn(28);
            mv.visitInsn(IUSHR);
            mv.visitInsn(IUSHR);
            mv.visitLdcInsn(1);
            mv.visitInsn(IAND);
            mv.visitJumpInsn(IFEQ, skip);
        }
        // the handler is a constant of the class (its class data), not a field: C2 then knows its exact
        // class and inlines the call whatever the call site's profile says (a field load gave C2 no
        // receiver type whenever the block was compiled without a type profile, and the call stayed
        // an interface call: docs/speed.md)
        mv.visitLdcInsn(handlerConstant(k));
        mv.visitLdcInsn(w);
        mv.visitMethodInsn(INVOKEINTERFACE, HANDLER, "execute", "(I)V", true);
        mv.visitLabel(skip);
    }
}
