package brassboard.bus.usb;

import brassboard.bus.usb.Descriptor.Configuration;
import brassboard.bus.usb.Descriptor.Endpoint;
import brassboard.bus.usb.Descriptor.Interface;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;

/**
 * A test device: bulk OUT endpoint 1 stores what it receives, bulk IN endpoint 2 gives it back
 * (NAK while nothing is stored); interrupt IN endpoint 3 reports one status byte when one is
 * queued. A vendor request 0x01 (device-to-host) returns how many bytes are stored; 0x02 (no data)
 * sets a flag; 0x04 (host-to-device) keeps its data stage. High-speed, vendor 0x1209 (pid.codes test) product 0x0001.
 */
public final class LoopbackDevice {
    public static final int OUT_EP = 1;
    public static final int IN_EP = 2;
    public static final int INT_EP = 3;
    public static final int BULK_MPS = 512;

    public static final DescriptorSet DESCRIPTORS = new DescriptorSet(
            new Descriptor.Device(0x0200, 0xFF, 0, 0, 64, 0x1209, 0x0001, 0x0100, 1, 2, 3, 1),
            List.of(new Configuration(1, 0, 0xC0, 50, List.of(
                    new Interface(0, 0, 0xFF, 0, 0, 0, List.of(
                            Endpoint.bulk(OUT_EP, false, BULK_MPS),
                            Endpoint.bulk(IN_EP, true, BULK_MPS),
                            new Endpoint(0x80 | INT_EP, Endpoint.INTERRUPT, 8, 4))),
                    new Interface(0, 1, 0xFF, 0, 0, 0, List.of(
                            Endpoint.bulk(OUT_EP, false, 64),
                            Endpoint.bulk(IN_EP, true, 64)))))),
            new Descriptor.Languages(List.of(Descriptor.Languages.EN_US)),
            List.of("Brassboard", "Loopback", "0001"),
            Optional.of(new Descriptor.DeviceQualifier(0x0200, 0xFF, 0, 0, 64, 1)));

    private final ByteArrayOutputStream stored = new ByteArrayOutputStream();
    private byte[] pending = new byte[0];
    private int pendingPos;
    private Integer status;
    /** When set, OUT endpoint 1 answers NAK. */
    public boolean outBusy;
    /** The data stage of the last vendor request 0x04 (host-to-device). */
    public byte[] vendorData = new byte[0];
    /** Set by vendor request 0x02. */
    public boolean flag;
    public final UsbDevice device;

    public LoopbackDevice(String name) {
        device = new UsbDevice(name, DESCRIPTORS, (setup, data) -> switch (setup.request()) {
            case 0x01 -> TransactionResult.data(new byte[] {(byte) stored.size(), (byte) (stored.size() >>> 8)});
            case 0x02 -> {
                flag = true;
                yield TransactionResult.ack();
            }
            case 0x04 -> {
                vendorData = data;
                yield TransactionResult.ack();
            }
            default -> TransactionResult.stall();
        });
        device.onOut(OUT_EP, new BulkOutHandler() {
            @Override
            public TransactionResult out(byte[] packet) {
                if (outBusy) {
                    return TransactionResult.nak();
                }
                stored.writeBytes(packet);
                return TransactionResult.ack();
            }

            @Override
            public boolean ready() {
                return !outBusy;
            }
        });
        device.onIn(IN_EP, max -> {
            if (pendingPos == pending.length) {
                if (stored.size() == 0) {
                    return TransactionResult.nak();
                }
                pending = stored.toByteArray();
                pendingPos = 0;
                stored.reset();
            }
            int n = Math.min(max, pending.length - pendingPos);
            TransactionResult r = TransactionResult.data(pending, pendingPos, n);
            pendingPos += n;
            return r;
        });
        device.onIn(INT_EP, max -> {
            if (status == null) {
                return TransactionResult.nak();
            }
            TransactionResult r = TransactionResult.data(new byte[] {status.byteValue()});
            status = null;
            return r;
        });
    }

    /** Queues bytes for IN endpoint 2 directly (as if received earlier). */
    public void load(byte[] data) {
        stored.writeBytes(data);
    }

    /** Queues one status byte for the interrupt endpoint. */
    public void status(int value) {
        status = value;
    }

    /** Bytes stored and not yet read back. */
    public int storedBytes() {
        return stored.size() + pending.length - pendingPos;
    }
}
