package brassboard.devices.storage.bot;

import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.FaultSite;
import brassboard.bus.api.Scheduler;
import brassboard.devices.storage.api.BulkInReply;
import brassboard.devices.storage.api.BulkOutReply;
import brassboard.devices.storage.api.ControlReply;
import brassboard.devices.storage.scsi.CdbBlocks;
import brassboard.devices.storage.scsi.ScsiOpcode;
import brassboard.devices.storage.scsi.ScsiResult;
import brassboard.devices.storage.scsi.ScsiTarget;
import brassboard.devices.storage.scsi.ScsiTask;

/**
 * The device side of the USB Mass Storage Class Bulk-Only Transport 1.0, between a USB device's
 * endpoints and a {@link ScsiTarget}. It knows no USB framework class: the USB device that wraps it
 * hands it
 * <ul>
 *   <li>each OUT transaction (or whole OUT transfer) on the bulk OUT endpoint: {@link #bulkOut},
 *       answered ACK, NAK or STALL;</li>
 *   <li>each IN token (or whole IN transfer) on the bulk IN endpoint, with the most bytes the host
 *       accepts: {@link #bulkIn}, answered with data (fewer bytes than asked end the host's
 *       transfer, as a short packet does), NAK or STALL;</li>
 *   <li>the class requests Bulk-Only Mass Storage Reset and Get Max LUN ({@link #classRequest});
 *       CLEAR_FEATURE(ENDPOINT_HALT) on a bulk endpoint ({@link #clearHalt}); a USB bus reset
 *       ({@link #busReset}).</li>
 * </ul>
 * Calls may be per packet or per transfer: an answer shorter than asked, or a STALL, is meaningful
 * either way. A STALL halts the endpoint: every later transaction on it is STALLed until the host
 * clears the halt.
 *
 * <p><b>Time.</b> Without a scheduler every command is instant and nothing is NAKed. Given one, the
 * time the SCSI task reports ({@link ScsiTask#takeBusyNs()}: ATA overhead, media transfer, seeks, a
 * failing medium's retries) makes the device busy: both bulk endpoints NAK until that virtual time
 * has passed. Data-in fetched from the disk waits in the transport meanwhile.
 *
 * <p><b>The state machine</b> (§5, §6): {@link State#COMMAND} waits for a CBW; a valid (§6.2.1: 31
 * bytes, signature) and meaningful (§6.2.2: reserved bits zero, a LUN the target has, a CB length
 * of 1 to 16 and at least the operation code's CDB length) CBW starts the SCSI command and, by the
 * thirteen cases ({@link BotCase}), a data phase {@link State#DATA_IN} / {@link State#DATA_OUT} or
 * straight {@link State#STATUS}; the CSW is sent on the next IN and the machine returns to
 * COMMAND. The data phase ends when {@code dCBWDataTransferLength} bytes have moved, or on a short
 * packet from the host (an OUT of fewer bytes than a whole number of max-size packets).
 *
 * <p><b>An invalid or meaningless CBW</b> (§6.6.1): both bulk endpoints STALL, and keep stalling even
 * after CLEAR_FEATURE, until a Reset Recovery (Bulk-Only Mass Storage Reset, then clearing both
 * halts). The spec leaves a meaningless CBW's handling open; it is treated as an invalid one.
 *
 * <p><b>Excess data</b> — the host expecting more than the device has (cases 4, 5, 9, 11) — is
 * handled by {@link ExcessPolicy}: {@link ExcessPolicy#PAD} (the default, as QEMU's usb-storage
 * does) sends zero fill up to {@code dCBWDataTransferLength} and accepts and discards surplus
 * OUT data; {@link ExcessPolicy#STALL} ends the data with a short packet or STALL instead. Either
 * way {@code dCSWDataResidue} is the transfer length less the relevant data moved.
 *
 * <p><b>Phase errors</b> (cases 2, 3, 7, 8, 10, 13): bCSWStatus 02h. Cases 2 and 3 have no data
 * phase; in case 7 the first {@code dCBWDataTransferLength} bytes are sent; in cases 8 and 10 the
 * endpoint the host uses is STALLed at once; in case 13 the host's data is accepted and discarded
 * (or STALLed under {@link ExcessPolicy#STALL}) and nothing is written. The SCSI command of a
 * phase error other than case 7 is abandoned, not executed.
 *
 * <p><b>Fault point</b> {@code bot.<device>} ({@link #declareFaultPoint}): each CSW as the device
 * prepares it, with filters {@code opcode} and {@code lba} (of the command's CDB) and {@code kind}
 * (the CBW's direction: {@code in}, {@code out}, or {@code none} without data). {@code
 * wrong-residue}: dCSWDataResidue is the rule's {@code value} (the Super Top's known bug, for which
 * Linux has US_FL_IGNORE_RESIDUE); {@code phase-error}: bCSWStatus 02h; {@code bad-signature}: the
 * CSW goes out with the CBW's signature "USBC" (43425355h) instead of "USBS" (§6.3.1: the host must
 * treat it as invalid); {@code bad-tag}: dCSWTag is the CBW's tag inverted; {@code no-csw}: the CSW
 * is never sent, the bulk IN endpoint NAKs until a Bulk-Only Mass Storage Reset or a bus reset.
 */
