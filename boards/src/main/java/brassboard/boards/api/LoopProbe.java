package brassboard.boards.api;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.core.ArmCore;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.Ram;

/**
 * Runs one iteration of a counter-polling loop on the side, for {@link PollWarp}: from the loop's
 * counter read ({@code MRRC p15, 0|1, Rt, Rt2, c14}) back to it, on a copy of the registers and flags
 * and an overlay over RAM, with a counter value given, and says whether the iteration would come back
 * to the read along the same path. Nothing in the machine changes.
 *
 * <p>It also checks what makes skipping iterations exact. Every location (register, flag, RAM word or
 * byte) the iteration reads before writing is an <em>input</em>; every location it writes is an
 * <em>output</em>. The iteration qualifies when:
 * <ul>
 *   <li>it reads the counter exactly once, at its start, and touches nothing but RAM (no device, no
 *       coprocessor, no exception, no mode change);</li>
 *   <li>an input it also writes holds the same value at the end as at the start (a return address
 *       re-written by {@code bl}), so every iteration starts from the same inputs;</li>
 *   <li>no address (load, store, branch target) depends on the counter value: every iteration writes
 *       the same locations, each time overwriting the previous iteration's values.</li>
 * </ul>
 * Then the state after any number of iterations is the state after the last one alone, which depends
 * only on the counter value that last one read.
 *
 * <p>Only a small part of A32 is understood: data processing with an immediate or an
 * immediate-shifted register (no PC operands), LDR/STR/LDRB/STRB with an immediate offset and no
 * write-back, B, BL and BX to ARM code, and the counter read. Anything else makes the loop unfit.
 *
 * <p>A probe allocates nothing (it runs about ten times per warp, tens of thousands of warps a
 * second of guest time with live console input): registers and flags are indexed, with bitmasks for
 * "read before written" and "written"; RAM locations read and RAM locations written live in small
 * parallel arrays searched linearly (one iteration is at most {@code maxSteps + 1} instructions, so
 * at most that many of each); the path is an array with a length. All of it is reused by the next
 * probe. Unfit loops are rare (a PC found unfit is never probed again), so only they build a
 * message.
 */
final class LoopProbe {
    /** {@link #run}: the iteration does something that makes skipping inexact (see {@link #why}). */
    static final int UNFIT = -1;
    /** {@link #run}: fit so far, but the iteration does not come back to the read (along the reference). */
    static final int LEFT = 0;
    /** {@link #run}: fit, and back at the read after {@link #pathLength} instructions. */
    static final int LOOPED = 1;

    private static final int N = 31;
    private static final int Z = 30;
    private static final int C = 29;
    private static final int V = 28;

    private final ArmCpu cpu;
    private final AddressSpace bus;
    private final int start;
    private final int maxSteps;

    // ---- one probe's state, reused by the next ----
    private final int[] r = new int[16];
    private final boolean[] rTaint = new boolean[16];
    private boolean n;
    private boolean z;
    private boolean c;
    private boolean v;
    private boolean flagsTaint;
    /** Registers read before written (inputs), as bits; {@link #regIn} holds their values then. */
    private int regRead;
    /** Registers written (outputs), as bits; their last value is in {@link #r}. */
    private int regWritten;
    private final int[] regIn = new int[16];
    /** The flags read before written, and their value ({@link #flagsWord}) then. */
    private boolean flagsRead;
    private int flagsIn;
    /** The flags written; their last value is the flags' current value. */
    private boolean flagsWritten;
    /**
     * RAM locations read before written (inputs): physical address, size, value read. Only a location
     * with nothing written in its word is read from the bus, so "before written" always holds there.
     */
    private final long[] inPa;
    private final int[] inSize;
    private final long[] inValue;
    private int inCount;
    /**
     * RAM locations written (the overlay over RAM, and the outputs): physical address, size, last value
     * (a byte's zero-extended), whether that value depends on the counter. One size per address.
     */
    private final long[] outPa;
    private final int[] outSize;
    private final int[] outValue;
    private final boolean[] outTaint;
    private int outCount;
    /** The PCs run so far. */
    private final int[] path;
    private int pathLength;
    private String why = "";

