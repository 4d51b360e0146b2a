package brassboard.devices.storage.ata;

/**
 * The ATA8-ACS commands this disk implements, one line each: opcode, name, data protocol and
 * addressing. Any other opcode is aborted (ERR + ABRT). The SMART subcommands (FEATURE values)
 * are in {@link Smart}.
 */
public enum AtaCommand {
    // ---- name ------------------ opcode --- protocol --------- addressing
    READ_SECTORS(               0x20, Protocol.PIO_IN,   Addressing.LBA28),
    READ_SECTORS_EXT(           0x24, Protocol.PIO_IN,   Addressing.LBA48),
    READ_DMA_EXT(               0x25, Protocol.DMA_IN,   Addressing.LBA48),
    READ_MULTIPLE_EXT(          0x29, Protocol.PIO_IN,   Addressing.LBA48),
    WRITE_SECTORS(              0x30, Protocol.PIO_OUT,  Addressing.LBA28),
    WRITE_SECTORS_EXT(          0x34, Protocol.PIO_OUT,  Addressing.LBA48),
    WRITE_DMA_EXT(              0x35, Protocol.DMA_OUT,  Addressing.LBA48),
    WRITE_MULTIPLE_EXT(         0x39, Protocol.PIO_OUT,  Addressing.LBA48),
    READ_VERIFY_SECTORS(        0x40, Protocol.NON_DATA, Addressing.LBA28),
    READ_VERIFY_SECTORS_EXT(    0x42, Protocol.NON_DATA, Addressing.LBA48),
    SMART(                      0xB0, Protocol.NON_DATA, Addressing.NONE), // READ DATA / READ THRESHOLDS are PIO in
    READ_MULTIPLE(              0xC4, Protocol.PIO_IN,   Addressing.LBA28),
    WRITE_MULTIPLE(             0xC5, Protocol.PIO_OUT,  Addressing.LBA28),
    SET_MULTIPLE_MODE(          0xC6, Protocol.NON_DATA, Addressing.NONE),
    READ_DMA(                   0xC8, Protocol.DMA_IN,   Addressing.LBA28),
    WRITE_DMA(                  0xCA, Protocol.DMA_OUT,  Addressing.LBA28),
    STANDBY_IMMEDIATE(          0xE0, Protocol.NON_DATA, Addressing.NONE),
    IDLE_IMMEDIATE(             0xE1, Protocol.NON_DATA, Addressing.NONE),
    CHECK_POWER_MODE(           0xE5, Protocol.NON_DATA, Addressing.NONE),
    FLUSH_CACHE(                0xE7, Protocol.NON_DATA, Addressing.NONE),
    FLUSH_CACHE_EXT(            0xEA, Protocol.NON_DATA, Addressing.NONE),
    IDENTIFY_DEVICE(            0xEC, Protocol.PIO_IN,   Addressing.NONE),
    SET_FEATURES(               0xEF, Protocol.NON_DATA, Addressing.NONE);

    /** How data moves (ATA8-ACS command protocols). */
    public enum Protocol {
        NON_DATA, PIO_IN, PIO_OUT, DMA_IN, DMA_OUT;

        /** Whether data moves from device to host. */
        public boolean dataIn() {
            return this == PIO_IN || this == DMA_IN;
        }

        /** Whether data moves from host to device. */
        public boolean dataOut() {
            return this == PIO_OUT || this == DMA_OUT;
        }
    }

    /** How the command addresses the medium. */
    public enum Addressing {
        /** No address. */
        NONE,
        /** 28-bit LBA, 8-bit count (0 means 256 sectors). */
        LBA28,
        /** 48-bit LBA, 16-bit count (0 means 65,536 sectors). */
        LBA48;

        /** Sectors a COUNT register value stands for. */
        public int sectors(int count) {
            return switch (this) {
                case LBA28 -> (count & 0xFF) == 0 ? 256 : count & 0xFF;
                case LBA48 -> (count & 0xFFFF) == 0 ? 65_536 : count & 0xFFFF;
                case NONE -> 0;
            };
        }
    }

    private static final AtaCommand[] BY_OPCODE = new AtaCommand[256];

    static {
        for (AtaCommand c : values()) {
            if (BY_OPCODE[c.opcode] != null) {
                throw new ExceptionInInitializerError("two ATA commands with opcode " + Integer.toHexString(c.opcode));
            }
            BY_OPCODE[c.opcode] = c;
        }
    }

    private final int opcode;
    private final Protocol protocol;
    private final Addressing addressing;

    AtaCommand(int opcode, Protocol protocol, Addressing addressing) {
        this.opcode = opcode;
        this.protocol = protocol;
        this.addressing = addressing;
    }

    /** The COMMAND register value. */
    public int opcode() {
        return opcode;
    }

    /** The data protocol (for SMART, that of the subcommands without data). */
    public Protocol protocol() {
        return protocol;
    }

    /** The addressing. */
    public Addressing addressing() {
        return addressing;
    }

    /** The command with {@code opcode}, or null when this disk does not implement it. */
    public static AtaCommand forOpcode(int opcode) {
        return opcode >= 0 && opcode < 256 ? BY_OPCODE[opcode] : null;
    }
}
