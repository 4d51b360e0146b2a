package brassboard.devices.spi;

import brassboard.bus.api.Tracer;
import brassboard.bus.spi.SpiSlave;

/**
 * An SPI slave whose protocol is a stream of bytes (flash, EEPROM): a frame of 8, 16, 24 or 32
 * bits is that many bytes, most significant first, as they cross the wire; other frame sizes do not
 * make whole bytes, so the part ignores them (MISO floats high) and warns once.
 */
abstract class ByteSlave implements SpiSlave {
    private static final int BYTE = 8;
    private static final int FLOATING = 0xFF;
    protected final String name;
    protected final Tracer tracer;

    ByteSlave(String name, Tracer tracer) {
        this.name = name;
        this.tracer = tracer;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int exchange(int mosi, int bits) {
        if (bits % BYTE != 0) {
            tracer.warnOnce(name + ".frame", name, bits + "-bit SPI frames are not whole bytes; the part ignores them");
            return -1;
        }
        int reply = 0;
        for (int shift = bits - BYTE; shift >= 0; shift -= BYTE) {
            reply = (reply << BYTE) | (exchangeByte((mosi >>> shift) & FLOATING) & FLOATING);
        }
        return reply;
    }

    /** One byte in, one byte out. */
    protected abstract int exchangeByte(int in);
}