    LoopProbe(ArmCpu cpu, AddressSpace bus, int start, int maxSteps) {
        this.cpu = cpu;
        this.bus = bus;
        this.start = start;
        this.maxSteps = maxSteps;
        int steps = maxSteps + 1; // at most one load or store per instruction
        inPa = new long[steps];
        inSize = new int[steps];
        inValue = new long[steps];
        outPa = new long[steps];
        outSize = new int[steps];
        outValue = new int[steps];
        outTaint = new boolean[steps];
        path = new int[steps];
    }

    /** The loop's start: the counter read. */
    int start() {
        return start;
    }

    /** One iteration with the counter reading {@code counter}: {@link #UNFIT}, {@link #LEFT} or {@link #LOOPED}. */
    int run(long counter) {
        return run(counter, null, 0);
    }

    /**
     * One iteration with the counter reading {@code counter}; with {@code reference} (its first
     * {@code referenceLength} PCs), it ends ({@link #LEFT}) as soon as it leaves that path: what lies
     * beyond the loop's exit is not looked at. Then {@link #path} is a prefix of the reference.
     */
    int run(long counter, int[] reference, int referenceLength) {
        pathLength = 0;
        why = "";
        for (int i = 0; i < 15; i++) {
            r[i] = cpu.reg(i);
            rTaint[i] = false;
        }
        r[15] = 0;
        rTaint[15] = false;
        int cpsr = cpu.cpsr();
        if ((cpsr & (1 << 9)) != 0 || (cpsr & (1 << 5)) != 0) {
            return unfit("big-endian data or Thumb");
        }
        n = (cpsr >>> N & 1) != 0;
        z = (cpsr >>> Z & 1) != 0;
        c = (cpsr >>> C & 1) != 0;
        v = (cpsr >>> V & 1) != 0;
        flagsTaint = false;
        regRead = 0;
        regWritten = 0;
        flagsRead = false;
        flagsWritten = false;
        inCount = 0;
        outCount = 0;
        if (bus.faultPointsArmed()) {
            // the probe's own fetches and loads would be bus accesses a fault rule could match (and use up)
            return unfit("a fault plan watches the bus");
        }
        int pc = start;
        for (int step = 0; step <= maxSteps; step++) {
            if (step > 0 && pc == start) {
                String changed = changedInput();
                if (changed != null) {
                    return unfit("the iteration changes its own input " + changed);
                }
                return LOOPED;
            }
            if (reference != null && (step >= referenceLength || reference[step] != pc)) {
                why = "left the loop";
                return LEFT;
            }
            path[pathLength++] = pc;
            long pa = cpu.peekTranslation(pc, false);
            if (pa < 0 || !plainMemory(pa)) {
                return unfit("code not in the TLB or not memory");
            }
            int w = (int) bus.read(pa, 4, cpu.cpuId());
            try {
                pc = execute(w, pc, counter, step == 0);
            } catch (Unfit u) {
                return unfit(String.format("0x%08x: %s", pc, u.getMessage()));
            }
        }
        why = "left the loop";
        return LEFT;
    }

    /** After {@link #run}: how many PCs its path holds (not meaningful after {@link #UNFIT}). */
    int pathLength() {
        return pathLength;
    }

    /** After {@link #run}: the PCs it ran, {@link #pathLength} of them (not meaningful after {@link #UNFIT}). */
    int[] path() {
        return path;
    }

    /** After {@link #run}: why it is unfit or left; empty when it looped. */
    String why() {
        return why;
    }

    private int unfit(String reason) {
        why = reason;
        return UNFIT;
    }

