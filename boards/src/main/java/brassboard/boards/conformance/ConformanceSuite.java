package brassboard.boards.conformance;

import java.util.List;
import java.util.Map;

/**
 * The suites a differential run can test, one per {@code brassboard conformance} subcommand: which
 * generator makes the cases, in which instruction set state they run, and which classes they draw from.
 * All share one harness ({@link Harness}: r0-r12, r14, the flags and GE, D0-D31, the FPSCR and the
 * scratch window, entered in ARM or Thumb state) and one runner ({@link BrassboardRunner}).
 */
public enum ConformanceSuite {
    /** The core A32 instruction set ({@link A32Generator.Suite#A32}). */
    A32(A32Generator.Suite.A32),
    /** T32 (Thumb-2) in Thumb state, IT blocks included ({@link T32Generator}). */
    T32(null),
    /** VFP data processing, extension register load / store and transfers, in ARM state. */
    VFP(A32Generator.Suite.VFP),
    /** Advanced SIMD data processing and element / structure load / store, in ARM state. */
    NEON(A32Generator.Suite.NEON);

    /** The A32 table's suite, or {@code null} for T32. */
    private final A32Generator.Suite a32;

    ConformanceSuite(A32Generator.Suite a32) {
        this.a32 = a32;
    }

    /** Whether the cases run in Thumb state. */
    public boolean thumb() {
        return a32 == null;
    }

    /** The classes {@code --class} may name, in table order. */
    public List<String> classes() {
        return a32 == null ? T32Generator.classes() : A32Generator.classes(a32);
    }

    /** The longest generated sequence. */
    public int maxSequence() {
        return a32 == null ? T32Generator.MAX_SEQUENCE : A32Generator.MAX_SEQUENCE;
    }

    /** Groups of the instruction set's table that no suite generates, and why. */
    public Map<String, String> excludedGroups() {
        return a32 == null ? T32Generator.EXCLUDED_GROUPS : A32Generator.EXCLUDED_GROUPS;
    }

    /** Every group of the instruction set's table (of any suite). */
    public List<String> tableGroups() {
        if (a32 != null) {
            return A32Generator.tableGroups();
        }
        List<String> out = new java.util.ArrayList<>(T32Generator.classes());
        out.addAll(new java.util.TreeSet<>(T32Generator.EXCLUDED_GROUPS.keySet()));
        return out;
    }

    /**
     * Test cases holding {@code count} instructions generated from {@code seed}.
     *
     * @throws IllegalArgumentException naming the known classes when {@code onlyClass} is not one of {@link #classes()}
     */
    public List<TestCase> generate(long seed, long count, String onlyClass) {
        return a32 == null ? new T32Generator(seed, onlyClass).generate(count)
                : new A32Generator(seed, a32, onlyClass).generate(count);
    }
}
