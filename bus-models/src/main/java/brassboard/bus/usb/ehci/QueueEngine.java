package brassboard.bus.usb.ehci;

import brassboard.bus.api.MemoryBus;
import brassboard.bus.usb.TransactionResult;
import brassboard.bus.usb.UsbDevice;

/**
 * Walks the EHCI schedules (§4.6-4.10): the periodic frame list entry of a micro-frame, then the
 * asynchronous list, executing transactions for queue heads whose overlay holds an active qTD.
 *
 * <p>Per queue head: when the overlay is not active and not halted, the queue advances (§4.10.2):
 * through the Alternate Next qTD pointer after a short packet (Total Bytes left over), otherwise
 * through Next qTD; an active qTD is copied into the overlay (data toggle from the qTD when the
 * QH's DTC is set, else kept; NakCnt reloaded from RL). Then one transaction (§4.10.3): SETUP, OUT
 * (or PING while the ping state is set) or IN of up to wMaxPacketSize bytes, through the five
 * buffer pointers (C_Page and the current offset). Its result updates the overlay token: bytes
 * and toggle advance on ACK, CERR counts transaction errors down to a halt, STALL and babble halt,
 * a NAK'd OUT enters the ping state. A finished qTD (no bytes left, a short packet, or halted) is
 * retired: Active cleared, its token written back to the qTD, USBINT pended for IOC or a short
 * packet and USBERRINT for a halt (§4.15.1).
 *
 * <p>Bus time: a micro-frame carries {@value #MICROFRAME_BYTES} bytes at high speed; each
 * transaction costs its data plus {@value #OVERHEAD_BYTES} bytes of tokens and handshakes (a timeout
 * {@value #TIMEOUT_BYTES}), and one that would not end before the micro-frame does is not started
 * (§4.4.1.2): the walk stops there and resumes at that queue head in the next micro-frame. A queue head that NAKs is not tried again in the same
 * micro-frame (a simplification of NAK throttling: RL/NakCnt is counted, and a QH whose NakCnt
 * reached 0 waits out one visit and is reloaded).
 *
 * <p>The asynchronous walk keeps the reclamation rules of §4.8.3: Reclamation is set at the start
 * of the walk and by every transaction, and cleared on reaching the QH with the H bit; reaching
 * it with Reclamation clear means a whole pass found nothing to do, and the walk stops.
 */
final class QueueEngine {
    // ---- Link pointers (§3.1) ----
    static final int LINK_T = 1;
    static final int LINK_TYPE_SHIFT = 1;
    static final int TYPE_ITD = 0;
    static final int TYPE_QH = 1;
    static final int TYPE_SITD = 2;
    static final int TYPE_FSTN = 3;
    private static final long LINK_MASK = 0xFFFF_FFE0L;

    // ---- Queue head dwords (§3.6) ----
    static final int QH_LINK = 0;
    static final int QH_EPCHAR = 1;
    static final int QH_EPCAP = 2;
    static final int QH_CURRENT = 3;
    static final int QH_NEXT = 4;
    static final int QH_ALT = 5;
    static final int QH_TOKEN = 6;
    static final int QH_BUFFER = 7;
    static final int QH_DWORDS = 12;
    static final int EPCHAR_DTC = 1 << 14;
    static final int EPCHAR_H = 1 << 15;
    static final int EPS_HIGH = 2;

