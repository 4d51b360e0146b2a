package brassboard.boards.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.arm.a32.A32Decoder;
import brassboard.arm.a32.Encoding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generator: deterministic per seed, valid words only, covering the encoding table. */
class ConformanceGeneratorTest {
    private static final Map<String, String> GROUP = new HashMap<>();

    static {
        for (Encoding e : A32Decoder.encodings()) {
            GROUP.put(e.name(), e.group());
        }
    }

    @Test
    void theSameSeedGivesTheSameCasesAndAnotherSeedOthers() {
        List<TestCase> a = new A32Generator(7, null).generate(3000);
        List<TestCase> b = new A32Generator(7, null).generate(3000);
        List<TestCase> c = new A32Generator(8, null).generate(3000);
        assertThat(a).isEqualTo(b);
        assertThat(words(a)).isNotEqualTo(words(c));
    }

    @Test
    void countIsInstructionsAndCasesAreOneToMaxLong() {
        List<TestCase> cases = new A32Generator(3, null).generate(5001);
        assertThat(cases.stream().mapToInt(c -> c.insns().size()).sum()).isEqualTo(5001);
        assertThat(cases).allSatisfy(c -> assertThat(c.insns().size()).isBetween(1, A32Generator.MAX_SEQUENCE));
        assertThat(cases.get(10).id()).isEqualTo(10);
    }

    @Test
    void everyWordDecodesAsTheEncodingItWasGeneratedFor() {
        for (TestCase c : new A32Generator(11, null).generate(20_000)) {
            for (Insn i : c.insns()) {
                assertThat(A32Generator.decodeName(i.word())).as("%08x", i.word()).isEqualTo(i.encoding());
            }
        }
    }

    @Test
    void everyEncodingOfTheTableIsGeneratedOrExcludedWithAReason() {
        List<String> missing = new ArrayList<>();
        for (Encoding e : A32Decoder.encodings()) {
            boolean excluded = A32Generator.EXCLUDED.containsKey(e.name()) || A32Generator.EXCLUDED_GROUPS.containsKey(e.group());
            if (!excluded && !A32Generator.generatedEncodings().contains(e.name())) {
                missing.add(e.name());
            }
        }
        assertThat(missing).as("encodings.txt lines the conformance generator neither generates nor excludes").isEmpty();
        assertThat(A32Generator.tableGroups()).containsAll(A32Generator.classes());
        assertThat(A32Generator.classes()).contains("dataproc", "multiply", "media", "loadstore", "ldm", "sync", "status", "branch", "hint");
    }

    @Test
    void everyGeneratedEncodingAppearsInALongRun() {
        for (A32Generator.Suite suite : A32Generator.Suite.values()) {
            Map<String, Integer> seen = new HashMap<>();
            for (TestCase c : new A32Generator(1, suite, null).generate(100_000)) {
                for (Insn i : c.insns()) {
                    seen.merge(i.encoding(), 1, Integer::sum);
                }
            }
            Set<String> expected = new java.util.HashSet<>(A32Generator.generatedEncodings(suite));
            if (suite == A32Generator.Suite.VFP) {
                expected.add("BIC_imm"); // before each VMSR, clearing Len and Stride
            }
            assertThat(seen.keySet()).as(suite.name()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void theVfpSuiteStartsFromVariedFloatingPointState() {
        List<TestCase> cases = new A32Generator(4, A32Generator.Suite.VFP, null).generate(3000);
        Set<Long> values = new java.util.HashSet<>();
        Set<Integer> modes = new java.util.HashSet<>();
        for (TestCase c : cases) {
            for (long d : c.initial().d()) {
                values.add(d);
            }
            assertThat(c.initial().fpscr() & 0x0037_0000).as("Len and Stride").isZero();
            modes.add(c.initial().fpscr() & 0x03C0_0000);
        }
        assertThat(modes).as("RMode x FZ x DN x AHP").hasSize(16);
        assertThat(values).contains(0L, Long.MIN_VALUE, 0x7FF0_0000_0000_0000L);
        assertThat(values.stream().filter(v -> (v >>> 52 & 0x7FF) == 0 && (v & 0xF_FFFF_FFFF_FFFFL) != 0).count()).as("denormal doubles").isGreaterThan(100);
    }

    @Test
    void aClassFilterGivesOnlyThatClass() {
        for (String cls : A32Generator.classes()) {
            for (TestCase c : new A32Generator(5, cls).generate(600)) {
                assertThat(c.insns()).allSatisfy(i -> assertThat(GROUP.get(i.encoding())).as(i.encoding()).isEqualTo(cls));
            }
        }
    }

    @Test
    void anUnknownClassIsRejectedNamingTheKnownOnes() {
        assertThatThrownBy(() -> new A32Generator(1, "vfp"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown class 'vfp'")
                .hasMessageContaining("dataproc, multiply");
    }

    @Test
    void everyCaseAndEveryCaseWithAnInstructionDroppedRunsToItsEndOnBrassboard() {
        // No trap, no access outside the window (it would be a bus error), no branch out of the sequence, sp untouched.
        BrassboardRunner runner = new BrassboardRunner();
        for (TestCase c : new A32Generator(21, null).generate(6000)) {
            assertRunsClean(runner, c);
            for (int i = 0; i < c.insns().size() && c.insns().size() > 1; i++) {
                assertRunsClean(runner, c.without(i));
            }
        }
    }

    private static void assertRunsClean(BrassboardRunner runner, TestCase c) {
        BrassboardRunner.Result r = runner.run(c, Harness.CODE);
        assertThat(r.problem()).as("case %d: %s", c.id(), describe(c)).isNull();
    }

    static String describe(TestCase c) {
        StringBuilder sb = new StringBuilder();
        for (Insn i : c.insns()) {
            sb.append(String.format("%08x %s; ", i.word(), i.encoding()));
        }
        return sb.toString();
    }

    private static List<List<Integer>> words(List<TestCase> cases) {
        List<List<Integer>> out = new ArrayList<>();
        for (TestCase c : cases) {
            List<Integer> w = new ArrayList<>();
            for (int x : c.words()) {
                w.add(x);
            }
            out.add(w);
        }
        return out;
    }
}
