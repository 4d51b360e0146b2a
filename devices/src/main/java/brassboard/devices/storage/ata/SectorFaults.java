package brassboard.devices.storage.ata;

import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.FaultSite;

/**
 * The fault point {@code disk.<name>.sector}: a {@link Medium} in front of the disk's own that
 * offers every media access (the sectors of a read, write or verify) to a fault plan. Filters
 * {@code lba} (the access's sectors meet the range) and {@code kind} ({@code read}, {@code write}).
 *
 * <ul>
 *   <li>{@code unc} (reads; optional {@code retry}, the time the drive spends retrying): the first
 *       sector of the access inside the rule's range fails with UNC, after the sectors before it
 *       have transferred; the command ends in ERR + UNC with that LBA, as a drive with a bad sector
 *       reports it (ATA8-ACS §6.2.11), which SAT turns into MEDIUM ERROR, UNRECOVERED READ ERROR.</li>
 *   <li>{@code write-fault} (writes; optional {@code retry}): the same for a write: WRITE ERROR.</li>
 *   <li>{@code latency} ({@code ns}): the access takes that much longer (a drive re-reading a weak sector).</li>
 *   <li>{@code grow} (performed at a time the plan chooses): the rule's LBA range becomes bad for good
 *       in the disk's {@link BadSectors} (the one its options gave it, else one of this point's own,
 *       with the default retry time): unreadable ({@code kind: read}), unwritable ({@code kind:
 *       write}) or both; from then on the disk behaves as BadSectors says (pending sectors counted as
 *       reads hit them, remapped when written) and SMART shows it.</li>
 * </ul>
 * A failure of the medium underneath at an earlier sector wins; its time adds to the fault's.
 */
public final class SectorFaults implements Medium {
    private final Medium inner;
    /** Where {@code grow} puts its ranges: {@link #inner} when it is a BadSectors, else a set of this point's own. */
    private final BadSectors grown;
    private final long sectors;
    private final FaultPoint point;
    private final FaultSite site = new FaultSite();

    /**
     * {@code inner} with the point {@code disk.<name>.sector} declared in {@code faults} in front of
     * it, for a disk of {@code sectors} sectors.
     */
    public SectorFaults(Medium inner, FaultPoints faults, String name, long sectors) {
        this.inner = inner;
        this.grown = inner instanceof BadSectors b ? b : new BadSectors();
        this.sectors = sectors;
        this.point = faults.declare("disk." + name + ".sector", "media accesses of disk " + name, "unc", "write-fault", "latency", "grow")
                .filters("lba", "kind").kinds("read", "write").performer((p, s) -> grow(s));
    }

    /** The bad sectors a {@code grow} fault adds to. */
    public BadSectors grown() {
        return grown;
    }

    /** {@code grow}: sectors {@code address} to {@code address + length - 1} go bad; {@code previous}/{@code value}: unreadable + unwritable sectors before and after. */
    private void grow(FaultSite s) {
        if (!"grow".equals(s.action) && !"check".equals(s.action)) {
            throw new IllegalArgumentException(point.name() + " cannot " + s.action);
        }
        long last = s.address + s.length - 1;
        if (s.address < 0 || s.length <= 0 || last >= sectors) {
            s.error = true;
            s.value = sectors; // for the message: how many sectors the disk has
            return;
        }
        BadSectors.Counts before = grown.counts();
        s.previous = before.unreadable() + before.unwritable();
        if ("grow".equals(s.action)) {
            if (!"write".equals(s.kind)) {
                grown.addUnreadable(s.address, last);
            }
            if (!"read".equals(s.kind)) {
                grown.addUnwritable(s.address, last);
            }
        }
        BadSectors.Counts after = grown.counts();
        s.value = after.unreadable() + after.unwritable();
    }

    /** The fault point. */
    public FaultPoint point() {
        return point;
    }

    /** The medium behind the faults. */
    public Medium inner() {
        return inner;
    }

    @Override
    public Check check(long lba, int sectors, boolean write) {
        Check c = inner.check(lba, sectors, write);
        if (grown != inner) {
            c = earlier(c, grown.check(lba, sectors, write));
        }
        if (!point.armed()) {
            return c;
        }
        FaultSite f = site.occurrence(write ? "write" : "read");
        f.address = lba;
        f.length = sectors;
        point.fire(f);
        long busy = c.busyNs() + f.delayNs;
        if (f.action != null && (f.action.equals("unc") || f.action.equals("write-fault"))) {
            int good = (int) Math.max(0, Math.min(sectors, f.value - lba));
            if (good < Math.min(c.good(), sectors)) {
                return Check.failsAfter(good, write ? Failure.WRITE_FAULT : Failure.UNCORRECTABLE, busy + f.duration);
            }
            busy += f.duration;
        }
        return busy == c.busyNs() ? c : new Check(c.good(), c.failure(), busy);
    }

    /** The check whose failure comes first (the other's time spent too). */
    private static Check earlier(Check a, Check b) {
        if (b.busyNs() == 0 && b.failure() == null) {
            return a;
        }
        Check first = b.good() < a.good() ? b : a;
        return new Check(first.good(), first.failure(), a.busyNs() + b.busyNs());
    }

    @Override
    public long reallocatedSectors() {
        return inner.reallocatedSectors() + (grown != inner ? grown.reallocatedSectors() : 0);
    }

    @Override
    public long currentPendingSectors() {
        return inner.currentPendingSectors() + (grown != inner ? grown.currentPendingSectors() : 0);
    }

    @Override
    public long offlineUncorrectable() {
        return inner.offlineUncorrectable() + (grown != inner ? grown.offlineUncorrectable() : 0);
    }
}
