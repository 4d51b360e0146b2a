package brassboard.devices.spi;

import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.spi.SpiSlave;

/**
 * What SPI memories (NOR flash, EEPROM) share: a byte stream framed by chip select, an opcode then
 * address and data bytes; a status register whose bit 0 says a write cycle is running and bit 1
 * that writes are enabled (both the W25Q's BUSY/WEL and the AT25's /RDY/WEN); a command that runs
 * when chip select rises; and busy periods in virtual time during which every command but the
 * status read is ignored (MISO floats high).
 *
 * <p>A frame of 8, 16, 24 or 32 bits is that many bytes, most significant first, as they cross the
 * wire; other frame sizes do not make whole bytes, so the part ignores them and warns once.
 */
abstract class SpiMemory implements SpiSlave {
    /** Status bit 0: a program, erase or write cycle is running. */
    static final int SR_BUSY = 1 << 0;
    /** Status bit 1: writes are enabled (WEL, WEN). */
    static final int SR_WRITE_ENABLE = 1 << 1;
    static final int NONE = -1;
    static final int FLOATING = 0xFF;
    private static final int BYTE = 8;

    protected final String name;
    protected final Tracer tracer;
    protected final Scheduler scheduler;
    protected final BackingImage array;
    /** The stored status bits; {@link #status()} adds BUSY. */
    protected int status;
    protected boolean busy;
    private Scheduler.Event busyEvent;
    private boolean selected;
    private int opcode = NONE;
    /** Bytes received after the opcode. */
    private int count;
    /** The address being received, then the next byte to read. */
    protected int address;

    SpiMemory(String name, int size, String part, BackingImage array, Scheduler scheduler, Tracer tracer) {
        if (array.size() != size) {
            throw new IllegalArgumentException(name + ": the " + part + " holds " + size + " bytes, not " + array.size());
        }
        this.name = name;
        this.tracer = tracer;
        this.scheduler = scheduler;
        this.array = array;
    }

    @Override
    public final String name() {
        return name;
    }

    /** The memory array. */
    public final BackingImage array() {
        return array;
    }

    /** The status register as its read command returns it. */
    public int status() {
        return status | (busy ? SR_BUSY : 0);
    }

    /** Power-on: no command in progress, writes disabled, a running cycle abandoned. */
    public void reset() {
        scheduler.cancel(busyEvent);
        busyEvent = null;
        busy = false;
        status &= ~SR_WRITE_ENABLE;
        opcode = NONE;
    }

    @Override
    public final void select() {
        selected = true;
        opcode = NONE;
        count = 0;
    }

    @Override
    public final int exchange(int mosi, int bits) {
        if (bits % BYTE != 0) {
            tracer.warnOnce(name + ".frame", name, bits + "-bit SPI frames are not whole bytes; the part ignores them");
            return -1;
        }
        int reply = 0;
        for (int shift = bits - BYTE; shift >= 0; shift -= BYTE) {
            reply = (reply << BYTE) | (exchangeByte((mosi >>> shift) & FLOATING) & FLOATING);
        }
        return reply;
    }

    private int exchangeByte(int in) {
        if (!selected) {
            return FLOATING;
        }
        if (opcode == NONE) {
            opcode = in;
            count = 0;
            if (!busy) {
                commandStarted(in);
            }
            return FLOATING;
        }
        int position = count++;
        if (busy && !readsStatus(opcode)) {
            return FLOATING;
        }
        return commandByte(opcode, position, in);
    }

    @Override
    public final void deselect() {
        selected = false;
        int op = opcode;
        opcode = NONE;
        if (op != NONE && !busy) {
            commandEnded(op, count);
        }
    }

    /** Whether {@code op} is a status read (the only command a busy part answers). */
    protected abstract boolean readsStatus(int op);

    /** The opcode {@code op} arrived (the part is not busy). */
    protected void commandStarted(int op) {
    }

    /** Byte {@code position} after the opcode arrived as {@code in}; returns what MISO carried meanwhile. */
    protected abstract int commandByte(int op, int position, int in);

    /** Chip select rose after {@code bytes} bytes following the opcode (the part is not busy). */
    protected abstract void commandEnded(int op, int bytes);

    /** An address byte, most significant first; MISO floats meanwhile. */
    protected final int addressByte(int position, int in) {
        address = ((position == 0 ? 0 : address) << BYTE) | in;
        return FLOATING;
    }

    /** The byte at the current address, which then moves on, wrapping at the end of the array. */
    protected final int readNext() {
        int value = array.get(address & (array.size() - 1));
        address = (address + 1) & (array.size() - 1);
        return value;
    }

    /** Whether writes are enabled; traces the command ignored when they are not. */
    protected final boolean writeEnabled(int op) {
        if ((status & SR_WRITE_ENABLE) == 0) {
            if (tracer.enabled()) {
                tracer.emit(name, "spi.ignored", String.format("%02Xh without write enable", op));
            }
            return false;
        }
        return true;
    }

    /** Busy for {@code timeNs}; then {@code atEnd} (the cycle's effect, may be null) and write enable clears. */
    protected final void startBusy(long timeNs, String what, Runnable atEnd) {
        busy = true;
        if (tracer.enabled()) {
            tracer.emit(name, "spi.busy", what + " for " + timeNs + " ns");
        }
        busyEvent = scheduler.schedule(timeNs, name + ".busy", () -> {
            busyEvent = null;
            if (atEnd != null) {
                atEnd.run();
            }
            busy = false;
            status &= ~SR_WRITE_ENABLE;
        });
    }
}
