package brassboard.bus.spi;

import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.FaultSite;
import brassboard.bus.api.Tracer;

/**
 * One SPI bus: a controller's chip selects wired to {@link SpiSlave}s, and the wires between them.
 *
 * <p>The controller (a PL022, a baseband's own master) drives the bus: {@link #configure} the clock
 * mode and rate, {@link #select} one chip select, {@link #transfer} whole words (full duplex: one
 * word out on MOSI, one back on MISO), {@link #deselect}. The controller charges the transfer time
 * on the machine's scheduler; the bus only carries the words, at the instant the controller calls.
 * A chip select with no slave, or one that is not asserted, leaves MISO floating: it reads as all
 * ones (the pull-up every board has).
 *
 * <p><b>Clock mode mismatch.</b> A slave that does not {@linkplain SpiSlave#supports support} the
 * bus's mode still gets the words, garbled the way a wrong clock edge garbles them: it samples each
 * bit one edge late, so it sees MOSI shifted right by one bit, with the previous word's last bit in
 * front; the controller sees MISO likewise. The result is deterministic nonsense, as on a real board
 * where the slave's mode was set wrong, rather than nothing (a warning is given once per slave).
 *
 * <h2>Fault point {@code spi.<bus>.transfer}</h2>
 * Occurrences: each word's MOSI before the slave sees it ({@code kind: mosi}), its MISO before the
 * controller sees it ({@code kind: miso}), and each chip-select assertion ({@code kind: select}).
 * {@link FaultSite#address} is the chip select, {@link FaultSite#value} the word, {@link FaultSite#size}
 * the frame in whole bytes. Actions: {@code flip}/{@code set}/{@code clear}/{@code replace} (bit
 * errors; a sticky {@code set} or {@code clear} of every bit is a line stuck at 1 or 0),
 * {@code drop} (at {@code select}: the chip select never asserts, the slave sees nothing of the
 * command and MISO floats high; at {@code miso}: the response is missing, MISO floats high; at
 * {@code mosi}: the word never reaches the slave, which is not clocked for it), {@code delay} (the
 * word completes that much later: the controller adds {@link #lastDelayNs()} to its transfer time).
 */
public final class SpiBus {
    /** What a floating MISO reads: all ones. */
    public static final int FLOATING = -1;
    /** Chip selects a bus can have. */
    public static final int MAX_CHIP_SELECTS = 32;
    private static final String KIND_MOSI = "mosi";
    private static final String KIND_MISO = "miso";
    private static final String KIND_SELECT = "select";
    private static final int MIN_BITS = 1;
    private static final int MAX_BITS = 32;

    private final String name;
    private final Tracer tracer;
    private final SpiSlave[] slaves = new SpiSlave[MAX_CHIP_SELECTS];
    private final int[] lastMosiBit = new int[MAX_CHIP_SELECTS];
    private final int[] lastMisoBit = new int[MAX_CHIP_SELECTS];
    private SpiMode mode = SpiMode.MODE0;
    private long clockHz;
    private int selected = -1;
    /** The selected slave actually saw its chip select (false after a dropped select). */
    private boolean selectReached;
    private long lastDelayNs;
    private FaultPoint point;
    private final FaultSite site = new FaultSite();

    /** A bus named {@code name} ({@code spi0}); trace events come from that source. */
    public SpiBus(String name, Tracer tracer) {
        this.name = name;
        this.tracer = tracer;
    }

    /** The bus's name, as fault points ({@code spi.<name>.transfer}) and traces name it. */
    public String name() {
        return name;
    }

    /** Declares {@code spi.<name>.transfer} in {@code faults} (the board does, for the buses it builds). */
    public FaultPoint declareFaultPoint(FaultPoints faults) {
        if (point != null) {
            throw new IllegalStateException("spi." + name + ".transfer is already declared");
        }
        point = faults.declare("spi." + name + ".transfer",
                "a word on SPI bus " + name + " (MOSI, MISO) and its chip-select assertions",
                "flip", "set", "clear", "replace", "drop", "delay")
                .filters("address", "data", "kind")
                .kinds(KIND_MOSI, KIND_MISO, KIND_SELECT);
        return point;
    }

    /**
     * Wires {@code slave} to chip select {@code cs}.
     *
     * @throws IllegalArgumentException if {@code cs} is out of range or already taken
     */
    public void attach(int cs, SpiSlave slave) {
        if (cs < 0 || cs >= MAX_CHIP_SELECTS) {
            throw new IllegalArgumentException(name + ": chip select " + cs + " is out of range 0-" + (MAX_CHIP_SELECTS - 1));
        }
        if (slaves[cs] != null) {
            throw new IllegalArgumentException(name + ": chip select " + cs + " already has " + slaves[cs].name());
        }
        slaves[cs] = slave;
    }

