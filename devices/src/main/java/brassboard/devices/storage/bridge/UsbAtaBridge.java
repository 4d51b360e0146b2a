package brassboard.devices.storage.bridge;

import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.usb.Descriptor;
import brassboard.bus.usb.DescriptorSet;
import brassboard.bus.usb.SetupPacket;
import brassboard.bus.usb.TransactionResult;
import brassboard.bus.usb.UsbDevice;
import brassboard.bus.usb.ehci.Ehci;
import brassboard.devices.storage.api.BulkInReply;
import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.bot.BulkOnlyTransport;
import brassboard.devices.storage.bot.BulkOnlyTransport.ExcessPolicy;
import brassboard.devices.storage.bot.Cbw;
import brassboard.devices.storage.bot.Csw;
import brassboard.devices.storage.scsi.CommandSet;
import brassboard.devices.storage.scsi.InquiryIdentity;
import brassboard.devices.storage.scsi.ScsiDisk;
import brassboard.devices.storage.scsi.ScsiTarget;
import brassboard.devices.storage.usb.BulkOnlyReplies;

/**
 * What every USB-to-ATA bridge here shares: a high-speed USB device with one bulk-only interface
 * (endpoints 81h IN and 02h OUT, as both field-note dumps show), whose firmware answers SCSI
 * commands ({@link CommandSet}) by running ATA commands on the {@link AtaDisk} behind it, and which
 * can <em>wedge</em>: its firmware stops (no more data, no CSW: both bulk endpoints NAK) and the
 * device drops off the bus, so the EHCI port's Current Connect Status clears and Connect Status
 * Change is set, as a real unplug looks to the host. Optionally it comes back after a delay in
 * virtual time: power-on state, plugged in again, to be enumerated afresh.
 *
 * <p>A subclass chooses the descriptors, the command set, the residue its CSWs report, and may
 * watch the data the host writes ({@link #watchWrite}) to wedge on a trigger. The bulk-only
 * interface's endpoints are the ones its descriptors name (the first interface of class 08h,
 * protocol 50h in the first configuration), so descriptors captured from another bridge
 * ({@code brassboard usb capture}) work as that bridge's are.
 */
public abstract class UsbAtaBridge {
    /** Bulk IN endpoint number (address 81h). */
    public static final int BULK_IN = 1;
    /** Bulk OUT endpoint number (address 02h). */
    public static final int BULK_OUT = 2;
    /** bInterfaceClass of mass storage, bInterfaceProtocol of bulk-only transport (MSC overview 1.4, Tables 1 and 3). */
    private static final int MASS_STORAGE = 0x08;
    private static final int BULK_ONLY = 0x50;

    private final String name;
    private final AtaDisk disk;
    private final ScsiDisk unit;
    private final BulkOnlyTransport transport;
    private final Device device;
    private final Scheduler scheduler;
    /** The bulk-only interface's endpoint numbers, from the descriptors. */
    private final int bulkIn;
    private final int bulkOut;
    private Ehci.Port port;
    private Tracer tracer;
    private boolean wedged;
    private long wedges;
    /** Operation code of the command under way (from its CBW), -1 when that was no valid CBW. */
    private int opcode = -1;
    /** dCBWDataTransferLength of the command under way. */
    private long transferLength;
    /** The command block of the command under way, for trace details. */
    private byte[] cdb = new byte[0];
    /** Bytes of the current WRITE's data seen so far. */
    private long writeOffset;

    /**
     * A bridge named {@code name} (for traces) over {@code disk}. {@code scheduler} makes the disk's
     * command time visible (the endpoints NAK while it is busy) and times the return after a wedge;
     * null makes every command instant and a wedged bridge never return.
     */
    protected UsbAtaBridge(String name, DescriptorSet descriptors, AtaDisk disk, InquiryIdentity inquiry,
                           CommandSet commands, Scheduler scheduler) {
        this.name = name;
        this.disk = disk;
        this.scheduler = scheduler;
        this.unit = new ScsiDisk(disk, inquiry, false, commands);
        Descriptor.Interface bot = bulkOnlyInterface(descriptors);
        Descriptor.Endpoint in = bot.endpoints().stream().filter(e -> e.in() && e.transferType() == Descriptor.Endpoint.BULK)
                .findFirst().orElseThrow();
        this.bulkIn = in.number();
        this.bulkOut = bot.endpoints().stream().filter(e -> !e.in() && e.transferType() == Descriptor.Endpoint.BULK)
                .findFirst().orElseThrow().number();
        this.transport = new BulkOnlyTransport(new ScsiTarget(unit), in.maxPacketSize(), bot.number(), ExcessPolicy.PAD, scheduler);
        this.device = new Device(name, descriptors, this);
        device.onIn(bulkIn, BulkOnlyReplies.inHandler(transport, max -> wedged ? TransactionResult.nak() : bulkIn(max)));
        device.onOut(bulkOut, BulkOnlyReplies.outHandler(transport, this::bulkOut,
                () -> !wedged && (scheduler == null || scheduler.now() >= transport.busyUntilNs())));
    }

