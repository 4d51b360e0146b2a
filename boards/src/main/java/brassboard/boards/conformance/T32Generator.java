package brassboard.boards.conformance;

import brassboard.arm.t32.T32Decoder;
import brassboard.arm.t32.T32Encoding;
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
 * Generates random but valid T32 test cases from a seed, as {@link A32Generator} does for A32: per case
 * an initial state and a sequence of 1 to {@link #MAX_SEQUENCE} instructions (an IT instruction counts
 * as one) drawn from the classes (groups) of the T32 {@code encodings.txt}, run in Thumb state.
 *
 * <p>Each instruction is an encoding's pattern filled at random, then made valid: register fields
 * name r0-r12 or r14 only (r0-r7 in 3-bit fields), never sp or pc; loads and stores use one base and
 * one index register in r0-r7 that nothing else writes, with offsets and writebacks bounded so that
 * every access stays inside the scratch window and aligned where the instruction needs it; and the
 * UNPREDICTABLE combinations (RdLo == RdHi, Rt == Rt2 of a doubleword load, a status register that is
 * also an operand, a bit field past bit 31, a register list of one or with the base, ...) are redrawn.
 * IT blocks of 1 to 4 instructions, with random then / else conditions, cover instructions of every
 * generated class but branches. Branches (B, B{cond}, CBZ, CBNZ, BL in 16- and 32-bit forms) go
 * forward inside the sequence. Every word is checked against the decoder.
 */
public final class T32Generator {
    /** Longest sequence in a case. */
    public static final int MAX_SEQUENCE = 6;

    /** Whole groups of the table that are not generated, and why. */
    public static final Map<String, String> EXCLUDED_GROUPS = Map.of(
            "exception", "SVC / BKPT / HVC / SMC / UDF trap to the kernel or a debugger",
            "coproc", "coprocessor accesses: CP15 is privileged; VFP and Advanced SIMD run as the A32 words the vfp and neon suites test");

    /** Encodings of generated groups that are not generated, and why. */
    public static final Map<String, String> EXCLUDED = excluded();

