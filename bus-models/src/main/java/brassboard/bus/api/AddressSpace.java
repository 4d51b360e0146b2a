package brassboard.bus.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The system bus: a 32-bit physical address space of {@linkplain Region regions}, shared by every
 * master (CPUs and DMA engines), so fault rules see DMA traffic as well as CPU traffic.
 *
 * <p>Lookup is one array index per access (a table of 4 KiB pages). The table is filled as pages
 * are first touched, not when a region is mapped: mapping the 1 GiB of a board's PCIe windows, its
 * flash and RAM would otherwise write an entry for each of their 4 KiB pages at every machine build
 * (most of what building a machine cost), though a run touches a few hundred of them. A page's first
 * access finds its region among the mappings (a binary search) and caches it; the region a page
 * belongs to never changes, since regions are never unmapped. Regions are placed on page
 * boundaries and may not overlap: {@link #map} rejects an overlap with a message naming both.
 * An access to nothing, or running off the end of a region, is a bus error returned to the
 * master and traced as {@code bus.unmapped}; it never throws.
 *
 * <p>Fault points {@code bus.read}, {@code bus.write} (on every access) and {@code ram} (upsets the
 * plan injects at a time: the 32-bit word at an address, whatever master later reads it) are
 * declared here.
 */
public final class AddressSpace implements MemoryBus {
    /** Page granularity of the lookup table: regions start and end on these boundaries. */
    public static final int PAGE_BITS = 12;
    public static final long PAGE_SIZE = 1L << PAGE_BITS;
    private static final long LIMIT = 1L << 32;

    /** A region placed at a base address. */
    public record Mapping(long base, Region region) {
        /** Last address covered (inclusive). */
        public long last() {
            return base + region.size() - 1;
        }

        @Override
        public String toString() {
            return String.format("'%s' [0x%08x-0x%08x]", region.name(), base, last());
        }
    }

    private final Tracer tracer;
    /** Page number to region, filled on a page's first access ({@link #resolve}); {@code null}: not looked up yet, or unmapped. */
    private final Mapping[] pages = new Mapping[(int) (LIMIT >>> PAGE_BITS)];
    private final List<Mapping> mappings = new ArrayList<>();
    /** The mappings by base address, for {@link #resolve}; replaced (not changed) on each {@link #map}. */
    private volatile Mapping[] sorted = new Mapping[0];
    private final FaultPoint readPoint;
    private final FaultPoint writePoint;
    /** Set by {@link #fetch} for the read it makes: the {@code bus.read} site's kind. */
    private boolean fetching;
    private final FaultSite site = new FaultSite();
    private long faultStallNs;
    /** Cached {@code readPoint.armed() || writePoint.armed() || watcher != null}, kept current by the registry. */
    private boolean anyArmed;
    /** Told of every access but the debugger's own; {@code null} when nothing watches. */
    private AccessWatcher watcher;
    /** Told each time {@link #anyArmed} turns true (see {@link #onFaultPointsArmed}). */
    private Runnable[] armedListeners = new Runnable[0];

    /** Something told of every bus access a master makes (a debugger's watchpoints). */
    public interface AccessWatcher {
        /** {@code master} read ({@code write} false) or wrote {@code size} bytes at physical {@code address}. */
        void onAccess(long address, int size, int master, boolean write);
    }

    /** An empty address space tracing to {@code tracer}, declaring its points in {@code faults}. */
    private int accessMaster;

    public AddressSpace(Tracer tracer, FaultPoints faults) {
        this.tracer = tracer;
        this.readPoint = faults.declare("bus.read", "a read on the system bus (CPU or DMA master)",
                "error", "flip", "set", "clear", "replace", "delay");
        this.writePoint = faults.declare("bus.write", "a write on the system bus (CPU or DMA master)",
                "error", "flip", "set", "clear", "replace", "delay", "drop");
        readPoint.filters("address", "size", "master", "data", "kind").kinds("fetch", "data");
        writePoint.filters("address", "size", "master", "data");
        faults.declare("ram", "a single-event upset: bits of a 32-bit word in RAM flip at a time the plan chooses", "flip")
                .filters("address")
                .performer((point, s) -> upset(s));
        faults.onArmingChanged(() -> setAnyArmed(readPoint.armed() || writePoint.armed() || watcher != null));
    }

    private void setAnyArmed(boolean armed) {
        boolean was = anyArmed;
        anyArmed = armed;
        if (armed && !was) {
            for (Runnable l : armedListeners) {
                l.run();
            }
        }
    }

    /**
     * Runs {@code listener} each time {@link #faultPointsArmed()} turns true (a fault plan arms a
     * {@code bus.*} point, an access watcher is set). A master that keeps direct-to-RAM shortcuts
     * without testing {@link #faultPointsArmed()} on every access (a CPU's data TLB) drops them here,
     * so that the bus sees every access from then on. Closing the returned handle removes the listener.
     */
    public AutoCloseable onFaultPointsArmed(Runnable listener) {
        armedListeners = ListenerArrays.with(armedListeners, java.util.Objects.requireNonNull(listener, "listener"));
        return () -> armedListeners = ListenerArrays.without(armedListeners, listener);
    }

    /** The {@code ram} point's primitive: flips {@code s.value}'s bits in the RAM word at {@code s.address} ({@code check}: only whether it is RAM). */
    private void upset(FaultSite s) {
        Mapping m = mappingAt(s.address);
        long offset = m == null ? 0 : s.address - m.base;
        if (m == null || !(m.region instanceof Ram) || offset + 4 > m.region.size()) {
            s.error = true;
            return;
        }
        if ("check".equals(s.action)) {
            return;
        }
        long old = m.region.read(offset, 4);
        long now = (old ^ s.value) & 0xFFFF_FFFFL;
        m.region.write(offset, 4, now); // through the region: caches of decoded code on that page drop it
        s.previous = old;
        s.value = now;
    }

    /**
     * Tells {@code w} of every access from now on, except {@link Masters#DEBUG}'s (instruction
     * fetches included; the watcher tells them apart by address). While a watcher is set masters take no
     * direct-to-RAM shortcuts ({@link #faultPointsArmed()} is true), so it sees every access. One
     * watcher at a time; closing the returned handle removes it.
     *
     * @throws IllegalStateException if another watcher is set
     */
    public AutoCloseable watchAccesses(AccessWatcher w) {
        if (watcher != null) {
            throw new IllegalStateException("the bus already has an access watcher");
        }
        watcher = java.util.Objects.requireNonNull(w, "watcher");
        setAnyArmed(true);
        return () -> {
            if (watcher == w) {
                watcher = null;
                setAnyArmed(readPoint.armed() || writePoint.armed());
            }
        };
    }

    /** An instruction fetch: a read whose {@code bus.read} site has kind {@code fetch} (data reads: {@code data}). */
    @Override
    public long fetch(long address, int size, int master) {
        if (!readPoint.armed() && watcher == null) {
            return read(address, size, master);
        }
        fetching = true;
        try {
            return read(address, size, master);
        } finally {
            fetching = false;
        }
    }

    /**
     * Places {@code region} at {@code base}.
     *
     * @throws IllegalArgumentException naming both regions when it overlaps one already mapped,
     *         or when base/size are not page-aligned or run past 4 GiB
     */
    public Mapping map(long base, Region region) {
        Mapping m = new Mapping(base, region);
        if (base < 0 || base + region.size() > LIMIT) {
            throw new IllegalArgumentException("region " + m + " lies outside the 32-bit physical address space");
        }
        if ((base & (PAGE_SIZE - 1)) != 0 || (region.size() & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("region " + m + " is not aligned to 4 KiB pages (base and size must be multiples of 0x1000)");
        }
        for (Mapping other : mappings) {
            if (base <= other.last() && other.base() <= m.last()) {
                throw new IllegalArgumentException("region " + m + " overlaps region " + other);
            }
        }
        mappings.add(m);
        Mapping[] bases = mappings.toArray(new Mapping[0]);
        Arrays.sort(bases, Comparator.comparingLong(Mapping::base));
        sorted = bases;
        return m;
    }

    /** Every mapping, by base address. */
    public List<Mapping> mappings() {
        return Collections.unmodifiableList(Arrays.asList(sorted.clone()));
    }

    /** The mapping covering {@code address}, or {@code null}. */
    public Mapping mappingAt(long address) {
        if (address < 0 || address >= LIMIT) {
            return null;
        }
        Mapping m = pages[(int) (address >>> PAGE_BITS)];
        return m != null ? m : resolve(address);
    }

    /**
     * A page's first lookup: the mapping covering {@code address} among {@link #sorted}, cached in
     * {@link #pages} when there is one (an unmapped page stays {@code null}: a region mapped there
     * later is found then). A benign race if two threads (a debugger's and the simulation's) look
     * up the same page at once: both store the same immutable {@link Mapping}.
     */
    private Mapping resolve(long address) {
        Mapping[] s = sorted;
        int lo = 0;
        int hi = s.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Mapping m = s[mid];
            if (address < m.base()) {
                hi = mid - 1;
            } else if (address > m.last()) {
                lo = mid + 1;
            } else {
                pages[(int) (address >>> PAGE_BITS)] = m;
                return m;
            }
        }
        return null;
    }

    /**
     * The master of the access being served: a device that banks its registers per CPU (the GIC's
     * distributor and CPU interface) asks this from inside its read or write callback.
     */
    public int currentMaster() {
        return accessMaster;
    }

    @Override
    public long read(long address, int size, int master) {
        accessMaster = master;
        Mapping m = mappingAt(address);
        long offset = address - (m == null ? 0 : m.base);
        long value;
        if (m == null || offset + size > m.region.size()) {
            value = BUS_ERROR;
            unmapped(address, size, master, false);
        } else {
            value = m.region.read(offset, size);
        }
        if (watcher != null && master != Masters.DEBUG && !fetching) {
            watcher.onAccess(address, size, master, false);
        }
        if (readPoint.armed() && master != Masters.DEBUG) {
            readPoint.fire(site.access(address, size, master, false, value).kind(fetching ? "fetch" : "data"));
            faultStallNs += site.delayNs;
            value = site.error ? BUS_ERROR : site.value;
        }
        return value;
    }

    @Override
    public boolean write(long address, int size, long value, int master) {
        if (writePoint.armed() && master != Masters.DEBUG) {
            writePoint.fire(site.access(address, size, master, true, value));
            faultStallNs += site.delayNs;
            if (site.error) {
                return false;
            }
            if (site.dropped) {
                return true;
            }
            value = site.value;
        }
        if (watcher != null && master != Masters.DEBUG) {
            watcher.onAccess(address, size, master, true);
        }
        accessMaster = master;
        Mapping m = mappingAt(address);
        long offset = address - (m == null ? 0 : m.base);
        if (m == null || offset + size > m.region.size()) {
            unmapped(address, size, master, true);
            return false;
        }
        return m.region.write(offset, size, value);
    }

    /**
     * Loads bytes at a physical address, bypassing write protection (image loading before power-on).
     *
     * @throws IllegalArgumentException if any byte falls outside a loadable region
     */
    public void load(long address, byte[] data) {
        long pos = 0;
        while (pos < data.length) {
            Mapping m = mappingAt(address + pos);
            if (m == null) {
                throw new IllegalArgumentException(String.format("nothing is mapped at 0x%08x to load into", address + pos));
            }
            long offset = address + pos - m.base;
            int n = (int) Math.min(data.length - pos, m.region.size() - offset);
            if (m.region instanceof Ram ram) {
                ram.load(offset, data, (int) pos, n); // straight from the caller's array
            } else {
                byte[] chunk = new byte[n];
                System.arraycopy(data, (int) pos, chunk, 0, n);
                m.region.load(offset, chunk);
            }
            pos += n;
        }
    }

    /**
     * Whether a fault plan watches bus accesses. Masters may take direct-to-RAM shortcuts
     * (instruction caches, data fast paths) only while this is false, so that every access a
     * rule could match goes through {@link #read}/{@link #write}.
     */
    public boolean faultPointsArmed() {
        return anyArmed;
    }

    /** Virtual time that fault rules ({@code delay}) added since the last drain, without resetting it. */
    public long pendingFaultStallNs() {
        return faultStallNs;
    }

    /** Virtual time that fault rules ({@code delay}) added to accesses since the last call; resets it. */
    public long drainFaultStallNs() {
        long s = faultStallNs;
        faultStallNs = 0;
        return s;
    }

    private void unmapped(long address, int size, int master, boolean write) {
        if (tracer.enabled()) {
            tracer.emit("bus", "bus.unmapped", String.format("%s %s of %d bytes at 0x%08x: nothing mapped there",
                    Masters.name(master), write ? "write" : "read", size, address));
        }
    }
}