    // ---- qTD dwords (§3.5) and token bits ----
    static final int QTD_NEXT = 0;
    static final int QTD_ALT = 1;
    static final int QTD_TOKEN = 2;
    static final int QTD_BUFFER = 3;
    static final int QTD_DWORDS = 8;
    static final int TOKEN_PING = 1 << 0;
    static final int TOKEN_SPLIT_STATE = 1 << 1;
    static final int TOKEN_MISSED_UFRAME = 1 << 2;
    static final int TOKEN_XACTERR = 1 << 3;
    static final int TOKEN_BABBLE = 1 << 4;
    static final int TOKEN_DBE = 1 << 5;
    static final int TOKEN_HALTED = 1 << 6;
    static final int TOKEN_ACTIVE = 1 << 7;
    static final int TOKEN_PID_SHIFT = 8;
    static final int TOKEN_CERR_SHIFT = 10;
    static final int TOKEN_CPAGE_SHIFT = 12;
    static final int TOKEN_IOC = 1 << 15;
    static final int TOKEN_BYTES_SHIFT = 16;
    static final int TOKEN_BYTES_MASK = 0x7FFF;
    static final int TOKEN_DT = 1 << 31;
    static final int PID_OUT = 0;
    static final int PID_IN = 1;
    static final int PID_SETUP = 2;
    private static final int NAKCNT_MASK = 0xF << 1;

    /** High-speed bytes per micro-frame (480 Mb/s x 125 µs). */
    static final int MICROFRAME_BYTES = 7500;
    /** Token, handshake, CRC, sync and inter-packet gaps of one transaction, in byte times. */
    static final int OVERHEAD_BYTES = 20;
    /** A transaction the device does not answer: the host waits out the bus turn-around timeout (USB 2.0 §7.1.19.2, 816 bit times). */
    static final int TIMEOUT_BYTES = 102;
    /** Queue heads visited per micro-frame at most: a guard against a list with no H bit or a loop. */
    private static final int MAX_VISITS = 1024;
    /** Largest high-speed wMaxPacketSize. */
    private static final int MAX_PACKET = 1024;

    // Results of serving one queue head.
    private static final int IDLE = 0;
    private static final int NAKED = 1;
    private static final int EXECUTED = 2;
    private static final int FAILED = -1;
    /** The transaction would not finish before the end of the micro-frame (§4.4.1.2): not started. */
    private static final int NO_ROOM = 3;

    private final Ehci hc;
    private final int[] qh = new int[QH_DWORDS];
    private final int[] qtd = new int[QTD_DWORDS];
    private final long[] nakked = new long[64];
    private int nakkedCount;
    private int budget;
    private long asyncCurrent = -1;
    private boolean reclamation;

    QueueEngine(Ehci hc) {
        this.hc = hc;
    }

    /** The async walk starts over at ASYNCLISTADDR (it was written, or the schedule enabled). */
    void restartAsync() {
        asyncCurrent = -1;
    }

    void startMicroframe() {
        budget = MICROFRAME_BYTES;
        nakkedCount = 0;
    }

    /**
     * Walks frame {@code frame}'s periodic list for micro-frame {@code uframe} (§4.6): interrupt QHs
     * whose S-mask names the micro-frame get one transaction (Mult at most). iTDs, siTDs and FSTNs
     * are not modelled: they are skipped along their next link, with a warning once.
     *
     * @return whether any transaction was attempted
     */
    boolean walkPeriodic(long base, int frame, int uframe) {
        long entry = base + 4L * frame;
        long link = hc.read32(entry);
        if (link == MemoryBus.BUS_ERROR) {
            hc.hostSystemError("reading the periodic frame list", entry);
            return false;
        }
        boolean busy = false;
        for (int visits = 0; (link & LINK_T) == 0; visits++) {
            if (visits == MAX_VISITS) {
                warnOnce("periodic-loop", "the periodic list of frame " + frame + " has more than " + MAX_VISITS
                        + " entries (a loop?); the rest is skipped this micro-frame");
                break;
            }
            long ptr = link & LINK_MASK;
            int type = (int) (link >>> LINK_TYPE_SHIFT) & 3;
            if (type != TYPE_QH) {
                warnOnce("periodic-" + type, (type == TYPE_ITD ? "isochronous transfer descriptors (iTD)"
                        : type == TYPE_SITD ? "split-transaction isochronous descriptors (siTD)"
                        : "frame span traversal nodes (FSTN)")
                        + String.format(" are not modelled; the one at 0x%08x is skipped along its next link", ptr));
                link = hc.read32(ptr);
                if (link == MemoryBus.BUS_ERROR) {
                    hc.hostSystemError("reading a periodic schedule link", ptr);
                    return busy;
                }
                continue;
            }
            if (!readQh(ptr)) {
                return busy;
            }
            link = qh[QH_LINK] & 0xFFFF_FFFFL;
            if ((qh[QH_EPCAP] & (1 << uframe)) != 0) {
                int mult = Math.max(1, qh[QH_EPCAP] >>> 30);
                for (int i = 0; i < mult; i++) {
                    int r = serve(ptr, false);
                    if (r == FAILED) {
                        return busy;
                    }
                    if (r == NO_ROOM) {
                        return true;
                    }
                    busy |= r != IDLE;
                    if (r != EXECUTED) {
                        break;
                    }
                    if (i + 1 < mult && !readQh(ptr)) {
                        return busy;
                    }
                }
            }
        }
        return busy;
    }

