package brassboard.devices.storage.bridge;

import brassboard.bus.api.Scheduler;
import brassboard.bus.usb.Descriptor;
import brassboard.bus.usb.Descriptor.Configuration;
import brassboard.bus.usb.Descriptor.Endpoint;
import brassboard.bus.usb.Descriptor.Interface;
import brassboard.bus.usb.DescriptorSet;
import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.scsi.CommandSet;
import brassboard.devices.storage.scsi.ScsiOpcode;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The JMicron JM20337 "Hi-Speed USB to SATA &amp; PATA Combo Bridge", 152d:2338 bcdDevice 1.00, as
 * the field note met it (docs/devices/bridges.md has every fact and assumption).
 *
 * <p><b>Descriptors</b>, exactly the field note's {@code lsusb -v} dump: bcdUSB 2.00, class 0,
 * bMaxPacketSize0 64, strings 1 "JMicron", 2 "USB to ATA/ATAPI bridge", 5 the serial "8020A4C30450",
 * 4 "USB Mass Storage" (the configuration), 6 "MSC Bulk-Only Transfer" (the interface); string 3 is
 * named by nothing and assumed absent (GET_DESCRIPTOR stalls). Self-powered (C0h), MaxPower 2 mA;
 * interface 8/6/50h; bulk endpoints 81h and 02h of 512 bytes; a device qualifier (bcdUSB 2.00,
 * class 0, bMaxPacketSize0 64, one configuration).
 *
 * <p><b>Behaviour.</b> Linux has no quirk for 152d:2338 (unusual_devs.h lists JMicron 152d:0567 and
 * 152d:0578 with US_FL_BROKEN_FUA, unusual_uas.h later UAS parts; none is this one), so its BOT is
 * modelled as the specification says: exact residues. ATA pass-through in two dialects: JMicron's
 * vendor command DFh, which smartmontools' drivedb names for this ID ("-d usbjmicron"), and SAT-2's
 * ATA PASS-THROUGH (12)/(16), so {@code smartctl -d sat} works as well (assumed; not what drivedb
 * lists for bcdDevice 1.00). Commands (assumed, a SAT-style firmware): TEST UNIT READY, REQUEST
 * SENSE, INQUIRY (no VPD pages; VERSION 2, response data format 1: Linux prints "ANSI: 2 CCS"), MODE
 * SENSE (6)/(10) with the caching page 08h (WCE from the disk's write cache), START STOP UNIT,
 * PREVENT ALLOW MEDIUM REMOVAL, READ CAPACITY (10), READ/WRITE (6)/(10), VERIFY (10), SYNCHRONIZE
 * CACHE (10); the rest is INVALID COMMAND OPERATION CODE. Medium errors carry the failing LBA.
 *
 * <p><b>INQUIRY</b> (assumed, by analogy with a later JMicron bridge's public log, raspberrypi/linux
 * issue 3070: 152d:0578 bcdDevice 32.02 answers "CT240BX5" "00SSD1" "3202", the ATA model split at 8
 * characters and the bridge's own bcdDevice as revision): vendor and product from the disk's model,
 * revision "0100".
 */
public final class JMicron extends UsbAtaBridge {
    public static final int VENDOR = 0x152d;
    public static final int PRODUCT = 0x2338;
    public static final int BCD_DEVICE = 0x0100;
    public static final String SERIAL = "8020A4C30450";

    /** The firmware's commands (assumed, see the class comment). */
    public static final CommandSet COMMANDS = new CommandSet(EnumSet.of(ScsiOpcode.TEST_UNIT_READY,
            ScsiOpcode.REQUEST_SENSE, ScsiOpcode.INQUIRY, ScsiOpcode.MODE_SENSE_6, ScsiOpcode.MODE_SENSE_10,
            ScsiOpcode.START_STOP_UNIT, ScsiOpcode.PREVENT_ALLOW_MEDIUM_REMOVAL, ScsiOpcode.READ_CAPACITY_10,
            ScsiOpcode.READ_6, ScsiOpcode.WRITE_6, ScsiOpcode.READ_10, ScsiOpcode.WRITE_10, ScsiOpcode.VERIFY_10,
            ScsiOpcode.SYNCHRONIZE_CACHE_10, ScsiOpcode.ATA_PASS_THROUGH_12, ScsiOpcode.ATA_PASS_THROUGH_16),
            Set.of(CommandSet.MODE_PAGE_CACHING), true, 2, 1, false, true);

    /** A JM20337 over {@code disk}. */
    public JMicron(String name, AtaDisk disk, Scheduler scheduler) {
        this(name, disk, scheduler, descriptors());
    }

    /**
     * A JM20337's firmware answering with {@code descriptors} instead of the dumped ones (captured by
     * {@code brassboard usb capture}); INQUIRY's revision stays the JM20337's own "0100".
     *
     * @throws IllegalArgumentException when the descriptors have no bulk-only interface ({@link #bulkOnlyInterface})
     */
    public JMicron(String name, AtaDisk disk, Scheduler scheduler, DescriptorSet descriptors) {
        super(name, descriptors, disk, SuperTop.inquiry(disk, String.format("%04X", BCD_DEVICE)), COMMANDS, scheduler);
    }

    /** The dumped descriptors. */
    public static DescriptorSet descriptors() {
        return new DescriptorSet(
                new Descriptor.Device(0x0200, 0, 0, 0, 64, VENDOR, PRODUCT, BCD_DEVICE, 1, 2, 5, 1),
                List.of(configuration(512)),
                new Descriptor.Languages(List.of(Descriptor.Languages.EN_US)),
                Arrays.asList("JMicron", "USB to ATA/ATAPI bridge", null, "USB Mass Storage", SERIAL, "MSC Bulk-Only Transfer"),
                Optional.of(new Descriptor.DeviceQualifier(0x0200, 0, 0, 0, 64, 1)),
                List.of(configuration(64))); // full speed: not in the dump, assumed alike with 64-byte packets
    }

    private static Configuration configuration(int bulkMaxPacket) {
        return new Configuration(1, 4, 0x40, 1, List.of(
                new Interface(0, 0, 0x08, 0x06, 0x50, 6, List.of(
                        Endpoint.bulk(BULK_IN, true, bulkMaxPacket),
                        Endpoint.bulk(BULK_OUT, false, bulkMaxPacket)))));
    }
}
