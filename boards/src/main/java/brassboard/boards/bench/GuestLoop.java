package brassboard.boards.bench;

import brassboard.boards.conformance.Asm;
import brassboard.boards.conformance.Harness;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The guest hot loops the benchmarks run: one definition each, shared by the JMH benchmarks, {@code brassboard
 * bench} and its {@code qemu-arm} comparison. A loop is A32 code (the words from {@code arm-none-eabi-as
 * -mcpu=cortex-a15}, the disassembly from {@code arm-none-eabi-objdump -d} in the comments) that runs its body
 * a given number of times, with an exact instruction count per iteration.
 *
 * <p>One image, position-independent, serves both targets:
 * <pre>
 *   +0x000   prologue (4): r12 = image + 0x1000 (the data), r1 = the iteration count
 *            setup, body (run r1 times: every body counts r1 down to 0 and ends in subs r1; bne), tail
 *            epilogue: PSCI SYSTEM_OFF (bare metal), or write(1, results, 36) and exit(0) (Linux)
 *   +0xF00   results (Linux): r2-r6, r8-r11, 36 bytes
 *   +0x1000  data: the loop's initial data (tables, buffers), read and written by the loop
 * </pre>
 * On the board the image is a raw binary loaded in RAM at {@link #LOAD_ADDRESS} and booted like QEMU's
 * {@code -kernel}; under {@code qemu-arm} it is the code of a static ELF built with the conformance
 * {@link Harness}'s headers. The loops use only r0-r6, r8-r12 and r14, never sp, and read no register they
 * did not set, so both targets compute the same {@link #resultRegisters() results}.
 */
public enum GuestLoop {
    /** Data processing with shifted operands, no memory, no branches but the loop's own. */
    ALU("alu", "add, eor, orr, bic, rsb, and, add with shifted register operands",
            9,
            new int[] {
                0xE3A02000, // mov   r2, #0
                0xE3A03000, // mov   r3, #0
            },
            new int[] {
                0xE0822001, // loop: add   r2, r2, r1
                0xE0233182, //       eor   r3, r3, r2, lsl #3
                0xE18342A2, //       orr   r4, r3, r2, lsr #5
                0xE1C45001, //       bic   r5, r4, r1
                0xE06563E2, //       rsb   r6, r5, r2, ror #7
                0xE0068003, //       and   r8, r6, r3
                0xE0833008, //       add   r3, r3, r8
                0xE2511001, //       subs  r1, r1, #1
                0x1AFFFFF6, //       bne   loop
            },
            new int[0], new byte[0], 2, 3, 4, 5, 6, 8),
    /** Word, byte and halfword loads and stores on a 32-word table, register-offset and immediate addressing. */
    MEM("mem", "ldr/str (register offset, lsl #2), ldrb, strh, ldr over a 32-word table",
            11,
            new int[] {
                0xE3A02000, // mov   r2, #0
                0xE3A05000, // mov   r5, #0
            },
            new int[] {
                0xE79C3105, // loop: ldr   r3, [ip, r5, lsl #2]
                0xE0833001, //       add   r3, r3, r1
                0xE78C3105, //       str   r3, [ip, r5, lsl #2]
                0xE7DC4005, //       ldrb  r4, [ip, r5]
                0xE0822004, //       add   r2, r2, r4
                0xE1CC28B2, //       strh  r2, [ip, #130]
                0xE59C6080, //       ldr   r6, [ip, #128]
                0xE2855001, //       add   r5, r5, #1
                0xE205501F, //       and   r5, r5, #31
                0xE2511001, //       subs  r1, r1, #1
                0x1AFFFFF4, //       bne   loop
            },
            new int[0], pattern(132, 0x6D656D), 2, 3, 4, 5, 6),
    /** Conditional execution: half the instructions are conditional, taken or not depending on the counter. */
    COND("cond", "conditional data processing (eq, ne, hi, ls, ge) on flags from ands, cmp, tst",
            12,
            new int[] {
                0xE3A02000, // mov   r2, #0
                0xE3A03000, // mov   r3, #0
                0xE3A04000, // mov   r4, #0
                0xE3A05000, // mov   r5, #0
                0xE3A06000, // mov   r6, #0
            },
            new int[] {
                0xE2118003, // loop: ands  r8, r1, #3
                0x02822001, //       addeq r2, r2, #1
                0x10833001, //       addne r3, r3, r1
                0xE3580002, //       cmp   r8, #2
                0x80244001, //       eorhi r4, r4, r1
                0x90455008, //       subls r5, r5, r8
                0xA1A060A1, //       lsrge r6, r1, #1
                0xE3110004, //       tst   r1, #4
                0x13866001, //       orrne r6, r6, #1
                0x02644000, //       rsbeq r4, r4, #0
                0xE2511001, //       subs  r1, r1, #1
                0x1AFFFFF3, //       bne   loop
            },
            new int[0], new byte[0], 2, 3, 4, 5, 6, 8),
    /**
     * Data-dependent branches: a xorshift32 generator picks one of two paths twice per iteration. Both paths
     * of each branch are four instructions long, so an iteration is 13 instructions whichever way it goes.
     */
    BRANCH("branch", "xorshift32, then two data-dependent if/else diamonds (beq/bne, b)",
            13,
            new int[] {
                0xE3025545, // movw  r5, #0x2545
                0xE34F5491, // movt  r5, #0xf491
                0xE3A02000, // mov   r2, #0
                0xE3A03000, // mov   r3, #0
                0xE3A04000, // mov   r4, #0
                0xE3A06000, // mov   r6, #0
            },
            new int[] {
                0xE0255685, // loop: eor   r5, r5, r5, lsl #13
                0xE02558A5, //       eor   r5, r5, r5, lsr #17
                0xE0255285, //       eor   r5, r5, r5, lsl #5
                0xE3150001, //       tst   r5, #1
                0x0A000001, //       beq   even
                0xE2822001, //       add   r2, r2, #1
                0xEA000001, //       b     join
                0xE2833001, // even: add   r3, r3, #1
                0xE0244005, //       eor   r4, r4, r5
                0xE3150C01, // join: tst   r5, #256
                0x1A000001, //       bne   set
                0xE0866C25, //       add   r6, r6, r5, lsr #24
                0xEA000001, //       b     next
                0xE2466001, // set:  sub   r6, r6, #1
                0xE02441E5, //       eor   r4, r4, r5, ror #3
                0xE2511001, // next: subs  r1, r1, #1
                0x1AFFFFEE, //       bne   loop
            },
            new int[0], new byte[0], 2, 3, 4, 5, 6),
    /** A chain of multiplies, each depending on the last: MUL, MLA, UMULL, SMULL, UMLAL. */
    MUL("mul", "mul, mla, umull, smull, umlal chain",
            9,
            new int[] {
                0xE3A02001, // mov   r2, #1
                0xE3A03003, // mov   r3, #3
                0xE306660D, // movw  r6, #0x660d
                0xE3406019, // movt  r6, #0x0019          @ r6 = 1664525
                0xE3A0A000, // mov   sl, #0
                0xE3A0B000, // mov   fp, #0
            },
            new int[] {
                0xE0020692, // loop: mul   r2, r2, r6
                0xE0233192, //       mla   r3, r2, r1, r3
                0xE0854392, //       umull r4, r5, r2, r3
                0xE0822005, //       add   r2, r2, r5
                0xE0C98493, //       smull r8, r9, r3, r4
                0xE0233009, //       eor   r3, r3, r9
                0xE0ABA492, //       umlal sl, fp, r2, r4
                0xE2511001, //       subs  r1, r1, #1
                0x1AFFFFF6, //       bne   loop
            },
            new int[0], new byte[0], 2, 3, 4, 5, 8, 9, 10, 11),
    /**
     * Copies a 1 KiB buffer (data + 0) to data + 1024, 32 bytes per LDM/STM pair; one iteration is one whole
     * copy: 3 + 32 * 4 + 2 = 133 instructions.
     */
    MEMCPY("memcpy", "1 KiB copy, ldm/stm of 8 registers (32 bytes) per step; one iteration = one copy",
            3 + (MemcpyBuffer.BYTES / 32) * 4 + 2,
            new int[0],
            new int[] {
                0xE1A0000C, // loop:  mov   r0, ip
                0xE28CEB01, //        add   lr, ip, #1024
                0xE3A02020, //        mov   r2, #32
                0xE8B00F78, // chunk: ldm   r0!, {r3, r4, r5, r6, r8, r9, sl, fp}
                0xE8AE0F78, //        stmia lr!, {r3, r4, r5, r6, r8, r9, sl, fp}
                0xE2522001, //        subs  r2, r2, #1
                0x1AFFFFFB, //        bne   chunk
                0xE2511001, //        subs  r1, r1, #1
                0x1AFFFFF6, //        bne   loop
            },
            new int[0], MemcpyBuffer.initial(), 2, 3, 4, 5, 6, 8, 9, 10, 11),
    /**
     * Bytewise CRC-32 (reflected, polynomial 0xEDB88320, as zlib and {@code java.util.zip.CRC32}), table-less:
     * per byte, eight {@code lsrs; eorcs} steps. One iteration is one byte of a 256-byte buffer, which wraps
     * around; the tail complements r2, which then holds the CRC-32 of the bytes processed.
     */
    CRC32("crc32", "bytewise CRC-32 (0xEDB88320), table-less: ldrb, eor, 8 x (lsrs; eorcs)",
            22,
            new int[] {
                0xE3E02000, // mvn   r2, #0
                0xE3A05000, // mov   r5, #0
                0xE3084320, // movw  r4, #0x8320
                0xE34E4DB8, // movt  r4, #0xedb8          @ r4 = 0xEDB88320
            },
            new int[] {
                0xE7DC3005, // loop: ldrb  r3, [ip, r5]
                0xE2855001, //       add   r5, r5, #1
                0xE20550FF, //       and   r5, r5, #255
                0xE0222003, //       eor   r2, r2, r3
                0xE1B020A2, //       lsrs  r2, r2, #1
                0x20222004, //       eorcs r2, r2, r4
                0xE1B020A2, //       lsrs  r2, r2, #1
                0x20222004, //       eorcs r2, r2, r4
                0xE1B020A2, //       lsrs  r2, r2, #1
                0x20222004, //       eorcs r2, r2, r4
                0xE1B020A2, //       lsrs  r2, r2, #1
                0x20222004, //       eorcs r2, r2, r4
                0xE1B020A2, //       lsrs  r2, r2, #1
                0x20222004, //       eorcs r2, r2, r4
                0xE1B020A2, //       lsrs  r2, r2, #1
                0x20222004, //       eorcs r2, r2, r4
                0xE1B020A2, //       lsrs  r2, r2, #1
                0x20222004, //       eorcs r2, r2, r4
                0xE1B020A2, //       lsrs  r2, r2, #1
                0x20222004, //       eorcs r2, r2, r4
                0xE2511001, //       subs  r1, r1, #1
                0x1AFFFFE9, //       bne   loop
            },
            new int[] {
                0xE1E02002, // mvn   r2, r2
            },
            pattern(256, 0x637263), 2, 5);

    /** Where the board loads the raw image (RAM starts at 0x40000000 on {@code virt}). */
    public static final long LOAD_ADDRESS = 0x4010_0000L;
    /** Offset of the data from the image's start (the value of r12). */
    public static final int DATA_OFFSET = 0x1000;
    /** Offset of the Linux epilogue's result block from the image's start. */
    public static final int RESULTS_OFFSET = 0xF00;
    /** Registers the Linux epilogue writes, in order: the only registers a loop may report. */
    public static final List<Integer> RESULT_BLOCK = List.of(2, 3, 4, 5, 6, 8, 9, 10, 11);
    /** The most iterations a loop runs: the count is a 32-bit register, and 0 would mean 2^32. */
    public static final long MAX_ITERATIONS = 0xFFFF_FFFFL;

    /** Prologue length: r12 and r1 (see {@link #prologue}). */
    static final int PROLOGUE_INSTRUCTIONS = 4;

    /** Bare metal: PSCI SYSTEM_OFF through HVC. */
    static final int[] BARE_METAL_EPILOGUE = {
        0xE3A00321, // mov   r0, #0x84000000
        0xE3800008, // orr   r0, r0, #8           @ PSCI SYSTEM_OFF
        0xE1400070, // hvc   0
    };

    /** Linux (qemu-arm): write(1, image + 0xF00, 36) the result block, then exit(0). */
    static final int[] LINUX_EPILOGUE = {
        0xE24C0C01, // sub   r0, ip, #256         @ image + 0xF00
        0xE8800F7C, // stm   r0, {r2, r3, r4, r5, r6, r8, r9, sl, fp}
        0xE1A01000, // mov   r1, r0
        0xE3A00001, // mov   r0, #1               @ stdout
        0xE3A02024, // mov   r2, #36
        0xE3A07004, // mov   r7, #4               @ __NR_write
        0xEF000000, // svc   0x00000000
        0xE3A00000, // mov   r0, #0
        0xE3A07001, // mov   r7, #1               @ __NR_exit
        0xEF000000, // svc   0x00000000
    };

    /** How a loop's image ends: the two targets differ only in the epilogue. */
    public enum Target {
        /** Brassboard's {@code virt} board: power off through PSCI. */
        BARE_METAL(BARE_METAL_EPILOGUE),
        /** A static ARM Linux executable under {@code qemu-arm}: write the result block to stdout, exit(0). */
        LINUX(LINUX_EPILOGUE);

        private final int[] epilogue;

        Target(int[] epilogue) {
            this.epilogue = epilogue;
        }

        /** Instructions of the epilogue, all executed once. */
        public int epilogueInstructions() {
            return epilogue.length;
        }
    }

    private final String id;
    private final String summary;
    private final int perIteration;
    private final int[] setup;
    private final int[] body;
    private final int[] tail;
    private final byte[] data;
    private final int[] resultRegisters;

    GuestLoop(String id, String summary, int perIteration, int[] setup, int[] body, int[] tail, byte[] data,
              int... resultRegisters) {
        this.id = id;
        this.summary = summary;
        this.perIteration = perIteration;
        this.setup = setup;
        this.body = body;
        this.tail = tail;
        this.data = data;
        this.resultRegisters = resultRegisters;
    }

    /** The loop's name on the command line and in tables: {@code alu}, {@code mem}, ... */
    public String id() {
        return id;
    }

    /** What the body does, in a few words. */
    public String summary() {
        return summary;
    }

    /** Guest instructions one iteration executes (for {@link #MEMCPY}, the inner loop's too). */
    public int instructionsPerIteration() {
        return perIteration;
    }

    /** Instructions executed once, whatever the iteration count: prologue, setup, tail and epilogue. */
    public int fixedInstructions(Target target) {
        return PROLOGUE_INSTRUCTIONS + setup.length + tail.length + target.epilogueInstructions();
    }

    /** Exactly how many instructions the image runs for {@code iterations}, power-off or exit included. */
    public long instructions(long iterations, Target target) {
        checkIterations(iterations);
        return fixedInstructions(target) + iterations * perIteration;
    }

    /** The fewest iterations that execute at least {@code instructions} instructions before the epilogue. */
    public long iterationsCovering(long instructions) {
        long body = Math.max(0, instructions - PROLOGUE_INSTRUCTIONS - setup.length);
        return Math.max(1, (body + perIteration - 1) / perIteration);
    }

    /** The registers whose final values are the loop's result (a subset of {@link #RESULT_BLOCK}). */
    public int[] resultRegisters() {
        return resultRegisters.clone();
    }

    /** The data the image starts with, at {@link #DATA_OFFSET}. */
    public byte[] initialData() {
        return data.clone();
    }

    /** The loop's code words for {@code target}: prologue, setup, body, tail, epilogue. */
    public int[] code(long iterations, Target target) {
        checkIterations(iterations);
        int[] p = prologue(iterations);
        int[] e = target.epilogue;
        int[] all = new int[p.length + setup.length + body.length + tail.length + e.length];
        int i = 0;
        for (int[] part : new int[][] {p, setup, body, tail, e}) {
            System.arraycopy(part, 0, all, i, part.length);
            i += part.length;
        }
        return all;
    }

    /** The position-independent image: code, then the data at {@link #DATA_OFFSET}. */
    public byte[] image(long iterations, Target target) {
        int[] code = code(iterations, target);
        if (code.length * 4 > RESULTS_OFFSET) {
            throw new IllegalStateException(id + ": " + code.length + " words of code overlap the result block");
        }
        ByteBuffer b = ByteBuffer.allocate(DATA_OFFSET + data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : code) {
            b.putInt(w);
        }
        b.position(DATA_OFFSET);
        b.put(data);
        return b.array();
    }

    /** The raw binary the board runs from {@link #LOAD_ADDRESS}. */
    public byte[] rawImage(long iterations) {
        return image(iterations, Target.BARE_METAL);
    }

    /**
     * The static ARM Linux executable {@code qemu-arm} runs: the {@link Target#LINUX} image at
     * {@link Harness#CODE}, the entry point, in the harness's one RWX segment. It writes the
     * {@link #RESULT_BLOCK} registers to stdout as 36 little-endian bytes and exits with status 0.
     */
    public byte[] elf(long iterations) {
        byte[] image = image(iterations, Target.LINUX);
        int size = Harness.CODE - Harness.BASE + image.length;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        Harness.writeHeaders(b, size, size);
        b.position(Harness.CODE - Harness.BASE);
        b.put(image);
        return b.array();
    }

    /** The loop called {@code name} ({@link #id()}, case-insensitive). */
    public static Optional<GuestLoop> byName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(l -> l.id.equals(n)).findFirst();
    }

    /** Every loop's {@link #id()}, in table order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(GuestLoop::id).toList();
    }

    // sub ip, pc, #8; add ip, ip, #4096; movw r1, #lo; movt r1, #hi
    private static int[] prologue(long iterations) {
        int n = (int) iterations;
        return new int[] {
            0xE24FC008,                   // sub   ip, pc, #8           @ ip = the image's first word
            0xE28CCA01,                   // add   ip, ip, #4096        @ ip = the data
            Asm.movw(1, n & 0xFFFF),      // movw  r1, #iterations & 0xffff
            Asm.movt(1, n >>> 16),        // movt  r1, #iterations >> 16
        };
    }

    private static void checkIterations(long iterations) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations " + iterations + ": expected 1 to " + MAX_ITERATIONS);
        }
    }

    /** {@code n} pseudo-random bytes (xorshift32 from {@code seed}), the same on every run. */
    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        int x = seed;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            b[i] = (byte) (x >>> 24);
        }
        return b;
    }

    /** {@link #MEMCPY}'s buffers: the source at data + 0, then the destination, zero before the first copy. */
    static final class MemcpyBuffer {
        static final int BYTES = 1024;

        private MemcpyBuffer() {
        }

        static byte[] initial() {
            return Arrays.copyOf(pattern(BYTES, 0x6D6370), 2 * BYTES);
        }
    }
}
