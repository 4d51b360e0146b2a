package brassboard.arm.a32;

import brassboard.arm.disasm.A32Disassembler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A random but meaningful A32 program for differential tests of the block translator, made from one
 * seed: data processing with every opcode, operand form and condition, multiplies, media, loads and
 * stores of every size and addressing mode (some misaligned, some to a device, some to nothing, some
 * into the code itself), LDM / STM / PUSH / POP, MRS / MSR, LDREX / STREX, VFP (with VMRS to the
 * flags), SVC / UDF, forward
 * conditional branches, bounded counted loops, calls to leaf functions, and a final {@code b .}.
 *
 * <p>Register conventions keep every program free of UNPREDICTABLE encodings (ARM ARM DDI 0406C, A8)
 * and its addresses where they are meant to be:
 * <ul>
 * <li>r0-r7: data; the only destinations of data-processing, multiply, media and load instructions;</li>
 * <li>r8: the loop counter (written only by a loop's own set-up and closing instructions);</li>
 * <li>r9: a moving data pointer (the only base register with writeback), kept within
 *     {@link #MAX_DRIFT} bytes of r10 by resets ({@code mov r9, r10}) where the generator's
 *     conservative bound says so;</li>
 * <li>r10: the fixed data pointer, the middle of the data area;</li>
 * <li>r11: an index register, 0-255, for register offsets; also the counter (0-4) of a loop nested in
 *     another, inside which nothing else writes it;</li>
 * <li>r12: a scratch pointer set just before a special access (device, nothing, the code page);</li>
 * <li>r13: the stack pointer (PUSH / POP are balanced inside one item);</li>
 * <li>r14: the link register (BL / BX LR);</li>
 * <li>r15: read as a source now and then (the address + 8); written only by branches, by the
 *     deliberate exit {@code add<c> pc, pc, #imm}, and by the returns of leaf functions.</li>
 * </ul>
 *
 * <p>Memory map the program assumes (see {@code BlockFuzzTest.Rig}): the exception vectors in RAM at 0
 * ({@link #VECTORS}); 64 KiB of RAM at {@link #RAM_BASE} holding the code (from {@link #origin}, which may
 * sit just before a page boundary), the data area ({@link #DATA}) and the stack ({@link #STACK}); a
 * counting device at {@link #DEVICE}; nothing at {@link #NOWHERE}.
 */
final class RandomBlockProgram {
    static final int RAM_BASE = 0x4000_0000;
    static final int RAM_SIZE = 0x1_0000;
    /** The data area: 16 KiB; r10 points at its middle. */
    static final int DATA = 0x4000_8000;
    static final int DATA_SIZE = 0x4000;
    static final int DATA_POINTER = DATA + DATA_SIZE / 2;
    /** The initial stack pointer (the stack grows down, above the data area). */
    static final int STACK = 0x4000_F000;
    /** A device that answers reads with a counter mixed with the core's retired count and logs writes. */
    static final int DEVICE = 0x1000_0000;
    static final int DEVICE_SIZE = 0x1000;
    /** Device offset whose write acknowledges (lowers) the IRQ: the IRQ handler stores LR there. */
    static final int DEVICE_ACK = 0x800;
    /** Unmapped: any access is a bus error, i.e. a precise external data abort. */
    static final int NOWHERE = 0x2000_0000;
    /** The vector page (RAM at 0: SCTLR.V is 0 at reset). */
    static final int VECTORS = 0;
    /** Where the IRQ vector branches to. */
    static final int IRQ_HANDLER = 0x100;
    /** Largest distance between r9 and r10 the generator allows (the data area has room for it and the offsets). */
    static final int MAX_DRIFT = 1536;

    /**
     * The vector table and handlers: undefined and SVC return to the next instruction; a data abort
     * returns past the faulting instruction; an IRQ acknowledges at the device (r13_irq points at
     * {@link #DEVICE_ACK}) and returns to the interrupted one; reset, prefetch abort and FIQ stop ({@code b .}).
     */
    static int[] vectors() {
        int[] v = new int[IRQ_HANDLER / 4 + 2];
        Arrays.fill(v, 0xEAFFFFFE);                 // b .
        v[1] = 0xE1B0F00E;                          // 0x04 undefined: movs pc, lr
        v[2] = 0xE1B0F00E;                          // 0x08 svc: movs pc, lr
        v[4] = 0xE25EF004;                          // 0x10 data abort: subs pc, lr, #4
        v[6] = 0xEA000000 | ((IRQ_HANDLER - 0x18 - 8) >> 2); // 0x18 irq: b IRQ_HANDLER
        v[IRQ_HANDLER / 4] = 0xE58DE000;            // str lr, [sp]
        v[IRQ_HANDLER / 4 + 1] = 0xE25EF004;        // subs pc, lr, #4
        return v;
    }

    final long seed;
    /** Address of the first instruction. */
    final int origin;
    final int[] words;
    /** Address of the final {@code b .}. */
    final int stop;
    /** Initial r0-r14 (random data in r0-r7; the others as the conventions above say). */
    final int[] initialRegs;
    /** Initial NZCV, in bits 31:28. */
    final int initialFlags;
    /** Labels for the disassembly: address -> name. */
    private final java.util.Map<Integer, String> labels;

    private RandomBlockProgram(long seed, int origin, int[] words, int stop, int[] initialRegs, int initialFlags,
                               java.util.Map<Integer, String> labels) {
        this.seed = seed;
        this.origin = origin;
        this.words = words;
        this.stop = stop;
        this.initialRegs = initialRegs;
        this.initialFlags = initialFlags;
        this.labels = labels;
    }

    /** The program of {@code seed}: the same seed always gives the same program. */
    static RandomBlockProgram generate(long seed) {
        return new Generator(new Random(seed)).program(seed);
    }

    /**
     * A hand-written program under the same conventions (r0-r8, r12, r14 zero; r9 = r10 = the data
     * pointer; r11 = 0; r13 = the stack; flags clear), at {@link #RAM_BASE}, its last word its stop.
     */
    static RandomBlockProgram of(int... words) {
        int[] regs = new int[15];
        regs[9] = DATA_POINTER;
        regs[10] = DATA_POINTER;
        regs[13] = STACK;
        return new RandomBlockProgram(0, RAM_BASE, words.clone(), RAM_BASE + 4 * (words.length - 1), regs, 0,
                java.util.Map.of());
    }

    /** One line per instruction: address, word, objdump-style text, and the generator's labels. */
    String disassembly() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            int a = origin + 4 * i;
            String label = labels.get(a);
            if (label != null) {
                sb.append(label).append(":\n");
            }
            sb.append(String.format("  %08x  %08x  %s%n", a, words[i], A32Disassembler.disassemble(words[i], a)));
        }
        return sb.toString();
    }

    /** Builds one program: a list of words with forward fix-ups, then the leaf functions. */
    private static final class Generator {
        private final Random rnd;
        private final List<Integer> code = new ArrayList<>();
        private final java.util.Map<Integer, String> labels = new java.util.HashMap<>();
        private int origin;
        /** Conservative bound of |r9 - r10| here. */
        private int drift;
        /** How many loops enclose this point (at most 2: r8 counts the outer, r11 the inner). */
        private int loopDepth;
        /** The counter register of the innermost loop. */
        private int counter = 8;
        /** Product of the passes of the enclosing loops: how often an instruction here may run. */
        private int repeat = 1;
        private boolean inLeaf;
        /** Inside the instructions a forward branch may skip: no multi-word items, no resets. */
        private boolean inSkip;
        /** Passes of the innermost loop. */
        private int loopCount = 1;
        /** The innermost loop's counter runs down to 0 (else up from 0). */
        private boolean loopDown;
        /** Call sites: code index of each BL, and the leaf it calls. */
        private final List<int[]> calls = new ArrayList<>();
        private int leaves;
        /** In a leaf that pushed LR: no accesses through r13. */
        private boolean lrOnStack;

        Generator(Random rnd) {
            this.rnd = rnd;
        }

        RandomBlockProgram program(long seed) {
            // Start anywhere in the first page, sometimes just before the next page boundary so that
            // blocks and loops straddle it.
            origin = RAM_BASE + 4 * (rnd.nextInt(4) == 0 ? 1024 - 1 - rnd.nextInt(24) : rnd.nextInt(512));
            leaves = 1 + rnd.nextInt(2);
            int items = 12 + rnd.nextInt(25);
            for (int i = 0; i < items; i++) {
                item();
            }
            int stop = address(code.size());
            labels.put(stop, "stop");
            emit(0xEAFFFFFE); // b .
            int[] leafAt = new int[leaves];
            inLeaf = true;
            for (int j = 0; j < leaves; j++) {
                leafAt[j] = code.size();
                labels.put(address(code.size()), "leaf" + j);
                drift = 0;
                // a third of the leaves save LR and return with pop {pc} (ldr pc, [sp], #4, which the
                // translator runs as ldm sp!, {pc})
                boolean savesLr = rnd.nextInt(3) == 0;
                lrOnStack = savesLr;
                if (savesLr) {
                    emit(0xE52DE004); // push {lr} (str lr, [sp, #-4]!)
                }
                int n = 1 + rnd.nextInt(6);
                for (int i = 0; i < n; i++) {
                    if (rnd.nextInt(5) == 0) {
                        forwardBranch();
                    } else if (rnd.nextInt(6) == 0) {
                        pushPop();
                    } else {
                        simple();
                    }
                }
                // return: pop {pc}, or bx lr, or mov pc, lr (an ALU write of the PC: a deliberate exit)
                emit(savesLr ? 0xE49DF004 : rnd.nextBoolean() ? 0xE12FFF1E : 0xE1A0F00E);
            }
            int[] words = new int[code.size()];
            for (int i = 0; i < words.length; i++) {
                words[i] = code.get(i);
            }
            for (int[] call : calls) {
                int target = leafAt[call[1]];
                words[call[0]] |= (target - call[0] - 2) & 0xFF_FFFF;
            }
            int[] regs = new int[15];
            for (int i = 0; i < 8; i++) {
                regs[i] = interesting();
            }
            regs[9] = DATA_POINTER;
            regs[10] = DATA_POINTER;
            regs[11] = rnd.nextInt(256);
            regs[13] = STACK;
            return new RandomBlockProgram(seed, origin, words, stop, regs, rnd.nextInt(16) << 28, labels);
        }

        private int address(int index) {
            return origin + 4 * index;
        }

        private void emit(int word) {
            code.add(word);
        }

        // ------------------------------------------------------------------ items

        /** One top-level (or loop-body) item. */
        private void item() {
            int pick = rnd.nextInt(100);
            if (pick < 22) {
                alu();
            } else if (pick < 39) {
                memory();
            } else if (pick < 44) {
                multiply();
            } else if (pick < 49) {
                media();
            } else if (pick < 53) {
                vfp();
            } else if (pick < 59) {
                forwardBranch();
            } else if (pick < 68 && loopDepth < 2) {
                loop();
            } else if (pick < 74) {
                call();
            } else if (pick < 78) {
                pushPop();
            } else if (pick < 82) {
                multiple();
            } else if (pick < 87) {
                special();
            } else if (pick < 90) {
                selfModify();
            } else if (pick < 93) {
                status();
            } else if (pick < 95) {
                exit();
            } else if (pick < 97) {
                exclusive();
            } else if (pick < 98) {
                emit(cond() << 28 | 0x0F00_0000 | rnd.nextInt(0x100_0000)); // svc<c> #imm
            } else if (pick < 99) {
                emit(0xE7F000F0 | rnd.nextInt(0x1000) << 8 | rnd.nextInt(16)); // udf #imm
            } else {
                index();
            }
        }

        /** An instruction a forward branch may skip: one word, no PC write. */
        private void simple() {
            int pick = rnd.nextInt(11);
            if (pick < 4) {
                aluWord();
            } else if (pick < 7) {
                memory();
            } else if (pick < 8) {
                multiply();
            } else if (pick < 9) {
                media();
            } else if (pick < 10) {
                vfp();
            } else {
                hint();
            }
        }

        /** A hint or barrier that does nothing (A5.2.11, A5.7.1): a translation runs through it. */
        private void hint() {
            switch (rnd.nextInt(6)) {
                case 0: emit(cond() << 28 | 0x0320_F000); break;                         // NOP<c>
                case 1: emit(cond() << 28 | 0x0320_F001); break;                         // YIELD<c>
                case 2: emit(0xF57F_F050 | rnd.nextInt(16)); break;                      // DMB #option
                case 3: emit(0xF57F_F040 | rnd.nextInt(16)); break;                      // DSB #option
                case 4: emit(0xF57F_F06F); break;                                        // ISB SY
                default: emit(0xF550_F000 | rnd.nextInt(2) << 23 | rnd.nextInt(16) << 16 | rnd.nextInt(0x1000)); break; // PLD [Rn, #+/-imm]
            }
        }

        // ------------------------------------------------------------------ operands

        private int cond() {
            return rnd.nextInt(10) < 6 ? 0xE : rnd.nextInt(14);
        }

        /** A data register: r0-r7. */
        private int data() {
            return rnd.nextInt(8);
        }

        /** A source register for an operand that may be any register but r15 (r0-r7 most of the time). */
        private int source() {
            return rnd.nextInt(4) == 0 ? 8 + rnd.nextInt(7) : data();
        }

        /** A source register that may be r15 (read as the address + 8). */
        private int sourceOrPc() {
            return rnd.nextInt(12) == 0 ? 15 : source();
        }

        private int interesting() {
            switch (rnd.nextInt(8)) {
                case 0: return 0;
                case 1: return -1;
                case 2: return 0x8000_0000;
                case 3: return 0x7FFF_FFFF;
                case 4: return rnd.nextInt(256);
                case 5: return 1 << rnd.nextInt(32);
                default: return rnd.nextInt();
            }
        }

        // ------------------------------------------------------------------ data processing (A5.2.1-A5.2.3)

        /** Sometimes sets a shift-amount register or the index first; then one ALU word. */
        private void alu() {
            if (!inSkip && rnd.nextInt(6) == 0) {
                // MOVW / MOVT into a data register (an interesting constant, or a shift amount for an RSR operand)
                int rd = data();
                int value = rnd.nextBoolean() ? interesting() : shiftAmount();
                emit(movw(0xE, rd, value & 0xFFFF));
                if (rnd.nextBoolean()) {
                    emit(movt(cond(), rd, value >>> 16));
                }
            }
            aluWord();
        }

        /** Amounts a register-shifted operand cares about: 0, 1-31, 32, above 32, with junk above the byte. */
        private int shiftAmount() {
            int low;
            switch (rnd.nextInt(5)) {
                case 0: low = 0; break;
                case 1: low = 32; break;
                case 2: low = 33 + rnd.nextInt(223); break;
                default: low = 1 + rnd.nextInt(31); break;
            }
            return (rnd.nextBoolean() ? rnd.nextInt(0x100) << 8 : 0) | low;
        }

        /** One data-processing instruction writing r0-r7 or only the flags. */
        private void aluWord() {
            emit(aluInstruction(cond(), data()));
        }

        /** A data-processing instruction; {@code rd} is its destination unless it is a test (TST, TEQ, CMP, CMN). */
        private int aluInstruction(int cond, int rd) {
            int op = rnd.nextInt(16);
            boolean test = op >= 8 && op <= 11;
            boolean move = op == 13 || op == 15;
            int s = test || rnd.nextBoolean() ? 1 : 0;
            int d = test ? 0 : rd;
            int form = rnd.nextInt(10);
            int w = cond << 28 | op << 21 | s << 20 | d << 12;
            if (form < 4) {
                // immediate: cccc 001 op S Rn Rd rot imm8; rotation 0 a third of the time
                int rot = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(16);
                int rn = move ? 0 : sourceOrPc();
                return w | 1 << 25 | rn << 16 | rot << 8 | rnd.nextInt(256);
            } else if (form < 8) {
                // register, shifted by an immediate: imm5 0 means LSR #32 / ASR #32 / RRX for LSR / ASR / ROR
                int rn = move ? 0 : sourceOrPc();
                int type = rnd.nextInt(4);
                int imm5;
                switch (rnd.nextInt(4)) {
                    case 0: imm5 = 0; break;
                    case 1: imm5 = rnd.nextBoolean() ? 1 : 31; break;
                    default: imm5 = rnd.nextInt(32); break;
                }
                return w | rn << 16 | imm5 << 7 | type << 5 | sourceOrPc();
            } else {
                // register-shifted register: no r15 anywhere (UNPREDICTABLE)
                int rn = move ? 0 : source();
                return w | rn << 16 | source() << 8 | rnd.nextInt(4) << 5 | 1 << 4 | source();
            }
        }

        private static int movw(int cond, int rd, int imm16) {
            return cond << 28 | 0x0300_0000 | (imm16 >>> 12) << 16 | rd << 12 | (imm16 & 0xFFF);
        }

        private static int movt(int cond, int rd, int imm16) {
            return cond << 28 | 0x0340_0000 | (imm16 >>> 12) << 16 | rd << 12 | (imm16 & 0xFFF);
        }

        /** MOVW + MOVT of a full 32-bit constant, always executed. */
        private void constant(int rd, int value) {
            emit(movw(0xE, rd, value & 0xFFFF));
            emit(movt(0xE, rd, value >>> 16));
        }

        // ------------------------------------------------------------------ multiply (A5.2.5, A5.2.7, A5.4.4)

        private void multiply() {
            int c = cond() << 28;
            int s = rnd.nextInt(3) == 0 ? 1 << 20 : 0;
            int rd = data();
            int rm = source();
            int rn = source();
            int ra = source();
            int lo = data();
            int hi = (lo + 1 + rnd.nextInt(7)) & 7; // RdHi != RdLo
            switch (rnd.nextInt(14)) {
                case 0: emit(c | s | rd << 16 | rm << 8 | 0x90 | rn); break;                   // MUL{S}
                case 1: emit(c | 0x0020_0000 | s | rd << 16 | ra << 12 | rm << 8 | 0x90 | rn); break; // MLA{S}
                case 2: emit(c | 0x0060_0000 | rd << 16 | ra << 12 | rm << 8 | 0x90 | rn); break;     // MLS
                case 3: emit(c | 0x0080_0000 | s | hi << 16 | lo << 12 | rm << 8 | 0x90 | rn); break; // UMULL{S}
                case 4: emit(c | 0x00A0_0000 | s | hi << 16 | lo << 12 | rm << 8 | 0x90 | rn); break; // UMLAL{S}
                case 5: emit(c | 0x00C0_0000 | s | hi << 16 | lo << 12 | rm << 8 | 0x90 | rn); break; // SMULL{S}
                case 6: emit(c | 0x00E0_0000 | s | hi << 16 | lo << 12 | rm << 8 | 0x90 | rn); break; // SMLAL{S}
                case 7: emit(c | 0x0040_0000 | hi << 16 | lo << 12 | rm << 8 | 0x90 | rn); break;     // UMAAL
                case 8: emit(c | 0x0160_0000 | rd << 16 | rm << 8 | 0x80 | rnd.nextInt(4) << 5 | rn); break; // SMULxy
                case 9: emit(c | 0x0100_0000 | rd << 16 | ra << 12 | rm << 8 | 0x80 | rnd.nextInt(4) << 5 | rn); break; // SMLAxy (Q)
                case 10: emit(c | 0x0710_F010 | rnd.nextInt(2) << 21 | rd << 16 | rm << 8 | rn); break; // SDIV / UDIV
                case 11: emit(c | 0x0750_F010 | rd << 16 | rm << 8 | rnd.nextInt(2) << 5 | rn); break;  // SMMUL{R}
                case 12: emit(c | 0x0120_0080 | rd << 16 | ra << 12 | rm << 8 | rnd.nextInt(2) << 6 | rn); break; // SMLAWy (Q)
                default: emit(c | 0x0120_00A0 | rd << 16 | rm << 8 | rnd.nextInt(2) << 6 | rn); break;  // SMULWy
            }
        }

        // ------------------------------------------------------------------ media (A5.4), CLZ, saturating (A5.2.6)

        private void media() {
            int c = cond() << 28;
            int rd = data();
            int rm = source();
            int rn = source();
            switch (rnd.nextInt(12)) {
                case 0: emit(c | 0x016F_0F10 | rd << 12 | rm); break; // CLZ
                case 1: {
                    // SXTB16 / SXTB / SXTH / UXTB16 / UXTB / UXTH, or the accumulating forms (Rn != 15)
                    int op = new int[] {0x0680_0070, 0x06A0_0070, 0x06B0_0070, 0x06C0_0070, 0x06E0_0070, 0x06F0_0070}[rnd.nextInt(6)];
                    int n = rnd.nextBoolean() ? 15 : rn;
                    emit(c | op | n << 16 | rd << 12 | rnd.nextInt(4) << 10 | rm);
                    break;
                }
                case 2: {
                    int op = new int[] {0x06BF_0F30, 0x06BF_0FB0, 0x06FF_0F30, 0x06FF_0FB0}[rnd.nextInt(4)]; // REV, REV16, RBIT, REVSH
                    emit(c | op | rd << 12 | rm);
                    break;
                }
                case 3: {
                    // UBFX / SBFX: lsb + width <= 32
                    int lsb = rnd.nextInt(32);
                    int widthMinus1 = rnd.nextInt(32 - lsb);
                    emit(c | (rnd.nextBoolean() ? 0x07E0_0050 : 0x07A0_0050) | widthMinus1 << 16 | rd << 12 | lsb << 7 | rn);
                    break;
                }
                case 4: {
                    // BFI / BFC: msb >= lsb
                    int lsb = rnd.nextInt(32);
                    int msb = lsb + rnd.nextInt(32 - lsb);
                    emit(c | 0x07C0_0010 | msb << 16 | rd << 12 | lsb << 7 | (rnd.nextBoolean() ? 15 : rn));
                    break;
                }
                case 5: // SSAT / USAT (Q)
                    emit(c | (rnd.nextBoolean() ? 0x06A0_0010 : 0x06E0_0010) | rnd.nextInt(32) << 16 | rd << 12
                            | rnd.nextInt(32) << 7 | rnd.nextInt(2) << 6 | rn);
                    break;
                case 6: // PKHBT / PKHTB
                    emit(c | 0x0680_0010 | rn << 16 | rd << 12 | rnd.nextInt(32) << 7 | rnd.nextInt(2) << 6 | rm);
                    break;
                case 7: // SEL (reads GE)
                    emit(c | 0x0680_0FB0 | rn << 16 | rd << 12 | rm);
                    break;
                case 8: {
                    // parallel add / subtract: S, Q, SH, U, UQ, UH x ADD16 ASX SAX SUB16 ADD8 SUB8 (S and U set GE)
                    int prefix = new int[] {1, 2, 3, 5, 6, 7}[rnd.nextInt(6)];
                    int op = new int[] {0x1, 0x3, 0x5, 0x7, 0x9, 0xF}[rnd.nextInt(6)];
                    emit(c | 0x0600_0000 | prefix << 20 | rn << 16 | rd << 12 | 0xF00 | op << 4 | rm);
                    break;
                }
                case 9: // QADD / QSUB / QDADD / QDSUB (Q)
                    emit(c | 0x0100_0050 | rnd.nextInt(4) << 21 | rn << 16 | rd << 12 | rm);
                    break;
                case 10: // USAD8 / USADA8
                    emit(c | 0x0780_0010 | rd << 16 | (rnd.nextBoolean() ? 15 : rn) << 12 | rm << 8 | source());
                    break;
                default: // SSAT16 / USAT16
                    emit(c | (rnd.nextBoolean() ? 0x06A0_0F30 : 0x06E0_0F30) | rnd.nextInt(16) << 16 | rd << 12 | rn);
                    break;
            }
        }

        // ------------------------------------------------------------------ VFP (A7.5, A7.6, A7.8)

        /**
         * A single-precision VFP instruction: they stay inside blocks. VMOV between core and VFP
         * registers, VADD / VMUL / VCMP(E), VMRS (to APSR_nzcv: the flags from inside a block), VLDR / VSTR.
         */
        private void vfp() {
            int c = cond() << 28;
            int sd = rnd.nextInt(32);
            int sn = rnd.nextInt(32);
            int sm = rnd.nextInt(32);
            int d = (sd & 1) << 22 | (sd >>> 1) << 12;
            int n = (sn >>> 1) << 16 | (sn & 1) << 7;
            int m = (sm & 1) << 5 | sm >>> 1;
            switch (rnd.nextInt(9)) {
                case 0:
                case 1: emit(c | 0x0E00_0A10 | n | source() << 12); break;           // vmov sN, rT
                case 2: emit(c | 0x0E10_0A10 | n | data() << 12); break;             // vmov rT, sN
                case 3: emit(c | 0x0E30_0A00 | d | n | m); break;                    // vadd.f32 sD, sN, sM
                case 4: emit(c | 0x0E20_0A00 | d | n | m); break;                    // vmul.f32 sD, sN, sM
                case 5: emit(c | 0x0EB4_0A40 | d | rnd.nextInt(2) << 7 | m); break; // vcmp{e}.f32 sD, sM
                case 6: emit(c | 0x0EF1_FA10); break;                                // vmrs APSR_nzcv, fpscr
                case 7: emit(c | 0x0EF1_0A10 | data() << 12); break;                 // vmrs rT, fpscr
                default: {
                    // vldr / vstr sD, [r9 | r10 | r13, #+/-imm8*4]
                    int rn = new int[] {9, 10, 13}[rnd.nextInt(3)];
                    emit(c | (rnd.nextBoolean() ? 0x0D10_0A00 : 0x0D00_0A00) | rnd.nextInt(2) << 23 | d | rn << 16 | rnd.nextInt(256));
                    break;
                }
            }
        }

        // ------------------------------------------------------------------ loads and stores (A5.3, A5.2.8)

        /** Resets r9 to r10 if a writeback of {@code cost} more bytes could take it too far; false if it may not. */
        private boolean roomFor(int cost) {
            if (drift + cost <= MAX_DRIFT) {
                drift += cost;
                return true;
            }
            if (inSkip || inLeaf || loopDepth > 0) {
                return false; // a reset here could be skipped, or (in a loop) come too late
            }
            emit(0xE1A0900A); // mov r9, r10
            drift = cost;
            return true;
        }

        /** What a writeback of {@code bytes} costs the drift bound: repeated by a loop. */
        private int cost(int bytes) {
            return Math.abs(bytes) * repeat;
        }

        /** A load or store to the data area (through r9, r10, r13) or a literal load (through r15). */
        private void memory() {
            int pickBase = rnd.nextInt(10);
            int rn = pickBase < 5 ? 9 : pickBase < 8 ? 10 : pickBase < 9 ? (lrOnStack ? 10 : 13) : 15; // a store at [sp] would hit the saved LR
            access(rn, rn == 9 && !inLeaf, rnd.nextInt(5) == 0);
        }

        /**
         * One load or store through base {@code rn}; writeback only if {@code mayWriteBack} (and, for r9,
         * the drift bound allows it); {@code misaligned} offsets now and then. Writeback amounts stay word
         * multiples, so the moving pointer stays aligned.
         */
        private void access(int rn, boolean mayWriteBack, boolean misaligned) {
            int c = cond() << 28;
            boolean load = rn == 15 || rnd.nextBoolean();
            boolean register = rn != 15 && rnd.nextInt(4) == 0;
            int u = rnd.nextBoolean() ? 1 : 0;
            // P:W = 10 offset, 11 pre-indexed, 00 post-indexed (01 would be the unprivileged T forms)
            int pw = mayWriteBack ? new int[] {2, 2, 3, 0}[rnd.nextInt(4)] : 2;
            int w;
            int step; // what a writeback adds to the base, at most
            boolean dual = false;
            if (rnd.nextInt(10) < 6) {
                // LDR / STR / LDRB / STRB (A5.3): cccc 01 I P U B W L Rn Rt imm12 | imm5 type 0 Rm
                boolean bytes = rnd.nextInt(3) == 0;
                w = c | 0x0400_0000 | u << 23 | (bytes ? 1 << 22 : 0) | (load ? 1 << 20 : 0) | rn << 16;
                if (register) {
                    // Rm = r11 (0-255): LSL #0-2, or LSR #1-4
                    boolean lsl = rnd.nextInt(3) > 0;
                    int imm5 = lsl ? rnd.nextInt(3) : 1 + rnd.nextInt(4);
                    w |= 1 << 25 | imm5 << 7 | (lsl ? 0 : 1) << 5 | 11;
                    step = lsl && imm5 == 2 ? 255 << 2 : -1;
                } else {
                    int offset = misaligned ? rnd.nextInt(1024) : rnd.nextInt(256) * (bytes ? 1 : 4);
                    w |= offset;
                    step = (offset & 3) == 0 ? offset : -1;
                }
            } else {
                // LDRH / STRH, LDRSB, LDRSH, LDRD / STRD (A5.2.8): cccc 000 P U I W L Rn Rt imm4H 1 op2 1 imm4L | Rm
                int size;
                int op2;
                int l;
                switch (rnd.nextInt(4)) {
                    case 0: op2 = 1; l = load ? 1 : 0; size = 2; break;          // LDRH / STRH
                    case 1: op2 = load ? 2 : 1; l = load ? 1 : 0; size = load ? 1 : 2; break; // LDRSB / STRH
                    case 2: op2 = load ? 3 : 1; l = load ? 1 : 0; size = 2; break;          // LDRSH / STRH
                    default: op2 = load ? 2 : 3; l = 0; size = 8; dual = true; break;      // LDRD / STRD
                }
                w = c | u << 23 | l << 20 | rn << 16 | 1 << 7 | op2 << 5 | 1 << 4;
                if (register) {
                    w |= 11; // Rm = r11, no shift: may be odd
                    step = -1;
                } else {
                    int offset = misaligned ? rnd.nextInt(256) : rnd.nextInt(256 / size) * size;
                    w |= 1 << 22 | (offset >> 4) << 8 | (offset & 15);
                    step = (offset & 3) == 0 ? offset : -1;
                }
            }
            if (pw != 2 && (step < 0 || rn == 9 && !roomFor(cost(step)))) {
                pw = 2;
            }
            w |= (pw >> 1) << 24 | (pw & 1) << 21;
            boolean wb = pw != 2;
            int rt;
            if (dual) {
                // Rt even, not r14: loads to r0-r7; stores of any pair that holds no written-back base
                rt = load ? 2 * rnd.nextInt(4) : storeSource(rn, wb, true);
            } else {
                rt = load ? data() : storeSource(rn, wb, false);
            }
            emit(w | rt << 12);
        }

        /** A register to store: any of r0-r14 (an even one of r0-r12 for a pair) that is not a written-back base. */
        private int storeSource(int rn, boolean wb, boolean pair) {
            while (true) {
                int rt = pair ? 2 * rnd.nextInt(7) : rnd.nextInt(3) == 0 ? rnd.nextInt(15) : data();
                if (wb && (rt == rn || pair && rt + 1 == rn)) {
                    continue;
                }
                return rt;
            }
        }

        /** Sets the index register r11 to 0-255: from a data register or a constant. */
        private void index() {
            if (loopDepth == 2) {
                aluWord(); // r11 counts the inner loop
                return;
            }
            if (rnd.nextBoolean()) {
                emit(0xE200B000 | data() << 16 | (rnd.nextInt(4) == 0 ? 0xFF : 0xFC)); // and r11, rX, #0xfc / #0xff
            } else {
                emit(0xE3A0B000 | rnd.nextInt(256)); // mov r11, #imm
            }
        }

        /** LDM / STM (all four modes) through r9 or r10, sometimes with writeback of r9. */
        private void multiple() {
            int c = cond() << 28;
            boolean load = rnd.nextBoolean();
            int rn = rnd.nextBoolean() ? 9 : 10;
            int mode = rnd.nextInt(4); // DA, IA, DB, IB: P U
            int list = load ? 1 + rnd.nextInt(0xFF) : registerList();
            int count = Integer.bitCount(list);
            boolean wb = rn == 9 && !inLeaf && rnd.nextBoolean() && (list & 1 << 9) == 0 && roomFor(cost(4 * count));
            emit(c | 0x0800_0000 | mode << 23 | (wb ? 1 << 21 : 0) | (load ? 1 << 20 : 0) | rn << 16 | list);
        }

        /** A store list: r0-r14, never empty. */
        private int registerList() {
            int list = rnd.nextInt(0x100);
            if (rnd.nextInt(3) == 0) {
                list |= rnd.nextInt(0x80) << 8;
            }
            return list == 0 ? 1 << data() : list;
        }

        /** PUSH {list}; a few instructions; POP of as many registers into r0-r7. */
        private void pushPop() {
            int list = registerList() & 0x5FFF; // no sp, no pc
            if (list == 0) {
                list = 1;
            }
            int count = Integer.bitCount(list);
            emit(0xE92D0000 | list); // push
            int n = rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                simple();
            }
            int pop = 0;
            while (Integer.bitCount(pop) < Math.min(count, 8)) {
                pop |= 1 << data();
            }
            emit(0xE8BD0000 | pop); // pop
            if (count > 8) {
                emit(0xE28DD000 | 4 * (count - 8)); // add sp, sp, #rest
            }
        }

        /** A special access through r12: to the device, to nothing (a data abort), or a misaligned one. */
        private void special() {
            int pick = rnd.nextInt(4);
            if (pick == 3) {
                straddle();
                return;
            }
            if (pick == 0) {
                constant(12, DEVICE + 4 * rnd.nextInt(32));
            } else if (pick == 1) {
                constant(12, NOWHERE + 4 * rnd.nextInt(64));
            } else {
                emit(0xE28AC000 | (1 + rnd.nextInt(255))); // add r12, r10, #1-255: often misaligned
            }
            if (rnd.nextInt(4) == 0) {
                boolean load = rnd.nextBoolean();
                int mode = rnd.nextInt(4);
                int list = load ? 1 + rnd.nextInt(0xFF) : registerList() & ~(1 << 12);
                emit(cond() << 28 | 0x0800_0000 | mode << 23 | (load ? 1 << 20 : 0) | 12 << 16 | (list == 0 ? 1 : list));
            } else {
                access(12, rnd.nextBoolean(), rnd.nextBoolean());
            }
        }

        /**
         * A misaligned access across the page boundary at r10 (r12 = r10 - 1..3): two pages, two TLB
         * entries, split into bytes (LDRD and LDM: an alignment fault).
         */
        private void straddle() {
            emit(0xE24AC000 | (1 + rnd.nextInt(3))); // sub r12, r10, #1-3
            int c = cond() << 28;
            switch (rnd.nextInt(6)) {
                case 0: emit(c | 0x059C_0000 | data() << 12); break;               // ldr rT, [r12]
                case 1: emit(c | 0x058C_0000 | storeSource(12, false, false) << 12); break; // str rS, [r12]
                case 2: emit(c | 0x01DC_00B0 | data() << 12); break;               // ldrh rT, [r12]
                case 3: emit(c | 0x01CC_00B0 | storeSource(12, false, false) << 12); break; // strh rS, [r12]
                case 4: emit(c | 0x01DC_00F0 | data() << 12); break;               // ldrsh rT, [r12]
                default: emit(c | 0x01CC_00D0 | 2 * rnd.nextInt(4) << 12); break;  // ldrd rT, [r12]
            }
        }

        /**
         * Self-modifying code: builds an instruction word in a data register and stores it over an
         * instruction of this program that runs after the store (in a loop: one that ran before too,
         * with the loop counter folded into its immediate, so each pass writes a new instruction).
         *
         * <p>A block is translated at the first execution of its first instruction and runs from the
         * second, and a store into the code page drops the page's blocks: so a store that runs in every
         * pass of a loop always meets a block translated since the last store, not yet run. In a loop the
         * store is therefore often conditional on the counter, first taken in a later pass: then it
         * lands in the middle of a translated block that already ran, which must stop and not run the
         * old translation of what follows.
         */
        private void selfModify() {
            if (inSkip || inLeaf) {
                aluWord();
                return;
            }
            int rx = data();
            int target = data();
            // ADD rT, rT, #imm8 (rotation 0), imm8 < 0xF0: the loop counter (at most 15) may be added in
            int newWord = 0xE2800000 | target << 16 | target << 12 | rnd.nextInt(0xF0);
            boolean backward = loopDepth > 0 && rnd.nextBoolean();
            int slot;
            if (backward) {
                slot = code.size();
                labels.put(address(slot), "patched");
                aluWord();
            } else {
                slot = -1;
            }
            constant(rx, newWord);
            int storeCond = 0xE;
            if (loopDepth > 0) {
                emit(0xE0800000 | rx << 16 | rx << 12 | counter); // add rX, rX, r8 (r11)
                if (loopCount >= 2 && rnd.nextInt(3) > 0) {
                    // store first in pass 2 or later: the counter runs loopCount..1 (down) or 0..loopCount-1 (up)
                    int k = 1 + rnd.nextInt(loopCount - 1);
                    emit(0xE3500000 | counter << 16 | k); // cmp r8 (r11), #k
                    storeCond = rnd.nextBoolean() ? 0x0 : loopDown ? 0x9 : 0x2; // EQ, or LS (down) / HS (up)
                }
            }
            int here = code.size();
            int fillers = rnd.nextInt(3);
            if (backward) {
                // sub r12, pc, #(here + 8 - slot)
                emit(0xE24FC000 | (4 * (here - slot) + 8));
            } else {
                // add r12, pc, #(4 * fillers): the slot comes after the store and the fillers
                emit(0xE28FC000 | 4 * fillers);
            }
            emit(storeCond << 28 | 0x058C0000 | rx << 12); // str<c> rX, [r12]
            for (int i = 0; i < fillers; i++) {
                aluWord();
            }
            if (!backward) {
                labels.put(address(code.size()), "patched");
                aluWord();
            }
        }

        // ------------------------------------------------------------------ status, exclusive, exits

        /** MRS (ends a block), MSR APSR_nzcvq from an immediate or APSR_nzcvqg from a register. */
        private void status() {
            int c = cond() << 28;
            int rt = data();
            switch (rnd.nextInt(6)) {
                case 0: emit(c | 0x010F_0000 | rt << 12); break;                                       // mrs rD, apsr
                case 1: emit(c | 0x0328_F400 | rnd.nextInt(256)); break;                               // msr APSR_nzcvq, #imm ror 8
                case 2: emit(c | 0x0E1D_0F70 | rt << 12); break;                                       // mrc p15, 0, rT, c13, c0, 3 (TPIDRURO)
                case 3: emit(c | 0x0E10_0FB0 | rt << 12); break;                                       // mrc p15, 0, rT, c0, c0, 5 (MPIDR)
                case 4: emit(c | 0x0C50_0F1E | ((rt + 1 + rnd.nextInt(7)) & 7) << 16 | rt << 12); break; // mrrc p15, 1, rT, rT2, c14 (CNTVCT)
                default: emit(c | 0x012C_F000 | rt); break;                                            // msr APSR_nzcvqg, rN
            }
        }

        /** LDREX / STREX on the (aligned) fixed data pointer, sometimes with CLREX between. */
        private void exclusive() {
            int rt = data();
            emit(0xE1900F9F | 10 << 16 | rt << 12);      // ldrex rT, [r10]
            if (rnd.nextInt(4) == 0) {
                emit(0xF57FF01F);                          // clrex
            }
            aluWord();
            int rd = data();
            int rs = (rd + 1 + rnd.nextInt(7)) & 7;       // Rd != Rt, Rd != Rn
            emit(cond() << 28 | 0x0180_0F90 | 10 << 16 | rd << 12 | rs); // strex rD, rS, [r10]
        }

        /** ADD<c> PC, PC, #imm: an ALU write of the PC that skips 1-4 instructions. */
        private void exit() {
            int k = 1 + rnd.nextInt(4);
            emit(cond() << 28 | 0x028F_F000 | 4 * (k - 1));
            skipped(k);
        }

        // ------------------------------------------------------------------ control flow

        /** B<c> over 1-5 instructions. */
        private void forwardBranch() {
            int k = 1 + rnd.nextInt(5);
            emit(cond() << 28 | 0x0A00_0000 | (k - 1));
            skipped(k);
        }

        /** {@code k} one-word instructions that a branch may skip. */
        private void skipped(int k) {
            boolean was = inSkip;
            inSkip = true;
            int start = code.size();
            while (code.size() - start < k) {
                simple();
            }
            inSkip = was;
        }

        /**
         * A counted loop: 1-12 passes counted in r8, or (nested in one) 1-4 counted in r11; its body
         * items (loads and stores, conditionals, calls, SMC, maybe the nested loop).
         */
        private void loop() {
            int reg = loopDepth == 0 ? 8 : 11;
            int passes = loopDepth == 0 ? 1 + rnd.nextInt(12) : 1 + rnd.nextInt(4);
            boolean down = rnd.nextBoolean();
            emit(0xE3A00000 | reg << 12 | (down ? passes : 0)); // mov rC, #passes / #0
            if (loopDepth == 0 && (drift > 0 || rnd.nextBoolean())) {
                emit(0xE1A0900A); // mov r9, r10
                drift = 0;
            }
            int top = code.size();
            labels.put(address(top), loopDepth == 0 ? "loop" : "inner");
            int savedCounter = counter;
            int savedCount = loopCount;
            boolean savedDown = loopDown;
            int savedRepeat = repeat;
            counter = reg;
            loopCount = passes;
            loopDown = down;
            repeat *= passes;
            loopDepth++;
            int n = loopDepth == 1 ? 2 + rnd.nextInt(8) : 1 + rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                item();
            }
            loopDepth--;
            counter = savedCounter;
            loopCount = savedCount;
            loopDown = savedDown;
            repeat = savedRepeat;
            if (down) {
                emit(0xE2500001 | reg << 16 | reg << 12); // subs rC, rC, #1
                emit(0x1A00_0000 | (top - code.size() - 2) & 0xFF_FFFF); // bne loop
            } else {
                emit(0xE2800001 | reg << 16 | reg << 12); // add rC, rC, #1
                emit(0xE3500000 | reg << 16 | passes); // cmp rC, #passes
                emit(0xBA00_0000 | (top - code.size() - 2) & 0xFF_FFFF); // blt loop
            }
        }

        /** BL<c> to one of the leaf functions (from outside a leaf). */
        private void call() {
            if (inLeaf) {
                aluWord();
                return;
            }
            calls.add(new int[] {code.size(), rnd.nextInt(leaves)});
            emit(cond() << 28 | 0x0B00_0000);
        }
    }
}