    /** The slave on chip select {@code cs}, or null. */
    public SpiSlave slave(int cs) {
        return cs >= 0 && cs < MAX_CHIP_SELECTS ? slaves[cs] : null;
    }

    /** Sets the clock mode and rate the controller drives (the rate is informational: the controller times words). */
    public void configure(SpiMode newMode, long hz) {
        this.mode = newMode;
        this.clockHz = hz;
    }

    /** The clock mode last configured. */
    public SpiMode mode() {
        return mode;
    }

    /** The SCK rate last configured, in Hz. */
    public long clockHz() {
        return clockHz;
    }

    /** The chip select asserted now, or -1. */
    public int selected() {
        return selected;
    }

    /** Asserts chip select {@code cs} (deasserting another one first). */
    public void select(int cs) {
        if (selected == cs) {
            return;
        }
        deselect();
        selected = cs;
        SpiSlave s = slave(cs);
        selectReached = true;
        if (point != null && point.armed()) {
            site.access(cs, 0, -1, true, 0).kind(KIND_SELECT);
            point.fire(site);
            selectReached = !site.dropped;
        }
        if (tracer.enabled()) {
            tracer.emit(name, "spi.select", "cs" + cs + (s == null ? " (nothing attached)" : " " + s.name())
                    + (selectReached ? "" : " (fault: chip select did not assert)"));
        }
        if (s != null && selectReached) {
            s.select();
        }
    }

    /** Releases the asserted chip select, if any. */
    public void deselect() {
        int cs = selected;
        if (cs < 0) {
            return;
        }
        selected = -1;
        SpiSlave s = slave(cs);
        if (tracer.enabled()) {
            tracer.emit(name, "spi.deselect", "cs" + cs);
        }
        if (s != null && selectReached) {
            s.deselect();
        }
    }

    /**
     * One word each way on the asserted chip select.
     *
     * @param mosi the word to send, in the low {@code bits} bits
     * @param bits the frame size, 1 to 32
     * @return the word on MISO, in the low {@code bits} bits (all ones when nobody drives it)
     */
    public int transfer(int mosi, int bits) {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException(name + ": a frame of " + bits + " bits; expected 1 to 32");
        }
        int mask = bits == MAX_BITS ? -1 : (1 << bits) - 1;
        lastDelayNs = 0;
        int cs = selected;
        SpiSlave s = cs < 0 ? null : slaves[cs];
        boolean faulty = point != null && point.armed() && cs >= 0;
        int out = mosi & mask;
        boolean clocked = true;
        if (faulty) {
            site.access(cs, (bits + 7) / 8, -1, true, out & 0xFFFF_FFFFL).kind(KIND_MOSI);
            point.fire(site);
            out = (int) site.value & mask;
            lastDelayNs += site.delayNs;
            clocked = !site.dropped;
        }
        int in = FLOATING;
        if (s != null && selectReached && clocked) {
            if (s.supports(mode)) {
                in = s.exchange(out, bits);
            } else {
                tracer.warnOnce(name + ".mode." + cs, name, s.name() + " on cs" + cs + " does not work in SPI " + mode
                        + "; its data is garbled (sampled one clock edge late)");
                int late = lateSample(out, bits, lastMosiBit, cs);
                in = lateSample(s.exchange(late, bits), bits, lastMisoBit, cs);
            }
        }
        in &= mask;
        if (faulty) {
            site.access(cs, (bits + 7) / 8, -1, false, in & 0xFFFF_FFFFL).kind(KIND_MISO);
            point.fire(site);
            in = site.dropped ? mask : (int) site.value & mask;
            lastDelayNs += site.delayNs;
        }
        if (tracer.enabled()) {
            int digits = (bits + 3) / 4;
            tracer.emit(name, "spi.word", String.format("cs%d mosi %0" + digits + "x miso %0" + digits + "x", cs, out, in));
        }
        return in;
    }

    /** Extra time the last {@link #transfer}'s word took because of a {@code delay} fault, in ns. */
    public long lastDelayNs() {
        return lastDelayNs;
    }

    /** A word as seen by a receiver sampling one edge late: shifted right, the previous word's last bit in front. */
    private static int lateSample(int word, int bits, int[] carry, int cs) {
        int shifted = (word >>> 1) | (carry[cs] << (bits - 1));
        carry[cs] = word & 1;
        return shifted;
    }
}
