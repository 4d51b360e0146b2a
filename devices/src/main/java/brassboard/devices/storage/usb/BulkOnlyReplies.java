package brassboard.devices.storage.usb;

import brassboard.bus.usb.BulkInHandler;
import brassboard.bus.usb.BulkOutHandler;
import brassboard.bus.usb.SetupPacket;
import brassboard.bus.usb.TransactionResult;
import brassboard.devices.storage.api.BulkInReply;
import brassboard.devices.storage.api.BulkOutReply;
import brassboard.devices.storage.api.ControlReply;
import brassboard.devices.storage.bot.BulkOnlyTransport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The bulk-only transport's answers as USB handshakes, for every mass-storage device on the USB
 * device framework (QEMU's stick, the USB-to-ATA bridges): data, NAK or STALL on the bulk
 * endpoints, and the class requests on endpoint 0.
 */
public final class BulkOnlyReplies {
    private BulkOnlyReplies() {
    }

    /** A bulk IN answer as the transaction's handshake. */
    public static TransactionResult in(BulkInReply r) {
        return switch (r.handshake()) {
            case DATA -> TransactionResult.data(r.data());
            case NAK -> TransactionResult.nak();
            case STALL -> TransactionResult.stall();
        };
    }

    /** A bulk OUT answer as the transaction's handshake. */
    public static TransactionResult out(BulkOutReply r) {
        return switch (r) {
            case ACK -> TransactionResult.ack();
            case NAK -> TransactionResult.nak();
            case STALL -> TransactionResult.stall();
        };
    }

    /**
     * A request on endpoint 0 that the framework's standard requests leave to the device: class
     * requests go to {@code transport} (Bulk-Only Mass Storage Reset, Get Max LUN, BOT §3); vendor
     * requests, and class requests it refuses, stall.
     */
    public static TransactionResult classRequest(BulkOnlyTransport transport, SetupPacket s) {
        if (s.type() != SetupPacket.TYPE_CLASS) {
            return TransactionResult.stall(); // no vendor requests
        }
        ControlReply r = transport.classRequest(s.requestType(), s.request(), s.value(), s.index(), s.length());
        if (r.stalled()) {
            return TransactionResult.stall();
        }
        return r.data().length == 0 ? TransactionResult.ack() : TransactionResult.data(r.data());
    }

    /** The bulk IN endpoint's handler: {@code in} answers each IN; clearing its halt clears the transport's. */
    public static BulkInHandler inHandler(BulkOnlyTransport transport, IntFunction<TransactionResult> in) {
        return new BulkInHandler() {
            @Override
            public TransactionResult in(int maxBytes) {
                return in.apply(maxBytes);
            }

            @Override
            public void haltCleared() {
                transport.clearHalt(BulkOnlyTransport.Endpoint.BULK_IN);
            }
        };
    }

    /**
     * The bulk OUT endpoint's handler: {@code out} answers each OUT, {@code ready} each PING; clearing
     * its halt clears the transport's.
     */
    public static BulkOutHandler outHandler(BulkOnlyTransport transport, Function<byte[], TransactionResult> out,
                                            BooleanSupplier ready) {
        return new BulkOutHandler() {
            @Override
            public TransactionResult out(byte[] packet) {
                return out.apply(packet);
            }

            @Override
            public boolean ready() {
                return ready.getAsBoolean();
            }

            @Override
            public void haltCleared() {
                transport.clearHalt(BulkOnlyTransport.Endpoint.BULK_OUT);
            }
        };
    }
}
