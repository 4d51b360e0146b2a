package brassboard.devices.storage.ata;

import java.util.Map;
import java.util.TreeMap;

/**
 * A worn {@link Medium}: LBA ranges that cannot be read, ranges that cannot be written, the time
 * the drive spends retrying before it gives up on a sector, and the defect bookkeeping SMART
 * reports. Ranges come from the disk's options or from a fault plan at any time
 * ({@link #addUnreadable}, {@link #addUnwritable}); {@link #counts()} says where the disk stands.
 *
 * <p>The life of a bad sector, as ATA drives handle it (the behaviour behind SMART attributes 5,
 * 197 and 198; ATA8-ACS leaves the policy to the drive, so the rules here are stated, not cited):
 * <ul>
 *   <li>A read that reaches an unreadable sector transfers the sectors before it, then fails with
 *       UNC at that LBA after {@link #retryNs()} of retries. The sector becomes <em>pending</em>
 *       (Current_Pending_Sector, 197, counts it once however often it is read).</li>
 *   <li>A write to an unreadable sector that is writable remaps it to a spare: it leaves the
 *       unreadable set and the pending count, Reallocated_Sector_Ct (5) rises, and it reads back
 *       what was written.</li>
 *   <li>A write that reaches an unwritable sector writes the sectors before it, then fails with a
 *       {@link Medium.Failure#WRITE_FAULT} at that LBA after the retry time: the drive could not
 *       write it nor remap it. A pending sector that fails so is counted by Offline_Uncorrectable
 *       (198) as well.</li>
 * </ul>
 * Reads of an unwritable sector that is not unreadable succeed (the old data is still there).
 *
 * <p>Not thread-safe: the simulation (and the fault plan, which runs in it) is its only user.
 */
public final class BadSectors implements Medium {
    /**
     * Default retry time before a drive reports an unreadable sector: 7 s, the read error recovery
     * limit drives built for RAID ship with (SCT Error Recovery Control at 70 units of 100 ms, as
     * WD's TLER). Desktop drives of the field note's era have no such limit and may retry longer;
     * give {@code retry-time} to model one.
     */
    public static final long DEFAULT_RETRY_NS = 7_000_000_000L;

    /** Sectors {@code first} to {@code last}, inclusive. */
    public record Range(long first, long last) {
        public Range {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("sector range " + first + "-" + last + ": expected 0 <= first <= last");
            }
        }

