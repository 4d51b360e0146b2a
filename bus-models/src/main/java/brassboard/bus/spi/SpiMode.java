package brassboard.bus.spi;

/**
 * The four SPI clock modes: clock polarity (CPOL, the idle level of SCK) and clock phase (CPHA,
 * whether data is sampled on the first or the second edge). Names follow the Motorola SPI
 * convention that ARM's PL022 TRM (DDI 0194, "Motorola SPI frame format") uses for SPO/SPH.
 */
public enum SpiMode {
    MODE0(false, false), MODE1(false, true), MODE2(true, false), MODE3(true, true);

    private final boolean cpol;
    private final boolean cpha;

    SpiMode(boolean cpol, boolean cpha) {
        this.cpol = cpol;
        this.cpha = cpha;
    }

    /** SCK idles high. */
    public boolean cpol() {
        return cpol;
    }

    /** Data is captured on the second clock edge. */
    public boolean cpha() {
        return cpha;
    }

    /** The mode for a given polarity and phase. */
    public static SpiMode of(boolean cpol, boolean cpha) {
        return values()[(cpol ? 2 : 0) | (cpha ? 1 : 0)];
    }
}
