package brassboard.bus.api;

/**
 * One occurrence at a fault point, as a mutable record that the point's owner fills in and a
 * fault handler may alter. Owners reuse one instance per point, so the hot path allocates nothing.
 */
public final class FaultSite {
    /** Address of a bus access, line number for IRQs, LBA for disks; -1 when not applicable. */
    public long address = -1;
    /** Access size in bytes, 0 when not applicable. */
    public int size;
    /** The bus master ({@link Masters}), or -1. */
    public int master = -1;
    /** Whether this is a write. */
    public boolean write;
    /** The data (read result or value being written); handlers may change it. */
    public long value;
    /** Set by a handler: the access ends in a bus error. */
    public boolean error;
    /** Set by a handler: the occurrence is lost (a dropped write, a lost IRQ assertion). */
    public boolean dropped;
    /** Set by a handler: extra virtual time the occurrence costs, in ns. */
    public long delayNs;
    /**
     * Which kind of occurrence this is, as the point's owner names it ({@code bus.read}: {@code fetch} or
     * {@code data}; {@code irq.*}: {@code assert}; {@code timer.*}: {@code program} or {@code expiry});
     * null when the point has a single kind. Owners use constant strings.
     */
    public String kind;
    /**
     * Set by the owner before firing, when it cannot wait on its own (it has no clock): what to run
     * once a handler's {@link #delayNs} has passed (an IRQ line delivers a held-back assertion). When
     * null, the owner applies the delay itself (the bus adds it to the access's time).
     */
    public Runnable later;
    /**
     * For {@link FaultPoint#perform}: the primitive the plan asks the owner to carry out now
     * ({@code flip}, {@code force-high}, {@code release}, …, or {@code check} to ask whether it could).
     */
    public String action;
    /** Set by the owner after {@link FaultPoint#perform}: the value before it ({@link #value} holds the one after). */
    public long previous;
    /**
     * How many units the occurrence covers from {@link #address}: the blocks of a SCSI command or a disk
     * access (whose first LBA is {@link #address}); 0 when not applicable. An {@code lba} filter matches
     * when {@code [address, address + length)} meets its range.
     */
    public long length;
    /** The SCSI operation code of a command (0-255), or -1. */
    public int opcode = -1;
    /** The USB endpoint number (0-15) of a transaction, or -1. */
    public int endpoint = -1;
    /**
     * Set by a handler for an action the owner carries out itself ({@link #action} names it): its
     * parameter (a residue, a NAK count, sense key/ASC/ASCQ packed as {@code key << 16 | asc << 8 | ascq}).
     */
    public long arg;
    /** Set by a handler with {@link #action}: the action's duration in ns (a retry time, a NAK storm's length, a time off the bus), 0 when none. */
    public long duration;

    /** Clears the outcome fields and sets the inputs for a new bus access. */
    public FaultSite access(long address, int size, int master, boolean write, long value) {
        this.address = address;
        this.size = size;
        this.master = master;
        this.write = write;
        this.value = value;
        this.error = false;
        this.dropped = false;
        this.delayNs = 0;
        this.kind = null;
        this.later = null;
        this.action = null;
        this.length = 0;
        this.opcode = -1;
        this.endpoint = -1;
        this.arg = 0;
        this.duration = 0;
        return this;
    }

    /** Clears the outcome fields and sets the inputs for an occurrence that is not a bus access (a USB packet, a SCSI command, a disk access). */
    public FaultSite occurrence(String k) {
        return access(-1, 0, -1, false, 0).kind(k);
    }

    /** Sets {@link #kind}; chained after {@link #access}. */
    public FaultSite kind(String k) {
        this.kind = k;
        return this;
    }
}