        @Override
        public String toString() {
            return first + "-" + last;
        }
    }

    /** Where the disk's defects stand, as SMART and a fault-plan report show them. */
    public record Counts(long reallocated, long pending, long offlineUncorrectable, long unreadable, long unwritable) {
    }

    /** Unreadable sectors: first LBA to last LBA (inclusive), ranges disjoint and not adjacent. */
    private final TreeMap<Long, Long> unreadable = new TreeMap<>();
    private final TreeMap<Long, Long> unwritable = new TreeMap<>();
    private final TreeMap<Long, Long> pending = new TreeMap<>();
    private long retryNs;
    private long reallocated;
    private long offlineUncorrectable;

    /** No defects yet, the {@linkplain #DEFAULT_RETRY_NS default} retry time. */
    public BadSectors() {
        this(DEFAULT_RETRY_NS);
    }

    /** No defects yet; a failing access costs {@code retryNs} of virtual time. */
    public BadSectors(long retryNs) {
        setRetryNs(retryNs);
    }

    /** Sectors {@code first} to {@code last} (inclusive) become unreadable. */
    public void addUnreadable(long first, long last) {
        add(unreadable, first, last);
    }

    /** Sectors {@code first} to {@code last} (inclusive) become unwritable (and unremappable). */
    public void addUnwritable(long first, long last) {
        add(unwritable, first, last);
    }

    /** Sectors {@code first} to {@code last} become unreadable and unwritable: dead media. */
    public void addBad(long first, long last) {
        addUnreadable(first, last);
        addUnwritable(first, last);
    }

    /** The virtual time a failing access spends in retries. */
    public long retryNs() {
        return retryNs;
    }

    /** Sets the virtual time a failing access spends in retries (0 or more). */
    public void setRetryNs(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("retry time " + ns + " ns is negative; expected 0 or more");
        }
        this.retryNs = ns;
    }

    /** Whether sector {@code lba} cannot be read now. */
    public boolean unreadable(long lba) {
        return contains(unreadable, lba);
    }

    /** Whether sector {@code lba} cannot be written. */
    public boolean unwritable(long lba) {
        return contains(unwritable, lba);
    }

    /** The counters and the sizes of the defect sets. */
    public Counts counts() {
        return new Counts(reallocated, size(pending), offlineUncorrectable, size(unreadable), size(unwritable));
    }

    @Override
    public Check check(long lba, int sectors, boolean write) {
        long last = lba + sectors - 1;
        if (!write) {
            long bad = firstIn(unreadable, lba, last);
            if (bad < 0) {
                return Check.ALL_GOOD;
            }
            add(pending, bad, bad);
            return Check.failsAfter((int) (bad - lba), Failure.UNCORRECTABLE, retryNs);
        }
        long stop = firstIn(unwritable, lba, last);
        long remapTo = stop < 0 ? last : stop - 1;
        // Every unreadable sector written before the failing one (if any) is remapped to a spare.
        for (long s = firstIn(unreadable, lba, remapTo); s >= 0; s = firstIn(unreadable, s + 1, remapTo)) {
            remove(unreadable, s);
            remove(pending, s);
            reallocated++;
        }
        if (stop < 0) {
            return Check.ALL_GOOD;
        }
        if (contains(pending, stop)) {
            offlineUncorrectable++;
        }
        return Check.failsAfter((int) (stop - lba), Failure.WRITE_FAULT, retryNs);
    }

    @Override
    public long reallocatedSectors() {
        return reallocated;
    }

    @Override
    public long currentPendingSectors() {
        return size(pending);
    }

    @Override
    public long offlineUncorrectable() {
        return offlineUncorrectable;
    }

    // ---- Range sets: TreeMap first -> last, disjoint, merged when they touch ----

    private static void add(TreeMap<Long, Long> set, long first, long last) {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("sector range " + first + "-" + last + ": expected 0 <= first <= last");
        }
        Map.Entry<Long, Long> before = set.floorEntry(first);
        if (before != null && before.getValue() >= first - 1) {
            first = before.getKey();
            last = Math.max(last, before.getValue());
        }
        for (Map.Entry<Long, Long> e = set.ceilingEntry(first); e != null && e.getKey() <= last + 1; e = set.ceilingEntry(first)) {
            last = Math.max(last, e.getValue());
            set.remove(e.getKey());
        }
        set.put(first, last);
    }

    private static void remove(TreeMap<Long, Long> set, long lba) {
        Map.Entry<Long, Long> e = set.floorEntry(lba);
        if (e == null || e.getValue() < lba) {
            return;
        }
        set.remove(e.getKey());
        if (e.getKey() < lba) {
            set.put(e.getKey(), lba - 1);
        }
        if (e.getValue() > lba) {
            set.put(lba + 1, e.getValue());
        }
    }

    private static boolean contains(TreeMap<Long, Long> set, long lba) {
        Map.Entry<Long, Long> e = set.floorEntry(lba);
        return e != null && e.getValue() >= lba;
    }

    /** The lowest LBA of {@code set} in {@code [from, to]}, or -1. */
    private static long firstIn(TreeMap<Long, Long> set, long from, long to) {
        if (from > to) {
            return -1;
        }
        Map.Entry<Long, Long> e = set.floorEntry(from);
        if (e != null && e.getValue() >= from) {
            return from;
        }
        Long next = set.ceilingKey(from);
        return next != null && next <= to ? next : -1;
    }

    private static long size(TreeMap<Long, Long> set) {
        long n = 0;
        for (Map.Entry<Long, Long> e : set.entrySet()) {
            n += e.getValue() - e.getKey() + 1;
        }
        return n;
    }
}
