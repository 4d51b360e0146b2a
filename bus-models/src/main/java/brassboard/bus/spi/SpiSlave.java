package brassboard.bus.spi;

/**
 * A device on an SPI bus, seen from its pins: a chip select and a full-duplex shift register.
 *
 * <p>The controller asserts the slave's chip select, shifts words out on MOSI while the slave shifts
 * words back on MISO, and deasserts the chip select. A slave sees exactly that sequence: {@link
 * #select}, any number of {@link #exchange} calls (each one whole word at the controller's frame
 * size), {@link #deselect}. Commands that span several words (a flash's opcode, address and data)
 * are decoded by the slave from the word stream between select and deselect, as real parts do.
 *
 * <p>Calls arrive at the virtual time the word's last bit is clocked (the controller has already
 * charged the transfer time); a slave that is busy for a while (a flash page program) schedules on
 * the machine's {@code Scheduler}, which it is given when it is built. A slave never blocks.
 */
public interface SpiSlave {
    /** The slave's name, as traces and fault plans refer to it ({@code flash0}, {@code rf0}). */
    String name();

    /** The clock modes this slave can work in; a transfer in another mode garbles data (the bus decides how). */
    default boolean supports(SpiMode mode) {
        return mode == SpiMode.MODE0 || mode == SpiMode.MODE3;
    }

    /** Chip select asserted: a new command begins. */
    void select();

    /**
     * One word shifted in each direction.
     *
     * @param mosi the word the controller sends, in the low {@code bits} bits
     * @param bits the frame size, 4 to 32 bits (the PL022 allows 4-16)
     * @return the word the slave drives on MISO, in the low {@code bits} bits; a slave with nothing to
     *     say returns all ones (MISO pulled up, as on most boards)
     */
    int exchange(int mosi, int bits);

    /** Chip select released: the command ends (a flash starts a program or erase here). */
    void deselect();
}
