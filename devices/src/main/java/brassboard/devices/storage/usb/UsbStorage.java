package brassboard.devices.storage.usb;

import brassboard.bus.api.Scheduler;
import brassboard.bus.usb.ControlHandler;
import brassboard.bus.usb.Descriptor;
import brassboard.bus.usb.Descriptor.Configuration;
import brassboard.bus.usb.Descriptor.Endpoint;
import brassboard.bus.usb.Descriptor.Interface;
import brassboard.bus.usb.DescriptorSet;
import brassboard.bus.usb.SetupPacket;
import brassboard.bus.usb.TransactionResult;
import brassboard.bus.usb.UsbDevice;
import brassboard.devices.storage.bot.BulkOnlyTransport;
import brassboard.devices.storage.bot.BulkOnlyTransport.ExcessPolicy;
import brassboard.devices.storage.scsi.ScsiTarget;
import java.util.List;
import java.util.Optional;

/**
 * QEMU's {@code usb-storage} stick on the USB device framework: a {@link UsbDevice} whose bulk
 * endpoints (1 IN, 2 OUT) and class requests go to a {@link BulkOnlyTransport} over a
 * {@link ScsiTarget}.
 *
 * <p>Its identity is QEMU's (hw/usb/dev-storage.c, desc.c), so a guest's enumeration output is the
 * same: vendor 0x46f4 (a CRC-16 of "QEMU"), product 0x0001, bcdDevice 0.00, bcdUSB 2.00, class 0
 * (given by the interface), strings 1 "QEMU", 2 "QEMU USB HARDDRIVE", 3 the serial, 4-6 the
 * full-, high- and super-speed configuration names; one self-powered configuration (value 1,
 * 0 mA) holding interface 0: class 8 (mass storage), subclass 6 (SCSI transparent command set),
 * protocol 0x50 (bulk-only), endpoints 0x81 and 0x02. At high speed endpoint 0 takes 64-byte
 * packets and the bulk endpoints 512; at full speed 8 and 64. The device qualifier and the
 * other-speed configuration describe the full-speed set, as QEMU builds them. The SCSI unit behind it answers INQUIRY with QEMU's
 * "QEMU QEMU HARDDISK 2.5+" (see {@link brassboard.devices.storage.scsi.InquiryIdentity#qemu()}).
 *
 * <p>EHCI root ports only carry high-speed devices here, so {@link #device()} runs the
 * high-speed set; {@link #descriptors(Speed, String)} gives either as data.
 */
public final class UsbStorage {
    /** idVendor: CRC-16 of "QEMU", as QEMU's emulated devices use. */
    public static final int VENDOR_QEMU = 0x46f4;
    /** idProduct of QEMU's usb-storage. */
    public static final int PRODUCT_STORAGE = 0x0001;
    /** bcdDevice 0.00. */
    public static final int BCD_DEVICE = 0x0000;
    /** bcdUSB 2.00. */
    public static final int BCD_USB_2_0 = 0x0200;
    /** Interface class 08h: mass storage (USB MSC Overview 1.4 §2). */
    public static final int CLASS_MASS_STORAGE = 0x08;
    /** Subclass 06h: SCSI transparent command set (MSC Overview §2). */
    public static final int SUBCLASS_SCSI = 0x06;
    /** Protocol 50h: bulk-only transport (MSC Overview §3). */
    public static final int PROTOCOL_BULK_ONLY = 0x50;
    /** Bulk IN endpoint number (address 0x81). */
    public static final int BULK_IN = 1;
    /** Bulk OUT endpoint number (address 0x02). */
    public static final int BULK_OUT = 2;
    /** bmAttributes: self-powered (bit 7, reserved one, is added by the descriptor). */
    static final int SELF_POWERED = 0x40;

    /** String indices, as QEMU numbers them. */
    public static final int STR_MANUFACTURER = 1;
    public static final int STR_PRODUCT = 2;
    public static final int STR_SERIAL = 3;
    public static final int STR_CONFIG_FULL = 4;
    public static final int STR_CONFIG_HIGH = 5;

    /** The two speeds this device has descriptors for on a USB 2.0 bus. */
    public enum Speed {
        /** 12 Mb/s: endpoint 0 of 8 bytes, bulk endpoints of 64. */
        FULL(8, 64, STR_CONFIG_FULL),
        /** 480 Mb/s: endpoint 0 of 64 bytes, bulk endpoints of 512. */
        HIGH(64, 512, STR_CONFIG_HIGH);

        private final int maxPacket0;
        private final int bulkMaxPacket;
        private final int configString;

        Speed(int maxPacket0, int bulkMaxPacket, int configString) {
            this.maxPacket0 = maxPacket0;
            this.bulkMaxPacket = bulkMaxPacket;
            this.configString = configString;
        }

