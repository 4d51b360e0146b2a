package brassboard.boards.faults;

import brassboard.bus.api.FaultSite;
import brassboard.bus.api.Masters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rule of a fault plan: where (a point name or glob, and filters), when (a virtual-time
 * window, the Nth or every Nth matching occurrence, a probability), what (an {@link Action}) and
 * how often (once, N times, sticky). Built fluently:
 *
 * <pre>{@code
 * Rule.at("bus.read").address(0x09000000, 0x09000fff).master("cpu0")
 *     .probability(0.01).action(Action.flip(0x1)).sticky()
 * }</pre>
 *
 * <p>Setters check their own argument ({@link IllegalArgumentException}); whether the point
 * exists and supports the action is checked when the plan is applied to a machine.
 */
public final class Rule {
    /** {@link #times()} of a sticky rule: it fires on every occurrence that passes its filters. */
    public static final long STICKY = -1;

    /** Every value {@code match.kind} may take, at one point or another. */
    static final List<String> KINDS = List.of("fetch", "data", "read", "write", "setup", "in", "out", "none", "mosi", "miso", "select",
            "calibrate");

    private static final Pattern MASTER = Pattern.compile("(cpu|dma)(\\d{1,9}|\\*)|\\*");

    private String point;
    private long addressLow = 0;
    private long addressHigh = 0xFFFF_FFFFL;
    private int size;
    private String master;
    private long masterLow = Long.MIN_VALUE;
    private long masterHigh = Long.MAX_VALUE;
    private boolean hasData;
    private long dataValue;
    private long dataMask = -1L;
    private long afterNs;
    private long beforeNs = Long.MAX_VALUE;
    private long nth;
    private long every;
    private double probability = 1.0;
    private String kind;
    /** {@code match.lba}: the inclusive LBA range, or {@code lbaLow < 0} for none. */
    private long lbaLow = -1;
    private long lbaHigh = -1;
    /** {@code match.opcode}: the SCSI operation codes (a 256-bit set), or null for any. */
    private long[] opcodes;
    /** {@code match.endpoint}: the inclusive USB endpoint range, or {@code endpointLow < 0} for any. */
    private int endpointLow = -1;
    private int endpointHigh = -1;
    private long insn;
    private boolean insnSet;
    private Action action;
    private long times = 1;
    /** Where the rule came from: its line, and each field's line (0 when built in Java). */
    int line;
    final Map<String, Integer> fieldLines = new HashMap<>();

    private Rule(String point) {
        this.point = point;
    }

    /** A rule for the point named {@code point}; {@code *} matches any characters ({@code irq.*}). */
    public static Rule at(String point) {
        Objects.requireNonNull(point, "point");
        if (point.isBlank()) {
            throw new IllegalArgumentException("a rule needs a point name");
        }
        return new Rule(point.strip());
    }

    /** Accesses to addresses {@code low..high} (inclusive) only. */
    public Rule address(long low, long high) {
        if (low < 0 || high > 0xFFFF_FFFFL || high < low) {
            throw new IllegalArgumentException(String.format("address range 0x%x-0x%x is empty or outside the 32-bit address space", low, high));
        }
        addressLow = low;
        addressHigh = high;
        return this;
    }

    /** Accesses to this one address only. */
    public Rule address(long address) {
        return address(address, address);
    }