    /**
     * Walks the asynchronous list from where the last walk stopped (or from {@code listAddr}).
     *
     * @return whether any transaction was attempted
     */
    boolean walkAsync(long listAddr) {
        long ptr = asyncCurrent < 0 ? listAddr : asyncCurrent;
        boolean r = true;
        boolean busy = false;
        boolean sawHead = false;
        int visits = 0;
        while (budget > 0) {
            if (visits++ == MAX_VISITS) {
                if (!sawHead) {
                    warnOnce("no-head", "no queue head in the asynchronous list has the H bit (EHCI 1.0 §4.8.3);"
                            + " the walk stops after " + MAX_VISITS + " queue heads each micro-frame");
                }
                break;
            }
            if (!readQh(ptr)) {
                return busy;
            }
            if ((qh[QH_EPCHAR] & EPCHAR_H) != 0) {
                sawHead = true;
                if (!r) {
                    break; // a whole pass without a transaction: the schedule is empty for now
                }
                r = false;
            }
            long link = qh[QH_LINK] & 0xFFFF_FFFFL;
            int result = serve(ptr, true);
            if (result == FAILED) {
                return busy;
            }
            if (result == NO_ROOM) {
                busy = true;
                break; // resume at this queue head next micro-frame
            }
            if (result != IDLE) {
                r = true;
                busy = true;
            }
            if (((link >>> LINK_TYPE_SHIFT) & 3) != TYPE_QH) {
                warnOnce("async-type", String.format("the asynchronous list links to a non-QH structure (link 0x%08x at QH 0x%08x);"
                        + " only queue heads may appear there (EHCI 1.0 §4.8)", link, ptr));
                break;
            }
            ptr = link & LINK_MASK;
        }
        asyncCurrent = ptr;
        reclamation = r;
        return busy;
    }

    /** USBSTS.Reclamation as the last asynchronous walk left it. */
    boolean reclamation() {
        return reclamation;
    }

    private boolean readQh(long ptr) {
        for (int i = 0; i < QH_DWORDS; i++) {
            long v = hc.read32(ptr + 4L * i);
            if (v == MemoryBus.BUS_ERROR) {
                hc.hostSystemError("reading a queue head", ptr + 4L * i);
                return false;
            }
            qh[i] = (int) v;
        }
        return true;
    }

    private boolean readQtd(long ptr) {
        for (int i = 0; i < QTD_DWORDS; i++) {
            long v = hc.read32(ptr + 4L * i);
            if (v == MemoryBus.BUS_ERROR) {
                hc.hostSystemError("reading a qTD", ptr + 4L * i);
                return false;
            }
            qtd[i] = (int) v;
        }
        return true;
    }

    /** Writes the overlay (dwords 3-11) back to the queue head. */
    private boolean writeOverlay(long ptr) {
        for (int i = QH_CURRENT; i < QH_DWORDS; i++) {
            if (!hc.write32(ptr + 4L * i, qh[i])) {
                hc.hostSystemError("writing back a queue head", ptr + 4L * i);
                return false;
            }
        }
        return true;
    }