        /** bMaxPacketSize0 at this speed. */
        public int maxPacket0() {
            return maxPacket0;
        }

        /** wMaxPacketSize of the bulk endpoints at this speed. */
        public int bulkMaxPacket() {
            return bulkMaxPacket;
        }

        Speed other() {
            return this == FULL ? HIGH : FULL;
        }
    }

    private final String serial;
    private final BulkOnlyTransport transport;
    private final UsbDevice device;

    /**
     * A stick named {@code name} (for traces) over {@code target}, with serial number {@code serial}
     * (see {@link #qemuSerial}). {@code scheduler}, when not null, makes the time commands take
     * visible (the transport NAKs while the disk is busy); null makes every command instant.
     */
    public UsbStorage(String name, ScsiTarget target, String serial, Scheduler scheduler) {
        this.serial = serial;
        this.transport = new BulkOnlyTransport(target, Speed.HIGH.bulkMaxPacket(), 0, ExcessPolicy.PAD, scheduler);
        this.device = new Device(name, descriptors(Speed.HIGH, serial), this::classRequest, transport);
        device.onIn(BULK_IN, BulkOnlyReplies.inHandler(transport, max -> BulkOnlyReplies.in(transport.bulkIn(max))));
        device.onOut(BULK_OUT, BulkOnlyReplies.outHandler(transport,
                packet -> BulkOnlyReplies.out(transport.bulkOut(packet, 0, packet.length)),
                () -> scheduler == null || scheduler.now() >= transport.busyUntilNs()));
    }

    /**
     * The serial number QEMU gives a usb-storage device without one (desc.c's
     * usb_desc_create_serial): its string "1", the host controller's PCI path and the port's path,
     * joined by dashes: {@code 1-0000:00:01.0-1} for root port 1 of an EHCI at 00:01.0.
     *
     * @param pciPath the controller's PCI address, {@code DDDD:BB:SS.F}
     * @param port    the root port, numbered from 1 as USB port paths are
     */
    public static String qemuSerial(String pciPath, int port) {
        return "1-" + pciPath + "-" + port;
    }

    /** QEMU's descriptors for the stick at {@code speed}, with serial number {@code serial}. */
    public static DescriptorSet descriptors(Speed speed, String serial) {
        Speed other = speed.other();
        return new DescriptorSet(
                new Descriptor.Device(BCD_USB_2_0, 0, 0, 0, speed.maxPacket0(), VENDOR_QEMU, PRODUCT_STORAGE, BCD_DEVICE,
                        STR_MANUFACTURER, STR_PRODUCT, STR_SERIAL, 1),
                List.of(configuration(speed)),
                new Descriptor.Languages(List.of(Descriptor.Languages.EN_US)),
                List.of("QEMU", "QEMU USB HARDDRIVE", serial, "Full speed config (usb 1.1)",
                        "High speed config (usb 2.0)", "Super speed config (usb 3.0)"),
                Optional.of(new Descriptor.DeviceQualifier(BCD_USB_2_0, 0, 0, 0, other.maxPacket0(), 1)),
                List.of(configuration(other)));
    }

    /** The one configuration at {@code speed}. */
    static Configuration configuration(Speed speed) {
        return new Configuration(1, speed.configString, SELF_POWERED, 0, List.of(
                new Interface(0, 0, CLASS_MASS_STORAGE, SUBCLASS_SCSI, PROTOCOL_BULK_ONLY, 0, List.of(
                        Endpoint.bulk(BULK_IN, true, speed.bulkMaxPacket()),
                        Endpoint.bulk(BULK_OUT, false, speed.bulkMaxPacket())))));
    }

    /** The device to plug into a port. */
    public UsbDevice device() {
        return device;
    }

    /** The transport (its state, the commands it has run). */
    public BulkOnlyTransport transport() {
        return transport;
    }

    /** The serial number string. */
    public String serial() {
        return serial;
    }

    /** Class requests on endpoint 0: Bulk-Only Mass Storage Reset and Get Max LUN (BOT §3); the rest stall. */
    private TransactionResult classRequest(SetupPacket s, byte[] data) {
        return BulkOnlyReplies.classRequest(transport, s);
    }

    /** The framework's device, telling the transport about bus resets too. */
    private static final class Device extends UsbDevice {
        private final BulkOnlyTransport transport;

        Device(String name, DescriptorSet descriptors, ControlHandler control, BulkOnlyTransport transport) {
            super(name, descriptors, control);
            this.transport = transport;
        }

        @Override
        public void busReset() {
            super.busReset();
            transport.busReset();
        }

        @Override
        public void detach() {
            super.detach();
            transport.busReset();
        }
    }
}
