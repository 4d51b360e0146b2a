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
 * sequences never name it.
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

    /** Builds the executable for {@code cases}. */
    public static Image build(List<TestCase> cases) {
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
        code.add(Asm.b(0xE, 0, PROLOGUE_WORDS));
        final int copyIn = 1;
        final int copyOut = 5;
        final int copy = 9;
        // copy_in: r0 = sp + 64 (the block's window), r1 = WINDOW
        code.add(Asm.addImm(0, Asm.SP, WINDOW_OFFSET));
        code.add(Asm.movw(1, WINDOW & 0xFFFF));
        code.add(Asm.movt(1, WINDOW >>> 16));
        code.add(Asm.b(0xE, copyIn + 3, copy));
        // copy_out: r0 = WINDOW, r1 = sp + 64
        code.add(Asm.movw(0, WINDOW & 0xFFFF));
        code.add(Asm.movt(0, WINDOW >>> 16));
        code.add(Asm.addImm(1, Asm.SP, WINDOW_OFFSET));
        code.add(Asm.b(0xE, copyOut + 3, copy));
        // copy: 4096 bytes from r0 to r1, 32 at a time; clobbers r0-r10 and the flags
        code.add(Asm.movImm(10, WINDOW_SIZE / 32));
        code.add(Asm.ldm(0, true, REGLIST_R2_R9));
        code.add(Asm.stm(1, true, REGLIST_R2_R9));
        code.add(Asm.subsImm(10, 10, 1));
        code.add(Asm.b(0x1, copy + 4, copy + 1));
        code.add(Asm.bx(Asm.LR));
        assert code.size() == PROLOGUE_WORDS;

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
        // write(1, out, len) until all is written, then exit(0); exit(3) if a write fails
        int w = code.size();
        code.add(Asm.movw(4, outputBase & 0xFFFF));
        code.add(Asm.movt(4, outputBase >>> 16));
        code.add(Asm.movw(5, outputLength & 0xFFFF));
        code.add(Asm.movt(5, outputLength >>> 16));
        code.add(Asm.movImm(0, 1));                  // w + 4: loop
        code.add(Asm.movReg(1, 4));
        code.add(Asm.movReg(2, 5));
        code.add(Asm.movImm(7, 4));                  // __NR_write
        code.add(Asm.svc(0));
        code.add(Asm.cmpImm(0, 0));
        code.add(Asm.b(0xD, w + 10, w + 17));        // ble fail
        code.add(Asm.addReg(4, 4, 0));
        code.add(Asm.subsReg(5, 5, 0));
        code.add(Asm.b(0x1, w + 13, w + 4));         // bne loop
        code.add(Asm.movImm(0, 0));                  // w + 14: all written
        code.add(Asm.movImm(7, 1));                  // __NR_exit
        code.add(Asm.svc(0));
        code.add(Asm.movImm(0, 3));                  // w + 17: fail
        code.add(Asm.movImm(7, 1));
        code.add(Asm.svc(0));
        if (code.size() != codeWords) {
            throw new IllegalStateException("harness size miscounted: " + code.size() + " words, expected " + codeWords);
        }

        ByteBuffer buf = ByteBuffer.allocate(fileEnd - BASE).order(ByteOrder.LITTLE_ENDIAN);
        writeHeaders(buf, fileEnd - BASE, WINDOW + WINDOW_SIZE - BASE);
        buf.position(CODE - BASE);
        for (int word : code) {
            buf.putInt(word);
        }
        for (int i = 0; i < n; i++) {
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
        return new Image(buf.array(), seqAddr, inAddr, outputBase, outputLength);
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