    private boolean nakkedThisMicroframe(long ptr) {
        for (int i = 0; i < nakkedCount; i++) {
            if (nakked[i] == ptr) {
                return true;
            }
        }
        return false;
    }

    /** Serves the queue head at {@code ptr}, already read into {@link #qh}. */
    private int serve(long ptr, boolean async) {
        int token = qh[QH_TOKEN];
        if ((token & TOKEN_ACTIVE) == 0) {
            if ((token & TOKEN_HALTED) != 0) {
                return IDLE;
            }
            int left = (token >>> TOKEN_BYTES_SHIFT) & TOKEN_BYTES_MASK;
            int alt = qh[QH_ALT];
            int next = left != 0 && (alt & LINK_T) == 0 ? alt : qh[QH_NEXT];
            if ((next & LINK_T) != 0) {
                return IDLE;
            }
            long qtdAddr = next & LINK_MASK;
            if (!readQtd(qtdAddr)) {
                return FAILED;
            }
            if ((qtd[QTD_TOKEN] & TOKEN_ACTIVE) == 0) {
                return IDLE;
            }
            loadOverlay(qtdAddr, token);
            if (!writeOverlay(ptr)) {
                return FAILED;
            }
        }
        if (nakkedThisMicroframe(ptr)) {
            return IDLE;
        }
        int rl = qh[QH_EPCHAR] >>> 28;
        if (async && rl != 0 && (qh[QH_ALT] & NAKCNT_MASK) == 0) {
            qh[QH_ALT] |= rl << 1; // waited out one visit: reload (§4.9)
            return writeOverlay(ptr) ? IDLE : FAILED;
        }
        return execute(ptr, async);
    }

    /** §4.10.2: the qTD at {@code qtdAddr} (in {@link #qtd}) becomes the overlay. */
    private void loadOverlay(long qtdAddr, int oldToken) {
        int t = qtd[QTD_TOKEN];
        if ((qh[QH_EPCHAR] & EPCHAR_DTC) == 0) {
            t = (t & ~TOKEN_DT) | (oldToken & TOKEN_DT); // the QH keeps the toggle
        }
        t = (t & ~TOKEN_PING) | (oldToken & TOKEN_PING); // the ping state belongs to the endpoint
        qh[QH_CURRENT] = (int) qtdAddr;
        qh[QH_NEXT] = qtd[QTD_NEXT];
        qh[QH_ALT] = (qtd[QTD_ALT] & ~NAKCNT_MASK) | ((qh[QH_EPCHAR] >>> 28) << 1);
        qh[QH_TOKEN] = t;
        qh[QH_BUFFER] = qtd[QTD_BUFFER];
        for (int i = 1; i < 5; i++) {
            qh[QH_BUFFER + i] = qtd[QTD_BUFFER + i] & 0xFFFF_F000; // C-prog-mask, S-bytes, frame tag start at 0
        }
    }