    /**
     * The interface the bridge's firmware answers on: the first of the first configuration with class
     * 08h (mass storage), protocol 50h (bulk-only transport), a bulk IN and a bulk OUT endpoint.
     *
     * @throws IllegalArgumentException naming what is missing, when the descriptors have no such interface
     */
    public static Descriptor.Interface bulkOnlyInterface(DescriptorSet descriptors) {
        for (Descriptor.Interface i : descriptors.configurations().get(0).interfaces()) {
            boolean in = i.endpoints().stream().anyMatch(e -> e.in() && e.transferType() == Descriptor.Endpoint.BULK);
            boolean out = i.endpoints().stream().anyMatch(e -> !e.in() && e.transferType() == Descriptor.Endpoint.BULK);
            if (i.interfaceClass() == MASS_STORAGE && i.interfaceProtocol() == BULK_ONLY && in && out) {
                return i;
            }
        }
        throw new IllegalArgumentException("no bulk-only mass-storage interface (class 08h, protocol 50h, with a bulk IN and a bulk"
                + " OUT endpoint) in configuration " + descriptors.configurations().get(0).value()
                + "; a USB-ATA bridge answers SCSI commands over bulk-only transport");
    }

    /** The device to plug into a port (or use {@link #plugInto}). */
    public final UsbDevice device() {
        return device;
    }

    /** The name given at construction. */
    public final String name() {
        return name;
    }

    /** The bulk-only transport (its state, the commands it has run). */
    public final BulkOnlyTransport transport() {
        return transport;
    }

    /** The SCSI logical unit the firmware presents. */
    public final ScsiDisk unit() {
        return unit;
    }

    /** The ATA disk behind the bridge. */
    public final AtaDisk disk() {
        return disk;
    }

    /** The port it is plugged into, or null. */
    public final Ehci.Port port() {
        return port;
    }

    /**
     * Plugs the bridge into {@code p} (connect status and change set there). A wedge unplugs it from
     * this port, and a return plugs it in again.
     */
    public final void plugInto(Ehci.Port p) {
        this.port = p;
        p.connect(device);
    }

    /**
     * Emits the bridge's own events to {@code t}: {@code bridge.wedge} (why: the trigger, or forced)
     * and {@code bridge.return}. The port's connect and disconnect are the controller's events.
     */
    public final UsbAtaBridge traceTo(Tracer t) {
        this.tracer = t;
        return this;
    }

    /** Whether the firmware is wedged now. */
    public final boolean wedged() {
        return wedged;
    }

    /** How many times the firmware has wedged since construction. */
    public final long wedges() {
        return wedges;
    }

    /**
     * Wedges the firmware now, as a fault plan forces it: the command in flight gets no more data
     * and no CSW, and the device drops off the bus (at once, or as the next event at this instant
     * when a transaction is in progress). It returns after {@link #returnAfterNs()} if that is not
     * negative. Wedging a wedged bridge does nothing.
     */
    public final void wedge() {
        wedge(returnAfterNs());
    }

    /** As {@link #wedge()}, returning after {@code returnNs} of virtual time (negative: never). */
    public final void wedge(long returnNs) {
        wedge(returnNs, "forced");
    }

    private void wedge(long returnNs, String why) {
        if (wedged) {
            return;
        }
        wedged = true;
        trace("bridge.wedge", "firmware wedged (" + why + ")" + (returnNs >= 0 ? ", back in " + returnNs + " ns" : ""));
        wedges++;
        onWedged();
        if (scheduler == null) {
            dropOff();
            return;
        }
        // Not from inside the transaction that triggered it: the controller finishes that one first.
        scheduler.schedule(0, name + " drops off the bus", this::dropOff);
        if (returnNs >= 0) {
            scheduler.schedule(returnNs, name + " returns", this::comeBack);
        }
    }

    /** Virtual time after which a wedged bridge returns; negative: it never does. */
    public long returnAfterNs() {
        return -1;
    }

    /** Called when the firmware wedges, before the device drops off. */
    protected void onWedged() {
    }

    /** Called when the bridge comes back (power-on state), before it is plugged in again. */
    protected void onReturn() {
    }

    /**
     * Sees each bulk OUT packet of a WRITE's data before the firmware takes it: {@code offset} is
     * where the packet starts in the command's data. Returns why the firmware wedges on it (the
     * packet is not taken), or null to take it. The default watches nothing.
     */
    protected String watchWrite(byte[] packet, long offset) {
        return null;
    }