public final class BulkOnlyTransport {
    /** The two bulk endpoints. */
    public enum Endpoint { BULK_IN, BULK_OUT }

    /** Where the transport is in the CBW, data, CSW sequence. */
    public enum State {
        /** Waiting for a CBW. */
        COMMAND,
        /** Sending data to the host. */
        DATA_IN,
        /** Receiving data from the host. */
        DATA_OUT,
        /** The CSW is ready for the next IN. */
        STATUS,
        /** An invalid CBW arrived: both endpoints STALL until a Bulk-Only Mass Storage Reset. */
        RESET_RECOVERY
    }

    /** What the device does with the difference when the host expects more data than it has. */
    public enum ExcessPolicy {
        /** Pad data-in with zeros and accept-and-discard surplus data-out (QEMU's usb-storage). */
        PAD,
        /** End data-in early (short packet, then STALL) and STALL surplus data-out (§6.7.2, §6.7.3). */
        STALL
    }

    /** bmRequestType of a class request to an interface, host to device / device to host. */
    public static final int REQUEST_TYPE_CLASS_INTERFACE_OUT = 0x21;
    public static final int REQUEST_TYPE_CLASS_INTERFACE_IN = 0xA1;
    /** bRequest: Bulk-Only Mass Storage Reset (§3.1). */
    public static final int BULK_ONLY_MASS_STORAGE_RESET = 0xFF;
    /** bRequest: Get Max LUN (§3.2). */
    public static final int GET_MAX_LUN = 0xFE;

    private final ScsiTarget target;
    private final int maxPacketSize;
    private final int interfaceNumber;
    private final ExcessPolicy policy;
    /** Virtual time, when the transport models it; null: every command is instant. */
    private final Scheduler scheduler;
    /** Until this instant the device is busy with the command and NAKs both bulk endpoints. */
    private long busyUntil;
    /** Data-in fetched while the device became busy, sent once it is not ({@link #heldOffset} bytes already sent). */
    private byte[] held;
    private int heldRelevant;
    private int heldOffset;

    private State state = State.COMMAND;
    private boolean inHalted;
    private boolean outHalted;

    // The command in progress.
    private int tag;
    private long hostLength;
    private long hostRemaining;
    private long relevant;
    private BotCase currentCase;
    private ScsiTask task;
    /** The next transaction of the data phase is STALLed (cases 8, 10; case 13 under STALL). */
    private boolean stallData;
    private Csw csw;
    private long commands;

    // Fault injection (bot.<device>): the command's description for filters, and CSW faults pending.
    private FaultPoint point;
    private final FaultSite site = new FaultSite();
    private int opcode = -1;
    private long lba = -1;
    private long blocks;
    private String dataKind = "none";
    /** The CSW goes out with a wrong signature. */
    private boolean badSignature;
    /** The CSW is withheld: the bulk IN endpoint NAKs until a reset. */
    private boolean withholdCsw;

    /** A transport for {@code target} on a high-speed interface 0 (512-byte packets), padding excess data as QEMU does. */
    public BulkOnlyTransport(ScsiTarget target) {
        this(target, 512, 0, ExcessPolicy.PAD);
    }

    /**
     * A transport for {@code target}, whose bulk endpoints have {@code maxPacketSize}-byte packets
     * (512 at high speed, 64 at full speed), on interface {@code interfaceNumber}.
     */
    public BulkOnlyTransport(ScsiTarget target, int maxPacketSize, int interfaceNumber, ExcessPolicy policy) {
        this(target, maxPacketSize, interfaceNumber, policy, null);
    }