    private int execute(long ptr, boolean async) {
        int epchar = qh[QH_EPCHAR];
        int token = qh[QH_TOKEN];
        int devAddr = epchar & 0x7F;
        int endpoint = (epchar >>> 8) & 0xF;
        int speed = (epchar >>> 12) & 3;
        int maxPacket = (epchar >>> 16) & 0x7FF;
        int pid = (token >>> TOKEN_PID_SHIFT) & 3;
        int total = (token >>> TOKEN_BYTES_SHIFT) & TOKEN_BYTES_MASK;
        int toggle = token >>> 31;
        int len = Math.min(total, maxPacket);

        if (pid == 3) {
            warnOnce("pid", String.format("qTD at 0x%08x has the reserved PID code 3; it is halted", qh[QH_CURRENT]));
            return retire(ptr, token | TOKEN_HALTED | TOKEN_XACTERR, false);
        }
        if (maxPacket == 0 && total > 0 && pid != PID_SETUP) {
            warnOnce("mps0", String.format("QH at 0x%08x has Maximum Packet Length 0 but its qTD moves %d bytes; halted", ptr, total));
            return retire(ptr, token | TOKEN_HALTED | TOKEN_XACTERR, false);
        }
        if (maxPacket > MAX_PACKET) {
            warnOnce("mps", String.format("QH at 0x%08x has Maximum Packet Length %d (high speed allows at most 1024)", ptr, maxPacket));
        }
        int span = pid == PID_SETUP ? Math.min(total, 8) : len;
        if (span + OVERHEAD_BYTES > budget) {
            budget = 0;
            return NO_ROOM;
        }
        if (span > 0 && currentAddress(span - 1) < 0) {
            warnOnce("dbe", String.format("qTD at 0x%08x runs past its fifth buffer page (C_Page %d); halted with"
                    + " Data Buffer Error", qh[QH_CURRENT], (token >>> TOKEN_CPAGE_SHIFT) & 7));
            return retire(ptr, token | TOKEN_DBE | TOKEN_HALTED, false);
        }
        Ehci.Port port = hc.portAt(devAddr);
        if (speed != EPS_HIGH) {
            warnOnce("split", String.format("QH at 0x%08x is for a %s-speed endpoint: split transactions through a"
                    + " transaction translator are not modelled (only high-speed devices are on the root ports)",
                    ptr, speed == 0 ? "full" : speed == 1 ? "low" : "reserved"));
            port = null;
        }
        UsbDevice dev = port == null ? null : port.device();
        // A fault on the wire or in the device's answer (usb.<n>.packet): the device does not see the packet.
        TransactionResult fault = dev == null ? null : port.packetFault(pid, endpoint);
        if (fault != null) {
            trace(ptr, devAddr, endpoint, "fault: " + fault);
        }

        TransactionResult r;
        byte[] out = null;
        if (dev == null) {
            r = TransactionResult.error(TransactionResult.Error.TIMEOUT);
        } else if (pid == PID_SETUP) {
            out = new byte[Math.min(total, 8)];
            if (!dmaRead(out)) {
                return FAILED;
            }
            r = fault != null ? fault : total == 8 ? dev.setup(out) : TransactionResult.error(TransactionResult.Error.TIMEOUT);
        } else if (pid == PID_OUT && (token & TOKEN_PING) != 0) {
            r = fault != null ? fault : dev.ping(endpoint);
            budget -= OVERHEAD_BYTES;
            switch (r.kind()) {
                case ACK -> {
                    qh[QH_TOKEN] = token & ~TOKEN_PING;
                    return writeOverlay(ptr) ? EXECUTED : FAILED;
                }
                case NAK -> {
                    return nak(ptr, token);
                }
                default -> { }
            }
        } else if (pid == PID_OUT) {
            out = new byte[len];
            if (!dmaRead(out)) {
                return FAILED;
            }
            r = fault != null ? fault : dev.out(endpoint, toggle, out);
        } else {
            r = fault != null ? fault : dev.in(endpoint, len);
        }
        if (dev != null && fault == null) {
            port.afterTransaction(pid, endpoint); // a usb.<n>.link rule may unplug the device now
        }

        switch (r.kind()) {
            case ACK -> {
                int n = pid == PID_IN ? r.length() : out == null ? 0 : out.length;
                budget -= n + OVERHEAD_BYTES;
                if (pid == PID_IN) {
                    if (n > len) {
                        trace(ptr, devAddr, endpoint, "babble: " + n + " bytes for " + len + " asked");
                        return retire(ptr, token | TOKEN_BABBLE | TOKEN_HALTED, false);
                    }
                    if (r.toggle() != toggle) {
                        // A repeat of a packet already taken (USB 2.0 §8.6.4): acknowledged, the data dropped.
                        qh[QH_TOKEN] = token & ~(3 << TOKEN_CERR_SHIFT) | (3 << TOKEN_CERR_SHIFT);
                        return writeOverlay(ptr) ? EXECUTED : FAILED;
                    }
                    if (!dmaWrite(r, n)) {
                        return FAILED;
                    }
                } else if (out != null) {
                    dmaAdvance(out.length);
                }
                // CERR starts over after a successful transaction (§4.15.1.1); qh[QH_TOKEN] has the new C_Page.
                token = qh[QH_TOKEN] & ~(3 << TOKEN_CERR_SHIFT) | (3 << TOKEN_CERR_SHIFT);
                total -= n;
                token = (token & ~(TOKEN_BYTES_MASK << TOKEN_BYTES_SHIFT)) | (total << TOKEN_BYTES_SHIFT);
                token ^= TOKEN_DT;
                boolean shortPacket = pid == PID_IN && n < len;
                if (total == 0 || shortPacket) {
                    return retire(ptr, token, shortPacket);
                }
                qh[QH_TOKEN] = token;
                return writeOverlay(ptr) ? EXECUTED : FAILED;
            }
            case NAK -> {
                budget -= OVERHEAD_BYTES + (pid == PID_OUT ? len : 0);
                return nak(ptr, pid == PID_OUT && speed == EPS_HIGH ? token | TOKEN_PING : token);
            }
            case STALL -> {
                budget -= OVERHEAD_BYTES;
                trace(ptr, devAddr, endpoint, "STALL");
                return retire(ptr, token | TOKEN_HALTED, false);
            }
            default -> {
                budget -= r.error() == TransactionResult.Error.TIMEOUT ? TIMEOUT_BYTES : OVERHEAD_BYTES + len;
                if (r.error() == TransactionResult.Error.BABBLE) {
                    trace(ptr, devAddr, endpoint, "babble");
                    return retire(ptr, token | TOKEN_BABBLE | TOKEN_HALTED, false);
                }
                int cerr = (token >>> TOKEN_CERR_SHIFT) & 3;
                token |= TOKEN_XACTERR;
                if (cerr == 0) {
                    qh[QH_TOKEN] = token; // CERR 0: errors are not counted, retried for ever
                    return writeOverlay(ptr) ? EXECUTED : FAILED;
                }
                cerr--;
                token = (token & ~(3 << TOKEN_CERR_SHIFT)) | (cerr << TOKEN_CERR_SHIFT);
                trace(ptr, devAddr, endpoint, "transaction error (" + r.error() + "), CERR now " + cerr);
                if (cerr == 0) {
                    return retire(ptr, token | TOKEN_HALTED, false);
                }
                qh[QH_TOKEN] = token;
                return writeOverlay(ptr) ? EXECUTED : FAILED;
            }
        }
    }

