package brassboard.devices.storage.usb;

import brassboard.bus.usb.SetupPacket;
import brassboard.bus.usb.TransactionResult;
import brassboard.devices.storage.api.BulkInReply;
import brassboard.devices.storage.api.BulkOutReply;
import brassboard.devices.storage.api.ControlReply;
import brassboard.devices.storage.bot.BulkOnlyTransport;

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
}
