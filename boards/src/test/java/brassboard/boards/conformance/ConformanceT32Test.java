package brassboard.boards.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The T32 generator, the Thumb form of the harness and a differential batch against qemu-arm. */
class ConformanceT32Test {
    @Test
    void theGeneratorIsDeterministicAndEveryWordDecodesAsGenerated() {
        List<TestCase> a = new T32Generator(7, null).generate(3000);
        List<TestCase> b = new T32Generator(7, null).generate(3000);
        assertThat(a).isEqualTo(b);
        assertThat(a.stream().mapToInt(c -> c.insns().size()).sum()).isEqualTo(3000);
        for (TestCase c : a) {
            assertThat(c.thumb()).isTrue();
            assertThat(c.insns().size()).isBetween(1, T32Generator.MAX_SEQUENCE);
            for (Insn i : c.insns()) {
                if (!i.encoding().equals("NOP16")) {
                    assertThat(T32Generator.decodeName(i.word())).as("%08x", i.word()).isEqualTo(i.encoding());
                }
            }
        }
    }

    @Test
    void everyGeneratedClassAndMostEncodingsAppear() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.Set<String> groups = new java.util.HashSet<>();
        for (TestCase c : new T32Generator(3, null).generate(60_000)) {
            for (Insn i : c.insns()) {
                seen.add(i.encoding());
            }
        }
        for (String name : T32Generator.generatedEncodings()) {
            if (seen.contains(name)) {
                groups.add(name);
            }
        }
        assertThat(seen).contains("IT", "CBZ", "B_cond32", "BL32", "LDREXD32", "LDM32", "ADD_imm32", "PARALLEL32");
        assertThat(seen).containsAll(T32Generator.generatedEncodings());
    }

    @Test
    void minimisingKeepsItBlocksAndBranchTargetsValid() {
        // itt eq ; movs r0, #1 ; movs r1, #1 ; b.n to the end ; movs r2, #2
        List<Insn> insns = List.of(Insn.of(0xBF04, "IT"), Insn.of(0x2001, "MOV_imm8"), Insn.of(0x2101, "MOV_imm8"),
                new Insn(0xE000, "B16", 5), Insn.of(0x2202, "MOV_imm8"));
        TestCase c = new TestCase(0, T32Generator.layout(insns, null), new CpuState(new int[14], 0, new byte[Harness.WINDOW_SIZE]), true);
        assertThat(c.insns().get(3).word()).isEqualTo(0xE000); // b .+4: over the movs
        TestCase w = c.without(1);
        assertThat(w.insns().get(0).word()).isEqualTo(0xBF08); // it eq: one instruction left in the block
        TestCase w2 = w.without(1);
        assertThat(w2.insns()).extracting(Insn::encoding).containsExactly("B16", "MOV_imm8"); // the IT went with its last one
        assertThat(w2.insns().get(0).branchTarget()).isEqualTo(2);
        TestCase w3 = c.without(4);
        assertThat(w3.insns().get(3).word()).isEqualTo(0xE7FF); // b.n to the end: now the next address (offset -2)
    }

    @Test
    void brassboardAgreesWithQemuOnAThumbBatch() {
        Differential d = new Differential(new QemuUser(ConformanceQemuTest.requireQemu(), 120_000)).thumb(true);
        StringWriter report = new StringWriter();
        Differential.Summary s = d.run(1, 3000, null, Differential.DEFAULT_BATCH, 10, new PrintWriter(report, true));
        assertThat(s.failed()).as("mismatches against qemu-arm:%n%s", report).isZero();
        assertThat(s.passed()).isEqualTo(s.cases());
    }

    @Test
    void aThumbCaseQemuCannotRunIsIsolated() {
        Differential d = new Differential(new QemuUser(ConformanceQemuTest.requireQemu(), 120_000)).thumb(true);
        List<TestCase> cases = new ArrayList<>(new T32Generator(9, "dataproc").generate(40));
        TestCase bad = new TestCase(cases.size(), List.of(Insn.of(0xDE00, "UDF16")), cases.get(0).initial(), true);
        cases.add(5, bad);
        var outcomes = d.runBatch(cases);
        assertThat(outcomes.stream().filter(Differential.Outcome::failed).map(Differential.Outcome::testCase)).containsExactly(bad);
        assertThat(outcomes.get(5).differences().get(0)).endsWith("brassboard: took an undefined exception at "
                + String.format("0x%08x", outcomes.get(5).address()));
    }

    /**
     * UNPREDICTABLE T32 forms: Brassboard makes the choice QEMU makes, so each either gives the same state
     * on both sides or is UNDEFINED on both (qemu-arm dies of SIGILL).
     */
    @Test
    void unpredictableFormsMakeQemusChoices() {
        int[][] sequences = {
            {0xE8451100}, {0xE8451500}, {0xE8C51271}, {0xE8D5117F}, {0xE9D51100}, {0xE9F55202}, {0xF8555F04},
            {0xE8950002}, {0xE8B50022}, {0xE8A50022}, {0xE85F1F00}, {0xE8C51F41}, {0xFB821103},
            {0xBF08, 0x0008}, {0x4508}, {0xBFF8, 0x2001}, {0xBF08, 0xBF08, 0x2001}, {0xBF08, 0xD000}, {0xBF08, 0xB100},
            {0xF1021100}, {0xF8551804}, {0xE9E55202}, {0xBC00}, {0xC522}, {0xBFE8, 0x2001}, {0xBFE4, 0x2001, 0x2002},
            {0xF8C5F000}, {0xFAB1F082}, {0xFA91F082}, {0x4719}, {0xFB01F00F}, {0xEB0F0002},
        };
        int[] regs = new int[14];
        for (int i = 0; i < 14; i++) {
            regs[i] = 0x100 * i + 3;
        }
        regs[5] = Harness.WINDOW + 0x800;
        CpuState initial = new CpuState(regs, 0x4000_0000, new byte[Harness.WINDOW_SIZE]);
        List<TestCase> cases = new ArrayList<>();
        for (int[] seq : sequences) {
            List<Insn> insns = new ArrayList<>();
            for (int w : seq) {
                insns.add(Insn.of(w, T32Generator.decodeName(w)));
            }
            cases.add(new TestCase(cases.size(), insns, initial, true));
        }
        Differential d = new Differential(new QemuUser(ConformanceQemuTest.requireQemu(), 120_000)).thumb(true);
        for (Differential.Outcome o : d.runBatch(cases)) {
            if (o.failed()) {
                assertThat(o.qemuProblem()).as("%s", o.differences()).contains("signal 4");
                assertThat(o.ours().problem()).as("%s", o.differences()).startsWith("took an undefined exception");
            }
        }
    }
}
