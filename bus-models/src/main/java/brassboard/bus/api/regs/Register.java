package brassboard.bus.api.regs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * A 32-bit device register declared in a {@link RegisterBank}: fields with access modes and reset
 * values, and callbacks for the device's behaviour.
 *
 * <p>A register with no fields is one RW field of 32 bits. Bits of a register with fields that no
 * field covers are reserved: they read as zero and ignore writes.
 */
public final class Register {
    /** Called after a bus write: the stored value before and after, and the raw value written. */
    @FunctionalInterface
    public interface WriteListener {
        void written(int oldValue, int newValue, int written);
    }

    private final RegisterBank bank;
    private final String name;
    private final int offset;
    private final List<Field> fields = new ArrayList<>();
    private int value;
    private int resetValue;
    private IntSupplier reader;
    private Runnable afterRead;
    private WriteListener writeListener;
    // Masks per access mode, derived from the fields.
    private int rwMask;
    private int woMask;
    private int w1cMask;
    private int rcMask;
    private int declaredMask;

    Register(RegisterBank bank, String name, int offset) {
        this.bank = bank;
        this.name = name;
        this.offset = offset;
    }

    /** The register's spec name ({@code UARTFR}). */
    public String name() {
        return name;
    }

    /** Byte offset within the bank. */
    public int offset() {
        return offset;
    }

    /** Fields, in declaration order. */
    public List<Field> fields() {
        return Collections.unmodifiableList(fields);
    }

    /** Declares a field with reset value 0. */
    public Register field(String fieldName, int lsb, int width, Access access) {
        return field(fieldName, lsb, width, access, 0);
    }

    /** Declares a field. */
    public Register field(String fieldName, int lsb, int width, Access access, int reset) {
        addField(new Field(this, fieldName, lsb, width, access, reset, true));
        return this;
    }

    /**
     * Declares a field whose behaviour the model does not implement: it reads back what was
     * written (RW), and the first write that changes it from its reset value warns, once.
     */
    public Register unimplemented(String fieldName, int lsb, int width, int reset) {
        addField(new Field(this, fieldName, lsb, width, Access.RW, reset, false));
        return this;
    }

    /** {@link #unimplemented(String, int, int, int)} with reset value 0. */
    public Register unimplemented(String fieldName, int lsb, int width) {
        return unimplemented(fieldName, lsb, width, 0);
    }

    /** Sets the whole register's reset value (for registers without fields, or as a shorthand). */
    public Register reset(int registerResetValue) {
        this.resetValue = registerResetValue;
        this.value = registerResetValue;
        return this;
    }

    /**
     * Makes reads compute the value (status registers, FIFO data): the supplier's result replaces
     * the stored value for the read. Write-only fields still read as zero.
     */
    public Register onRead(IntSupplier supplier) {
        this.reader = supplier;
        return this;
    }

    /** Runs after every bus read (after RC fields were cleared): FIFO pops and the like. */
    public Register afterRead(Runnable action) {
        this.afterRead = action;
        return this;
    }

    /** Runs after every bus write. */
    public Register onWrite(WriteListener listener) {
        this.writeListener = listener;
        return this;
    }

    /** The named field. */
    public Field f(String fieldName) {
        for (Field f : fields) {
            if (f.name().equals(fieldName)) {
                return f;
            }
        }
        throw new IllegalArgumentException("register " + name + " has no field " + fieldName);
    }

    /** The stored value (the device's view: no side effects). */
    public int value() {
        return value;
    }

    /** Sets the stored value from the device side (no access semantics, no callbacks). */
    public void set(int newValue) {
        this.value = newValue;
    }

    /** Restores the reset value. */
    public void resetToDefault() {
        value = resetValue;
    }

    /** A bus read of the whole register, with its side effects. */
    int busRead() {
        int v = reader != null ? reader.getAsInt() : value;
        if (!fields.isEmpty()) {
            v &= declaredMask & ~woMask;
        }
        if (rcMask != 0) {
            value &= ~rcMask;
        }
        if (afterRead != null) {
            afterRead.run();
        }
        return v;
    }

    /** A bus write of the bytes selected by {@code laneMask}. */
    void busWrite(int written, int laneMask) {
        int old = value;
        int next;
        if (fields.isEmpty()) {
            next = (old & ~laneMask) | (written & laneMask);
        } else {
            int take = (rwMask | woMask) & laneMask;
            next = (old & ~take) | (written & take);
            next &= ~(written & w1cMask & laneMask);
            for (Field f : fields) {
                if (!f.implemented() && (next & f.mask) != (f.resetValue() << f.lsb())) {
                    bank.warnUnimplemented(this, f);
                }
            }
        }
        value = next;
        if (writeListener != null) {
            writeListener.written(old, next, written);
        }
    }

    private void addField(Field f) {
        if ((declaredMask & f.mask) != 0) {
            throw new IllegalArgumentException("field " + name + "." + f.name() + " overlaps another field of " + name);
        }
        for (Field other : fields) {
            if (other.name().equals(f.name())) {
                throw new IllegalArgumentException("register " + name + " declares field " + f.name() + " twice");
            }
        }
        fields.add(f);
        declaredMask |= f.mask;
        switch (f.access()) {
            case RW -> rwMask |= f.mask;
            case WO -> woMask |= f.mask;
            case W1C -> w1cMask |= f.mask;
            case RC -> rcMask |= f.mask;
            case RO -> { }
        }
        resetValue = (resetValue & ~f.mask) | (f.resetValue() << f.lsb());
        value = resetValue;
    }
}
