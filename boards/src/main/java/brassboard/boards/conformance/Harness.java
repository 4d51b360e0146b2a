package brassboard.boards.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the static ARM Linux executable (ELF32, ET_EXEC, EM_ARM, EABI5, one RWX PT_LOAD) that runs a
 * batch of test cases under {@code qemu-arm}, and describes where everything lies in it.
 *
 * <p>Memory layout (virtual addresses):
 * <pre>
 *   0x00010000  ELF and program header
 *   0x00010100  code: the copy subroutines, then per case: load the state block, run the sequence,
 *               save the state block; then write(1, out, len) and exit(0)
 *   ...         input state blocks (in the file)
 *   ...         output state blocks (bss, after the file)
 *   0x01000000  the 4 KiB scratch window every case's loads and stores stay inside (bss)
 * </pre>
 * A state block is r0-r12, r14 (14 words), the APSR / CPSR word, a pad word, the window's 4096
 * bytes, then D0-D31 (256 bytes), the FPSCR and three pad words. Per case the harness copies the
 * window in, loads D0-D31 with {@code VLDM} and the FPSCR with {@code VMSR}, sets the flags with
 * {@code MSR APSR_nzcvqg}, loads the registers with {@code LDM sp}, runs the sequence, then saves
 * the registers with {@code STM sp}, the CPSR with {@code MRS}, D0-D31 with {@code VSTM} and the
 * FPSCR with {@code VMRS}, and copies the window out. Only the harness touches sp (r13): the
 * sequences never name it. T32 cases ({@link TestCase#thumb()}) are entered with BLX and load and save
 * the same state block, D0-D31 and the FPSCR included, with T32 code (see {@code buildThumb}).
 */
public final class Harness {
    /** Where the PT_LOAD segment starts (the ELF header is its first bytes). */
    public static final int BASE = 0x0001_0000;
    /** The first instruction of the harness. */
    public static final int CODE = BASE + 0x100;
    /** The scratch window's address, the same in every batch. */
    public static final int WINDOW = 0x0100_0000;
    public static final int WINDOW_SIZE = 4096;
    /** Offset of D0-D31 in a state block. */
    public static final int VFP_OFFSET = 64 + WINDOW_SIZE;
    /** Offset of the FPSCR word in a state block. */
    public static final int FPSCR_OFFSET = VFP_OFFSET + 256;
    /** Bytes of one state block: 14 registers, the PSR, a pad word, the window, D0-D31, the FPSCR, 3 pad words. */
    public static final int BLOCK = FPSCR_OFFSET + 16;
    /** Offset of the PSR word in a state block. */
    public static final int PSR_OFFSET = 56;
    /** Offset of the window copy in a state block. */
    public static final int WINDOW_OFFSET = 64;

    static final int EM_ARM = 40;
    static final int EF_ARM_EABI_VER5 = 0x0500_0000;
    private static final int REGLIST_R0_R12_LR = 0x5FFF;
    private static final int REGLIST_R2_R9 = 0x03FC;

    /**
     * One built batch.
     *
     * @param elf          the executable's bytes
     * @param sequenceAddr per case, the address of its first instruction
     * @param inputAddr    per case, its input state block
     * @param outputAddr   the first output state block (the dump written to stdout starts here)
     * @param outputLength bytes qemu-arm writes to stdout: one state block per case
     */
    public record Image(byte[] elf, int[] sequenceAddr, int[] inputAddr, int outputAddr, int outputLength) {
    }

    private Harness() {
    }

    /** The harness's words before the first case: a branch over the copy subroutines, which follow it. */
    static final int PROLOGUE_WORDS = 15;
    /** Harness words before a case's sequence. */
    static final int CASE_PREFIX_WORDS = 13;
    /** Harness words after a case's sequence. */
    static final int CASE_SUFFIX_WORDS = 12;
    /** Harness words after the last case: the write loop and exit. */
    static final int EPILOGUE_WORDS = 20;

    /** Builds the executable for {@code cases} (all A32, or all T32). */
    public static Image build(List<TestCase> cases) {
        if (!cases.isEmpty() && cases.get(0).thumb()) {
            return buildThumb(cases);
        }
        int n = cases.size();
        int codeWords = PROLOGUE_WORDS + EPILOGUE_WORDS;
        for (TestCase c : cases) {
            codeWords += CASE_PREFIX_WORDS + c.insns().size() + CASE_SUFFIX_WORDS;
        }
        int inputBase = align(CODE + codeWords * 4, 64);
        int fileEnd = inputBase + n * BLOCK;
        int outputBase = align(fileEnd, 4096);
        int outputLength = n * BLOCK;
        if ((long) outputBase + outputLength > WINDOW) {
            throw new IllegalArgumentException(n + " cases do not fit below the scratch window; use fewer per batch");
        }
        int[] seqAddr = new int[n];
        int[] inAddr = new int[n];

        List<Integer> code = new ArrayList<>(codeWords);
        // prologue: b start; copy_in; copy_out; copy
        code.addAll(prologue());
        final int copyIn = 1;
        final int copyOut = 5;

        for (int i = 0; i < n; i++) {
            TestCase c = cases.get(i);
            int in = inputBase + i * BLOCK;
            int out = outputBase + i * BLOCK;
            inAddr[i] = in;
            code.add(Asm.movw(Asm.SP, in & 0xFFFF));
            code.add(Asm.movt(Asm.SP, in >>> 16));
            code.add(Asm.bl(code.size(), copyIn));
            code.add(Asm.clrex());
            // r0 = sp + VFP_OFFSET; vldmia r0!, {d0-d15}; vldmia r0!, {d16-d31}; ldr r1, [r0]; vmsr fpscr, r1
            code.add(Asm.movw(0, VFP_OFFSET));
            code.add(Asm.addReg(0, Asm.SP, 0));
            code.add(Asm.VLDMIA_R0_D0_D15);
            code.add(Asm.VLDMIA_R0_D16_D31);
            code.add(Asm.ldrImm(1, 0, 0));
            code.add(Asm.VMSR_FPSCR_R1);
            code.add(Asm.ldrImm(0, Asm.SP, PSR_OFFSET));
            code.add(Asm.msrApsrNzcvqg(0));
            code.add(Asm.ldm(Asm.SP, false, REGLIST_R0_R12_LR));
            seqAddr[i] = CODE + code.size() * 4;
            for (Insn insn : c.insns()) {
                code.add(insn.word());
            }
            code.add(Asm.movw(Asm.SP, out & 0xFFFF));
            code.add(Asm.movt(Asm.SP, out >>> 16));
            code.add(Asm.stm(Asm.SP, false, REGLIST_R0_R12_LR));
            code.add(Asm.mrsApsr(0));
            code.add(Asm.strImm(0, Asm.SP, PSR_OFFSET));
            code.add(Asm.movw(0, VFP_OFFSET));
            code.add(Asm.addReg(0, Asm.SP, 0));
            code.add(Asm.VSTMIA_R0_D0_D15);
            code.add(Asm.VSTMIA_R0_D16_D31);
            code.add(Asm.VMRS_R1_FPSCR);
            code.add(Asm.strImm(1, 0, 0));
            code.add(Asm.bl(code.size(), copyOut));
        }
        code.addAll(epilogue(outputBase, outputLength));
        if (code.size() != codeWords) {
            throw new IllegalStateException("harness size miscounted: " + code.size() + " words, expected " + codeWords);
        }

        ByteBuffer buf = ByteBuffer.allocate(fileEnd - BASE).order(ByteOrder.LITTLE_ENDIAN);
        writeHeaders(buf, fileEnd - BASE, WINDOW + WINDOW_SIZE - BASE);
        buf.position(CODE - BASE);
        for (int word : code) {
            buf.putInt(word);
        }
        writeInputs(buf, cases, inAddr);
        return new Image(buf.array(), seqAddr, inAddr, outputBase, outputLength);
    }

    /**
     * Bytes of the T32 code before a case's sequence: movw, movt, mov sp, blx copy_in, clrex, the VFP load
     * (movw, add, vldmia, vldmia, ldr, vmsr), ldr, msr, ldm.
     */
    static final int THUMB_CASE_PREFIX = 52;
    /** Bytes of the T32 code after a case's sequence: stm, mrs, str, the VFP save (movw, add, vstmia, vstmia, vmrs, str), blx copy_out. */
    static final int THUMB_CASE_SUFFIX = 38;

    /**
     * The T32 form of the harness: the same A32 prologue (copy subroutines) and epilogue (write, exit),
     * entered and left with BLX; each case's state loading and saving is T32 code, so the sequence runs in
     * Thumb state. Each case's results are written over its input block (the registers and window are
     * saved only after the sequence), which is what the dump then covers.
     */
    private static Image buildThumb(List<TestCase> cases) {
        int n = cases.size();
        int thumbStart = CODE + (PROLOGUE_WORDS + 1) * 4;
        int thumbBytes = 4;
        for (TestCase c : cases) {
            thumbBytes += THUMB_CASE_PREFIX + c.bytes() + THUMB_CASE_SUFFIX;
        }
        int epilogue = align(thumbStart + thumbBytes, 4);
        int inputBase = align(epilogue + EPILOGUE_WORDS * 4, 64);
        int fileEnd = inputBase + n * BLOCK;
        if ((long) fileEnd > WINDOW) {
            throw new IllegalArgumentException(n + " cases do not fit below the scratch window; use fewer per batch");
        }
        ByteBuffer buf = ByteBuffer.allocate(fileEnd - BASE).order(ByteOrder.LITTLE_ENDIAN);
        writeHeaders(buf, fileEnd - BASE, WINDOW + WINDOW_SIZE - BASE);
        buf.position(CODE - BASE);
        final int copyIn = CODE + 4;
        final int copyOut = CODE + 5 * 4;
        prologue().forEach(buf::putInt);
        int at = CODE + PROLOGUE_WORDS * 4;
        buf.putInt(Asm.blxToThumb(at, thumbStart));
        at = thumbStart;
        int[] seqAddr = new int[n];
        int[] inAddr = new int[n];
        for (int i = 0; i < n; i++) {
            TestCase c = cases.get(i);
            int in = inputBase + i * BLOCK;
            inAddr[i] = in;
            int caseStart = at;
            at = putT32(buf, at, Asm.t32Movw(0, in & 0xFFFF));
            at = putT32(buf, at, Asm.t32Movt(0, in >>> 16));
            at = putT16(buf, at, Asm.T16_MOV_SP_R0);
            at = putT32(buf, at, Asm.t32BlxToArm(at, copyIn));
            at = putT32(buf, at, Asm.T32_CLREX);
            at = putT32VfpState(buf, at, true);
            at = putT32(buf, at, Asm.T32_LDR_R0_SP_PSR);
            at = putT32(buf, at, Asm.T32_MSR_APSR_NZCVQG_R0);
            at = putT32(buf, at, Asm.T32_LDM_SP_R0_R12_LR);
            if (at - caseStart != THUMB_CASE_PREFIX) {
                throw new IllegalStateException("T32 case prefix miscounted");
            }
            seqAddr[i] = at;
            buf.position(at - BASE);
            buf.put(c.code());
            at += c.bytes();
            at = putT32(buf, at, Asm.T32_STM_SP_R0_R12_LR);
            at = putT32(buf, at, Asm.T32_MRS_R0_APSR);
            at = putT32(buf, at, Asm.T32_STR_R0_SP_PSR);
            at = putT32VfpState(buf, at, false);
            at = putT32(buf, at, Asm.t32BlxToArm(at, copyOut));
        }
        at = putT32(buf, at, Asm.t32BlxToArm(at, epilogue));
        buf.position(epilogue - BASE);
        int outputLength = n * BLOCK;
        epilogue(inputBase, outputLength).forEach(buf::putInt);
        writeInputs(buf, cases, inAddr);
        return new Image(buf.array(), seqAddr, inAddr, inputBase, outputLength);
    }

    /** Each case's input state block: r0-r12, r14, the PSR, a pad word, the window, D0-D31, the FPSCR. */
    private static void writeInputs(ByteBuffer buf, List<TestCase> cases, int[] inAddr) {
        for (int i = 0; i < cases.size(); i++) {
            CpuState s = cases.get(i).initial();
            buf.position(inAddr[i] - BASE);
            for (int r : s.regs()) {
                buf.putInt(r);
            }
            buf.putInt(s.cpsr());
            buf.putInt(0);
            buf.put(s.window());
            for (long d : s.d()) {
                buf.putLong(d);
            }
            buf.putInt(s.fpscr());
        }
    }

    /** The A32 words before the first case: a branch over the copy subroutines, then copy_in (1), copy_out (5), copy (9). */
    private static List<Integer> prologue() {
        final int copy = 9;
        List<Integer> code = new ArrayList<>(PROLOGUE_WORDS);
        code.add(Asm.b(0xE, 0, PROLOGUE_WORDS));
        // copy_in: r0 = sp + 64 (the block's window), r1 = WINDOW
        code.add(Asm.addImm(0, Asm.SP, WINDOW_OFFSET));
        code.add(Asm.movw(1, WINDOW & 0xFFFF));
        code.add(Asm.movt(1, WINDOW >>> 16));
        code.add(Asm.b(0xE, 4, copy));
        // copy_out: r0 = WINDOW, r1 = sp + 64
        code.add(Asm.movw(0, WINDOW & 0xFFFF));
        code.add(Asm.movt(0, WINDOW >>> 16));
        code.add(Asm.addImm(1, Asm.SP, WINDOW_OFFSET));
        code.add(Asm.b(0xE, 8, copy));
        // copy: 4096 bytes from r0 to r1, 32 at a time; clobbers r0-r10 and the flags
        code.add(Asm.movImm(10, WINDOW_SIZE / 32));
        code.add(Asm.ldm(0, true, REGLIST_R2_R9));
        code.add(Asm.stm(1, true, REGLIST_R2_R9));
        code.add(Asm.subsImm(10, 10, 1));
        code.add(Asm.b(0x1, copy + 4, copy + 1));
        code.add(Asm.bx(Asm.LR));
        return code;
    }

    /** The A32 words after the last case: write(1, out, len) until all is written, then exit(0); exit(3) if a write fails. */
    private static List<Integer> epilogue(int outputBase, int outputLength) {
        List<Integer> code = new ArrayList<>(EPILOGUE_WORDS);
        code.add(Asm.movw(4, outputBase & 0xFFFF));
        code.add(Asm.movt(4, outputBase >>> 16));
        code.add(Asm.movw(5, outputLength & 0xFFFF));
        code.add(Asm.movt(5, outputLength >>> 16));
        code.add(Asm.movImm(0, 1));                  // 4: loop
        code.add(Asm.movReg(1, 4));
        code.add(Asm.movReg(2, 5));
        code.add(Asm.movImm(7, 4));                  // __NR_write
        code.add(Asm.svc(0));
        code.add(Asm.cmpImm(0, 0));
        code.add(Asm.b(0xD, 10, 17));                // ble fail
        code.add(Asm.addReg(4, 4, 0));
        code.add(Asm.subsReg(5, 5, 0));
        code.add(Asm.b(0x1, 13, 4));                 // bne loop
        code.add(Asm.movImm(0, 0));                  // 14: all written
        code.add(Asm.movImm(7, 1));                  // __NR_exit
        code.add(Asm.svc(0));
        code.add(Asm.movImm(0, 3));                  // 17: fail
        code.add(Asm.movImm(7, 1));
        code.add(Asm.svc(0));
        return code;
    }

    /**
     * T32 code loading ({@code load}) or saving D0-D31 and the FPSCR from or to the state block at sp:
     * r0 = sp + VFP_OFFSET, VLDMIA / VSTMIA r0!, {d0-d15} and {d16-d31}, then the FPSCR through r1. The
     * VFP encodings with condition 1110 are also their T32 encodings (hw1 = bits 31:16).
     */
    private static int putT32VfpState(ByteBuffer buf, int at, boolean load) {
        at = putT32(buf, at, Asm.t32Movw(1, VFP_OFFSET));
        at = putT32(buf, at, Asm.T32_ADD_R0_SP_R1);
        at = putT32(buf, at, load ? Asm.VLDMIA_R0_D0_D15 : Asm.VSTMIA_R0_D0_D15);
        at = putT32(buf, at, load ? Asm.VLDMIA_R0_D16_D31 : Asm.VSTMIA_R0_D16_D31);
        if (load) {
            at = putT16(buf, at, Asm.T16_LDR_R1_R0);
            return putT32(buf, at, Asm.VMSR_FPSCR_R1);
        }
        at = putT32(buf, at, Asm.VMRS_R1_FPSCR);
        return putT16(buf, at, Asm.T16_STR_R1_R0);
    }

    private static int putT16(ByteBuffer buf, int at, int hw) {
        buf.position(at - BASE);
        buf.putShort((short) hw);
        return at + 2;
    }

    private static int putT32(ByteBuffer buf, int at, int insn) {
        buf.position(at - BASE);
        buf.putShort((short) (insn >>> 16));
        buf.putShort((short) insn);
        return at + 4;
    }

    public static void writeHeaders(ByteBuffer buf, int fileSize, int memSize) {
        // Elf32_Ehdr
        buf.put(new byte[] {0x7F, 'E', 'L', 'F', 1 /* ELFCLASS32 */, 1 /* ELFDATA2LSB */, 1 /* EV_CURRENT */, 0 /* SYSV */});
        buf.put(new byte[8]);
        buf.putShort((short) 2);          // e_type ET_EXEC
        buf.putShort((short) EM_ARM);     // e_machine
        buf.putInt(1);                    // e_version
        buf.putInt(CODE);                 // e_entry
        buf.putInt(52);                   // e_phoff
        buf.putInt(0);                    // e_shoff
        buf.putInt(EF_ARM_EABI_VER5);     // e_flags
        buf.putShort((short) 52);         // e_ehsize
        buf.putShort((short) 32);         // e_phentsize
        buf.putShort((short) 1);          // e_phnum
        buf.putShort((short) 40);         // e_shentsize
        buf.putShort((short) 0);          // e_shnum
        buf.putShort((short) 0);          // e_shstrndx
        // Elf32_Phdr: PT_LOAD, RWX
        buf.putInt(1);                    // p_type PT_LOAD
        buf.putInt(0);                    // p_offset
        buf.putInt(BASE);                 // p_vaddr
        buf.putInt(BASE);                 // p_paddr
        buf.putInt(fileSize);             // p_filesz
        buf.putInt(memSize);              // p_memsz
        buf.putInt(7);                    // p_flags PF_R | PF_W | PF_X
        buf.putInt(0x1000);               // p_align
    }

    private static int align(int v, int a) {
        return (v + a - 1) & -a;
    }
}