    /** An input the iteration also wrote with another value (its name, for {@link #why}), or null. */
    private String changedInput() {
        int both = regRead & regWritten;
        for (int i = 0; i < 16; i++) {
            if ((both >>> i & 1) != 0 && regIn[i] != r[i]) {
                return "r" + i;
            }
        }
        if (flagsRead && flagsWritten && flagsIn != flagsWord()) {
            return "f";
        }
        for (int k = 0; k < inCount; k++) {
            for (int j = 0; j < outCount; j++) {
                if ((outPa[j] & ~3L) != (inPa[k] & ~3L)) {
                    continue;
                }
                String where = (inSize[k] == 1 ? "b" : "w") + Long.toHexString(inPa[k]);
                if (outPa[j] != inPa[k] || outSize[j] != inSize[k]) {
                    return where + " (a mixed-size read and write of one word)";
                }
                if ((outValue[j] & 0xFFFF_FFFFL) != inValue[k]) {
                    return where;
                }
            }
        }
        return null;
    }

    private boolean plainMemory(long pa) {
        AddressSpace.Mapping m = bus.mappingAt(pa);
        return m != null && ArmCore.isPlainMemory(m.region());
    }

    private static final class Unfit extends Exception {
        private static final long serialVersionUID = 1L;

        Unfit(String why) {
            super(why, null, false, false);
        }
    }

    // ---- locations ----
    private int reg(int i) throws Unfit {
        if (i == 15) {
            throw new Unfit("reads the PC");
        }
        int bit = 1 << i;
        if ((regWritten & bit) == 0 && (regRead & bit) == 0) {
            regRead |= bit;
            regIn[i] = r[i];
        }
        return r[i];
    }

    private void readFlags() {
        if (!flagsWritten && !flagsRead) {
            flagsRead = true;
            flagsIn = flagsWord();
        }
    }

    /** The overlay's entry for {@code pa}, or -1. */
    private int written(long pa) {
        for (int j = 0; j < outCount; j++) {
            if (outPa[j] == pa) {
                return j;
            }
        }
        return -1;
    }

    /** Whether the overlay holds any byte of the word holding {@code pa}. */
    private boolean overlapsOverlay(long pa) {
        long word = pa & ~3L;
        for (int j = 0; j < outCount; j++) {
            if ((outPa[j] & ~3L) == word) {
                return true;
            }
        }
        return false;
    }

    /** Records a RAM input, unless this location (address and size) was read before. */
    private void readRam(long pa, int size, long value) {
        for (int k = 0; k < inCount; k++) {
            if (inPa[k] == pa && inSize[k] == size) {
                return;
            }
        }
        inPa[inCount] = pa;
        inSize[inCount] = size;
        inValue[inCount] = value;
        inCount++;
    }

    private int flagsWord() {
        return (n ? 8 : 0) | (z ? 4 : 0) | (c ? 2 : 0) | (v ? 1 : 0);
    }

    private boolean condition(int cond) {
        readFlags();
        return switch (cond) {
            case 0 -> z;
            case 1 -> !z;
            case 2 -> c;
            case 3 -> !c;
            case 4 -> n;
            case 5 -> !n;
            case 6 -> v;
            case 7 -> !v;
            case 8 -> c && !z;
            case 9 -> !c || z;
            case 10 -> n == v;
            case 11 -> n != v;
            case 12 -> !z && n == v;
            case 13 -> z || n != v;
            default -> true;
        };
    }

