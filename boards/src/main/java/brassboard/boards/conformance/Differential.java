package brassboard.boards.conformance;

import brassboard.arm.disasm.A32Disassembler;
import brassboard.arm.disasm.T32Disassembler;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The differential run: generates cases, runs them in batches under qemu-arm and on Brassboard's core,
 * compares r0-r12, r14, N Z C V Q, GE[3:0], D0-D31, the FPSCR and the scratch window, and reports each failing case
 * minimised to its shortest failing sequence.
 */
public final class Differential {
    /** Cases per qemu-arm launch. */
    public static final int DEFAULT_BATCH = 400;

    /**
     * What happened to one case.
     *
     * @param testCase    the case
     * @param address     where its sequence ran (both sides)
     * @param ours        Brassboard's result
     * @param qemu        qemu-arm's final state, or {@code null} when qemu-arm did not run the case to its end
     * @param qemuProblem why qemu-arm has no state, or {@code null}
     * @param differences one line per difference; empty when the case passed
     */
    public record Outcome(TestCase testCase, int address, BrassboardRunner.Result ours, CpuState qemu, String qemuProblem,
                          List<String> differences) {
        public boolean failed() {
            return !differences.isEmpty();
        }
    }

    /** Totals of a run. */
    public record Summary(long instructions, int cases, int passed, int failed) {
    }

    private final QemuUser qemu;
    private final BrassboardRunner runner;
    /** Whether cases are T32 ({@link T32Generator}) rather than A32. */
    private boolean thumb;
    private int launches;

    /** Compares qemu-arm with the core's translating engine. */
    public Differential(QemuUser qemu) {
        this(qemu, BrassboardRunner.Engine.TRANSLATED);
    }

    public Differential(QemuUser qemu, BrassboardRunner.Engine engine) {
        this.qemu = qemu;
        this.runner = new BrassboardRunner(engine);
    }

    /** Generates T32 cases (run in Thumb state) instead of A32 ones. */
    public Differential thumb(boolean on) {
        this.thumb = on;
        return this;
    }

    /** qemu-arm launches so far. */
    public int launches() {
        return launches;
    }

