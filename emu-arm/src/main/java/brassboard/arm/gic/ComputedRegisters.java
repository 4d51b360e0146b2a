package brassboard.arm.gic;

import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Tracer;
import brassboard.bus.api.regs.Register;
import brassboard.bus.api.regs.RegisterBank;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * A {@link RegisterBank} whose registers may show state the model keeps elsewhere (per-interrupt
 * bit arrays, state banked per CPU), still declared through the register DSL.
 *
 * <p>Before each bus write the stored value of such a register is brought up to date, so that the
 * bank's byte-lane merge works on the real state: a {@linkplain #state state} register hands its
 * listener the whole new value (bytes not written keep their current value — byte-accessible
 * GICD_IPRIORITYR and GICD_ITARGETSR rely on this); a {@linkplain #command command} register
 * (set/clear-by-writing-1) hands its listener only the bits written, zero in the bytes not written.
 */
final class ComputedRegisters implements MmioDevice {
    private final RegisterBank bank;
    private Register[] synced = new Register[0];
    private IntSupplier[] syncValue = new IntSupplier[0];

    ComputedRegisters(String device, Tracer tracer) {
        this.bank = new RegisterBank(device, tracer);
    }

    /** The underlying bank (inspection, plain registers). */
    RegisterBank bank() {
        return bank;
    }

    /** A plain register whose stored value is its state. */
    Register define(String name, int offset) {
        return bank.define(name, offset);
    }

    /** A register showing model state: reads call {@code read}; a write passes the merged new value to {@code write}. */
    Register state(String name, int offset, IntSupplier read, IntConsumer write) {
        Register r = bank.define(name, offset).onRead(read).onWrite((old, now, written) -> write.accept(now));
        syncBeforeWrite(r, read);
        return r;
    }

    /** A register whose writes are commands: reads call {@code read}; a write passes the bits written to {@code write}. */
    Register command(String name, int offset, IntSupplier read, IntConsumer write) {
        Register r = bank.define(name, offset).onRead(read).onWrite((old, now, written) -> write.accept(now));
        syncBeforeWrite(r, () -> 0);
        return r;
    }

    /** Restores every register's reset value. */
    void reset() {
        bank.reset();
    }

    @Override
    public long read(long offset, int size) {
        return bank.read(offset, size);
    }

    @Override
    public boolean write(long offset, int size, long value) {
        sync(offset);
        if (size == 8) {
            sync(offset + 4);
        }
        return bank.write(offset, size, value);
    }

    private void syncBeforeWrite(Register r, IntSupplier value) {
        int word = r.offset() >>> 2;
        if (word >= synced.length) {
            int length = Math.max(word + 1, synced.length * 2); // doubling: registers come in offset order
            Register[] grownRegs = new Register[length];
            System.arraycopy(synced, 0, grownRegs, 0, synced.length);
            synced = grownRegs;
            IntSupplier[] grownValues = new IntSupplier[length];
            System.arraycopy(syncValue, 0, grownValues, 0, syncValue.length);
            syncValue = grownValues;
        }
        synced[word] = r;
        syncValue[word] = value;
    }

    private void sync(long offset) {
        long word = offset >>> 2;
        if (offset >= 0 && word < synced.length && synced[(int) word] != null) {
            synced[(int) word].set(syncValue[(int) word].getAsInt());
        }
    }
}