    private static Map<String, String> excluded() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : List.of("LDR_lit16", "LDR_lit", "LDRB_lit", "LDRSB_lit", "LDRH_lit", "LDRSH_lit", "LDRD_lit")) {
            m.put(n, "loads from around the sequence, where the two sides' memories differ");
        }
        for (String n : List.of("STR_sp16", "LDR_sp16", "ADD_sp16", "ADD_spsp", "SUB_spsp", "PUSH16", "POP16")) {
            m.put(n, "uses sp, which holds the harness's pointer");
        }
        for (String n : List.of("BX16", "BLX_reg16", "BXJ32")) {
            m.put(n, "needs a register holding an address inside the sequence (not generated yet)");
        }
        m.put("BLX_imm32", "switches to ARM state");
        m.put("TBB", "branches by a table in memory");
        m.put("TBH", "branches by a table in memory");
        for (String n : List.of("WFI16", "WFE16", "WFI32", "WFE32")) {
            m.put(n, "waits for an interrupt or event");
        }
        m.put("SETEND16", "switches data endianness, which the harness's own loads and stores would inherit");
        for (String n : List.of("CPS16", "CPS32", "SRS_db32", "SRS_ia32", "RFE_db32", "RFE_ia32", "SUBS_pc_lr",
                "MRS_banked32", "MSR_banked32")) {
            m.put(n, "privileged or UNPREDICTABLE in User mode");
        }
        return Collections.unmodifiableMap(m);
    }

    private static final Map<String, T32Encoding> BY_NAME = new LinkedHashMap<>();
    private static final T32Encoding[] DECODER = T32Decoder.encodings();

    static {
        List<T32Encoding> byLine = new ArrayList<>(List.of(DECODER));
        byLine.sort(Comparator.comparingInt(T32Encoding::line));
        for (T32Encoding e : byLine) {
            BY_NAME.put(e.name(), e);
        }
    }

    private static boolean generated(T32Encoding e) {
        return !EXCLUDED_GROUPS.containsKey(e.group()) && !EXCLUDED.containsKey(e.name())
                && (!e.group().equals("status") || e.name().equals("MRS32") || e.name().equals("MSR_reg32"));
    }

    private final SplittableRandom rnd;
    private final List<String> classes;
    private final Map<String, List<T32Encoding>> byClass = new LinkedHashMap<>();
    private final boolean memory;

    /**
     * @param seed      the seed
     * @param onlyClass a class name from {@link #classes()}, or {@code null} for all of them
     * @throws IllegalArgumentException naming the known classes when {@code onlyClass} is not one
     */
    public T32Generator(long seed, String onlyClass) {
        this.rnd = new SplittableRandom(seed);
        this.classes = Generators.select(onlyClass, classes());
        for (String c : classes) {
            List<T32Encoding> list = new ArrayList<>();
            for (T32Encoding e : BY_NAME.values()) {
                if (e.group().equals(c) && generated(e)) {
                    list.add(e);
                }
            }
            byClass.put(c, list);
        }
        this.memory = classes.contains("loadstore") || classes.contains("ldm") || classes.contains("sync")
                || classes.contains("hint");
    }

    /** The classes that can be generated. */
    public static List<String> classes() {
        Set<String> out = new LinkedHashSet<>();
        for (T32Encoding e : BY_NAME.values()) {
            if (generated(e)) {
                out.add(e.group());
            }
        }
        return List.copyOf(out);
    }

    /** Names of the encodings this generator produces. */
    public static Set<String> generatedEncodings() {
        Set<String> out = new LinkedHashSet<>();
        for (T32Encoding e : BY_NAME.values()) {
            if (generated(e)) {
                out.add(e.name());
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
        Builder b = new Builder(rnd, memory);
        while (b.insns.size() < length) {
            int remaining = length - b.insns.size();
            if (remaining >= 2 && rnd.nextInt(6) == 0) {
                emitItBlock(b, Math.min(4, remaining - 1));
                continue;
            }
            b.insns.add(pick(b, false, remaining));
        }
        return new TestCase(id, layout(b.insns, rnd), b.initialState(), true);
    }

    private void emitItBlock(Builder b, int maxCovered) {
        int k = 1 + rnd.nextInt(maxCovered);
        int first = rnd.nextInt(15) == 0 ? 0xE : rnd.nextInt(14);
        int[] conds = new int[k];
        for (int i = 0; i < k; i++) {
            conds[i] = i == 0 || first == 0xE ? first : (first & 0xE) | rnd.nextInt(2);
        }
        b.insns.add(Insn.of(itWord(conds), "IT"));
        for (int i = 0; i < k; i++) {
            b.insns.add(pick(b, true, 1));
        }
    }

    /** The IT instruction whose block has the conditions {@code conds} (1 to 4, sharing bits 3:1). */
    static int itWord(int[] conds) {
        int k = conds.length;
        int mask = 1 << (4 - k);
        for (int i = 1; i < k; i++) {
            mask |= (conds[i] & 1) << (4 - i);
        }
        return 0xBF00 | conds[0] << 4 | mask;
    }

    /** The conditions of the block of IT instruction {@code hw}. */
    static int[] itConditions(int hw) {
        int first = (hw >>> 4) & 15;
        int mask = hw & 15;
        int k = 4 - Integer.numberOfTrailingZeros(mask);
        int[] conds = new int[k];
        conds[0] = first;
        for (int i = 1; i < k; i++) {
            conds[i] = (first & 0xE) | ((mask >>> (4 - i)) & 1);
        }
        return conds;
    }

    /** One instruction (inside an IT block: no branch, nothing UNPREDICTABLE there). */
    private Insn pick(Builder b, boolean inIt, int remaining) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            String c = pickClass();
            List<T32Encoding> list = byClass.get(c);
            T32Encoding e = list.get(rnd.nextInt(list.size()));
            if (e.name().equals("IT") || inIt && (e.group().equals("branch"))) {
                continue;
            }
            Builder.Snapshot s = b.snapshot();
            Insn insn = b.make(e, inIt, remaining);
            if (insn != null) {
                return insn;
            }
            b.restore(s);
        }
        throw new IllegalStateException("could not generate an instruction for classes " + classes);
    }

    private String pickClass() {
        return Generators.pickClass(rnd, classes, byClass);
    }

    /** The encoding the decoder gives {@code insn} (a halfword, or hw1:hw2), or {@code null} when UNDEFINED. */
    public static String decodeName(int insn) {
        boolean wide = (insn >>> 16) != 0;
        int i = wide ? T32Decoder.decodeWide(insn) : T32Decoder.decodeNarrow(insn);
        return i < 0 ? null : DECODER[i].name();
    }

    // ------------------------------------------------------------------------------------ branches and layout

    /**
     * The sequence with every branch given a forward target (when it has none yet, {@code rnd} picks one)
     * and encoded for its byte offset; a CBZ / CBNZ that cannot reach any target becomes a NOP.
     */
    static List<Insn> layout(List<Insn> insns, SplittableRandom rnd) {
        List<Insn> out = new ArrayList<>(insns);
        int n = out.size();
        for (int i = 0; i < n; i++) {
            Insn insn = out.get(i);
            if (!insn.isBranch()) {
                continue;
            }
            int target = insn.branchTarget();
            boolean cb = insn.encoding().equals("CBZ") || insn.encoding().equals("CBNZ");
            int lowest = cb ? i + 2 : i + 1;
            if (target == Integer.MAX_VALUE) {
                target = lowest > n ? n : lowest + rnd.nextInt(Math.min(4, n - lowest + 1));
            }
            if (cb && target < lowest) {
                target = lowest;
            }
            if (target > n) {
                out.set(i, Insn.of(0xBF00, "NOP16")); // a CBZ / CBNZ with nothing to skip
                continue;
            }
            out.set(i, new Insn(encodeBranch(insn, offset(out, i, target)), insn.encoding(), target));
        }
        return out;
    }

    /** Byte distance from the PC of instruction {@code from} (its address + 4) to instruction {@code to}. */
    private static int offset(List<Insn> insns, int from, int to) {
        int bytes = 0;
        for (int i = from; i < to; i++) {
            bytes += insns.get(i).size(true);
        }
        return bytes - 4;
    }

    private static int encodeBranch(Insn insn, int offset) {
        int w = insn.word();
        switch (insn.encoding()) {
            case "B16":
                return 0xE000 | (offset >> 1) & 0x7FF;
            case "B_cond16":
                return (w & 0xFF00) | (offset >> 1) & 0xFF;
            case "CBZ":
            case "CBNZ":
                return (w & 0xFD07) | ((offset >> 6) & 1) << 9 | ((offset >> 1) & 31) << 3;
            case "B_cond32": {
                int s = (offset >>> 20) & 1;
                int j1 = (offset >>> 18) & 1;
                int j2 = (offset >>> 19) & 1;
                return (w & 0xFBC0_D000) | s << 26 | ((offset >>> 12) & 0x3F) << 16 | j1 << 13 | j2 << 11 | (offset >>> 1) & 0x7FF;
            }
            default: { // B32, BL32
                int s = (offset >>> 24) & 1;
                int j1 = ~(((offset >>> 23) & 1) ^ s) & 1;
                int j2 = ~(((offset >>> 22) & 1) ^ s) & 1;
                return (w & 0xF800_D000) | s << 26 | ((offset >>> 12) & 0x3FF) << 16 | j1 << 13 | j2 << 11 | (offset >>> 1) & 0x7FF;
            }
        }
    }

    /**
     * {@code insns} without instruction {@code index}: branches keep their targets, an IT block that covered
     * it covers one fewer (and goes when it covers none).
     */
    static List<Insn> without(List<Insn> insns, int index) {
        List<Insn> out = new ArrayList<>(insns);
        // the IT block covering index, if any
        for (int p = Math.max(0, index - 4); p < index; p++) {
            Insn it = out.get(p);
            if (!it.encoding().equals("IT")) {
                continue;
            }
            int[] conds = itConditions(it.word());
            int k = index - p - 1;
            if (k < conds.length) {
                int[] fewer = new int[conds.length - 1];
                for (int i = 0, j = 0; i < conds.length; i++) {
                    if (i != k) {
                        fewer[j++] = conds[i];
                    }
                }
                if (fewer.length == 0) {
                    out.remove(index);
                    out.remove(p);
                    return retarget(out, insns, index, p);
                }
                out.set(p, Insn.of(itWord(fewer), "IT"));
            }
        }
        out.remove(index);
        return retarget(out, insns, index, -1);
    }

    private static List<Insn> retarget(List<Insn> out, List<Insn> before, int removed, int alsoRemoved) {
        List<Insn> fixed = new ArrayList<>(out.size());
        for (Insn insn : out) {
            if (insn.isBranch()) {
                int t = insn.branchTarget();
                int nt = t - (t > removed ? 1 : 0) - (alsoRemoved >= 0 && t > alsoRemoved ? 1 : 0);
                insn = new Insn(insn.word(), insn.encoding(), nt);
            }
            fixed.add(insn);
        }
        return layout(fixed, new SplittableRandom(0));
    }

    // ------------------------------------------------------------------------------------ case state

    /** The state of one case being generated. */
    static final class Builder {
        final SplittableRandom rnd;
        final List<Insn> insns = new ArrayList<>();
        final int[] regs = new int[14];
        final int base;
        final int index;
        /** How far writebacks may have moved the base (always by multiples of 8). */
        int drift;
        /**
         * Sizes (a bit mask of byte counts) of the load-exclusives so far: a store-exclusive must match all
         * of them, as whether one of another size passes the monitor is IMPLEMENTATION DEFINED.
         */
        int exclusiveSizes;

        record Snapshot(int drift, int exclusiveSizes) {
        }

        Builder(SplittableRandom rnd, boolean memory) {
            this.rnd = rnd;
            for (int i = 0; i < 14; i++) {
                regs[i] = A32Generator.interesting(rnd);
            }
            if (memory) {
                base = rnd.nextInt(8);
                int x = rnd.nextInt(7);
                index = x >= base ? x + 1 : x;
                regs[base] = Harness.WINDOW + Harness.WINDOW_SIZE / 2 + 8 * (rnd.nextInt(65) - 32);
                regs[index] = rnd.nextInt(10) < 7 ? 8 * rnd.nextInt(9) : rnd.nextInt(65);
            } else {
                base = -1;
                index = -1;
            }
        }

        Snapshot snapshot() {
            return new Snapshot(drift, exclusiveSizes);
        }

        void restore(Snapshot s) {
            drift = s.drift;
            exclusiveSizes = s.exclusiveSizes;
        }

        CpuState initialState() {
            byte[] window = Generators.window(rnd);
            return new CpuState(regs.clone(), rnd.nextInt() & CpuState.FLAGS_MASK, window);
        }

        /** r0-r12 or r14, or r0-r7 when {@code low}; never the base or index. */
        int register(boolean low) {
            while (true) {
                int r = low ? rnd.nextInt(8) : rnd.nextInt(14);
                if (r == 13) {
                    r = 14;
                }
                if (r != base && r != index) {
                    return r;
                }
            }
        }

        /** A writeback amount: a multiple of 8 up to 64, keeping the base's total drift within 384 bytes. */
        int writebackAmount() {
            int a = 8 * rnd.nextInt(9);
            if (drift + a > 384) {
                a = 0;
            }
            drift += a;
            return a;
        }

        /** The encoding filled at random and made valid, or {@code null} to try another. */
        Insn make(T32Encoding e, boolean inIt, int remaining) {
            String name = e.name();
            String group = e.group();
            boolean memoryGroup = group.equals("loadstore") || group.equals("ldm") || group.equals("sync")
                    || name.startsWith("PLD") || name.startsWith("PLI");
            if (memoryGroup && base < 0) {
                return null;
            }
            String p = e.pattern();
            int len = p.length();
            int w = 0;
            for (int i = 0; i < len; i++) {
                char ch = p.charAt(i);
                int bit = switch (ch) {
                    case '0', 'z' -> 0;
                    case '1', 'o' -> 1;
                    default -> rnd.nextInt(2);
                };
                w |= bit << (len - 1 - i);
            }
            // register fields: runs of a register letter
            String letters = registerLetters(group, name);
            int[] fields = new int[128];
            for (int i = 0; i < len; ) {
                char ch = p.charAt(i);
                int j = i;
                while (j < len && p.charAt(j) == ch) {
                    j++;
                }
                int width = j - i;
                int lsb = len - j;
                if (letters.indexOf(ch) >= 0 && (width == 3 || width == 4)) {
                    int r;
                    if (memoryGroup && ch == 'n') {
                        r = base;
                    } else if (memoryGroup && ch == 'm') {
                        r = index;
                    } else {
                        r = register(width == 3);
                    }
                    w = (w & ~(((1 << width) - 1) << lsb)) | r << lsb;
                    fields[ch] = r;
                }
                i = j;
            }
            w = fixUp(e, w, fields, inIt, remaining);
            if (w == -1 || !exclusiveSizeFits(name)) {
                return null;
            }
            if (!name.equals(decodeName(w))) {
                return null;
            }
            if (group.equals("branch")) {
                return new Insn(w, name, Integer.MAX_VALUE);
            }
            return Insn.of(w, name);
        }

        /** Records a load-exclusive's size; whether a store-exclusive's size matches every one so far. */
        private boolean exclusiveSizeFits(String name) {
            if (!name.startsWith("LDREX") && !name.startsWith("STREX")) {
                return true;
            }
            int size = name.startsWith("LDREXB") || name.startsWith("STREXB") ? 1
                    : name.startsWith("LDREXH") || name.startsWith("STREXH") ? 2
                    : name.startsWith("LDREXD") || name.startsWith("STREXD") ? 8 : 4;
            if (name.startsWith("LDREX")) {
                exclusiveSizes |= size;
                return true;
            }
            return exclusiveSizes == 0 || exclusiveSizes == size;
        }

        private static String registerLetters(String group, String name) {
            switch (group) {
                case "dataproc": return name.endsWith("_hi") ? "" : "dnm";
                case "multiply": return "dnmalh";
                case "media": return "dnma";
                case "loadstore": return "tTnm";
                case "ldm": return "n";
                case "sync": return "tTdn";
                case "hint": return "nm";
                case "status": return "dn";
                case "branch": return "n";
                default: return "";
            }
        }

        /** Encoding-specific constraints; -1 when this draw cannot be made valid. */
        private int fixUp(T32Encoding e, int w, int[] f, boolean inIt, int remaining) {
            String name = e.name();
            switch (name) {
                case "ADD_hi":
                case "MOV_hi":
                case "CMP_hi": {
                    int d = register(false);
                    int m = register(false);
                    if (name.equals("CMP_hi") && d < 8 && m < 8) {
                        return -1;
                    }
                    return (w & 0xFF00) | (d & 8) << 4 | m << 3 | (d & 7);
                }
                case "LSL_imm16":
                    return inIt && ((w >>> 6) & 31) == 0 ? -1 : w; // MOV (register) T2: UNPREDICTABLE in an IT block
                case "MRS32":
                    return w & ~(1 << 20);
                case "MSR_reg32": {
                    int[] masks = {4, 8, 12};
                    return (w & ~(1 << 20) & ~0xF00) | masks[rnd.nextInt(3)] << 8;
                }
                case "CBZ":
                case "CBNZ":
                    return remaining < 2 || inIt ? -1 : w;
                case "B_cond16":
                case "B_cond32":
                    return ((w >>> (e.wide() ? 22 : 8)) & 14) == 14 ? -1 : w; // 111x: not a branch
                case "SMULL32": case "UMULL32": case "SMLAL32": case "UMLAL32": case "UMAAL32":
                case "SMLALxy32": case "SMLALD32": case "SMLSLD32":
                    return f['l'] == f['h'] ? -1 : w;
                case "BFI32":
                case "BFC32": {
                    int lsb = ((w >>> 10) & 0x1C) | ((w >>> 6) & 3);
                    return (w & 31) < lsb ? -1 : w;
                }
                case "SBFX32":
                case "UBFX32": {
                    int lsb = ((w >>> 10) & 0x1C) | ((w >>> 6) & 3);
                    return lsb + (w & 31) > 31 ? -1 : w;
                }
                case "PARALLEL32": {
                    int op = (w >>> 20) & 7;
                    int prefix = (w >>> 4) & 7;
                    return op == 3 || op == 7 || prefix == 3 || prefix == 7 ? -1 : w;
                }
                case "SXTAH32": case "UXTAH32": case "SXTAB16_32": case "UXTAB16_32": case "SXTAB32": case "UXTAB32":
                    return rnd.nextInt(3) == 0 ? w | 0xF0000 : w; // Rn == 1111: the plain extend
                case "LDRD_pre": case "LDRD_post": case "STRD_pre": case "STRD_post": {
                    if (name.startsWith("LDRD") && f['t'] == f['T']) {
                        return -1;
                    }
                    if ((w & (1 << 21)) != 0) {
                        int a = writebackAmount();
                        return (w & ~0xFF) | a >> 2;
                    }
                    return w;
                }
                case "LDREX32":
                    return (w & ~0xFF) | rnd.nextInt(17);
                case "STREX32":
                    return f['d'] == f['t'] ? -1 : (w & ~0xFF) | rnd.nextInt(17);
                case "STREXB32": case "STREXH32":
                    return f['d'] == f['t'] ? -1 : w;
                case "LDREXD32":
                    return f['t'] == f['T'] ? -1 : w;
                case "STREXD32":
                    return f['d'] == f['t'] || f['d'] == f['T'] ? -1 : w;
                case "STM16": case "LDM16": {
                    int list = lowList();
                    return list == 0 ? -1 : (w & 0xFF00) | list;
                }
                case "STM32": case "LDM32": case "STMDB32": case "LDMDB32": {
                    boolean wback = (w & (1 << 21)) != 0;
                    int list = fullList(wback);
                    return list == 0 ? -1 : (w & 0xFFFF_0000) | list;
                }
                default:
                    break;
            }
            if (name.endsWith("_imm12") && e.group().equals("loadstore")) {
                return (w & ~0xFFF) | rnd.nextInt(1001);
            }
            if (name.endsWith("_imm8") && e.group().equals("loadstore")) {
                if ((w & 0x500) == 0) {
                    w |= 0x400; // P == 0 and W == 0 is UNDEFINED
                }
                if ((w & 0x100) != 0) {
                    w = (w & ~0xFF) | writebackAmount();
                }
                return w;
            }
            if (e.group().equals("dataproc") && e.wide() && (w & 0xF8008000) == 0xF0000000) {
                // ThumbExpandImm: 00XY00XY and friends with XY == 0 are UNPREDICTABLE
                int imm12 = ((w >>> 15) & 0x800) | ((w >>> 4) & 0x700) | (w & 0xFF);
                if ((imm12 & 0xC00) == 0 && (imm12 & 0x300) != 0 && (imm12 & 0xFF) == 0) {
                    return -1;
                }
            }
            return w;
        }

        /** An even number (at least 2) of r0-r7 other than the base and index (16-bit forms write back). */
        private int lowList() {
            int list = 0;
            for (int r = 0; r < 8; r++) {
                if (r != base && r != index && rnd.nextBoolean()) {
                    list |= 1 << r;
                }
            }
            if (Integer.bitCount(list) % 2 != 0) {
                list &= list - 1;
            }
            return list;
        }

        /** At least 2 of r0-r12, r14 other than the base and index; an even number with writeback. */
        private int fullList(boolean wback) {
            int list = 0;
            for (int r = 0; r < 15; r++) {
                if (r != 13 && r != base && r != index && rnd.nextInt(3) == 0) {
                    list |= 1 << r;
                }
            }
            if (wback && Integer.bitCount(list) % 2 != 0) {
                list &= list - 1;
            }
            if (Integer.bitCount(list) < 2) {
                return 0;
            }
            if (wback) {
                drift += 4 * Integer.bitCount(list);
                if (drift > 384) {
                    return 0;
                }
            }
            return list;
        }
    }
}
