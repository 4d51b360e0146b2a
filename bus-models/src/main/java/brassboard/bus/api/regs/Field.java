package brassboard.bus.api.regs;

/** One field of a {@link Register}: a named run of bits with an access mode and a reset value. */
public final class Field {
    private final Register register;
    private final String name;
    private final int lsb;
    private final int width;
    private final Access access;
    private final int resetValue;
    private final boolean implemented;
    final int mask;

    Field(Register register, String name, int lsb, int width, Access access, int resetValue, boolean implemented) {
        if (width < 1 || lsb < 0 || lsb + width > 32) {
            throw new IllegalArgumentException("field " + register.name() + "." + name + " bits [" + (lsb + width - 1) + ":" + lsb + "] do not fit a 32-bit register");
        }
        this.register = register;
        this.name = name;
        this.lsb = lsb;
        this.width = width;
        this.access = access;
        this.resetValue = resetValue;
        this.implemented = implemented;
        this.mask = (int) (((1L << width) - 1) << lsb);
        if ((resetValue & ~(int) ((1L << width) - 1)) != 0) {
            throw new IllegalArgumentException("field " + register.name() + "." + name + " reset value 0x" + Integer.toHexString(resetValue) + " does not fit " + width + " bits");
        }
    }

    /** The field's spec name. */
    public String name() {
        return name;
    }

    /** Lowest bit. */
    public int lsb() {
        return lsb;
    }

    /** Width in bits. */
    public int width() {
        return width;
    }

    /** Access mode. */
    public Access access() {
        return access;
    }

    /** Reset value (right-aligned). */
    public int resetValue() {
        return resetValue;
    }

    /** Whether the model implements the field's behaviour ({@code false}: stored, warned about once when written). */
    public boolean implemented() {
        return implemented;
    }

    /** The field's stored value, right-aligned (the device's view; no access side effects). */
    public int get() {
        return (register.value() & mask) >>> lsb;
    }

    /** Whether a one-bit field is set. */
    public boolean isSet() {
        return (register.value() & mask) != 0;
    }

    /** Sets the field's stored value from the device side (no access semantics, no callbacks). */
    public void set(int value) {
        register.set((register.value() & ~mask) | ((value << lsb) & mask));
    }

    /** Sets or clears a one-bit field from the device side. */
    public void set(boolean value) {
        set(value ? 1 : 0);
    }
}