    /** Accesses of this size only: 1, 2, 4 or 8 bytes. */
    public Rule size(int bytes) {
        if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) {
            throw new IllegalArgumentException(bytes + " is not an access size; expected 1, 2, 4 or 8");
        }
        size = bytes;
        return this;
    }

    /** Accesses by this master only: {@code cpu0}, {@code dma2}, {@code cpu*}, {@code dma*}. */
    public Rule master(String name) {
        Matcher m = MASTER.matcher(name.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a master; expected cpuN, dmaN, cpu* or dma*");
        }
        if (m.group(1) == null) {
            masterLow = Long.MIN_VALUE;
            masterHigh = Long.MAX_VALUE;
        } else {
            boolean cpu = m.group(1).equals("cpu");
            long base = cpu ? Masters.cpu(0) : Masters.DMA_BASE;
            if (m.group(2).equals("*")) {
                masterLow = base;
                masterHigh = cpu ? Masters.DMA_BASE - 1 : Long.MAX_VALUE;
            } else {
                long n = Long.parseLong(m.group(2));
                if (cpu && n >= Masters.DMA_BASE) {
                    throw new IllegalArgumentException("'" + name + "' is not a master; CPUs are cpu0 to cpu" + (Masters.DMA_BASE - 1));
                }
                masterLow = base + n;
                masterHigh = base + n;
            }
        }
        master = name.strip();
        return this;
    }

    /** Accesses whose data, under {@code mask}, equals {@code value} under {@code mask}. */
    public Rule data(long value, long mask) {
        hasData = true;
        dataValue = value;
        dataMask = mask;
        return this;
    }

    /**
     * Occurrences of one kind only: at {@code bus.read}, instruction fetches ({@code fetch}) or data
     * reads ({@code data}); at {@code pcie.*.config} and {@code pcie.*.dma}, {@code read} or {@code write};
     * at {@code spi.*.transfer}, {@code mosi}, {@code miso} or {@code select} (a chip-select assertion).
     */
    public Rule kind(String k) {
        String t = Objects.requireNonNull(k, "kind").strip();
        if (!KINDS.contains(t)) {
            throw new IllegalArgumentException("'" + k + "' is not an occurrence kind; expected fetch or data (bus.read), read or write"
                    + " (pcie.*.config, pcie.*.dma, disk.*.sector, rf.*), setup, in or out (usb.*.packet, usb.*.link), in, out or none (bot.*),"
                    + " mosi, miso or select (spi.*.transfer), calibrate (rf.*)");
        }
        kind = t;
        return this;
    }

    /** Occurrences whose blocks {@code [lba, lba + length)} meet {@code low..high} (inclusive): SCSI commands, disk accesses. */
    public Rule lba(long low, long high) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("LBA range " + low + "-" + high + " is empty or negative");
        }
        lbaLow = low;
        lbaHigh = high;
        return this;
    }

    /** SCSI commands with one of these operation codes (0-255) only. */
    public Rule opcode(int... codes) {
        if (codes.length == 0) {
            throw new IllegalArgumentException("an opcode filter needs at least one operation code");
        }
        long[] set = new long[4];
        for (int c : codes) {
            if (c < 0 || c > 0xFF) {
                throw new IllegalArgumentException(String.format("0x%x is not a SCSI operation code; expected 0x00 to 0xff", c));
            }
            set[c >>> 6] |= 1L << (c & 63);
        }
        opcodes = set;
        return this;
    }

    /** USB transactions on endpoints {@code low..high} (0-15) only. */
    public Rule endpoint(int low, int high) {
        if (low < 0 || high > 15 || high < low) {
            throw new IllegalArgumentException("endpoint " + low + (high != low ? "-" + high : "") + " is not an endpoint number; expected 0 to 15");
        }
        endpointLow = low;
        endpointHigh = high;
        return this;
    }

    /**
     * For an action at a {@code cpuN.reg} point: when core N has retired exactly {@code n}
     * instructions (counted from power-on), instead of at a time.
     */
    public Rule atInstruction(long n) {
        if (n < 0) {
            throw new IllegalArgumentException(n + " is not an instruction count; expected 0 or more");
        }
        insn = n;
        insnSet = true;
        return this;
    }

    /** Occurrences at or after this virtual time only; for a time-triggered action, when it happens. */
    public Rule after(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("a time cannot be negative: " + ns);
        }
        afterNs = ns;
        return this;
    }

    /** Occurrences before this virtual time only. */
    public Rule before(long ns) {
        if (ns <= 0) {
            throw new IllegalArgumentException("'before' must be a positive time: " + ns);
        }
        beforeNs = ns;
        return this;
    }

    /** Only the {@code n}th matching occurrence (1 is the first). */
    public Rule nth(long n) {
        if (n < 1) {
            throw new IllegalArgumentException(n + " is not an occurrence number; the first is 1");
        }
        nth = n;
        return this;
    }

    /** Every {@code n}th matching occurrence (the nth, the 2nth, …). */
    public Rule every(long n) {
        if (n < 1) {
            throw new IllegalArgumentException(n + " is not a period; expected 1 or more");
        }
        every = n;
        return this;
    }

    /** Each candidate occurrence fires with probability {@code p}, drawn from the run's seeded generator. */
    public Rule probability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(p + " is outside [0, 1]");
        }
        probability = p;
        return this;
    }

    /** What the rule does. */
    public Rule action(Action a) {
        action = Objects.requireNonNull(a, "action");
        return this;
    }

    /** Fires at most once (the default). */
    public Rule once() {
        times = 1;
        return this;
    }

    /** Fires at most {@code n} times. */
    public Rule times(long n) {
        if (n < 1) {
            throw new IllegalArgumentException(n + " is not a count; expected 1 or more, 'once' or 'sticky'");
        }
        times = n;
        return this;
    }

    /** Fires on every occurrence that passes the rule's filters and conditions. */
    public Rule sticky() {
        times = STICKY;
        return this;
    }

    public String point() {
        return point;
    }

    public Action action() {
        return action;
    }

    /** How many times the rule may fire; {@link #STICKY} for no limit. */
    public long times() {
        return times;
    }

    /** The line of the rule in its YAML file, or 0 when built in Java. */
    public int line() {
        return line;
    }

    Rule copy() {
        Rule r = new Rule(point);
        r.addressLow = addressLow;
        r.addressHigh = addressHigh;
        r.size = size;
        r.master = master;
        r.masterLow = masterLow;
        r.masterHigh = masterHigh;
        r.hasData = hasData;
        r.dataValue = dataValue;
        r.dataMask = dataMask;
        r.afterNs = afterNs;
        r.beforeNs = beforeNs;
        r.nth = nth;
        r.every = every;
        r.probability = probability;
        r.kind = kind;
        r.lbaLow = lbaLow;
        r.lbaHigh = lbaHigh;
        r.opcodes = opcodes == null ? null : opcodes.clone();
        r.endpointLow = endpointLow;
        r.endpointHigh = endpointHigh;
        r.insn = insn;
        r.insnSet = insnSet;
        r.action = action;
        r.times = times;
        r.line = line;
        r.fieldLines.putAll(fieldLines);
        return r;
    }

    /** Problems between fields, as {field, message}; null when consistent. */
    String[] inconsistency() {
        if (action == null) {
            return new String[] {"action", "missing; every rule needs an action"};
        }
        if (beforeNs <= afterNs) {
            return new String[] {"when.before", "the window is empty: 'before' must be later than 'after'"};
        }
        if (insnSet && afterNs != 0) {
            return new String[] {"when.insn", "cannot be combined with when.after; a fault happens at a time or at an instruction count"};
        }
        if (nth != 0 && every != 0) {
            return new String[] {"when.every", "cannot be combined with when.nth; use one of them"};
        }
        return null;
    }

    // ---- matching, used by the engine ----

    /** Whether the occurrence passes every filter of the rule. */
    boolean matches(FaultSite s) {
        return matchesAccess(s.address, s.size, s.master, s.value, s.kind)
                && (lbaLow < 0 || s.address >= 0 && s.address <= lbaHigh && s.address + Math.max(1, s.length) - 1 >= lbaLow)
                && (opcodes == null || s.opcode >= 0 && (opcodes[s.opcode >>> 6] & 1L << (s.opcode & 63)) != 0)
                && (endpointLow < 0 || s.endpoint >= endpointLow && s.endpoint <= endpointHigh);
    }

    boolean matchesAccess(long address, int accessSize, int masterId, long value, String accessKind) {
        boolean anyAddress = addressLow == 0 && addressHigh == 0xFFFF_FFFFL;
        return (address < 0 || anyAddress || address >= addressLow && address <= addressHigh)
                && (kind == null || kind.equals(accessKind))
                && (size == 0 || size == accessSize)
                && masterId >= masterLow && masterId <= masterHigh
                && (!hasData || ((value ^ dataValue) & dataMask) == 0);
    }

    boolean inWindow(long nowNs) {
        return nowNs >= afterNs && nowNs < beforeNs;
    }

    /** Whether the {@code count}th matching occurrence is a candidate (nth / every). */
    boolean countSelects(long count) {
        if (nth != 0) {
            return count == nth;
        }
        return every == 0 || count % every == 0;
    }

    double probability() {
        return probability;
    }

    long afterNs() {
        return afterNs;
    }

    /** {@code match.kind}, or null. */
    String kind() {
        return kind;
    }

    /** {@code when.insn}, or -1 when not given. */
    long insn() {
        return insnSet ? insn : -1;
    }

    long addressLow() {
        return addressLow;
    }

    long addressHigh() {
        return addressHigh;
    }

    /** {@code match.lba}'s first block, or -1. */
    long lbaLow() {
        return lbaLow;
    }

    long lbaHigh() {
        return lbaHigh;
    }

    /** The {@code match:} fields this rule uses. */
    java.util.Set<String> usedMatch() {
        java.util.Set<String> u = new java.util.LinkedHashSet<>();
        if (addressLow != 0 || addressHigh != 0xFFFF_FFFFL) {
            u.add("address");
        }
        if (size != 0) {
            u.add("size");
        }
        if (master != null) {
            u.add("master");
        }
        if (hasData) {
            u.add("data");
        }
        if (kind != null) {
            u.add("kind");
        }
        if (lbaLow >= 0) {
            u.add("lba");
        }
        if (opcodes != null) {
            u.add("opcode");
        }
        if (endpointLow >= 0) {
            u.add("endpoint");
        }
        return u;
    }

    /** The {@code when:} fields this rule uses. */
    java.util.Set<String> usedWhen() {
        java.util.Set<String> u = new java.util.LinkedHashSet<>();
        if (afterNs != 0) {
            u.add("after");
        }
        if (beforeNs != Long.MAX_VALUE) {
            u.add("before");
        }
        if (nth != 0) {
            u.add("nth");
        }
        if (every != 0) {
            u.add("every");
        }
        if (probability != 1.0) {
            u.add("probability");
        }
        if (insnSet) {
            u.add("insn");
        }
        return u;
    }

    /** Whether a point name matches this rule's point (a name or a glob with {@code *}). */
    boolean pointMatches(String name) {
        return globMatches(point, 0, name, 0);
    }

    private static boolean globMatches(String glob, int gi, String s, int si) {
        while (gi < glob.length()) {
            char c = glob.charAt(gi);
            if (c == '*') {
                for (int k = si; k <= s.length(); k++) {
                    if (globMatches(glob, gi + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length() || s.charAt(si) != c) {
                return false;
            }
            gi++;
            si++;
        }
        return si == s.length();
    }

    /** The rule in one line, in plan terms: {@code bus.read address=0x40000000-0x40000fff master=cpu0 probability=0.01: flip mask=0x1, sticky}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(point);
        if (addressLow != 0 || addressHigh != 0xFFFF_FFFFL) {
            b.append(" address=").append(String.format("0x%08x", addressLow));
            if (addressHigh != addressLow) {
                b.append(String.format("-0x%08x", addressHigh));
            }
        }
        if (size != 0) {
            b.append(" size=").append(size);
        }
        if (master != null) {
            b.append(" master=").append(master);
        }
        if (hasData) {
            b.append(" data=").append(Values.hex(dataValue)).append('/').append(Values.hex(dataMask));
        }
        if (kind != null) {
            b.append(" kind=").append(kind);
        }
        if (lbaLow >= 0) {
            b.append(" lba=").append(lbaLow);
            if (lbaHigh != lbaLow) {
                b.append('-').append(lbaHigh);
            }
        }
        if (opcodes != null) {
            StringBuilder o = new StringBuilder();
            for (int c = 0; c < 256; c++) {
                if ((opcodes[c >>> 6] & 1L << (c & 63)) != 0) {
                    o.append(o.length() == 0 ? "" : ",").append(String.format("0x%02x", c));
                }
            }
            b.append(" opcode=").append(o);
        }
        if (endpointLow >= 0) {
            b.append(" endpoint=").append(endpointLow);
            if (endpointHigh != endpointLow) {
                b.append('-').append(endpointHigh);
            }
        }
        if (insnSet) {
            b.append(" insn=").append(insn);
        }
        if (afterNs != 0) {
            b.append(" after=").append(afterNs).append("ns");
        }
        if (beforeNs != Long.MAX_VALUE) {
            b.append(" before=").append(beforeNs).append("ns");
        }
        if (nth != 0) {
            b.append(" nth=").append(nth);
        }
        if (every != 0) {
            b.append(" every=").append(every);
        }
        if (probability != 1.0) {
            b.append(" probability=").append(probability);
        }
        b.append(": ").append(action).append(", ").append(times == STICKY ? "sticky" : times == 1 ? "once" : times + " times");
        return b.toString();
    }

    /** Rules are equal when they mean the same thing, wherever they came from (YAML or Java). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Rule r && toString().equals(r.toString())
                && masterLow == r.masterLow && masterHigh == r.masterHigh;
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
