package brassboard.devices.storage.scsi;

import static brassboard.devices.storage.scsi.Cdb.u16;
import static brassboard.devices.storage.scsi.Cdb.u32;
import static brassboard.devices.storage.scsi.Cdb.u64;
import static brassboard.devices.storage.scsi.Cdb.u8;

import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.FaultSite;
import brassboard.devices.storage.ata.AtaCommand;
import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.ata.TaskFile;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A direct-access logical unit (SBC-3) whose medium is an {@link AtaDisk}, reached through the
 * {@link AtaTranslation}. One instance per LUN; a {@link ScsiTarget} routes commands to it.
 *
 * <p><b>Unit attention</b> (SAM-5 §5.14, SPC-4): at power-on and on {@link #reset()} the unit holds a
 * unit attention condition, POWER ON, RESET, OR BUS DEVICE RESET OCCURRED (06h/29h/00h), as QEMU's
 * scsi-disk does after its reset ({@code scsi_disk_reset}). The next command other than INQUIRY,
 * REPORT LUNS and REQUEST SENSE ends in CHECK CONDITION with that sense, without being executed, and
 * the condition clears. REQUEST SENSE reports a pending unit attention as its sense data and clears
 * it (SPC-4 §5.12; QEMU instead fails that REQUEST SENSE with CHECK CONDITION first, then reports
 * the sense on the next one, a detour neither Linux nor U-Boot needs).
 *
 * <p><b>Sense</b>: a command that ends in CHECK CONDITION leaves its sense for the next REQUEST SENSE
 * (there is no autosense over the bulk-only transport); any command that completes GOOD clears it.
 *
 * <p><b>Fault point</b> {@code scsi.<device>.command} ({@link #declareFaultPoint}): each command the
 * unit is given (after a pending unit attention, which comes first), with filters {@code opcode}
 * and {@code lba} (the blocks a READ, WRITE, VERIFY or SYNCHRONIZE CACHE addresses). {@code
 * check-condition}: the command is not executed and ends in CHECK CONDITION with the rule's sense
 * key, ASC and ASCQ, kept for REQUEST SENSE; for a command with blocks the INFORMATION field holds
 * the first of its blocks in the rule's range (VALID set), as a drive reports a medium error's LBA.
 * {@code busy}: status BUSY, nothing executed, no sense. {@code delay}: the command runs as usual
 * and takes that much longer.
 */
public final class ScsiDisk {
    /** Bytes per logical block. */
    public static final int BLOCK = AtaDisk.SECTOR;
    /** Standard INQUIRY data length: the 36 bytes SPC-4 requires, which is all this unit has. */
    static final int INQUIRY_LENGTH = 36;
    /** Peripheral device type 00h: direct-access block device. */
    static final int TYPE_DIRECT_ACCESS = 0x00;
    /** VERSION: SPC-3 (05h), as QEMU's scsi-disk claims by default. */
    static final int VERSION_SPC3 = 0x05;

    private final AtaTranslation sat;
    private final AtaPassThrough passThrough;
    private final CommandSet commands;
    private final InquiryIdentity identity;
    private final boolean removable;
    private final long blocks;
    private final Consumer<ScsiResult> recorder = this::record;
    private final java.util.function.LongSupplier busy;
    private final FaultSite site = new FaultSite();
    private FaultPoint point;
    private ScsiTarget target;
    private int lun;
    private Sense unitAttention;
    private Sense sense;
    private int preventRemoval;

    /** A non-removable unit over {@code disk} with QEMU's INQUIRY identity. */
    public ScsiDisk(AtaDisk disk) {
        this(disk, InquiryIdentity.qemu(), false);
    }

    /** A unit over {@code disk} with the given INQUIRY identity, removable (RMB) or not. */
    public ScsiDisk(AtaDisk disk, InquiryIdentity identity, boolean removable) {
        this(disk, identity, removable, CommandSet.QEMU);
    }

    /** A unit over {@code disk} answering the commands of {@code commands} (a bridge's firmware). */
    public ScsiDisk(AtaDisk disk, InquiryIdentity identity, boolean removable, CommandSet commands) {
        this.sat = new AtaTranslation(disk);
        this.passThrough = new AtaPassThrough(sat);
        this.commands = commands;
        this.busy = sat::takeBusyNs;
        this.identity = identity;
        this.removable = removable;
        this.blocks = sat.capacity();
        sat.takeBusyNs(); // the IDENTIFY above is the unit's own start-up, not a command's time
        reset();
    }

    /** Hard reset or power-on: a unit attention condition is raised; stored sense and removal prevention are cleared. */
    public void reset() {
        unitAttention = Sense.POWER_ON_RESET_OR_BUS_DEVICE_RESET;
        sense = null;
        preventRemoval = 0;
    }

    /** The pending unit attention condition, or null. */
    public Sense unitAttention() {
        return unitAttention;
    }

    /** The sense the next REQUEST SENSE returns, or null. */
    public Sense storedSense() {
        return sense;
    }

    /** Logical blocks on the unit. */
    public long blocks() {
        return blocks;
    }

    /** The commands this unit answers. */
    public CommandSet commandSet() {
        return commands;
    }

    /** The ATA disk underneath. */
    public AtaDisk ataDisk() {
        return sat.disk();
    }

    /** Whether PREVENT ALLOW MEDIUM REMOVAL last asked to prevent removal. */
    public boolean removalPrevented() {
        return preventRemoval != 0;
    }

    /**
     * Declares this unit's fault point {@code scsi.<device>.command} in {@code faults} (see the class
     * comment); {@code device} is the name of the device the unit is in ({@code usb1}).
     */
    public void declareFaultPoint(FaultPoints faults, String device) {
        point = faults.declare("scsi." + device + ".command", "SCSI commands to the logical unit of " + device,
                "check-condition", "busy", "delay").filters("opcode", "lba");
    }

    void attach(ScsiTarget t, int lun) {
        this.target = t;
        this.lun = lun;
    }

    /**
     * Whether CDB byte 1 bits 7:5 (RDPROTECT, WRPROTECT, VRPROTECT) ask for protection information,
     * which this unit does not have. Bits equal to the unit's own LUN are taken as the SCSI-2 LUN
     * field, which U-Boot's usb_storage still fills in ({@code cmd[1] = lun << 5}); for LUN 0 they
     * are zero either way.
     */
    private boolean asksForProtection(byte[] c) {
        int protect = u8(c, 1) >> 5;
        return protect != 0 && protect != lun;
    }

    private void record(ScsiResult r) {
        Sense s = r.good() ? null : r.sense();
        if (s != null && s.valid() && !commands.failingLbaInSense()) {
            s = Sense.of(s.key(), s.asc(), s.ascq()).withAta(s.ata()); // this firmware does not say where
        }
        sense = s;
    }

    // ---- Task constructors ----

    private ScsiTask good() {
        return new Task.Settled(recorder, busy, null, ScsiResult.GOOD);
    }

    private ScsiTask check(Sense s) {
        return new Task.Settled(recorder, busy, null, ScsiResult.check(s));
    }

    /** Data-in of {@code data}, cut to the CDB's allocation length. */
    private ScsiTask dataIn(byte[] data, long allocationLength) {
        return new Task.Settled(recorder, busy, Arrays.copyOf(data, (int) Math.min(data.length, allocationLength)), ScsiResult.GOOD);
    }

    /**
     * Starts the command in {@code cdb} (at least {@code ScsiOpcode.groupLength} bytes of it; bytes
     * beyond the array read as zero).
     */
    public ScsiTask submit(byte[] cdb) {
        byte[] c = Arrays.copyOf(cdb, 16);
        ScsiOpcode op = ScsiOpcode.forCode(c[0]);
        if (unitAttention != null && op != ScsiOpcode.INQUIRY && op != ScsiOpcode.REPORT_LUNS
                && op != ScsiOpcode.REQUEST_SENSE) {
            Sense ua = unitAttention;
            unitAttention = null;
            return check(ua);
        }
        if (point != null && point.armed()) {
            ScsiTask injected = fault(c);
            if (injected != null) {
                return injected;
            }
            if (site.delayNs > 0) {
                return new Delayed(execute(c, op), site.delayNs);
            }
        }
        return execute(c, op);
    }

    private ScsiTask execute(byte[] c, ScsiOpcode op) {
        if (op == null && commands.jmicronPassThrough() && u8(c, 0) == AtaPassThrough.JMICRON_OPCODE) {
            return passed(passThrough.jmicron(c));
        }
        if (!commands.supports(op)) {
            return check(Sense.INVALID_COMMAND_OPERATION_CODE);
        }
        return switch (op) {
            case ATA_PASS_THROUGH_12 -> passed(passThrough.sat(c, false));
            case ATA_PASS_THROUGH_16 -> passed(passThrough.sat(c, true));
            case TEST_UNIT_READY -> good();
            case REQUEST_SENSE -> requestSense(c);
            case INQUIRY -> inquiry(c);
            case REPORT_LUNS -> reportLuns(c);
            case READ_CAPACITY_10 -> readCapacity10(c);
            case SERVICE_ACTION_IN_16 -> serviceActionIn16(c);
            case MODE_SENSE_6 -> modeSense(c, false);
            case MODE_SENSE_10 -> modeSense(c, true);
            case READ_6 -> read(c, ((long) (u8(c, 1) & 0x1F) << 16) | u16(c, 2), u8(c, 4) == 0 ? 256 : u8(c, 4), false);
            case READ_10 -> read(c, u32(c, 2), u16(c, 7), true);
            case READ_16 -> read(c, u64(c, 2), u32(c, 10), true);
            case WRITE_6 -> write(c, ((long) (u8(c, 1) & 0x1F) << 16) | u16(c, 2), u8(c, 4) == 0 ? 256 : u8(c, 4), false);
            case WRITE_10 -> write(c, u32(c, 2), u16(c, 7), true);
            case WRITE_16 -> write(c, u64(c, 2), u32(c, 10), true);
            case VERIFY_10 -> verify(c, u32(c, 2), u16(c, 7));
            case VERIFY_16 -> verify(c, u64(c, 2), u32(c, 10));
            case SYNCHRONIZE_CACHE_10 -> synchronizeCache(u32(c, 2), u16(c, 7));
            case SYNCHRONIZE_CACHE_16 -> synchronizeCache(u64(c, 2), u32(c, 10));
            case START_STOP_UNIT -> startStopUnit(c);
            case PREVENT_ALLOW_MEDIUM_REMOVAL -> {
                preventRemoval = u8(c, 4) & 3;
                yield good();
            }
        };
    }

    /** Offers the command to the fault plan: the task a fault puts in its place, or null to run it. */
    private ScsiTask fault(byte[] c) {
        FaultSite f = site.occurrence(null);
        f.opcode = c[0] & 0xFF;
        f.address = CdbBlocks.lba(c);
        f.length = CdbBlocks.count(c);
        point.fire(f);
        if ("check-condition".equals(f.action)) {
            Sense s = Sense.of((int) (f.arg >>> 16) & 0xF, (int) (f.arg >>> 8) & 0xFF, (int) f.arg & 0xFF);
            return check(f.value >= 0 && f.address >= 0 ? s.withInformation(f.value) : s);
        }
        if ("busy".equals(f.action)) {
            return new Task.Settled(recorder, busy, null, ScsiResult.BUSY);
        }
        return null;
    }

    /** A command that takes {@code extraNs} longer than it would (a {@code delay} fault), handed out with its first busy time. */
    private static final class Delayed implements ScsiTask {
        private final ScsiTask task;
        private long extraNs;

        Delayed(ScsiTask task, long extraNs) {
            this.task = task;
            this.extraNs = extraNs;
        }

        @Override
        public Direction direction() {
            return task.direction();
        }

        @Override
        public long length() {
            return task.length();
        }

        @Override
        public int readData(byte[] dst, int offset, int max) {
            return task.readData(dst, offset, max);
        }

        @Override
        public int writeData(byte[] src, int offset, int length) {
            return task.writeData(src, offset, length);
        }

        @Override
        public ScsiResult complete() {
            return task.complete();
        }

        @Override
        public void abort() {
            task.abort();
        }

        @Override
        public long takeBusyNs() {
            long ns = task.takeBusyNs() + extraNs;
            extraNs = 0;
            return ns;
        }
    }

    private ScsiTask passed(AtaPassThrough.Outcome o) {
        return new Task.Settled(recorder, busy, o.data(), o.result());
    }

    /** Whether {@code [lba, lba + n)} lies on the unit (a zero-length access may start just past the end, as in QEMU). */
    private boolean inRange(long lba, long n) {
        return lba >= 0 && n >= 0 && lba <= blocks && n <= blocks - lba;
    }

    // REQUEST SENSE (SPC-4 §6.39): DESC (byte 1 bit 0) selects descriptor format; allocation length byte 4.
    private ScsiTask requestSense(byte[] c) {
        Sense s = sense;
        if (s == null && unitAttention != null) {
            s = unitAttention;
            unitAttention = null;
        }
        if (s == null) {
            s = Sense.NO_SENSE;
        }
        boolean descriptor = (u8(c, 1) & 1) != 0 || s.ata() != null; // ATA registers only fit descriptor format
        return dataIn(descriptor ? s.descriptor() : s.fixed(), u8(c, 4));
    }

    // INQUIRY (SPC-4 §6.6): EVPD byte 1 bit 0, CMDDT (obsolete) bit 1, PAGE CODE byte 2, ALLOCATION LENGTH bytes 3-4.
    private ScsiTask inquiry(byte[] c) {
        int allocation = u16(c, 3);
        boolean evpd = (u8(c, 1) & 1) != 0;
        if ((u8(c, 1) & 2) != 0 || (!evpd && u8(c, 2) != 0)) {
            return check(Sense.INVALID_FIELD_IN_CDB);
        }
        if (evpd) {
            byte[] page = commands.vpdPages() ? vpdPage(u8(c, 2)) : null;
            return page == null ? check(Sense.INVALID_FIELD_IN_CDB) : dataIn(page, allocation);
        }
        byte[] d = new byte[INQUIRY_LENGTH];
        d[0] = TYPE_DIRECT_ACCESS; // peripheral qualifier 000b: connected
        d[1] = (byte) (removable ? 0x80 : 0); // RMB
        d[2] = (byte) commands.version();
        d[3] = (byte) (commands.responseDataFormat() == 2 ? 0x12 : commands.responseDataFormat()); // HISUP with format 2
        d[4] = (byte) (INQUIRY_LENGTH - 5); // ADDITIONAL LENGTH
        Cdb.putAscii(d, 8, 8, identity.vendor());
        Cdb.putAscii(d, 16, 16, identity.product());
        Cdb.putAscii(d, 32, 4, identity.revision());
        return dataIn(d, allocation);
    }

    /** VPD page {@code code} (SPC-4 §7.8), or null when not supported. */
    private byte[] vpdPage(int code) {
        byte[] body;
        switch (code) {
            case 0x00 -> body = new byte[] {0x00, (byte) 0x80, (byte) 0x83}; // Supported VPD Pages
            case 0x80 -> body = sat.disk().identity().serial().strip().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            case 0x83 -> {
                // Device Identification: one T10 vendor ID based designator (type 1, ASCII, associated
                // with the logical unit): vendor, then the ATA model and serial number, as SAT-3 builds it.
                String id = String.format("%-8s%-40s%-20s", identity.vendor(), sat.disk().identity().model(),
                        sat.disk().identity().serial());
                body = new byte[4 + id.length()];
                body[0] = 0x02; // CODE SET: ASCII
                body[1] = 0x01; // ASSOCIATION: logical unit, DESIGNATOR TYPE: T10 vendor ID based
                body[3] = (byte) id.length();
                Cdb.putAscii(body, 4, id.length(), id);
            }
            default -> {
                return null;
            }
        }
        byte[] page = new byte[4 + body.length];
        page[0] = TYPE_DIRECT_ACCESS;
        page[1] = (byte) code;
        Cdb.putShort(page, 2, body.length);
        System.arraycopy(body, 0, page, 4, body.length);
        return page;
    }

    // REPORT LUNS (SPC-4 §6.33): SELECT REPORT byte 2, ALLOCATION LENGTH bytes 6-9 (at least 16).
    private ScsiTask reportLuns(byte[] c) {
        long allocation = u32(c, 6);
        if (u8(c, 2) > 2 || allocation < 16) {
            return check(Sense.INVALID_FIELD_IN_CDB);
        }
        int n = target == null ? 1 : target.lunCount();
        byte[] d = new byte[8 + 8 * n];
        Cdb.putInt(d, 0, 8L * n);
        for (int lun = 0; lun < n; lun++) {
            d[8 + 8 * lun + 1] = (byte) lun; // single level, peripheral device addressing
        }
        return dataIn(d, allocation);
    }

    // READ CAPACITY (10) (SBC-3 §5.15): PMI byte 8 bit 0; LOGICAL BLOCK ADDRESS bytes 2-5 must be 0 without it.
    private ScsiTask readCapacity10(byte[] c) {
        if ((u8(c, 8) & 1) == 0 && u32(c, 2) != 0) {
            return check(Sense.INVALID_FIELD_IN_CDB);
        }
        byte[] d = new byte[8];
        long last = blocks - 1;
        Cdb.putInt(d, 0, last > 0xFFFF_FFFFL ? 0xFFFF_FFFFL : last); // FFFFFFFFh: use READ CAPACITY (16)
        Cdb.putInt(d, 4, BLOCK);
        return dataIn(d, d.length);
    }

    // SERVICE ACTION IN (16): only READ CAPACITY (16) (SBC-3 §5.16), ALLOCATION LENGTH bytes 10-13.
    private ScsiTask serviceActionIn16(byte[] c) {
        if ((u8(c, 1) & 0x1F) != ScsiOpcode.SA_READ_CAPACITY_16 || ((u8(c, 14) & 1) == 0 && u64(c, 2) != 0)) {
            return check(Sense.INVALID_FIELD_IN_CDB);
        }
        byte[] d = new byte[32];
        Cdb.putLong(d, 0, blocks - 1);
        Cdb.putInt(d, 8, BLOCK);
        return dataIn(d, u32(c, 10));
    }

    // MODE SENSE (6) / (10) (SPC-4 §6.11, §6.12): DBD byte 1 bit 3, PC and PAGE CODE byte 2, SUBPAGE byte 3.
    private ScsiTask modeSense(byte[] c, boolean ten) {
        int enabled = sat.identifyWord(85); // command sets enabled: bit 5 write cache, bit 6 look-ahead
        ModePages.Outcome o = ModePages.modeSense(ten, (u8(c, 1) & 0x08) != 0, u8(c, 2) >> 6, u8(c, 2) & 0x3F, u8(c, 3),
                new ModePages.State(blocks, BLOCK, sat.disk().readOnly(), (enabled & (1 << 5)) != 0, (enabled & (1 << 6)) != 0),
                commands.modePages());
        if (o.error() != null) {
            return check(o.error());
        }
        return dataIn(o.data(), ten ? u16(c, 7) : u8(c, 4));
    }

    // READ (6)/(10)/(16) (SBC-3 §5.7-5.9): RDPROTECT byte 1 bits 7:5 must be 0 (no protection information).
    private ScsiTask read(byte[] c, long lba, long n, boolean hasProtectField) {
        if (hasProtectField && asksForProtection(c)) {
            return check(Sense.INVALID_FIELD_IN_CDB);
        }
        if (!inRange(lba, n)) {
            return check(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
        }
        return n == 0 ? good() : sat.read(recorder, lba, n);
    }

    // WRITE (6)/(10)/(16) (SBC-3 §5.29-5.31): WRPROTECT byte 1 bits 7:5, FUA byte 1 bit 3.
    private ScsiTask write(byte[] c, long lba, long n, boolean hasProtectField) {
        if (sat.disk().readOnly()) {
            return check(Sense.WRITE_PROTECTED); // checked first, as QEMU does
        }
        if (hasProtectField && asksForProtection(c)) {
            return check(Sense.INVALID_FIELD_IN_CDB);
        }
        if (!inRange(lba, n)) {
            return check(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
        }
        boolean fua = hasProtectField && (u8(c, 1) & 0x08) != 0;
        return n == 0 ? good() : sat.write(recorder, lba, n, fua);
    }

    // VERIFY (10)/(16) (SBC-3 §5.24-5.25): medium verification only; BYTCHK (byte 1 bits 2:1) and
    // VRPROTECT (bits 7:5) must be 0, as in QEMU's scsi-hd.
    private ScsiTask verify(byte[] c, long lba, long n) {
        if ((u8(c, 1) & 0x06) != 0 || asksForProtection(c)) {
            return check(Sense.INVALID_FIELD_IN_CDB);
        }
        if (!inRange(lba, n)) {
            return check(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
        }
        Sense s = sat.verify(lba, n);
        return s == null ? good() : check(s);
    }

    // SYNCHRONIZE CACHE (10)/(16) (SBC-3 §5.22-5.23): NUMBER OF LOGICAL BLOCKS 0 means to the end.
    private ScsiTask synchronizeCache(long lba, long n) {
        if (!inRange(lba, n)) {
            return check(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
        }
        Sense s = sat.flush();
        return s == null ? good() : check(s);
    }

    // START STOP UNIT (SBC-3 §5.20): POWER CONDITION byte 4 bits 7:4, LOEJ bit 1, START bit 0.
    // Translated as SAT does: start/active/idle to IDLE IMMEDIATE, stop/standby to STANDBY IMMEDIATE.
    // LOEJ is ignored (the medium is not removable from the drive, as in QEMU's scsi-hd), and a
    // stopped unit still serves reads and writes (an ATA disk spins up on demand).
    private ScsiTask startStopUnit(byte[] c) {
        int powerCondition = u8(c, 4) >> 4;
        boolean start = (u8(c, 4) & 1) != 0;
        AtaCommand ata;
        switch (powerCondition) {
            case 0x0 -> ata = start ? AtaCommand.IDLE_IMMEDIATE : AtaCommand.STANDBY_IMMEDIATE;
            case 0x1, 0x2, 0xA -> ata = AtaCommand.IDLE_IMMEDIATE; // ACTIVE, IDLE, FORCE_IDLE_0
            case 0x3, 0xB -> ata = AtaCommand.STANDBY_IMMEDIATE; // STANDBY, FORCE_STANDBY_0
            case 0x7 -> {
                return good(); // LU_CONTROL: nothing to hand back
            }
            default -> {
                return check(Sense.INVALID_FIELD_IN_CDB);
            }
        }
        Sense s = sat.nonData(TaskFile.of(ata, 0, 0, 0));
        return s == null ? good() : check(s);
    }
}
