package brassboard.devices.flash;

import brassboard.bus.api.CodeSource;
import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Region;
import brassboard.bus.api.Tracer;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A bank of parallel NOR flash with the CFI query interface and the Intel/Sharp command set
 * ("Intel Basic Command Set", CFI primary vendor 0x0001), behaving as QEMU's {@code pflash_cfi01}
 * ({@code hw/block/pflash_cfi01.c}) does for the same properties.
 *
 * <p><b>Geometry.</b> A bank is {@link Geometry#bankWidth} bytes wide, made of
 * {@code bankWidth / deviceWidth} devices side by side; ID and CFI answers are those of one device
 * replicated into every device's lane, and command addresses are in units of the bank width (QEMU:
 * {@code boff = offset >> (ctz(bank_width) + ctz(max_device_width) - ctz(device_width))}, with
 * max-device-width = device-width here). QEMU's {@code virt} uses {@link Geometry#virt()}.
 *
 * <p><b>Commands</b> (the low byte of any write in read-array mode):
 * {@code 0xFF}/{@code 0xF0}/{@code 0x00} read array; {@code 0x70} read status; {@code 0x50} clear
 * status (QEMU clears it to 0, ready bit included, and returns to read array); {@code 0x90} read
 * identifier (offset 0: manufacturer, 1: device, other offsets, e.g. the block lock status at 2,
 * read 0: unlocked); {@code 0x98} CFI query (any write but {@code 0xFF} is ignored in query mode);
 * {@code 0x20, 0xD0} block erase; {@code 0x40}/{@code 0x10}, data: word program;
 * {@code 0xE8}, count-1, data..., {@code 0xD0}: buffered program of up to {@link #writeBufferSize()}
 * bytes within one aligned buffer (a write outside it sets the program error bit and the confirm
 * then aborts); {@code 0x60, 0x01}/{@code 0x60, 0xD0}: block lock/unlock, accepted and ignored
 * (blocks are never locked). After program, erase and lock commands reads return the status
 * register (SR.7 ready, replicated per device) until {@code 0xFF}. Any other sequence is logged as
 * unimplemented (warned once) and returns to read array, as QEMU does.
 *
 * <p><b>Timing.</b> Erase and program complete in zero virtual time: the status register is ready
 * the moment the command is confirmed (as in QEMU, which also ignores timing), so firmware polling
 * SR.7 exits on its first read.
 *
 * <p>Two deliberate differences from QEMU: a block erase happens on its {@code 0xD0} confirm, as
 * on the real parts (QEMU erases on the {@code 0x20} setup write already); a buffered program of a
 * single word (count 0) goes through the buffer like any other (QEMU writes it to the array directly
 * and does not persist it). As in QEMU, programming stores the value (real NOR can only clear bits).
 *
 * <p><b>Backing.</b> The contents live in a {@code byte[]}; reads in read-array mode are a
 * little-endian load from it. With {@link #persistTo(Path)}, every completed erase and program is
 * written through to the file at once (so a saved U-Boot environment survives a crash or a killed
 * run, and nothing has to run at the end).
 */
public final class CfiFlash extends Region implements CodeSource {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    // ---- Commands (Intel basic command set; QEMU pflash_cfi01.c pflash_write) ----
    public static final int CMD_READ_ARRAY = 0xFF;
    /** QEMU's internal read-array state, also accepted as a command (not assigned by CFI). */
    public static final int CMD_READ_ARRAY_QEMU = 0x00;
    /** AMD's reset command, which probing firmware sends first: read array. */
    public static final int CMD_AMD_RESET = 0xF0;
    public static final int CMD_PROGRAM = 0x40;
    public static final int CMD_PROGRAM_ALT = 0x10;
    public static final int CMD_BLOCK_ERASE = 0x20;
    public static final int CMD_CLEAR_STATUS = 0x50;
    public static final int CMD_LOCK_SETUP = 0x60;
    public static final int CMD_READ_STATUS = 0x70;
    public static final int CMD_READ_ID = 0x90;
    public static final int CMD_CFI_QUERY = 0x98;
    public static final int CMD_WRITE_BUFFER = 0xE8;
    public static final int CMD_CONFIRM = 0xD0;
    /** Second cycle of {@code 0x60}: set block lock bit. */
    public static final int CMD_LOCK_BLOCK = 0x01;

    // ---- Status register bits ----
    /** SR.7: write state machine ready. */
    public static final int SR_READY = 0x80;
    /** SR.5: erase error. */
    public static final int SR_ERASE_ERROR = 0x20;
    /** SR.4: program error. */
    public static final int SR_PROGRAM_ERROR = 0x10;

    /** log2 of the write buffer per device, CFI offset 0x2A, for banks wider than a byte (QEMU: 0x0B). */
    private static final int WRITE_BUFFER_LOG2 = 0x0B;
    private static final int WRITE_BUFFER_LOG2_BYTE_WIDE = 0x08;
    /** QEMU's cfi_table is 0x52 bytes; query offsets beyond read 0. */
    static final int CFI_TABLE_SIZE = 0x52;

    /**
     * What the bank is made of.
     *
     * @param size         bytes in the bank
     * @param sectorLength bytes per erase block of the whole bank
     * @param bankWidth    bus width in bytes (1, 2 or 4)
     * @param deviceWidth  width of one device in bytes (divides bankWidth)
     * @param id0          manufacturer code ({@code 0x90}, offset 0)
     * @param id1          device code ({@code 0x90}, offset 1)
     */
    public record Geometry(long size, int sectorLength, int bankWidth, int deviceWidth, int id0, int id1) {
        public Geometry {
            if (bankWidth != 1 && bankWidth != 2 && bankWidth != 4) {
                throw new IllegalArgumentException("bank width " + bankWidth + " bytes; expected 1, 2 or 4");
            }
            if (deviceWidth < 1 || deviceWidth > bankWidth || bankWidth % deviceWidth != 0) {
                throw new IllegalArgumentException("device width " + deviceWidth + " does not divide the bank width " + bankWidth);
            }
            if (Integer.bitCount(sectorLength) != 1 || size % sectorLength != 0 || size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("flash of " + size + " bytes in sectors of " + sectorLength
                        + "; expected a power-of-two sector length dividing the size (at most 2 GiB)");
            }
        }

        /**
         * One bank of QEMU's {@code virt} flash ({@code hw/arm/virt.c} virt_flash_create1): 64 MiB,
         * 256 KiB sectors, width 4, device-width 2, little-endian, id0 0x89 (Intel), id1 0x18,
         * id2 = id3 = 0.
         */
        public static Geometry virt() {
            return new Geometry(64L << 20, 256 << 10, 4, 2, 0x89, 0x18);
        }

        int devices() {
            return bankWidth / deviceWidth;
        }
    }

    private final Geometry geometry;
    private final Tracer tracer;
    /** The array's contents, allocated 64 KiB at a time as they are used (a 64 MiB bank mostly never is). */
    private Ram array;
    private final byte[] cfiTable = new byte[CFI_TABLE_SIZE];
    private final int writeBufferSize;
    private final int addressShift;
    private final byte[] writeBuffer;
    private Path file;
    private final CodeSource.Watch codeWatch;

    // Command state machine, named as in QEMU: cmd is the command being served (0x00: read array),
    // wcycle the write cycle within it.
    private int cmd;
    private int wcycle;
    private int status = SR_READY;
    private long counter;
    private long eraseOffset;
    /** Base of the block the write buffer covers, or -1 while no buffered program is under way. */
    private long bufferBase = -1;

    /** A bank of {@code geometry}, erased-to-zero (as QEMU's flash without a drive) until loaded. */
    public CfiFlash(String name, Geometry geometry, Tracer tracer) {
        super(name, geometry.size());
        this.geometry = geometry;
        this.tracer = tracer;
        this.array = new Ram(name + " array", geometry.size());
        this.codeWatch = new CodeSource.Watch(this, geometry.size());
        this.addressShift = Integer.numberOfTrailingZeros(geometry.bankWidth());
        int perDevice = 1 << (geometry.bankWidth() == 1 ? WRITE_BUFFER_LOG2_BYTE_WIDE : WRITE_BUFFER_LOG2);
        this.writeBufferSize = perDevice * geometry.devices();
        this.writeBuffer = new byte[writeBufferSize];
        fillCfiTable();
    }

    /** The bank's geometry. */
    public Geometry geometry() {
        return geometry;
    }

    /** Bytes a buffered program ({@code 0xE8}) may cover: one aligned block of this size. */
    public int writeBufferSize() {
        return writeBufferSize;
    }

    /** The array byte at {@code offset}, whatever mode the bank is in. */
    public int arrayByte(long offset) {
        return (int) array.read(offset, 1);
    }

    /** The file erases and programs are written through to, if any. */
    public java.util.Optional<Path> file() {
        return java.util.Optional.ofNullable(file);
    }

    /**
     * Backs the bank with {@code path}: its contents are read now, and every later erase and program
     * is written through to it. A missing file is created at the bank's size, erased (all
     * {@code 0xFF}, as a new chip).
     *
     * @throws IOException naming the file, its size and the size expected when it is not the bank's size
     */
    public void persistTo(Path path) throws IOException {
        try {
            load(path);
        } catch (IOException e) {
            if (e instanceof SizeMismatch) {
                throw e;
            }
            throw new IOException(path + ": cannot read or create the flash file (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
        this.file = path;
    }

    /** The one-line complaint about a backing file of the wrong size. */
    private static final class SizeMismatch extends IOException {
        SizeMismatch(String message) {
            super(message);
        }
    }

    private void load(Path path) throws IOException {
        codeWatch.changingAll();
        // Every byte comes from the file: erased (0xFF) stretches of it need no memory.
        array = new Ram(name() + " array", size(), (byte) 0xFF);
        byte[] piece = new byte[1 << 20];
        if (Files.exists(path)) {
            long size = Files.size(path);
            if (size != size()) {
                throw new SizeMismatch(path + ": flash file is " + size + " bytes; expected exactly " + size()
                        + " (" + (size() >> 20) + " MiB, the size of " + name() + ")");
            }
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                for (long at = 0; at < size; at += piece.length) {
                    ByteBuffer buf = ByteBuffer.wrap(piece, 0, (int) Math.min(piece.length, size - at));
                    while (buf.hasRemaining() && ch.read(buf, at + buf.position()) >= 0) {
                        // read the piece
                    }
                    array.load(at, piece, 0, buf.position());
                }
            }
        } else {
            Arrays.fill(piece, (byte) 0xFF);
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (long at = 0; at < size(); at += piece.length) {
                    int n = (int) Math.min(piece.length, size() - at);
                    array.load(at, piece, 0, n);
                    ByteBuffer buf = ByteBuffer.wrap(piece, 0, n);
                    while (buf.hasRemaining()) {
                        ch.write(buf, at + buf.position());
                    }
                }
            }
        }
    }

    /** Power-on reset: read-array mode, status ready, no buffered program. Contents are kept. */
    public void reset() {
        cmd = CMD_READ_ARRAY_QEMU;
        wcycle = 0;
        status = SR_READY;
        bufferBase = -1;
    }

    /** Whether the bank answers reads from its array (not status, ID or CFI). */
    public boolean inReadArrayMode() {
        return cmd == CMD_READ_ARRAY_QEMU;
    }

    /** The status register (one device's). */
    public int status() {
        return status;
    }

    @Override
    public long read(long offset, int size) {
        if (cmd == CMD_READ_ARRAY_QEMU) {
            return array.read(offset, size);
        }
        if (size == 8) {
            return commandRead(offset, 4) | (commandRead(offset + 4, 4) << 32);
        }
        return commandRead(offset, size);
    }

    /** A read outside read-array mode, truncated to {@code size} bytes as QEMU's memory core does. */
    private long commandRead(long offset, int size) {
        long mask = size >= 4 ? 0xFFFF_FFFFL : (1L << (8 * size)) - 1;
        switch (cmd) {
            case CMD_PROGRAM_ALT, CMD_BLOCK_ERASE, CMD_PROGRAM, CMD_CLEAR_STATUS, CMD_LOCK_SETUP, CMD_READ_STATUS, CMD_WRITE_BUFFER:
                // QEMU: the status of each device in the bank, for accesses wider than one device.
                long s = status;
                for (int shift = geometry.deviceWidth() * 8; shift + geometry.deviceWidth() * 8 <= size * 8; shift += geometry.deviceWidth() * 8) {
                    s |= (long) status << shift;
                }
                return s & mask;
            case CMD_READ_ID:
                return identifier(offset) & mask;
            case CMD_CFI_QUERY:
                return query(offset) & mask;
            default:
                return MemoryBus.BUS_ERROR; // not reached: cmd only ever holds the commands above
        }
    }

    /** {@code 0x90} answer at {@code offset}: one device's code replicated per device; 0 beyond offset 1. */
    private long identifier(long offset) {
        long boff = offset >> addressShift;
        int code;
        switch ((int) (boff & 0xFF)) {
            case 0 -> code = geometry.id0();
            case 1 -> code = geometry.id1();
            default -> {
                return 0; // block lock status and the rest: 0 (unlocked), not replicated (QEMU)
            }
        }
        return replicate(code);
    }

    /** {@code 0x98} answer at {@code offset}: the CFI table byte, replicated per device. */
    private long query(long offset) {
        long boff = offset >> addressShift;
        if (boff >= CFI_TABLE_SIZE) {
            return 0;
        }
        return replicate(cfiTable[(int) boff] & 0xFF);
    }

    private long replicate(long perDevice) {
        long v = perDevice;
        int lane = geometry.deviceWidth() * 8;
        for (int i = 1; i < geometry.devices(); i++) {
            v |= perDevice << (lane * i);
        }
        return v & 0xFFFF_FFFFL;
    }

    /** The CFI query table of one device, byte {@code i} at query offset {@code i}. */
    public int cfiByte(int i) {
        return i < CFI_TABLE_SIZE ? cfiTable[i] & 0xFF : 0;
    }

    /**
     * Reads are the array's bytes in read-array mode only; instruction caches decode from it then
     * (firmware runs from bank 0 before it relocates itself), and every write to the bank, which may
     * program, erase or leave read-array mode, drops what they decoded.
     */
    @Override
    public byte[] codeArray(long offset) {
        return cmd == CMD_READ_ARRAY_QEMU ? array.chunk(offset) : null;
    }

    @Override
    public int codeIndex(long offset) {
        return array.codeIndex(offset);
    }

    @Override
    public void watch(long offset) {
        codeWatch.watch(offset);
    }

    @Override
    public void addCodeWriteListener(CodeWriteListener listener) {
        codeWatch.add(listener);
    }

    @Override
    public boolean write(long offset, int size, long value) {
        codeWatch.changingAll();
        if (size == 8) {
            return write(offset, 4, value & 0xFFFF_FFFFL) && write(offset + 4, 4, value >>> 32);
        }
        int c = (int) (value & 0xFF);
        switch (wcycle) {
            case 0 -> firstCycle(offset, c);
            case 1 -> secondCycle(offset, size, value, c);
            case 2 -> bufferData(offset, size, value);
            case 3 -> bufferConfirm(offset, c);
            default -> readArray();
        }
        return true;
    }

    private void firstCycle(long offset, int c) {
        switch (c) {
            case CMD_READ_ARRAY_QEMU, CMD_AMD_RESET, CMD_READ_ARRAY -> readArray();
            case CMD_PROGRAM, CMD_PROGRAM_ALT, CMD_LOCK_SETUP, CMD_CFI_QUERY -> enter(c);
            case CMD_BLOCK_ERASE -> {
                eraseOffset = offset & ~((long) geometry.sectorLength() - 1);
                status |= SR_READY;
                enter(c);
            }
            case CMD_CLEAR_STATUS -> {
                status = 0; // QEMU clears SR.7 too
                readArray();
            }
            case CMD_READ_STATUS, CMD_READ_ID -> {
                cmd = c; // single-cycle: the next write is a new command
                wcycle = 0;
            }
            case CMD_WRITE_BUFFER -> {
                status |= SR_READY; // the buffer is available at once
                enter(c);
            }
            default -> unimplemented(offset, c);
        }
    }

    private void secondCycle(long offset, int size, long value, int c) {
        switch (cmd) {
            case CMD_PROGRAM, CMD_PROGRAM_ALT -> {
                array.write(offset, size, value);
                persist(offset, size);
                trace("flash.program", String.format("program %d bytes at 0x%x", size, offset));
                status |= SR_READY;
                wcycle = 0;
            }
            case CMD_BLOCK_ERASE -> {
                if (c == CMD_CONFIRM) {
                    byte[] erased = new byte[geometry.sectorLength()];
                    Arrays.fill(erased, (byte) 0xFF);
                    array.load(eraseOffset, erased);
                    persist(eraseOffset, geometry.sectorLength());
                    trace("flash.erase", String.format("erase block at 0x%x (%d bytes)", eraseOffset, geometry.sectorLength()));
                    status |= SR_READY;
                    wcycle = 0;
                } else if (c == CMD_READ_ARRAY) {
                    readArray();
                } else {
                    unimplemented(offset, c);
                }
            }
            case CMD_WRITE_BUFFER -> {
                // The word count minus one, in one device's lane (QEMU masks it to the device width).
                counter = value & ((1L << (8 * geometry.deviceWidth())) - 1);
                wcycle = 2;
            }
            case CMD_LOCK_SETUP -> {
                if (c == CMD_CONFIRM || c == CMD_LOCK_BLOCK) {
                    status |= SR_READY; // lock bits are not modelled: every block stays unlocked
                    wcycle = 0;
                } else {
                    readArray();
                }
            }
            case CMD_CFI_QUERY -> {
                if (c == CMD_READ_ARRAY) {
                    readArray();
                }
                // anything else is ignored: the bank stays in query mode (QEMU "leaving query mode" is a no-op)
            }
            default -> unimplemented(offset, c);
        }
    }

    private void bufferData(long offset, int size, long value) {
        if (bufferBase < 0) {
            bufferBase = offset & ~((long) writeBufferSize - 1);
            System.arraycopy(array.copy(bufferBase, writeBufferSize), 0, writeBuffer, 0, writeBufferSize);
        }
        if (offset < bufferBase || offset + size > bufferBase + writeBufferSize) {
            status |= SR_PROGRAM_ERROR;
        } else {
            store(writeBuffer, (int) (offset - bufferBase), size, value);
        }
        status |= SR_READY;
        if (counter == 0) {
            wcycle = 3;
        } else {
            counter--;
        }
    }

    private void bufferConfirm(long offset, int c) {
        if (c == CMD_CONFIRM && (status & SR_PROGRAM_ERROR) == 0) {
            array.load(bufferBase, writeBuffer);
            persist(bufferBase, writeBufferSize);
            trace("flash.program", String.format("buffered program of the block at 0x%x", bufferBase));
            bufferBase = -1;
            status |= SR_READY;
            wcycle = 0;
        } else {
            bufferBase = -1;
            if (c != CMD_CONFIRM) {
                unimplemented(offset, c);
            } else {
                readArray();
            }
        }
    }

    private void enter(int c) {
        cmd = c;
        wcycle = 1;
    }

    private void readArray() {
        cmd = CMD_READ_ARRAY_QEMU;
        wcycle = 0;
        bufferBase = -1;
    }

    private void unimplemented(long offset, int c) {
        tracer.warnOnce("cfi-unimplemented:" + name(), name(), String.format(
                "unimplemented flash command sequence (offset 0x%x, cycle %d, command 0x%02x, value 0x%02x); back to read-array mode"
                        + " (further ones are not reported)", offset, wcycle, cmd, c));
        readArray();
    }

    private static void store(byte[] to, int o, int size, long value) {
        switch (size) {
            case 4 -> INT.set(to, o, (int) value);
            case 2 -> SHORT.set(to, o, (short) value);
            default -> to[o] = (byte) value;
        }
    }

    private void persist(long offset, int length) {
        if (file == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(array.copy(offset, length));
            long pos = offset;
            while (buf.hasRemaining()) {
                pos += ch.write(buf, pos);
            }
        } catch (IOException e) {
            tracer.warnOnce("cfi-persist:" + name(), name(), "cannot write to the flash file " + file + ": " + e.getMessage()
                    + "; the run goes on with the change in memory only");
        }
    }

    private void trace(String kind, String detail) {
        if (tracer.enabled()) {
            tracer.emit(name(), kind, detail);
        }
    }

    @Override
    public void load(long offset, byte[] data) {
        codeWatch.changing(offset, Math.max(1, data.length));
        array.load(offset, data);
    }

    @Override
    public String kind() {
        return "FLASH";
    }

    /** QEMU's pflash_cfi01_fill_cfi_table for this geometry (non-"old-multiple-chip-handling"). */
    private void fillCfiTable() {
        int devices = geometry.devices();
        long blocksPerDevice = geometry.size() / geometry.sectorLength();
        long sectorPerDevice = geometry.sectorLength() / devices;
        long deviceLength = sectorPerDevice * blocksPerDevice;
        int[] t = new int[CFI_TABLE_SIZE];
        t[0x10] = 'Q';
        t[0x11] = 'R';
        t[0x12] = 'Y';
        t[0x13] = 0x01; // primary command set: Intel/Sharp extended
        t[0x14] = 0x00;
        t[0x15] = 0x31; // primary extended query table at 0x31
        t[0x16] = 0x00;
        // 0x17-0x1A: no alternate command set or table
        t[0x1B] = 0x45; // Vcc min 4.5 V
        t[0x1C] = 0x55; // Vcc max 5.5 V
        // 0x1D-0x1E: no Vpp pin
        t[0x1F] = 0x07; // typical single-word program time 2^7 us
        t[0x20] = 0x07; // typical buffer write time 2^7 us
        t[0x21] = 0x0A; // typical block erase time 2^10 ms
        t[0x22] = 0x00; // no chip erase
        t[0x23] = 0x04; // max word program time 2^4 x typical
        t[0x24] = 0x04; // max buffer write time
        t[0x25] = 0x04; // max block erase time
        t[0x26] = 0x00;
        t[0x27] = Long.numberOfTrailingZeros(deviceLength); // device size 2^n bytes
        t[0x28] = 0x02; // interface: x8/x16 async
        t[0x29] = 0x00;
        t[0x2A] = geometry.bankWidth() == 1 ? WRITE_BUFFER_LOG2_BYTE_WIDE : WRITE_BUFFER_LOG2; // write buffer 2^n bytes
        t[0x2B] = 0x00;
        t[0x2C] = 0x01; // one erase block region (uniform)
        t[0x2D] = (int) ((blocksPerDevice - 1) & 0xFF);
        t[0x2E] = (int) (((blocksPerDevice - 1) >> 8) & 0xFF);
        t[0x2F] = (int) ((sectorPerDevice >> 8) & 0xFF); // block size in units of 256 bytes
        t[0x30] = (int) ((sectorPerDevice >> 16) & 0xFF);
        t[0x31] = 'P'; // primary extended query table, version 1.0
        t[0x32] = 'R';
        t[0x33] = 'I';
        t[0x34] = '1';
        t[0x35] = '0';
        // 0x36-0x3C: no optional features
        t[0x3F] = 0x01; // number of protection register fields
        for (int i = 0; i < CFI_TABLE_SIZE; i++) {
            cfiTable[i] = (byte) t[i];
        }
    }
}
