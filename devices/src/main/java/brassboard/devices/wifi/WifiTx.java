package brassboard.devices.wifi;

import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.api.regs.Register;
import brassboard.bus.pcie.DmaPort;
import java.util.Arrays;

/**
 * The baseband's transmit engine (docs/devices/wifi.md "Transmit, step by step"): while TCTL.EN is set
 * and TDH != TDT it gathers a frame's descriptors and buffers from TDH ([e1000] §3.3.3 legacy
 * descriptors, §3.4 ring), keeps the air busy for the frame's airtime, then sends it (if the RF's TX
 * synthesizer is locked), writes DD back into the descriptors with RS, advances TDH and raises TXDW,
 * and TXQE when the ring is empty. One frame at a time.
 */
final class WifiTx {
    /** 802.11g OFDM: preamble and header. */
    static final long PREAMBLE_NS = 20_000;
    /** Payload bit rate. */
    static final long BITS_PER_SECOND = 54_000_000;

    private final WifiBaseband bb;
    private final Scheduler scheduler;
    private final Tracer tracer;
    private final Register tctl;
    private final Register[] ring;
    private final Register gptc;
    private final WifiBaseband.TxSink sink;
    private final byte[] descriptor = new byte[WifiBaseband.DESC_SIZE];
    private byte[] frame = new byte[WifiBaseband.MAX_TX_FRAME];
    private int[] reportIndexes = new int[16];
    private Scheduler.Event onAir;

    WifiTx(WifiBaseband bb, Register tctl, Register[] ring, Register gptc, WifiBaseband.TxSink sink) {
        this.bb = bb;
        this.scheduler = bb.scheduler();
        this.tracer = bb.tracer();
        this.tctl = tctl;
        this.ring = ring;
        this.gptc = gptc;
        this.sink = sink;
    }

    /** Airtime of a frame of {@code bytes}: the preamble, then the payload at 54 Mb/s (rounded up to a ns). */
    static long airtimeNs(int bytes) {
        return PREAMBLE_NS + (bytes * 8L * 1_000_000_000L + BITS_PER_SECOND - 1) / BITS_PER_SECOND;
    }

    /** Starts the next frame if the engine is idle and has work (a TDT or TCTL write, the end of a frame). */
    void kick() {
        if (onAir != null || !bb.ready() || (tctl.value() & WifiBaseband.TCTL_EN) == 0) {
            return;
        }
        int n = ring[2].value() / WifiBaseband.DESC_SIZE;
        int head = ring[3].value();
        int tail = ring[4].value();
        if (head == tail && n > 0 && head < n) {
            return;
        }
        if (n == 0 || head >= n || tail >= n || ring[1].value() != 0) {
            halt(WifiBaseband.ERR_TXRING, String.format("TX ring registers make no sense: TDLEN %d, TDH %d, TDT %d, TDBAH 0x%x",
                    ring[2].value(), head, tail, ring[1].value()));
            return;
        }
        long base = ring[0].value() & 0xFFFF_FFF0L;
        DmaPort dma = bb.dma();
        int length = 0;
        int reports = 0;
        int index = head;
        while (true) {
            if (index == tail) {
                return; // the frame's EOP descriptor is not given yet: wait for more
            }
            long desc = base + (long) index * WifiBaseband.DESC_SIZE;
            DmaPort.Result r = dma.read(desc, descriptor, 0, WifiBaseband.DESC_SIZE);
            if (!bb.dmaUsable(r)) {
                halt(WifiBaseband.ERR_TXDMA, String.format("TX descriptor %d read at 0x%08x: %s", index, desc, r));
                return;
            }
            int len = WifiBaseband.le16(descriptor, 8);
            int cmd = descriptor[11] & 0xFF;
            if (length + len > WifiBaseband.MAX_TX_FRAME) {
                halt(WifiBaseband.ERR_TXRING, String.format("TX frame from descriptor %d is longer than %d bytes", head, WifiBaseband.MAX_TX_FRAME));
                return;
            }
            long buffer = WifiBaseband.le32(descriptor, 0);
            r = dma.read(buffer, frame, length, len);
            if (!bb.dmaUsable(r)) {
                halt(WifiBaseband.ERR_TXDMA, String.format("TX buffer read at 0x%08x (descriptor %d): %s", buffer, index, r));
                return;
            }
            length += len;
            if ((cmd & WifiBaseband.TDESC_CMD_RS) != 0) {
                if (reports == reportIndexes.length) {
                    reportIndexes = Arrays.copyOf(reportIndexes, reports * 2);
                }
                reportIndexes[reports++] = index;
            }
            index = (index + 1) % n;
            if ((cmd & WifiBaseband.TDESC_CMD_EOP) != 0) {
                break;
            }
        }
        byte[] out = Arrays.copyOf(frame, length);
        int next = index;
        int reported = reports;
        long air = airtimeNs(length);
        if (tracer.enabled()) {
            tracer.emit(bb.name(), "wifi.tx", String.format("%d bytes from descriptor %d, on the air for %d ns", length, head, air));
        }
        onAir = scheduler.schedule(air, bb.name() + ".tx", () -> finish(out, base, next, reported));
    }

    private void finish(byte[] out, long base, int next, int reports) {
        onAir = null;
        boolean sent = bb.rf().txLocked();
        if (sent) {
            sink.transmitted(scheduler.now(), out);
            WifiBaseband.count(gptc);
        } else if (tracer.enabled()) {
            tracer.emit(bb.name(), "wifi.tx", "not transmitted: the TX synthesizer is not locked (STA.NTX)");
        }
        int sta = WifiBaseband.DESC_DD | (sent ? 0 : WifiBaseband.TDESC_NTX);
        for (int i = 0; i < reports; i++) {
            long at = base + (long) reportIndexes[i] * WifiBaseband.DESC_SIZE + 12;
            DmaPort.Result r = bb.dma().writeWord(at, 1, sta);
            if (!bb.dmaUsable(r)) {
                halt(WifiBaseband.ERR_TXDMA, String.format("TX descriptor %d write-back at 0x%08x: %s", reportIndexes[i], at, r));
                return;
            }
        }
        ring[3].set(next);
        int causes = reports > 0 ? WifiBaseband.TXDW : 0;
        if (next == ring[4].value()) {
            causes |= WifiBaseband.TXQE;
        }
        if (causes != 0) {
            bb.raise(causes);
        }
        kick();
    }

    private void halt(int errBit, String why) {
        tctl.set(tctl.value() & ~WifiBaseband.TCTL_EN);
        bb.haltTx(errBit, why);
    }

    /** Reset: a frame on the air is abandoned. */
    void reset() {
        if (onAir != null) {
            scheduler.cancel(onAir);
            onAir = null;
        }
    }
}