    private int nak(long ptr, int token) {
        int rl = qh[QH_EPCHAR] >>> 28;
        if (rl != 0) {
            int cnt = (qh[QH_ALT] & NAKCNT_MASK) >>> 1;
            if (cnt > 0) {
                qh[QH_ALT] = (qh[QH_ALT] & ~NAKCNT_MASK) | ((cnt - 1) << 1);
            }
        }
        qh[QH_TOKEN] = token;
        if (nakkedCount < nakked.length) {
            nakked[nakkedCount++] = ptr;
        }
        return writeOverlay(ptr) ? NAKED : FAILED;
    }

    /**
     * Retires the overlay's qTD with {@code token} (Active cleared): written back to the qTD and the
     * overlay; USBINT for IOC or a short packet, USBERRINT for a halt.
     */
    private int retire(long ptr, int token, boolean shortPacket) {
        token &= ~TOKEN_ACTIVE;
        qh[QH_TOKEN] = token;
        if (!writeOverlay(ptr)) {
            return FAILED;
        }
        long qtdAddr = qh[QH_CURRENT] & LINK_MASK;
        if (!hc.write32(qtdAddr + 4L * QTD_TOKEN, token)) {
            hc.hostSystemError("writing back a qTD token", qtdAddr + 8);
            return FAILED;
        }
        if ((token & TOKEN_IOC) != 0 || shortPacket) {
            hc.pend(Ehci.STS_USBINT);
        }
        if ((token & TOKEN_HALTED) != 0) {
            hc.pend(Ehci.STS_USBERRINT);
        }
        return EXECUTED;
    }