    /**
     * As {@link #BulkOnlyTransport(ScsiTarget, int, int, ExcessPolicy)}, with the time commands take
     * ({@link ScsiTask#takeBusyNs()}) made visible on {@code scheduler}'s clock: while the device is
     * busy both bulk endpoints answer NAK (a STALL still takes precedence).
     */
    public BulkOnlyTransport(ScsiTarget target, int maxPacketSize, int interfaceNumber, ExcessPolicy policy,
                             Scheduler scheduler) {
        if (maxPacketSize != 8 && maxPacketSize != 16 && maxPacketSize != 32 && maxPacketSize != 64 && maxPacketSize != 512) {
            throw new IllegalArgumentException("bulk max packet size " + maxPacketSize + "; expected 8, 16, 32, 64 or 512");
        }
        this.target = target;
        this.maxPacketSize = maxPacketSize;
        this.interfaceNumber = interfaceNumber;
        this.policy = policy;
        this.scheduler = scheduler;
    }

    /**
     * Declares this transport's fault point {@code bot.<device>} in {@code faults} (see the class
     * comment); {@code device} is the USB device's name ({@code usb1}).
     */
    public void declareFaultPoint(FaultPoints faults, String device) {
        point = faults.declare("bot." + device, "the status (CSW) of each bulk-only command of " + device,
                "wrong-residue", "phase-error", "bad-signature", "bad-tag", "no-csw")
                .filters("opcode", "lba", "kind").kinds("in", "out", "none");
    }

    /** The current state. */
    public State state() {
        return state;
    }

    /** Whether {@code ep} is halted. */
    public boolean halted(Endpoint ep) {
        return ep == Endpoint.BULK_IN ? inHalted : outHalted;
    }

    /** The case of the last command that got past its CBW, or null before the first. */
    public BotCase lastCase() {
        return currentCase;
    }

    /** Commands started since power-on. */
    public long commands() {
        return commands;
    }

    /** The virtual time until which the device is busy (NAKs); 0 or in the past when it is not. */
    public long busyUntilNs() {
        return busyUntil;
    }

    private boolean busy() {
        return scheduler != null && scheduler.now() < busyUntil;
    }

    /** Moves the time the task has taken onto the clock. */
    private void accrue(ScsiTask t) {
        long ns = t.takeBusyNs();
        if (scheduler != null && ns > 0) {
            busyUntil = Math.max(busyUntil, scheduler.now()) + ns;
        }
    }

    /** The highest LUN: what Get Max LUN answers. */
    public int maxLun() {
        return target.lunCount() - 1;
    }

    // ---- Bulk OUT ----

    /** The host sent {@code length} bytes on the bulk OUT endpoint. */
    public BulkOutReply bulkOut(byte[] data, int offset, int length) {
        if (outHalted || state == State.RESET_RECOVERY) {
            return stallOut();
        }
        if (busy()) {
            return BulkOutReply.NAK;
        }
        return switch (state) {
            case COMMAND -> command(data, offset, length);
            case DATA_OUT -> dataOut(data, offset, length);
            default -> stallOut(); // data where the device expects to send: the host is out of step
        };
    }

    private BulkOutReply stallOut() {
        outHalted = true;
        return BulkOutReply.STALL;
    }

    private BulkOutReply command(byte[] data, int offset, int length) {
        Cbw cbw = Cbw.parse(data, offset, length);
        if (cbw == null || !meaningful(cbw)) {
            // §6.6.1: STALL both bulk endpoints until a Reset Recovery.
            state = State.RESET_RECOVERY;
            inHalted = true;
            return stallOut();
        }
        commands++;
        tag = cbw.tag();
        hostLength = cbw.dataTransferLength();
        if (point != null) {
            byte[] cb = cbw.commandBlock();
            opcode = cb.length == 0 ? -1 : cb[0] & 0xFF;
            lba = CdbBlocks.lba(cb);
            blocks = CdbBlocks.count(cb);
            dataKind = hostLength == 0 ? "none" : cbw.dataIn() ? "in" : "out";
        }
        hostRemaining = hostLength;
        relevant = 0;
        stallData = false;
        task = target.submit(cbw.lun(), cbw.commandBlock());
        accrue(task);
        currentCase = BotCase.classify(hostLength, cbw.dataIn(), task.direction(), task.length());
        switch (currentCase) {
            case HN_DN -> status(task.complete());
            case HN_DI, HN_DO -> abandon();
            case HI_DN, HI_GT_DI, HI_EQ_DI, HI_LT_DI -> state = State.DATA_IN;
            case HI_DO -> {
                abandonTask();
                stallData = true;
                state = State.DATA_IN;
            }
            case HO_DN, HO_GT_DO, HO_EQ_DO -> state = State.DATA_OUT;
            case HO_DI -> {
                abandonTask();
                stallData = true;
                state = State.DATA_OUT;
            }
            case HO_LT_DO -> {
                abandonTask();
                stallData = policy == ExcessPolicy.STALL;
                state = State.DATA_OUT;
            }
        }
        return BulkOutReply.ACK;
    }

