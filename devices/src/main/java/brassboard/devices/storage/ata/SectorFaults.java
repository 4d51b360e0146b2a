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
 * </ul>
 * A failure of the medium underneath at an earlier sector wins; its time adds to the fault's.
 */
public final class SectorFaults implements Medium {
    private final Medium inner;
    private final FaultPoint point;
    private final FaultSite site = new FaultSite();

    /** {@code inner} with the point {@code disk.<name>.sector} declared in {@code faults} in front of it. */
    public SectorFaults(Medium inner, FaultPoints faults, String name) {
        this.inner = inner;
        this.point = faults.declare("disk." + name + ".sector", "media accesses of disk " + name, "unc", "write-fault", "latency")
                .filters("lba", "kind").kinds("read", "write");
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
                return Check.failsAfter(good, Failure.UNCORRECTABLE, busy + f.duration);
            }
            busy += f.duration;
        }
        return busy == c.busyNs() ? c : new Check(c.good(), c.failure(), busy);
    }

    @Override
    public long reallocatedSectors() {
        return inner.reallocatedSectors();
    }

    @Override
    public long currentPendingSectors() {
        return inner.currentPendingSectors();
    }

    @Override
    public long offlineUncorrectable() {
        return inner.offlineUncorrectable();
    }
}
