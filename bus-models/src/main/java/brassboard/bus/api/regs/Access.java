package brassboard.bus.api.regs;

/** How a register field responds to the bus. */
public enum Access {
    /** Read/write. */
    RW,
    /** Read-only: writes are ignored. */
    RO,
    /** Write-only: reads return 0; the written value is kept for the device. */
    WO,
    /** Write 1 to clear: writing a 1 bit clears it, writing 0 leaves it. */
    W1C,
    /** Clear on read: reading returns the value and then clears it; writes are ignored. */
    RC
}
