package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.api.CpuObserver;
import brassboard.arm.core.Modes;
import brassboard.arm.core.Psr;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Region;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing of the A32 block translator: many seeded random programs
 * ({@link RandomBlockProgram}), each run with translation forced on (every block translated at its
 * first execution) and with the interpreter alone, must give the same registers, CPSR, SPSR, VFP registers and FPSCR,
 * retired count, memory, device accesses and exceptions taken (kind, address, retired count). Each
 * program runs twice on the same core (see {@link #PASSES}), and:
 * <ul>
 * <li>in lockstep, after every {@code run(budget)} call, for budgets 1, 2, 3, 5, 7, 13, 64 and 10,000
 *     (a block must never run past its budget, and must stop exactly where the interpreter does);</li>
 * <li>with different budgets on the two sides, compared once both reached the same point of the
 *     program (the same retired count and number of exceptions taken): somewhere in the first pass and
 *     at the end of each pass;</li>
 * <li>with the IRQ line raised between calls at points the seed chooses, the handler acknowledging at
 *     the device and returning: interrupts are taken at the same instruction both ways.</li>
 * </ul>
 *
 * <p>Every program takes the lockstep run (with the budgets in turn over consecutive seeds) and one of
 * the two others (by the seed's parity). {@code -Dbrassboard.blockfuzz.count=N} runs N programs
 * (default {@value #DEFAULT_COUNT}: 13-26 s measured on a 2-core machine at load 6-7.5; the test is bound by translation,
 * some 180 blocks a program at 0.2-0.4 ms each);
 * {@code -Dbrassboard.blockfuzz.first=S} starts them at seed S (to explore new programs);
 * {@code -Dbrassboard.blockfuzz.seed=S} runs the one program of seed S (as a failure message prints it).
 */
class BlockFuzzTest {
    static final int DEFAULT_COUNT = 150;
    private static final long FIRST_SEED = 0xB10C_0000L;
    private static final int[] BUDGETS = {1, 2, 3, 5, 7, 13, 64, 10_000};
    /**
     * Each program runs twice on the same core (registers set anew, memory kept): a block is translated
     * at the first execution of its first instruction and runs translated from the second, so code
     * outside loops runs translated only in the second pass.
     */
    private static final int PASSES = 2;
    /** A program that retires more than this never reached its stop: a generator bug. */
    private static final long RUNAWAY = 200_000;

    /**
     * The seeds to run: the one of -Dbrassboard.blockfuzz.seed, or -Dbrassboard.blockfuzz.count of them from
     * -Dbrassboard.blockfuzz.first (default {@link #FIRST_SEED}).
     */
    private static long[] seeds() {
        String one = System.getProperty("brassboard.blockfuzz.seed");
        if (one != null && !one.isBlank()) {
            return new long[] {Long.decode(one.strip())};
        }
        int count = Integer.getInteger("brassboard.blockfuzz.count", DEFAULT_COUNT);
        String first = System.getProperty("brassboard.blockfuzz.first");
        long from = first == null || first.isBlank() ? FIRST_SEED : Long.decode(first.strip());
        long[] seeds = new long[count];
        for (int i = 0; i < count; i++) {
            seeds[i] = from + i;
        }
        return seeds;
    }

    /** A core on the memory map {@link RandomBlockProgram} assumes, with the program loaded and its registers set. */
    static final class Rig {
        final boolean translate;
        final AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        final Ram ram = new Ram("ram", RandomBlockProgram.RAM_SIZE);
        final Ram vectors = new Ram("vectors", 0x1000);
        final ArmCpu cpu;
        /** kind@fromPc retired=N, in order (reset excluded). */
        final List<String> exceptions = new ArrayList<>();
        /** Every device access, in order: r/w, offset, size, value, retired count. */
        final List<String> device = new ArrayList<>();
        private int deviceReads;

        Rig(RandomBlockProgram p, boolean translate) {
            this.translate = translate;
            bus.map(RandomBlockProgram.VECTORS, vectors);
            bus.map(RandomBlockProgram.RAM_BASE & 0xFFFF_FFFFL, ram);
            bus.map(RandomBlockProgram.DEVICE, new Region("counter", RandomBlockProgram.DEVICE_SIZE) {
                @Override
                public long read(long offset, int size) {
                    // a counter mixed with the core's retired count: the translator must have flushed it
                    long value = ((++deviceReads * 0x9E37_79B9L) ^ cpu.instructionsRetired()) & (size == 8 ? -1L : (1L << 8 * size) - 1);
                    device.add("r " + Long.toHexString(offset) + "/" + size + "=" + Long.toHexString(value)
                            + " @" + cpu.instructionsRetired());
                    return value;
                }

                @Override
                public boolean write(long offset, int size, long value) {
                    device.add("w " + Long.toHexString(offset) + "/" + size + "=" + Long.toHexString(value)
                            + " @" + cpu.instructionsRetired());
                    if (offset == RandomBlockProgram.DEVICE_ACK) {
                        cpu.setIrqLine(false);
                    }
                    return true;
                }

                @Override
                public String kind() {
                    return "MMIO";
                }
            });
            int[] v = RandomBlockProgram.vectors();
            for (int i = 0; i < v.length; i++) {
                bus.write(RandomBlockProgram.VECTORS + 4L * i, 4, v[i] & 0xFFFF_FFFFL, Masters.DEBUG);
            }
            for (int i = 0; i < p.words.length; i++) {
                bus.write((p.origin & 0xFFFF_FFFFL) + 4L * i, 4, p.words[i] & 0xFFFF_FFFFL, Masters.DEBUG);
            }
            cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
            if (translate) {
                // at once, or (every third seed) after 8 steps, so that translations follow hot branches
                cpu.setCompileThreshold(p.seed % 3 == 2 ? 8 : 1);
            } else {
                cpu.setCompileBlocks(false);
            }
            cpu.reset(p.origin);
            cpu.vfp().enableForUserMode(); // CPACR cp10 / cp11 and FPEXC.EN: VFP instructions execute
            cpu.setObserver(new CpuObserver() {
                @Override
                public void onExceptionEntry(String kind, int fromPc, int vectorPc, int newMode) {
                    exceptions.add(kind + "@" + Integer.toHexString(fromPc) + " retired=" + cpu.instructionsRetired());
                }
            });
            // r13_irq: where the IRQ handler acknowledges
            int svc = cpu.cpsr();
            cpu.setCpsr((svc & ~Psr.M) | Modes.IRQ);
            cpu.setReg(13, RandomBlockProgram.DEVICE + RandomBlockProgram.DEVICE_ACK);
            cpu.setCpsr(svc);
            start(p);
        }

        /**
         * Registers and flags as the program starts with them, PC at its first instruction (memory, and so
         * the translations made so far, stay): for the second pass.
         */
        void start(RandomBlockProgram p) {
            for (int i = 0; i < 15; i++) {
                cpu.setReg(i, p.initialRegs[i]);
            }
            cpu.setCpsr((cpu.cpsr() & 0x0FFF_FFFF) | p.initialFlags);
            cpu.setReg(15, p.origin);
        }

        /** Retired count, then exceptions taken: strictly increases with every step, so it orders points of a run. */
        long[] progress() {
            return new long[] {cpu.instructionsRetired(), exceptions.size()};
        }

        boolean before(Rig other) {
            return Arrays.compare(progress(), other.progress()) < 0;
        }

        String registers() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                sb.append(String.format("r%d=%08x ", i, cpu.reg(i)));
            }
            return sb.append(String.format("cpsr=%08x spsr=%08x retired=%d", cpu.cpsr(), cpu.spsr(), cpu.instructionsRetired()))
                    .toString();
        }
    }

    /** The first field in which {@code t} (translated) differs from {@code i} (interpreted), or null. */
    static String firstDifference(Rig t, Rig i, boolean memory) {
        for (int r = 0; r < 16; r++) {
            if (t.cpu.reg(r) != i.cpu.reg(r)) {
                return String.format("r%d: translated %08x, interpreted %08x", r, t.cpu.reg(r), i.cpu.reg(r));
            }
        }
        if (t.cpu.cpsr() != i.cpu.cpsr()) {
            return String.format("cpsr: translated %08x, interpreted %08x", t.cpu.cpsr(), i.cpu.cpsr());
        }
        if (t.cpu.spsr() != i.cpu.spsr()) {
            return String.format("spsr: translated %08x, interpreted %08x", t.cpu.spsr(), i.cpu.spsr());
        }
        if (t.cpu.instructionsRetired() != i.cpu.instructionsRetired()) {
            return "retired: translated " + t.cpu.instructionsRetired() + ", interpreted " + i.cpu.instructionsRetired();
        }
        for (int k = 0; k < t.cpu.vfp().d.length; k++) {
            if (t.cpu.vfp().d[k] != i.cpu.vfp().d[k]) {
                return String.format("d%d: translated %016x, interpreted %016x", k, t.cpu.vfp().d[k], i.cpu.vfp().d[k]);
            }
        }
        if (t.cpu.vfp().fpscr != i.cpu.vfp().fpscr) {
            return String.format("fpscr: translated %08x, interpreted %08x", t.cpu.vfp().fpscr, i.cpu.vfp().fpscr);
        }
        String e = firstDifference("exception", t.exceptions, i.exceptions);
        if (e != null) {
            return e;
        }
        String d = firstDifference("device access", t.device, i.device);
        if (d != null) {
            return d;
        }
        if (memory) {
            String m = firstDifference(t.ram, i.ram, RandomBlockProgram.RAM_BASE);
            return m != null ? m : firstDifference(t.vectors, i.vectors, RandomBlockProgram.VECTORS);
        }
        return null;
    }

    private static String firstDifference(String what, List<String> t, List<String> i) {
        for (int k = 0; k < Math.max(t.size(), i.size()); k++) {
            String a = k < t.size() ? t.get(k) : "(none)";
            String b = k < i.size() ? i.get(k) : "(none)";
            if (!a.equals(b)) {
                return what + " #" + (k + 1) + ": translated " + a + ", interpreted " + b;
            }
        }
        return null;
    }

    private static String firstDifference(Ram t, Ram i, int base) {
        byte[] a = t.chunk(0);
        byte[] b = i.chunk(0);
        int k = Arrays.mismatch(a, b);
        if (k < 0) {
            return null;
        }
        int word = k & ~3;
        return String.format("memory at %08x: translated word %08x, interpreted word %08x", base + word,
                t.read(word, 4), i.read(word, 4));
    }

    /** Fails with everything a developer needs to reproduce and read the failure. */
    private static void mismatch(RandomBlockProgram p, String scenario, String where, String difference, Rig t, Rig i) {
        StringBuilder sb = new StringBuilder();
        sb.append("translated and interpreted runs differ: seed ").append(String.format("0x%x", p.seed))
                .append(", ").append(scenario).append(", ").append(where).append('\n')
                .append("first difference: ").append(difference).append('\n')
                .append("reproduce: mvn -B -q -o -pl emu-arm -am verify -Dtest='BlockFuzzTest#random*' -Dsurefire.failIfNoSpecifiedTests=false ")
                .append(String.format("-Dbrassboard.blockfuzz.seed=0x%x", p.seed)).append('\n')
                .append("translated:  ").append(t.registers()).append('\n')
                .append("interpreted: ").append(i.registers()).append('\n')
                .append("exceptions (translated): ").append(tail(t.exceptions)).append('\n')
                .append("exceptions (interpreted): ").append(tail(i.exceptions)).append('\n')
                .append("blocks translated: ").append(t.cpu.blocksCompiled()).append('\n')
                .append("program (origin ").append(String.format("%08x", p.origin)).append(", stop ")
                .append(String.format("%08x", p.stop)).append("):\n").append(p.disassembly());
        throw new AssertionError(sb.toString());
    }

    private static List<String> tail(List<String> list) {
        return list.subList(Math.max(0, list.size() - 6), list.size());
    }

    private static boolean stopped(Rig r, RandomBlockProgram p) {
        return r.cpu.pc() == p.stop && r.cpu.mode() == Modes.SVC;
    }

    /** What the runs saw, for the coverage checks. */
    static final class Coverage {
        final Set<String> exceptionKinds = new TreeSet<>();
        long deviceAccesses;
        long blocksTranslated;
        int runsThatModifiedTheirCode;
        long retired;
        int runs;
    }

    /**
     * Both sides run {@code run(budget)} in turns, compared after every call (memory every call for
     * budgets of 13 and more, every 16th call below); {@code irqAt}: retired counts after which the IRQ
     * line is raised (between calls, on both sides). Returns the retired counts at the first pass's stop and
     * at the end.
     */
    static long[] lockstep(RandomBlockProgram p, int budget, long[] irqAt, Coverage coverage) {
        Rig t = new Rig(p, true);
        Rig i = new Rig(p, false);
        if (irqAt.length > 0) {
            t.cpu.setCpsr(t.cpu.cpsr() & ~Psr.I);
            i.cpu.setCpsr(i.cpu.cpsr() & ~Psr.I);
        }
        String scenario = "lockstep, budget " + budget + (irqAt.length > 0 ? ", IRQ after retired " + Arrays.toString(irqAt) : "");
        int nextIrq = 0;
        int extra = -1;
        int pass = 1;
        long firstStop = -1;
        for (int call = 1; ; call++) {
            int a = t.cpu.run(budget);
            int b = i.cpu.run(budget);
            String where = "pass " + pass + ", after run(" + budget + ") call #" + call;
            if (a != b) {
                mismatch(p, scenario, where, "run() returned " + a + " translated, " + b + " interpreted", t, i);
            }
            String d = firstDifference(t, i, budget >= 13 || call % 16 == 0);
            if (d != null) {
                mismatch(p, scenario, where, d, t, i);
            }
            long retired = i.cpu.instructionsRetired();
            if (nextIrq < irqAt.length && retired >= irqAt[nextIrq]) {
                t.cpu.setIrqLine(true);
                i.cpu.setIrqLine(true);
                nextIrq++;
            }
            if (stopped(i, p) && pass < PASSES) {
                d = firstDifference(t, i, true);
                if (d != null) {
                    mismatch(p, scenario, "at the stop of pass " + pass, d, t, i);
                }
                firstStop = retired;
                t.start(p);
                i.start(p);
                pass++;
            }
            if (extra < 0 && pass == PASSES && stopped(i, p) && nextIrq == irqAt.length && !i.cpu.irqLine()) {
                extra = 2; // a few more calls spin in the final b .
            }
            if (extra >= 0 && extra-- == 0) {
                break;
            }
            if (retired > RUNAWAY) {
                throw new AssertionError(String.format("seed 0x%x: the program did not reach its stop at %08x in %d instructions"
                        + " (pc %08x, %s): a generator bug%n%s", p.seed, p.stop, RUNAWAY, i.cpu.pc(), i.cpu.modeName(), p.disassembly()));
            }
        }
        String d = firstDifference(t, i, true);
        if (d != null) {
            mismatch(p, scenario, "at the stop", d, t, i);
        }
        if (coverage != null) {
            for (String e : i.exceptions) {
                coverage.exceptionKinds.add(e.substring(0, e.indexOf('@')));
            }
            coverage.deviceAccesses += i.device.size();
            coverage.blocksTranslated += t.cpu.blocksCompiled();
            coverage.retired += i.cpu.instructionsRetired();
            coverage.runs++;
            for (int k = 0; k < p.words.length; k++) {
                if (i.ram.read((p.origin - RandomBlockProgram.RAM_BASE) + 4L * k, 4) != (p.words[k] & 0xFFFF_FFFFL)) {
                    coverage.runsThatModifiedTheirCode++;
                    break;
                }
            }
        }
        return new long[] {firstStop, i.cpu.instructionsRetired()};
    }

    /** Runs {@code r} with {@code budget} until it reaches {@code target} retired instructions or the stop. */
    private static void runTo(Rig r, int budget, long target, RandomBlockProgram p) {
        while (r.cpu.instructionsRetired() < target && !(target == Long.MAX_VALUE && stopped(r, p))) {
            r.cpu.run(budget);
            if (r.cpu.instructionsRetired() > RUNAWAY) {
                throw new AssertionError(String.format("seed 0x%x: the program did not reach its stop (translated: %s)%n%s",
                        p.seed, r.translate, p.disassembly()));
            }
        }
    }

    /** Brings the side that is behind to the other's point of the run, one instruction at a time. */
    private static void align(Rig t, Rig i) {
        while (t.before(i)) {
            t.cpu.run(1);
        }
        while (i.before(t)) {
            i.cpu.run(1);
        }
        while (t.before(i)) { // taking an exception moved i further than t's step: catch up again
            t.cpu.run(1);
        }
    }

    /**
     * Translated with one budget, interpreted with another; compared at the same point of the run
     * {@code halfway} retired instructions in (in the first pass), and at the stop of each pass.
     */
    static void differentBudgets(RandomBlockProgram p, int tBudget, int iBudget, long halfway) {
        Rig t = new Rig(p, true);
        Rig i = new Rig(p, false);
        String scenario = "budgets " + tBudget + " (translated) and " + iBudget + " (interpreted)";
        runTo(t, tBudget, halfway, p);
        runTo(i, iBudget, halfway, p);
        align(t, i);
        String d = firstDifference(t, i, true);
        if (d != null) {
            mismatch(p, scenario, "at the same point, retired " + i.cpu.instructionsRetired(), d, t, i);
        }
        for (int pass = 1; pass <= PASSES; pass++) {
            runTo(t, tBudget, Long.MAX_VALUE, p);
            runTo(i, iBudget, Long.MAX_VALUE, p);
            align(t, i);
            d = firstDifference(t, i, true);
            if (d != null) {
                mismatch(p, scenario, "at the stop of pass " + pass + ", retired " + i.cpu.instructionsRetired(), d, t, i);
            }
            if (pass < PASSES) {
                t.start(p);
                i.start(p);
            }
        }
    }

    @Test
    void randomProgramsRunTheSameTranslatedAndInterpreted() {
        Coverage coverage = new Coverage();
        long[] seeds = seeds();
        long followingBefore = A32Translator.FOLLOWING.get();
        long callingBefore = A32Translator.CALLING.get();
        for (int n = 0; n < seeds.length; n++) {
            RandomBlockProgram p = RandomBlockProgram.generate(seeds[n]);
            Random pick = new Random(seeds[n] * 0x9E37_79B9_7F4A_7C15L);
            // every budget in turn over consecutive seeds, in lockstep; then different budgets, or interrupts.
            // All chosen from the seed alone, so that -Dbrassboard.blockfuzz.seed runs what failed.
            long[] stops = lockstep(p, BUDGETS[(int) Math.floorMod(p.seed, (long) BUDGETS.length)], new long[0], coverage);
            if (Math.floorMod(p.seed, 2L) == 0) {
                differentBudgets(p, BUDGETS[pick.nextInt(BUDGETS.length)], BUDGETS[pick.nextInt(BUDGETS.length)],
                        1 + pick.nextInt((int) Math.min(stops[0], Integer.MAX_VALUE)));
            } else {
                // interrupts at 1-3 points of the run, with a budget below 10,000
                long[] irqAt = new long[1 + pick.nextInt(3)];
                for (int k = 0; k < irqAt.length; k++) {
                    irqAt[k] = pick.nextInt((int) Math.min(stops[1], Integer.MAX_VALUE));
                }
                Arrays.sort(irqAt);
                lockstep(p, BUDGETS[pick.nextInt(7)], irqAt, coverage);
            }
        }
        long following = A32Translator.FOLLOWING.get() - followingBefore;
        long calling = A32Translator.CALLING.get() - callingBefore;
        if (seeds.length >= 100) {
            // the programs did what they are meant to: take every kind of exception they provoke, reach the
            // device, modify their own code, run translated blocks
            assertThat(coverage.exceptionKinds).contains("data-abort", "undefined", "svc", "irq");
            assertThat(coverage.deviceAccesses).isGreaterThan(seeds.length);
            assertThat(coverage.runsThatModifiedTheirCode).isGreaterThan(seeds.length / 10);
            assertThat(coverage.blocksTranslated).isGreaterThan(5L * seeds.length);
            if (A32Translator.ENABLED) {
                assertThat(following).as("translations that follow branches").isGreaterThan(seeds.length);
                if (A32Translator.CALLS) {
                    assertThat(calling).as("translations that go into the functions they call").isGreaterThan(seeds.length / 10);
                }
            }
        }
        System.out.printf("BlockFuzzTest: %d programs, %d lockstep runs, %d instructions retired (interpreted side), "
                + "%d blocks translated (%d following branches, %d going into calls), %d device accesses, exceptions %s, %d runs modified their code%n",
                seeds.length, coverage.runs, coverage.retired, coverage.blocksTranslated, following, calling, coverage.deviceAccesses,
                coverage.exceptionKinds, coverage.runsThatModifiedTheirCode);
    }

    /**
     * SCTLR.A is 0 at reset: misaligned LDR / STR / LDRH are split into byte accesses, not alignment
     * faults (ARM ARM A3.2.1), inside a translated loop as in the interpreter.
     */
    @Test
    void misalignedAccessesInATranslatedLoopAreSplitNotFaults() {
        RandomBlockProgram p = RandomBlockProgram.of(
                0xE3A08006,   // mov r8, #6
                0xE59A0001,   // loop: ldr r0, [r10, #1]
                0xE0800488,   // add r0, r0, r8, lsl #9
                0xE58A0003,   // str r0, [r10, #3]
                0xE1DA10B5,   // ldrh r1, [r10, #5]
                0xE0822001,   // add r2, r2, r1
                0xE2588001,   // subs r8, r8, #1
                0x1AFFFFF8,   // bne loop
                0xEAFFFFFE);  // b .
        // the same in Java, little-endian
        byte[] m = new byte[8];
        int r2 = 0;
        for (int r8 = 6; r8 > 0; r8--) {
            int r0 = (m[1] & 0xFF | (m[2] & 0xFF) << 8 | (m[3] & 0xFF) << 16 | (m[4] & 0xFF) << 24) + (r8 << 9);
            for (int k = 0; k < 4; k++) {
                m[3 + k] = (byte) (r0 >>> 8 * k);
            }
            r2 += m[5] & 0xFF | (m[6] & 0xFF) << 8;
        }
        Rig t = new Rig(p, true);
        Rig i = new Rig(p, false);
        t.cpu.run(1000);
        i.cpu.run(1000);
        assertThat(firstDifference(t, i, true)).isNull();
        assertThat(t.exceptions).isEmpty();
        assertThat(t.cpu.pc()).isEqualTo(p.stop);
        assertThat(t.cpu.reg(2)).isEqualTo(r2).isNotZero();
        assertThat(t.cpu.blocksCompiled()).isPositive();
    }

    @Test
    void theProgramsUseEveryOpcodeConditionAndOperandForm() {
        Set<String> encodings = new TreeSet<>();
        boolean[] conditions = new boolean[15];
        boolean[] opcodes = new boolean[16];
        // shift types by form: immediate shift 0-3, RRX 4, register-shifted 5-8
        boolean[] shifts = new boolean[9];
        for (int n = 0; n < 200; n++) {
            RandomBlockProgram p = RandomBlockProgram.generate(FIRST_SEED + n);
            assertThat(p.words.length).as("seed %x", p.seed).isLessThan(1024);
            for (int w : p.words) {
                int e = A32Decoder.decode(w);
                assertThat(e).as("seed %x: %08x decodes", p.seed, w).isNotEqualTo(A32Decoder.UNDEFINED);
                Encoding enc = A32Decoder.encoding(e);
                encodings.add(enc.name());
                if (w >>> 28 != 0xF) {
                    conditions[w >>> 28] = true;
                }
                if (enc.group().equals("dataproc") && !enc.name().startsWith("MOVW") && !enc.name().startsWith("MOVT")) {
                    opcodes[(w >>> 21) & 15] = true;
                    if (enc.name().endsWith("_reg")) {
                        int type = (w >>> 5) & 3;
                        shifts[type == 3 && ((w >>> 7) & 31) == 0 ? 4 : type] = true;
                    } else if (enc.name().endsWith("_rsr")) {
                        shifts[5 + ((w >>> 5) & 3)] = true;
                    }
                }
            }
        }
        for (int c = 0; c < 15; c++) {
            assertThat(conditions[c]).as("condition %d", c).isTrue();
        }
        for (int op = 0; op < 16; op++) {
            assertThat(opcodes[op]).as("data-processing opcode %d", op).isTrue();
        }
        for (int s = 0; s < shifts.length; s++) {
            assertThat(shifts[s]).as("shift form %d", s).isTrue();
        }
        assertThat(encodings).contains("MOVW", "MOVT", "MUL", "MLA", "UMULL", "SMULL", "CLZ", "UXTB", "SXTH",
                "LDM", "STM", "STMDB", "MRS", "MSR_imm", "MSR_reg", "LDR_imm", "LDR_reg", "STR_imm", "STR_reg", "LDRB_imm",
                "STRB_imm", "LDRH_imm", "STRH_imm", "LDRSB_imm", "LDRSH_imm", "LDRD_imm", "STRD_imm", "LDRD_reg",
                "LDREX", "STREX", "B", "BL", "BX", "SVC", "UDF", "SEL", "UBFX", "BFI", "BFC", "SSAT", "VMRS", "VMOV_s_r",
                "VMOV_r_s", "VADD_f", "VCMP", "VLDR", "VSTR");
    }
}