    private void dropOff() {
        if (port != null) {
            port.disconnect();
        }
    }

    private void trace(String kind, String detail) {
        if (tracer != null && tracer.enabled()) {
            tracer.emit(name, kind, detail);
        }
    }

    /**
     * What the command under way is, for a trace: its operation code and, for a READ or WRITE (10),
     * its LBA and block count.
     */
    protected final String currentCommand() {
        if (cdb.length >= 10 && (opcode == 0x28 || opcode == 0x2A)) {
            long lba = (cdb[2] & 0xFFL) << 24 | (cdb[3] & 0xFF) << 16 | (cdb[4] & 0xFF) << 8 | cdb[5] & 0xFF;
            return String.format("%s(10) LBA %d, %d blocks", opcode == 0x2A ? "WRITE" : "READ", lba,
                    (cdb[7] & 0xFF) << 8 | cdb[8] & 0xFF);
        }
        return String.format("opcode %02Xh", opcode);
    }

    private void comeBack() {
        trace("bridge.return", "back on the bus in its power-on state");
        wedged = false;
        opcode = -1;
        transport.busReset();
        unit.reset(); // the bridge powered up again: POWER ON OCCURRED for the host
        disk.powerOn();
        onReturn();
        if (port != null && port.device() == null) {
            port.connect(device);
        }
    }

    private TransactionResult bulkOut(byte[] packet) {
        if (wedged) {
            return TransactionResult.nak();
        }
        BulkOnlyTransport.State before = transport.state();
        if (before == BulkOnlyTransport.State.COMMAND) {
            Cbw cbw = Cbw.parse(packet, 0, packet.length);
            opcode = cbw == null ? -1 : cbw.cb()[0] & 0xFF;
            cdb = cbw == null ? new byte[0] : cbw.commandBlock();
            transferLength = cbw == null ? 0 : cbw.dataTransferLength();
            writeOffset = 0;
        } else if (before == BulkOnlyTransport.State.DATA_OUT && isWrite(opcode)
                && (scheduler == null || scheduler.now() >= transport.busyUntilNs())) {
            String why = watchWrite(packet, writeOffset);
            if (why != null) {
                wedge(returnAfterNs(), why + " in " + currentCommand() + ", data byte " + writeOffset);
                return TransactionResult.nak();
            }
            writeOffset += packet.length;
        }
        return BulkOnlyReplies.out(transport.bulkOut(packet, 0, packet.length));
    }

    private TransactionResult bulkIn(int maxBytes) {
        boolean status = transport.state() == BulkOnlyTransport.State.STATUS;
        BulkInReply r = transport.bulkIn(maxBytes);
        if (status && r.handshake() == BulkInReply.Handshake.DATA && opcode >= 0) {
            Csw csw = Csw.parse(r.data());
            if (csw != null) {
                long residue = residue(opcode, transferLength, transferLength - csw.residue());
                if (residue != csw.residue()) {
                    return TransactionResult.data(new Csw(csw.tag(), residue, csw.status()).bytes());
                }
            }
        }
        return BulkOnlyReplies.in(r);
    }

    /**
     * dCSWDataResidue as this firmware reports it, for a command with operation code {@code opcode}
     * and dCBWDataTransferLength {@code transferLength}, of which {@code relevant} bytes were the
     * command's data. BOT 1.0 §6.7 defines it as {@code transferLength - relevant}, which is the default;
     * a bridge whose firmware gets it wrong overrides this.
     */
    protected long residue(int opcode, long transferLength, long relevant) {
        return transferLength - relevant;
    }

    /** WRITE (6), (10), (16): the commands whose data goes to the medium. */
    static boolean isWrite(int opcode) {
        return opcode == 0x0A || opcode == 0x2A || opcode == 0x8A;
    }

    /** Class requests on endpoint 0 (BOT §3); a wedged firmware answers none. */
    private TransactionResult classRequest(SetupPacket s) {
        return wedged ? TransactionResult.stall() : BulkOnlyReplies.classRequest(transport, s);
    }

    /** The framework's device, telling the transport about bus resets. */
    private static final class Device extends UsbDevice {
        private final UsbAtaBridge bridge;

        Device(String name, DescriptorSet descriptors, UsbAtaBridge bridge) {
            super(name, descriptors, (s, data) -> bridge.classRequest(s));
            this.bridge = bridge;
        }

        @Override
        public void busReset() {
            super.busReset();
            bridge.transport.busReset();
        }

        @Override
        public void detach() {
            super.detach();
            bridge.transport.busReset();
        }
    }
}