    // ---- Data buffers (§3.5.4, §4.10.6) ----

    /** Physical address {@code offsetBytes} past the overlay's current byte, or -1 past the fifth buffer page. */
    private long currentAddress(int offsetBytes) {
        int offset = (qh[QH_BUFFER] & 0xFFF) + offsetBytes;
        int page = ((qh[QH_TOKEN] >>> TOKEN_CPAGE_SHIFT) & 7) + (offset >>> 12);
        if (page > 4) {
            return -1;
        }
        return (qh[QH_BUFFER + page] & 0xFFFF_F000L) | (offset & 0xFFF);
    }

    /** Reads the OUT/SETUP packet at the current position (the position is not advanced). */
    private boolean dmaRead(byte[] into) {
        int i = 0;
        while (i < into.length) {
            long a = currentAddress(i);
            if ((a & 3) == 0 && into.length - i >= 4 && (a & 0xFFF) <= 0xFFC) {
                long v = hc.read32(a);
                if (v == MemoryBus.BUS_ERROR) {
                    hc.hostSystemError("reading a data buffer", a);
                    return false;
                }
                into[i] = (byte) v;
                into[i + 1] = (byte) (v >>> 8);
                into[i + 2] = (byte) (v >>> 16);
                into[i + 3] = (byte) (v >>> 24);
                i += 4;
                continue;
            }
            long v = hc.read8(a);
            if (v == MemoryBus.BUS_ERROR) {
                hc.hostSystemError("reading a data buffer", a);
                return false;
            }
            into[i++] = (byte) v;
        }
        return true;
    }

    /** Writes the IN packet at the current position and advances past it. */
    private boolean dmaWrite(TransactionResult r, int n) {
        int i = 0;
        while (i < n) {
            long a = currentAddress(i);
            boolean ok;
            if ((a & 3) == 0 && n - i >= 4 && (a & 0xFFF) <= 0xFFC) {
                int w = (r.dataAt(i) & 0xFF) | (r.dataAt(i + 1) & 0xFF) << 8 | (r.dataAt(i + 2) & 0xFF) << 16 | r.dataAt(i + 3) << 24;
                ok = hc.write32(a, w);
                i += 4;
            } else {
                ok = hc.write8(a, r.dataAt(i++));
            }
            if (!ok) {
                hc.hostSystemError("writing a data buffer", a);
                return false;
            }
        }
        dmaAdvance(n);
        return true;
    }

    /** Moves the current offset (and C_Page) past {@code n} bytes. */
    private void dmaAdvance(int n) {
        int offset = (qh[QH_BUFFER] & 0xFFF) + n;
        int page = ((qh[QH_TOKEN] >>> TOKEN_CPAGE_SHIFT) & 7) + (offset >>> 12);
        qh[QH_BUFFER] = (qh[QH_BUFFER] & 0xFFFF_F000) | (offset & 0xFFF);
        qh[QH_TOKEN] = (qh[QH_TOKEN] & ~(7 << TOKEN_CPAGE_SHIFT)) | (Math.min(page, 7) << TOKEN_CPAGE_SHIFT);
    }

    private void trace(long ptr, int dev, int ep, String what) {
        hc.trace("usb.xact", String.format("QH 0x%08x dev %d ep %d: %s", ptr, dev, ep, what));
    }

    private void warnOnce(String key, String message) {
        hc.tracer().warnOnce(hc.name() + "." + key, hc.name(), message);
    }
}
