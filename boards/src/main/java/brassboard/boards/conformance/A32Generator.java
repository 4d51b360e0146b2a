package brassboard.boards.conformance;

import brassboard.arm.a32.A32Decoder;
import brassboard.arm.a32.Encoding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates random but valid A32 test cases from a seed: per case an initial state and a sequence of
 * 1 to {@link #MAX_SEQUENCE} instructions drawn from the classes (groups) of {@code encodings.txt}.
 *
 * <p>Every word is valid in User mode and deterministic on any ARMv7-A: operands and destinations are
 * r0-r12 and r14 only (never sp or pc), no encoding is UNPREDICTABLE (Rd == Rn with writeback, a
 * writeback base in the register list, RdLo == RdHi, an odd or r14 doubleword pair, a bit field past
 * bit 31, ...), nothing traps (no SVC / BKPT / UDF / HVC / SMC, no coprocessor, no WFI / WFE, no
 * privileged forms), and branches are short forward B / BL inside the sequence. Loads and stores go
 * through one base register holding an address in the scratch window and one index register holding
 * a small value; neither is ever written by another instruction, and the generator tracks how far
 * (conditional) writebacks may move the base, so every access stays inside the window and aligned
 * whichever instructions execute -- also after the minimiser drops some. LDREX / STREX come as pairs
 * of the same size on the same address, in that order.
 *
 * <p>Each word is checked against the decoder: the encoding it decodes as must be the one it was
 * generated for. Only {@link SplittableRandom} seeded by the caller is used.
 */
public final class A32Generator {
    /** Longest sequence in a case. */
    public static final int MAX_SEQUENCE = 6;

    /** Whole groups of the table that are not generated, and why. */
    public static final Map<String, String> EXCLUDED_GROUPS = Map.of(
            "exception", "SVC / BKPT / HVC / SMC / UDF trap to the kernel or a debugger",
            "coproc", "coprocessor accesses: CP15 is privileged (CP10 / CP11 are the VFP classes)");

    /** The sets of classes one conformance command tests: each group of the table belongs to one. */
    public enum Suite {
        /** The core instruction set: every group not in another suite. */
        A32,
        /** VFP data processing, extension register load / store and register transfers. */
        VFP,
        /** Advanced SIMD data processing and element / structure load / store. */
        NEON;

        /** Whether {@code group} belongs to this suite. */
        public boolean contains(String group) {
            boolean vfp = group.startsWith("vfp");
            boolean neon = group.startsWith("simd");
            return this == VFP ? vfp : this == NEON ? neon : !vfp && !neon;
        }
    }

    /** Encodings of generated groups that are not generated, and why. */
    public static final Map<String, String> EXCLUDED = excluded();

    private static Map<String, String> excluded() {
        Map<String, String> m = new LinkedHashMap<>();
        String priv = "privileged or UNPREDICTABLE in User mode";
        for (String n : List.of("CPS", "SRS", "RFE", "ERET", "MRS_banked", "MSR_banked", "STM_usr", "LDM_usr", "LDM_eret")) {
            m.put(n, priv);
        }
        m.put("SETEND", "switches data endianness, which the harness's own loads and stores would inherit");
        m.put("WFI", "waits for an interrupt");
        m.put("WFE", "waits for an event");
        m.put("BX", "needs a register holding an address inside the sequence (not generated yet)");
        m.put("BLX_reg", "needs a register holding an address inside the sequence (not generated yet)");
        m.put("BXJ", "needs a register holding an address inside the sequence (not generated yet)");
        m.put("BLX_imm", "switches to Thumb state");
        return Collections.unmodifiableMap(m);
    }

    /** A generator for one encoding: appends one or more instructions, or returns false to be retried with another. */
    interface Gen {
        boolean emit(CaseBuilder b, Encoding e);
    }

    private static final Map<String, Gen> GENS = new LinkedHashMap<>();
    private static final Map<String, Encoding> BY_NAME = new LinkedHashMap<>();
    private static final Encoding[] DECODER = A32Decoder.encodings();

    static {
        List<Encoding> byLine = new ArrayList<>(List.of(DECODER));
        byLine.sort(Comparator.comparingInt(Encoding::line));
        for (Encoding e : byLine) {
            BY_NAME.put(e.name(), e);
        }
        registerDataProcessing();
        registerMultiply();
        registerStatusAndBranch();
        registerMedia();
        registerHints();
        registerLoadStore();
        registerSync();
        registerLoadStoreMultiple();
        VfpCases.register();
        SimdCases.register();
    }

    /** Names of the encodings of {@code groups}. */
    static String[] namesOfGroups(String... groups) {
        java.util.List<String> out = new ArrayList<>();
        for (Encoding e : BY_NAME.values()) {
            if (java.util.Arrays.asList(groups).contains(e.group())) {
                out.add(e.name());
            }
        }
        return out.toArray(new String[0]);
    }

    private final SplittableRandom rnd;
    private final List<String> classes;
    private final Map<String, List<Encoding>> byClass = new LinkedHashMap<>();
    private final boolean memory;
    private final boolean vfp;
    private final boolean simd;

    /**
     * @param seed       the seed
     * @param onlyClass  a class name from {@link #classes()}, or {@code null} for all of them
     * @throws IllegalArgumentException naming the known classes when {@code onlyClass} is not one
     */
    public A32Generator(long seed, String onlyClass) {
        this(seed, Suite.A32, onlyClass);
    }

    /**
     * @param seed       the seed
     * @param suite      the suite whose classes are generated
     * @param onlyClass  a class name from {@link #classes(Suite)}, or {@code null} for all of the suite's
     * @throws IllegalArgumentException naming the known classes when {@code onlyClass} is not one
     */
    public A32Generator(long seed, Suite suite, String onlyClass) {
        this.rnd = new SplittableRandom(seed);
        this.classes = Generators.select(onlyClass, classes(suite));
        for (String c : classes) {
            List<Encoding> list = new ArrayList<>();
            for (Encoding e : BY_NAME.values()) {
                if (e.group().equals(c) && GENS.containsKey(e.name())) {
                    list.add(e);
                }
            }
            byClass.put(c, list);
        }
        this.memory = classes.contains("loadstore") || classes.contains("ldm") || classes.contains("sync")
                || classes.contains("vfpldst") || classes.contains("simdldst");
        this.vfp = suite == Suite.VFP;
        this.simd = suite == Suite.NEON;
    }

    /** The classes of the A32 suite that can be generated. */
    public static List<String> classes() {
        return classes(Suite.A32);
    }

    /** The classes of {@code suite} that can be generated: groups of {@code encodings.txt} (in table order) with a generated encoding. */
    public static List<String> classes(Suite suite) {
        Set<String> out = new LinkedHashSet<>();
        for (Encoding e : BY_NAME.values()) {
            if (GENS.containsKey(e.name()) && suite.contains(e.group())) {
                out.add(e.group());
            }
        }
        return List.copyOf(out);
    }

    /** Every group of the table, generated or not. */
    public static List<String> tableGroups() {
        Set<String> out = new LinkedHashSet<>();
        for (Encoding e : BY_NAME.values()) {
            out.add(e.group());
        }
        return List.copyOf(out);
    }

    /** Names of the encodings this generator produces, in every suite. */
    public static Set<String> generatedEncodings() {
        return Collections.unmodifiableSet(GENS.keySet());
    }

    /** Names of the encodings generated for {@code suite}. */
    public static Set<String> generatedEncodings(Suite suite) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : GENS.keySet()) {
            if (suite.contains(BY_NAME.get(name).group())) {
                out.add(name);
            }
        }
        return out;
    }

    /** Test cases holding {@code instructions} instructions in all (the last case may be shorter). */
    public List<TestCase> generate(long instructions) {
        return Generators.generate(instructions, MAX_SEQUENCE, rnd, this::next);
    }

    /** One case of exactly {@code length} instructions. */
    public TestCase next(int id, int length) {
        CaseBuilder b = new CaseBuilder(rnd, memory);
        b.vfp = vfp || simd;
        b.simd = simd;
        while (b.insns.size() < length) {
            b.remaining = length - b.insns.size();
            boolean ok = false;
            for (int attempt = 0; attempt < 100 && !ok; attempt++) {
                List<Encoding> list = byClass.get(pickClass());
                Encoding e = list.get(rnd.nextInt(list.size()));
                int mark = b.insns.size();
                CaseBuilder.Snapshot s = b.snapshot();
                ok = GENS.get(e.name()).emit(b, e) && b.insns.size() > mark && b.insns.size() <= length;
                if (!ok) {
                    b.restore(s, mark);
                }
            }
            if (!ok) {
                throw new IllegalStateException("could not generate an instruction for classes " + classes);
            }
        }
        return new TestCase(id, b.resolveBranches(), b.initialState());
    }

    /** A class, weighted by the square root of its number of encodings: big classes get more, small ones still plenty. */
    private String pickClass() {
        return Generators.pickClass(rnd, classes, byClass);
    }

    /** The encoding named {@code name}. */
    static Encoding encoding(String name) {
        return BY_NAME.get(name);
    }

    /** The encoding the decoder gives {@code word}, or {@code null} when it is UNDEFINED. */
    public static String decodeName(int word) {
        int i = A32Decoder.decode(word);
        return i < 0 ? null : DECODER[i].name();
    }

    // ------------------------------------------------------------------------------------ case state

    /** The state of one case being generated. */
    static final class CaseBuilder {
        final SplittableRandom rnd;
        final List<Insn> insns = new ArrayList<>();
        final int[] regs = new int[14];
        final int base;
        final int index;
        final int base0;
        final int indexValue;
        int remaining;
        /** How far the base may have moved down / up by (conditional) writebacks. */
        int down;
        int up;
        /** The alignment the base is known to keep (a power of two). */
        int baseAlign = 8;
        /** Sizes (as a bit mask of byte counts) of the LDREX-class loads so far: a STREX must match all of them. */
        int exclusiveSizes;
        /** Whether an ordinary store followed an LDREX: whether such a store clears the monitor is IMPLEMENTATION DEFINED. */
        boolean storedAfterExclusive;
        /** Whether the initial state gets random VFP registers and FPSCR (else zeros). */
        boolean vfp;
        /** Whether those registers hold integer lanes as well as floating-point values (the NEON suite). */
        boolean simd;

        record Snapshot(int down, int up, int baseAlign, int exclusiveSizes, boolean storedAfterExclusive) {
        }

        CaseBuilder(SplittableRandom rnd, boolean memory) {
            this.rnd = rnd;
            for (int i = 0; i < 14; i++) {
                regs[i] = interesting(rnd);
            }
            if (memory) {
                base = rnd.nextInt(13);
                int x = rnd.nextInt(12);
                index = x >= base ? x + 1 : x;
                base0 = Harness.WINDOW + Harness.WINDOW_SIZE / 2 + 8 * (rnd.nextInt(65) - 32);
                indexValue = rnd.nextInt(10) < 7 ? 8 * rnd.nextInt(9) : rnd.nextInt(65);
                regs[base] = base0;
                regs[index] = indexValue;
            } else {
                base = -1;
                index = -1;
                base0 = 0;
                indexValue = 0;
            }
        }

        Snapshot snapshot() {
            return new Snapshot(down, up, baseAlign, exclusiveSizes, storedAfterExclusive);
        }

        void restore(Snapshot s, int size) {
            down = s.down;
            up = s.up;
            baseAlign = s.baseAlign;
            exclusiveSizes = s.exclusiveSizes;
            storedAfterExclusive = s.storedAfterExclusive;
            while (insns.size() > size) {
                insns.remove(insns.size() - 1);
            }
        }

        CpuState initialState() {
            byte[] window = Generators.window(rnd);
            int apsr = rnd.nextInt() & CpuState.FLAGS_MASK;
            if (!vfp) {
                return new CpuState(regs.clone(), apsr, window);
            }
            long[] d = new long[32];
            for (int i = 0; i < 32; i++) {
                d[i] = simd ? SimdCases.interestingD(rnd) : VfpCases.interestingD(rnd);
            }
            return new CpuState(regs.clone(), apsr, window, d, VfpCases.randomFpscr(rnd));
        }

        boolean reserved(int r) {
            return r == base || r == index;
        }

        /** A register the instruction may write: r0-r12 or r14, not the base or index, not in {@code not}. */
        int writable(int... not) {
            for (int tries = 0; tries < 64; tries++) {
                int r = anyReg();
                if (!reserved(r) && !contains(not, r)) {
                    return r;
                }
            }
            return -1;
        }

        /** A register the instruction may read: r0-r12 or r14, not in {@code not}. */
        int readable(int... not) {
            for (int tries = 0; tries < 64; tries++) {
                int r = anyReg();
                if (!contains(not, r)) {
                    return r;
                }
            }
            return -1;
        }

        int anyReg() {
            int r = rnd.nextInt(14);
            return r == 13 ? 14 : r;
        }

        int cond() {
            return rnd.nextBoolean() ? 0xE : rnd.nextInt(15);
        }

        /** The encoding's pattern with random fields: fixed bits as given, (0) as 0, (1) as 1, a random condition. */
        int fill(Encoding e) {
            String p = e.pattern();
            int w = 0;
            for (int i = 0; i < 32; i++) {
                char ch = p.charAt(i);
                int bit;
                switch (ch) {
                    case '0', 'z' -> bit = 0;
                    case '1', 'o' -> bit = 1;
                    case 'c' -> bit = 0;
                    default -> bit = rnd.nextInt(2);
                }
                w |= bit << (31 - i);
            }
            if (e.conditional()) {
                w = (w & 0x0FFF_FFFF) | cond() << 28;
            }
            return w;
        }

        /** Appends {@code word} if it decodes as {@code e}. */
        boolean add(int word, Encoding e) {
            if (!e.name().equals(decodeName(word))) {
                return false;
            }
            insns.add(Insn.of(word, e.name()));
            return true;
        }

        /**
         * Whether an access of {@code size} bytes at the base plus {@code offset}, aligned to {@code align},
         * stays inside the window and aligned wherever earlier writebacks left the base.
         */
        boolean fits(int offset, int size, int align) {
            long lo = (long) base0 - down + offset;
            long hi = (long) base0 + up + offset + size;
            if (lo < Harness.WINDOW || hi > Harness.WINDOW + Harness.WINDOW_SIZE) {
                return false;
            }
            int a = offset == 0 ? baseAlign : Math.min(baseAlign, Integer.lowestOneBit(Math.abs(offset)));
            return a >= align;
        }

        /** Records an ordinary (not exclusive) store. */
        void stored() {
            if (exclusiveSizes != 0) {
                storedAfterExclusive = true;
            }
        }

        /** Records a (possibly not executed) writeback moving the base by {@code delta}. */
        void writeback(int delta) {
            if (delta > 0) {
                up += delta;
            } else if (delta < 0) {
                down -= delta;
            }
            if (delta != 0) {
                baseAlign = Math.min(baseAlign, Integer.lowestOneBit(Math.abs(delta)));
            }
        }

        List<Insn> resolveBranches() {
            List<Insn> out = new ArrayList<>(insns);
            for (int i = 0; i < out.size(); i++) {
                Insn insn = out.get(i);
                if (insn.isBranch()) {
                    int span = Math.min(4, out.size() - i);
                    out.set(i, insn.retargeted(i, i + 1 + rnd.nextInt(span)));
                }
            }
            return out;
        }
    }

    static int interesting(SplittableRandom rnd) {
        switch (rnd.nextInt(10)) {
            case 0:
                return rnd.nextInt(256);
            case 1: {
                int[] special = {0, 1, -1, 0x8000_0000, 0x7FFF_FFFF, 0x8000, 0x7FFF, 0xFFFF, 0xFFFF_8000, 0x80, 0x7F, 0xFF, 0xFFFF_FF80, 2, 31, 32, 33};
                return special[rnd.nextInt(special.length)];
            }
            case 2:
                return (1 << rnd.nextInt(32)) + rnd.nextInt(3) - 1;
            case 3:
                return -rnd.nextInt(256);
            default:
                return rnd.nextInt();
        }
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    static int setField(int word, int lsb, int width, int value) {
        int mask = ((1 << width) - 1) << lsb;
        return (word & ~mask) | ((value << lsb) & mask);
    }

    // ------------------------------------------------------------------------------------ generic register forms

    /**
     * Registers of an encoding as "w16 w12 r8 r0": w = written (distinct from each other, never the base or
     * index), r = read; the number is the field's lowest bit.
     */
    private static Gen regs(String spec) {
        return regs(spec, null);
    }

    private interface Fixup {
        int apply(CaseBuilder b, int word);
    }

    private static Gen regs(String spec, Fixup fixup) {
        String[] parts = spec.isBlank() ? new String[0] : spec.trim().split("\\s+");
        return (b, e) -> {
            int w = b.fill(e);
            int[] written = new int[parts.length];
            int nw = 0;
            for (String part : parts) {
                int pos = Integer.parseInt(part.substring(1));
                int r;
                if (part.charAt(0) == 'w') {
                    r = b.writable(java.util.Arrays.copyOf(written, nw));
                    written[nw++] = r;
                } else {
                    r = b.readable();
                }
                if (r < 0) {
                    return false;
                }
                w = setField(w, pos, 4, r);
            }
            if (fixup != null) {
                w = fixup.apply(b, w);
            }
            return b.add(w, e);
        };
    }

    static void register(Gen gen, String... names) {
        for (String n : names) {
            GENS.put(n, gen);
        }
    }

    private static void registerDataProcessing() {
        for (String op : List.of("AND", "EOR", "SUB", "RSB", "ADD", "ADC", "SBC", "RSC", "ORR", "BIC")) {
            register(regs("w12 r16"), op + "_imm");
            register(regs("w12 r16 r0"), op + "_reg");
            register(regs("w12 r16 r0 r8"), op + "_rsr");
        }
        for (String op : List.of("MOV", "MVN")) {
            register(regs("w12"), op + "_imm");
            register(regs("w12 r0"), op + "_reg");
            register(regs("w12 r0 r8"), op + "_rsr");
        }
        for (String op : List.of("TST", "TEQ", "CMP", "CMN")) {
            register(regs("r16"), op + "_imm");
            register(regs("r16 r0"), op + "_reg");
            register(regs("r16 r0 r8"), op + "_rsr");
        }
        register(regs("w12"), "MOVW", "MOVT");
    }

    private static void registerMultiply() {
        register(regs("w16 r8 r0"), "MUL", "SMULWy", "SMULxy", "SDIV", "UDIV", "SMUAD", "SMUSD", "SMMUL", "USAD8");
        register(regs("w16 r12 r8 r0"), "MLA", "MLS", "SMLAxy", "SMLAWy", "SMLAD", "SMLSD", "SMMLA", "SMMLS", "USADA8");
        register(regs("w16 w12 r8 r0"), "UMAAL", "UMULL", "UMLAL", "SMULL", "SMLAL", "SMLALxy", "SMLALD", "SMLSLD");
    }

    /** MSR field masks: f (N Z C V Q), s (GE), c (mode and mask bits: ignored in User mode); never x (E, endianness). */
    private static final int[] APSR_MASKS = {0b1000, 0b0100, 0b1100, 0b0001, 0b1001, 0b0101, 0b1101};

    private static void registerStatusAndBranch() {
        // MRS <Rd>, APSR: R = 0 (the SPSR has no User-mode view)
        register(regs("w12", (b, w) -> w & ~(1 << 22)), "MRS");
        // MSR APSR_<nzcvq|g|nzcvqg>, or CPSR_<..c>: R = 0; in User mode the c field's mode and mask bits are
        // ignored; x is never set (it would switch the harness's own loads and stores to big-endian)
        Fixup apsrMask = (b, w) -> setField(w & ~(1 << 22), 16, 4, APSR_MASKS[b.rnd.nextInt(APSR_MASKS.length)]);
        register(regs("r0", apsrMask), "MSR_reg");
        register(regs("", apsrMask), "MSR_imm");
        // B / BL: a short forward branch inside the sequence, its target chosen when the sequence is complete
        Gen branch = (b, e) -> {
            int w = b.fill(e);
            if (!e.name().equals(decodeName(w))) {
                return false;
            }
            b.insns.add(new Insn(w, e.name(), Integer.MAX_VALUE));
            return true;
        };
        register(branch, "B", "BL");
    }

    private static void registerMedia() {
        register(regs("w12 r0"), "CLZ", "SSAT", "USAT", "SXTB16", "SXTB", "SXTH", "UXTB16", "UXTB", "UXTH",
                "REV", "REV16", "RBIT", "REVSH", "SSAT16", "USAT16");
        register(regs("w12 r16 r0"), "QADD", "QSUB", "QDADD", "QDSUB", "PKH", "SEL",
                "SXTAB16", "SXTAB", "SXTAH", "UXTAB16", "UXTAB", "UXTAH");
        for (String p : List.of("S", "Q", "SH", "U", "UQ", "UH")) {
            for (String op : List.of("ADD16", "ASX", "SAX", "SUB16", "ADD8", "SUB8")) {
                register(regs("w12 r16 r0"), p + op);
            }
        }
        // SBFX / UBFX: lsb + width <= 32
        register(regs("w12 r0", (b, w) -> {
            int lsb = b.rnd.nextInt(32);
            int widthMinus1 = b.rnd.nextInt(32 - lsb);
            return setField(setField(w, 7, 5, lsb), 16, 5, widthMinus1);
        }), "SBFX", "UBFX");
        // BFI / BFC: msb >= lsb
        Fixup field = (b, w) -> {
            int lsb = b.rnd.nextInt(32);
            int msb = lsb + b.rnd.nextInt(32 - lsb);
            return setField(setField(w, 7, 5, lsb), 16, 5, msb);
        };
        register(regs("w12 r0", field), "BFI");
        register(regs("w12", field), "BFC");
    }

    private static void registerHints() {
        register(regs(""), "NOP", "YIELD", "SEV", "DBG", "HINT_other", "DMB", "DSB", "ISB");
        register(regs("r16"), "PLD_imm", "PLI_imm");
        register(regs("r16 r0"), "PLD_reg", "PLI_reg");
        // the unallocated memory hints execute as NOPs (Multiprocessing Extensions); Rt is (1111)
        register(regs("r16", (b, w) -> w | 0xF000), "MEMHINT_imm");
        register(regs("r16 r0", (b, w) -> w | 0xF000), "MEMHINT_reg");
    }

    // ------------------------------------------------------------------------------------ loads and stores

    /** The shape of a load / store mnemonic. */
    private record Access(boolean load, int size, boolean dual, boolean unprivileged, boolean wordOrByte) {
        int align() {
            return dual ? 4 : size;
        }
    }

    private static Access access(String name) {
        String m = name.substring(0, name.indexOf('_'));
        boolean t = m.endsWith("T");
        String core = t ? m.substring(0, m.length() - 1) : m;
        boolean load = core.startsWith("LDR");
        String suffix = core.substring(3);
        return switch (suffix) {
            case "" -> new Access(load, 4, false, t, true);
            case "B" -> new Access(load, 1, false, t, true);
            case "H", "SH" -> new Access(load, 2, false, t, false);
            case "SB" -> new Access(load, 1, false, t, false);
            case "D" -> new Access(load, 8, true, t, false);
            default -> throw new IllegalArgumentException("not a load / store: " + name);
        };
    }

    private static void registerLoadStore() {
        for (Encoding e : BY_NAME.values()) {
            if (e.group().equals("loadstore")) {
                register((b, enc) -> loadStore(b, enc, access(enc.name()), enc.name().endsWith("_reg")), e.name());
            }
        }
    }

    private static boolean loadStore(CaseBuilder b, Encoding e, Access a, boolean registerOffset) {
        if (b.base < 0) {
            return false;
        }
        int w = b.fill(e);
        boolean p;
        boolean wb;
        if (a.unprivileged) {
            p = false;
            wb = true;
        } else {
            switch (b.rnd.nextInt(3)) {
                case 0 -> {
                    p = true;
                    wb = false;
                }
                case 1 -> {
                    p = true;
                    wb = true;
                }
                default -> {
                    p = false;
                    wb = true;
                }
            }
            w = setField(w, 24, 1, p ? 1 : 0);
            w = setField(w, 21, 1, p && wb ? 1 : 0);
        }
        boolean up = b.rnd.nextBoolean();
        w = setField(w, 23, 1, up ? 1 : 0);
        int offset;
        if (registerOffset) {
            w = setField(w, 0, 4, b.index);
            offset = b.indexValue;
            if (a.wordOrByte) {
                int type = b.rnd.nextInt(3);
                int amount = type == 0 ? b.rnd.nextInt(4) : b.rnd.nextInt(5);
                w = setField(setField(w, 5, 2, type), 7, 5, amount);
                offset = type == 0 ? offset << amount : amount == 0 ? 0 : offset >>> amount;
            }
        } else {
            offset = b.rnd.nextInt(4) == 0 ? 0 : b.rnd.nextInt(256) / a.align() * a.align();
        }
        int delta = up ? offset : -offset;
        int at = p ? delta : 0;
        if (!b.fits(at, a.size, a.align())) {
            if (registerOffset) {
                return false;
            }
            offset = 0;
            delta = 0;
            at = 0;
            if (!b.fits(0, a.size, a.align())) {
                return false;
            }
        }
        if (!registerOffset) {
            w = a.wordOrByte ? setField(w, 0, 12, offset) : setField(setField(w, 0, 4, offset & 0xF), 8, 4, offset >>> 4);
        }
        int t;
        if (a.dual) {
            t = 2 * b.rnd.nextInt(6);
            if (a.load ? b.reserved(t) || b.reserved(t + 1) : wb && (t == b.base || t + 1 == b.base)) {
                return false;
            }
            if (registerOffset && (t == b.index || t + 1 == b.index)) {
                return false;
            }
        } else {
            t = a.load ? b.writable() : wb ? b.readable(b.base) : b.readable();
        }
        if (t < 0) {
            return false;
        }
        w = setField(setField(w, 12, 4, t), 16, 4, b.base);
        if (!b.add(w, e)) {
            return false;
        }
        if (wb) {
            b.writeback(delta);
        }
        if (!a.load) {
            b.stored();
        }
        return true;
    }

    private static void registerLoadStoreMultiple() {
        register((b, e) -> {
            if (b.base < 0 || b.baseAlign < 4) {
                return false;
            }
            boolean load = e.name().startsWith("LDM");
            String mode = e.name().substring(3);
            int w = b.fill(e);
            boolean wb = b.rnd.nextBoolean();
            w = setField(w, 21, 1, wb ? 1 : 0);
            int list = 0;
            for (int r : CpuState.REG_NUMBERS) {
                boolean allowed = load ? !b.reserved(r) : !(wb && r == b.base);
                if (allowed && b.rnd.nextInt(10) < 3) {
                    list |= 1 << r;
                }
            }
            if (list == 0) {
                int r = load ? b.writable() : wb ? b.readable(b.base) : b.readable();
                if (r < 0) {
                    return false;
                }
                list = 1 << r;
            }
            int bytes = 4 * Integer.bitCount(list);
            int lowest = switch (mode) {
                case "" -> 0;
                case "IB" -> 4;
                case "DA" -> 4 - bytes;
                case "DB" -> -bytes;
                default -> throw new IllegalStateException(e.name());
            };
            if (!b.fits(lowest, bytes, 4)) {
                return false;
            }
            w = setField(setField(w, 0, 16, list), 16, 4, b.base);
            if (!b.add(w, e)) {
                return false;
            }
            if (wb) {
                b.writeback(mode.startsWith("D") ? -bytes : bytes);
            }
            if (!load) {
                b.stored();
            }
            return true;
        }, "STMDA", "LDMDA", "STM", "LDM", "STMDB", "LDMDB", "STMIB", "LDMIB");
    }

    // ------------------------------------------------------------------------------------ synchronization

    private static void registerSync() {
        // SWP{B} <Rt>, <Rt2>, [<Rn>]: Rn differs from Rt and Rt2
        register((b, e) -> {
            if (b.base < 0) {
                return false;
            }
            int size = e.name().equals("SWP") ? 4 : 1;
            if (!b.fits(0, size, size)) {
                return false;
            }
            int w = b.fill(e);
            int t = b.writable();
            int t2 = b.readable(b.base);
            w = setField(setField(setField(w, 12, 4, t), 0, 4, t2), 16, 4, b.base);
            if (!b.add(w, e)) {
                return false;
            }
            b.stored();
            return true;
        }, "SWP", "SWPB");
        for (String size : List.of("", "B", "H", "D")) {
            Encoding ldrex = BY_NAME.get("LDREX" + size);
            Encoding strex = BY_NAME.get("STREX" + size);
            Gen gen = (b, e) -> exclusive(b, ldrex, strex, e == ldrex);
            register(gen, "LDREX" + size, "STREX" + size);
        }
        register(regs(""), "CLREX");
    }

    /** LDREX then STREX of the same size on the base (70 %), or only the one named. */
    private static boolean exclusive(CaseBuilder b, Encoding ldrex, Encoding strex, boolean loadNamed) {
        if (b.base < 0) {
            return false;
        }
        String name = ldrex.name();
        int size = switch (name.substring(5)) {
            case "" -> 4;
            case "B" -> 1;
            case "H" -> 2;
            default -> 8;
        };
        boolean dual = size == 8;
        if (!b.fits(0, size, size)) {
            return false;
        }
        boolean pair = b.remaining >= 2 && b.rnd.nextInt(10) < 7;
        // A STREX must match the size of every LDREX before it (any may be the one that executed last),
        // with no ordinary store in between (QEMU compares values; the architecture leaves it IMPLEMENTATION DEFINED).
        boolean storeAllowed = (b.exclusiveSizes & ~size) == 0 && !b.storedAfterExclusive;
        if (!storeAllowed) {
            if (!loadNamed) {
                return false;
            }
            pair = false;
        }
        if (pair || loadNamed) {
            int w = b.fill(ldrex);
            int t = dual ? 2 * b.rnd.nextInt(6) : b.writable();
            if (t < 0 || b.reserved(t) || dual && b.reserved(t + 1)) {
                return false;
            }
            w = setField(setField(w, 12, 4, t), 16, 4, b.base);
            if (!b.add(w, ldrex)) {
                return false;
            }
            b.exclusiveSizes |= size;
        }
        if (pair || !loadNamed) {
            int w = b.fill(strex);
            int t = dual ? 2 * b.rnd.nextInt(6) : b.readable();
            int d = dual ? b.writable(t, t + 1) : b.writable(t);
            if (d < 0) {
                return false;
            }
            w = setField(setField(setField(w, 12, 4, d), 0, 4, t), 16, 4, b.base);
            return b.add(w, strex);
        }
        return true;
    }
}