    /** §6.2.2, with the CB length required to cover the operation code's CDB. */
    private boolean meaningful(Cbw cbw) {
        if ((cbw.flags() & 0x7F) != 0 || (cbw.lunByte() & 0xF0) != 0 || (cbw.cbLengthByte() & 0xE0) != 0) {
            return false;
        }
        int n = cbw.cbLength();
        return cbw.lun() <= maxLun() && n >= 1 && n <= 16 && n >= ScsiOpcode.groupLength(cbw.cb()[0]);
    }

    private BulkOutReply dataOut(byte[] data, int offset, int length) {
        if (stallData) {
            endDataPhase();
            return stallOut();
        }
        if (length > hostRemaining) {
            // More than the CBW announced: the host is out of step.
            abandon();
            return stallOut();
        }
        long accepted = 0;
        if (task != null) {
            accepted = task.writeData(data, offset, length);
            accrue(task);
        }
        if (task != null && accepted < length && policy == ExcessPolicy.STALL) {
            relevant += accepted;
            endDataPhase();
            if (accepted == 0) {
                return stallOut();
            }
            outHalted = true; // this packet is taken; the next one will be STALLed
            return BulkOutReply.ACK;
        }
        relevant += accepted;
        hostRemaining -= length;
        boolean shortPacket = length == 0 || length % maxPacketSize != 0;
        if (hostRemaining == 0 || shortPacket) {
            endDataPhase();
        }
        return BulkOutReply.ACK;
    }

    // ---- Bulk IN ----

    /** The host asks for up to {@code max} bytes on the bulk IN endpoint. */
    public BulkInReply bulkIn(int max) {
        if (inHalted || state == State.RESET_RECOVERY) {
            return stallIn();
        }
        if (busy()) {
            return BulkInReply.nak();
        }
        return switch (state) {
            case DATA_IN -> dataIn(max);
            case STATUS -> sendStatus(max);
            default -> stallIn(); // a read where the device expects a CBW or data: the host is out of step
        };
    }

    private BulkInReply stallIn() {
        inHalted = true;
        return BulkInReply.stall();
    }

    private BulkInReply dataIn(int max) {
        if (stallData) {
            endDataPhase();
            return stallIn();
        }
        if (held == null) {
            int n = (int) Math.min(max, hostRemaining);
            held = new byte[n];
            heldOffset = 0;
            heldRelevant = 0;
            if (task != null) {
                heldRelevant = task.readData(held, 0, n);
                accrue(task);
            }
            if (busy()) {
                return BulkInReply.nak(); // fetching took time: the data goes out on a later IN
            }
        }
        boolean endsEarly = heldRelevant < held.length && policy == ExcessPolicy.STALL;
        // Under STALL only the relevant bytes go; under PAD zero fill follows them.
        int sendable = endsEarly ? heldRelevant : held.length;
        int k = Math.min(max, sendable - heldOffset);
        byte[] out = java.util.Arrays.copyOfRange(held, heldOffset, heldOffset + k);
        relevant += Math.max(0, Math.min(heldOffset + k, heldRelevant) - heldOffset);
        hostRemaining -= k;
        heldOffset += k;
        if (heldOffset < sendable) {
            return BulkInReply.data(out); // the host asked for less than was fetched: the rest waits
        }
        held = null;
        if (endsEarly) {
            // §6.7.2: less than the host asked for: end with what there is, then STALL.
            endDataPhase();
            if (k == 0) {
                return stallIn();
            }
            inHalted = true;
            return BulkInReply.data(out);
        }
        if (hostRemaining == 0) {
            endDataPhase();
        }
        return BulkInReply.data(out);
    }

    private BulkInReply sendStatus(int max) {
        if (withholdCsw) {
            return BulkInReply.nak(); // a no-csw fault: the status never comes
        }
        if (max < Csw.LENGTH) {
            return stallIn();
        }
        state = State.COMMAND;
        Csw c = csw;
        csw = null;
        byte[] b = c.bytes();
        if (badSignature) {
            badSignature = false;
            Cbw.putLe32(b, 0, Cbw.SIGNATURE);
        }
        return BulkInReply.data(b);
    }

