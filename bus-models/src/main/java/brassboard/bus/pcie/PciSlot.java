package brassboard.bus.pcie;

/**
 * Where a function is plugged into an {@link EcamHostBridge}: its routing ID, its INTx wire and the
 * host bridge's own Status register. Given to the function by {@link PciFunction#plugged}.
 */
public interface PciSlot {
    int bus();

    int device();

    int function();

    /**
     * The function's INTx state: {@code pin} (its Interrupt Pin register: 1 = INTA .. 4 = INTD; 0 does
     * nothing) asserted or deasserted (PCIe Assert_INTx / Deassert_INTx messages).
     */
    void intx(int pin, boolean asserted);

    /**
     * Sets bits of the host bridge's Status register (00:00.0): the host, as requester of a
     * configuration access, records a Received Master Abort (Unsupported Request) or a Received
     * Target Abort (Completer Abort) there.
     */
    void hostStatus(int bits);

    /** {@code bb:dd.f}. */
    default String bdf() {
        return String.format("%02x:%02x.%x", bus(), device(), function());
    }
}
