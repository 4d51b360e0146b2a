package brassboard.devices.storage.bridge;

import brassboard.bus.api.Scheduler;
import brassboard.bus.usb.Descriptor;
import brassboard.bus.usb.Descriptor.Configuration;
import brassboard.bus.usb.Descriptor.Endpoint;
import brassboard.bus.usb.Descriptor.Interface;
import brassboard.bus.usb.DescriptorSet;
import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.scsi.CommandSet;
import brassboard.devices.storage.scsi.InquiryIdentity;
import brassboard.devices.storage.scsi.ScsiOpcode;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Super Top "USB 2.0 IDE DEVICE" bridge, 14cd:6600 bcdDevice 2.01, as the field note met it
 * (see docs/devices/bridges.md for every fact and assumption).
 *
 * <p><b>Descriptors</b>, exactly the field note's {@code lsusb -v} dump: bcdUSB 2.00, class 0,
 * bMaxPacketSize0 64, strings 1 "Super Top", 3 "USB 2.0  IDE DEVICE" (two spaces), 2 the serial
 * number, which lsusb printed as ten question marks (assumed: ten UTF-16 code units with a non-zero
 * high byte, which is what makes lsusb print '?'; here U+FFFF, an erased serial EEPROM); one
 * configuration without a string, self-powered (bmAttributes C0h), MaxPower 2 mA; interface 0,
 * class 8 / subclass 6 / protocol 50h without a string; bulk endpoints 81h and 02h of 512 bytes;
 * a device qualifier (bcdUSB 2.00, class 0, bMaxPacketSize0 64, one configuration).
 *
 * <p><b>Wrong CSW residue.</b> Linux's unusual_devs.h carries US_FL_IGNORE_RESIDUE for 14cd:6600
 * bcdDevice 0201-0201 ("Super Top", "IDE DEVICE"), with no comment on the form of the error. The
 * form modelled is the one usb-storage's own heuristic looks for (transport.c: a GOOD INQUIRY of 36
 * bytes or READ CAPACITY of 8 with a non-zero residue): data-in commands the firmware answers from
 * its own buffers (INQUIRY, READ CAPACITY, MODE SENSE, REQUEST SENSE) report dCSWDataResidue equal
 * to dCBWDataTransferLength although the data went out. Assumed.
 *
 * <p><b>Command set</b> (assumed; an older firmware): TEST UNIT READY, REQUEST SENSE, INQUIRY (no VPD
 * pages; VERSION 0, response data format 1), MODE SENSE (6) (page 3Fh gives the header and block
 * descriptor only; every single page is INVALID FIELD IN CDB), START STOP UNIT, PREVENT ALLOW MEDIUM
 * REMOVAL, READ CAPACITY (10), READ/WRITE (6) and (10), VERIFY (10). Everything else (REPORT LUNS,
 * MODE SENSE (10), READ CAPACITY (16), SYNCHRONIZE CACHE, the 16-byte reads and writes, ATA
 * PASS-THROUGH) is ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE. Medium errors keep their sense key
 * and ASC/ASCQ but not the failing LBA (assumed: the sloppier report of an older firmware).
 *
 * <p><b>The controller bug</b> ({@link WedgeTrigger}): off unless configured; on a pattern in a
 * WRITE's data or a number of bytes written since attach, the firmware wedges mid-command and the
 * device drops off the bus, as the field note's {@code usb 2-6: USB disconnect} at about 630 MB of
 * a 1.6 GB copy; {@link #wedge()} forces it.
 */
public final class SuperTop extends UsbAtaBridge {
    public static final int VENDOR = 0x14cd;
    public static final int PRODUCT = 0x6600;
    /** bcdDevice 2.01: the only release unusual_devs.h's entry covers. */
    public static final int BCD_DEVICE = 0x0201;
    /** The serial number string: ten code units lsusb could only print as '?' (assumed U+FFFF). */
    public static final String SERIAL = "\uFFFF".repeat(10);

    /** The firmware's commands (assumed, see the class comment). */
    public static final CommandSet COMMANDS = new CommandSet(EnumSet.of(ScsiOpcode.TEST_UNIT_READY,
            ScsiOpcode.REQUEST_SENSE, ScsiOpcode.INQUIRY, ScsiOpcode.MODE_SENSE_6, ScsiOpcode.START_STOP_UNIT,
            ScsiOpcode.PREVENT_ALLOW_MEDIUM_REMOVAL, ScsiOpcode.READ_CAPACITY_10, ScsiOpcode.READ_6, ScsiOpcode.WRITE_6,
            ScsiOpcode.READ_10, ScsiOpcode.WRITE_10, ScsiOpcode.VERIFY_10), Set.of(), false, 0, 1, false, false);

    /** Operation codes of the data-in commands whose residue the firmware gets wrong. */
    private static final Set<Integer> OWN_BUFFER_COMMANDS = Set.of(ScsiOpcode.INQUIRY.code(), ScsiOpcode.READ_CAPACITY_10.code(),
            ScsiOpcode.MODE_SENSE_6.code(), ScsiOpcode.REQUEST_SENSE.code());

    private final WedgeTrigger trigger;
    /** WRITE data bytes the firmware has taken since the bridge was attached (or returned). */
    private long written;
    /** The last bytes of the previous packet of the current WRITE, for patterns spanning packets. */
    private byte[] tail = new byte[0];

    /** A Super Top over {@code disk} whose bug fires as {@code trigger} says ({@link WedgeTrigger#NONE}: never). */
    public SuperTop(String name, AtaDisk disk, WedgeTrigger trigger, Scheduler scheduler) {
        this(name, disk, trigger, scheduler, descriptors());
    }

    /**
     * A Super Top's firmware answering with {@code descriptors} instead of the dumped ones: a bridge
     * of the same firmware under another identity, as {@code brassboard usb capture} read it.
     *
     * @throws IllegalArgumentException when the descriptors have no bulk-only interface ({@link #bulkOnlyInterface})
     */
    public SuperTop(String name, AtaDisk disk, WedgeTrigger trigger, Scheduler scheduler, DescriptorSet descriptors) {
        super(name, descriptors, disk, inquiry(disk), COMMANDS, scheduler);
        this.trigger = trigger;
    }

    /** A Super Top whose bug never fires on its own. */
    public SuperTop(String name, AtaDisk disk, Scheduler scheduler) {
        this(name, disk, WedgeTrigger.NONE, scheduler);
    }

    /** The dumped descriptors. */
    public static DescriptorSet descriptors() {
        Configuration high = configuration(512);
        return new DescriptorSet(
                new Descriptor.Device(0x0200, 0, 0, 0, 64, VENDOR, PRODUCT, BCD_DEVICE, 1, 3, 2, 1),
                List.of(high),
                new Descriptor.Languages(List.of(Descriptor.Languages.EN_US)),
                List.of("Super Top", SERIAL, "USB 2.0  IDE DEVICE"),
                Optional.of(new Descriptor.DeviceQualifier(0x0200, 0, 0, 0, 64, 1)),
                List.of(configuration(64))); // the full-speed configuration is not in the dump: assumed alike, 64-byte packets
    }

    private static Configuration configuration(int bulkMaxPacket) {
        return new Configuration(1, 0, 0x40, 1, List.of(
                new Interface(0, 0, 0x08, 0x06, 0x50, 0, List.of(
                        Endpoint.bulk(BULK_IN, true, bulkMaxPacket),
                        Endpoint.bulk(BULK_OUT, false, bulkMaxPacket)))));
    }

    /**
     * INQUIRY identity (assumed, as many USB-IDE bridges of the time answer): the ATA model split
     * into vendor (its first 8 characters) and product (the next 16), the firmware revision's last four.
     */
    static InquiryIdentity inquiry(AtaDisk disk) {
        String fw = disk.identity().firmware().strip();
        return inquiry(disk, fw.length() > 4 ? fw.substring(fw.length() - 4) : fw);
    }

    /** The ATA model split into vendor (8 characters) and product (16), with product revision {@code revision}. */
    static InquiryIdentity inquiry(AtaDisk disk, String revision) {
        String model = disk.identity().model();
        return new InquiryIdentity(model.substring(0, Math.min(8, model.length())).stripTrailing(),
                model.length() > 8 ? model.substring(8, Math.min(24, model.length())).stripTrailing() : "", revision);
    }

    @Override
    protected long residue(int opcode, long transferLength, long relevant) {
        if (OWN_BUFFER_COMMANDS.contains(opcode) && relevant > 0) {
            return transferLength; // the bogus residue: the data went out, the CSW says none did
        }
        return super.residue(opcode, transferLength, relevant);
    }

    /** The configured trigger. */
    public WedgeTrigger trigger() {
        return trigger;
    }

    /** WRITE data bytes taken since attach (or the last return). */
    public long written() {
        return written;
    }

    @Override
    public long returnAfterNs() {
        return trigger.returnAfterNs();
    }

    @Override
    protected void onReturn() {
        written = 0;
        tail = new byte[0];
    }

    @Override
    protected String watchWrite(byte[] packet, long offset) {
        if (offset == 0) {
            tail = new byte[0]; // a new WRITE: patterns do not span commands
        }
        if (trigger.afterBytes() > 0 && written + packet.length > trigger.afterBytes()) {
            return written + " bytes written since attach, threshold " + trigger.afterBytes();
        }
        if (trigger.pattern().isPresent() && matches(trigger.pattern().get(), packet, offset)) {
            return "pattern " + HexFormat.of().formatHex(trigger.pattern().get())
                    + (trigger.sectorOffset() >= 0 ? " at sector offset " + trigger.sectorOffset() : "");
        }
        written += packet.length;
        return null;
    }

    /** Whether {@code p} occurs in the data seen so far of this WRITE, ending in {@code packet}. */
    private boolean matches(byte[] p, byte[] packet, long offset) {
        byte[] window = new byte[tail.length + packet.length];
        System.arraycopy(tail, 0, window, 0, tail.length);
        System.arraycopy(packet, 0, window, tail.length, packet.length);
        long windowStart = offset - tail.length;
        for (int i = 0; i + p.length <= window.length; i++) {
            if (trigger.sectorOffset() >= 0 && (windowStart + i) % AtaDisk.SECTOR != trigger.sectorOffset()) {
                continue;
            }
            if (java.util.Arrays.equals(window, i, i + p.length, p, 0, p.length)) {
                return true;
            }
        }
        int keep = Math.min(p.length - 1, window.length);
        tail = java.util.Arrays.copyOfRange(window, window.length - keep, window.length);
        return false;
    }
}