    /** Runs {@code cases} on both sides; a batch qemu-arm does not finish is split until the culprit case is alone. */
    public List<Outcome> runBatch(List<TestCase> cases) {
        Harness.Image image = Harness.build(cases);
        List<CpuState> states;
        String problem;
        try {
            launches++;
            states = QemuDump.parse(qemu.run(image.elf()), cases.size());
            problem = null;
        } catch (QemuUser.QemuFailure | IllegalArgumentException e) {
            states = null;
            problem = e.getMessage();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (states == null && cases.size() > 1) {
            int half = cases.size() / 2;
            List<Outcome> out = new ArrayList<>(runBatch(cases.subList(0, half)));
            out.addAll(runBatch(cases.subList(half, cases.size())));
            return out;
        }
        List<Outcome> out = new ArrayList<>(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            TestCase c = cases.get(i);
            BrassboardRunner.Result ours = runner.run(c, image.sequenceAddr()[i]);
            CpuState q = states == null ? null : states.get(i);
            out.add(new Outcome(c, image.sequenceAddr()[i], ours, q, problem, compare(ours, q, problem)));
        }
        return out;
    }

    /** The differences between Brassboard's result and qemu-arm's, one per line. */
    static List<String> compare(BrassboardRunner.Result ours, CpuState qemu, String qemuProblem) {
        List<String> diffs = new ArrayList<>();
        if (qemu == null) {
            diffs.add("qemu-arm: " + qemuProblem + "; brassboard: " + (ours.ok() ? "ran to the end" : ours.problem()));
            return diffs;
        }
        if (!ours.ok()) {
            diffs.add("brassboard " + ours.problem() + "; qemu-arm ran to the end");
        }
        CpuState s = ours.state();
        for (int i = 0; i < 14; i++) {
            if (s.regs()[i] != qemu.regs()[i]) {
                diffs.add(String.format("r%d: brassboard %s, qemu-arm %s", CpuState.REG_NUMBERS[i],
                        CpuState.hex(s.regs()[i]), CpuState.hex(qemu.regs()[i])));
            }
        }
        if (s.flags() != qemu.flags()) {
            diffs.add("flags: brassboard " + CpuState.describeFlags(s.cpsr()) + ", qemu-arm " + CpuState.describeFlags(qemu.cpsr()));
        }
        for (int i = 0; i < 32; i++) {
            if (s.d()[i] != qemu.d()[i]) {
                diffs.add(String.format("d%d: brassboard 0x%016x, qemu-arm 0x%016x", i, s.d()[i], qemu.d()[i]));
            }
        }
        if (s.fpscr() != qemu.fpscr()) {
            diffs.add(String.format("fpscr: brassboard %s, qemu-arm %s", CpuState.hex(s.fpscr()), CpuState.hex(qemu.fpscr())));
        }
        for (int off = 0; off < Harness.WINDOW_SIZE; off += 4) {
            int a = word(s.window(), off);
            int b = word(qemu.window(), off);
            if (a != b) {
                diffs.add(String.format("memory 0x%08x: brassboard %s, qemu-arm %s", Harness.WINDOW + off, CpuState.hex(a), CpuState.hex(b)));
            }
        }
        return diffs;
    }

    private static int word(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    /** Whether each candidate still fails: the minimiser's oracle. */
    public List<Boolean> stillFails(List<TestCase> candidates) {
        List<Boolean> out = new ArrayList<>();
        for (Outcome o : runBatch(candidates)) {
            out.add(o.failed());
        }
        return out;
    }

    /**
     * Generates {@code count} instructions from {@code seed} (all classes, or {@code onlyClass}), runs them,
     * and writes a report of the failing cases (the first {@code maxReports} minimised) to {@code out}.
     */
    public Summary run(long seed, long count, String onlyClass, int batchSize, int maxReports, PrintWriter out) {
        return run(thumb ? ConformanceSuite.T32 : ConformanceSuite.A32, seed, count, onlyClass, batchSize, maxReports, out);
    }

    /** As {@link #run(long, long, String, int, int, PrintWriter)} for the classes of {@code suite} of the A32 table. */
    public Summary run(A32Generator.Suite suite, long seed, long count, String onlyClass, int batchSize, int maxReports,
                       PrintWriter out) {
        return run(ConformanceSuite.valueOf(suite.name()), seed, count, onlyClass, batchSize, maxReports, out);
    }

    /** As {@link #run(long, long, String, int, int, PrintWriter)} for {@code suite}'s cases. */
    public Summary run(ConformanceSuite suite, long seed, long count, String onlyClass, int batchSize, int maxReports,
                       PrintWriter out) {
        List<TestCase> cases = suite.generate(seed, count, onlyClass);
        int failed = 0;
        int reported = 0;
        Map<String, Integer> byEncoding = new TreeMap<>();
        for (int from = 0; from < cases.size(); from += batchSize) {
            List<Outcome> outcomes = runBatch(cases.subList(from, Math.min(cases.size(), from + batchSize)));
            for (Outcome o : outcomes) {
                if (!o.failed()) {
                    continue;
                }
                failed++;
                if (reported < maxReports) {
                    reported++;
                    TestCase min = Minimiser.minimise(o.testCase(), this::stillFails);
                    Outcome m = runBatch(List.of(min)).get(0);
                    if (!m.failed()) {
                        m = o;
                    }
                    for (Insn i : m.testCase().insns()) {
                        byEncoding.merge(i.encoding(), 1, Integer::sum);
                    }
                    report(o, m, out);
                }
            }
            out.flush();
        }
        if (failed > reported) {
            out.printf("%d more failing cases not shown (raise --max-reports to minimise and show them)%n", failed - reported);
        }
        if (!byEncoding.isEmpty()) {
            StringBuilder sb = new StringBuilder("encodings in the minimised failing sequences:");
            byEncoding.forEach((k, v) -> sb.append(' ').append(k).append(" x").append(v));
            out.println(sb);
        }
        return new Summary(count, cases.size(), cases.size() - failed, failed);
    }

    /** The report of one failing case: its minimised form, the initial state, and the differences. */
    static void report(Outcome original, Outcome minimised, PrintWriter out) {
        TestCase c = minimised.testCase();
        out.printf("FAIL case %d: %d instruction%s%s%n", original.testCase().id(), original.testCase().insns().size(),
                original.testCase().insns().size() == 1 ? "" : "s",
                c.insns().size() == original.testCase().insns().size() ? "" : ", minimised to " + c.insns().size());
        int addr = minimised.address();
        T32Disassembler.Listing thumb = new T32Disassembler.Listing();
        for (Insn insn : c.insns()) {
            int w = insn.word();
            if (c.thumb()) {
                out.printf("    0x%08x  %s  %s%n", addr, insn.size(true) == 4
                        ? String.format("%04x %04x", w >>> 16, w & 0xFFFF) : String.format("%04x     ", w), thumb.next(w, addr));
            } else {
                out.printf("    0x%08x  %08x  %s%n", addr, w, A32Disassembler.disassemble(w, addr));
            }
            addr += insn.size(c.thumb());
        }
        out.println("  initial: " + c.initial().describeRegisters());
        out.println("  initial: " + c.initial().describeVfp());
        for (String d : minimised.differences()) {
            if (d.startsWith("memory ")) {
                int at = Integer.parseUnsignedInt(d.substring(9, 17), 16);
                d = d + String.format(" (was %s)", CpuState.hex(word(c.initial().window(), at - Harness.WINDOW)));
            }
            out.println("  " + d);
        }
    }
}
