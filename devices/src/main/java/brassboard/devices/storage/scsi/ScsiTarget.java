package brassboard.devices.storage.scsi;

import java.util.Arrays;
import java.util.List;

/**
 * A SCSI target device: logical units 0..n-1, each a {@link ScsiDisk}. The transport hands it
 * (LUN, CDB) and gets a {@link ScsiTask} back.
 *
 * <p>A LUN without a logical unit (SPC-4 §5.10): INQUIRY returns peripheral qualifier 011b, device
 * type 1Fh ("not capable of supporting a logical unit here"); REQUEST SENSE returns LOGICAL UNIT
 * NOT SUPPORTED as its sense data; every other command ends in CHECK CONDITION with that sense.
 * (The bulk-only transport refuses such a LUN before it gets here; other transports may not.)
 */
public final class ScsiTarget {
    private final List<ScsiDisk> units;

    /** A target with logical units {@code units.get(0)} as LUN 0, and so on (at least one). */
    public ScsiTarget(List<ScsiDisk> units) {
        if (units.isEmpty() || units.size() > 16) {
            throw new IllegalArgumentException(units.size() + " logical units; expected 1 to 16 (the bulk-only transport's limit)");
        }
        this.units = List.copyOf(units);
        for (int lun = 0; lun < this.units.size(); lun++) {
            this.units.get(lun).attach(this, lun);
        }
    }

    /** A target with one logical unit. */
    public ScsiTarget(ScsiDisk unit) {
        this(List.of(unit));
    }

    /** Number of logical units. */
    public int lunCount() {
        return units.size();
    }

    /** The logical unit at {@code lun}. */
    public ScsiDisk unit(int lun) {
        return units.get(lun);
    }

    /** Hard reset of every logical unit (each raises its power-on/reset unit attention). */
    public void reset() {
        units.forEach(ScsiDisk::reset);
    }

    /** Starts the command {@code cdb} addressed to {@code lun}. */
    public ScsiTask submit(int lun, byte[] cdb) {
        if (lun >= 0 && lun < units.size()) {
            return units.get(lun).submit(cdb);
        }
        byte[] c = Arrays.copyOf(cdb, 16);
        int op = c[0] & 0xFF;
        if (op == ScsiOpcode.INQUIRY.code() && (c[1] & 1) == 0) {
            byte[] d = new byte[ScsiDisk.INQUIRY_LENGTH];
            d[0] = 0x7F; // peripheral qualifier 011b, type 1Fh
            d[2] = ScsiDisk.VERSION_SPC3;
            d[3] = 0x12;
            d[4] = (byte) (ScsiDisk.INQUIRY_LENGTH - 5);
            return new Task.Settled(r -> { }, Task.INSTANT, Arrays.copyOf(d, Math.min(d.length, Cdb.u16(c, 3))), ScsiResult.GOOD);
        }
        if (op == ScsiOpcode.REQUEST_SENSE.code()) {
            byte[] s = (c[1] & 1) != 0 ? Sense.LOGICAL_UNIT_NOT_SUPPORTED.descriptor() : Sense.LOGICAL_UNIT_NOT_SUPPORTED.fixed();
            return new Task.Settled(r -> { }, Task.INSTANT, Arrays.copyOf(s, Math.min(s.length, Cdb.u8(c, 4))), ScsiResult.GOOD);
        }
        return new Task.Settled(r -> { }, Task.INSTANT, null, ScsiResult.check(Sense.LOGICAL_UNIT_NOT_SUPPORTED));
    }
}
