package brassboard.devices.storage.scsi;

import static brassboard.devices.storage.scsi.Cdb.u16;
import static brassboard.devices.storage.scsi.Cdb.u8;

import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.ata.AtaResult;
import brassboard.devices.storage.ata.TaskFile;
import java.util.Arrays;

/**
 * ATA commands tunnelled through SCSI to the disk behind a bridge, in two dialects: SAT-2's ATA
 * PASS-THROUGH (12) and (16) (§12.2), and JMicron's vendor command DFh.
 *
 * <p><b>SAT-2.</b> PROTOCOL (byte 1 bits 4:1) 3 non-data, 4 PIO data-in, 6 DMA / 10 / 12 UDMA data-in
 * (with T_DIR set) are run; the data-out protocols (5, 13, DMA with T_DIR clear) and the reset and
 * return-response protocols (0, 1, 15) are refused with INVALID FIELD IN CDB, as is a command whose
 * data length (T_LENGTH, BYTE_BLOCK) disagrees with what the ATA command moves. A command that
 * completes without error returns GOOD, or with CK_COND (byte 2 bit 5) CHECK CONDITION, RECOVERED
 * ERROR, ATA PASS THROUGH INFORMATION AVAILABLE (00h/1Dh); one that fails returns CHECK CONDITION with
 * the sense its error translates to ({@link AtaTranslation#sense}). Either sense carries the ATA
 * Status Return descriptor, in descriptor format (SAT-2 §12.2.2.6), which is how smartctl reads
 * SMART RETURN STATUS and CHECK POWER MODE.
 *
 * <p><b>JMicron DFh</b> (12-byte CDB; the layout smartmontools' {@code usbjmicron} device type uses
 * for 152d:2338 per its drivedb): byte 1 bit 4 set for data-in or no data, bytes 3-4 the transfer
 * length, bytes 5-11 FEATURE, COUNT, LBA low, mid, high, DEVICE, COMMAND. DEVICE bit 4 selects the
 * bridge's second ATA port, where there is no disk. COMMAND FDh is not an ATA command but a read of
 * the bridge's registers: bytes 6-7 the address. Register 720Fh reports which ports have a device
 * (bit 2: port 0, bit 6: port 1), 8000h-800Fh port 0's output registers after the last command
 * (COUNT at +0, LBA mid +4, LBA low +6, DEVICE +9, LBA high +10, ERROR +13, STATUS +14, the offsets
 * smartmontools documents); other addresses read as zero (assumed). SMART RETURN STATUS with one
 * byte of data-in answers LBA high: C2h when no threshold is exceeded, 2Ch when one is.
 */
final class AtaPassThrough {
    // SAT-2 PROTOCOL field values (Table 101).
    static final int PROTOCOL_NON_DATA = 3;
    static final int PROTOCOL_PIO_DATA_IN = 4;
    static final int PROTOCOL_DMA = 6;
    static final int PROTOCOL_UDMA_DATA_IN = 10;
    static final int PROTOCOL_UDMA_DATA_IN_ALT = 12;

    /** JMicron's vendor operation code. */
    static final int JMICRON_OPCODE = 0xDF;
    /** JMicron COMMAND value that reads bridge registers instead of running an ATA command. */
    static final int JMICRON_READ_REGISTERS = 0xFD;
    /** JMicron register: which ATA ports have a device attached. */
    static final int JMICRON_PORT_STATUS = 0x720F;
    /** JMicron register block: port 0's ATA output registers. */
    static final int JMICRON_PORT0_OUTPUTS = 0x8000;
    /** DEVICE bit 4: the second device on the ATA cable (the bridge's port 1). */
    static final int DEVICE_DEV = 0x10;
    /** Most data a pass-through moves here (256 sectors). */
    static final int MAX_BYTES = 256 * AtaDisk.SECTOR;

    private final AtaTranslation sat;
    /** The outputs of the last ATA command run, for the JMicron register window. */
    private AtaResult last = AtaResult.good(0, 0, 0, 0);
    private int lastDevice;

    AtaPassThrough(AtaTranslation sat) {
        this.sat = sat;
    }

    /** Outcome of a pass-through: data-in bytes (or null) and the result. */
    record Outcome(byte[] data, ScsiResult result) {
    }