    /** The CSW is ready ({@link State#STATUS}); a {@code bot.<device>} rule may spoil it. */
    private void statusPhase(long residue, Csw.Status s) {
        csw = new Csw(tag, residue, s);
        state = State.STATUS;
        if (point == null || !point.armed()) {
            return;
        }
        FaultSite f = site.occurrence(dataKind);
        f.opcode = opcode;
        f.address = lba;
        f.length = blocks;
        point.fire(f);
        if (f.action == null) {
            return;
        }
        switch (f.action) {
            case "wrong-residue" -> csw = new Csw(tag, f.arg, s);
            case "phase-error" -> csw = new Csw(tag, residue, Csw.Status.PHASE_ERROR);
            case "bad-tag" -> csw = new Csw(~tag, residue, s);
            case "bad-signature" -> badSignature = true;
            case "no-csw" -> withholdCsw = true;
            default -> { }
        }
    }

    // ---- Phases ----

    /** The data phase is over: complete the command (if it still runs) and prepare the CSW. */
    private void endDataPhase() {
        if (task != null) {
            status(task.complete());
        } else {
            statusPhase(hostLength - relevant, phaseOr(Csw.Status.COMMAND_PASSED));
        }
    }

    private void status(ScsiResult result) {
        accrue(task);
        task = null;
        Csw.Status s = result.good() ? Csw.Status.COMMAND_PASSED : Csw.Status.COMMAND_FAILED;
        statusPhase(hostLength - relevant, phaseOr(s));
    }

    private Csw.Status phaseOr(Csw.Status s) {
        return currentCase != null && currentCase.phaseError() ? Csw.Status.PHASE_ERROR : s;
    }

    private void abandonTask() {
        if (task != null) {
            task.abort();
            task = null;
        }
    }

    /** Phase error without a data phase: the command is abandoned, the CSW says 02h. */
    private void abandon() {
        abandonTask();
        statusPhase(hostLength - relevant, Csw.Status.PHASE_ERROR);
    }

    // ---- Control ----

    /**
     * A class-specific request on the default control pipe. Bulk-Only Mass Storage Reset
     * (21h, FFh, wValue 0, wIndex the interface, wLength 0) and Get Max LUN (A1h, FEh, wValue 0,
     * wIndex the interface, wLength 1) are answered; anything else is STALLed.
     */
    public ControlReply classRequest(int bmRequestType, int bRequest, int wValue, int wIndex, int wLength) {
        if (wValue != 0 || wIndex != interfaceNumber) {
            return ControlReply.stall();
        }
        if (bmRequestType == REQUEST_TYPE_CLASS_INTERFACE_OUT && bRequest == BULK_ONLY_MASS_STORAGE_RESET && wLength == 0) {
            massStorageReset();
            return ControlReply.ok();
        }
        if (bmRequestType == REQUEST_TYPE_CLASS_INTERFACE_IN && bRequest == GET_MAX_LUN && wLength == 1) {
            return ControlReply.data(new byte[] {(byte) maxLun()});
        }
        return ControlReply.stall();
    }

    /**
     * Bulk-Only Mass Storage Reset (§3.1): the command in progress is abandoned and the device is
     * ready for a CBW. The endpoints' halts (and data toggles) are kept: the host clears them next.
     */
    public void massStorageReset() {
        abandonTask();
        held = null;
        busyUntil = 0;
        csw = null;
        badSignature = false;
        withholdCsw = false;
        state = State.COMMAND;
    }

    /**
     * CLEAR_FEATURE(ENDPOINT_HALT) on {@code ep}. While a Reset Recovery is due after an invalid CBW
     * the endpoint STALLs again at the next transaction.
     */
    public void clearHalt(Endpoint ep) {
        if (ep == Endpoint.BULK_IN) {
            inHalted = false;
        } else {
            outHalted = false;
        }
    }

    /** SET_FEATURE(ENDPOINT_HALT) on {@code ep}. */
    public void setHalt(Endpoint ep) {
        if (ep == Endpoint.BULK_IN) {
            inHalted = true;
        } else {
            outHalted = true;
        }
    }

    /** A USB bus reset: the command is abandoned, the halts are cleared, a CBW is awaited. */
    public void busReset() {
        massStorageReset();
        inHalted = false;
        outHalted = false;
    }
}
