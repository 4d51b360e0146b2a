package brassboard.bus.pcie;

import brassboard.bus.api.MmioDevice;

/**
 * One PCI function as the host bridge sees it: a configuration space, and the registers behind its
 * BARs. Endpoints (a WiFi baseband, an EHCI controller) implement this, usually by holding a
 * {@link ConfigSpace} and returning their register windows from {@link #barDevice}.
 *
 * <p>Configuration accesses arrive already split by the bridge: {@code offset} within the
 * function's space, {@code size} 1, 2 or 4, never crossing a naturally aligned dword.
 */
public interface PciFunction {
    /** Bytes of configuration space: 256 for a conventional function, 4096 for PCI Express. */
    int configSize();

    /** Reads {@code size} bytes of configuration space at {@code offset} (little-endian), zero-extended. */
    long configRead(int offset, int size);

    /** Writes the low {@code size} bytes of {@code value} at {@code offset}, as the register masks allow. */
    void configWrite(int offset, int size, long value);

    /**
     * The registers BAR {@code index} decodes to, addressed by offset from the BAR's base, or
     * {@code null} when the function implements no such BAR.
     */
    default MmioDevice barDevice(int index) {
        return null;
    }

    /** BAR {@code index} as declared, or {@code null} when the function has none there. */
    default ConfigSpace.Bar bar(int index) {
        return null;
    }

    /**
     * Where BAR {@code index} decodes now, as programmed in configuration space: its base address,
     * or -1 when it is not declared or its space (Command.Memory, Command.IO) is disabled.
     */
    default long barBase(int index) {
        return -1;
    }

    /** Power-on reset of the function's configuration and state. */
    default void reset() {
    }

    /**
     * Told once, when the bridge plugs the function in, where it sits: its slot gives the function its
     * bus/device/function numbers, its INTx wire into the bridge's swizzle, and the host's Status
     * register for errors the host records as requester. Functions that raise no interrupts and record
     * no errors ignore it.
     */
    default void plugged(PciSlot slot) {
    }
}