    /** ATA PASS-THROUGH (12) ({@code sixteen} false) or (16). */
    Outcome sat(byte[] c, boolean sixteen) {
        int protocol = (u8(c, 1) >> 1) & 0xF;
        boolean extend = sixteen && (u8(c, 1) & 1) != 0;
        boolean ckCond = (u8(c, 2) & 0x20) != 0;
        boolean toHost = (u8(c, 2) & 0x08) != 0;
        int tLength = u8(c, 2) & 3;
        TaskFile tf;
        if (sixteen) {
            int features = extend ? u16(c, 3) : u8(c, 4);
            int count = extend ? u16(c, 5) : u8(c, 6);
            long lba = extend
                    ? (long) u8(c, 11) << 40 | (long) u8(c, 9) << 32 | (long) u8(c, 7) << 24 | u8(c, 12) << 16 | u8(c, 10) << 8 | u8(c, 8)
                    : u8(c, 12) << 16 | u8(c, 10) << 8 | u8(c, 8);
            tf = new TaskFile(features, count, lba, u8(c, 13), u8(c, 14));
        } else {
            tf = new TaskFile(u8(c, 3), u8(c, 4), u8(c, 7) << 16 | u8(c, 6) << 8 | u8(c, 5), u8(c, 8), u8(c, 9));
        }
        Boolean in = switch (protocol) {
            case PROTOCOL_NON_DATA -> Boolean.FALSE;
            case PROTOCOL_PIO_DATA_IN, PROTOCOL_UDMA_DATA_IN, PROTOCOL_UDMA_DATA_IN_ALT -> Boolean.TRUE;
            case PROTOCOL_DMA -> toHost ? Boolean.TRUE : null;
            default -> null; // data-out, resets, return response information: not modelled
        };
        if (in == null) {
            return new Outcome(null, ScsiResult.check(Sense.INVALID_FIELD_IN_CDB));
        }
        boolean dataIn = in;
        int bytes = AtaDisk.dataBytes(tf);
        if (dataIn != (bytes > 0) || (dataIn && tLength == 0) || (!dataIn && tLength != 0) || bytes > MAX_BYTES) {
            return new Outcome(null, ScsiResult.check(Sense.INVALID_FIELD_IN_CDB));
        }
        byte[] buffer = new byte[bytes];
        AtaResult r = run(tf, buffer);
        AtaStatusReturn regs = new AtaStatusReturn(extend, r.error(), r.ok() ? r.count() : tf.count(), r.lba(), tf.device(),
                r.status());
        if (!r.ok()) {
            return new Outcome(null, ScsiResult.check(AtaTranslation.sense(r, false).withAta(regs)));
        }
        byte[] data = dataIn ? buffer : null;
        return new Outcome(data, ckCond ? ScsiResult.check(Sense.ATA_PASS_THROUGH_INFORMATION_AVAILABLE.withAta(regs))
                : ScsiResult.GOOD);
    }

    /** JMicron's DFh. */
    Outcome jmicron(byte[] c) {
        int length = u16(c, 3);
        boolean in = (u8(c, 1) & 0x10) != 0;
        int command = u8(c, 11);
        if (command == JMICRON_READ_REGISTERS) {
            if (!in) {
                return new Outcome(null, ScsiResult.check(Sense.INVALID_FIELD_IN_CDB));
            }
            int address = u16(c, 6);
            byte[] d = new byte[length];
            for (int i = 0; i < length; i++) {
                d[i] = (byte) register(address + i);
            }
            return new Outcome(d, ScsiResult.GOOD);
        }
        int device = u8(c, 10);
        if ((device & DEVICE_DEV) != 0) {
            return new Outcome(null, ScsiResult.check(Sense.ABORTED_COMMAND)); // no disk on port 1
        }
        TaskFile tf = new TaskFile(u8(c, 5), u8(c, 6), u8(c, 9) << 16 | u8(c, 8) << 8 | u8(c, 7), device, command);
        int bytes = AtaDisk.dataBytes(tf);
        boolean smartStatus = tf.command() == 0xB0 && tf.features() == 0xDA && in && length == 1;
        if (!smartStatus && (!in && length > 0 || (bytes > 0) != (length > 0) || bytes > MAX_BYTES)) {
            return new Outcome(null, ScsiResult.check(Sense.INVALID_FIELD_IN_CDB)); // data-out is not modelled
        }
        byte[] buffer = new byte[bytes];
        AtaResult r = run(tf, buffer);
        if (!r.ok()) {
            return new Outcome(null, ScsiResult.check(AtaTranslation.sense(r, false)));
        }
        if (smartStatus) {
            return new Outcome(new byte[] {(byte) (r.lba() >>> 16)}, ScsiResult.GOOD);
        }
        return new Outcome(bytes == 0 ? null : Arrays.copyOf(buffer, Math.min(bytes, length)), ScsiResult.GOOD);
    }

    private AtaResult run(TaskFile tf, byte[] buffer) {
        AtaResult r = sat.run(tf, buffer, 0);
        last = r;
        lastDevice = tf.device();
        return r;
    }

    /** One byte of the JMicron register window. */
    private int register(int address) {
        if (address == JMICRON_PORT_STATUS) {
            return 0x04; // a device on port 0, none on port 1
        }
        return switch (address - JMICRON_PORT0_OUTPUTS) {
            case 0 -> last.count() & 0xFF;
            case 4 -> (int) (last.lba() >>> 8) & 0xFF;
            case 6 -> (int) last.lba() & 0xFF;
            case 9 -> lastDevice & 0xFF;
            case 10 -> (int) (last.lba() >>> 16) & 0xFF;
            case 13 -> last.error();
            case 14 -> last.status();
            default -> 0;
        };
    }
}
