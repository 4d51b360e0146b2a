package brassboard.devices.spi;

import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;

/**
 * A serial EEPROM on SPI with Atmel's AT25 command set, as Linux's {@code at25} driver drives it
 * (Microchip AT25256B datasheet: 32 KiB, 64-byte pages, 16-bit addresses).
 *
 * <p>Commands (datasheet "Instruction Set"): WREN (06h), WRDI (04h), RDSR (05h), WRSR (01h), READ
 * (03h: two address bytes, then data from that address on, wrapping at the end of the array), WRITE
 * (02h: two address bytes and 1 to 64 data bytes, wrapping within the 64-byte page). WRITE and
 * WRSR need WEN (set by WREN) and run when chip select rises after a whole byte; then the part is
 * busy for the write cycle time tWC (5 ms, the datasheet's maximum, which is the only figure it
 * gives): RDSR shows /RDY (bit 0) set and every other command is ignored; at the end WEN clears.
 * Unlike a flash, a write replaces the bytes (no erase needed).
 *
 * <p>Block protection (RDSR bits 3:2, BP1:BP0) is enforced: 01 protects the upper quarter, 10 the
 * upper half, 11 the whole array; a WRITE into a protected part changes nothing (the datasheet's
 * behaviour) and is traced. WPEN (bit 7) is stored; the /WP pin is not wired, so it protects nothing.
 */
public final class SpiEeprom extends SpiMemory {
    /** A part: name, capacity, page size, address bytes, write cycle time. */
    public record Part(String name, int size, int pageSize, int addressBytes, long writeCycleNs) { }

    /** Atmel/Microchip AT25256B: 32 KiB, 64-byte pages, 2 address bytes, tWC 5 ms. */
    public static final Part AT25256 = new Part("AT25256", 32 << 10, 64, 2, 5_000_000L);

    public static final int WREN = 0x06;
    public static final int WRDI = 0x04;
    public static final int RDSR = 0x05;
    public static final int WRSR = 0x01;
    public static final int READ = 0x03;
    public static final int WRITE = 0x02;

    /** RDSR bit 0: a write cycle is in progress (/RDY). */
    public static final int SR_NOT_READY = SR_BUSY;
    public static final int SR_WEN = SR_WRITE_ENABLE;
    private static final int SR_BP_SHIFT = 2;
    private static final int SR_BP = 3 << SR_BP_SHIFT;
    private static final int SR_WPEN = 1 << 7;
    private static final int SR_WRITABLE = SR_BP | SR_WPEN;
    private static final int QUARTERS = 4;

    private final Part part;
    private final int[] pageBuffer;
    private int newStatus;
    private long writes;

    /** A {@code part} named {@code name} ({@code eeprom0}) holding {@code array} (the part's size). */
    public SpiEeprom(String name, Part part, BackingImage array, Scheduler scheduler, Tracer tracer) {
        super(name, part.size(), part.name(), array, scheduler, tracer);
        this.part = part;
        this.pageBuffer = new int[part.pageSize()];
    }

    /** The part. */
    public Part part() {
        return part;
    }

    /** Write cycles (WRITE, WRSR) started since power-on. */
    public long writes() {
        return writes;
    }

    @Override
    protected boolean readsStatus(int op) {
        return op == RDSR;
    }

    @Override
    protected void commandStarted(int op) {
        if (op == WRITE) {
            java.util.Arrays.fill(pageBuffer, NONE);
        }
    }

    @Override
    protected int commandByte(int op, int position, int in) {
        switch (op) {
            case RDSR -> {
                return status();
            }
            case WRSR -> {
                if (position == 0) {
                    newStatus = in;
                }
                return FLOATING;
            }
            case READ -> {
                return position < part.addressBytes() ? addressByte(position, in) : readNext();
            }
            case WRITE -> {
                if (position < part.addressBytes()) {
                    return addressByte(position, in);
                }
                pageBuffer[(address + position - part.addressBytes()) % part.pageSize()] = in;
                return FLOATING;
            }
            default -> {
                return FLOATING;
            }
        }
    }

    @Override
    protected void commandEnded(int op, int bytes) {
        switch (op) {
            case WREN -> status |= SR_WEN;
            case WRDI -> status &= ~SR_WEN;
            case WRSR -> {
                if (bytes == 1 && writeEnabled(op)) {
                    int next = (status & ~SR_WRITABLE) | (newStatus & SR_WRITABLE);
                    writes++;
                    startBusy(part.writeCycleNs(), "write status", () -> status = next);
                }
            }
            case WRITE -> {
                if (bytes > part.addressBytes() && writeEnabled(op)) {
                    write(address & (part.size() - 1));
                }
            }
            case RDSR, READ -> {
            }
            default -> tracer.warnOnce(name + ".op." + op, name, String.format("instruction %02Xh is not an AT25 instruction; ignored", op));
        }
    }

    /** First protected address under BP1:BP0 (the array size when nothing is protected). */
    private int protectedFrom() {
        int bp = (status & SR_BP) >>> SR_BP_SHIFT;
        return switch (bp) {
            case 1 -> part.size() / QUARTERS * 3;
            case 2 -> part.size() / 2;
            case 3 -> 0;
            default -> part.size();
        };
    }

    private void write(int start) {
        int page = start - start % part.pageSize();
        int[] data = pageBuffer.clone();
        boolean blocked = page >= protectedFrom();
        writes++;
        startBusy(part.writeCycleNs(), String.format("write page 0x%04x", page), () -> {
            if (blocked) {
                if (tracer.enabled()) {
                    tracer.emit(name, "eeprom.protected", String.format("write to 0x%04x refused: block protection BP = %d",
                            start, (status & SR_BP) >>> SR_BP_SHIFT));
                }
                return;
            }
            for (int i = 0; i < data.length; i++) {
                if (data[i] != NONE) {
                    array.set(page + i, data[i]);
                }
            }
            array.persist(page, part.pageSize());
        });
    }
}