    /** Executes {@code w} at {@code pc}; returns the next PC. */
    private int execute(int w, int pc, long counter, boolean first) throws Unfit {
        int cond = w >>> 28;
        if (cond == 0xF) {
            throw new Unfit("unconditional-space instruction");
        }
        // MRRC p15, opc1, Rt, Rt2, c14
        if ((w & 0x0FF00F00) == 0x0C500F00) {
            int opc1 = (w >>> 4) & 15;
            int crm = w & 15;
            if (!first || crm != 14 || opc1 > 1 || cond != 0xE) {
                throw new Unfit("a coprocessor read other than the loop's counter read");
            }
            int rt = (w >>> 12) & 15;
            int rt2 = (w >>> 16) & 15;
            if (rt == rt2) {
                throw new Unfit("MRRC with Rt = Rt2");
            }
            setRegW(rt, (int) counter, true);
            setRegW(rt2, (int) (counter >>> 32), true);
            return pc + 4;
        }
        if (first) {
            throw new Unfit("the loop does not start at its counter read");
        }
        boolean passed = cond == 0xE || condition(cond);
        int op = (w >>> 25) & 7;
        if (cond != 0xE && flagsTaint && op != 5 && (w & 0x0FFFFFF0) != 0x012FFF10) {
            // Executed in some iterations and not in others: what it writes would then carry over from an
            // earlier iteration. (A branch on such a condition changes the path, which the caller sees.)
            throw new Unfit("a conditional instruction whose condition depends on the counter");
        }
        if ((w & 0x0FFFFFF0) == 0x012FFF10) { // BX Rm
            if (!passed) {
                return pc + 4;
            }
            int rm = w & 15;
            int target = reg(rm);
            if (rTaint[rm]) {
                throw new Unfit("a branch target depends on the counter");
            }
            if ((target & 1) != 0) {
                throw new Unfit("BX to Thumb");
            }
            return target;
        }
        if (op == 5) { // B, BL
            if (!passed) {
                return pc + 4;
            }
            if ((w & (1 << 24)) != 0) {
                setRegW(14, pc + 4, false);
            }
            return pc + 8 + ((w << 8) >> 6);
        }
        if (op == 2) { // LDR/STR/LDRB/STRB immediate
            boolean p = (w & (1 << 24)) != 0;
            boolean u = (w & (1 << 23)) != 0;
            boolean b = (w & (1 << 22)) != 0;
            boolean wb = (w & (1 << 21)) != 0;
            boolean load = (w & (1 << 20)) != 0;
            if (!p || wb) {
                throw new Unfit("load/store with write-back");
            }
            if (!passed) {
                return pc + 4;
            }
            int rn = (w >>> 16) & 15;
            int rt = (w >>> 12) & 15;
            int base = reg(rn);
            if (rTaint[rn]) {
                throw new Unfit("an address depends on the counter");
            }
            int va = u ? base + (w & 0xFFF) : base - (w & 0xFFF);
            int size = b ? 1 : 4;
            if (va % size != 0) {
                throw new Unfit("unaligned access");
            }
            long pa = cpu.peekTranslation(va, !load);
            if (pa < 0) {
                throw new Unfit("data address not in the TLB");
            }
            AddressSpace.Mapping m = bus.mappingAt(pa);
            if (m == null || !(load ? ArmCore.isPlainMemory(m.region()) : m.region().getClass() == Ram.class) || bus.faultPointsArmed()) {
                throw new Unfit("an access to something other than RAM");
            }
            if (load) {
                long value;
                boolean taint;
                int j = written(pa);
                if (j >= 0 && outSize[j] == size) {
                    value = outValue[j] & (b ? 0xFFL : 0xFFFF_FFFFL);
                    taint = outTaint[j];
                } else if (overlapsOverlay(pa)) {
                    throw new Unfit("mixed-size accesses to one word");
                } else {
                    value = bus.read(pa, size, cpu.cpuId());
                    taint = false;
                    readRam(pa, size, value);
                }
                setRegW(rt, (int) value, taint);
            } else {
                int j = written(pa);
                if (overlapsOverlay(pa) && (j < 0 || outSize[j] != size)) {
                    throw new Unfit("mixed-size accesses to one word");
                }
                int value = reg(rt);
                if (j < 0) {
                    j = outCount++;
                    outPa[j] = pa;
                    outSize[j] = size;
                }
                outValue[j] = b ? value & 0xFF : value;
                outTaint[j] = rTaint[rt];
            }
            return pc + 4;
        }
        if (op == 0 || op == 1) { // data processing
            boolean imm = op == 1;
            int opcode = (w >>> 21) & 15;
            boolean s = (w & (1 << 20)) != 0;
            if (!imm && (w & (1 << 4)) != 0) {
                throw new Unfit("register-shifted or multiply/extra load-store encoding");
            }
            if (opcode >= 8 && opcode <= 11 && !s) {
                throw new Unfit("miscellaneous instruction");
            }
            if (!passed) {
                return pc + 4;
            }
            int rn = (w >>> 16) & 15;
            int rd = (w >>> 12) & 15;
            boolean usesRn = opcode != 13 && opcode != 15;
            int a = usesRn ? reg(rn) : 0;
            boolean ta = usesRn && rTaint[rn];
            int shifted;
            boolean carry;
            boolean tb;
            if (imm) {
                int rot = ((w >>> 8) & 15) * 2;
                shifted = Integer.rotateRight(w & 0xFF, rot);
                carry = rot == 0 ? cFlag() : shifted < 0;
                tb = rot == 0 && flagsTaint;
            } else {
                int rm = w & 15;
                int x = reg(rm);
                tb = rTaint[rm];
                int type = (w >>> 5) & 3;
                int amount = (w >>> 7) & 31;
                switch (type) {
                    case 0 -> {
                        if (amount == 0) {
                            shifted = x;
                            carry = cFlag();
                            tb |= flagsTaint;
                        } else {
                            shifted = x << amount;
                            carry = ((x >>> (32 - amount)) & 1) != 0;
                        }
                    }
                    case 1 -> {
                        int sh = amount == 0 ? 32 : amount;
                        shifted = sh == 32 ? 0 : x >>> sh;
                        carry = ((x >>> (sh - 1)) & 1) != 0;
                    }
                    case 2 -> {
                        int sh = amount == 0 ? 32 : amount;
                        shifted = sh == 32 ? x >> 31 : x >> sh;
                        carry = ((x >> (sh - 1)) & 1) != 0;
                    }
                    default -> {
                        if (amount == 0) {
                            boolean cin = cFlag();
                            tb |= flagsTaint;
                            shifted = (cin ? 0x8000_0000 : 0) | (x >>> 1);
                            carry = (x & 1) != 0;
                        } else {
                            shifted = Integer.rotateRight(x, amount);
                            carry = shifted < 0;
                        }
                    }
                }
            }
            boolean t = ta || tb;
            int result;
            boolean logical = false;
            boolean nc = c;
            boolean nv = v;
            switch (opcode) {
                case 0, 8 -> { result = a & shifted; logical = true; }
                case 1, 9 -> { result = a ^ shifted; logical = true; }
                case 12 -> { result = a | shifted; logical = true; }
                case 13 -> { result = shifted; logical = true; }
                case 14 -> { result = a & ~shifted; logical = true; }
                case 15 -> { result = ~shifted; logical = true; }
                default -> {
                    long x;
                    long y;
                    boolean cin;
                    switch (opcode) {
                        case 2, 10 -> { x = a; y = ~shifted; cin = true; }
                        case 3 -> { x = ~a; y = shifted; cin = true; }
                        case 4, 11 -> { x = a; y = shifted; cin = false; }
                        case 5 -> { x = a; y = shifted; cin = cFlag(); t |= flagsTaint; }
                        case 6 -> { x = a; y = ~shifted; cin = cFlag(); t |= flagsTaint; }
                        default -> { x = ~a; y = shifted; cin = cFlag(); t |= flagsTaint; }
                    }
                    long ux = x & 0xFFFF_FFFFL;
                    long uy = y & 0xFFFF_FFFFL;
                    long sum = ux + uy + (cin ? 1 : 0);
                    result = (int) sum;
                    nc = (sum >>> 32) != 0;
                    long ssum = (long) (int) x + (long) (int) y + (cin ? 1 : 0);
                    nv = ssum != (long) result;
                }
            }
            if (logical) {
                nc = carry;
            }
            if (opcode < 8 || opcode > 11) {
                setRegW(rd, result, t);
            }
            if (s) {
                if (rd == 15) {
                    throw new Unfit("flag-setting write to the PC");
                }
                n = result < 0;
                z = result == 0;
                c = nc;
                v = nv;
                flagsTaint = t || (logical && flagsTaint);
                flagsWritten = true;
            }
            return pc + 4;
        }
        throw new Unfit(String.format("instruction 0x%08x not understood", w));
    }

    private boolean cFlag() {
        readFlags();
        return c;
    }

    private void setRegW(int i, int value, boolean taint) throws Unfit {
        if (i == 15) {
            throw new Unfit("writes the PC");
        }
        r[i] = value;
        rTaint[i] = taint;
        regWritten |= 1 << i;
    }
}
