package brassboard.devices.storage.bot;

import brassboard.bus.api.Scheduler;
import brassboard.devices.storage.api.BulkInReply;
import brassboard.devices.storage.api.BulkOutReply;
import brassboard.devices.storage.bot.BulkOnlyTransport.Endpoint;
import java.io.ByteArrayOutputStream;

/**
 * A USB host's mass-storage driver in miniature, as Linux's usb-storage and U-Boot's usb_storage
 * drive a bulk-only device: CBW, data in packets of the endpoint's max size (a STALL ends the data
 * phase and is cleared), CSW (a STALL on it is cleared and the read tried once more).
 */
final class TestHost {
    /** What one command came to. */
    record Outcome(boolean cbwStalled, byte[] data, int inStalls, int outStalls, Csw csw) {
    }

    private final BulkOnlyTransport bot;
    private final int maxPacket;
    private final Scheduler scheduler;
    private int tag = 0x1000;
    private int naks;

    TestHost(BulkOnlyTransport bot, int maxPacket) {
        this(bot, maxPacket, null);
    }

    /** A host that, on NAK, lets virtual time pass to when the device said it is ready, then retries. */
    TestHost(BulkOnlyTransport bot, int maxPacket, Scheduler scheduler) {
        this.bot = bot;
        this.maxPacket = maxPacket;
        this.scheduler = scheduler;
    }

    /** NAKs seen so far. */
    int naks() {
        return naks;
    }

    private void waitOut() {
        if (scheduler == null) {
            throw new AssertionError("NAK from a transport without a clock");
        }
        naks++;
        scheduler.advanceTo(Math.max(scheduler.now(), bot.busyUntilNs()));
    }

    private BulkInReply in(int max) {
        BulkInReply r;
        while ((r = bot.bulkIn(max)).naked()) {
            waitOut();
        }
        return r;
    }

    private BulkOutReply out(byte[] data, int offset, int length) {
        BulkOutReply r;
        while ((r = bot.bulkOut(data, offset, length)) == BulkOutReply.NAK) {
            waitOut();
        }
        return r;
    }

    /** A data-in (or no-data when length is 0) command. */
    Outcome in(int lun, long length, byte... cdb) {
        return run(Cbw.of(++tag, length, true, lun, cdb), null);
    }

    /** A data-out command sending {@code data} (which may be shorter than {@code length}: a short packet ends it). */
    Outcome out(int lun, long length, byte[] data, byte... cdb) {
        return run(Cbw.of(++tag, length, false, lun, cdb), data);
    }

    Outcome run(Cbw cbw, byte[] outData) {
        byte[] raw = cbw.bytes();
        return run(raw, cbw, outData);
    }

    Outcome run(byte[] rawCbw, Cbw cbw, byte[] outData) {
        if (out(rawCbw, 0, rawCbw.length) == BulkOutReply.STALL) {
            return new Outcome(true, new byte[0], 0, 1, null);
        }
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        int inStalls = 0;
        int outStalls = 0;
        long length = cbw.dataTransferLength();
        if (length > 0 && cbw.dataIn()) {
            long remaining = length;
            while (remaining > 0) {
                int ask = (int) Math.min(maxPacket, remaining);
                BulkInReply r = in(ask);
                if (r.stalled()) {
                    inStalls++;
                    bot.clearHalt(Endpoint.BULK_IN);
                    break;
                }
                in.write(r.data(), 0, r.length());
                remaining -= r.length();
                if (r.length() < ask) {
                    break; // short packet
                }
            }
        } else if (length > 0) {
            for (int at = 0; at < outData.length; ) {
                int n = Math.min(maxPacket, outData.length - at);
                if (out(outData, at, n) == BulkOutReply.STALL) {
                    outStalls++;
                    bot.clearHalt(Endpoint.BULK_OUT);
                    break;
                }
                at += n;
            }
        }
        BulkInReply status = in(Csw.LENGTH);
        if (status.stalled()) {
            inStalls++;
            bot.clearHalt(Endpoint.BULK_IN);
            status = in(Csw.LENGTH);
        }
        return new Outcome(false, in.toByteArray(), inStalls, outStalls, status.stalled() ? null : Csw.parse(status.data()));
    }

    /** Reset Recovery (§5.3.4): Bulk-Only Mass Storage Reset, then clear both halts. */
    void resetRecovery() {
        bot.classRequest(0x21, 0xFF, 0, 0, 0);
        bot.clearHalt(Endpoint.BULK_IN);
        bot.clearHalt(Endpoint.BULK_OUT);
    }

    int lastTag() {
        return tag;
    }
}
