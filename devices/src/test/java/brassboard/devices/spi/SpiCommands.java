package brassboard.devices.spi;

import brassboard.bus.spi.SpiBus;

/** Test helper: whole commands on chip select 0 of an SPI bus, a byte a frame. */
final class SpiCommands {
    private final SpiBus bus;

    SpiCommands(SpiBus bus) {
        this.bus = bus;
    }

    /** Chip select, the bytes, release; the bytes MISO carried back. */
    int[] command(int... bytes) {
        bus.select(0);
        int[] reply = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            reply[i] = bus.transfer(bytes[i], 8);
        }
        bus.deselect();
        return reply;
    }

    /** A status read with {@code opcode}: the byte after it. */
    int status(int opcode) {
        return command(opcode, 0)[1];
    }

    /** {@code n} bytes read with {@code opcode} after the address's {@code addressBytes} bytes and {@code dummies} dummy bytes. */
    int[] read(int opcode, int addressBytes, int dummies, int address, int n) {
        int[] cmd = new int[1 + addressBytes + dummies + n];
        cmd[0] = opcode;
        for (int i = 0; i < addressBytes; i++) {
            cmd[1 + i] = (address >>> (8 * (addressBytes - 1 - i))) & 0xFF;
        }
        int[] r = command(cmd);
        return java.util.Arrays.copyOfRange(r, 1 + addressBytes + dummies, r.length);
    }
}
