package brassboard.bus.api.regs;

import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A device's registers, declared by spec name and offset, answering bus accesses.
 *
 * <pre>{@code
 * RegisterBank regs = new RegisterBank("uart0", tracer);
 * regs.define("UARTCR", 0x030)
 *     .field("UARTEN", 0, 1, Access.RW)
 *     .field("TXE", 8, 1, Access.RW, 1)
 *     .unimplemented("SIREN", 1, 1)
 *     .onWrite((old, now, written) -> updateInterrupts());
 * }</pre>
 *
 * <p>Registers are 32 bits wide and word-aligned. Byte and halfword accesses reach the byte lanes
 * of the containing register; 64-bit accesses are split into two words. An access to an offset
 * with no register reads as zero and ignores writes, warning once per offset — or, after
 * {@link #unknownOffsetsAreBusErrors()}, is a bus error.
 */
public final class RegisterBank implements MmioDevice {
    private final String device;
    private final Tracer tracer;
    private final List<Register> registers = new ArrayList<>();
    private Register[] byWord = new Register[0];
    private boolean unknownIsBusError;

    /** A bank for the device named {@code device} (trace source and warning prefix). */
    public RegisterBank(String device, Tracer tracer) {
        this.device = device;
        this.tracer = tracer;
    }

    /** Declares a register at {@code offset} (word-aligned, unique). */
    public Register define(String name, int offset) {
        if ((offset & 3) != 0 || offset < 0) {
            throw new IllegalArgumentException(device + ": register " + name + " at offset 0x" + Integer.toHexString(offset) + " is not word-aligned");
        }
        int word = offset >>> 2;
        if (word < byWord.length && byWord[word] != null) {
            throw new IllegalArgumentException(device + ": register " + name + " at offset 0x" + Integer.toHexString(offset)
                    + " collides with " + byWord[word].name());
        }
        if (word >= byWord.length) {
            // doubling: a bank declared in offset order (the GIC's thousand words) would otherwise copy quadratically
            Register[] grown = new Register[Math.max(word + 1, byWord.length * 2)];
            System.arraycopy(byWord, 0, grown, 0, byWord.length);
            byWord = grown;
        }
        Register r = new Register(this, name, offset);
        byWord[word] = r;
        registers.add(r);
        return r;
    }

    /** Makes accesses to undeclared offsets bus errors instead of read-as-zero. */
    public RegisterBank unknownOffsetsAreBusErrors() {
        this.unknownIsBusError = true;
        return this;
    }

    /** The register with this spec name. */
    public Register get(String name) {
        for (Register r : registers) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException(device + " has no register " + name);
    }

    /** All registers, in declaration order. */
    public List<Register> registers() {
        return Collections.unmodifiableList(registers);
    }

    /** Restores every register's reset value. */
    public void reset() {
        for (Register r : registers) {
            r.resetToDefault();
        }
    }

    @Override
    public long read(long offset, int size) {
        if (size == 8) {
            long lo = read(offset, 4);
            long hi = read(offset + 4, 4);
            return lo == MemoryBus.BUS_ERROR || hi == MemoryBus.BUS_ERROR ? MemoryBus.BUS_ERROR : lo | (hi << 32);
        }
        if (!sizeFits(offset, size)) {
            return MemoryBus.BUS_ERROR;
        }
        Register r = lookup(offset);
        if (r == null) {
            return unknown(offset, size, false) ? 0 : MemoryBus.BUS_ERROR;
        }
        int shift = (int) (offset & 3) * 8;
        long v = (r.busRead() & 0xFFFF_FFFFL) >>> shift;
        return size == 4 ? v : v & ((1L << (size * 8)) - 1);
    }

    @Override
    public boolean write(long offset, int size, long value) {
        if (size == 8) {
            return write(offset, 4, value & 0xFFFF_FFFFL) & write(offset + 4, 4, value >>> 32);
        }
        if (!sizeFits(offset, size)) {
            return false;
        }
        Register r = lookup(offset);
        if (r == null) {
            return unknown(offset, size, true);
        }
        int shift = (int) (offset & 3) * 8;
        int lanes = (int) ((size == 4 ? 0xFFFF_FFFFL : (1L << (size * 8)) - 1) << shift);
        r.busWrite((int) (value << shift), lanes);
        return true;
    }

    void warnUnimplemented(Register r, Field f) {
        tracer.warnOnce(device + "." + r.name() + "." + f.name(), device,
                "register " + r.name() + " field " + f.name() + " is not implemented by the model; the value written is stored but has no effect");
    }

    private static boolean sizeFits(long offset, int size) {
        return (size == 1 || size == 2 || size == 4) && (offset & 3) + size <= 4;
    }

    private Register lookup(long offset) {
        long word = offset >>> 2;
        return word < byWord.length ? byWord[(int) word] : null;
    }

    private boolean unknown(long offset, int size, boolean write) {
        String what = String.format("%s of %d bytes at offset 0x%03x, where no register is defined", write ? "write" : "read", size, offset);
        if (unknownIsBusError) {
            tracer.emit(device, "mmio.unknown", what + " (bus error)");
            return false;
        }
        tracer.warnOnce(device + "@" + (offset & ~3L), device, what + (write ? " (ignored)" : " (reads as zero)"));
        return true;
    }
}
